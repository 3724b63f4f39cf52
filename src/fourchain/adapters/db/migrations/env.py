"""Alembic environment: migrations run on the engine handed over in config.attributes.

On SQLite the whole upgrade is one transaction with foreign keys off, as SQLite's own
procedure for altering a table asks: its driver would otherwise commit each DDL statement on
its own (a migration killed midway left `_alembic_tmp_<table>` behind), and a batch migration's
`DROP TABLE` of a parent with foreign keys on deletes every child row through ON DELETE
CASCADE (an upgrade through 0010 emptied `certificates`). The keys are checked before commit."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from fourchain.adapters.db.migrate import include_object
from fourchain.adapters.db.schema import metadata

config = context.config
engine = config.attributes["engine"]


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    context.run_migrations()


if engine.dialect.name == "sqlite":
    with engine.connect() as raw:
        connection = raw.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            _run(connection)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        else:
            connection.exec_driver_sql("COMMIT")
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
else:
    with engine.begin() as connection:
        _run(connection)
