"""PostgreSQL: the registry's 3-character name search while a 100,000-row enterprise import
rewrites the names, for each size of the trigram indexes' GIN pending list (migration 0031's
256 kB, the server's 4 MB default, fastupdate off), in the same run on the same database:
the search's p50/p95/max milliseconds (one client, searching back to back) and the import's
seconds, with each as a ratio to migration 0031's setting.

    .venv/bin/python benchmarks/bench_search_beside_import.py [--scale 1] [--rows 100000]
        [--imports 2] [--settings 256,default,off]

It builds the demo registry (fourchain.demo.build) in a scratch database on
FOURCHAIN_TEST_PG_URL's server. Each import is `fourchain import --kind enterprises` in its own
process, alternating two files whose names differ, so every run rewrites every row and its
index entries. Before each setting the pending lists are merged and the table vacuumed.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, text

from fourchain.adapters.db.engine import make_engine
from fourchain.adapters.db.registry_read import SqlRegistryReader
from fourchain.bootstrap import open_database
from fourchain.services.registry_views import DirectoryQuery

HERE = Path(__file__).parent
DAY = date(2025, 12, 31)


def _trigram_indexes(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        found = connection.scalars(
            text(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "AND indexdef LIKE '%gin_trgm_ops%' ORDER BY indexname"
            )
        )
        return list(found)


def _apply(engine: Engine, setting: str) -> None:
    """Set every trigram index to `setting` (kB, 'default' or 'off'), merge what is pending."""
    indexes = _trigram_indexes(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for index in indexes:
            fastupdate = "off" if setting == "off" else "on"
            connection.execute(text(f'ALTER INDEX "{index}" SET (fastupdate = {fastupdate})'))
            if setting.isdigit():
                limit = f"SET (gin_pending_list_limit = {setting})"
            else:
                limit = "RESET (gin_pending_list_limit)"
            connection.execute(text(f'ALTER INDEX "{index}" {limit}'))
            connection.execute(text(f"SELECT gin_clean_pending_list('{index}')"))
        connection.execute(text("VACUUM ANALYZE enterprises"))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def _run(
    url: str, reader: SqlRegistryReader, names: list[str], path: Path
) -> tuple[float, list[float]]:
    """One import of `path`, searching back to back until it ends: (its seconds, search ms)."""
    fourchain = str(Path(sys.executable).with_name("fourchain"))
    command = [fourchain, "import", "--kind", "enterprises", str(path), "--db", url]
    rng = random.Random(7)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    searches: list[float] = []
    while process.poll() is None:
        began = time.perf_counter()
        reader.search_enterprises(DirectoryQuery(query=rng.choice(names)), DAY, 0, 20)
        searches.append(1000 * (time.perf_counter() - began))
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise RuntimeError(f"the import failed: {error[-400:]}")
    return seconds, searches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo registry scale")
    parser.add_argument("--rows", type=int, default=100_000, help="rows per import")
    parser.add_argument("--imports", type=int, default=2, help="imports per setting")
    parser.add_argument("--settings", default="256,default,off")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import bench_import  # the sibling scripts' scratch database and import files
    import bench_web_load

    made = bench_import.pg_database()
    if made is None:
        return
    url, drop = made
    try:
        from fourchain.demo.build import build_demo

        database = open_database(url)
        build_demo(database, scale=args.scale)
        database.dispose()
        engine = make_engine(url)
        reader = SqlRegistryReader(engine)
        with engine.connect() as connection:
            rows = connection.scalars(text("SELECT name FROM enterprises LIMIT 500"))
            names = [str(name)[2:5] for name in rows]  # 厦门<syllables>…: a rare substring
        results: dict[str, tuple[list[float], list[float]]] = {}
        with tempfile.TemporaryDirectory() as tmp:
            files = bench_web_load._import_files(Path(tmp), args.rows)
            for setting in args.settings.split(","):
                _apply(engine, setting)
                seconds, searched = [], []
                for run in range(args.imports):
                    took, found = _run(url, reader, names, files[run % len(files)])
                    seconds.append(took)
                    searched += found
                results[setting] = (seconds, searched)
                print(f"  {setting}: imports {', '.join(f'{s:.1f} s' for s in seconds)}")
        engine.dispose()
    finally:
        drop()
    base_seconds, base_searches = next(iter(results.values()))
    base_p95, base_import = _pct(base_searches, 0.95), sum(base_seconds) / len(base_seconds)
    print(f"\n3-character name search beside a {args.rows:,}-row import (PostgreSQL)")
    print(f"{'pending list':<14}{'searches':>9}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}"
          f"{'p95 ratio':>10}{'import s':>10}{'import ratio':>13}")  # fmt: skip
    for setting, (seconds, searched) in results.items():
        label = f"{setting} kB" if setting.isdigit() else setting
        mean = sum(seconds) / len(seconds)
        print(
            f"{label:<14}{len(searched):>9}{_pct(searched, 0.5):>8.1f}{_pct(searched, 0.95):>8.1f}"
            f"{max(searched):>8.0f}{_pct(searched, 0.95) / base_p95:>10.2f}{mean:>10.1f}"
            f"{mean / base_import:>13.2f}"
        )


if __name__ == "__main__":
    main()
