"""A bulk write leaves the PostgreSQL planner knowing the tables it filled (statistics.py):
without it, the first minute or more after the demo build or a large import planned name
searches as whole-table reads (16 times slower, measured there)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, text

from fourchain.adapters.db.ingest_repo import SqlIngestStore
from fourchain.adapters.db.statistics import BULK_ROWS
from fourchain.bootstrap import Database, open_database
from fourchain.demo.city import build_demo_city
from fourchain.domain.credit_code import check_character
from tests.conftest import _reset_pg

pytestmark = pytest.mark.postgres


def _analysed(connection: Connection, table: str) -> bool:
    """Whether the planner holds statistics for `table` (pg_class.reltuples is -1 before)."""
    tuples = connection.execute(
        text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table}
    ).scalar_one()
    return float(tuples) > 0


def _code(n: int) -> str:
    body = f"91350200MA{n:07d}"
    return body + check_character(body)


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[Database]:
    """A migrated, empty database on PostgreSQL only: SQLite keeps no statistics (by design)."""
    _reset_pg(pg_url)
    database = open_database(pg_url)
    yield database
    database.dispose()


def test_the_demo_city_leaves_statistics_for_the_tables_it_filled(pg_database: Database) -> None:
    stats = build_demo_city(pg_database, scale=0.05)
    with pg_database.engine.connect() as connection:
        for table in ("enterprises", "certificates", "achievements", "demands"):
            assert stats.rows.get(table), table
            assert _analysed(connection, table), table


def test_a_large_import_refreshes_its_tables_statistics_and_a_small_one_does_not(
    pg_database: Database,
) -> None:
    rows = [{"credit_code": _code(n), "name": f"厦门测试企业{n}"} for n in range(BULK_ROWS + 10)]
    with pg_database.engine.begin() as connection:
        SqlIngestStore(connection).upsert("enterprises", rows[:10])
        assert not _analysed(connection, "enterprises")
        SqlIngestStore(connection).upsert("enterprises", rows[10:])
        assert _analysed(connection, "enterprises")
