"""People and a project's team in Debian's Chromium, as bureau staff who own them (a bureau
administrator): record a person, a refused edit that keeps what was typed with the reason by
its field, the edit saved; put the person on a project's team and take them off (the day they
left is shown); withdraw the person behind a confirmation with a reason, then the project.
Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import pytest

from fourchain.bootstrap import Database
from tests.e2e.web.test_browser import ARTIFACTS, server
from tests.e2e.web.test_market_browser import _submit, signed_in

pytestmark = pytest.mark.browser
__all__ = ["server"]


def test_bureau_staff_keep_people_and_a_project_team_in_the_browser(
    server: str, sqlite_database: Database
) -> None:
    from playwright.sync_api import expect

    with signed_in(server, "admin") as admin:
        admin.goto(f"{server}/pipeline/new-project")
        admin.fill("input[name=id]", "P-E2E")
        admin.fill("input[name=title]", "钠离子电池正极材料")
        _submit(admin, "form[action='/pipeline/new-project'] button[type=submit]")
        admin.wait_for_url(f"{server}/pipeline/projects/P-E2E")

        admin.goto(f"{server}/pipeline/people/new")
        admin.fill("input[name=id]", "PX1")
        admin.fill("input[name=name]", "陈一鸣")
        admin.fill("input[name=expertise]", "储能")
        _submit(admin, "form[action='/pipeline/people/new'] button[type=submit]")
        admin.goto(f"{server}/pipeline/people")
        expect(admin.locator("table.data")).to_contain_text("陈一鸣")
        admin.click("a[href='/pipeline/people/PX1/edit']")
        admin.wait_for_url("**/edit")
        admin.fill("input[name=name]", "")
        admin.fill("input[name=affiliation]", "厦门大学")
        _submit(admin, "form[action$='/edit'] button[type=submit]")
        expect(admin.locator("input[name=affiliation]")).to_have_value("厦门大学")
        expect(admin.locator("#f-name-error")).to_be_visible()
        admin.screenshot(path=str(ARTIFACTS / "person-refused.png"), full_page=True)
        admin.fill("input[name=name]", "陈一鸣")
        _submit(admin, "form[action$='/edit'] button[type=submit]")
        admin.wait_for_url(f"{server}/pipeline/people")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("table.data")).to_contain_text("厦门大学")

        admin.goto(f"{server}/pipeline/projects/P-E2E")
        admin.fill("input[name=person_id]", "陈一鸣")
        admin.select_option("select[name=role]", "founder")
        _submit(admin, "form[action='/pipeline/projects/P-E2E/people'] button[type=submit]")
        expect(admin.locator(".flash")).to_be_visible()
        team = admin.locator("table.list").nth(1)
        expect(team).to_contain_text("陈一鸣")
        admin.click("details.confirm summary")
        _submit(admin, "form[action$='/people/PX1/detach'] button[type=submit]")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("form[action$='/people/PX1/detach']")).to_have_count(0)
        expect(team).to_contain_text("陈一鸣")  # kept, with the day they left
        admin.screenshot(path=str(ARTIFACTS / "project-team-left.png"), full_page=True)

        admin.goto(f"{server}/pipeline/people")
        _submit(admin, "form[action='/pipeline/people/PX1/withdraw'] button[type=submit]")
        admin.fill("textarea[name=reason]", "重复录入")
        _submit(admin, "form[action='/pipeline/people/PX1/withdraw'] button[type=submit]")
        admin.wait_for_url(f"{server}/pipeline/people")
        expect(admin.locator(".flash")).to_be_visible()
        expect(admin.locator("table.data")).not_to_contain_text("陈一鸣")

        admin.goto(f"{server}/pipeline/projects/P-E2E")
        _submit(admin, "form[action='/pipeline/projects/P-E2E/withdraw'] button[type=submit]")
        admin.fill("textarea[name=reason]", "立项撤销")
        _submit(admin, "form[action='/pipeline/projects/P-E2E/withdraw'] button[type=submit]")
        expect(admin.locator("p.alert")).to_be_visible()
        expect(admin.locator("form[action$='/advance']")).to_have_count(0)
        admin.screenshot(path=str(ARTIFACTS / "project-withdrawn.png"), full_page=True)
