"""Imports and exports of registry records: the safe CSV/XLSX readers and writers, their
templates, and the store that writes a whole file in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fourchain.adapters.db.ingest_repo import SqlIngestStore
from fourchain.adapters.ingest import SourceTable, read_table, write_table, write_template
from fourchain.bootstrap.database import Database
from fourchain.config import Settings
from fourchain.domain.records import RecordKind
from fourchain.services.audit import AuditTrail
from fourchain.services.ports import IngestStore


@dataclass(frozen=True)
class IngestUnit:
    """One import's transaction: the store and the audit trail on the same connection."""

    store: IngestStore
    audit: AuditTrail


@dataclass(frozen=True)
class IngestArea:
    database: Database

    @contextmanager
    def writing(self) -> Iterator[IngestStore]:
        """The store in one transaction: a rejected file writes nothing."""
        with self.database.engine.begin() as connection:
            yield SqlIngestStore(connection)

    @contextmanager
    def importing(self) -> Iterator[IngestUnit]:
        """The store and the audit trail in one transaction: the rows never commit without
        their audit entry, and a failed audit write rolls them back."""
        with self.database.unit() as unit:
            yield IngestUnit(SqlIngestStore(unit.connection), unit.audit)

    @contextmanager
    def reading(self) -> Iterator[IngestStore]:
        with self.database.engine.connect() as connection:
            yield SqlIngestStore(connection)

    @staticmethod
    def read_table(path: Path, spec: RecordKind) -> SourceTable:
        return read_table(path, spec)

    @staticmethod
    def write_table(path: Path, spec: RecordKind, rows: Iterable[Mapping[str, object]]) -> int:
        return write_table(path, spec, rows)

    @staticmethod
    def write_template(path: Path, spec: RecordKind) -> None:
        write_template(path, spec)


def build(database: Database, settings: Settings) -> IngestArea:
    return IngestArea(database)
