"""S&T programme pages and API for every role: the bureau sees programmes, the project list with
its filters and a project with its history; only an administrator moves a project, and a
refused move answers 409 saying why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi import FastAPI

from fourchain.domain.accounts import Role
from fourchain.domain.market import Party, PartyKind, Viewer
from fourchain.domain.programmes import (
    Evidence,
    Move,
    Programme,
    ProgrammeCall,
    ProgrammeKind,
    ProgrammeProject,
)
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for
from tests.integration.web.fixtures import ACCOUNTS, OWN, OWN_INSTITUTION

ROLES = list(ACCOUNTS)
BUREAU = {"admin", "analyst"}
ADMIN = Viewer(Role.BUREAU_ADMIN, username="admin")
TITLE = "第三代半导体外延关键技术"


def _seed(app: FastAPI) -> int:
    desk = app.state.services.programmes
    desk.add_programme(
        ADMIN, Programme("key_rd", "重点研发计划", "Key R&D", ProgrammeKind.BREAKTHROUGH)
    )
    call = desk.add_call(ADMIN, ProgrammeCall("key_rd", 2023, "2023年度重点研发计划"))
    project = desk.add_project(
        ADMIN,
        ProgrammeProject(
            call,
            TITLE,
            Party(PartyKind.ENTERPRISE, OWN),
            date(2023, 3, 1),
            (Party(PartyKind.INSTITUTION, OWN_INSTITUTION),),
            public_budget=3_000_000,
            self_raised=5_000_000,
        ),
    )
    desk.move(ADMIN, project, Move.FORMAL_CHECK, Evidence(date(2023, 3, 10)))
    return int(project)


@pytest.fixture
def seeded(app: FastAPI) -> tuple[FastAPI, int]:
    return app, _seed(app)


@pytest.mark.parametrize("role", ROLES)
def test_programme_pages_are_the_bureaus(
    role: str, seeded: tuple[FastAPI, int], browser_client: Callable[[str], TestClient]
) -> None:
    app, project_id = seeded
    client = browser_client(role)
    paths = [
        "/programmes",
        "/programmes/projects?kind=breakthrough&year=2023",
        f"/programmes/projects/{project_id}",
    ]
    answers = [client.get(path, follow_redirects=False) for path in paths]
    with TestClient(app) as api:
        listed = api.get("/api/programmes/projects", headers=bearer_for(app, role))
        detail = api.get(f"/api/programmes/projects/{project_id}", headers=bearer_for(app, role))
    if role in BUREAU:
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert "重点研发计划" in answers[0].text
        assert TITLE in answers[1].text and "300.00" in answers[1].text  # 万元
        assert "形式审查通过" in answers[2].text and "提交专家评审" in answers[2].text
        assert listed.json()["total"] == 1
        assert [h["move"] for h in detail.json()["history"]] == ["formal_check"]
    elif role == "public":
        assert [a.status_code for a in answers] == [303, 303, 303]
        assert (listed.status_code, detail.status_code) == (401, 401)
    else:
        assert [a.status_code for a in answers] == [403, 403, 403]
        assert (listed.status_code, detail.status_code) == (403, 403)
        assert TITLE not in "".join(a.text for a in answers)


def test_the_project_list_filters_and_a_missing_project_is_404(
    seeded: tuple[FastAPI, int], browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("analyst")
    assert TITLE not in client.get("/programmes/projects?stage=accepted").text
    assert TITLE not in client.get("/programmes/projects?year=2024").text
    assert client.get("/programmes/projects/987654").status_code == 404
    assert client.get("/programmes/projects?stage=nope").status_code == 422


@pytest.mark.parametrize("role", ROLES)
def test_only_an_administrator_moves_a_project_and_a_refusal_says_why(
    role: str, seeded: tuple[FastAPI, int]
) -> None:
    app, project_id = seeded
    path = f"/api/programmes/projects/{project_id}/move"
    with TestClient(app) as api:
        headers = bearer_for(app, role)
        refused = api.post(path, json={"move": "approve", "on": "2023-04-01"}, headers=headers)
        moved = api.post(path, json={"move": "send_to_review", "on": "2023-04-01"}, headers=headers)
    if role == "admin":
        assert refused.status_code == 409 and "cannot approve" in refused.json()["message"]
        # no expert panel is linked to this call: the review cannot start, and says so
        assert moved.status_code == 409 and "no expert panel" in moved.json()["message"]
    elif role == "public":
        assert (refused.status_code, moved.status_code) == (401, 401)
    else:
        assert (refused.status_code, moved.status_code) == (403, 403)
