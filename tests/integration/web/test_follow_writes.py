"""Another process's write shows on the served app's next request: the CLI imports an
enterprise into the database the app serves (same SQLite file, same PostgreSQL database), and
the dashboard — kept for a minute in the app's cache — counts it at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi import FastAPI

from fourchain.bootstrap import Database, Services
from fourchain.bootstrap.services import FOLLOW_SECONDS
from tests.integration.ingest.conftest import write_csv
from tests.integration.web.client import TestClient
from tests.integration.web.fixtures import make_credit_code

NEW = make_credit_code("91350200MA0000077")


def _cli_import(url: str, path: Path) -> None:
    """`fourchain import` in a process of its own, as an operator beside the server runs it."""
    command = [
        sys.executable,
        "-c",
        "from fourchain.entrypoints.cli.main import main; main()",
        "import",
        "--db",
        url,
        "--kind",
        "enterprises",
        str(path),
    ]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _enterprises(client: TestClient) -> int:
    response = client.get("/api/dashboard")
    assert response.status_code == 200, response.text
    return int(response.json()["enterprises"])


@pytest.mark.slow  # a second Python process: about 20 s on a loaded machine
def test_a_cli_import_beside_the_server_shows_on_the_next_request(
    app: FastAPI, database: Database, tmp_path: Path
) -> None:
    client = TestClient(app)
    before = _enterprises(client)  # computed, and now kept in the cache
    services: Services = app.state.services
    stamp = database.version()
    csv = write_csv(
        tmp_path / "enterprises.csv",
        ["统一社会信用代码 (credit_code)", "企业名称 (name)", "成立日期"],
        [NEW, "厦门新导入科技有限公司", "2020-01-01"],
    )
    _cli_import(database.url, csv)
    assert database.version() == (stamp or 0) + 1, "the import moved the stamp once"
    assert services.registry.views.dashboard().figures["enterprises"] == before, (
        "without following the stamp the app would still show its cached dashboard"
    )
    time.sleep(FOLLOW_SECONDS)  # the stamp is read at most once a second
    assert _enterprises(client) == before + 1


def test_the_apps_own_requests_do_not_clear_its_caches(app: FastAPI, database: Database) -> None:
    """Pages, sign-ins and sessions write only bookkeeping tables: the stamp stays, so the
    caches (the 9-15 s pools among them) are not thrown away by people just reading."""
    client = TestClient(app)
    stamp = database.version()
    for path in ("/", "/enterprises", "/market", "/api/dashboard", "/login"):
        client.get(path)
    assert database.version() == stamp
