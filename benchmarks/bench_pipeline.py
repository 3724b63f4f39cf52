"""Pipeline read paths on the demo pipeline (2,780 projects, ~17,600 events at scale 1):
replaying every history from the database vs reusing the derived states while the
append-only log is unchanged, and what the funnel and the board cost on top.

Run: python benchmarks/bench_pipeline.py [--scale 1.0]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.adapters.db.tables import enterprises
from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.demo.pipeline import build_pipeline_demo
from fourchain.domain.credit_code import make_credit_code
from fourchain.domain.funnel import funnel
from fourchain.domain.pipeline import derive_state
from fourchain.services.pipeline import overview, states


def _timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(sqlite_url(Path(folder) / "bench.db"))
        with database.engine.begin() as connection:
            connection.execute(
                insert(enterprises),
                [
                    {"credit_code": make_credit_code(f"91350200MA{n:07d}"), "name": f"企业{n}",
                     "founded": date(2015, 1, 1), "cluster": "new_energy"}
                    for n in range(300)
                ],
            )  # fmt: skip
        started = time.perf_counter()
        stats = build_pipeline_demo(database.engine, seed=1, scale=args.scale)
        build = time.perf_counter() - started
        with database.engine.connect() as connection:
            store = SqlPipelineStore(connection)

            def cold() -> object:
                return {pid: derive_state(ev) for pid, ev in store.histories().items()}

            derived = cold()
            rows = [
                ("replay every history from the database (cold)", _timed(cold, args.repeat)),
                ("states(): log unchanged, derived states reused", 0.0),
                (
                    "funnel over derived states",
                    _timed(lambda: funnel(derived.values()), args.repeat),
                ),
                ("board (overview) with reused states", 0.0),
            ]
            states(store)  # fill the cache
            rows[1] = (rows[1][0], _timed(lambda: states(store), args.repeat))
            rows[3] = (rows[3][0], _timed(lambda: overview(store), args.repeat))
        database.dispose()
    events = stats.rows["pipeline_events"]
    print(
        f"demo pipeline: {stats.rows['pipeline_projects']:,} projects, {events:,} events; "
        f"built in {build:.1f} s (scale {args.scale})"
    )
    baseline = rows[0][1]
    print(f"{'path':<52}{'median s':>10}{'× cold':>10}")
    for name, seconds in rows:
        print(f"{name:<52}{seconds:>10.4f}{seconds / baseline:>10.3f}")


if __name__ == "__main__":
    main()
