"""The technology market: its records, the challenge desk over the same store, and the
matching service over its persistent index (made on first use)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from fourchain.adapters.db.market_repo import market_units
from fourchain.bootstrap.database import Database, market_index_folder
from fourchain.config import Settings
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.jobs import MARKET_INDEX_SYNC
from fourchain.services.market import MarketRecords

if TYPE_CHECKING:
    from fourchain.services.market_matching import MarketMatching
    from fourchain.services.ports import BackgroundJobs


def market_matching(
    database: Database,
    folder: Path | None = None,
    settings: Settings | None = None,
    jobs: BackgroundJobs | None = None,
    after_index_load: Callable[[], None] | None = None,
) -> MarketMatching:
    """The market's matching service over its persistent index (imports the search engine —
    jieba, bm25s, the embedding models — only when called). With `jobs` a search never syncs
    in place: index syncs and embeddings are queued for the job worker."""
    from fourchain.adapters.db.market_documents import document_sources
    from fourchain.adapters.search.market_index import PersistentMarketIndex
    from fourchain.services.market_matching import MarketMatching

    folder = folder or market_index_folder(database.url, settings)
    index = PersistentMarketIndex(folder, after_load=after_index_load)
    records = MarketRecords(market_units(database.engine, database.audit_key))
    return MarketMatching(records, document_sources(database.engine), index, jobs=jobs)


@dataclass
class MarketArea:
    database: Database
    settings: Settings
    records: MarketRecords
    desk: ChallengeDesk
    jobs: BackgroundJobs | None = None  # the job runner: syncs and embeddings are its jobs
    after_index_load: Callable[[], None] | None = None  # a server's heap settling
    _matching: MarketMatching | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def matching(self) -> MarketMatching:
        """The one matching service, made on first use: importing the search engine (jieba,
        bm25s, numpy) takes a second or two, which a start must not pay."""
        found = self._matching
        if found is None:
            with self._lock:
                found = self._matching
                if found is None:
                    found = market_matching(
                        self.database,
                        settings=self.settings,
                        jobs=self.jobs,
                        after_index_load=self.after_index_load,
                    )
                    self._matching = found
        return found

    @property
    def matching_made(self) -> bool:
        """Whether the matching service has been made (a start does not make it)."""
        return self._matching is not None

    def use_matching(self, matching: MarketMatching) -> None:
        """Use this matching service from now on (a test's, over a stand-in model)."""
        with self._lock:
            self._matching = matching

    def records_changed(self) -> None:
        """A record was written: queue a sync of the matching index for the job worker
        (deduplicated: one waits at most), without making the matching service here; with no
        job runner, the next match syncs first."""
        if self.jobs is not None:
            self.jobs.submit(MARKET_INDEX_SYNC, pending_key=MARKET_INDEX_SYNC)
            return
        self.matching().touch()


def build(
    database: Database,
    settings: Settings,
    today: Callable[[], date] = date.today,
    jobs: BackgroundJobs | None = None,
    after_index_load: Callable[[], None] | None = None,
) -> MarketArea:
    units = market_units(database.engine, database.audit_key)
    records, desk = MarketRecords(units, today), ChallengeDesk(units, today)
    return MarketArea(database, settings, records, desk, jobs, after_index_load)
