"""The registry's name search through the trigram indexes of migration 0009 beside the
substring scan they replaced, measured in the same run on the same database: wall and CPU
milliseconds per directory search (count + first page), and the ratio.

    .venv/bin/python benchmarks/bench_name_search.py --db URL_OR_SQLITE_FILE [--searches 50]
    .venv/bin/python benchmarks/bench_name_search.py --scale 1 [--backend sqlite|postgresql]

Without --db it builds the demo registry (fourchain.demo.build) at --scale into a temporary
SQLite file or a scratch PostgreSQL database. The scan is the same SQL with the index taken
away: on SQLite the `ILIKE` form of the query (what the reader ran before 0009), on PostgreSQL
the same statement with bitmap and index scans disabled for the session.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text

from fourchain.adapters.db.engine import make_engine
from fourchain.adapters.db.registry_read import SqlRegistryReader
from fourchain.bootstrap import database_url, open_database
from fourchain.services.registry_views import DirectoryQuery

DAY = date(2025, 12, 31)


def _scan_engine(url: str) -> Engine:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":

        def no_index(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET enable_bitmapscan = off")
                cursor.execute("SET enable_indexscan = off")
            dbapi_connection.commit()

        event.listen(engine, "connect", no_index)
    return engine


def _time(reader: SqlRegistryReader, queries: list[str]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for q in queries:
        reader.search_enterprises(DirectoryQuery(query=q), DAY, 0, 20)
    n = len(queries)
    return 1000 * (time.perf_counter() - wall) / n, 1000 * (time.process_time() - cpu) / n


def _measure(url: str, searches: int) -> None:
    indexed = SqlRegistryReader(make_engine(url))
    scanning = SqlRegistryReader(_scan_engine(url))
    if scanning.dialect == "sqlite":
        scanning.dialect = "scan"  # name_search's ILIKE form: the query before migration 0009
    with indexed.engine.connect() as connection:
        names = list(connection.scalars(text("SELECT name FROM enterprises LIMIT 500")))
        total = connection.scalar(text("SELECT count(*) FROM enterprises"))
    rng = random.Random(7)
    # Demo names are 厦门<two syllables><trade word>…: three characters from the syllables on.
    workloads = {
        "3 characters": [rng.choice(names)[2:5] for _ in range(searches)],
        "4 characters (有限公司, every row)": ["有限公司"] * max(5, searches // 10),
    }
    print(f"\n{indexed.dialect}: {total:,} enterprises, load average {os.getloadavg()[0]:.1f}")
    print(f"{'query':<36}{'index ms':>10}{'CPU':>7}{'scan ms':>10}{'CPU':>7}{'scan/index':>12}")
    for label, queries in workloads.items():
        _time(indexed, queries[:3]), _time(scanning, queries[:3])  # warm both caches
        index_wall, index_cpu = _time(indexed, queries)
        scan_wall, scan_cpu = _time(scanning, queries)
        print(
            f"{label:<36}{index_wall:>10.1f}{index_cpu:>7.1f}{scan_wall:>10.1f}{scan_cpu:>7.1f}"
            f"{scan_wall / index_wall:>11.1f}×"
        )
    indexed.engine.dispose()
    scanning.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a built database (SQLite file or URL)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--searches", type=int, default=50)
    args = parser.parse_args()
    if args.db:
        url = database_url(args.db)
        open_database(url).dispose()
        _measure(url, args.searches)
        return
    from fourchain.demo.build import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        if args.backend == "sqlite":
            url, drop = database_url(str(Path(tmp) / "search.db")), None
        else:
            import bench_import  # the sibling script's scratch database

            made = bench_import.pg_database()
            if made is None:
                return
            url, drop = made
        try:
            database = open_database(url)
            build_demo(database, scale=args.scale)
            database.dispose()
            _measure(url, args.searches)
        finally:
            if drop is not None:
                drop()


if __name__ == "__main__":
    main()
