"""The form system in Debian's Chromium, one form per area: a refused submit shows the same
form with what was typed and the reason beside its field; the corrected submit ends on a page
that confirms it. Screenshots at 1440 and 390 px go to test-artifacts/browser/forms/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from tests.e2e.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _chromium_or_skip, server
from tests.e2e.web.test_market_browser import _sign_in, _submit
from tests.integration.web.fixtures import PASSWORD

pytestmark = pytest.mark.browser
__all__ = ["server"]

SHOTS = ARTIFACTS / "forms"
WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}
DEADLINE = (date.today() + timedelta(days=60)).isoformat()


def _shoot(page: Any, name: str) -> None:
    """The page at both widths; at 390 px no form is wider than the screen."""
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width_name}.png"), full_page=True)
        if width_name == "phone":
            widest = page.evaluate(
                "Math.max(...[...document.querySelectorAll('form.fs')]"
                ".map(f => f.getBoundingClientRect().right), 0)"
            )
            assert widest <= width, f"{name}: a form is {widest} px wide at {width} px"
    page.set_viewport_size({"width": 1440, "height": 900})


def _refused_then_done(
    page: Any,
    name: str,
    form: str,
    fill: Callable[[], None],
    bad: tuple[str, str],
    good: str,
    kept: dict[str, str],
    message: str,
    again: Callable[[], None] | None = None,
) -> None:
    """Fill the form with one bad value, see it refused with everything kept and the error
    beside the bad field, correct it, and see the confirmation."""
    from playwright.sync_api import expect

    fill()
    field, value = bad
    page.fill(f"{form} [name={field}]", value)
    _submit(page, f"{form} button[type=submit]")
    expect(page.locator(f"{form} [name={field}]")).to_have_value(value)
    for other, typed in kept.items():
        expect(page.locator(f"{form} [name={other}]")).to_have_value(typed)
    described = page.get_attribute(f"{form} [name={field}]", "aria-describedby") or ""
    error_id = next(i for i in described.split() if i.endswith("-error"))
    expect(page.locator(f"#{error_id}")).to_be_visible()
    _shoot(page, f"{name}-refused")
    if again:  # a password is never sent back: type it again
        again()
    page.fill(f"{form} [name={field}]", good)
    _submit(page, f"{form} button[type=submit]")
    expect(page.locator(".flash")).to_contain_text(message)
    _shoot(page, f"{name}-done")


def test_one_form_per_area_keeps_what_was_typed_and_confirms_when_done(server: str) -> None:
    _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # Accounts: a sign-in refused for a missing password keeps the username.
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.goto(f"{server}/login")
            _refused_then_done(
                page,
                "login",
                "form[action='/login']",
                lambda: page.fill("input[name=username]", "admin"),
                ("password", ""),
                PASSWORD,
                {"username": "admin"},
                "已登录",
            )

            # The market: an enterprise's demand with its budget in words.
            ent = _sign_in(browser, server, "ent")
            ent.goto(f"{server}/market/demands/new")

            def demand() -> None:
                ent.fill("input[name=problem]", "湿度传感器漂移")
                ent.fill("textarea[name=description]", "高湿环境下三个月漂移超过 2%。")
                ent.fill("input[name=field]", "电子信息")
                ent.fill("input[name=deadline]", DEADLINE)

            _refused_then_done(
                ent,
                "market-demand",
                "form[action='/market/demands']",
                demand,
                ("budget", "八十万"),
                "800000",
                {"problem": "湿度传感器漂移", "description": "高湿环境下三个月漂移超过 2%。"},
                "需求已发布",
            )

            # Challenge calls: the bureau drafts a call with its reward in words.
            admin = _sign_in(browser, server, "admin")
            admin.goto(f"{server}/market/challenges/new")

            def call() -> None:
                admin.fill("input[name=title]", "车规级芯片封装可靠性揭榜")
                admin.fill("textarea[name=problem]", "提高功率模块热循环寿命。")
                admin.fill("textarea[name=conditions]", "在本市注册。")
                admin.fill("input[name=apply_by]", DEADLINE)
                admin.fill("input[name=min_reviews]", "1")

            _refused_then_done(
                admin,
                "challenge-draft",
                "form[action='/market/challenges']",
                call,
                ("reward", "两百万"),
                "2000000",
                {"title": "车规级芯片封装可靠性揭榜", "apply_by": DEADLINE},
                "榜单已存为草稿",
            )
            # Publishing asks first and says what will happen.
            _submit(admin, "form[action$='/move'] button[value=publish]")
            expect(admin.locator(".confirm-page")).to_contain_text("发榜后不能退回草稿")
            _shoot(admin, "challenge-publish-confirm")
            _submit(admin, "form[action$='/move'] button[type=submit]")
            expect(admin.locator(".flash")).to_contain_text("榜单已发布")

            # Administration: a new account whose enterprise is picked by name.
            admin.goto(f"{server}/admin/users")

            def account() -> None:
                admin.fill("form[action='/admin/users'] input[name=username]", "ent2")
                admin.fill("form[action='/admin/users'] input[name=password]", "a-long-password")
                admin.select_option(
                    "form[action='/admin/users'] select[name=role]", "enterprise_user"
                )

            _refused_then_done(
                admin,
                "admin-account",
                "form[action='/admin/users']",
                account,
                ("enterprise", "不存在的公司"),
                "厦门星海微电子有限公司",
                {"username": "ent2"},
                "账号已保存",
                again=lambda: admin.fill(
                    "form[action='/admin/users'] input[name=password]", "a-long-password"
                ),
            )
        finally:
            browser.close()
