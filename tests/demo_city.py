"""The full-scale demo city, built once per test run and shared by the test processes.

Building it takes minutes; under pytest-xdist every worker that reached a test needing it
used to build its own. The first worker builds it into the run's shared temporary folder
under a file lock; the others wait for the lock and read the same file (SQLite in WAL mode
has any number of readers)."""

from __future__ import annotations

import fcntl
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url

if TYPE_CHECKING:
    from fourchain.demo.build import DemoStats


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run, shared by all its workers (each worker's own
    base folder sits in it as `popen-gwN`)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if base.name.startswith("popen-gw") else base


def shared_demo_city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoStats]:
    from fourchain.demo.build import DemoStats
    from fourchain.demo.city import build_demo_city

    folder = _run_folder(tmp_path_factory) / "shared-demo-city"
    folder.mkdir(exist_ok=True)
    path, built = folder / "demo.db", folder / "stats.pickle"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            path.unlink(missing_ok=True)  # a build cut short
            database = open_database(sqlite_url(path))
            try:
                stats = build_demo_city(database).registry
            finally:
                database.dispose()
            built.write_bytes(pickle.dumps(stats))
        stats = pickle.loads(built.read_bytes())
    assert isinstance(stats, DemoStats)
    return path, stats
