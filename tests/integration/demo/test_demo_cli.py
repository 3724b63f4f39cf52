"""`fourchain demo`: builds once, says it is synthetic, rebuilds on request, runs the main
job, and refuses a database that holds a registry which is not a demo city."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert

from fourchain.adapters.db.tables import enterprises
from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.domain.credit_code import make_credit_code
from fourchain.entrypoints.cli.main import run

pytestmark = pytest.mark.slow
SMALL = ["--scale", "0.02"]


def _label(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT key, value FROM dataset_info").fetchall())


def test_build_only_builds_once_and_says_the_data_is_synthetic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    assert run(["demo", "--db", str(path), "--build-only", "--seed", "5", *SMALL]) == 0
    first = capsys.readouterr()
    assert "synthetic demo city" in first.out and "示例城市（合成数据）" in first.out
    assert "built in" in first.err
    assert _label(path)["seed"] == "5"
    # The market's matching index is built with the city, beside it: a match answers at once.
    assert "matching index built" in first.err
    assert (tmp_path / "demo.db.market-index" / "CURRENT").exists()
    # The reserve pools are queued for the worker beside the demo (the pages open warm).
    assert "reserve pools queued for the job worker" in first.err
    with sqlite3.connect(path) as connection:
        kinds = connection.execute("SELECT kind, status FROM jobs").fetchall()
    assert ("cultivation.pools", "queued") in kinds
    assert run(["demands", "match", "1", "--db", str(path), "--json"]) == 0
    assert '"kind": "achievement"' in capsys.readouterr().out
    assert run(["demo", "--db", str(path), "--build-only", "--seed", "6", *SMALL]) == 0
    assert "already built (seed 5" in capsys.readouterr().err
    assert _label(path)["seed"] == "5"


def test_rebuild_builds_again_with_the_new_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    assert run(["demo", "--db", str(path), "--build-only", *SMALL]) == 0
    assert run(["demo", "--db", str(path), "--build-only", "--rebuild", "--seed", "9", *SMALL]) == 0
    assert _label(path)["seed"] == "9"
    assert "built in" in capsys.readouterr().err


def test_without_build_only_it_prints_the_demo_accounts_and_serves_the_platform(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo.db"
    assert run(["demo", "--db", str(path), "--build-only", *SMALL]) == 0
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fourchain.entrypoints.cli.main",
            "demo",
            "--db",
            str(path),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = _wait_for(f"http://127.0.0.1:{port}/", server)
        assert "示例数据" in body  # every page says the data is synthetic
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert "演示账号 Demo accounts" in out
    assert f"http://127.0.0.1:{port}" in out


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, server: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.communicate()[0]}")
        try:
            return httpx.get(url, timeout=5).text
        except httpx.TransportError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within 120 s")


def test_a_database_holding_a_registry_that_is_not_a_demo_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "real.db"
    database = open_database(sqlite_url(path))
    with database.engine.begin() as connection:
        connection.execute(
            insert(enterprises),
            [{"credit_code": make_credit_code("91350200MA0000001"), "name": "真实登记"}],
        )
    database.dispose()
    for extra in ([], ["--rebuild"]):
        assert run(["demo", "--db", str(path), "--build-only", *extra, *SMALL]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "not a demo city" in err
        assert "Traceback" not in err
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM enterprises").fetchone()[0] == 1


@pytest.mark.parametrize("scale", ["0", "2", "-0.5"])
def test_a_scale_outside_zero_to_one_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scale: str
) -> None:
    path = tmp_path / "d.db"
    assert run(["demo", "--db", str(path), "--build-only", "--scale", scale]) == 2
    assert "scale must be in (0, 1]" in capsys.readouterr().err
    assert not path.exists()


def test_without_db_it_builds_in_the_data_folder_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FOURCHAIN_DATA_DIR", str(tmp_path / "data"))
    assert run(["demo", "--build-only", *SMALL]) == 0
    assert _label(tmp_path / "data" / "demo.db")["synthetic"] == "true"
    assert "synthetic demo city" in capsys.readouterr().out
