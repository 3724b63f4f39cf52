"""Cultivation: the tier rules' store over the registry, the pool's XLSX, and the files an
assessor brings (profiles, expert scores) with their template."""

from __future__ import annotations

from collections.abc import Iterator
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
from fourchain.bootstrap.database import Database
from fourchain.config import Settings
from fourchain.domain.cultivation import EnterpriseProfile
from fourchain.domain.registry import Tier
from fourchain.errors import NotFound
from fourchain.services.caching import Memo
from fourchain.services.cultivation import PoolEntry, PoolSnapshot, pool_snapshot
from fourchain.services.ports import CultivationStore

__all__ = ["CultivationArea", "ExpertScores", "build"]


# A pool is one batch pass over the registry; keep it a few minutes so that filtering and
# paging do not assess again. The page says when it was computed.
POOL_TTL_SECONDS = 600


@dataclass
class CultivationArea:
    database: Database
    _pools: Memo[tuple[int, str], PoolSnapshot] = field(
        default_factory=lambda: Memo(16, POOL_TTL_SECONDS), repr=False
    )

    def pool(self, year: int | None, tier: Tier) -> PoolSnapshot:
        """The reserve pool of `tier` in `year` (the latest panel year if None)."""
        with self.reading() as store:
            chosen = year if year is not None else store.latest_year()
            if chosen is None:
                raise NotFound("the registry has no panel years yet")
            return self._pools.get((chosen, tier.value), lambda: pool_snapshot(store, chosen, tier))

    def data_changed(self) -> None:
        """The registry changed (an import): pools are assessed afresh."""
        self._pools.clear()

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


def build(database: Database, settings: Settings) -> CultivationArea:
    return CultivationArea(database)
