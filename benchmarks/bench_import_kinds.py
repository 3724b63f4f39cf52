"""Import rows/s per kind on SQLite and PostgreSQL, beside the enterprise import, from the
demo city's import files (`fourchain demo --files`); then 100,000 investments on each.

    python benchmarks/bench_import_kinds.py [--scale 0.1] [--investments 100000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_import import pg_database, timed_import  # noqa: E402 - the sibling benchmark
from fourchain.bootstrap import open_database  # noqa: E402
from fourchain.config import sqlite_url  # noqa: E402
from fourchain.demo.city import build_demo_city  # noqa: E402
from fourchain.demo.files import MANIFEST, write_demo_files  # noqa: E402


def many_investments(files: Path, count: int, out: Path) -> Path:
    """`count` investments: the demo's rows repeated under new record numbers."""
    with (files / "investments.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(count):
            row = list(rows[n % len(rows)])
            row[0] = str(n + 1)
            writer.writerow(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.1, help="demo city scale")
    parser.add_argument("--investments", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        built = open_database(sqlite_url(folder / "demo.db"))
        build_demo_city(built, scale=args.scale)
        write_demo_files(built.engine, folder / "files")
        built.dispose()
        print(
            f"demo city (scale {args.scale}) built and written in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        names = (folder / "files" / MANIFEST).read_text(encoding="utf-8").split()
        big = many_investments(folder / "files", args.investments, folder / "investments-big.csv")
        backends = [("SQLite", sqlite_url(folder / "bench.db"), lambda: None)]
        pg = None if args.no_postgres else pg_database()
        if pg is not None:
            backends.append(("PostgreSQL", *pg))
        table: dict[str, dict[str, tuple[int, float]]] = {}
        for backend, url, cleanup in backends:
            database = open_database(url)
            for name in names:
                kind = name.removesuffix(".csv")
                wall, _cpu, result = timed_import(database, kind, folder / "files" / name)
                table.setdefault(kind, {})[backend] = (result.rows, wall)
            # the 100,000: a second import file of investments, numbers after the demo's
            wall, _cpu, result = timed_import(database, "investments", big)
            table.setdefault(f"investments ×{args.investments:,}", {})[backend] = (
                result.rows,
                wall,
            )
            database.dispose()
            cleanup()
            print(f"{backend}: done", flush=True)
        backends_run = [b for b, _u, _c in backends]
        base = {b: table["enterprises"][b][0] / table["enterprises"][b][1] for b in backends_run}
        head = f"{'kind':<28} {'rows':>8}"
        for b in backends_run:
            head += f" {b + ' rows/s':>18} {'÷ enterprises':>13}"
        print("\n" + head)
        for kind, by_backend in table.items():
            rows = next(iter(by_backend.values()))[0]
            line = f"{kind:<28} {rows:>8,}"
            for b in backends_run:
                n, wall = by_backend[b]
                rate = n / wall
                line += f" {rate:>18,.0f} {rate / base[b]:>13.2f}"
            print(line)
        for b in backends_run:
            n, wall = table[f"investments ×{args.investments:,}"][b]
            print(f"{b}: {n:,} investments imported in {wall:.1f} s (wall, one transaction)")


if __name__ == "__main__":
    main()
