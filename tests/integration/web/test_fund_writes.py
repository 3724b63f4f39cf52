"""A fund's edit and withdrawal through the API, and the withdrawal of a fund commitment, a
subsidy disbursement and an insurance claim entered in error: bureau administrators only, each
audited, and the figures leave a withdrawn record out at once."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for
from tests.integration.web.test_finance_writes import FUND, WRITES, _audited, _leverage
from tests.integration.web.test_market_matrix import ROLES

FUND_EDIT = {"name": "厦门天使基金（更名）", "kind": "venture", "size": 6e8}
PARTS = [
    ("/api/finance/funds/xm_angel/commitments/1/withdraw", "fund_commitment:1"),
    ("/api/finance/subsidies/1/disbursements/1/withdraw", "subsidy_disbursement:1"),
    ("/api/finance/insurance/policies/1/claims/1/withdraw", "insurance_claim:1"),
]


def _figures(client: TestClient) -> str:
    """Leverage (disbursed and claimed money) and the funds list (committed money)."""
    return _leverage(client) + str(client.get("/api/finance/funds").json())


def _record(client: TestClient, headers: dict[str, str]) -> None:
    for path, body in WRITES:
        assert client.post(path, json=body, headers=headers).status_code == 201, path


def test_a_fund_is_edited_then_withdrawn_once_its_investment_is(app: FastAPI) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        _record(client, headers)
        answer = client.put("/api/finance/funds/xm_angel", json=FUND_EDIT, headers=headers)
        assert answer.status_code == 200, answer.text
        assert "更名" in str(client.get("/api/finance/funds").json())
        refused = client.post("/api/finance/funds/xm_angel/withdraw", headers=headers)
        assert refused.status_code == 409
        assert "1 笔投资" in refused.text and "1 investments" in refused.text
        assert "xm_angel" in str(client.get("/api/finance/funds").json())
        before = _leverage(client)
        assert client.post("/api/finance/investments/1/withdraw", headers=headers).is_success
        answer = client.post("/api/finance/funds/xm_angel/withdraw", headers=headers)
        assert answer.status_code == 200, answer.text
        assert "xm_angel" not in str(client.get("/api/finance/funds").json())
        portfolio = client.get("/api/finance/funds/xm_angel/portfolio", headers=headers)
        assert portfolio.status_code == 404
        assert _leverage(client) != before
        again = client.post("/api/finance/funds/xm_angel/withdraw", headers=headers)
        assert again.status_code == 409 and "withdrawn" in again.text
        edit = client.put("/api/finance/funds/xm_angel", json=FUND_EDIT, headers=headers)
        assert edit.status_code == 409
    assert _audited(app, "record_edited") == ["fund:xm_angel"]
    assert _audited(app, "record_withdrawn") == ["investment:1", "fund:xm_angel"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        # below what its investors committed (2 亿)
        ({**FUND_EDIT, "size": 1e8}, 409, "the edit breaks"),
        ({**FUND_EDIT, "parent": "xm_angel"}, 422, "cycle"),
        ({**FUND_EDIT, "parent": "nowhere"}, 422, "no fund nowhere"),
    ],
)
def test_a_refused_fund_edit_says_why_and_changes_nothing(
    app: FastAPI, body: dict[str, object], status: int, words: str
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        _record(client, headers)
        before = client.get("/api/finance/funds").json()
        answer = client.put("/api/finance/funds/xm_angel", json=body, headers=headers)
        assert answer.status_code == status, answer.text
        assert words in answer.text
        assert client.get("/api/finance/funds").json() == before
        missing = client.put("/api/finance/funds/nowhere", json=FUND_EDIT, headers=headers)
        assert missing.status_code == 404
    assert _audited(app, "record_edited") == []


def test_a_commitment_a_disbursement_and_a_claim_are_withdrawn_each_audited(
    app: FastAPI,
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        _record(client, headers)
        # the fund's commitment backs its investment: refused while that is live
        refused = client.post(PARTS[0][0], headers=headers)
        assert refused.status_code == 409 and "breaks the book" in refused.text
        assert client.post("/api/finance/investments/1/withdraw", headers=headers).is_success
        for path, _ in PARTS:
            before = _figures(client)
            # the right record under the wrong parent is not found
            wrong = (
                path.replace("xm_angel", "other").replace("/1/d", "/2/d").replace("/1/c", "/2/c")
            )
            assert client.post(wrong, headers=headers).status_code == 404, wrong
            answer = client.post(path, headers=headers)
            assert answer.status_code == 200, (path, answer.text)
            assert _figures(client) != before, path
            again = client.post(path, headers=headers)
            assert again.status_code == 409 and "withdrawn" in again.text
    assert _audited(app, "record_withdrawn") == ["investment:1", *(obj for _, obj in PARTS)]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_no_one_but_a_bureau_administrator_edits_or_withdraws_funds(
    app: FastAPI, role: str
) -> None:
    admin = bearer_for(app, "admin")
    headers = bearer_for(app, role)
    with TestClient(app) as client:
        _record(client, admin)
        put = client.put("/api/finance/funds/xm_angel", json=FUND_EDIT, headers=headers)
        assert put.status_code in (401, 403)
        for path in ["/api/finance/funds/xm_angel/withdraw", *(p for p, _ in PARTS)]:
            answer = client.post(path, headers=headers)
            assert answer.status_code == (401 if role == "public" else 403), path
    assert _audited(app, "record_edited") == _audited(app, "record_withdrawn") == []
    assert FUND["key"] == "xm_angel"
