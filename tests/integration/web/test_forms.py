"""The form system: a refused submit shows the same form again (422) with what was typed and
the error beside its field; a completed action is confirmed by a message after its redirect;
organisations are chosen by name from suggestions, never typed as `kind:code`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import form_token
from tests.integration.web.fixtures import OWN

DEADLINE = (date.today() + timedelta(days=60)).isoformat()
DEMAND = {
    "problem": "高精度温湿度传感器漂移",
    "description": "传感器在高湿环境下三个月内漂移超过 2%。",
    "field": "电子信息",
    "budget": "800000",
    "deadline": DEADLINE,
}

Clients = Callable[[str], TestClient]


def error_beside(html: str, field: str) -> str:
    """The error text tied to `field`'s input by aria-describedby ("" when there is none)."""
    tag = re.search(rf'<(?:input|textarea|select)[^>]*name="{field}"[^>]*>', html)
    assert tag, f"no field {field!r} on the page"
    described = re.search(r'aria-describedby="([^"]+)"', tag.group(0))
    if not described:
        return ""
    for ident in described.group(1).split():
        found = re.search(rf'id="{ident}"[^>]*>([^<]*)<', html)
        if found and ident.endswith("-error"):
            return found.group(1)
    return ""


def post_form(client: TestClient, page: str, action: str, data: dict[str, str]) -> object:
    client.get(page)
    return client.post(
        action, data={**data, "csrf_token": form_token(client)}, follow_redirects=False
    )


def test_a_refused_demand_keeps_what_was_typed_with_the_error_by_its_field(
    browser_client: Clients,
) -> None:
    ent = browser_client("ent")
    typed = {**DEMAND, "budget": "八十万元整"}
    refused = post_form(ent, "/market/demands/new", "/market/demands", typed)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    html = refused.text  # type: ignore[attr-defined]
    assert 'value="八十万元整"' in html
    assert f'value="{DEMAND["problem"]}"' in html
    assert DEMAND["description"] in html
    assert "不是数字" in error_beside(html, "budget")
    assert error_beside(html, "problem") == ""


def test_a_published_demand_is_confirmed_once_after_its_redirect(browser_client: Clients) -> None:
    ent = browser_client("ent")
    saved = post_form(ent, "/market/demands/new", "/market/demands", DEMAND)
    assert saved.status_code == 303  # type: ignore[attr-defined]
    shown = ent.get(saved.headers["location"])  # type: ignore[attr-defined]
    assert 'class="flash"' in shown.text
    assert "需求已发布" in shown.text
    again = ent.get(saved.headers["location"])  # type: ignore[attr-defined]
    assert 'class="flash"' not in again.text


def test_a_forged_confirmation_message_is_not_shown(browser_client: Clients) -> None:
    ent = browser_client("ent")
    ent.cookies.set("fc_flash", "5Lyq6YCg.0123456789abcdef0123456789abcdef")
    assert 'class="flash"' not in ent.get("/market").text


def test_the_bureau_picks_the_enterprise_by_name_from_suggestions(
    browser_client: Clients,
) -> None:
    admin = browser_client("admin")
    options = admin.get("/forms/options/organisations", params={"credit_code": "星海微"})
    assert "厦门星海微电子有限公司" in options.text
    unknown = post_form(
        admin, "/market/demands/new", "/market/demands", {**DEMAND, "credit_code": "不存在的公司"}
    )
    assert unknown.status_code == 422  # type: ignore[attr-defined]
    assert "不存在的公司" in error_beside(unknown.text, "credit_code")  # type: ignore[attr-defined]
    saved = post_form(
        admin,
        "/market/demands/new",
        "/market/demands",
        {**DEMAND, "credit_code": "厦门星海微电子有限公司"},
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    demand = admin.get(saved.headers["location"])  # type: ignore[attr-defined]
    assert "厦门星海微电子有限公司" in demand.text or OWN in demand.text


def test_suggestions_are_for_signed_in_users(app: FastAPI) -> None:
    with TestClient(app) as public:
        answer = public.get("/forms/options/organisations?q=厦门", follow_redirects=False)
    assert answer.status_code == 303
