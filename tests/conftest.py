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
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fourchain.bootstrap import Database, open_database
from fourchain.config import sqlite_url
from tests.db_templates import MigratedPostgres, copied_sqlite, migrated_sqlite_template
from tests.demo_city import shared_demo_city

if TYPE_CHECKING:
    from fourchain.demo.build import DemoStats

PG_ADMIN_URL = os.environ.get(
    "FOURCHAIN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# One audit key for every app, command and test in this process, so that what one seals
# another verifies (the default is refused outside development).
os.environ.setdefault("FOURCHAIN_AUDIT_KEY", "test-audit-key-not-for-production")
REDIS_URL = os.environ.get("FOURCHAIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _pg_database_url(suffix: str = "") -> str | None:
    """Create this process's own test database and return its URL (None: unreachable)."""
    name = f"fourchain_test_{os.getpid()}{'_' + suffix if suffix else ''}"
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


def _drop_pg_database(url: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def with_database(url: str, name: str) -> str:
    """`url` pointed at database `name`, its password kept (str() of a URL masks it)."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    url = _pg_database_url()
    if url is None:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL} (required in CI)")
    yield url
    _drop_pg_database(url)


@pytest.fixture(scope="session")
def demo_city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoStats]:
    """(path of the SQLite file, the registry's build stats) of the full-scale demo city, with
    its pipeline and market too, so the calibrated figures are checked on what users get.
    Built once per run: the test processes share it (tests only read it)."""
    return shared_demo_city(tmp_path_factory)


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


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each test that asks for a database runs once on SQLite and once on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty (unmigrated) database URL, once on SQLite and once on PostgreSQL."""
    if backend == "sqlite":
        return sqlite_url(tmp_path / "registry.db")
    url: str = request.getfixturevalue("pg_url")
    _reset_pg(url)
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This process's SQLite file migrated from empty once; each test gets a copy of it."""
    return migrated_sqlite_template(tmp_path_factory.mktemp("template") / "registry.db")


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[MigratedPostgres]:
    """This process's PostgreSQL database migrated from empty once, emptied between tests."""
    url = _pg_database_url("migrated")
    if url is None:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL} (required in CI)")
    migrated = MigratedPostgres(url)
    yield migrated
    migrated.close()
    _drop_pg_database(url)


@pytest.fixture
def database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty registry on each backend."""
    if backend == "sqlite":
        url = copied_sqlite(request.getfixturevalue("sqlite_template"), tmp_path)
    else:
        url = request.getfixturevalue("pg_migrated").fresh()
    # Migrated already: open it as open_database would, without another Alembic pass.
    database = open_database(url, upgrade=False)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty registry on SQLite only (for tests that need no second backend)."""
    database = open_database(copied_sqlite(sqlite_template, tmp_path), upgrade=False)
    yield database
    database.dispose()
