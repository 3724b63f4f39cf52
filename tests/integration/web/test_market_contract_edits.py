"""The bureau corrects technology contracts and cooperation projects through the API: every
role × edit, an unknown and a withdrawn record, a bad field named; the audit names what
changed."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from fourchain.domain.audit import details
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for
from tests.integration.web.test_market_matrix import MISSING_ID, ROLES
from tests.integration.web.test_market_writes import CONTRACT, COOPERATION, _audit


def _edits(app: FastAPI) -> list[tuple[str, str]]:
    return [
        (e.event.object, e.event.detail) for e in _audit(app) if e.event.action == "record_edited"
    ]


@pytest.mark.parametrize("role", ROLES)
def test_the_bureau_edits_contracts_and_cooperation_projects_and_no_one_else(
    app: FastAPI, role: str
) -> None:
    admin = bearer_for(app, "admin")
    headers = bearer_for(app, role)
    with TestClient(app) as client:
        contract_id = client.post("/api/market/contracts", json=CONTRACT, headers=admin).json()[
            "id"
        ]
        assert (
            client.post("/api/market/cooperation", json=COOPERATION, headers=admin).status_code
            == 201
        )
        project_id = 1  # the first cooperation project of an empty registry
        contract = client.put(
            f"/api/market/contracts/{contract_id}",
            json={**CONTRACT, "value": 900000, "title": "改正后的合同名称"},
            headers=headers,
        )
        project = client.put(
            f"/api/market/cooperation/{project_id}",
            json={**COOPERATION, "year": 2024},
            headers=headers,
        )
        listed = client.get("/api/market/contracts", headers=admin).json()
        counts = client.get("/api/market/cooperation").json()
    if role != "admin":
        refused = 401 if role == "public" else 403
        assert (contract.status_code, project.status_code) == (refused, refused)
        assert _edits(app) == [] and counts["iur"] == {"2025": 1}
        return
    assert (contract.status_code, project.status_code) == (200, 200), contract.text
    assert "改正后的合同名称" in str(listed) and "900000" in str(listed)
    assert counts["iur"] == {"2024": 1}
    assert _edits(app) == [
        (f"tech_contract:{contract_id}", details(changed=["title", "value"])),
        (f"cooperation_project:{project_id}", details(changed=["year"])),
    ]


def test_an_edit_names_a_bad_field_and_a_missing_or_withdrawn_record_is_404(
    app: FastAPI,
) -> None:
    admin = bearer_for(app, "admin")
    with TestClient(app) as client:
        contract_id = client.post("/api/market/contracts", json=CONTRACT, headers=admin).json()[
            "id"
        ]
        path = f"/api/market/contracts/{contract_id}"
        bad_value = client.put(path, json={**CONTRACT, "value": -1}, headers=admin)
        bad_buyer = {**CONTRACT, "buyer": {"kind": "enterprise", "id": "NOPE"}}
        unknown_buyer = client.put(path, json=bad_buyer, headers=admin)
        missing = client.put(f"/api/market/contracts/{MISSING_ID}", json=CONTRACT, headers=admin)
        missing_project = client.put(
            f"/api/market/cooperation/{MISSING_ID}", json=COOPERATION, headers=admin
        )
        assert client.post(f"{path}/withdraw", headers=admin).status_code == 200
        withdrawn = client.put(path, json=CONTRACT, headers=admin)
    assert (bad_value.status_code, "value" in bad_value.text) == (422, True)
    assert (unknown_buyer.status_code, "buyer" in unknown_buyer.text) == (422, True)
    assert (missing.status_code, missing_project.status_code) == (404, 404)
    assert withdrawn.status_code == 404
    assert _edits(app) == []
