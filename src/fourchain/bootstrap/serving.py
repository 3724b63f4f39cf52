"""Wiring of the web server: a migrated database with a connection pool sized per worker."""

from __future__ import annotations

import gc
from typing import Any

from sqlalchemy.engine import make_url

from fourchain.adapters.db.engine import make_engine
from fourchain.bootstrap.database import Database, open_database
from fourchain.errors import ConfigError

# Requests run in a thread pool per process (FOURCHAIN_WEB_THREADS, 8 by default); a pool
# wider than it keeps connections (and SQLite's per-connection pragmas) from being opened and
# closed on every busy request, with room for the streams and jobs' own.
WEB_POOL_SIZE = 32
WEB_POOL_OVERFLOW = 8
# Below this a worker's pool starves its own thread pool under load.
MIN_POOL_SIZE = 12


def pool_size(workers: int) -> int:
    """Connections kept per worker: N workers together keep about WEB_POOL_SIZE (PostgreSQL's
    default max_connections is 100, shared with the job worker and the CLI)."""
    return max(MIN_POOL_SIZE, WEB_POOL_SIZE // max(1, workers))


def check_workers(url: str, workers: int) -> None:
    """Several worker processes need PostgreSQL: on SQLite each process would hold its own
    copy of the matching index and writers would queue on one file lock."""
    if workers < 1:
        raise ConfigError("--workers must be 1 or more")
    if workers > 1 and make_url(url).get_backend_name() != "postgresql":
        raise ConfigError("--workers above 1 needs PostgreSQL (DATABASE_URL=postgresql://...)")


def web_database(url: str, workers: int = 1, *, migrate: bool = True) -> Database:
    """The database a web worker serves, with a pool sized for `workers` processes; migrated
    first (on an engine of its own) unless the serving command already has."""
    options: dict[str, Any] = {"pool_size": pool_size(workers), "max_overflow": WEB_POOL_OVERFLOW}
    if migrate:
        return open_database(url, **options)
    return Database(url, make_engine(url, **options))


def settle_heap() -> None:
    """After a matching-index generation is loaded into a serving process: it lives until
    the next one replaces it, so take it (with everything else alive now) out of the cyclic
    garbage collector's full scans. Each full scan of the demo city's index stopped the
    process for up to 185 ms, three times in ten seconds at 32 clients; frozen, the match
    page's p95 was 0.65 of it (benchmarks/README.md). What an earlier freeze kept (a replaced
    generation among it) is unfrozen and collected first: one full collection per load."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
