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
from fourchain.services.market import MarketRecords

if TYPE_CHECKING:
    from fourchain.services.market_matching import MarketMatching


def market_matching(
    database: Database, folder: Path | None = None, settings: Settings | None = None
) -> MarketMatching:
    """The market's matching service over its persistent index (imports the search engine —
    jieba, bm25s, the embedding models — only when called)."""
    from fourchain.adapters.db.market_documents import document_sources
    from fourchain.adapters.search.market_index import PersistentMarketIndex
    from fourchain.services.market_matching import MarketMatching

    index = PersistentMarketIndex(folder or market_index_folder(database.url, settings))
    records = MarketRecords(market_units(database.engine, database.audit_key))
    return MarketMatching(records, document_sources(database.engine), index)


@dataclass
class MarketArea:
    database: Database
    settings: Settings
    records: MarketRecords
    desk: ChallengeDesk
    _matching: MarketMatching | None = field(default=None, repr=False)
    _changed: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def matching(self) -> MarketMatching:
        """The one matching service, made on first use: importing the search engine (jieba,
        bm25s, numpy) takes a second or two, which a start must not pay."""
        found = self._matching
        if found is None:
            with self._lock:
                found = self._matching
                if found is None:
                    found = market_matching(self.database, settings=self.settings)
                    self._matching = found
                    if self._changed:
                        found.touch()
                        self._changed = False
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
        """A record was written: the next match syncs the index first. Before the service is
        made a flag says so: a new process's first match would otherwise answer from the
        saved index and sync only behind it."""
        with self._lock:
            found = self._matching
            if found is None:
                self._changed = True
        if found is not None:
            found.touch()


def build(
    database: Database, settings: Settings, today: Callable[[], date] = date.today
) -> MarketArea:
    units = market_units(database.engine, database.audit_key)
    return MarketArea(database, settings, MarketRecords(units, today), ChallengeDesk(units, today))
