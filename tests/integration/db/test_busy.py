"""A write that waits past the lock's timeout (a long import holds the database) raises Busy —
an error the web answers 503 with Retry-After, and that a read path asking for a background
refresh can shrug off — not a bare driver error answered 500. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, text

from fourchain.adapters.db.tables import enterprises
from fourchain.bootstrap import Database, open_database
from fourchain.errors import Busy


def test_a_write_that_waits_past_the_lock_is_busy_and_writes_nothing(database: Database) -> None:
    holder = open_database(database.url, upgrade=False)
    try:
        with holder.engine.connect() as held:
            if database.engine.dialect.name == "sqlite":
                held.exec_driver_sql("BEGIN IMMEDIATE")  # the import's write transaction
            else:
                held.execute(text("LOCK TABLE enterprises IN ACCESS EXCLUSIVE MODE"))
            with database.engine.connect() as waiting:
                if database.engine.dialect.name == "sqlite":
                    waiting.exec_driver_sql("PRAGMA busy_timeout=50")
                else:
                    waiting.execute(text("SET lock_timeout = '50ms'"))
                with pytest.raises(Busy) as raised:
                    waiting.execute(
                        insert(enterprises), [{"credit_code": "91350200MA2Y0C0X1B", "name": "甲"}]
                    )
                waiting.rollback()
            held.rollback()
        assert raised.value.code == "busy"
        with database.engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM enterprises")).scalar_one()
        assert count == 0
    finally:
        holder.dispose()
