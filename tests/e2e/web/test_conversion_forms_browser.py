"""The conversion projects' pages in Debian's Chromium, as their owning role (a bureau
administrator): record one, a refused submit that keeps what was typed with the reason by its
field, an edit, and a withdrawal behind its confirmation. Screenshots go to
test-artifacts/browser/."""

from __future__ import annotations

import pytest

from fourchain.bootstrap import Database
from tests.e2e.web.test_browser import ARTIFACTS, server
from tests.e2e.web.test_market_browser import _submit, signed_in
from tests.integration.web.fixtures import OWN

pytestmark = pytest.mark.browser
__all__ = ["server"]


def test_an_administrator_records_edits_and_withdraws_a_conversion_project_in_the_browser(
    server: str, sqlite_database: Database
) -> None:
    from playwright.sync_api import expect

    with signed_in(server, "admin") as admin:
        admin.goto(f"{server}/pipeline/conversions/new")
        admin.fill("input[name=title]", "锂电隔膜中试转化")
        admin.fill("input[name=credit_code]", OWN)
        admin.fill("input[name=year]", "二〇二五")
        admin.fill("input[name=field]", "新能源")
        with admin.expect_navigation():
            admin.click("form[action='/pipeline/conversions'] button[type=submit]")
        expect(admin.locator("input[name=title]")).to_have_value("锂电隔膜中试转化")
        expect(admin.locator("input[name=year]")).to_have_value("二〇二五")
        expect(admin.locator("#f-year-error")).to_contain_text("二〇二五")
        admin.screenshot(path=str(ARTIFACTS / "conversion-refused.png"), full_page=True)
        admin.fill("input[name=year]", "2025")
        _submit(admin, "form[action='/pipeline/conversions'] button[type=submit]")
        admin.wait_for_url(f"{server}/pipeline/conversions")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("table.data")).to_contain_text("锂电隔膜中试转化")
        admin.click("a[href='/pipeline/conversions/1/edit']")
        admin.wait_for_url("**/edit")
        admin.fill("input[name=title]", "锂电隔膜量产转化")
        _submit(admin, "form[action$='/edit'] button[type=submit]")
        expect(admin.locator("table.data")).to_contain_text("锂电隔膜量产转化")
        admin.click("details.confirm summary")
        _submit(admin, "form[action$='/withdraw'] button[type=submit]")
        # Asked once more: without a reason the question comes back with the field to fill.
        expect(admin.locator("textarea[name=reason]")).to_be_visible()
        admin.fill("textarea[name=reason]", "重复登记")
        _submit(admin, "form[action$='/withdraw'] button[type=submit]")
        admin.wait_for_url(f"{server}/pipeline/conversions")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("table.data")).not_to_contain_text("锂电隔膜量产转化")
        admin.screenshot(path=str(ARTIFACTS / "conversion-withdrawn.png"), full_page=True)
