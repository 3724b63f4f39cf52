"""Every role in Debian's Chromium over a small demo city: it lands on its own workspace, every
link of its menu opens (200), no page is wider than a 390-px phone, axe-core finds nothing
serious or critical, and every page is photographed at 1440×900 and 390×844
(test-artifacts/pages/). One server for the module."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.demo.city import build_demo_city
from fourchain.entrypoints.web.app import create_app
from fourchain.services.accounts import DEMO_PASSWORDS, ensure_demo_accounts
from tests.e2e.web.test_browser import ARGS, CHROMIUM, _chromium_or_skip, _free_port
from tests.integration.jobs.worker import running_worker
from tests.integration.web.conftest import FAST_HASHER, web_settings

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parents[3] / "test-artifacts" / "pages"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
USERS = {role.value: names for role, names in DEMO_PASSWORDS.items()}
ROLES = ("public", *USERS)
# Pages besides the menu's, opened by every role: lists and one object of each kind.
EXTRA = (
    "/enterprises?query=%E5%8E%A6%E9%97%A8",
    "/institutions",
    "/market/demands",
    "/market/achievements",
    "/market/challenges",
)
# The first object each list links to is opened too (a profile, a demand, a call …).
DETAILS = {
    "/enterprises": r"^/enterprises/[0-9A-Z]{18}$",
    "/market/demands": r"^/market/demands/\d+$",
    "/market/achievements": r"^/market/achievements/\d+$",
    "/market/challenges": r"^/market/challenges/\d+$",
    "/pipeline": r"^/pipeline/projects/[^/]+$",
}
# The forms each role may fill in.
FORMS = {
    "bureau_admin": ("/market/challenges/new", "/admin/users", "/pipeline/people"),
    "enterprise_user": ("/market/demands/new",),
    "institution_user": ("/market/achievements/new",),
}
# Serious or critical findings only (the bar); the rest are reported, not failed.
AXE_RUN = """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => v.impact + " " + v.id + ": " + v.nodes.slice(0, 3)
    .map(n => n.target.join(" ")).join(" | ")))"""
# What each role's workspace lists from the demo city (a row of its own in each).
DESK = {
    "bureau_admin": "#drafts li, #certificates tbody tr",
    "bureau_analyst": "#certificates tbody tr",
    "enterprise_user": "#demands tbody tr, #prescreen tbody tr",
    "institution_user": "#achievements tbody tr",
    "expert_reviewer": "#reviews tbody tr",
}
WIDER = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small demo city (scale 0.02) with one demo account per role, served on a free port
    with a job worker (the market's matches are built by jobs)."""
    database = open_database(sqlite_url(tmp_path_factory.mktemp("pages") / "demo.db"))
    build_demo_city(database, scale=0.02)
    settings = web_settings()
    app = create_app(database, settings)
    services = app.state.services
    services.auth.accounts.hasher = FAST_HASHER
    enterprise, institution = services.registry.views.reader.demo_bindings()
    ensure_demo_accounts(services.auth.accounts, datetime.now(UTC), enterprise, institution)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    with running_worker(database, settings):
        yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    database.dispose()


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"


def _sign_in(context: Any, base: str, role: str) -> Any:
    page = context.new_page()
    if role == "public":
        page.goto(f"{base}/")
        return page
    username, password = USERS[role]
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}/workspace")
    return page


@pytest.mark.parametrize("role", ROLES)
def test_every_role_lands_on_its_workspace_and_every_page_it_can_reach_is_fine(
    demo_server: str, role: str
) -> None:
    _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    base = demo_server
    out = ARTIFACTS / role
    out.mkdir(parents=True, exist_ok=True)
    axe_source = AXE.read_text(encoding="utf-8")
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            wide = browser.new_context(viewport=WIDE)
            page = _sign_in(wide, base, role)
            if role != "public":
                expect(page.locator("h1")).to_have_text("我的工作台")
                for selector in DESK[role].split(", "):
                    assert page.locator(selector).count() > 0, selector
            links = page.locator("nav.areas a[href]").evaluate_all(
                "nodes => nodes.map(n => n.getAttribute('href'))"
            )
            paths = list(dict.fromkeys([*links, *EXTRA, *FORMS.get(role, ())]))
            phone = browser.new_context(viewport=PHONE, storage_state=wide.storage_state())
            small = phone.new_page()
            for path in paths:
                for view, tab in (("1440", page), ("390", small)):
                    answer = tab.goto(f"{base}{path}")
                    status = answer.status if answer is not None else 0
                    if status != 200:
                        problems.append(f"{view} {path}: status {status}")
                        continue
                    tab.wait_for_load_state("networkidle")
                    pattern = DETAILS.get(path.split("?")[0])
                    if view == "1440" and pattern:
                        hrefs = tab.locator("main a[href]").evaluate_all(
                            "nodes => nodes.map(n => n.getAttribute('href'))"
                        )
                        first = next((h for h in hrefs if re.match(pattern, h)), None)
                        if first and first not in paths:
                            paths.append(first)
                    tab.screenshot(path=str(out / f"{_slug(path)}-{view}.png"), full_page=True)
                    if view == "390":
                        wider = tab.evaluate(WIDER)
                        if wider > 0:
                            problems.append(f"390 {path}: {wider}px wider than the phone")
                    tab.evaluate(axe_source)
                    problems += [f"{view} {path}: {v}" for v in tab.evaluate(AXE_RUN)]
            # The phone's menu is folded until its summary is tapped.
            small.goto(f"{base}/")
            expect(small.locator("nav.areas")).to_be_hidden()
            small.click("details.menu > summary")
            expect(small.locator("nav.areas")).to_be_visible()
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
