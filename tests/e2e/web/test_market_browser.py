"""A challenge call end to end in Debian's Chromium, each role in its own browser: the bureau
drafts and runs it, an enterprise and an institution apply without seeing each other, the
expert (a member of the institution) reviews only the enterprise's application, the
non-winner reads its feedback, and the public sees no application. Screenshots go to
test-artifacts/browser/."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest

from tests.e2e.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _chromium_or_skip, server
from tests.integration.web.fixtures import PASSWORD

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the fixture, shared with the platform's browser test


def _sign_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}/workspace")
    return page


@contextmanager
def signed_in(server: str, username: str) -> Iterator[Any]:
    """A page of Debian's Chromium signed in as `username` (the browser closed after), for a
    test that walks one role's forms; skips, saying why, where Chromium is missing."""
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield _sign_in(browser, server, username)
        finally:
            browser.close()


def _submit(page: Any, selector: str) -> None:
    """Click a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(selector)
    assert page.locator(".error-page").count() == 0, page.locator("main").inner_text()


def _move(page: Any, action: str, reason: str = "") -> None:
    """Take a step of the call: its button asks first, saying what it will do."""
    _submit(page, f"form[action$='/move'] button[value={action}]")
    if reason:
        page.fill("textarea[name=reason]", reason)
    _submit(page, "form[action$='/move'] button[type=submit]")
    assert page.locator(".flash").count() == 1, page.locator("main").inner_text()


def test_a_challenge_call_runs_end_to_end_in_the_browser_for_every_role(server: str) -> None:
    _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            admin = _sign_in(browser, server, "admin")
            errors: list[str] = []
            admin.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            admin.goto(f"{server}/market/challenges/new")
            admin.fill("input[name=title]", "车规级芯片封装可靠性揭榜")
            admin.fill("textarea[name=problem]", "提高功率模块热循环寿命。")
            admin.fill("textarea[name=conditions]", "在本市注册。")
            admin.fill("input[name=reward]", "2000000")
            admin.fill("input[name=apply_by]", (date.today() + timedelta(days=30)).isoformat())
            admin.fill("input[name=min_reviews]", "1")
            _submit(admin, "form[action='/market/challenges'] button[type=submit]")
            admin.wait_for_url("**/market/challenges/*")
            call = admin.url
            admin.fill("input[name=expert_id]", "expert")
            admin.fill("input[name=name]", "评审专家")
            admin.fill("input[name=affiliation]", "厦门大学")  # by name, from the suggestions
            _submit(admin, "form[action$='/reviewers'] button[type=submit]")
            # A second reviewer for the institution's application (the expert is its member).
            admin.fill("input[name=expert_id]", "e2")
            admin.fill("input[name=name]", "另一位专家")
            _submit(admin, "form[action$='/reviewers'] button[type=submit]")
            _move(admin, "publish")
            expect(admin.locator("h1 + p strong")).to_have_text("已发榜")

            applicants = {}
            for username, proposal in (("ent", "企业封装方案"), ("inst", "机构封装方案")):
                page = _sign_in(browser, server, username)
                page.goto(call)
                page.fill("input[name=team_lead]", "张工")
                page.fill("input[name=proposal]", proposal)
                page.fill("textarea[name=approach]", "银烧结工艺")
                page.fill("input[name=requested]", "1500000")
                _submit(page, "form[action$='/apply'] button[type=submit]")
                page.wait_for_url("**/market/applications/*")
                expect(page.locator("h1")).to_have_text(proposal)
                applicants[username] = (page, page.url)
            ent, ent_app = applicants["ent"]
            inst, inst_app = applicants["inst"]
            ent.goto(call)
            expect(ent.locator("table.list")).to_contain_text("企业封装方案")
            expect(ent.locator("table.list")).not_to_contain_text("机构封装方案")
            ent.screenshot(path=str(ARTIFACTS / "market-1-applicant-sees-only-its-own.png"))
            assert ent.goto(inst_app).status == 404

            _move(admin, "close_applications")
            _move(admin, "start_review")
            expert = _sign_in(browser, server, "expert")
            expert.goto(call)
            expect(expert.locator("table.list")).to_contain_text("企业封装方案")
            expect(expert.locator("table.list")).not_to_contain_text("机构封装方案")
            assert expert.goto(inst_app).status == 404  # the expert's own institution
            expert.goto(ent_app)
            _submit(expert, "form[action$='/declare'] button[type=submit]")
            for key, points in (("approach", "85"), ("team", "80"), ("innovation", "75")):
                expert.fill(f"input[name=points_{key}]", points)
            expert.fill("input[name=points_delivery]", "70")
            _submit(expert, "form[action$='/score'] button[type=submit]")
            expect(expert.locator("input[name=points_approach]")).to_have_value("85.0")
            expert.screenshot(path=str(ARTIFACTS / "market-2-expert-scored.png"), full_page=True)

            admin.goto(call)
            # The institution's application has no reviewer who may score it: a reason is due.
            _move(admin, "award", reason="该申请无可回避之外的评审专家，按已评分结果定榜。")
            expect(admin.locator("table.list").last).to_contain_text("揭榜成功")
            admin.fill("form[action$='/milestones'] input[name=title]", "样品验收")
            admin.fill("form[action$='/milestones'] input[name=due]", date.today().isoformat())
            admin.fill("form[action$='/milestones'] input[name=amount]", "2000000")
            _submit(admin, "form[action$='/milestones'] button[type=submit]")
            _move(admin, "start_delivery")
            _submit(admin, "form[action$='/accept'] button[type=submit]")
            _submit(admin, "form[action$='/pay'] button[type=submit]")
            admin.goto(inst_app)
            admin.fill("textarea[name=text]", "方案缺少评审所需的可靠性数据，欢迎参加下一批榜单。")
            _submit(admin, "form[action$='/feedback'] button[type=submit]")
            admin.goto(call)
            _move(admin, "close")
            expect(admin.locator("h1 + p strong")).to_have_text("已结项")
            admin.screenshot(path=str(ARTIFACTS / "market-3-bureau-closed.png"), full_page=True)

            inst.goto(inst_app)
            expect(inst.locator("section.card").last).to_contain_text("可靠性数据")
            inst.screenshot(path=str(ARTIFACTS / "market-4-feedback.png"), full_page=True)

            public = browser.new_context().new_page()
            public.goto(call)
            expect(public.locator("table.list")).not_to_contain_text("封装方案")
            public.goto(ent_app)
            assert "/login" in public.url
            assert errors == []
        finally:
            browser.close()
