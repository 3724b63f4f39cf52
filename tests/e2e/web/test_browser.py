"""Browser tests with Debian's Chromium: sign in, see the dashboard's charts drawn, switch to
English, open an enterprise profile, and be refused another enterprise's figures.
Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from fourchain.bootstrap import Database
from fourchain.entrypoints.web.app import create_app
from tests.integration.jobs.worker import running_worker
from tests.integration.web.conftest import add_accounts, web_settings
from tests.integration.web.fixtures import OTHER, OWN, PASSWORD, seed_registry

# FOURCHAIN_TEST_CHROMIUM names another Chromium, or hides it (a path that does not exist) to
# check what a machine without one does: skip with the reason, or fail in CI.
CHROMIUM = os.environ.get("FOURCHAIN_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parents[3] / "test-artifacts" / "browser"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

pytestmark = pytest.mark.browser


def _chromium_or_skip() -> None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if IN_CI:
        pytest.fail(f"{CHROMIUM} is required in CI (.ci/run installs Debian's chromium)")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium); required in CI")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(sqlite_database: Database) -> Iterator[str]:
    """The platform on a free local port, served by uvicorn in a thread, with a job worker."""
    seed_registry(sqlite_database.engine)
    settings = web_settings()
    app = create_app(sqlite_database, settings)
    add_accounts(app.state.services)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    with running_worker(sqlite_database, settings):
        yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


def test_an_enterprise_user_signs_in_sees_charts_switches_language_and_is_refused_others(
    server: str,
) -> None:
    _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            page.goto(f"{server}/login")
            page.fill("input[name=username]", "ent")
            page.fill("input[name=password]", PASSWORD)
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_url(f"{server}/workspace")
            page.goto(f"{server}/")
            expect(page.locator("h1")).to_have_text("科技创新体系概览")
            expect(page.locator(".chart[data-rendered=true]")).to_have_count(2, timeout=15000)
            assert page.locator(".chart canvas").count() == 2
            expect(page.locator(".who")).to_contain_text("ent")
            page.screenshot(path=str(ARTIFACTS / "1-dashboard-zh.png"), full_page=True)

            page.click("a[hreflang=en]")
            expect(page.locator("h1")).to_have_text("Innovation system overview")
            expect(page.locator(".chart[data-rendered=true]")).to_have_count(2, timeout=15000)
            page.screenshot(path=str(ARTIFACTS / "2-dashboard-en.png"), full_page=True)

            page.goto(f"{server}/enterprises")
            page.fill("input[name=query]", "星海")
            expect(page.locator("table.list tbody tr")).to_have_count(1, timeout=10000)
            page.click(f"a[href='/enterprises/{OWN}']")
            expect(page.locator("h1")).to_have_text("厦门星海微电子有限公司")
            expect(page.locator("#figures .chart[data-rendered=true]")).to_have_count(
                2, timeout=15000
            )
            expect(page.locator("#figures table")).to_contain_text("2025")
            page.screenshot(path=str(ARTIFACTS / "3-own-profile-en.png"), full_page=True)

            page.goto(f"{server}/enterprises/{OTHER}")
            expect(page.locator(".confidential")).to_be_visible()
            assert page.locator("#figures .chart").count() == 0
            page.screenshot(path=str(ARTIFACTS / "4-other-profile-en.png"), full_page=True)

            assert errors == []  # no script error and no missing asset on any page so far
            response = page.goto(f"{server}/enterprises/{OTHER}/figures")
            assert response is not None and response.status == 404
            expect(page.locator(".error-page h1")).to_have_text("页面或对象不存在")
            assert "987" not in page.content()
            page.screenshot(path=str(ARTIFACTS / "5-other-figures-refused.png"), full_page=True)
        finally:
            browser.close()
