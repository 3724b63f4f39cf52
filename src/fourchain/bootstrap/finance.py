"""The capital chain's wiring: the bureau's finance desk, each write in a unit of work that
holds the capital book, the pipeline and the audit trail on one connection."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from fourchain.adapters.db.accounts_repo import SqlAuditLog
from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.bootstrap.database import Database
from fourchain.services.audit import AuditTrail
from fourchain.services.finance_desk import FinanceDesk


@dataclass
class SqlFinanceUnit:
    finance: SqlFinanceStore
    pipeline: SqlPipelineStore
    audit: AuditTrail


def finance_units(database: Database) -> Callable[[], AbstractContextManager[SqlFinanceUnit]]:
    @contextmanager
    def unit() -> Iterator[SqlFinanceUnit]:
        with database.engine.begin() as connection:
            yield SqlFinanceUnit(
                SqlFinanceStore(connection),
                SqlPipelineStore(connection),
                AuditTrail(SqlAuditLog(connection), database.audit_key),
            )

    return unit


def build_finance_desk(database: Database) -> FinanceDesk:
    return FinanceDesk(finance_units(database))
