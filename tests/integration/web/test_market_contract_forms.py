"""The bureau's contract forms: an administrator registers a contract typing money and dates
as people do, corrects it, and withdraws it after confirming; a refused submit keeps what was
typed and names the field; every other role is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import form_token
from tests.integration.web.fixtures import OWN, OWN_INSTITUTION
from tests.integration.web.test_market_matrix import ROLES

TYPED = {
    "number": "2025-WEB-1",
    "title": "网页登记的技术合同",
    "seller": OWN_INSTITUTION,
    "buyer": OWN,
    "type": "licence",
    "value": "80万",
    "signed": "2025/3/1",
    "registered": "2025年3月20日",
}


def _post(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str, str]:
    client.get("/market")
    response = client.post(
        path, data={**data, "csrf_token": form_token(client)}, follow_redirects=False
    )
    return response.status_code, response.headers.get("location", ""), response.text


def _contracts(app: FastAPI) -> list[tuple[int, str, float, str]]:
    records = app.state.services.market.records
    from fourchain.domain.market import BUREAU_VIEWER

    return [
        (c.id, c.title, c.value, c.signed.isoformat())
        for c in records.contracts(BUREAU_VIEWER).items
    ]


def test_an_administrator_registers_edits_and_withdraws_a_contract(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("admin")
    page = client.get("/market/contracts").text
    assert 'href="/market/contracts/new"' in page
    status, where, _ = _post(client, "/market/contracts", TYPED)
    assert (status, where) == (303, "/market/contracts")
    ((contract_id, title, value, signed),) = _contracts(app)
    assert (title, value, signed) == ("网页登记的技术合同", 800_000.0, "2025-03-01")
    edit = client.get(f"/market/contracts/{contract_id}/edit").text
    assert "2025-WEB-1" in edit and 'value="800000"' in edit
    changed = {**TYPED, "value": "1,200,000", "title": "改正后的合同"}
    status, _, _ = _post(client, f"/market/contracts/{contract_id}/edit", changed)
    assert status == 303
    assert _contracts(app) == [(contract_id, "改正后的合同", 1_200_000.0, "2025-03-01")]
    withdraw = f"/market/contracts/{contract_id}/withdraw"
    status, _, asked = _post(client, withdraw, {})
    assert (status, "撤回该技术合同" in asked) == (200, True)
    assert len(_contracts(app)) == 1
    status, _, asked = _post(client, withdraw, {"confirmed": "yes"})
    assert status == 422 and 'id="f-reason-error"' in asked and len(_contracts(app)) == 1
    status, _, _ = _post(client, withdraw, {"confirmed": "yes", "reason": "合同登记有误"})
    assert status == 303 and _contracts(app) == []
    store = app.state.services.auth.audit.store
    assert any('"reason":"合同登记有误"' in e.event.detail for e in store.in_order())


@pytest.mark.parametrize(
    ("field", "bad"),
    [("value", "八十万"), ("signed", "3月1日"), ("buyer", "没有这个单位"), ("type", "")],
)
def test_a_refused_contract_keeps_what_was_typed_and_names_the_field(
    app: FastAPI, browser_client: Callable[[str], TestClient], field: str, bad: str
) -> None:
    client = browser_client("admin")
    status, _, page = _post(client, "/market/contracts", {**TYPED, field: bad})
    assert status == 422
    assert 'value="网页登记的技术合同"' in page and "2025-WEB-1" in page
    flagged = [
        chunk
        for chunk in page.split("has-error")[1:]
        if f'name="{field}"' in chunk.split("fs-field")[0]
    ]
    assert len(flagged) == 1, page
    assert bad in page  # the refused value itself is kept
    assert _contracts(app) == []


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_an_administrator_may_use_the_contract_forms(
    app: FastAPI, browser_client: Callable[[str], TestClient], role: str
) -> None:
    client = browser_client(role)
    refused = 401 if role == "public" else 403
    form = client.get("/market/contracts/new", follow_redirects=False)
    assert form.status_code == (303 if role == "public" else refused)  # public: to sign in
    assert _post(client, "/market/contracts", TYPED)[0] == refused
    assert _post(client, "/market/contracts/1/edit", TYPED)[0] == refused
    assert _post(client, "/market/contracts/1/withdraw", {"confirmed": "yes"})[0] == refused
    assert 'href="/market/contracts/new"' not in client.get("/market/contracts").text
    assert _contracts(app) == []


def test_the_contracts_table_sorts_by_its_headers(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("admin")
    for number, value in (("S-1", "300万"), ("S-2", "80万"), ("S-3", "0.1亿元")):
        assert (
            _post(client, "/market/contracts", {**TYPED, "number": number, "value": value})[0]
            == 303
        )

    def order(query: str) -> list[str]:
        page = client.get(f"/market/contracts?{query}").text
        return sorted(("S-1", "S-2", "S-3"), key=page.index)

    assert order("sort=value&dir=asc") == ["S-2", "S-1", "S-3"]
    assert order("sort=value&dir=desc") == ["S-3", "S-1", "S-2"]
    assert order("sort=number&dir=desc") == ["S-3", "S-2", "S-1"]
    assert order("sort=nonsense") == order("")  # an unknown key is the list's own order
    assert 'aria-sort="ascending"' in client.get("/market/contracts?sort=number").text
