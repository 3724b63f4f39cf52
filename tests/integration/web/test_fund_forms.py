"""A fund recorded, edited and withdrawn in the browser: an administrator records one from the
funds list and finds the edit and the withdrawal on the fund's page; a refused submit shows the
form again with what was typed, and the withdrawal (once confirmed with a reason, and once the
fund's investment is withdrawn) takes the fund off the funds list; no one else reaches the
forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for, form_token
from tests.integration.web.fixtures import ACCOUNTS
from tests.integration.web.test_finance_forms import TYPED, _audited, _fund

EDIT = {"name": "厦门天使基金二期", "kind": "venture", "size": "6亿元", "parent": ""}


def _post(client: TestClient, path: str, data: dict[str, str]) -> object:
    client.get("/finance/funds/xm_angel/edit")
    body = {"csrf_token": form_token(client), **data}
    return client.post(path, data=body, follow_redirects=False)


def test_an_administrator_edits_and_withdraws_a_fund_in_the_browser(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    _fund(app)
    client = browser_client("admin")
    page = client.get("/finance/funds/xm_angel").text
    assert "/finance/funds/xm_angel/edit" in page and "/finance/funds/xm_angel/withdraw" in page
    form = client.get("/finance/funds/xm_angel/edit")
    assert form.status_code == 200 and 'value="500000000"' in form.text
    # words where a number belongs: the same form, what was typed kept, the reason by size
    refused = _post(client, "/finance/funds/xm_angel/edit", {**EDIT, "size": "六亿"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'value="六亿"' in refused.text and 'id="f-size-error"' in refused.text  # type: ignore[attr-defined]
    edited = _post(client, "/finance/funds/xm_angel/edit", EDIT)
    assert edited.status_code == 303  # type: ignore[attr-defined]
    assert "厦门天使基金二期" in client.get("/finance").text
    # an investment rests on it: the withdrawal is refused, saying so
    assert _post(client, "/finance/investments", TYPED).status_code == 303  # type: ignore[attr-defined]
    unconfirmed = _post(client, "/finance/funds/xm_angel/withdraw", {})
    assert 'name="confirmed" value="yes"' in unconfirmed.text  # type: ignore[attr-defined]
    confirmed = {"confirmed": "yes", "reason": "基金未设立"}
    blocked = _post(client, "/finance/funds/xm_angel/withdraw", confirmed)
    assert blocked.status_code == 409  # type: ignore[attr-defined]
    assert "1 笔投资" in blocked.text or "1 investments" in blocked.text  # type: ignore[attr-defined]
    assert "基金未设立" in blocked.text  # type: ignore[attr-defined]  # the reason typed is kept
    assert _post(client, "/finance/investments/1/withdraw", confirmed).status_code == 303  # type: ignore[attr-defined]
    withdrawn = _post(client, "/finance/funds/xm_angel/withdraw", confirmed)
    assert withdrawn.status_code == 303  # type: ignore[attr-defined]
    assert "厦门天使基金二期" not in client.get("/finance").text
    assert client.get("/finance/funds/xm_angel/edit").status_code == 404
    assert [a for a in _audited(app) if a[1].startswith("fund:")][-2:] == [
        ("record_edited", "fund:xm_angel"),
        ("record_withdrawn", "fund:xm_angel"),
    ]


@pytest.mark.parametrize("role", [r for r in ACCOUNTS if r != "admin"])
def test_no_one_but_an_administrator_edits_or_withdraws_a_fund(
    app: FastAPI, browser_client: Callable[[str], TestClient], role: str
) -> None:
    _fund(app)
    client = browser_client(role)
    answer = client.get("/finance/funds/xm_angel/edit", follow_redirects=False)
    assert answer.status_code in (303, 401, 403)
    client.get("/")
    token = form_token(client)
    for path, data in (("edit", EDIT), ("withdraw", {"confirmed": "yes"})):
        body = {"csrf_token": token, **data}
        posted = client.post(f"/finance/funds/xm_angel/{path}", data=body, follow_redirects=False)
        assert posted.status_code in (401, 403), path
    assert [
        a for a in _audited(app) if a[1].startswith("fund:xm_angel") and a[0] != "record_created"
    ] == []
    assert bearer_for(app, "admin")


NEW = {
    "key": "xm_seed",
    "name": "厦门种子基金",
    "kind": "tech_innovation",
    "size": "2亿元",
    "parent": "xm_angel",
}


def _post_new(client: TestClient, data: dict[str, str]) -> object:
    client.get("/finance/funds/new")
    body = {"csrf_token": form_token(client), **data}
    return client.post("/finance/funds", data=body, follow_redirects=False)


def test_an_administrator_records_a_fund_from_the_funds_list(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    _fund(app)
    client = browser_client("admin")
    assert 'href="/finance/funds/new"' in client.get("/finance").text
    form = client.get("/finance/funds/new")
    assert form.status_code == 200 and 'name="key"' in form.text
    # words where a number belongs: the same form, everything typed kept, the reason by size
    refused = _post_new(client, {**NEW, "size": "两亿"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    page = refused.text  # type: ignore[attr-defined]
    assert 'id="f-size-error"' in page and 'value="两亿"' in page
    assert 'value="xm_seed"' in page and 'value="厦门种子基金"' in page
    assert 'value="xm_angel" selected' in page and 'value="tech_innovation" selected' in page
    bad_key = _post_new(client, {**NEW, "key": "厦门 种子"})
    assert bad_key.status_code == 422 and 'id="f-key-error"' in bad_key.text  # type: ignore[attr-defined]
    taken = _post_new(client, {**NEW, "key": "xm_angel"})
    assert taken.status_code == 409 and 'id="f-key-error"' in taken.text  # type: ignore[attr-defined]
    assert 'value="厦门种子基金"' in taken.text  # type: ignore[attr-defined]
    made = _post_new(client, NEW)
    assert made.status_code == 303  # type: ignore[attr-defined]
    assert made.headers["location"] == "/finance/funds/xm_seed"  # type: ignore[attr-defined]
    shown = client.get("/finance/funds/xm_seed").text
    assert "厦门种子基金" in shown and ("基金已登记" in shown or "The fund was recorded." in shown)
    assert "厦门种子基金" in client.get("/finance").text
    edit = client.get("/finance/funds/xm_seed/edit").text  # saved as typed: 2亿元, under xm_angel
    assert 'value="200000000"' in edit and 'value="xm_angel" selected' in edit
    assert [a for a in _audited(app) if a == ("record_created", "fund:xm_seed")] == [
        ("record_created", "fund:xm_seed")
    ]


@pytest.mark.parametrize("role", [r for r in ACCOUNTS if r != "admin"])
def test_no_one_but_an_administrator_records_a_fund(
    app: FastAPI, browser_client: Callable[[str], TestClient], role: str
) -> None:
    _fund(app)
    client = browser_client(role)
    answer = client.get("/finance/funds/new", follow_redirects=False)
    assert answer.status_code in (303, 401, 403)
    assert 'href="/finance/funds/new"' not in client.get("/finance").text
    client.get("/")
    body = {"csrf_token": form_token(client), **NEW}
    posted = client.post("/finance/funds", data=body, follow_redirects=False)
    assert posted.status_code in (401, 403)
    assert ("record_created", "fund:xm_seed") not in _audited(app)
