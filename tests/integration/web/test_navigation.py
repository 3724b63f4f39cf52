"""The menu follows the access policy: every role sees only links it may open, each answers
200, and each signed-in role lands on its own workspace (我的工作台)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI

from fourchain.entrypoints.web.access import access_for
from fourchain.entrypoints.web.templating import NAV
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import form_token
from tests.integration.web.fixtures import ACCOUNTS, PASSWORD

BUREAU_ONLY = ("/cultivation", "/indicators", "/reports", "/foresight", "/indicators/claims")
EVERYONE = ("/collaboration", "/collaboration/honours")


def _menu(client: TestClient) -> list[str]:
    page = client.get("/").text
    nav = page[page.index('<nav class="areas"') : page.index("</nav>")]
    return re.findall(r'<a href="([^"]+)"', nav)


def test_every_menu_entry_is_classified_by_the_access_policy() -> None:
    assert [item.href for item in NAV if access_for("GET", item.href) is None] == []


@pytest.mark.parametrize("key", list(ACCOUNTS))
def test_every_link_of_a_roles_menu_opens(
    app: FastAPI, browser_client: Callable[[str], TestClient], key: str
) -> None:
    client = browser_client(key)
    links = _menu(client)
    assert links, "the menu is empty"
    statuses = {href: client.get(href).status_code for href in links}
    assert {h: s for h, s in statuses.items() if s != 200} == {}
    if key in ("ent", "inst", "expert", "public"):
        assert not set(BUREAU_ONLY) & set(links)
    if key in ("admin", "analyst"):
        assert set(BUREAU_ONLY) <= set(links)
    assert ("/cultivation/self-check" in links) is (key == "ent")
    assert ("/admin/audit" in links) is (key == "admin")
    assert ("/workspace" in links) is (key != "public")
    assert set(EVERYONE) <= set(links)


@pytest.mark.parametrize(
    ("key", "section"),
    [
        ("ent", 'id="prescreen"'),
        ("inst", 'id="achievements"'),
        ("expert", 'id="reviews"'),
        ("admin", 'id="gates"'),
        ("analyst", 'id="drafts"'),
    ],
)
def test_each_role_lands_on_its_own_workspace_after_signing_in(
    sqlite_app: FastAPI, key: str, section: str
) -> None:
    with TestClient(sqlite_app) as client:
        client.get("/login")
        answer = client.post(
            "/login",
            data={
                "username": ACCOUNTS[key].username,
                "password": PASSWORD,
                "csrf_token": form_token(client),
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/workspace"
        page = client.get("/workspace")
        assert page.status_code == 200
        assert section in page.text


def test_the_public_is_sent_to_sign_in_from_the_workspace(sqlite_app: FastAPI) -> None:
    with TestClient(sqlite_app) as client:
        answer = client.get("/workspace", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login")
