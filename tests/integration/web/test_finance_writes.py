"""The capital chain's write API: only a bureau administrator records funds, commitments,
investments, subsidies and payments, loans, policies and claims; each record has its audit
entry, and a refused one writes neither."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for
from tests.integration.web.fixtures import OWN
from tests.integration.web.test_market_matrix import ROLES

FUND = {"key": "xm_angel", "name": "厦门天使投资引导基金", "kind": "venture", "size": 5e8}
# Each write in the order a bureau would make them: later ones lean on earlier ones.
WRITES = [
    ("/api/finance/funds", FUND),
    (
        "/api/finance/funds/xm_angel/commitments",
        {"investor": "厦门市财政局", "amount": 2e8, "public": True, "on": "2025-01-10"},
    ),
    (
        "/api/finance/investments",
        {
            "investor": "厦门天使投资引导基金",
            "round": "angel",
            "amount": 3e6,
            "on": "2025-03-01",
            "fund": "xm_angel",
            "enterprise": OWN,
        },
    ),
    (
        "/api/finance/subsidies",
        {"programme": "科技小巨人", "amount": 5e5, "awarded": "2025-04-01", "enterprise": OWN},
    ),
    ("/api/finance/subsidies/1/disbursements", {"on": "2025-05-01", "amount": 2e5}),
    (
        "/api/finance/loans",
        {
            "bank": "兴业银行",
            "amount": 1e6,
            "on": "2025-06-01",
            "term_months": 24,
            "enterprise": OWN,
        },
    ),
    (
        "/api/finance/insurance/policies",
        {
            "insurer": "人保财险",
            "premium": 2e4,
            "cover": 1e6,
            "start": "2025-01-01",
            "end": "2026-12-31",
            "enterprise": OWN,
        },
    ),
    (
        "/api/finance/insurance/policies/1/claims",
        {"on": "2025-09-01", "amount": 3e5, "reason": "研发失败"},
    ),
]


def _created(app: FastAPI) -> list[str]:
    store = app.state.services.auth.audit.store
    return [e.event.object for e in store.in_order() if e.event.action == "record_created"]


def test_a_bureau_administrator_records_the_capital_chain_each_record_audited(
    app: FastAPI,
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        for path, body in WRITES:
            answer = client.post(path, json=body, headers=headers)
            assert answer.status_code == 201, (path, answer.text)
        funds = client.get("/api/finance/funds").json()
    assert any("xm_angel" in str(fund) for fund in funds)
    assert _created(app) == [
        "fund:xm_angel",
        "fund_commitment:1",
        f"investment:{OWN}",
        "subsidy:1",
        "subsidy_disbursement:1",
        f"loan:{OWN}",
        "insurance_policy:1",
        "insurance_claim:1",
    ]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_no_one_but_a_bureau_administrator_may_record_money(app: FastAPI, role: str) -> None:
    headers = bearer_for(app, role)
    with TestClient(app) as client:
        for path, body in WRITES:
            answer = client.post(path, json=body, headers=headers)
            assert answer.status_code == (401 if role == "public" else 403), path
    assert _created(app) == []


@pytest.mark.parametrize(
    ("path", "body", "status", "words"),
    [
        (
            "/api/finance/investments",
            {**WRITES[2][1], "enterprise": "91350200MA0000009X"},
            422,
            "no such enterprise",
        ),
        ("/api/finance/investments", {**WRITES[2][1], "amount": 9e8}, 409, "less than"),
        ("/api/finance/funds", FUND, 409, "exists"),
        ("/api/finance/subsidies/99/disbursements", WRITES[4][1], 404, "no subsidy 99"),
    ],
)
def test_a_refused_money_record_says_why_and_writes_nothing(
    app: FastAPI, path: str, body: dict[str, object], status: int, words: str
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        for setup_path, setup in WRITES[:2]:
            assert client.post(setup_path, json=setup, headers=headers).status_code == 201
        before = _created(app)
        answer = client.post(path, json=body, headers=headers)
    assert answer.status_code == status, answer.text
    assert words in answer.text
    assert _created(app) == before


# Each money record's edit (a new body) and withdrawal, after WRITES: record 1 of each kind.
CORRECTIONS = [
    ("/api/finance/investments/1", {**WRITES[2][1], "amount": 4e6}, "investment:1"),
    ("/api/finance/subsidies/1", {**WRITES[3][1], "amount": 6e5}, "subsidy:1"),
    ("/api/finance/loans/1", {**WRITES[5][1], "term_months": 36}, "loan:1"),
    ("/api/finance/insurance/policies/1", {**WRITES[6][1], "cover": 2e6}, "insurance_policy:1"),
]


def _audited(app: FastAPI, action: str) -> list[str]:
    store = app.state.services.auth.audit.store
    return [e.event.object for e in store.in_order() if e.event.action == action]


def _leverage(client: TestClient) -> str:
    return str(client.get("/api/finance/leverage").json())


def test_a_bureau_administrator_edits_and_withdraws_money_records_each_audited(
    app: FastAPI,
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        for path, body in WRITES:
            assert client.post(path, json=body, headers=headers).status_code == 201
        before = _leverage(client)
        for path, body, _ in CORRECTIONS:
            answer = client.put(path, json=body, headers=headers)
            assert answer.status_code == 200, (path, answer.text)
        edited = _leverage(client)
        assert edited != before
        for path, _, _ in CORRECTIONS:
            answer = client.post(f"{path}/withdraw", headers=headers)
            assert answer.status_code == 200, (path, answer.text)
            again = client.post(f"{path}/withdraw", headers=headers)
            assert again.status_code == 409 and "withdrawn" in again.text
            assert client.put(path, json=CORRECTIONS[0][1], headers=headers).status_code in (
                409,
                422,
            )
        assert _leverage(client) != edited
    objects = [obj for _, _, obj in CORRECTIONS]
    assert _audited(app, "record_edited") == objects
    assert _audited(app, "record_withdrawn") == objects
    assert '"amount":[3000000.0,4000000.0]' in str(
        [e.event.detail for e in app.state.services.auth.audit.store.in_order()]
    )


@pytest.mark.parametrize(
    ("path", "body", "status", "words"),
    [
        # past what its fund's investors committed (2 亿)
        ("/api/finance/investments/1", {**WRITES[2][1], "amount": 3e8}, 409, "the edit breaks"),
        # below what was already disbursed (20 万)
        ("/api/finance/subsidies/1", {**WRITES[3][1], "amount": 1e5}, 409, "the edit breaks"),
        (
            "/api/finance/loans/1",
            {**WRITES[5][1], "guarantee_fund": "xm_angel", "guaranteed_share": 0.5},
            422,
            "credit-enhancement",
        ),
        ("/api/finance/insurance/policies/9", WRITES[6][1], 404, "no insurance_policies"),
    ],
)
def test_a_refused_edit_says_why_and_changes_nothing(
    app: FastAPI, path: str, body: dict[str, object], status: int, words: str
) -> None:
    headers = bearer_for(app, "admin")
    with TestClient(app) as client:
        for setup_path, setup in WRITES:
            assert client.post(setup_path, json=setup, headers=headers).status_code == 201
        before = _leverage(client)
        answer = client.put(path, json=body, headers=headers)
        assert answer.status_code == status, answer.text
        assert words in answer.text
        assert _leverage(client) == before
    assert _audited(app, "record_edited") == []


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_no_one_but_a_bureau_administrator_corrects_money(app: FastAPI, role: str) -> None:
    admin = bearer_for(app, "admin")
    headers = bearer_for(app, role)
    with TestClient(app) as client:
        for path, body in WRITES:
            assert client.post(path, json=body, headers=admin).status_code == 201
        for path, body, _ in CORRECTIONS:
            assert client.put(path, json=body, headers=headers).status_code in (401, 403)
            answer = client.post(f"{path}/withdraw", headers=headers)
            assert answer.status_code == (401 if role == "public" else 403), path
    assert _audited(app, "record_edited") == _audited(app, "record_withdrawn") == []
