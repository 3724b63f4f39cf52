"""The query planner's statistics, refreshed after a bulk write on PostgreSQL.

PostgreSQL plans from per-table statistics that autovacuum refreshes some time after a write
(its launcher looks once a minute, and only past 10 % of the table changed). A table filled by
the demo build or a large import has none until then, and the planner guesses: measured on the
demo city (32,223 enterprises) just after the build, a three-character name search read the
whole table (64.6 ms median over 30 names) where, after ANALYZE, it used the pg_trgm indexes
(4.1 ms): 16 times slower for the first minute or more. So a bulk write refreshes the statistics
of the tables it filled, inside its own transaction (ANALYZE may run there and sees the
transaction's own rows). SQLite is left alone: its planner works without statistics here, and
the plans the web's pages were tuned on assume none.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

# Rows a write must touch before it refreshes a table's statistics (ANALYZE samples at most
# 30,000 rows: 0.15 s for the demo's enterprises, 0.9 s for the whole demo city, measured).
BULK_ROWS = 1000


def refresh_statistics(connection: Connection, tables: Iterable[str] | None = None) -> None:
    """ANALYZE each table (names from the metadata, never from input), or with none named every
    table of the database, on PostgreSQL."""
    if connection.dialect.name != "postgresql":
        return
    if tables is None:
        connection.exec_driver_sql("ANALYZE")
        return
    for name in tables:
        connection.exec_driver_sql(f'ANALYZE "{name}"')
