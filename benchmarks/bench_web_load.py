"""Load the web platform with 32 concurrent clients and print p50/p95 latency and errors for the
enterprise list, the name search (3 characters: the trigram index; 2 characters: migration
0026's two-character pieces when the pair is rare, else the name index read in order), a
demand's match partial and the dashboard, beside /healthz measured the same way in the same run
(the framework's own floor); each plain and with a 100,000-row enterprise import running
alongside; on SQLite (one process) and on PostgreSQL (`serve --workers 2`). The 1-minute load
average is printed beside each figure: the machine is shared.

    .venv/bin/python benchmarks/bench_web_load.py [--scale 1] [--clients 32] [--seconds 10]
        [--import-rows 100000] [--backends sqlite,postgresql] [--pg-workers 2] [--threads N]

It builds the synthetic demo city (fourchain.demo.city: registry, pipeline, market) at --scale
in a temporary SQLite file and a scratch PostgreSQL database (FOURCHAIN_TEST_PG_URL's server),
brings the matching index up to date (`fourchain market index`) and serves it with
`fourchain serve` on 127.0.0.1 only.
The clients are httpx async clients in this process; every loop ends at its deadline. The
import is `fourchain import --kind enterprises` in its own process, alternating two files whose
names differ, so each run rewrites 100,000 names (and their search index entries).
Target at 32 clients: p95 <= 300 ms for list, search and match, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote

import httpx

HERE = Path(__file__).parent
LOGS = Path(tempfile.gettempdir())  # the servers' stderr, kept after the run


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


async def _load(
    base: str,
    make_path: Callable[[random.Random], str],
    clients: int,
    seconds: float,
    headers: dict[str, str],
) -> Tally:
    tally = Tally()
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(seed: int) -> None:
        rng = random.Random(seed)
        async with httpx.AsyncClient(
            base_url=base, timeout=30, limits=limits, headers=headers
        ) as http:
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


@dataclass
class Backend:
    name: str
    url: str
    workers: int
    drop: Callable[[], None]


def _fourchain() -> str:
    return str(Path(sys.executable).with_name("fourchain"))


def _backends(chosen: list[str], folder: Path, pg_workers: int) -> list[Backend]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from fourchain.config import sqlite_url

    found: list[Backend] = []
    if "sqlite" in chosen:
        found.append(Backend("SQLite", sqlite_url(folder / "load.db"), 1, lambda: None))
    if "postgresql" in chosen:
        admin_url = os.environ.get(
            "FOURCHAIN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
        name = f"fourchain_bench_load_{os.getpid()}"
        try:
            admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as error:  # noqa: BLE001 - unreachable: say so, go on with SQLite
            print(f"PostgreSQL not reachable at {admin_url}: {type(error).__name__}; skipped")
            return found

        def drop() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        found.append(Backend(f"PostgreSQL ({pg_workers} workers)", url, pg_workers, drop))
    return found


def _build(url: str, scale: float) -> None:
    from fourchain.bootstrap import open_database
    from fourchain.demo.city import build_demo_city

    database = open_database(url)
    started = time.perf_counter()
    stats = build_demo_city(database, scale=scale)
    database.dispose()
    print(f"  demo city at scale {scale}: {stats.rows.get('enterprises', 0):,} enterprises "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    started = time.perf_counter()
    subprocess.run([_fourchain(), "market", "index", "--db", url], check=True, capture_output=True)
    print(f"  matching index brought up to date in {time.perf_counter() - started:.0f} s")


def _samples(url: str) -> tuple[list[str], list[str], list[str]]:
    """Names to search for (3 and 2 characters) and demand ids, from the served database."""
    from sqlalchemy import text

    from fourchain.adapters.db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        names = [str(n) for n in connection.scalars(text("SELECT name FROM enterprises LIMIT 500"))]
        demands = [str(d) for d in connection.scalars(text("SELECT id FROM demands LIMIT 200"))]
    engine.dispose()
    # Demo names are 厦门<two syllables><trade word>…: the syllables are a rare substring.
    return [n[2:5] for n in names], [n[2:4] for n in names], demands


def _import_files(folder: Path, rows: int) -> list[Path]:
    """Two enterprise files over the same credit codes whose names differ: importing them in
    turn rewrites every row (an identical row would be left untouched)."""
    sys.path.insert(0, str(HERE))
    import gen_panel
    from fourchain.domain.records import RECORD_KINDS

    codes = gen_panel.credit_codes(rows)
    keys = RECORD_KINDS["enterprises"].keys
    paths = []
    for variant, word in (("a", "科技"), ("b", "智能")):
        path = folder / f"import-{variant}.csv"
        renamed = (
            {**row, "name": str(row["name"]).replace("科技", word)}
            for row in gen_panel.enterprise_rows(codes)
        )
        gen_panel.write_csv(path, keys, renamed)
        paths.append(path)
    return paths


class Importer:
    """`fourchain import` runs back to back, alternating files, until stopped."""

    def __init__(self, url: str, files: list[Path]) -> None:
        self.url, self.files = url, files
        self.process: subprocess.Popen[bytes] | None = None
        self.runs: list[float] = []
        self.failed = 0
        self._started = 0.0

    def _start(self) -> None:
        path = self.files[len(self.runs) % len(self.files)]
        self._started = time.perf_counter()
        self.process = subprocess.Popen(
            [_fourchain(), "import", "--kind", "enterprises", str(path), "--db", self.url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def keep_running(self) -> None:
        if self.process is None:
            self._start()
        elif self.process.poll() is not None:
            self.runs.append(time.perf_counter() - self._started)
            self.failed += self.process.returncode != 0
            self._start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.wait(timeout=600)  # one transaction: let it finish rather than cut it
            self.runs.append(time.perf_counter() - self._started)
            self.failed += self.process.returncode != 0


def _serve(
    backend: Backend, port: int, log: IO[bytes], threads: int | None
) -> subprocess.Popen[bytes]:
    env = dict(os.environ, FOURCHAIN_ENV="development")
    if threads is not None:  # else the setting's default
        env["FOURCHAIN_WEB_THREADS"] = str(threads)
    command = [_fourchain(), "serve", "--db", backend.url, "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(backend.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped; its log: {log.name}")
    process.kill()
    raise RuntimeError(f"the server did not start within three minutes; its log: {log.name}")


def _token(base: str, url: str) -> str:
    from fourchain.domain.accounts import Role
    from fourchain.entrypoints.cli.web import demo_accounts

    admin = next(a for a in demo_accounts(url) if a.role is Role.BUREAU_ADMIN)
    answer = httpx.post(
        f"{base}/api/auth/token",
        data={"username": admin.username, "password": admin.password},
        timeout=60,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


Row = tuple[str, str, str, Tally, float]


def _run_backend(backend: Backend, args: argparse.Namespace, files: list[Path]) -> list[Row]:
    print(f"{backend.name}:")
    _build(backend.url, args.scale)
    long, short, demands = _samples(backend.url)
    port = _free_port()
    log = (LOGS / f"serve-{backend.workers}.log").open("wb")
    server = _serve(backend, port, log, args.threads)
    base = f"http://127.0.0.1:{port}"
    rows: list[Row] = []
    try:
        headers = {"authorization": f"Bearer {_token(base, backend.url)}"}
        workloads: list[tuple[str, Callable[[random.Random], str]]] = [
            ("GET /healthz (floor)", lambda rng: "/healthz"),
            ("list /api/enterprises?page=",
             lambda rng: f"/api/enterprises?page={rng.randint(1, 50)}"),
            ("search, 3 characters (index)",
             lambda rng: f"/api/enterprises?query={quote(rng.choice(long))}"),
            ("search, 2 characters (pieces)",
             lambda rng: f"/api/enterprises?query={quote(rng.choice(short))}"),
            ("match partial /market/demands/{id}/matches",
             lambda rng: f"/market/demands/{rng.choice(demands)}/matches"),
            ("GET / (dashboard page)", lambda rng: "/"),
        ]  # fmt: skip
        for path in ("/", f"/market/demands/{demands[0]}/matches"):
            httpx.get(base + path, headers=headers, timeout=600)  # warm caches once
        for phase in ("plain", "import alongside"):
            importer = Importer(backend.url, files) if phase != "plain" else None
            for name, make_path in workloads:
                if importer is not None:
                    importer.keep_running()
                tally = asyncio.run(_load(base, make_path, args.clients, args.seconds, headers))
                rows.append((backend.name, phase, name, tally, os.getloadavg()[0]))
            if importer is not None:
                importer.keep_running()
                importer.stop()
                print(f"  imports alongside: {len(importer.runs)} run(s) of {args.import_rows:,} "
                      f"rows, {', '.join(f'{s:.0f} s' for s in importer.runs)}; "
                      f"{importer.failed} failed")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    return rows


def _print(rows: list[Row], args: argparse.Namespace) -> None:
    threads = args.threads or "the default"
    print(f"\n{args.clients} concurrent clients, {args.seconds:.0f} s per workload, "
          f"{threads} threads per server process; "
          "load = 1-minute load average at the end of the workload (2 cores, shared)")  # fmt: skip
    header = f"{'backend':<26}{'phase':<18}{'workload':<44}{'req':>6}{'p50 ms':>8}{'p95 ms':>8}"
    print(header + f"{'errors':>7}{'p95/floor':>10}{'load':>6}")
    floors: dict[tuple[str, str], float] = {}
    for backend, phase, name, tally, load in rows:
        if name.startswith("GET /healthz"):
            floors[(backend, phase)] = tally.pct(0.95)
        floor = floors.get((backend, phase), float("nan"))
        print(
            f"{backend:<26}{phase:<18}{name:<44}{len(tally.latencies):>6}{tally.pct(0.5):>8.0f}"
            f"{tally.pct(0.95):>8.0f}{tally.errors:>7}{tally.pct(0.95) / floor:>10.1f}{load:>6.1f}"
        )
        if tally.errors:
            print(f"    statuses: {tally.statuses}")
    targeted = [r for r in rows if r[2].startswith(("list", "search", "match"))]
    met = sum(r[3].pct(0.95) <= TARGET_P95_MS and not r[3].errors for r in targeted)
    print(f"target p95 <= {TARGET_P95_MS} ms with 0 errors: met by {met} of {len(targeted)}")


TARGET_P95_MS = 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo city scale")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0, help="per workload and phase")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=None, help="FOURCHAIN_WEB_THREADS of each server process"
    )
    args = parser.parse_args()

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = _import_files(folder, args.import_rows)
        backends = _backends(args.backends.split(","), folder, args.pg_workers)
        try:
            for backend in backends:
                measured = _run_backend(backend, args, files)
                _print(measured, args)  # as each backend ends: a long run shows its progress
                rows += measured
        finally:
            for backend in backends:  # every scratch database, even after a failure
                backend.drop()
    return 1 if any(r[3].errors for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
