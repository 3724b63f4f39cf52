"""The registry: its pages' read use cases, its counts, and whether its data is synthetic."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fourchain.adapters.db.registry_read import SqlRegistryReader, is_synthetic
from fourchain.adapters.db.registry_repo import SqlRegistryCounts
from fourchain.bootstrap.database import Database
from fourchain.config import Settings
from fourchain.services.audit import AuditTrail
from fourchain.services.ports import RegistryCounts
from fourchain.services.registry_views import RegistryViews


@dataclass(frozen=True)
class RegistryArea:
    database: Database
    views: RegistryViews
    synthetic: bool  # the database says its data is synthetic (the pages say so)

    @contextmanager
    def counts(self) -> Iterator[RegistryCounts]:
        """The registry's counts over one connection."""
        with self.database.engine.connect() as connection:
            yield SqlRegistryCounts(connection)


def build(database: Database, settings: Settings, audit: AuditTrail) -> RegistryArea:
    views = RegistryViews(SqlRegistryReader(database.engine), audit)
    return RegistryArea(database, views, is_synthetic(database.engine))
