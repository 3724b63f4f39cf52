"""The pipeline's write API: bureau staff create an incubation project, move it through its
gates with evidence files (a gate's refusal is a 409 naming it, and writes nothing) and
register people; everyone else is refused. Each change has its audit entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI

from fourchain.domain.audit import detail_fields
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for, form_token
from tests.integration.web.fixtures import ACCOUNTS, OWN_INSTITUTION

ROLES = list(ACCOUNTS)
PROJECT = {"id": "NP1", "title": "钠离子电池正极", "origin_institution": OWN_INSTITUTION}
PERSON = {"id": "PX1", "name": "陈一", "affiliation": OWN_INSTITUTION, "expertise": "储能"}
EVIDENCE = [("evidence", ("披露书.pdf", b"%PDF disclosure", "application/pdf"))]


def _audited(app: FastAPI) -> list[tuple[str, str]]:
    store = app.state.services.auth.audit.store
    kept = ("record_created", "gate_moved")
    return [(e.event.action, e.event.object) for e in store.in_order() if e.event.action in kept]


@pytest.fixture
def data_dir(app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setattr(app.state.services.settings, "fourchain_data_dir", data)
    return data


def test_bureau_staff_create_a_project_move_it_through_its_gates_and_add_people(
    app: FastAPI, data_dir: Path
) -> None:
    headers = bearer_for(app, "analyst")
    with TestClient(app) as client:
        made = client.post("/api/pipeline/projects", json=PROJECT, headers=headers)
        assert made.status_code == 201, made.text
        again = client.post("/api/pipeline/projects", json=PROJECT, headers=headers)
        assert again.status_code == 409 and "exists" in again.text
        first = {"to": "rd_institution", "trl": "2", "on": "2025-01-02"}
        moved = client.post("/api/pipeline/projects/NP1/advance", data=first, headers=headers)
        assert moved.status_code == 200, moved.text
        assert moved.json()["stage"] == "rd_institution"
        assert "proof_of_concept" in moved.json()["next"]
        # the proof-of-concept gate asks for evidence and a TRL: without them it refuses
        bare = {"to": "proof_of_concept", "on": "2025-06-01"}
        refused = client.post("/api/pipeline/projects/NP1/advance", data=bare, headers=headers)
        assert refused.status_code in (409, 422), refused.text
        person = client.post("/api/people", json=PERSON, headers=headers)
        assert person.status_code == 201, person.text
        detail = client.get("/api/pipeline/projects/NP1").json()
    assert detail["project"]["stage"] == "rd_institution"
    assert len(detail["timeline"]) == 1
    assert _audited(app) == [
        ("record_created", "pipeline_project:NP1"),
        ("gate_moved", "pipeline_project:NP1"),
        ("record_created", "person:PX1"),
    ]
    # the created records' entries are structured: the log page says them in either language
    created = [
        detail_fields(e.event.detail)
        for e in app.state.services.auth.audit.store.in_order()
        if e.event.action == "record_created"
    ]
    assert created == [{"title": "钠离子电池正极"}, {"name": "陈一"}]


def test_a_project_naming_what_the_registry_lacks_is_refused_and_not_written(
    app: FastAPI,
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        for bad, words in (
            ({**PROJECT, "cluster": "nowhere"}, "no cluster nowhere"),
            ({**PROJECT, "origin_institution": "nowhere"}, "no institution nowhere"),
        ):
            answer = client.post("/api/pipeline/projects", json=bad, headers=headers)
            assert answer.status_code == 422 and words in answer.text, answer.text
        assert client.get("/api/pipeline/projects/NP1").status_code == 404
    assert _audited(app) == []


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("admin", "analyst")])
def test_no_one_but_bureau_staff_writes_projects_or_people(
    app: FastAPI, role: str, data_dir: Path
) -> None:
    headers = bearer_for(app, role)
    expected = 401 if role == "public" else 403
    with TestClient(app) as client:
        assert (
            client.post("/api/pipeline/projects", json=PROJECT, headers=headers).status_code
            == expected
        )
        assert client.post("/api/people", json=PERSON, headers=headers).status_code == expected
        answer = client.post(
            "/api/pipeline/projects/NP1/advance",
            data={"to": "rd_institution"},
            files=EVIDENCE,
            headers=headers,
        )
        assert answer.status_code == expected
    assert _audited(app) == []
    assert not data_dir.exists()


def test_bureau_staff_create_a_project_and_a_person_from_their_forms(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("analyst")
    client.get("/pipeline/new-project")
    typed = {"id": "NP2", "title": "固态电解质膜", "origin_institution": "nowhere"}
    refused = client.post("/pipeline/new-project", data={"csrf_token": form_token(client), **typed})
    assert refused.status_code == 422
    assert 'value="固态电解质膜"' in refused.text and "no institution nowhere" in refused.text
    typed["origin_institution"] = OWN_INSTITUTION
    made = client.post(
        "/pipeline/new-project",
        data={"csrf_token": form_token(client), **typed},
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"] == "/pipeline/projects/NP2"
    assert "固态电解质膜" in client.get("/pipeline/projects/NP2").text
    client.get("/pipeline/people/new")
    person = {"csrf_token": form_token(client), **PERSON}
    added = client.post("/pipeline/people/new", data=person, follow_redirects=False)
    assert added.status_code == 303
    assert _audited(app) == [
        ("record_created", "pipeline_project:NP2"),
        ("record_created", "person:PX1"),
    ]


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("admin", "analyst")])
def test_no_one_but_bureau_staff_reaches_the_project_and_person_forms(
    app: FastAPI, browser_client: Callable[[str], TestClient], role: str
) -> None:
    client = browser_client(role)
    for path in ("/pipeline/new-project", "/pipeline/people/new"):
        assert client.get(path, follow_redirects=False).status_code in (303, 401, 403)
    client.get("/")
    body = {"csrf_token": form_token(client), **PERSON}
    answer = client.post("/pipeline/people/new", data=body, follow_redirects=False)
    assert answer.status_code in (401, 403)
    assert _audited(app) == []
