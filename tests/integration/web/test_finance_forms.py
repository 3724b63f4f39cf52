"""The bureau's investment forms in the browser: an administrator records an investment, a
refused submit shows the same form with what was typed and the reason by its field, then edits
and (once confirmed) withdraws it, each with its confirmation message and audit entry; no one
else reaches the forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for, form_token
from tests.integration.web.fixtures import ACCOUNTS, OWN

ROLES = list(ACCOUNTS)
TYPED = {
    "investor": "厦门天使投资引导基金",
    "round": "天使轮",
    "amount": "300万",
    "on": "2025-03-01",
    "fund": "xm_angel",
    "project": "",
    "enterprise": OWN,
}


def _fund(app: FastAPI) -> None:
    headers = bearer_for(app, "admin")
    fund = {"key": "xm_angel", "name": "厦门天使投资引导基金", "kind": "venture", "size": 5e8}
    commitment = {"investor": "厦门市财政局", "amount": 2e8, "public": True, "on": "2025-01-10"}
    with TestClient(app) as client:
        assert client.post("/api/finance/funds", json=fund, headers=headers).status_code == 201
        path = "/api/finance/funds/xm_angel/commitments"
        assert client.post(path, json=commitment, headers=headers).status_code == 201


def _post(client: TestClient, path: str, data: dict[str, str]) -> object:
    client.get("/finance/investments/new")
    body = {"csrf_token": form_token(client), **data}
    return client.post(path, data=body, follow_redirects=False)


def _audited(app: FastAPI) -> list[tuple[str, str]]:
    store = app.state.services.auth.audit.store
    kept = ("record_created", "record_edited", "record_withdrawn")
    return [(e.event.action, e.event.object) for e in store.in_order() if e.event.action in kept]


def test_an_administrator_records_edits_and_withdraws_an_investment_in_the_browser(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    _fund(app)
    client = browser_client("admin")
    assert client.get("/finance/investments/new").status_code == 200
    # words where a number belongs: the same form, what was typed kept, the reason by amount
    refused = _post(client, "/finance/investments", {**TYPED, "amount": "八十万"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    page = refused.text  # type: ignore[attr-defined]
    assert 'value="厦门天使投资引导基金"' in page and 'value="八十万"' in page
    assert 'id="f-amount-error"' in page
    # beyond what the fund's investors committed: the desk refuses (409), shown on the form
    beyond = _post(client, "/finance/investments", {**TYPED, "amount": "3亿元"})
    assert beyond.status_code == 409 and "f-fund-error" not in beyond.text  # type: ignore[attr-defined]
    made = _post(client, "/finance/investments", TYPED)
    assert made.status_code == 303  # type: ignore[attr-defined]
    listed = client.get("/finance/investments")
    assert "3,000,000" not in listed.text and "300.00" in listed.text  # 万元
    assert "投资已登记" in listed.text or "The investment was recorded." in listed.text
    edit = client.get("/finance/investments/1/edit")
    assert 'value="3000000"' in edit.text
    edited = _post(client, "/finance/investments/1/edit", {**TYPED, "amount": "400万"})
    assert edited.status_code == 303  # type: ignore[attr-defined]
    assert "400.00" in client.get("/finance/investments").text
    unconfirmed = _post(client, "/finance/investments/1/withdraw", {})
    assert unconfirmed.status_code == 200  # type: ignore[attr-defined]  # asked once more
    assert 'name="confirmed" value="yes"' in unconfirmed.text  # type: ignore[attr-defined]
    assert "400.00" in client.get("/finance/investments").text  # nothing withdrawn yet
    # confirmed without a reason: asked again, the reason's field says why
    bare = _post(client, "/finance/investments/1/withdraw", {"confirmed": "yes", "reason": " "})
    assert bare.status_code == 422 and 'id="f-reason-error"' in bare.text  # type: ignore[attr-defined]
    assert "400.00" in client.get("/finance/investments").text
    confirmed = {"confirmed": "yes", "reason": "重复登记"}
    withdrawn = _post(client, "/finance/investments/1/withdraw", confirmed)
    assert withdrawn.status_code == 303  # type: ignore[attr-defined]
    assert "400.00" not in client.get("/finance/investments").text
    store = app.state.services.auth.audit.store
    assert any('"reason":"重复登记"' in e.event.detail for e in store.in_order())
    assert [a for a in _audited(app) if a[1].startswith("investment")] == [
        ("record_created", f"investment:{OWN}"),
        ("record_edited", "investment:1"),
        ("record_withdrawn", "investment:1"),
    ]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_no_one_but_an_administrator_reaches_the_investment_forms(
    app: FastAPI, browser_client: Callable[[str], TestClient], role: str
) -> None:
    _fund(app)
    client = browser_client(role)
    for path in ("/finance/investments", "/finance/investments/new"):
        assert client.get(path, follow_redirects=False).status_code in (303, 401, 403), path
    client.get("/")
    body = {"csrf_token": form_token(client), **TYPED}
    answer = client.post("/finance/investments", data=body, follow_redirects=False)
    assert answer.status_code in (401, 403)
    assert [a for a in _audited(app) if a[1].startswith("investment")] == []


@pytest.mark.parametrize(
    ("path", "typed", "bad", "edit", "shown"),
    [
        (
            "subsidies",
            {"programme": "科技小巨人", "amount": "50万", "on": "2025-04-01",
             "conditions": "", "project": "", "enterprise": OWN},
            {"on": "2025年13月1日"},
            {"amount": "60万"},
            "60.00",
        ),
        (
            "loans",
            {"bank": "兴业银行", "amount": "100万", "on": "2025-06-01", "term_months": "24",
             "guarantee_fund": "", "guaranteed_share": "", "project": "", "enterprise": OWN},
            {"term_months": "两年"},
            {"term_months": "36"},
            ">36<",
        ),
        (
            "insurance",
            {"insurer": "人保财险", "amount": "2万", "cover": "100万", "on": "2025-01-01",
             "ends": "2026-12-31", "project": "", "enterprise": OWN},
            {"cover": "一百万"},
            {"cover": "200万"},
            "200.00",
        ),
    ],
)  # fmt: skip
def test_subsidies_and_loans_have_the_same_forms(
    app: FastAPI,
    browser_client: Callable[[str], TestClient],
    path: str,
    typed: dict[str, str],
    bad: dict[str, str],
    edit: dict[str, str],
    shown: str,
) -> None:
    client = browser_client("admin")
    refused = _post(client, f"/finance/{path}", {**typed, **bad})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    (field,) = bad
    assert f'value="{bad[field]}"' in refused.text  # type: ignore[attr-defined]
    assert f'id="f-{field}-error"' in refused.text  # type: ignore[attr-defined]
    assert _post(client, f"/finance/{path}", typed).status_code == 303  # type: ignore[attr-defined]
    assert client.get(f"/finance/{path}/1/edit").status_code == 200
    edited = _post(client, f"/finance/{path}/1/edit", {**typed, **edit})
    assert edited.status_code == 303  # type: ignore[attr-defined]
    assert shown in client.get(f"/finance/{path}").text
    withdrawn = _post(client, f"/finance/{path}/1/withdraw", {"confirmed": "yes", "reason": "错录"})
    assert withdrawn.status_code == 303  # type: ignore[attr-defined]
    assert shown not in client.get(f"/finance/{path}").text
    actions = [a for a, _ in _audited(app)]
    assert actions == ["record_created", "record_edited", "record_withdrawn"]
