"""The bureau's money forms in Debian's Chromium, as its owning role (a bureau administrator):
record an investment, a refused submit that keeps what was typed with the reason by its field,
an edit, and a withdrawal behind its confirmation. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.bootstrap import Database
from fourchain.domain.finance import Commitment, Fund, FundKind
from tests.e2e.web.test_browser import ARTIFACTS, server
from tests.e2e.web.test_market_browser import _submit, signed_in
from tests.integration.web.fixtures import OWN

pytestmark = pytest.mark.browser
__all__ = ["server"]


def test_an_administrator_records_edits_and_withdraws_an_investment_in_the_browser(
    server: str, sqlite_database: Database
) -> None:
    from playwright.sync_api import expect

    with sqlite_database.engine.begin() as connection:
        money = SqlFinanceStore(connection)
        money.add_funds([Fund("xm_angel", "厦门天使投资引导基金", FundKind.VENTURE, 5e8)])
        money.add_commitments(
            [Commitment("xm_angel", "厦门市财政局", 2e8, True, date(2025, 1, 10))]
        )
    with signed_in(server, "admin") as admin:
        admin.goto(f"{server}/finance/investments/new")
        admin.fill("input[name=investor]", "厦门天使投资引导基金")
        admin.fill("input[name=round]", "天使轮")
        admin.fill("input[name=amount]", "八十万")
        admin.fill("input[name=on]", "2025-03-01")
        admin.select_option("select[name=fund]", "xm_angel")
        admin.fill("input[name=enterprise]", OWN)
        with admin.expect_navigation():
            admin.click("form[action='/finance/investments'] button[type=submit]")
        expect(admin.locator("input[name=investor]")).to_have_value("厦门天使投资引导基金")
        expect(admin.locator("input[name=amount]")).to_have_value("八十万")
        expect(admin.locator("#f-amount-error")).to_contain_text("八十万")
        admin.screenshot(path=str(ARTIFACTS / "investment-refused.png"), full_page=True)
        admin.fill("input[name=amount]", "300万")
        _submit(admin, "form[action='/finance/investments'] button[type=submit]")
        admin.wait_for_url(f"{server}/finance/investments")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("table.data")).to_contain_text("300.00")
        admin.click("a[href='/finance/investments/1/edit']")
        admin.wait_for_url("**/edit")
        admin.fill("input[name=amount]", "400万")
        _submit(admin, "form[action$='/edit'] button[type=submit]")
        expect(admin.locator("table.data")).to_contain_text("400.00")
        admin.click("details.confirm summary")
        admin.fill("form[action$='/withdraw'] textarea[name=reason]", "重复登记")
        _submit(admin, "form[action$='/withdraw'] button[type=submit]")
        expect(admin.locator("table.data")).not_to_contain_text("400.00")
        admin.screenshot(path=str(ARTIFACTS / "investment-withdrawn.png"), full_page=True)
        admin.goto(f"{server}/admin/audit")
        expect(admin.locator("main table")).to_contain_text("撤回记录")
