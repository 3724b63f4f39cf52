"""Build the full demo city on SQLite and on PostgreSQL (when reachable), each in a fresh
process, and print rows written per table, seconds (generation and writing) and peak memory.

    .venv/bin/python benchmarks/bench_demo.py [--scale 1.0] [--seed N]

PostgreSQL: FOURCHAIN_BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
a scratch database is created and dropped. Target: the full build well under a minute on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN = os.environ.get(
    "FOURCHAIN_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def one(url: str, seed: int, scale: float) -> None:
    """Child process: build into `url` and print the figures as JSON."""
    from fourchain.bootstrap import open_database
    from fourchain.demo.build import build_demo

    database = open_database(url)
    stats = build_demo(database, seed=seed, scale=scale)
    database.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"rows": stats.rows, "seconds": stats.seconds,
                      "generate": stats.generate_seconds, "peak_mb": usage.ru_maxrss / 1024,
                      "cpu": usage.ru_utime + usage.ru_stime}))  # fmt: skip


def _child(url: str, seed: int, scale: float) -> dict[str, object]:
    command = [sys.executable, __file__, "--one", url, "--seed", str(seed), "--scale", str(scale)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _pg_scratch() -> str | None:
    name = f"fourchain_bench_{os.getpid()}"
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 - unreachable: skip that backend
        print(f"PostgreSQL not reachable ({type(error).__name__}); SQLite only")
        return None
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from fourchain.demo.build import DEFAULT_SEED

    seed = DEFAULT_SEED if args.seed is None else args.seed
    if args.one:
        one(args.one, seed, args.scale)
        return
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder:
        results["SQLite"] = _child(f"sqlite:///{Path(folder) / 'demo.db'}", seed, args.scale)
    pg = _pg_scratch()
    if pg is not None:
        try:
            results["PostgreSQL"] = _child(pg, seed, args.scale)
        finally:
            _drop(pg)
    first = next(iter(results.values()))
    rows = first["rows"]
    assert isinstance(rows, dict)
    total_rows = sum(rows.values())
    print(f"\ndemo city build, seed {seed}, scale {args.scale}: rows written per table")
    for name, n in rows.items():
        print(f"  {name:<18}{n:>10,}")
    print(f"  {'total':<18}{total_rows:>10,}\n")
    # Wall seconds depend on what else runs; CPU seconds of the build process (imports and
    # the database server's own work excluded / included as noted) are steadier.
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    header = (
        "backend",
        "generate s",
        "write s",
        "total s",
        "cpu s",
        "rows/s",
        "peak MB",
        "× SQLite",
    )
    print("{:<12}{:>12}{:>10}{:>10}{:>8}{:>11}{:>10}{:>10}".format(*header))
    base = float(str(first["seconds"]))
    for backend, r in results.items():
        total, gen = float(str(r["seconds"])), float(str(r["generate"]))
        print(
            f"{backend:<12}{gen:>12.1f}{total - gen:>10.1f}{total:>10.1f}"
            f"{float(str(r['cpu'])):>8.1f}"
            f"{total_rows / total:>11,.0f}{float(str(r['peak_mb'])):>10.0f}{total / base:>10.2f}"
        )


if __name__ == "__main__":
    main()
