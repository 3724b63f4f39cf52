"""Wiring of the foresight area: what-if on the batch rules engine, the policy calculator, the
outlook (plan targets, projections) and the registry on other engines (Parquet, PySpark)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from fourchain.adapters.analytics.engine import IbisIndicatorSource
from fourchain.adapters.analytics.forecast import DriftForecaster
from fourchain.adapters.analytics.panel_ibis import IbisPanelAssessor
from fourchain.adapters.analytics.spark import (
    DEFAULT_MASTER,
    registry_on_duckdb_parquet,
    registry_on_spark,
    write_snapshot,
)
from fourchain.adapters.analytics.whatif import BatchWhatIf
from fourchain.adapters.db.cultivation_repo import SqlCultivationStore
from fourchain.adapters.db.foresight_repo import SqlTargetStore
from fourchain.adapters.foresight_files import read_targets, write_targets
from fourchain.bootstrap.database import Database
from fourchain.config import Settings
from fourchain.domain.foresight.outlook import Outlook, PlanTarget
from fourchain.errors import InvalidInput
from fourchain.services import foresight
from fourchain.services.outlook import Fit, TargetStore, outlook
from fourchain.services.ports import CultivationStore, IndicatorSource


@dataclass
class Foresight:
    """The foresight area's services on one connection."""

    whatif_engine: foresight.WhatIfEngine
    cultivation: CultivationStore
    targets: TargetStore
    fit: Fit


@dataclass
class ForesightArea:
    """The area in the services container: its services open one transaction at a time."""

    database: Database
    settings: Settings

    def services(self) -> AbstractContextManager[Foresight]:
        return foresight_services(self.database, self.settings)


def build(database: Database, settings: Settings) -> ForesightArea:
    return ForesightArea(database, settings)


@contextmanager
def foresight_services(database: Database, settings: Settings | None = None) -> Iterator[Foresight]:
    """The area's services for the length of a command or request (one transaction: what a
    command writes is committed when it ends without an error)."""
    del settings  # no setting of its own yet
    with database.engine.begin() as connection:
        yield Foresight(
            BatchWhatIf(connection),
            SqlCultivationStore(connection),
            SqlTargetStore(connection),
            DriftForecaster,
        )


ENGINES = ("duckdb", "spark")


def indicator_source(
    database: Database | None,
    *,
    engine: str = "duckdb",
    master: str = DEFAULT_MASTER,
    snapshot: Path | None = None,
) -> IndicatorSource:
    """The indicator catalogue over the registry (or a Parquet snapshot of one) on DuckDB or
    on PySpark. Spark reads Parquet: a database is snapshotted to a scratch folder first."""
    if engine not in ENGINES:
        raise InvalidInput(f"--engine {engine!r}: use duckdb or spark")
    if engine == "duckdb":
        if snapshot is not None:
            return IbisIndicatorSource(registry_on_duckdb_parquet(snapshot))
        if database is None:
            raise InvalidInput("give --db or --snapshot")
        return IbisIndicatorSource.from_engine(database.engine)
    if snapshot is None:
        if database is None:
            raise InvalidInput("give --db or --snapshot")
        snapshot = Path(tempfile.mkdtemp(prefix="fourchain-snapshot-"))
        write_snapshot(database.engine, snapshot)
    return IbisIndicatorSource(registry_on_spark(snapshot, master))


def tier_assessor(
    database: Database | None,
    *,
    engine: str = "duckdb",
    master: str = DEFAULT_MASTER,
    snapshot: Path | None = None,
) -> foresight.PanelAssessor:
    """The tier batch over a snapshot on DuckDB or PySpark (a database is snapshotted first)."""
    if engine not in ENGINES:
        raise InvalidInput(f"--engine {engine!r}: use duckdb or spark")
    if snapshot is None:
        if database is None:
            raise InvalidInput("give --db or --snapshot")
        snapshot = Path(tempfile.mkdtemp(prefix="fourchain-snapshot-"))
        write_snapshot(database.engine, snapshot)
    if engine == "spark":
        return IbisPanelAssessor(registry_on_spark(snapshot, master))
    return IbisPanelAssessor(registry_on_duckdb_parquet(snapshot))


def plan_outlook(database: Database, source: IndicatorSource, year: int) -> list[Outlook]:
    """The five-year report's outlook: from the plan period ending in `year` to the next
    plan's end, against the stored plan targets."""
    with foresight_services(database) as services:
        targets = services.targets.targets()
        return outlook(source, targets, services.fit, base=year, to=year + 5, since=year - 5)


def snapshot(database: Database, folder: Path) -> dict[str, int]:
    """Write the registry as Parquet (one file a table, and a manifest)."""
    return write_snapshot(database.engine, folder)


def targets_from_file(path: Path) -> list[PlanTarget]:
    return read_targets(path)


def targets_to_file(path: Path, targets: list[PlanTarget]) -> int:
    return write_targets(path, targets)
