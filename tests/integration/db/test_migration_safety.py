"""Upgrading a SQLite database that holds data: a batch migration (copy the table, drop the
old one, rename) keeps the rows of the tables that refer to it, and a migration that fails
midway leaves the database as it was — no `_alembic_tmp_` table, no half-applied revision."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, event, inspect, text

from fourchain.adapters.db import migrate
from fourchain.adapters.db.engine import make_engine
from fourchain.config import sqlite_url

CODE = "91350200MA2Y0C0X1B"


@pytest.fixture
def registry_at_0001(tmp_path: Path) -> Engine:
    """A SQLite registry at the first revision, with an enterprise and its certificate."""
    engine = make_engine(sqlite_url(tmp_path / "old.db"))
    command.upgrade(migrate.alembic_config(engine), "0001_registry")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO enterprises (credit_code, name) VALUES (:c, '甲')"), {"c": CODE}
        )
        connection.execute(
            text(
                "INSERT INTO certificates (credit_code, tier, issued, expires) "
                "VALUES (:c, 'hnte', '2024-01-01', '2026-12-31')"
            ),
            {"c": CODE},
        )
    return engine


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_upgrading_a_filled_registry_keeps_the_rows_that_refer_to_a_rebuilt_table(
    registry_at_0001: Engine,
) -> None:
    migrate.upgrade(registry_at_0001)  # 0010 rebuilds `enterprises` (batch mode)
    assert _count(registry_at_0001, "enterprises") == 1
    assert _count(registry_at_0001, "certificates") == 1, "ON DELETE CASCADE must not fire"
    with registry_at_0001.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    assert not migrate.pending(registry_at_0001)


def test_a_migration_that_fails_midway_leaves_the_database_as_it_was(
    registry_at_0001: Engine,
) -> None:
    def fail_on_drop(conn: Connection, cursor: object, statement: str, *_: object) -> None:
        if statement.strip().startswith("DROP TABLE enterprises"):
            raise RuntimeError("killed midway")

    event.listen(registry_at_0001, "before_cursor_execute", fail_on_drop)
    with pytest.raises(RuntimeError, match="killed midway"):
        migrate.upgrade(registry_at_0001)
    event.remove(registry_at_0001, "before_cursor_execute", fail_on_drop)

    tables = inspect(registry_at_0001).get_table_names()
    assert not [t for t in tables if t.startswith("_alembic_tmp_")]
    with registry_at_0001.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert [v for (v,) in versions] == ["0001_registry"], "no revision is half-applied"
    assert _count(registry_at_0001, "certificates") == 1
    migrate.upgrade(registry_at_0001)  # and the next start completes it
    assert _count(registry_at_0001, "certificates") == 1
