"""The pipeline desk's API: a bureau administrator creates, edits and withdraws conversion
projects, edits and withdraws people and incubation projects, and attaches people to projects;
each change has its audit entry; everyone else is refused and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for
from tests.integration.web.fixtures import ACCOUNTS, OWN, OWN_INSTITUTION

ROLES = [r for r in ACCOUNTS if r != "admin"]
CONVERSION = {"credit_code": OWN, "title": "锂电隔膜中试转化", "year": 2025, "field": "新能源"}
PROJECT = {"id": "NP1", "title": "钠离子电池正极", "origin_institution": OWN_INSTITUTION}
PERSON = {"id": "PX1", "name": "陈一", "affiliation": OWN_INSTITUTION, "expertise": "储能"}


def _audited(app: FastAPI) -> list[tuple[str, str]]:
    store = app.state.services.auth.audit.store
    kept = ("record_created", "record_edited", "record_withdrawn")
    return [(e.event.action, e.event.object) for e in store.in_order() if e.event.action in kept]


def _seed(client: TestClient, headers: dict[str, str]) -> None:
    assert client.post("/api/pipeline/projects", json=PROJECT, headers=headers).status_code == 201
    assert client.post("/api/people", json=PERSON, headers=headers).status_code == 201


def test_an_administrator_creates_edits_and_withdraws_a_conversion_project(app: FastAPI) -> None:
    headers = bearer_for(app, "admin")
    desk = app.state.services.pipeline_desk
    with TestClient(app) as client:
        made = client.post("/api/pipeline/conversions", json=CONVERSION, headers=headers)
        assert made.status_code == 201, made.text
        record_id = made.json()["id"]
        edited = {**CONVERSION, "title": "锂电隔膜量产转化", "year": 2024}
        put = client.put(f"/api/pipeline/conversions/{record_id}", json=edited, headers=headers)
        assert put.status_code == 200, put.text
        [row] = desk.records("conversion_projects")
        assert (row["title"], row["year"]) == ("锂电隔膜量产转化", 2024)
        gone = client.post(f"/api/pipeline/conversions/{record_id}/withdraw", headers=headers)
        assert gone.status_code == 200, gone.text
        assert desk.records("conversion_projects") == []
        again = client.post(f"/api/pipeline/conversions/{record_id}/withdraw", headers=headers)
        assert again.status_code == 409 and "withdrawn" in again.text
        late = client.put(f"/api/pipeline/conversions/{record_id}", json=edited, headers=headers)
        assert late.status_code == 409
    obj = f"conversion_project:{record_id}"
    assert _audited(app) == [
        ("record_created", obj),
        ("record_edited", obj),
        ("record_withdrawn", obj),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"credit_code": "91350200MA00000999"}, "credit_code"),
        ({"project_id": "nowhere"}, "project_id"),
        ({"year": 1800}, "year"),
        ({"title": ""}, "title"),
    ],
)
def test_a_conversion_project_with_a_bad_value_is_refused_naming_the_field(
    app: FastAPI, change: dict[str, Any], field: str
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        body = {**CONVERSION, **change}
        answer = client.post("/api/pipeline/conversions", json=body, headers=headers)
    assert answer.status_code == 422 and field in answer.text, answer.text
    assert _audited(app) == []


def test_missing_records_answer_404(app: FastAPI) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        for method, path, body in (
            ("PUT", "/api/pipeline/conversions/77", CONVERSION),
            ("POST", "/api/pipeline/conversions/77/withdraw", None),
            ("PUT", "/api/pipeline/projects/NOPE", {"title": "x"}),
            ("POST", "/api/pipeline/projects/NOPE/withdraw", None),
            ("PUT", "/api/people/NOPE", {"name": "x"}),
            ("POST", "/api/people/NOPE/withdraw", None),
            ("DELETE", "/api/pipeline/projects/NOPE/people/NOPE", None),
        ):
            answer = client.request(method, path, json=body, headers=headers)
            assert answer.status_code == 404, (path, answer.text)
    assert _audited(app) == []


def test_an_administrator_edits_and_withdraws_a_project_and_a_person_and_their_team(
    app: FastAPI,
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        _seed(client, headers)
        member = {"person_id": "PX1", "role": "founder", "joined": "2025-02-01"}
        url = "/api/pipeline/projects/NP1/people"
        assert client.post(url, json=member, headers=headers).status_code == 201
        assert client.post(url, json=member, headers=headers).status_code == 409
        bad_role = client.post(url, json={**member, "role": "boss"}, headers=headers)
        assert bad_role.status_code == 422 and "role" in bad_role.text
        team = client.get("/api/pipeline/projects/NP1", headers=headers).json()
        assert "PX1" in str(team)
        renamed = {"name": "陈一鸣", "expertise": "钠电池"}
        assert client.put("/api/people/PX1", json=renamed, headers=headers).status_code == 200
        bad = client.put(
            "/api/pipeline/projects/NP1", json={"title": "新名", "cluster": "x"}, headers=headers
        )
        assert bad.status_code == 422 and "cluster" in bad.text
        retitled = {"title": "钠离子电池正极材料", "origin_institution": OWN_INSTITUTION}
        put = client.put("/api/pipeline/projects/NP1", json=retitled, headers=headers)
        assert put.status_code == 200, put.text
        detail = client.get("/api/pipeline/projects/NP1", headers=headers).json()
        assert detail["project"]["title"] == "钠离子电池正极材料"
        assert "陈一鸣" in str(detail)
        assert client.delete(f"{url}/PX1", headers=headers).status_code == 200
        assert client.delete(f"{url}/PX1", headers=headers).status_code == 404
        # Taking someone off a team records the day they left; the row (history) stays.
        team = client.get("/api/pipeline/projects/NP1", headers=headers).json()["team"]
        assert [(m["joined"], m["left"] is not None) for m in team] == [("2025-02-01", True)]
        assert client.post(url, json=member, headers=headers).status_code == 201  # back again
        team = client.get("/api/pipeline/projects/NP1", headers=headers).json()["team"]
        assert [m["left"] is None for m in team] == [False, True]
        assert client.delete(f"{url}/PX1", headers=headers).status_code == 200
        assert client.post("/api/people/PX1/withdraw", headers=headers).status_code == 200
        refused = client.post(url, json=member, headers=headers)
        assert refused.status_code == 422 and "person_id" in refused.text
        listed = client.get("/api/pipeline/projects", headers=headers).text
        assert "NP1" in listed
        assert (
            client.post("/api/pipeline/projects/NP1/withdraw", headers=headers).status_code == 200
        )
        assert "NP1" not in client.get("/api/pipeline/projects", headers=headers).text
    assert _audited(app)[2:] == [
        ("record_created", "pipeline_project:NP1:person:PX1"),
        ("record_edited", "person:PX1"),
        ("record_edited", "pipeline_project:NP1"),
        ("record_withdrawn", "pipeline_project:NP1:person:PX1"),
        ("record_created", "pipeline_project:NP1:person:PX1"),
        ("record_withdrawn", "pipeline_project:NP1:person:PX1"),
        ("record_withdrawn", "person:PX1"),
        ("record_withdrawn", "pipeline_project:NP1"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_one_but_an_administrator_corrects_the_pipeline(app: FastAPI, role: str) -> None:
    admin = bearer_for(app, "admin")
    headers = bearer_for(app, role)
    expected = 401 if role == "public" else 403
    with TestClient(app) as client:
        _seed(client, admin)
        before = _audited(app)
        member = {"person_id": "PX1", "role": "founder", "joined": "2025-02-01"}
        for method, path, body in (
            ("POST", "/api/pipeline/conversions", CONVERSION),
            ("PUT", "/api/pipeline/conversions/1", CONVERSION),
            ("POST", "/api/pipeline/conversions/1/withdraw", None),
            ("PUT", "/api/pipeline/projects/NP1", {"title": "x"}),
            ("POST", "/api/pipeline/projects/NP1/withdraw", None),
            ("PUT", "/api/people/PX1", {"name": "x"}),
            ("POST", "/api/people/PX1/withdraw", None),
            ("POST", "/api/pipeline/projects/NP1/people", member),
            ("DELETE", "/api/pipeline/projects/NP1/people/PX1", None),
        ):
            answer = client.request(method, path, json=body, headers=headers)
            assert answer.status_code == expected, (role, path, answer.text)
    assert _audited(app) == before
