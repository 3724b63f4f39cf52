"""Wiring of the foresight area: what-if on the batch rules engine, the policy calculator, the
outlook and the registry on other engines (Parquet snapshot, PySpark)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fourchain.adapters.analytics.whatif import BatchWhatIf
from fourchain.adapters.db.cultivation_repo import SqlCultivationStore
from fourchain.bootstrap import Database
from fourchain.config import Settings
from fourchain.services import foresight
from fourchain.services.cultivation import CultivationStore


@dataclass
class Foresight:
    """The foresight area's services on one connection."""

    whatif_engine: foresight.WhatIfEngine
    cultivation: CultivationStore


@contextmanager
def foresight_services(database: Database, settings: Settings | None = None) -> Iterator[Foresight]:
    """The area's services for the length of a command or request."""
    del settings  # no setting of its own yet
    with database.engine.connect() as connection:
        yield Foresight(BatchWhatIf(connection), SqlCultivationStore(connection))
