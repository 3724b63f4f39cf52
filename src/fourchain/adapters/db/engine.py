"""Engines for SQLite (the embedded default) and PostgreSQL, with SQLite made durable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import OperationalError

from fourchain.errors import Busy

# What each database says when a lock was not granted within its wait (SQLite's busy timeout;
# PostgreSQL's lock_timeout, SQLSTATE 55P03 lock_not_available).
_LOCKED = ("database is locked", "database table is locked", "lock timeout", "55p03")
# How long a SQLite writer waits for another's lock before Busy.
BUSY_TIMEOUT_MS = 10_000
# How long a write that may be skipped waits on PostgreSQL (0 there would mean forever).
BRIEF_LOCK_TIMEOUT = "50ms"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _locked_is_busy(context: ExceptionContext) -> None:
    """A lock not granted in time is Busy (the caller may try again), not a bare driver error."""
    error = context.sqlalchemy_exception
    if isinstance(error, OperationalError) and any(
        word in str(error.orig).lower() for word in _LOCKED
    ):
        raise Busy("the database is busy with another writer; try again shortly") from error


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for `url`; a SQLite file gets WAL, synchronous=FULL and foreign keys on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _locked_is_busy)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # The URL object itself, never str(): SQLAlchemy 2 prints the password as `***`.
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, pool_pre_ping=True, **kwargs)
    event.listen(engine, "handle_error", _locked_is_busy)
    return engine


@contextmanager
def write_without_waiting(engine: Engine) -> Iterator[Connection]:
    """A transaction for a write that may be skipped (a session's last-seen time): when
    another writer holds the lock it raises Busy at once (SQLite) or within 50 ms
    (PostgreSQL) instead of waiting out the busy timeout, so a reader's request never waits
    behind a long import for it."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # on the driver's connection: no transaction begun for a pragma
            connection.connection.driver_connection.execute("PRAGMA busy_timeout=0")  # type: ignore[union-attr]
        try:
            with connection.begin():
                if not sqlite:
                    connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{BRIEF_LOCK_TIMEOUT}'")
                yield connection
        finally:
            if sqlite:
                connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}"
                )
