"""A technology contract's and a fund's forms in Debian's Chromium, as their owning role (a
bureau administrator): a refused submit that keeps what was typed with the reason by its field,
a save, an edit and a withdrawal behind its confirmation. Screenshots go to
test-artifacts/browser/."""

from __future__ import annotations

import pytest

from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.bootstrap import Database
from fourchain.domain.finance import Fund, FundKind
from tests.e2e.web.test_browser import ARTIFACTS, server
from tests.e2e.web.test_market_browser import _submit, signed_in
from tests.integration.web.fixtures import OWN, OWN_INSTITUTION

pytestmark = pytest.mark.browser
__all__ = ["server"]


def test_an_administrator_registers_edits_and_withdraws_a_contract_in_the_browser(
    server: str, sqlite_database: Database
) -> None:
    from playwright.sync_api import expect

    with signed_in(server, "admin") as admin:
        admin.goto(f"{server}/market/contracts/new")
        admin.fill("input[name=number]", "2025-BR-1")
        admin.fill("input[name=title]", "浏览器登记的技术合同")
        admin.fill("input[name=seller]", OWN_INSTITUTION)
        admin.fill("input[name=buyer]", OWN)
        admin.fill("input[name=value]", "八十万")
        admin.fill("input[name=signed]", "2025/3/1")
        with admin.expect_navigation():
            admin.click("form[action='/market/contracts'] button[type=submit]")
        expect(admin.locator("input[name=title]")).to_have_value("浏览器登记的技术合同")
        expect(admin.locator("input[name=value]")).to_have_value("八十万")
        expect(admin.locator("#f-value-error")).to_contain_text("八十万")
        expect(admin.locator("#f-value-error")).to_contain_text("80万")
        admin.screenshot(path=str(ARTIFACTS / "contract-refused.png"), full_page=True)
        admin.fill("input[name=value]", "80万")
        _submit(admin, "form[action='/market/contracts'] button[type=submit]")
        admin.wait_for_url(f"{server}/market/contracts")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("main")).to_contain_text("浏览器登记的技术合同")
        admin.click("a[href='/market/contracts/1/edit']")
        admin.wait_for_url("**/edit")
        admin.fill("input[name=title]", "浏览器改正的技术合同")
        _submit(admin, "form[action$='/edit'] button[type=submit]")
        expect(admin.locator("main")).to_contain_text("浏览器改正的技术合同")
        admin.click("details.confirm summary")
        admin.fill("form[action$='/withdraw'] textarea[name=reason]", "浏览器测试：登记有误")
        _submit(admin, "form[action$='/withdraw'] button[type=submit]")
        expect(admin.locator("main")).not_to_contain_text("浏览器改正的技术合同")
        admin.screenshot(path=str(ARTIFACTS / "contract-withdrawn.png"), full_page=True)


def test_an_administrator_edits_and_withdraws_a_fund_in_the_browser(
    server: str, sqlite_database: Database
) -> None:
    from playwright.sync_api import expect

    with sqlite_database.engine.begin() as connection:
        SqlFinanceStore(connection).add_funds(
            [Fund("xm_angel", "厦门天使投资引导基金", FundKind.VENTURE, 5e8)]
        )
    with signed_in(server, "admin") as admin:
        admin.goto(f"{server}/finance/funds/xm_angel")
        admin.click("a[href='/finance/funds/xm_angel/edit']")
        admin.wait_for_url("**/edit")
        admin.fill("input[name=name]", "厦门天使基金（二期）")
        admin.fill("input[name=size]", "六亿")
        with admin.expect_navigation():
            admin.click("form[action$='/edit'] button[type=submit]")
        expect(admin.locator("input[name=name]")).to_have_value("厦门天使基金（二期）")
        expect(admin.locator("input[name=size]")).to_have_value("六亿")
        expect(admin.locator("#f-size-error")).to_contain_text("六亿")
        admin.screenshot(path=str(ARTIFACTS / "fund-refused.png"), full_page=True)
        admin.fill("input[name=size]", "6亿元")
        _submit(admin, "form[action$='/edit'] button[type=submit]")
        admin.wait_for_url(f"{server}/finance/funds/xm_angel")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("main")).to_contain_text("厦门天使基金（二期）")
        admin.click("details.confirm summary")
        admin.fill("form[action$='/withdraw'] textarea[name=reason]", "基金未设立")
        _submit(admin, "form[action$='/withdraw'] button[type=submit]")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("main")).not_to_contain_text("厦门天使基金（二期）")
        admin.screenshot(path=str(ARTIFACTS / "fund-withdrawn.png"), full_page=True)


def test_an_administrator_records_a_fund_from_the_funds_list_in_the_browser(
    server: str, sqlite_database: Database
) -> None:
    from playwright.sync_api import expect

    with sqlite_database.engine.begin() as connection:
        SqlFinanceStore(connection).add_funds(
            [Fund("xm_angel", "厦门天使投资引导基金", FundKind.VENTURE, 5e8)]
        )
    with signed_in(server, "admin") as admin:
        admin.goto(f"{server}/finance")
        admin.click("a[href='/finance/funds/new']")
        admin.wait_for_url("**/finance/funds/new")
        admin.fill("input[name=key]", "xm_seed")
        admin.fill("input[name=name]", "厦门种子基金")
        admin.select_option("select[name=kind]", "tech_innovation")
        admin.fill("input[name=size]", "两亿")
        admin.select_option("select[name=parent]", "xm_angel")
        with admin.expect_navigation():
            admin.click("form[action='/finance/funds'] button[type=submit]")
        # refused: everything typed is kept, the reason beside the size
        expect(admin.locator("input[name=key]")).to_have_value("xm_seed")
        expect(admin.locator("input[name=name]")).to_have_value("厦门种子基金")
        expect(admin.locator("select[name=kind]")).to_have_value("tech_innovation")
        expect(admin.locator("select[name=parent]")).to_have_value("xm_angel")
        expect(admin.locator("input[name=size]")).to_have_value("两亿")
        expect(admin.locator("#f-size-error")).to_contain_text("两亿")
        admin.screenshot(path=str(ARTIFACTS / "fund-create-refused.png"), full_page=True)
        admin.fill("input[name=size]", "2亿元")
        _submit(admin, "form[action='/finance/funds'] button[type=submit]")
        admin.wait_for_url(f"{server}/finance/funds/xm_seed")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("main")).to_contain_text("厦门种子基金")
        admin.goto(f"{server}/finance")
        expect(admin.locator("main")).to_contain_text("厦门种子基金")
        admin.screenshot(path=str(ARTIFACTS / "fund-created.png"), full_page=True)
