"""A fund's commitments, a subsidy's disbursements and a policy's claims through the API: each
recorded answers its id, each is listed with it (bureau staff only) and withdrawn by it; every
API withdrawal (finance, market, pipeline) keeps the reason its body gives in the audit entry."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for
from tests.integration.web.fixtures import ACCOUNTS, OWN
from tests.integration.web.test_finance_writes import WRITES
from tests.integration.web.test_market_writes import CONTRACT, DEMAND
from tests.integration.web.test_pipeline_desk import CONVERSION, PERSON, PROJECT

COMMITMENTS = "/api/finance/funds/xm_angel/commitments"
DISBURSEMENTS = "/api/finance/subsidies/1/disbursements"
CLAIMS = "/api/finance/insurance/policies/1/claims"
LISTS = [COMMITMENTS, DISBURSEMENTS, CLAIMS]


def _withdrawn(app: FastAPI) -> dict[str, dict[str, object]]:
    """Each withdrawal's audit detail, by its object."""
    store = app.state.services.auth.audit.store
    return {
        e.event.object: json.loads(e.event.detail) if e.event.detail.startswith("{") else {}
        for e in store.in_order()
        if e.event.action == "record_withdrawn"
    }


def test_each_part_recorded_answers_its_id_is_listed_with_it_and_withdrawn_by_it(
    app: FastAPI,
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        answers = {}
        for path, body in WRITES:
            answer = client.post(path, json=body, headers=headers)
            assert answer.status_code == 201, (path, answer.text)
            answers[path] = answer.json()
        assert [answers[p] for p in LISTS] == [{"id": 1, "ok": True}] * 3
        second = {"investor": "厦门国资", "amount": 1e8, "public": True, "on": "2025-02-01"}
        answer = client.post(COMMITMENTS, json=second, headers=headers)
        assert answer.status_code == 201 and answer.json() == {"id": 2, "ok": True}

        listed = client.get(COMMITMENTS, headers=headers).json()
        assert [(c["id"], c["investor"], c["amount"], c["on"]) for c in listed] == [
            (1, "厦门市财政局", 2e8, "2025-01-10"),
            (2, "厦门国资", 1e8, "2025-02-01"),
        ]
        [paid] = client.get(DISBURSEMENTS, headers=headers).json()
        assert paid == {"id": 1, "subsidy_id": 1, "on": "2025-05-01", "amount": 2e5}
        [claimed] = client.get(CLAIMS, headers=headers).json()
        assert (claimed["id"], claimed["reason"], claimed["amount"]) == (1, "研发失败", 3e5)

        # the id listed is the one its withdrawal takes; the list leaves it out at once
        gone = client.post(
            f"{COMMITMENTS}/2/withdraw", json={"reason": "重复录入"}, headers=headers
        )
        assert gone.status_code == 200, gone.text
        assert [c["id"] for c in client.get(COMMITMENTS, headers=headers).json()] == [1]
        gone = client.post(f"{DISBURSEMENTS}/1/withdraw", headers=headers)  # no body: no reason
        assert gone.status_code == 200, gone.text
        assert client.get(DISBURSEMENTS, headers=headers).json() == []
    withdrawn = _withdrawn(app)
    assert withdrawn["fund_commitment:2"]["reason"] == "重复录入"
    assert "reason" not in withdrawn["subsidy_disbursement:1"]


def test_a_missing_or_withdrawn_owner_has_no_parts_to_list(app: FastAPI) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        for path in (
            "/api/finance/funds/nowhere/commitments",
            *(p.replace("/1/", "/9/") for p in LISTS[1:]),
        ):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 404, (path, answer.text)
        for path, body in WRITES:
            assert client.post(path, json=body, headers=headers).status_code == 201
        assert client.post("/api/finance/insurance/policies/1/withdraw", headers=headers).is_success
        assert client.get(CLAIMS, headers=headers).status_code == 404


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_only_bureau_staff_list_the_parts(app: FastAPI, role: str) -> None:
    with TestClient(app) as client:
        for path, body in WRITES:
            assert client.post(path, json=body, headers=bearer_for(app, "admin")).is_success
        headers = bearer_for(app, role)
        expected = {"public": 401, "admin": 200, "analyst": 200}.get(role, 403)
        for path in LISTS:
            answer = client.get(path, headers=headers)
            assert answer.status_code == expected, (path, answer.text)
            if expected != 200:
                assert "研发失败" not in answer.text and "厦门市财政局" not in answer.text


def test_every_api_withdrawal_keeps_the_reason_its_body_gives(app: FastAPI) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        for path, body in WRITES:
            assert client.post(path, json=body, headers=headers).status_code == 201
        made = [
            ("/api/pipeline/projects", PROJECT),
            ("/api/people", PERSON),
            ("/api/pipeline/conversions", CONVERSION),
            ("/api/market/contracts", CONTRACT),
            ("/api/market/demands", {**DEMAND, "credit_code": OWN}),
        ]
        ids = {}
        for path, body in made:
            answer = client.post(path, json=body, headers=headers)
            assert answer.status_code == 201, (path, answer.text)
            ids[path] = answer.json().get("id")
        conversion, contract, demand = (
            ids[f"/api/{p}"] for p in ("pipeline/conversions", "market/contracts", "market/demands")
        )
        withdrawals = {
            "/api/finance/investments/1/withdraw": "investment:1",
            "/api/finance/funds/xm_angel/withdraw": "fund:xm_angel",
            "/api/finance/loans/1/withdraw": "loan:1",
            "/api/finance/insurance/policies/1/claims/1/withdraw": "insurance_claim:1",
            f"/api/pipeline/conversions/{conversion}/withdraw": f"conversion_project:{conversion}",
            "/api/pipeline/projects/NP1/withdraw": "pipeline_project:NP1",
            "/api/people/PX1/withdraw": "person:PX1",
            f"/api/market/contracts/{contract}/withdraw": f"tech_contract:{contract}",
            f"/api/market/demands/{demand}/withdraw": f"demand:{demand}",
        }
        for path, obj in withdrawals.items():
            reason = f"录入有误 {obj}"
            answer = client.post(path, json={"reason": reason}, headers=headers)
            assert answer.status_code == 200, (path, answer.text)
        too_long = client.post(
            "/api/finance/subsidies/1/withdraw", json={"reason": "长" * 1001}, headers=headers
        )
        assert too_long.status_code == 422
    withdrawn = _withdrawn(app)
    for obj in withdrawals.values():
        assert withdrawn[obj]["reason"] == f"录入有误 {obj}", obj
    assert "subsidy:1" not in withdrawn
