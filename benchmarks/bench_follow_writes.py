"""The cost of following another process's writes: one read of the data-version stamp
(`Services.follow_writes`, which the web's services dependency calls at most once a second),
beside a whole /healthz request through the app (TestClient, in this process), on a migrated
empty SQLite file and, with --pg, on PostgreSQL.

    .venv/bin/python benchmarks/bench_follow_writes.py [--rounds 2000] [--pg postgresql://...]

Prints the median and p95 of each and the ratio of the medians. The stamp is read at most once
a second, so a busy server pays it once a second, not once a request.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from fourchain.bootstrap import Services, open_database
from fourchain.config import Settings, sqlite_url
from fourchain.entrypoints.web.app import create_app


def _timed(call: object, rounds: int) -> list[float]:
    assert callable(call)
    call()  # warm
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def _line(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"  {name:<28} median {statistics.median(values) * 1e6:8.1f} µs  p95 {p95 * 1e6:8.1f} µs"


def run(url: str, rounds: int) -> None:
    database = open_database(url)
    try:
        settings = Settings(fourchain_env="development")  # type: ignore[call-arg]
        services = Services(database, settings)
        read = _timed(lambda: services.follow_writes(every=0.0), rounds)
        client = TestClient(create_app(database, settings))
        health = _timed(lambda: client.get("/healthz"), rounds)
        print(url.split(":", 1)[0])
        print(_line("follow_writes (one read)", read))
        print(_line("GET /healthz (TestClient)", health))
        ratio = statistics.median(read) / statistics.median(health)
        print(f"  ratio of medians: {ratio:.2f} of a /healthz request")
    finally:
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--pg", default="", help="a PostgreSQL URL to measure as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(sqlite_url(Path(folder) / "bench.db"), args.rounds)
    if args.pg:
        run(args.pg, args.rounds)


if __name__ == "__main__":
    main()
