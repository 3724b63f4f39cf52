"""Cultivation: the tier rules' store over the registry, the pool's XLSX, and the files an
assessor brings (profiles, expert scores) with their template."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from fourchain.adapters.analytics.cultivation_export import write_pool
from fourchain.adapters.cultivation_input import (
    ExpertScores,
    read_expert_scores,
    read_profiles,
    write_template,
)
from fourchain.adapters.db.cultivation_repo import SqlCultivationStore
from fourchain.adapters.db.pool_repo import SqlPoolStore
from fourchain.bootstrap.database import Database
from fourchain.config import Settings
from fourchain.domain.cultivation import EnterpriseProfile
from fourchain.domain.registry import Tier
from fourchain.errors import NotFound
from fourchain.services.caching import Memo
from fourchain.services.cultivation import PoolEntry, PoolSnapshot, pool_snapshot
from fourchain.services.cultivation_pools import (
    PoolJobs,
    PoolView,
    Progress,
    StoredPool,
    StoredPools,
    compute_pools,
)
from fourchain.services.ports import CultivationStore

__all__ = ["CultivationArea", "ExpertScores", "build"]


# A pool is one batch pass over the registry; keep it a few minutes so that filtering and
# paging do not assess again. The page says when it was computed.
POOL_TTL_SECONDS = 600


@dataclass
class CultivationArea:
    database: Database
    jobs: PoolJobs | None = None  # the job runner: it computes the stored pools
    _pools: Memo[tuple[int, str], PoolSnapshot] = field(
        default_factory=lambda: Memo(16, POOL_TTL_SECONDS), repr=False
    )
    _stored: StoredPools | None = field(default=None, repr=False)

    @property
    def stored(self) -> StoredPools:
        """The stored pools and the job that computes them."""
        if self._stored is None:
            store = SqlPoolStore(self.database.engine)
            self._stored = StoredPools(store, self.jobs, self.database.version)
        return self._stored

    def _year(self, year: int | None) -> tuple[int, int | None]:
        """The year asked for (the latest panel year if None), and the latest panel year."""
        with self.reading() as store:
            latest = store.latest_year()
        chosen = year if year is not None else latest
        if chosen is None:
            raise NotFound("the registry has no panel years yet")
        return chosen, latest

    def pool(self, year: int | None, tier: Tier) -> PoolSnapshot:
        """The reserve pool of `tier` in `year` (the latest panel year if None): the stored
        one when there is one (however old), else assessed here (kept a few minutes)."""
        chosen, _ = self._year(year)
        found = self.stored.stored(chosen, tier)
        if found is not None:
            return found
        with self.reading() as store:
            return self._pools.get((chosen, tier.value), lambda: pool_snapshot(store, chosen, tier))

    def view(self, year: int | None, tier: Tier) -> PoolView:
        """What the pool page shows: the stored pool, whether it is stale, and its job (queued
        here when none is stored or the data moved) — never an assessment in the request."""
        chosen, latest = self._year(year)
        if latest is not None and chosen > latest:  # no job is queued for a year with no data
            raise NotFound(f"the registry has no panel data for {chosen} (latest {latest})")
        return self.stored.view(chosen, tier, latest=chosen == latest)

    def refresh(
        self, years: Sequence[int] = (), progress: Progress | None = None
    ) -> list[StoredPool]:
        """Compute and store every tier's pool of the latest panel year and of `years` (the
        `cultivation.pools` job's work; the demo build runs it too)."""
        version = self.database.version()  # before the registry is read: never newer than it
        stored: list[StoredPool] = []
        with self.reading() as store:
            latest = store.latest_year()
            wanted = sorted({*years, *([latest] if latest is not None else [])})
            for year in wanted:
                pools = compute_pools(store, year, version, progress=progress)
                self.stored.store.save(pools)
                stored.extend(pools)
        return stored

    def data_changed(self) -> None:
        """The registry changed (an import): pools are assessed afresh, and the stored ones
        recomputed by the job runner (one job waits at most)."""
        self._pools.clear()
        if self.jobs is not None:
            self.stored.request([], self.database.version())

    @contextmanager
    def reading(self) -> Iterator[CultivationStore]:
        """The cultivation store over one connection."""
        with self.database.engine.connect() as connection:
            yield SqlCultivationStore(connection)

    @staticmethod
    def write_pool(entries: list[PoolEntry], title: str, path: Path | IO[bytes]) -> None:
        write_pool(entries, title, path)

    @staticmethod
    def read_profiles(path: Path) -> list[EnterpriseProfile]:
        return read_profiles(path)

    @staticmethod
    def read_expert_scores(path: Path) -> ExpertScores:
        return read_expert_scores(path)

    @staticmethod
    def write_template(path: Path) -> None:
        write_template(path)


def build(database: Database, settings: Settings, jobs: PoolJobs | None = None) -> CultivationArea:
    return CultivationArea(database, jobs)
