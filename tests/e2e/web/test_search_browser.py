"""The global search from the header, in Chromium: a product word typed into the box on any
page finds the enterprise that makes it, grouped by kind, and its link opens the profile;
a list's pager jumps to a page. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from fourchain.adapters.db.tables import enterprises
from fourchain.bootstrap import Database
from tests.e2e.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _chromium_or_skip, server
from tests.integration.web.fixtures import OTHER

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the fixture, shared with the platform's browser test


def test_the_header_search_finds_an_enterprise_by_a_product_word(
    sqlite_database: Database, server: str
) -> None:
    _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    with sqlite_database.engine.begin() as connection:
        connection.execute(
            update(enterprises)
            .where(enterprises.c.credit_code == OTHER)
            .values(main_product="五轴数控机床主轴")
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(f"{server}/institutions")
            box = page.locator("header form.search-box input[type=search]")
            expect(box).to_be_visible()
            box.fill("数控机床")
            box.press("Enter")
            page.wait_for_url(f"{server}/search?q=*")
            group = page.locator("#found-enterprise")
            expect(group).to_contain_text("厦门远帆生物科技有限公司")
            expect(group).to_contain_text("五轴数控机床主轴")
            page.screenshot(path=str(ARTIFACTS / "search-product-word.png"), full_page=True)
            group.locator(f"a[href='/enterprises/{OTHER}']").click()
            expect(page.locator("h1")).to_have_text("厦门远帆生物科技有限公司")
            # the box keeps working from a profile; nothing found says so
            page.locator("header form.search-box input[type=search]").fill("无此产品词")
            page.locator("header form.search-box button").click()
            expect(page.locator("main .empty")).to_be_visible()
            assert not errors, errors
        finally:
            browser.close()
