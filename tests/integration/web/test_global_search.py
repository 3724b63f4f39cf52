"""The global search (header box, /search, /api/search): every kind of record by name and by
its words, through migration 0016's index, as each role may see it — on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, update

from fourchain.adapters.db.find_search import SqlFinder
from fourchain.adapters.db.tables import enterprises
from fourchain.adapters.db.tables_market import achievements, challenge_calls, demands
from fourchain.adapters.db.tables_pipeline import people
from fourchain.services.finding import FindScope, FoundKind
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for
from tests.integration.web.fixtures import OTHER, OWN, OWN_INSTITUTION, THIRD

DAY = date(2025, 6, 1)


def _achievement(title: str, institution: str, listed: bool, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "institution_id": institution,
        "title": title,
        "abstract": "五轴联动数控机床的误差补偿方法",
        "keywords": "数控机床；误差补偿",
        "trl": 6,
        "ip_status": "granted",
        "patent_numbers": "",
        "transfer_modes": "licence",
        "asking_terms": "面议",
        "contact": "张老师",
        "published": DAY,
        "listed": listed,
    }
    return row | extra


def _demand(problem: str, owner: str, confidential: bool, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "credit_code": owner,
        "problem": problem,
        "description": "需要提高数控机床主轴的精度",
        "field": "智能制造",
        "budget": 800000.0,
        "deadline": date(2026, 12, 31),
        "published": DAY,
        "confidential": confidential,
    }
    return row | extra


def _call(title: str, state: str) -> dict[str, object]:
    return {
        "title": title,
        "problem": "数控机床热变形",
        "conditions": "—",
        "reward": 1000000.0,
        "apply_by": date(2026, 12, 31),
        "field": "智能制造",
        "rubric": "[]",
        "min_reviews": 1,
        "state": state,
    }


def seed_market(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(enterprises)
            .where(enterprises.c.credit_code == OTHER)
            .values(main_product="高精度数控机床主轴")
        )
        connection.execute(
            update(enterprises)
            .where(enterprises.c.credit_code == THIRD)
            .values(main_product="石墨烯薄膜")
        )
        connection.execute(
            achievements.insert(),
            [
                _achievement("公开的机床成果", OWN_INSTITUTION, True),
                _achievement("本所未挂牌成果", OWN_INSTITUTION, False),
                _achievement("他所未挂牌成果", "INST-002", False),
            ],
        )
        # its own statement: an executemany takes its columns from the first row
        connection.execute(
            achievements.insert(), _achievement("已撤回成果", OWN_INSTITUTION, True, withdrawn=DAY)
        )
        connection.execute(
            demands.insert(),
            [
                _demand("公开的主轴需求", THIRD, False),
                _demand("本企业保密需求", OWN, True),
                _demand("他企业保密需求", OTHER, True),
            ],
        )
        connection.execute(
            challenge_calls.insert(),
            [_call("已发布的机床榜单", "published"), _call("草拟的机床榜单", "draft")],
        )
        connection.execute(
            people.insert(),
            [
                {"id": "P-1", "name": "李工", "expertise": "数控机床可靠性"},
                {"id": "P-2", "name": "王工", "expertise": None},
            ],
        )


@pytest.fixture
def searched(app: FastAPI) -> FastAPI:
    seed_market(app.state.services.database.engine)
    return app


def _titles(app: FastAPI, key: str, q: str) -> dict[str, set[str]]:
    with TestClient(app) as client:
        response = client.get("/api/search", params={"q": q}, headers=bearer_for(app, key))
    assert response.status_code == 200, response.text
    body = response.json()
    found = {g["kind"]: {h["title"] for h in g["hits"]} for g in body["groups"]}
    for group in body["groups"]:
        assert group["total"] == len(group["hits"])  # under the page size here
    return found


def test_a_product_word_finds_the_enterprise_that_makes_it(searched: FastAPI) -> None:
    found = _titles(searched, "public", "数控机床")
    assert found["enterprise"] == {"厦门远帆生物科技有限公司"}
    assert "institution" not in found
    # and the directory, which today matched names only, finds it too
    with TestClient(searched) as client:
        page = client.get("/enterprises", params={"query": "数控机床"}).text
    assert "厦门远帆生物科技有限公司" in page and "厦门星海微电子有限公司" not in page


@pytest.mark.parametrize("q", ["星海微", "星海", "XIAMEN", "石墨烯"])
def test_names_and_words_of_every_length(searched: FastAPI, q: str) -> None:
    found = _titles(searched, "public", q)
    expected = {
        "星海微": {"厦门星海微电子有限公司"},
        "星海": {"厦门星海微电子有限公司"},
        "XIAMEN": set(),
        "石墨烯": {"厦门蓝湾新材料有限公司"},
    }[q]
    assert found.get("enterprise", set()) == expected


@pytest.mark.parametrize(
    ("key", "achievements_seen", "demands_seen", "calls_seen", "experts_seen"),
    [
        ("public", {"公开的机床成果"}, {"公开的主轴需求"}, {"已发布的机床榜单"}, None),
        (
            "inst",
            {"公开的机床成果", "本所未挂牌成果"},
            {"公开的主轴需求"},
            {"已发布的机床榜单"},
            None,
        ),
        (
            "ent",
            {"公开的机床成果"},
            {"公开的主轴需求", "本企业保密需求"},
            {"已发布的机床榜单"},
            None,
        ),
        ("expert", {"公开的机床成果"}, {"公开的主轴需求"}, {"已发布的机床榜单"}, {"李工"}),
        (
            "analyst",
            {"公开的机床成果", "本所未挂牌成果", "他所未挂牌成果"},
            {"公开的主轴需求", "本企业保密需求", "他企业保密需求"},
            {"已发布的机床榜单", "草拟的机床榜单"},
            {"李工"},
        ),
    ],
)
def test_each_role_finds_only_what_it_may_see(
    searched: FastAPI,
    key: str,
    achievements_seen: set[str],
    demands_seen: set[str],
    calls_seen: set[str],
    experts_seen: set[str] | None,
) -> None:
    found = _titles(searched, key, "数控机床")
    assert found["achievement"] == achievements_seen  # never the withdrawn one
    assert found["demand"] == demands_seen
    assert found["call"] == calls_seen
    assert found.get("expert") == experts_seen


def test_the_page_groups_by_kind_with_links(
    searched: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("admin")
    page = client.get("/search", params={"q": "数控机床"})
    assert page.status_code == 200
    text = page.text
    assert f'href="/enterprises/{OTHER}"' in text
    assert 'href="/market/demands/' in text and 'href="/market/challenges/' in text
    assert 'id="found-expert"' in text
    assert "他企业保密需求" in text
    public = browser_client("public").get("/search", params={"q": "数控机床"}).text
    assert "他企业保密需求" not in public and "草拟的机床榜单" not in public
    assert 'id="found-expert"' not in public
    # every page carries the box
    assert 'action="/search"' in browser_client("public").get("/enterprises").text


@pytest.mark.parametrize("q", ["", "   ", "\x00", "无此记录的词", '"引号"', "100%", "a_b"])
def test_odd_queries_find_nothing_cleanly(searched: FastAPI, q: str) -> None:
    assert _titles(searched, "admin", q) == {}


def test_the_index_stays_in_step_with_writes(searched: FastAPI) -> None:
    engine = searched.state.services.database.engine
    finder = SqlFinder(engine)
    scope = FindScope(bureau=True, experts=True)
    assert finder.find(FoundKind.ENTERPRISE, "碳化硅", scope, 10)[1] == 0
    with engine.begin() as connection:
        connection.execute(
            update(enterprises)
            .where(enterprises.c.credit_code == OWN)
            .values(main_product="碳化硅衬底")
        )
    hits, total = finder.find(FoundKind.ENTERPRISE, "碳化硅", scope, 10)
    assert total == 1 and hits[0].key == OWN and hits[0].detail == "碳化硅衬底"
    with engine.begin() as connection:
        connection.execute(people.delete().where(people.c.id == "P-1"))
    assert finder.find(FoundKind.EXPERT, "可靠性", scope, 10)[1] == 0
