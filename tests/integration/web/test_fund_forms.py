"""A fund's edit and withdrawal in the browser: an administrator finds both on the fund's page,
a refused edit shows the form again with what was typed, and the withdrawal (once confirmed, and
once the fund's investment is withdrawn) takes the fund off the funds list; no one else reaches
the forms."""

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
