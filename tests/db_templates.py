"""Migrated databases for the tests without running every migration for every test.

Each test process migrates once from empty, on each backend, and hands every test a database
in exactly that just-migrated state:

- SQLite: a template file, migrated once; each test gets a file copy of it.
- PostgreSQL: one database, migrated once; before each test every table is emptied, the rows
  the migrations seed (the clusters, the data-version stamp) are put back byte for byte and
  every sequence restarts. Dropping and re-creating a database costs a checkpoint (seconds on
  a busy machine); emptying a few dozen small tables costs milliseconds. Triggers are off
  while emptying (`session_replication_role = replica`: the audit log refuses deletes), which
  needs a superuser; for any other role every test migrates from empty, as before.
  The schema's fingerprint (tables, columns, indexes, constraints, triggers, functions,
  sequences, the Alembic revisions) is compared before each test: a test that altered the
  schema (a downgrade, a table of its own) gets the database rebuilt from empty. What is not
  put back: the planner's statistics of an emptied table (tests that check a plan ANALYZE
  what they filled first) and the server's activity counters.

Migrations themselves are still tested from empty: the templates are built by them, and
`db_url` still gives an empty database.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url


def migrated_sqlite_template(path: Path) -> Path:
    """Migrate a new SQLite file at `path` from empty; every change in the main file."""
    database = open_database(sqlite_url(path))
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-journal")):
        if leftover.exists() and leftover.stat().st_size:
            raise RuntimeError(f"the template's changes are not all in its file: {leftover}")
    return path


def copied_sqlite(template: Path, folder: Path) -> str:
    """A copy of the migrated template in `folder`, as a URL."""
    path = folder / "registry.db"
    shutil.copyfile(template, path)
    return sqlite_url(path)


# Everything a migration builds in the public schema, and the revisions reached.
_FINGERPRINT = """
SELECT md5(coalesce(string_agg(part, '|' ORDER BY part), '')) FROM (
  SELECT 'column:' || table_name || '.' || column_name || ':' || data_type || ':'
         || is_nullable || ':' || coalesce(column_default, '')
    FROM information_schema.columns WHERE table_schema = 'public'
  UNION ALL SELECT 'index:' || indexname || ':' || indexdef
    FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL SELECT 'constraint:' || conrelid::regclass::text || ':' || conname || ':'
         || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT 'trigger:' || tgrelid::regclass::text || ':' || tgname || ':' || tgenabled::text
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
  UNION ALL SELECT 'function:' || proname || ':' || md5(prosrc)
    FROM pg_proc WHERE pronamespace = 'public'::regnamespace
  UNION ALL SELECT 'relation:' || relkind::text || ':' || relname
    FROM pg_class WHERE relnamespace = 'public'::regnamespace
  UNION ALL SELECT 'schema:' || nspname FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
  UNION ALL SELECT 'revision:' || version_num FROM alembic_version
) parts(part)
"""
_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
_RESTART_SEQUENCES = """
SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false)
  FROM pg_sequences WHERE schemaname = 'public'
"""
_OTHER_SESSIONS = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
 WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


class MigratedPostgres:
    """One PostgreSQL database of this process, put back to its just-migrated state on demand."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        self._migrate_from_empty()
        with psycopg.connect(self._conninfo) as connection:
            superuser = connection.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone()
        self._can_empty = bool(superuser and superuser[0])

    def close(self) -> None:
        """Nothing is held open between tests; kept for symmetry with the fixture's teardown."""

    def fresh(self) -> str:
        """The database's URL, in its just-migrated state (nothing any earlier test wrote)."""
        if not self._can_empty:
            self._migrate_from_empty()
            return self.url
        with psycopg.connect(self._conninfo, autocommit=True) as connection:
            connection.execute(_OTHER_SESSIONS)
            same_schema = connection.execute(_FINGERPRINT).fetchone() == (self._fingerprint,)
        if same_schema:
            self._empty()
        else:
            self._migrate_from_empty()
        return self.url

    def _migrate_from_empty(self) -> None:
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(_OTHER_SESSIONS))
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        open_database(self.url).dispose()
        with psycopg.connect(self._conninfo) as connection:
            row = connection.execute(_FINGERPRINT).fetchone()
            self._fingerprint = row[0] if row else ""
            self._seeded: dict[str, bytes] = {}
            for (table,) in connection.execute(_TABLES).fetchall():
                if table == "alembic_version":
                    continue
                data = bytearray()
                copy_out = sql.SQL("COPY {} TO STDOUT").format(sql.Identifier(table))
                with connection.cursor().copy(copy_out) as copy:
                    for chunk in copy:
                        data += chunk
                if data:
                    self._seeded[table] = bytes(data)

    def _empty(self) -> None:
        with psycopg.connect(self._conninfo) as connection:  # one transaction: all or nothing
            connection.execute("SET LOCAL session_replication_role = replica")
            tables = [row[0] for row in connection.execute(_TABLES).fetchall()]
            for table in tables:
                if table != "alembic_version":
                    connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            for table, data in self._seeded.items():
                copy_in = sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(table))
                with connection.cursor().copy(copy_in) as copy:
                    copy.write(data)
            connection.execute(_RESTART_SEQUENCES)
