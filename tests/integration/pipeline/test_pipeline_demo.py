"""The demo pipeline on a small demo city: histories the state machine accepts, a funnel that
narrows, graduates that exist in the registry, money that reconciles, the published counts."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.adapters.db.tables import enterprises
from fourchain.adapters.db.tables_pipeline import conversion_projects
from fourchain.bootstrap import Database, open_database
from fourchain.config import sqlite_url
from fourchain.domain.pipeline import ProjectExit, derive_state
from fourchain.errors import Conflict
from fourchain.services import finance
from fourchain.services.pipeline import pipeline_funnel, states

with warnings.catch_warnings():  # the demo city imports jieba via its market part
    warnings.simplefilter("ignore", DeprecationWarning)
    from fourchain.demo.build import build_demo
    from fourchain.demo.pipeline import (
        PUBLISHED_CONVERSIONS,
        PUBLISHED_SCIENCE_CITY,
        build_pipeline_demo,
        science_city_entities,
    )

SCALE = 0.04
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("city") / "city.db"
    database = open_database(sqlite_url(path))
    build_demo(database, scale=SCALE)
    seen: list[str] = []
    stats = build_pipeline_demo(
        database.engine, seed=7, scale=SCALE, progress=lambda s, _d, _t: seen.append(s)
    )
    assert seen and stats.rows["pipeline_projects"] > 0
    yield database
    database.dispose()


def test_every_stored_history_replays_and_graduates_exist_in_the_registry(city: Database) -> None:
    with city.engine.connect() as connection:
        histories = SqlPipelineStore(connection).histories()
        codes = set(connection.scalars(select(enterprises.c.credit_code)))
    derived = [derive_state(events) for events in histories.values()]
    graduates = [s for s in derived if s.exit is ProjectExit.GRADUATED]
    assert graduates, "a five-year pipeline graduates some projects"
    assert all(s.enterprise in codes for s in graduates)


@pytest.mark.parametrize("cohort", [None, 2021, 2022, 2023, 2024, 2025])
def test_each_cohorts_funnel_narrows(city: Database, cohort: int | None) -> None:
    with city.engine.connect() as connection:
        rows = pipeline_funnel(SqlPipelineStore(connection), cohort)
    assert rows[0].entered > 0
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.entered <= before.passed <= before.entered


def test_the_published_counts_hold_at_scale(city: Database) -> None:
    with city.engine.connect() as connection:
        conversions = connection.scalar(select(func.count()).select_from(conversion_projects))
        years = set(connection.scalars(select(conversion_projects.c.year)))
        entities = science_city_entities(connection)
    assert conversions == round(PUBLISHED_CONVERSIONS * SCALE)
    assert years == {2021, 2022, 2023, 2024, 2025}
    assert entities >= math.ceil(PUBLISHED_SCIENCE_CITY * SCALE)


def test_the_capital_chain_reconciles_and_funds_stay_within_commitments(city: Database) -> None:
    with city.engine.connect() as connection:
        store, pipeline = SqlFinanceStore(connection), SqlPipelineStore(connection)
        view = finance.capital_view(store.book(), finance.places(store, pipeline, states(pipeline)))
        summaries = finance.fund_summaries(store.book())
    assert view.reconciliation.ok, view.reconciliation.problems
    assert view.overall.public > 0 and view.overall.leverage is not None
    assert {s.fund.kind.value for s in summaries} == {
        "venture",
        "tech_innovation",
        "credit_enhancement",
    }
    assert all(s.invested <= s.committed <= s.fund.size for s in summaries)
    assert {s.fund.size for s in summaries} >= {5e9, 50e9}


def test_building_the_pipeline_twice_is_refused(city: Database) -> None:
    with pytest.raises(Conflict, match="already holds pipeline projects"):
        build_pipeline_demo(city.engine, seed=7, scale=SCALE)
