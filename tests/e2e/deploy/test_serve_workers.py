"""`fourchain serve --workers N`: several worker processes over PostgreSQL, each answering;
refused over SQLite with one line and exit code 2."""

from __future__ import annotations

import gc
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fourchain.bootstrap import Database
from fourchain.bootstrap.serving import check_workers, pool_size
from fourchain.entrypoints.cli.main import run
from fourchain.errors import ConfigError

FOURCHAIN = str(Path(sys.executable).with_name("fourchain"))


def test_several_workers_over_sqlite_are_refused_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["serve", "--db", str(tmp_path / "one.db"), "--workers", "2"]) == 2
    assert "needs PostgreSQL" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "workers", "refused"),
    [
        ("sqlite:///x.db", 1, False),
        ("sqlite:///x.db", 2, True),
        ("postgresql+psycopg://u:p@h/db", 4, False),
        ("postgresql+psycopg://u:p@h/db", 0, True),
    ],
)
def test_worker_counts_are_checked_against_the_database(
    url: str, workers: int, refused: bool
) -> None:
    if refused:
        with pytest.raises(ConfigError):
            check_workers(url, workers)
    else:
        check_workers(url, workers)


@pytest.mark.parametrize(("workers", "pool"), [(1, 32), (2, 16), (4, 12), (16, 12)])
def test_workers_share_the_connection_budget(workers: int, pool: int) -> None:
    assert pool_size(workers) == pool


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_over_postgresql_serve_and_stop_on_sigterm(pg_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, FOURCHAIN_ENV="production", FOURCHAIN_SECRET_KEY="s" * 48)
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [FOURCHAIN, "serve", "--db", pg_url, "--port", str(port), "--workers", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 240  # two app imports on a busy 2-core machine
        while True:
            assert server.poll() is None, log.read_text("utf-8", "replace")
            assert time.monotonic() < deadline, "no answer from the workers in four minutes"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        children = subprocess.run(
            ["ps", "-o", "args=", "--ppid", str(server.pid)], capture_output=True, text=True
        ).stdout
        assert children.count("multiprocessing.spawn") == 2, children
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=120) == 0


def test_a_serving_app_settles_its_heap_after_each_index_load(sqlite_database: Database) -> None:
    from fourchain.bootstrap.serving import settle_heap
    from fourchain.entrypoints.web.app import create_app
    from tests.integration.web.conftest import web_settings

    served = create_app(sqlite_database, web_settings(), serving=True)
    assert served.state.services.after_index_load is settle_heap
    assert create_app(sqlite_database, web_settings()).state.services.after_index_load is None
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0  # what is alive now is out of the full scans
    finally:
        gc.unfreeze()
