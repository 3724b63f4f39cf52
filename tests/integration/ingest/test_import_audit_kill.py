"""An import and its audit entry commit together: killed at any moment (SIGKILL), a command-line
import leaves either its rows and its entry or neither; and a failed audit write undoes the
rows it would have recorded."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from fourchain.adapters.db.tables import RECORD_TABLES
from fourchain.bootstrap import Database
from fourchain.domain.audit import Action
from tests.integration.ingest.conftest import import_file, write_csv
from tests.integration.ingest.test_import_crash import _generator

ENTERPRISES = 4_000
RUNS = 6


def _command(url: str, path: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from fourchain.entrypoints.cli.main import main; main()",
        "import",
        "--db",
        url,
        "--kind",
        "enterprise_years",
        str(path),
    ]


def _run(url: str, path: Path, kill_after: float | None) -> int:
    """Run one import; with `kill_after`, SIGKILL it that many seconds after it starts."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with subprocess.Popen(
        _command(url, path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    ) as process:
        if kill_after is None:
            return process.wait(timeout=300)
        try:
            return process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            return process.wait(timeout=30)


def _rows_of_year(database: Database, year: int) -> int:
    table = RECORD_TABLES["enterprise_years"]
    query = select(func.count()).select_from(table).where(table.c.year == year)
    with database.engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def _imports_logged(database: Database) -> dict[str, int]:
    logged: dict[str, int] = {}
    for entry in database.audit_trail().store.in_order():
        if entry.event.action == Action.IMPORT.value and entry.event.result == "success":
            logged[entry.event.object] = logged.get(entry.event.object, 0) + 1
    return logged


def _year_file(folder: Path, codes: list[str], year: int) -> Path:
    return write_csv(
        folder / f"years-{year}.csv", ["credit_code", "year"], *([c, year] for c in codes)
    )


@pytest.mark.slow
def test_an_import_killed_at_any_moment_never_leaves_rows_without_their_audit_entry(
    database: Database, tmp_path: Path
) -> None:
    generator = _generator()
    paths = generator.generate(tmp_path, enterprises=ENTERPRISES, years=range(2024, 2025))
    import_file(database, "enterprises", paths["enterprises"])
    codes = generator.credit_codes(ENTERPRISES)
    database.engine.dispose()

    started = time.monotonic()
    assert _run(database.url, _year_file(tmp_path, codes, 2020), None) == 0
    whole = time.monotonic() - started
    # Kill moments spread over the whole import, the commit at its end included.
    rng = random.Random(12)
    moments = [rng.uniform(0.3, 1.1) * whole for _ in range(RUNS)]
    outcomes = []
    for run, moment in enumerate(moments, start=1):
        outcomes.append(_run(database.url, _year_file(tmp_path, codes, 2020 + run), moment))

    database.engine.dispose()  # forget pooled connections from before the kills
    logged = _imports_logged(database)
    for run in range(RUNS + 1):
        rows = _rows_of_year(database, 2020 + run)
        entries = logged.get(f"enterprise_years:years-{2020 + run}.csv", 0)
        assert (rows, entries) in ((0, 0), (ENTERPRISES, 1)), (run, rows, entries, outcomes)
    assert -signal.SIGKILL in outcomes  # at least one import really was killed
    assert database.audit_trail().verify().ok
    if database.engine.dialect.name == "sqlite":
        with database.engine.connect() as connection:
            assert connection.scalar(text("PRAGMA integrity_check")) == "ok"


def test_a_failed_audit_write_rolls_the_import_back(database: Database, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fourchain.entrypoints.cli.main import app

    generator = _generator()
    paths = generator.generate(tmp_path, enterprises=20, years=range(2024, 2025), xlsx=False)
    import_file(database, "enterprises", paths["enterprises"])
    year_file = _year_file(tmp_path, generator.credit_codes(20), 2021)
    with database.engine.begin() as connection:  # the audit write will fail: no table to write
        connection.execute(text("ALTER TABLE audit_log RENAME TO audit_log_away"))
    result = CliRunner().invoke(
        app, ["import", "--db", database.url, "--kind", "enterprise_years", str(year_file)]
    )
    assert result.exit_code != 0
    with database.engine.begin() as connection:
        connection.execute(text("ALTER TABLE audit_log_away RENAME TO audit_log"))
    assert _rows_of_year(database, 2021) == 0
