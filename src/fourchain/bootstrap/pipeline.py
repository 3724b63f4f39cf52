"""The incubation pipeline and the capital chain (finance): their stores over one connection
(the capital pages read both) and the evidence vault."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fourchain.adapters.db.accounts_repo import SqlAuditLog
from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.adapters.db.pipeline_desk_repo import SqlPipelineDeskStore
from fourchain.adapters.db.pipeline_repo import EvidenceVault, SqlPipelineStore
from fourchain.bootstrap.database import Database
from fourchain.config import Settings
from fourchain.services.audit import AuditTrail
from fourchain.services.pipeline_desk import PipelineDesk
from fourchain.services.ports import FinanceStore, PipelineStore, Vault


@dataclass(frozen=True)
class PipelineStores:
    pipeline: PipelineStore
    finance: FinanceStore
    audit: AuditTrail  # writes on the same connection: a change commits with its entry


@dataclass(frozen=True)
class PipelineArea:
    database: Database
    settings: Settings

    @property
    def vault(self) -> Vault:
        """The evidence files' vault under the data folder."""
        return EvidenceVault(self.settings.fourchain_data_dir)

    @contextmanager
    def reading(self) -> Iterator[PipelineStores]:
        """The pipeline and finance stores over one connection."""
        with self.database.engine.connect() as connection:
            yield PipelineStores(
                SqlPipelineStore(connection),
                SqlFinanceStore(connection),
                AuditTrail(SqlAuditLog(connection), self.database.audit_key),
            )

    @contextmanager
    def writing(self) -> Iterator[PipelineStores]:
        """The stores in one transaction: committed at the end, rolled back on an error."""
        with self.database.engine.begin() as connection:
            yield PipelineStores(
                SqlPipelineStore(connection),
                SqlFinanceStore(connection),
                AuditTrail(SqlAuditLog(connection), self.database.audit_key),
            )


@dataclass(frozen=True)
class FinanceArea:
    database: Database

    @contextmanager
    def reading(self) -> Iterator[FinanceStore]:
        with self.database.engine.connect() as connection:
            yield SqlFinanceStore(connection)


def build(database: Database, settings: Settings) -> PipelineArea:
    return PipelineArea(database, settings)


def build_finance(database: Database, settings: Settings) -> FinanceArea:
    return FinanceArea(database)


@dataclass(frozen=True)
class SqlDeskUnit:
    desk: SqlPipelineDeskStore
    audit: AuditTrail


def build_desk(database: Database) -> PipelineDesk:
    """The pipeline desk: each correction and its audit entry in one transaction."""

    @contextmanager
    def unit() -> Iterator[SqlDeskUnit]:
        with database.engine.begin() as connection:
            yield SqlDeskUnit(
                SqlPipelineDeskStore(connection),
                AuditTrail(SqlAuditLog(connection), database.audit_key),
            )

    return PipelineDesk(unit)
