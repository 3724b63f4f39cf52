"""Shared fixtures: a migrated database on SQLite and on PostgreSQL.

PostgreSQL tests run against FOURCHAIN_TEST_PG_URL (default: the local server's `test`
database). Each test process works in a database of its own, created and dropped here. When
the server cannot be reached they are skipped with the reason, except in CI (CI=true), where
PostgreSQL is required and an unreachable server fails them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fourchain.bootstrap import Database, open_database
from fourchain.config import sqlite_url

PG_ADMIN_URL = os.environ.get(
    "FOURCHAIN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# One audit key for every app, command and test in this process, so that what one seals
# another verifies (the default is refused outside development).
os.environ.setdefault("FOURCHAIN_AUDIT_KEY", "test-audit-key-not-for-production")
REDIS_URL = os.environ.get("FOURCHAIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _pg_database_url() -> str | None:
    """Create this process's own test database and return its URL (None: unreachable)."""
    name = f"fourchain_test_{os.getpid()}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        if IN_CI:
            raise RuntimeError(f"PostgreSQL is required in CI: {error}") from error
        return None
    return with_database(PG_ADMIN_URL, name)


def with_database(url: str, name: str) -> str:
    """`url` pointed at database `name`, its password kept (str() of a URL masks it)."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    url = _pg_database_url()
    if url is None:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL} (required in CI)")
    yield url
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis the job queue's Redis backend is tested on (skipped with the reason when it
    cannot be reached, except in CI, where it is required)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if IN_CI:
            raise RuntimeError(f"Redis is required in CI: {error}") from error
        pytest.skip(f"Redis not reachable at {REDIS_URL} (required in CI): {error}")
    finally:
        client.close()
    return REDIS_URL


def _reset_pg(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty (unmigrated) database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "registry.db")
    url: str = request.getfixturevalue("pg_url")
    _reset_pg(url)
    return url


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """A migrated, empty registry on each backend."""
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty registry on SQLite only (for tests that need no second backend)."""
    database = open_database(sqlite_url(tmp_path / "registry.db"))
    yield database
    database.dispose()
