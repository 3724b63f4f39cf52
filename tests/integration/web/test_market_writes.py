"""The market's write API: each role × publish, edit and withdraw × an own, a foreign and a
missing record; a withdrawn record leaves lists, pages and matching at once and keeps its
history; every change has its audit entry."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from fastapi import FastAPI

from fourchain.adapters.db.market_repo import market_units
from fourchain.domain.audit import AuditEntry
from fourchain.services.market import MarketRecords
from tests.integration.jobs.worker import running_worker, settle
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for, form_token
from tests.integration.web.fixtures import OTHER, OTHER_INSTITUTION, OWN, OWN_INSTITUTION
from tests.integration.web.test_market_matrix import ADMIN, MISSING_ID, ROLES, _achievement, _demand

TODAY = date.today()
DEMAND = {
    "problem": "高精度温湿度传感器漂移",
    "description": "传感器在高湿环境下三个月内漂移超过 2%。",
    "field": "电子信息",
    "budget": 800000,
    "deadline": (TODAY + timedelta(days=60)).isoformat(),
}
ACHIEVEMENT = {
    "title": "低漂移 MEMS 湿度传感器",
    "abstract": "一种带自校准的 MEMS 湿度传感器，漂移低于 0.5%。",
    "keywords": ["MEMS", "湿度传感器"],
    "trl": 6,
    "ip_status": "none",
    "transfer_modes": ["licence"],
    "contact": "0592-1234567",
    "discipline": "电子工程",
}
# Who may write each kind: everyone else is refused before the record is looked at.
WRITERS = {"demands": {"ent", "admin"}, "achievements": {"inst", "admin"}}
BODY = {"demands": DEMAND, "achievements": ACHIEVEMENT}
OWNER_FIELD = {"demands": "credit_code", "achievements": "institution_id"}
OWNERS = {
    "demands": {"own": OWN, "other": OTHER},
    "achievements": {"own": OWN_INSTITUTION, "other": OTHER_INSTITUTION},
}


def _seed(app: FastAPI) -> dict[str, int]:
    """A public record of the role's own organisation and one of another, per kind."""
    records = MarketRecords(
        market_units(app.state.services.database.engine, app.state.services.database.audit_key),
        lambda: TODAY,
    )
    return {
        "demands/own": records.publish_demand(ADMIN, _demand(OWN, "本企业公开需求", False)),
        "demands/other": records.publish_demand(ADMIN, _demand(OTHER, "他企业公开需求", False)),
        "achievements/own": records.publish_achievement(
            ADMIN, _achievement(OWN_INSTITUTION, "本机构公开成果", True)
        ),
        "achievements/other": records.publish_achievement(
            ADMIN, _achievement(OTHER_INSTITUTION, "他机构公开成果", True)
        ),
    }


CHANGES = {"published", "record_edited", "record_withdrawn"}


def _audit(app: FastAPI) -> list[AuditEntry]:
    return list(app.state.services.auth.audit.store.in_order())


def _changes(app: FastAPI) -> list[AuditEntry]:
    return [e for e in _audit(app) if e.event.action in CHANGES]


def _expected(role: str, kind: str, target: str) -> int:
    """The answer to an edit or a withdrawal of `target` (own, other, missing)."""
    if role == "public":
        return 401
    if role not in WRITERS[kind]:
        return 403
    if target == "missing":
        return 404
    if role == "admin" or target == "own":
        return 200
    return 403  # a public record of another organisation: seen, but not theirs to change


@pytest.mark.parametrize("kind", ["demands", "achievements"])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_publish_edit_and_withdraw_only_its_own_market_records(
    app: FastAPI, role: str, kind: str
) -> None:
    ids = _seed(app)
    headers = bearer_for(app, role)
    body = {**BODY[kind], OWNER_FIELD[kind]: OWNERS[kind]["own"]}
    before = len(_changes(app))
    changes = 0
    with TestClient(app) as client:
        created = client.post(f"/api/market/{kind}", json=body, headers=headers)
        want = 201 if role in WRITERS[kind] else 401 if role == "public" else 403
        assert created.status_code == want, created.text
        changes += created.status_code == 201
        for target in ("own", "other", "missing"):
            ident = MISSING_ID if target == "missing" else ids[f"{kind}/{target}"]
            edited = client.put(f"/api/market/{kind}/{ident}", json=body, headers=headers)
            assert edited.status_code == _expected(role, kind, target), (target, edited.text)
            gone = client.post(f"/api/market/{kind}/{ident}/withdraw", headers=headers)
            assert gone.status_code == _expected(role, kind, target), (target, gone.text)
            changes += 2 * (gone.status_code == 200)
    # Every change has exactly one audit entry; a refused one writes none.
    assert len(_changes(app)) - before == changes


def test_an_enterprise_edits_its_demand_and_the_audit_entry_names_what_changed(
    app: FastAPI,
) -> None:
    headers = bearer_for(app, "ent")
    with TestClient(app) as client:
        new_id = client.post("/api/market/demands", json=DEMAND, headers=headers).json()["id"]
        edited = {**DEMAND, "budget": 1200000, "problem": "湿度传感器长期漂移"}
        assert client.put(f"/api/market/demands/{new_id}", json=edited, headers=headers).json()
        shown = client.get(f"/api/market/demands/{new_id}", headers=headers).json()
    assert (shown["budget"], shown["problem"], shown["credit_code"]) == (
        1200000,
        "湿度传感器长期漂移",
        OWN,
    )
    published, change = (e.event for e in _changes(app)[-2:])
    assert (published.action, published.username, published.object) == (
        "published",
        "ent",
        f"demand:{new_id}",
    )
    assert (change.action, change.object) == ("record_edited", f"demand:{new_id}")
    assert set(json.loads(change.detail)["changed"]) == {"problem", "budget"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": (TODAY - timedelta(days=400)).isoformat()}, "deadline"),
        ({"problem": "   "}, "problem"),
    ],
)
def test_a_refused_edit_names_its_field_and_changes_nothing(
    app: FastAPI, change: dict[str, object], field: str
) -> None:
    headers = bearer_for(app, "ent")
    with TestClient(app) as client:
        new_id = client.post("/api/market/demands", json=DEMAND, headers=headers).json()["id"]
        entries = len(_changes(app))
        refused = client.put(
            f"/api/market/demands/{new_id}", json={**DEMAND, **change}, headers=headers
        )
        shown = client.get(f"/api/market/demands/{new_id}", headers=headers).json()
    assert refused.status_code == 422
    assert field in refused.text
    assert shown["problem"] == DEMAND["problem"]
    assert len(_changes(app)) == entries


@pytest.mark.parametrize("kind", ["demands", "achievements"])
def test_a_withdrawn_record_leaves_the_market_and_its_matches_at_once_but_keeps_its_history(
    app: FastAPI, kind: str
) -> None:
    owner = "ent" if kind == "demands" else "inst"
    headers, bureau = bearer_for(app, owner), bearer_for(app, "analyst")
    singular = kind[:-1]
    with TestClient(app) as client:
        new_id = client.post(f"/api/market/{kind}", json=BODY[kind], headers=headers).json()["id"]
        listed = client.get(f"/api/market/{kind}", headers=headers).json()
        assert new_id in [item["id"] for item in listed["items"]]
        assert client.get(f"/market/{kind}/{new_id}/matches").status_code == 200
        assert client.post(f"/api/market/{kind}/{new_id}/withdraw", headers=headers).json()
        for who in (headers, {}):
            listed = client.get(f"/api/market/{kind}", headers=who).json()
            assert new_id not in [item["id"] for item in listed["items"]]
            assert client.get(f"/api/market/{kind}/{new_id}", headers=who).status_code == 404
        assert client.get(f"/market/{kind}/{new_id}/matches").status_code == 404
        again = client.post(f"/api/market/{kind}/{new_id}/withdraw", headers=headers)
        assert again.status_code == 404  # gone for its owner too: nothing left to withdraw
        kept = client.get(f"/api/market/{kind}/{new_id}", headers=bureau).json()
    assert kept["withdrawn"] == TODAY.isoformat()
    actions = [e.event.action for e in _audit(app) if e.event.object == f"{singular}:{new_id}"]
    assert actions == ["published", "record_withdrawn"]


def test_a_withdrawn_achievement_is_never_a_match_and_leaves_its_institution_once_synced(
    app: FastAPI,
) -> None:
    inst, ent = bearer_for(app, "inst"), bearer_for(app, "ent")
    services = app.state.services
    with running_worker(services.database, services.settings), TestClient(app) as client:
        achievement = client.post("/api/market/achievements", json=ACHIEVEMENT, headers=inst)
        demand = client.post("/api/market/demands", json=DEMAND, headers=ent).json()["id"]
        client.get(f"/market/demands/{demand}/matches", headers=ent)  # the index is queued
        settle(services)
        found = client.get(f"/market/demands/{demand}/matches", headers=ent).text
        assert ACHIEVEMENT["title"] in found
        ident = achievement.json()["id"]
        assert f"/market/achievements/{ident}" in found  # matched, and linked
        assert client.post(f"/api/market/achievements/{ident}/withdraw", headers=inst).json()
        # Before the queued sync runs, the index still holds it: the hidden set keeps it out.
        found = client.get(f"/market/demands/{demand}/matches", headers=ent).text
        assert f"/market/achievements/{ident}" not in found
        settle(services)  # then its institution's description no longer carries its title
        found = client.get(f"/market/demands/{demand}/matches", headers=ent).text
    assert ACHIEVEMENT["title"] not in found


@pytest.mark.parametrize("role", ROLES)
def test_the_edit_and_withdraw_pages_are_the_owners(
    app: FastAPI, role: str, browser_client: Callable[[str], TestClient]
) -> None:
    ids = _seed(app)
    client = browser_client(role)
    client.get("/market")
    token = {"csrf_token": form_token(client), "confirmed": "yes", "reason": "重复发布"}
    for kind in ("demands", "achievements"):
        for target in ("own", "other", "missing"):
            ident = MISSING_ID if target == "missing" else ids[f"{kind}/{target}"]
            want = _expected(role, kind, target)
            if kind == "demands":
                # A page: the public is sent to sign in.
                form = client.get(f"/market/demands/{ident}/edit", follow_redirects=False)
                assert form.status_code == (303 if role == "public" else want)
            path = f"/market/{kind}/{ident}/withdraw"
            gone = client.post(path, data=token, follow_redirects=False)
            done = 303 if want == 200 else want  # a done withdrawal goes back to the list
            assert gone.status_code == done, (kind, target, gone.status_code)


CONTRACT = {
    "number": "3502002025000123",
    "title": "MEMS 湿度传感器技术许可",
    "seller": {"kind": "institution", "id": OWN_INSTITUTION},
    "buyer": {"kind": "enterprise", "id": OWN},
    "type": "licence",
    "value": 1500000,
    "signed": "2025-03-01",
    "registered": "2025-03-20",
}
COOPERATION = {
    "kind": "iur",
    "year": 2025,
    "title": "湿度传感器产学研合作",
    "lead": {"kind": "enterprise", "id": OWN},
    "partners": [{"kind": "institution", "id": OWN_INSTITUTION}],
    "funding": 2000000,
}


@pytest.mark.parametrize("role", ROLES)
def test_the_bureau_registers_contracts_and_cooperation_projects_and_no_one_else(
    app: FastAPI, role: str
) -> None:
    headers = bearer_for(app, role)
    want = 201 if role == "admin" else 401 if role == "public" else 403
    with TestClient(app) as client:
        contract = client.post("/api/market/contracts", json=CONTRACT, headers=headers)
        project = client.post("/api/market/cooperation", json=COOPERATION, headers=headers)
        assert (contract.status_code, project.status_code) == (want, want), contract.text
        if role != "admin":
            return
        again = client.post("/api/market/contracts", json=CONTRACT, headers=headers)
        unknown = {**CONTRACT, "number": "X-2", "demand_id": MISSING_ID}
        missing = client.post("/api/market/contracts", json=unknown, headers=headers)
        counts = client.get("/api/market/cooperation").json()
    assert again.status_code == 409
    assert (missing.status_code, "demand_id" in missing.text) == (422, True)
    assert counts["iur"] == {"2025": 1}
    created = [e.event.object for e in _audit(app) if e.event.action == "record_created"]
    assert created == [f"tech_contract:{contract.json()['id']}", "cooperation_projects"]


@pytest.mark.parametrize("role", ["admin", "analyst", "ent", "public"])
def test_the_bureau_withdraws_contracts_and_cooperation_projects_and_no_one_else(
    app: FastAPI, role: str
) -> None:
    admin = bearer_for(app, "admin")
    headers = bearer_for(app, role)
    with TestClient(app) as client:
        contract = client.post("/api/market/contracts", json=CONTRACT, headers=admin).json()
        assert (
            client.post("/api/market/cooperation", json=COOPERATION, headers=admin).status_code
            == 201
        )
        project_id = 1  # the first cooperation project of an empty registry
        paths = (
            f"/api/market/contracts/{contract['id']}/withdraw",
            f"/api/market/cooperation/{project_id}/withdraw",
        )
        answers = [client.post(path, headers=headers).status_code for path in paths]
        counts = client.get("/api/market/cooperation").json()
        listed = client.get("/api/market/contracts", headers=admin).json()
        again = client.post(paths[0], headers=headers).status_code
    withdrawn = [e.event.object for e in _audit(app) if e.event.action == "record_withdrawn"]
    if role == "admin":
        assert answers == [200, 200] and again == 404
        assert counts.get("iur", {}).get("2025", 0) == 0
        assert CONTRACT["number"] not in str(listed)
        assert withdrawn == [f"tech_contract:{contract['id']}", f"cooperation_project:{project_id}"]
    else:
        refused = 401 if role == "public" else 403
        assert answers == [refused, refused] and again == refused
        assert counts["iur"] == {"2025": 1} and withdrawn == []
