"""The full demo city, built once per test session into a temporary SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.demo.build import DemoStats
from fourchain.demo.city import build_demo_city


@pytest.fixture(scope="session")
def demo_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, DemoStats]]:
    """(path of the SQLite file, the registry's build stats) of the full-scale demo city, with
    its pipeline and market too, so the calibrated figures are checked on what users get."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(sqlite_url(path))
    stats = build_demo_city(database).registry
    database.dispose()
    yield path, stats
