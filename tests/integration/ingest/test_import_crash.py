"""An import killed mid-write (SIGKILL) leaves no row of its file, and the database works on."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import text

from fourchain.bootstrap import Database
from tests.integration.ingest.conftest import count, import_file, write_csv

ROOT = Path(__file__).parents[3]
PROGRESS = re.compile(r"importing panel\.csv: ([\d,]+) of ([\d,]+) rows written")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_panel", ROOT / "benchmarks" / "gen_panel.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _start_import(url: str, path: Path) -> subprocess.Popen[str]:
    command = [
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
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def _wait_until_writing(process: subprocess.Popen[str], timeout: float = 120.0) -> int:
    """Read stderr until the import reports rows written (but not all); return that count."""
    assert process.stderr is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        match = PROGRESS.search(line)
        if match:
            done, total = (int(g.replace(",", "")) for g in match.groups())
            assert done < total, "the import finished before it could be killed"
            return done
    process.kill()
    pytest.fail(f"the import never reported progress (exit {process.wait()})")


@pytest.mark.slow
def test_a_killed_import_leaves_nothing_and_the_database_stays_usable(
    database: Database, tmp_path: Path
) -> None:
    generator = _generator()
    years = range(2020, 2025)
    paths = generator.generate(tmp_path, enterprises=5_000, years=years, xlsx=False)
    import_file(database, "enterprises", paths["enterprises"])
    with _start_import(database.url, paths["panel_csv"]) as process:
        written = _wait_until_writing(process)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
        stdout = process.stdout.read() if process.stdout else ""
    assert written > 0
    assert "inserted" not in stdout  # it never got to report a result

    database.engine.dispose()  # forget pooled connections from before the kill
    assert count(database, "enterprise_years") == 0
    if database.engine.dialect.name == "sqlite":
        with database.engine.connect() as connection:
            assert connection.scalar(text("PRAGMA integrity_check")) == "ok"
    code = generator.credit_codes(1)[0]
    later = import_file(
        database,
        "enterprise_years",
        write_csv(tmp_path / "one.csv", ["credit_code", "year"], [code, 2024]),
    )
    assert later.inserted == 1
    assert count(database, "enterprise_years") == 1
