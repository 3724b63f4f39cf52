"""The tests' own databases: every test starts from the just-migrated state, whatever the test
before it wrote or changed (tests/db_templates.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from fourchain.adapters.db import migrate
from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from tests.db_templates import MigratedPostgres, copied_sqlite

CODE = "91350200MA2Y0C0X1B"


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
            for table in inspect(engine).get_table_names()
        }


def _write_everywhere(engine: Engine) -> None:
    """An enterprise, an account (a sequence moves), an audit entry (which refuses deletes)."""
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO enterprises (credit_code, name) VALUES (:c, '甲')"), {"c": CODE}
        )
        connection.execute(
            text(
                "INSERT INTO users (username, username_key, password_hash, role, active, "
                "failed_logins, created) "
                "VALUES ('a', 'a', 'x', 'admin', true, 0, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO audit_log (seq, at, username, address, action, object, result, "
                "detail, prev_hash, hash) VALUES (1, 'now', 'a', '', 'x', '', 'ok', '', '', '')"
            )
        )
        connection.execute(text("UPDATE data_version SET version = 41 WHERE id = 1"))


def _new_user_id(engine: Engine) -> int:
    with engine.begin() as connection:
        return int(
            connection.execute(
                text(
                    "INSERT INTO users (username, username_key, password_hash, role, active, "
                    "failed_logins, created) "
                    "VALUES ('b', 'b', 'x', 'admin', true, 0, CURRENT_TIMESTAMP) RETURNING id"
                )
            ).scalar_one()
        )


@pytest.mark.postgres
def test_a_fresh_postgresql_database_holds_only_what_the_migrations_seed(
    pg_migrated: MigratedPostgres,
) -> None:
    database = open_database(pg_migrated.fresh(), upgrade=False)
    migrated = _counts(database.engine)
    assert migrated["clusters"] == 10 and migrated["data_version"] == 1
    _write_everywhere(database.engine)
    assert _counts(database.engine) != migrated
    database.dispose()

    database = open_database(pg_migrated.fresh(), upgrade=False)
    try:
        assert _counts(database.engine) == migrated
        assert database.version() == 0
        assert _new_user_id(database.engine) == 1  # the sequences start again
        assert not migrate.pending(database.engine)
    finally:
        database.dispose()


@pytest.mark.postgres
def test_a_test_that_changed_the_postgresql_schema_leaves_the_next_one_a_rebuilt_database(
    pg_migrated: MigratedPostgres,
) -> None:
    database = open_database(pg_migrated.fresh(), upgrade=False)
    tables = set(inspect(database.engine).get_table_names())
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE stray (id integer)"))
        connection.execute(text("DROP TRIGGER audit_log_no_truncate ON audit_log"))
    database.dispose()

    database = open_database(pg_migrated.fresh(), upgrade=False)
    try:
        assert set(inspect(database.engine).get_table_names()) == tables
        with database.engine.connect() as connection:
            triggers = set(
                connection.execute(
                    text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass")
                ).scalars()
            )
        assert "audit_log_no_truncate" in triggers
    finally:
        database.dispose()


def test_each_sqlite_copy_is_migrated_and_apart_from_the_template(
    sqlite_template: Path, tmp_path: Path
) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = open_database(copied_sqlite(sqlite_template, tmp_path / "one"), upgrade=False)
    migrated = _counts(one.engine)
    _write_everywhere(one.engine)
    one.dispose()

    two = open_database(copied_sqlite(sqlite_template, tmp_path / "two"), upgrade=False)
    template = open_database(sqlite_url(sqlite_template), upgrade=False)
    try:
        assert not migrate.pending(two.engine)
        assert _counts(two.engine) == migrated == _counts(template.engine)
        assert migrated["clusters"] == 10
    finally:
        two.dispose()
        template.dispose()
