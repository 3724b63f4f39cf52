"""Load the web platform with 32 concurrent clients and print p50/p95 latency, throughput and
errors for the dashboard page and the enterprise API, beside /healthz measured the same way in
the same run (the framework's own floor).

    .venv/bin/python benchmarks/bench_web_load.py [--db PATH] [--scale 0.3] [--clients 32]
        [--seconds 15]

Without --db it builds the synthetic demo city (fourchain.demo.build) at --scale into a temporary
SQLite file. The server is `fourchain serve` in its own process; the clients are httpx async
clients in this one. Target: zero errors; dashboard and enterprise API p95 well under a second
at 32 clients on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).parent


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _build(scale: float, folder: Path) -> Path:
    from fourchain.bootstrap import open_database
    from fourchain.config import sqlite_url
    from fourchain.demo.build import build_demo

    path = folder / "load.db"
    database = open_database(sqlite_url(path))
    started = time.perf_counter()
    stats = build_demo(database, scale=scale)
    database.dispose()
    print(f"built demo city at scale {scale} in {time.perf_counter() - started:.0f} s: "
          f"{stats.rows.get('enterprises', 0):,} enterprises")  # fmt: skip
    return path


def _credit_codes(path: Path, n: int = 500) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        codes = [
            str(row[0])
            for row in connection.execute(
                text("SELECT credit_code FROM enterprises ORDER BY credit_code LIMIT :n"), {"n": n}
            )
        ]
    engine.dispose()
    return codes


async def _load(
    base: str, make_path: Callable[[random.Random], str], clients: int, seconds: float
) -> Tally:
    tally = Tally()
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(seed: int) -> None:
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
            while time.perf_counter() < deadline:
                path = make_path(rng)
                started = time.perf_counter()
                try:
                    response = await http.get(path)
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                tally.latencies.append(time.perf_counter() - started)
                tally.statuses[status] = tally.statuses.get(status, 0) + 1
                if status != 200:
                    tally.errors += 1

    await asyncio.gather(*(client(i) for i in range(clients)))
    return tally


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    fourchain = Path(sys.executable).with_name("fourchain")
    env = dict(os.environ, FOURCHAIN_ENV="development")
    process = subprocess.Popen(
        [str(fourchain), "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "died")
    process.kill()
    raise RuntimeError("the server did not start within two minutes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing SQLite database to serve")
    parser.add_argument("--scale", type=float, default=0.3, help="demo scale when building")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0, help="per workload")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or _build(args.scale, Path(tmp))
        codes = _credit_codes(db)
        port = _free_port()
        server = _serve(db, port)
        base = f"http://127.0.0.1:{port}"
        workloads: list[tuple[str, Callable[[random.Random], str]]] = [
            ("GET /healthz (floor)", lambda rng: "/healthz"),
            ("GET / (dashboard page)", lambda rng: "/"),
            ("GET /api/dashboard", lambda rng: "/api/dashboard"),
            ("GET /api/enterprises?page=",
             lambda rng: f"/api/enterprises?page={rng.randint(1, 50)}"),
            ("GET /api/enterprises?query=&cluster=",
             lambda rng: "/api/enterprises?query=%E5%8E%A6%E9%97%A8&cluster=biomedicine"),
            ("GET /api/enterprises/{credit_code}",
             lambda rng: f"/api/enterprises/{rng.choice(codes)}"),
        ]  # fmt: skip
        try:
            httpx.get(f"{base}/", timeout=60)  # warm the dashboard cache once
            results = []
            for name, make_path in workloads:
                tally = asyncio.run(_load(base, make_path, args.clients, args.seconds))
                results.append((name, tally))
        finally:
            server.terminate()
            server.wait(timeout=30)

    floor_p50 = results[0][1].pct(0.50)
    print(f"\n{args.clients} concurrent clients, {args.seconds:.0f} s per workload, "
          f"server: fourchain serve (1 process), database: {db.name}")  # fmt: skip
    header = f"{'workload':<38}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
    print(header + f"{'errors':>8}{'p50/floor':>11}")
    for name, tally in results:
        n = len(tally.latencies)
        print(
            f"{name:<38}{n:>9}{n / args.seconds:>8.1f}{tally.pct(0.50):>9.1f}"
            f"{tally.pct(0.95):>9.1f}{tally.errors:>8}{tally.pct(0.50) / floor_p50:>11.1f}"
        )
        if tally.errors:
            print(f"    statuses: {tally.statuses}")
    mean = statistics.fmean(t.pct(0.95) for _, t in results[1:])
    print(f"mean p95 of the platform workloads: {mean:.1f} ms")
    return 1 if any(t.errors for _, t in results) else 0


if __name__ == "__main__":
    sys.exit(main())
