"""The Chinese pages changed for issue 13 §3 read as words and numbers people read: no internal
keys (`artificial_intelligence`, `hnte-2016`), no UTC, no raw 元 (long digit runs) in money
columns, no BM25 scores, no "中文 / English" pairs."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.fixtures import OWN
from tests.integration.web.test_pipeline_pages import _seed

# What the reader sees: tags, scripts, attributes and entities dropped.
_MARKUP = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>|&[a-z#0-9]+;", re.S)
# artificial_intelligence, hnte-2016
KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+-\d{4}\b")
LONG_DIGITS = re.compile(r"\d(?:,?\d){8,}")  # 50,000,000,000 (nine digits or more)
PAIR = re.compile(r"[\u4e00-\u9fff] / [A-Za-z]")  # "由评审判断 / reviewers judge"

PAGES = [
    "/",
    "/finance",
    "/finance/funds/venture",
    "/pipeline/projects/P1",
    "/pipeline/people",
    "/pipeline/people/PS1/edit",
    "/pipeline/projects/P1/edit",
    "/market",
    "/market/challenges",
    "/market/demands",
    "/admin/audit",
    f"/cultivation/enterprises/{OWN}",
]


def visible_text(html: str) -> str:
    return _MARKUP.sub(" ", html)


@pytest.fixture
def seeded_app(app: FastAPI) -> FastAPI:
    _seed(app)
    return app


@pytest.mark.parametrize("path", PAGES)
def test_a_chinese_page_shows_no_keys_utc_raw_yuan_or_scores(
    path: str, seeded_app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    page = browser_client("admin").get(path)
    assert page.status_code == 200, path
    text = visible_text(page.text)
    assert KEY.findall(text) == [], path
    assert "UTC" not in text and "BM25" not in text
    assert LONG_DIGITS.findall(text) == [], path
    assert PAIR.findall(text) == [], path
    assert "✓" not in text and "✗" not in text


def test_the_scan_catches_what_it_is_for() -> None:
    """The patterns above fail on the strings the issue found."""
    bad = "artificial_intelligence · hnte-2016 · 50,000,000,000 元 · 由评审判断 / reviewers"
    assert KEY.findall(bad) == ["artificial_intelligence", "hnte-2016"]
    assert LONG_DIGITS.findall(bad) == ["50,000,000,000"]
    assert PAIR.findall(bad)


def test_the_portfolio_names_projects_and_shows_money_in_10k_yuan(
    seeded_app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    text = visible_text(browser_client("admin").get("/finance/funds/venture").text)
    assert "固态电池电解质" in text  # the project's title, its code as secondary text
    assert "金额（万元）" in text and "765.43" in text
    assert "规模（亿元）" in text and "10.00" in text  # 1e9 yuan


# Issue 13 §4: the dashboard, the report page and the audit log, as every role that may see them.
RAW_TIME = re.compile(r"\+00:00|\bUTC\b|\d{2}:\d{2}:\d{2}\.\d+|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
RAW_YUAN = re.compile(r"\d(?:,?\d){4,}(?:\.\d+)?\s*元")  # 10,000 元 or more, not in 万元/亿元
OBJECT_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)*:\w")  # user:admin, pipeline_project:P1
ROLE_PAGES = ["/", "/?district=思明", "/?year=2024&district=湖里", "/reports", "/admin/audit"]


@pytest.mark.parametrize("role", ["admin", "analyst", "ent", "inst", "expert", "public"])
def test_the_dashboard_report_and_audit_pages_read_as_words_for_every_role(
    role: str, seeded_app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    browser_client("admin")  # a sign-in leaves an entry in the audit log
    client = browser_client(role) if role != "public" else TestClient(seeded_app)
    seen = 0
    for path in ROLE_PAGES:
        page = client.get(path)
        if page.status_code != 200:  # a page this role may not see
            continue
        seen += 1
        text = visible_text(page.text)
        assert KEY.findall(text) == [], (role, path)
        assert OBJECT_KEY.findall(text) == [], (role, path)
        assert RAW_TIME.findall(text) == [], (role, path)
        assert RAW_YUAN.findall(text) == [], (role, path)
        assert LONG_DIGITS.findall(text) == [], (role, path)
    assert seen >= 3  # the dashboard, filtered or not, is public
    if role == "admin":
        assert seen == len(ROLE_PAGES)


def test_the_leftover_scan_catches_raw_times_and_yuan() -> None:
    bad = "2026-03-01T09:00:00+00:00 · 09:00:00.123456 · 25,000 元 · 2.5 万元 · 9,999 元"
    assert len(RAW_TIME.findall(bad)) == 3
    assert RAW_YUAN.findall(bad) == ["25,000 元"]
    assert OBJECT_KEY.findall("登录 user:admin 成功 · 03:27") == ["user:a"]
