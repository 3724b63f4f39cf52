"""The open-collaboration page in Chromium: the world map is drawn from the self-hosted
boundaries and the membership graph from the networks, with no script error or missing asset.
Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import pytest

from fourchain.bootstrap import Database
from fourchain.demo.collaboration import build_collaboration_demo
from tests.e2e.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _chromium_or_skip, server

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the fixture, shared with the platform's browser test


def test_the_world_map_and_the_network_graph_are_drawn(
    server: str, sqlite_database: Database
) -> None:
    _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    build_collaboration_demo(sqlite_database.engine, seed=7)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            page.goto(f"{server}/collaboration?year=2025")
            expect(page.locator("h1")).to_contain_text("开放合作")
            expect(page.locator("#world-map[data-rendered=true]")).to_have_count(1, timeout=20000)
            expect(page.locator("#network-graph[data-rendered=true]")).to_have_count(
                1, timeout=20000
            )
            assert page.locator("#world-map canvas").count() >= 1
            assert page.locator("#network-graph canvas").count() >= 1
            expect(page.locator("#networks")).to_contain_text("金砖创新基地孵化园国际合作网络")
            page.screenshot(path=str(ARTIFACTS / "collaboration-map-graph-zh.png"), full_page=True)
            page.goto(f"{server}/collaboration/honours")
            expect(page.locator("#honours")).to_contain_text("国家高新区综合评价")
            # two science advances, two rankings, the drug approvals, the factories the small
            # test registry has makers for
            assert page.locator("#honours tbody tr").count() >= 8
            page.screenshot(path=str(ARTIFACTS / "collaboration-honours-zh.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()
