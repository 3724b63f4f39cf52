"""Time the import of a 100,000-row enterprise panel (CSV and XLSX) into SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from fourchain.adapters.db.ingest_repo import SqlIngestStore
from fourchain.adapters.db.tables import enterprise_years
from fourchain.adapters.ingest import read_table
from fourchain.bootstrap import Database, open_database
from fourchain.config import sqlite_url
from fourchain.domain.records import RECORD_KINDS
from fourchain.services.ingest import ImportResult, import_rows

sys.path.insert(0, str(Path(__file__).parent))
import gen_panel  # noqa: E402 - the sibling script that writes the panel

PG_URL = os.environ.get(
    "FOURCHAIN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def peak_rss_mb() -> float:
    """This process's memory high-water mark so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(database: Database, kind: str, path: Path) -> tuple[float, float, ImportResult]:
    """Wall and CPU seconds of one import as the CLI runs it: read, check, upsert, commit."""
    spec = RECORD_KINDS[kind]
    wall, cpu = time.perf_counter(), time.process_time()
    with read_table(path, spec) as source, database.engine.begin() as connection:
        result = import_rows(SqlIngestStore(connection), spec, source, today=date.today())
    return time.perf_counter() - wall, time.process_time() - cpu, result


def openpyxl_read_seconds(path: Path) -> float:
    """The baseline: CPU seconds to read every cell with openpyxl's read-only mode."""
    import openpyxl

    start = time.process_time()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()
    return time.process_time() - start


def our_read_seconds(path: Path) -> float:
    """CPU seconds (steadier than wall time on a shared machine) for fourchain's reader."""
    start = time.process_time()
    with read_table(path, RECORD_KINDS["enterprise_years"]) as source:
        for _row in source.rows:
            pass
    return time.process_time() - start


def pg_database() -> tuple[str, Callable[[], None]] | None:
    name = f"fourchain_bench_{os.getpid()}"
    try:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - unreachable: say so and go on with SQLite
        print(f"PostgreSQL not reachable at {PG_URL}: {type(error).__name__}; skipped")
        return None

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="panel rows (5 years each)")
    parser.add_argument("--folder", type=Path, help="keep the generated files here")
    parser.add_argument("--reuse", action="store_true", help="reuse the files in --folder")
    parser.add_argument("--no-baseline", action="store_true", help="skip openpyxl's read")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        names = {
            "enterprises": "enterprises.csv",
            "panel_csv": "panel.csv",
            "panel_xlsx": "panel.xlsx",
        }
        paths = {key: folder / name for key, name in names.items()}
        if args.reuse and all(path.exists() for path in paths.values()):
            print(f"reusing the files in {folder}")
        else:
            start = time.perf_counter()
            paths = gen_panel.generate(folder, args.rows // 5, range(2020, 2025))
            print(f"generated {args.rows:,} panel rows in {time.perf_counter() - start:.1f} s")
        backends = [("SQLite", sqlite_url(Path(scratch) / "bench.db"), lambda: None)]
        pg = None if args.no_postgres else pg_database()
        if pg is not None:
            backends.append(("PostgreSQL", *pg))
        lines = []
        for name, url, cleanup in backends:
            database = open_database(url)
            timed_import(database, "enterprises", paths["enterprises"])
            csv_wall, csv_cpu, result = timed_import(
                database, "enterprise_years", paths["panel_csv"]
            )
            assert result.inserted == args.rows
            again_wall, _cpu, again = timed_import(database, "enterprise_years", paths["panel_csv"])
            assert again.unchanged == args.rows
            with database.engine.begin() as connection:
                connection.execute(delete(enterprise_years))
            xlsx_wall, xlsx_cpu, result = timed_import(
                database, "enterprise_years", paths["panel_xlsx"]
            )
            assert result.inserted == args.rows
            database.dispose()
            cleanup()
            lines += [
                (name, "CSV, new rows", csv_wall, csv_cpu, 1.0),
                (name, "CSV, re-import (unchanged)", again_wall, None, again_wall / csv_wall),
                (name, "XLSX, new rows", xlsx_wall, xlsx_cpu, xlsx_wall / csv_wall),
            ]
            print(f"{name}: done; peak memory so far {peak_rss_mb():,.0f} MB", flush=True)
        print(
            f"\n{'backend':<11} {'file':<28} {'wall s':>7} {'cpu s':>7} {'rows/s':>9} {'÷ CSV':>6}"
        )
        for name, what, wall, cpu, ratio in lines:
            cpu_text = f"{cpu:7.1f}" if cpu is not None else "      -"
            rate = args.rows / wall
            print(f"{name:<11} {what:<28} {wall:7.1f} {cpu_text} {rate:9,.0f} {ratio:6.2f}")
        print("cpu s: this process only (PostgreSQL's server work is not in it); rows/s: wall")
        if not args.no_baseline:
            ours = our_read_seconds(paths["panel_xlsx"])
            theirs = openpyxl_read_seconds(paths["panel_xlsx"])
            print(
                f"\nreading the XLSX only (CPU): fourchain {ours:.1f} s, "
                f"openpyxl read-only {theirs:.1f} s (openpyxl ÷ fourchain = {theirs / ours:.2f})"
            )


if __name__ == "__main__":
    main()
