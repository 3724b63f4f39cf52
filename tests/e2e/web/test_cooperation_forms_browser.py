"""A cooperation project's pages in Debian's Chromium, as a bureau administrator: the lead and
a partner typed by name, a refused submit that keeps what was typed with the reason by its
field, a save, an edit, and a withdrawal asked once more with its reason. Screenshots go to
test-artifacts/browser/."""

from __future__ import annotations

import pytest

from fourchain.bootstrap import Database
from tests.e2e.web.test_browser import ARTIFACTS, server
from tests.e2e.web.test_market_browser import _submit, signed_in

pytestmark = pytest.mark.browser
__all__ = ["server"]


def test_an_administrator_records_edits_and_withdraws_a_cooperation_project_in_the_browser(
    server: str, sqlite_database: Database
) -> None:
    from playwright.sync_api import expect

    with signed_in(server, "admin") as admin:
        admin.goto(f"{server}/market/contracts")
        _submit(admin, ".subnav a[href='/market/cooperation']")
        _submit(admin, "a[href='/market/cooperation/new']")
        admin.select_option("select[name=kind]", "iur")
        admin.fill("input[name=year]", "2025")
        admin.fill("input[name=title]", "浏览器登记的产学研项目")
        admin.fill("input[name=lead]", "厦门星海微电子有限公司")
        admin.fill("input[name=partner_1]", "厦门大学")
        admin.fill("input[name=funding]", "八十万")
        with admin.expect_navigation():
            admin.click("form[action='/market/cooperation'] button[type=submit]")
        expect(admin.locator("input[name=title]")).to_have_value("浏览器登记的产学研项目")
        expect(admin.locator("input[name=partner_1]")).to_have_value("厦门大学")
        expect(admin.locator("#f-funding-error")).to_contain_text("八十万")
        admin.screenshot(path=str(ARTIFACTS / "cooperation-refused.png"), full_page=True)
        admin.fill("input[name=funding]", "80万")
        _submit(admin, "form[action='/market/cooperation'] button[type=submit]")
        admin.wait_for_url(f"{server}/market/cooperation")
        expect(admin.locator(".flash")).to_be_visible()
        row = admin.locator("tr", has_text="浏览器登记的产学研项目")
        expect(row).to_contain_text("厦门星海微电子有限公司")
        expect(row).to_contain_text("厦门大学")
        expect(row).to_contain_text("80")
        admin.screenshot(path=str(ARTIFACTS / "cooperation-list.png"), full_page=True)
        _submit(admin, "a[href='/market/cooperation/1/edit']")
        admin.fill("input[name=title]", "浏览器改正的产学研项目")
        _submit(admin, "form[action$='/edit'] button[type=submit]")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("main")).to_contain_text("浏览器改正的产学研项目")
        _submit(admin, "form[action$='/withdraw'] button[type=submit]")
        expect(admin.locator("main")).to_contain_text("浏览器改正的产学研项目")  # asked first
        admin.fill("textarea[name=reason]", "重复登记")
        _submit(admin, "form[action$='/withdraw'] button[type=submit]")
        admin.wait_for_url(f"{server}/market/cooperation")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("main")).not_to_contain_text("浏览器改正的产学研项目")
        admin.screenshot(path=str(ARTIFACTS / "cooperation-withdrawn.png"), full_page=True)
