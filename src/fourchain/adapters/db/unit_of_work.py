"""Units of work: one transaction that a change and its audit entry share.

Every store here takes either an `Engine` (each call its own transaction, as before) or an open
`Connection` (the call joins the caller's transaction). A use case that changes records opens
one unit, writes through the unit's stores and its audit trail, and the unit commits both or
neither: no change exists without its audit entry, and a failed audit write rolls it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from fourchain.services.audit import AuditTrail

Bind = Engine | Connection


@contextmanager
def writing(bind: Bind) -> Iterator[Connection]:
    """A connection inside a transaction: the caller's (its unit commits), or a new one
    committed when the block ends."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.begin() as connection:
        yield connection


@contextmanager
def reading(bind: Bind) -> Iterator[Connection]:
    """A connection to read with: the caller's (sees its uncommitted writes) or a new one."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as connection:
        yield connection


@dataclass
class SqlUnit:
    """One open transaction and the audit trail that writes inside it."""

    connection: Connection
    audit: AuditTrail


def audited_units(
    engine: Engine, audit_key: bytes
) -> Callable[[], AbstractContextManager[SqlUnit]]:
    """A factory of units of work on `engine`."""
    from fourchain.adapters.db.accounts_repo import SqlAuditLog

    @contextmanager
    def unit() -> Iterator[SqlUnit]:
        with engine.begin() as connection:
            yield SqlUnit(connection, AuditTrail(SqlAuditLog(connection), audit_key))

    return unit
