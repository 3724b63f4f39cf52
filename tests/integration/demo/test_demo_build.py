"""Small demo builds: deterministic for a seed, different for another, and the same on
SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from fourchain.adapters.db.registry_repo import SqlRegistryCounts
from fourchain.adapters.db.schema import metadata
from fourchain.bootstrap import Database, open_database
from fourchain.config import sqlite_url
from fourchain.demo.build import build_demo
from fourchain.demo.label import clear_demo, read_label
from fourchain.errors import Conflict, InvalidInput
from fourchain.services.registry import summarise

DEMO_TABLES = (
    "chains",
    "chain_links",
    "enterprises",
    "enterprise_years",
    "certificates",
    "institutions",
    "patents",
    "macro_stats",
    "dataset_info",
)


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every demo table's rows in primary-key order (certificates without their serial id)."""
    result = {}
    with engine.connect() as connection:
        for name in DEMO_TABLES:
            table = metadata.tables[name]
            columns = [c for c in table.columns if c.name != "id"]
            order = [c for c in table.primary_key.columns if c.name != "id"] or columns
            if name == "certificates":
                order = [table.c.credit_code, table.c.tier, table.c.issued]
            rows = connection.execute(select(*columns).order_by(*order)).all()
            result[name] = [tuple(row) for row in rows]
    return result


def _build(path: Path, seed: int) -> dict[str, list[tuple[object, ...]]]:
    database = open_database(sqlite_url(path))
    try:
        build_demo(database, seed=seed, scale=0.02)
        return _dump(database.engine)
    finally:
        database.dispose()


@pytest.mark.slow
def test_the_same_seed_builds_identical_data_and_another_seed_differs(tmp_path: Path) -> None:
    first = _build(tmp_path / "a.db", 7)
    again = _build(tmp_path / "b.db", 7)
    other = _build(tmp_path / "c.db", 8)
    assert first == again
    assert first["enterprises"] != other["enterprises"]
    assert first["enterprise_years"] != other["enterprise_years"]
    assert all(first[name] for name in DEMO_TABLES)


@pytest.mark.slow
def test_a_small_demo_builds_on_each_backend(database: Database) -> None:
    progress: list[str] = []
    stats = build_demo(database, scale=0.05, progress=lambda stage, _d, _t: progress.append(stage))
    with database.engine.connect() as connection:
        for name, count in stats.rows.items():
            table = metadata.tables[name]
            assert connection.scalar(select(func.count()).select_from(table)) == count
        summary = summarise(SqlRegistryCounts(connection), 2025)
        label = read_label(connection)
    assert stats.rows["enterprises"] == 1500
    assert summary.certificates["hnte"] == round(4735 * 0.05)
    assert summary.certificates["little_giant"] == round(213 * 0.05)
    assert label["synthetic"] == "true" and label["scale"] == "0.05"
    assert "write enterprise_years" in progress


@pytest.mark.parametrize("scale", [0.0, -1.0, 1.5])
def test_a_scale_outside_zero_to_one_is_refused(tmp_path: Path, scale: float) -> None:
    database = open_database(sqlite_url(tmp_path / "x.db"))
    try:
        with pytest.raises(InvalidInput, match="scale must be in"):
            build_demo(database, scale=scale)
    finally:
        database.dispose()


@pytest.mark.slow
def test_a_demo_city_can_be_cleared_and_built_again_on_each_backend(database: Database) -> None:
    build_demo(database, seed=3, scale=0.02)
    clear_demo(database.engine)
    with database.engine.connect() as connection:
        for name in DEMO_TABLES:
            table = metadata.tables[name]
            assert connection.scalar(select(func.count()).select_from(table)) == 0
    stats = build_demo(database, seed=4, scale=0.02)
    with database.engine.connect() as connection:
        assert read_label(connection)["seed"] == "4"
    assert stats.rows["enterprises"] == 600


def test_clearing_a_database_without_the_synthetic_label_is_refused(tmp_path: Path) -> None:
    database = open_database(sqlite_url(tmp_path / "plain.db"))
    try:
        with pytest.raises(Conflict, match="not labelled synthetic"):
            clear_demo(database.engine)
    finally:
        database.dispose()
