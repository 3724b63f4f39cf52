"""INSERT … ON CONFLICT DO UPDATE for SQLite and PostgreSQL, touching only changed rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Table, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from fourchain.errors import ConfigError


def upsert_statement(connection: Connection, table: Table, key: Sequence[str]) -> Insert:
    """An upsert on `key` (a primary key or unique constraint) that returns the key's first
    column for each row it inserted or changed; an identical row is left untouched, so
    re-importing the same data writes nothing and is counted as unchanged."""
    dialect = connection.dialect.name
    statement: sqlite.Insert | postgresql.Insert
    if dialect == "sqlite":
        statement = sqlite.insert(table)
    elif dialect == "postgresql":
        statement = postgresql.insert(table)
    else:
        raise ConfigError(f"upserts are implemented for SQLite and PostgreSQL, not {dialect}")
    excluded = statement.excluded
    # A surrogate id (certificates) is the database's own, never written by an import.
    data = [
        column.name
        for column in table.columns
        if column.name not in key and not (column.primary_key and column.autoincrement is True)
    ]
    returning = table.c[key[0]]
    if not data:
        return statement.on_conflict_do_nothing(index_elements=list(key)).returning(returning)
    return statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: excluded[name] for name in data},
        where=or_(*(table.c[name].is_distinct_from(excluded[name]) for name in data)),
    ).returning(returning)
