"""The data-version stamp: one row whose number moves with every committed write, so a process
serving pages from caches sees that another process (a CLI import into the served database, a
second web worker) changed the data, and clears them at once instead of after their time to live.

The stamp moves inside the writing transaction, as its last statement (SQLAlchemy's `commit`
event): it commits with the write or not at all, and its row lock is held only for the commit
itself, never for a long import. Reads and read-only transactions leave it alone."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    Table,
    event,
    inspect,
    select,
)

from fourchain.adapters.db.tables import metadata

data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)

_WROTE = "fourchain.wrote"
_BUMPING = "fourchain.bumping"
# A write names its table after INSERT [OR …] INTO / UPDATE / DELETE FROM / REPLACE INTO.
_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)",
    re.IGNORECASE,
)
# Bookkeeping, not data a page shows from a cache: the job queue, sign-ins and their
# sessions, the audit log (every audited change writes a data table beside it), and the stored
# reserve pools (computed from the data at a stamp they record: storing one changes no data).
QUIET_TABLES = frozenset(
    {"jobs", "sessions", "users", "audit_log", "data_version", "pool_snapshots", "pool_details"}
)
_BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"


def _after_execute(
    conn: Connection, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    if conn.info.get(_BUMPING) or conn.info.get(_WROTE):
        return
    match = _WRITE.match(statement)
    if match and match[1].lower() not in QUIET_TABLES:
        conn.info[_WROTE] = True


def _on_commit(conn: Connection) -> None:
    if conn.info.pop(_WROTE, False):
        conn.info[_BUMPING] = True
        try:
            conn.exec_driver_sql(_BUMP)
        finally:
            conn.info.pop(_BUMPING, None)


def _on_rollback(conn: Connection) -> None:
    conn.info.pop(_WROTE, None)


def track_writes(engine: Engine) -> bool:
    """Move the stamp with every committed write on `engine`; False (and nothing installed)
    when the database has no stamp table yet (not migrated)."""
    if not inspect(engine).has_table("data_version"):
        return False
    if not event.contains(engine, "commit", _on_commit):
        event.listen(engine, "after_cursor_execute", _after_execute)
        event.listen(engine, "commit", _on_commit)
        event.listen(engine, "rollback", _on_rollback)
    return True


def read_version(engine: Engine) -> int | None:
    """The stamp now (None without a stamp table)."""
    try:
        with engine.connect() as connection:
            value = connection.scalar(select(data_version.c.version).where(data_version.c.id == 1))
    except Exception:  # noqa: BLE001 - a database without the table: no stamp to follow
        return None
    return None if value is None else int(value)
