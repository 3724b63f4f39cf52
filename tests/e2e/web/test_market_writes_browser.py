"""Publish, edit and withdraw in Debian's Chromium, one owning role each: an enterprise its
demand (a refused edit shows the form again with what was typed and the reason beside the
field), an institution its achievement, the bureau an enterprise's demand on its behalf.
Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.e2e.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _chromium_or_skip, server
from tests.e2e.web.test_market_browser import _sign_in, _submit
from tests.integration.web.fixtures import OWN

pytestmark = pytest.mark.browser
__all__ = ["server"]

DEADLINE = (date.today() + timedelta(days=90)).isoformat()


def _publish_demand(page: Any, base: str, problem: str, credit_code: str = "") -> str:
    page.goto(f"{base}/market/demands/new")
    if credit_code:
        page.fill("input[name=credit_code]", credit_code)
    page.fill("input[name=problem]", problem)
    page.fill("textarea[name=description]", "在高湿环境下三个月漂移超过 2%。")
    page.fill("input[name=field]", "电子信息")
    page.fill("input[name=budget]", "800000")
    page.fill("input[name=deadline]", DEADLINE)
    _submit(page, "form[action='/market/demands'] button[type=submit]")
    page.wait_for_url("**/market/demands/*")
    return str(page.url)


def test_each_owning_role_publishes_edits_and_withdraws_in_the_browser(server: str) -> None:
    _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # An enterprise: publish, a refused edit that keeps what was typed, an edit, withdraw.
            ent = _sign_in(browser, server, "ent")
            demand = _publish_demand(ent, server, "湿度传感器漂移")
            ent.click("a[href$='/edit']")
            ent.wait_for_url("**/edit")
            ent.fill("input[name=problem]", "湿度传感器长期漂移")
            ent.fill("input[name=budget]", "八十万")
            _submit(ent, "form[action$='/edit'] button[type=submit]")
            expect(ent.locator("input[name=problem]")).to_have_value("湿度传感器长期漂移")
            expect(ent.locator("input[name=budget]")).to_have_value("八十万")
            expect(ent.locator(".field-error")).to_contain_text("不是数字")
            ent.screenshot(path=str(ARTIFACTS / "demand-edit-refused.png"), full_page=True)
            ent.fill("input[name=budget]", "1200000")
            _submit(ent, "form[action$='/edit'] button[type=submit]")
            expect(ent.locator("h1")).to_have_text("湿度传感器长期漂移")
            expect(ent.locator("dl.facts")).to_contain_text("120")
            ent.click("details.confirm summary")  # withdrawing asks first, and why
            ent.fill("details.confirm textarea[name=reason]", "发布有误")
            _submit(ent, "form[action$='/withdraw'] button[type=submit]")
            ent.wait_for_url(f"{server}/market/demands")
            expect(ent.locator("main")).not_to_contain_text("湿度传感器长期漂移")
            assert ent.goto(demand).status == 404

            # An institution: publish an achievement, then withdraw it.
            inst = _sign_in(browser, server, "inst")
            inst.goto(f"{server}/market/achievements/new")
            inst.fill("input[name=title]", "低漂移 MEMS 湿度传感器")
            inst.fill("textarea[name=abstract]", "带自校准的 MEMS 湿度传感器。")
            inst.fill("input[name=keywords]", "MEMS, 湿度传感器")
            inst.fill("input[name=discipline]", "电子工程")
            inst.check("input[name=transfer_modes] >> nth=0")
            inst.fill("input[name=contact]", "0592-1234567")
            _submit(inst, "form[action='/market/achievements'] button[type=submit]")
            inst.wait_for_url("**/market/achievements/*")
            achievement = inst.url
            inst.click("details.confirm summary")  # withdrawing asks first, and why
            inst.fill("details.confirm textarea[name=reason]", "发布有误")
            _submit(inst, "form[action$='/withdraw'] button[type=submit]")
            inst.wait_for_url(f"{server}/market/achievements")
            assert inst.goto(achievement).status == 404

            # The bureau, on an enterprise's behalf: publish, edit, withdraw.
            admin = _sign_in(browser, server, "admin")
            _publish_demand(admin, server, "产线视觉检测", credit_code=OWN)
            admin.click("a[href$='/edit']")
            admin.wait_for_url("**/edit")
            admin.fill("input[name=field]", "智能制造")
            _submit(admin, "form[action$='/edit'] button[type=submit]")
            expect(admin.locator("dl.facts")).to_contain_text("智能制造")
            admin.click("details.confirm summary")  # withdrawing asks first, and why
            admin.fill("details.confirm textarea[name=reason]", "发布有误")
            _submit(admin, "form[action$='/withdraw'] button[type=submit]")
            admin.wait_for_url(f"{server}/market/demands")
            admin.goto(f"{server}/admin/audit")
            expect(admin.locator("main table")).to_contain_text("撤回记录")
            admin.screenshot(path=str(ARTIFACTS / "audit-after-writes.png"), full_page=True)
        finally:
            browser.close()
