"""Browser test with Debian's Chromium: the dashboard's district map is drawn from the vendored
boundaries, coloured by HNTE holders. Screenshot: test-artifacts/browser/dashboard-map-zh.png."""

from __future__ import annotations

import pytest

from tests.e2e.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _chromium_or_skip, server

__all__ = ["server"]  # the fixture, shared with the other browser tests

pytestmark = pytest.mark.browser


def test_the_dashboard_shows_the_districts_on_a_map(server: str) -> None:
    _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            page.goto(f"{server}/")
            expect(page.locator("#district-map[data-rendered=true]")).to_have_count(
                1, timeout=15000
            )
            assert page.locator("#district-map canvas").count() == 1
            table = page.locator(".district-map table")
            expect(table).to_contain_text("思明")
            figures = page.locator(".district-map tbody td.num").all_inner_texts()
            assert figures and all(f.replace(",", "").isdigit() for f in figures)
            page.locator("#district-map").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "dashboard-map-zh.png"), full_page=True)
        finally:
            browser.close()
        assert errors == []
