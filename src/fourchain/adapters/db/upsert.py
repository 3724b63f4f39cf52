"""INSERT … ON CONFLICT DO UPDATE for SQLite and PostgreSQL, touching only changed rows."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import Connection, Table, or_
from sqlalchemy.dialects import postgresql, sqlite

from fourchain.errors import ConfigError


class Upsert:
    """Upserts rows on `key` (a primary key or unique constraint). An identical stored row is
    left untouched, so re-importing the same data writes nothing; a call returns how many rows
    it inserted or changed."""

    def __init__(
        self,
        connection: Connection,
        table: Table,
        key: Sequence[str],
        only: Collection[str] | None = None,
    ) -> None:
        self.connection = connection
        dialect = connection.dialect.name
        statement: sqlite.Insert | postgresql.Insert
        if dialect == "sqlite":
            statement = sqlite.insert(table)
        elif dialect == "postgresql":
            statement = postgresql.insert(table)
        else:
            raise ConfigError(f"upserts are implemented for SQLite and PostgreSQL, not {dialect}")
        excluded = statement.excluded
        # A surrogate id (certificates) is the database's own, never written by an import,
        # unless it is the record number that identifies the row.
        written = [
            column.name
            for column in table.columns
            if not (column.primary_key and column.autoincrement is True)
            or column.name in key  # a record number the file gives (investments …)
        ]
        if only is not None:
            # Columns the rows do not carry are not the import's to change (an achievement's
            # withdrawal is kept when its file is imported again).
            written = [name for name in written if name in only or name in key]
        data = [name for name in written if name not in key]
        if data:
            statement = statement.on_conflict_do_update(
                index_elements=list(key),
                set_={name: excluded[name] for name in data},
                where=or_(*(table.c[name].is_distinct_from(excluded[name]) for name in data)),
            )
        else:
            statement = statement.on_conflict_do_nothing(index_elements=list(key))
        self.statement = statement.returning(table.c[key[0]])
        # psycopg parses query text in Python: SQLAlchemy's multi-row VALUES form of a large
        # batch cost ten times the CPU of the rest of an import. A plain executemany of the
        # one-row statement is pipelined, and its rowcount sums the rows inserted or changed.
        compiled = statement.compile(dialect=connection.dialect, column_keys=written)
        self.driver_sql = str(compiled)
        self.pipelined = dialect == "postgresql"

    def __call__(self, rows: Sequence[Mapping[str, object]]) -> int:
        if self.pipelined:
            # No bind processing is lost: psycopg adapts str, int, float, bool and date itself.
            return int(self.connection.exec_driver_sql(self.driver_sql, list(rows)).rowcount)
        # SQLite: SQLAlchemy's executemany with RETURNING lists exactly the rows written.
        return len(self.connection.execute(self.statement, list(rows)).all())
