"""A signed-in reader is never held up by another process's long write (an import holding the
database): the session's last-seen time is written only when the lock is free, and skipped, not
waited for, when it is not. On both backends."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import select, update

from fourchain.adapters.db.tables_accounts import sessions
from fourchain.bootstrap import Services
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for


@contextmanager
def _another_writer(services: Services) -> Iterator[None]:
    """Another process's transaction holding the write lock over the sessions (an import)."""
    engine = services.database.engine
    if engine.dialect.name == "sqlite":
        other = sqlite3.connect(str(engine.url.database), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with engine.connect() as other, other.begin():
        other.exec_driver_sql("LOCK TABLE sessions IN EXCLUSIVE MODE")  # reads still pass
        yield


def _last_seen(services: Services) -> list[object]:
    with services.database.engine.connect() as connection:
        return list(connection.scalars(select(sessions.c.last_seen)))


def test_a_reader_is_answered_at_once_while_another_writer_holds_the_database(
    app: FastAPI,
) -> None:
    services: Services = app.state.services
    headers = bearer_for(app, "admin")
    with services.database.engine.begin() as connection:  # due a touch (seen 2 minutes ago)
        for digest, seen in connection.execute(select(sessions.c.token_hash, sessions.c.last_seen)):
            earlier = seen - timedelta(minutes=2)
            connection.execute(
                update(sessions).where(sessions.c.token_hash == digest).values(last_seen=earlier)
            )
    before = _last_seen(services)
    with TestClient(app) as client:
        with _another_writer(services):
            started = time.monotonic()
            answers = [client.get("/api/me", headers=headers).status_code for _ in range(3)]
            waited = time.monotonic() - started
            assert answers == [200, 200, 200]
            # not the 10-s busy timeout (nor PostgreSQL's wait for ever) three times over
            assert waited < 5, f"the reads waited {waited:.1f} s behind the writer"
        assert _last_seen(services) == before, "skipped while the other writer held the lock"
        assert client.get("/api/me", headers=headers).status_code == 200
    assert _last_seen(services) != before, "touched once the database was free again"
