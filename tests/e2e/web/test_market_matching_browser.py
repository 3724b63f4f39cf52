"""Matches in Debian's Chromium: an enterprise user opens one of its own (confidential) demands,
the matches section fills in through HTMX, and the achievement it lists opens on a click, with
the enterprises that may need it filling in on that page too. Screenshots go to
test-artifacts/browser/."""

from __future__ import annotations

import pytest

from fourchain.bootstrap import Database
from tests.e2e.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _chromium_or_skip, server
from tests.e2e.web.test_market_browser import _sign_in
from tests.integration.web.test_market_matching_pages import seed_matching

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the fixture, shared with the platform's browser test


def test_an_enterprise_user_sees_its_demands_matches_fill_in_and_opens_one(
    server: str, sqlite_database: Database
) -> None:
    _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    ids = seed_matching(sqlite_database)  # the server's database; no index built yet
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = _sign_in(browser, server, "ent")
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{server}/market/demands/{ids['own_secret_demand']}")
            expect(page.locator("h2#matches-title")).to_have_text("匹配")
            link = page.locator(f"#matches a[href='/market/achievements/{ids['solar']}']")
            expect(link).to_be_visible(timeout=30000)  # the worker builds the index; HTMX polls
            expect(page.locator("#matches h3")).to_have_text(["科技成果", "专家", "科研机构"])
            expect(page.locator("#matches .tag").first).to_be_visible()
            # The loading placeholder is gone; the filter's own busy indicator is hidden.
            assert page.locator("#matches > p progress").count() == 0
            expect(page.locator("#matches-busy")).to_be_hidden()
            page.screenshot(path=str(ARTIFACTS / "matching-1-demand-matches.png"), full_page=True)
            # A TRL range swaps the matches in place: the TRL 5 solar cell goes, then returns.
            page.select_option("select[name=trl_min]", "6")
            expect(link).to_have_count(0, timeout=15000)
            expect(page.locator("#matches h3")).to_have_text(["科技成果", "专家", "科研机构"])
            page.select_option("select[name=trl_min]", "")
            expect(link).to_be_visible(timeout=15000)

            link.click()
            page.wait_for_url(f"{server}/market/achievements/{ids['solar']}")
            expect(page.locator("h1")).to_have_text("钙钛矿叠层太阳能电池")
            expect(page.locator("#matches tr[data-kind=enterprise]").first).to_be_visible(
                timeout=15000
            )
            page.screenshot(
                path=str(ARTIFACTS / "matching-2-achievement-enterprises.png"), full_page=True
            )
            assert errors == []  # no script error, no CSP refusal, no failed request
        finally:
            browser.close()
