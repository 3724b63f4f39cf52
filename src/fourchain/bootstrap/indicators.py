"""Indicators and reports: the registry loaded into the analytics engine (an in-memory DuckDB)
and the writer of the five-year bulletin's files."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fourchain.adapters.analytics.engine import IbisIndicatorSource
from fourchain.adapters.reports.five_year_files import BulletinFiles
from fourchain.adapters.search.text import simplified
from fourchain.bootstrap.database import Database
from fourchain.config import Settings
from fourchain.services.caching import Memo
from fourchain.services.ports import IndicatorSource, ReportWriter

# The registry is copied into an in-memory DuckDB once and kept a few minutes; one DuckDB
# connection is not for concurrent use, so its users take turns on it.
SOURCE_TTL_SECONDS = 600


@dataclass
class IndicatorsArea:
    database: Database
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _cached: Memo[str, IndicatorSource] = field(
        default_factory=lambda: Memo(1, SOURCE_TTL_SECONDS), repr=False
    )

    def load(self) -> IndicatorSource:
        """The registry as it is now, loaded into a fresh in-memory DuckDB: release it with
        `close`."""
        return IbisIndicatorSource.from_engine(self.database.engine)

    @staticmethod
    def close(source: IndicatorSource) -> None:
        """Close a source's DuckDB connection in the thread that used it, not at interpreter
        exit (a DuckDB left to the interpreter's shutdown, after other threads used it, can
        abort it)."""
        if isinstance(source, IbisIndicatorSource):
            source.tables.chains.get_backend().disconnect()

    @contextmanager
    def source(self) -> Iterator[IndicatorSource]:
        """A fresh source for the length of a `with`, closed after."""
        found = self.load()
        try:
            yield found
        finally:
            self.close(found)

    @contextmanager
    def shared(self) -> Iterator[IndicatorSource]:
        """The cached source (reloaded after a few minutes), held alone for the length of a
        `with`."""
        with self._lock:
            for old in self._cached.expire():
                self.close(old)
            yield self._cached.get("source", self.load)

    @staticmethod
    def to_simplified(text: str) -> str:
        """Traditional characters as simplified ones (OpenCC t2s), for reading press releases."""
        return to_simplified(text)

    def release(self) -> None:
        """Close the cached in-memory DuckDB: the data changed (an import), or the app (a
        test) shuts down."""
        with self._lock:
            for old in self._cached.clear():
                self.close(old)


def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones (OpenCC t2s); the CLI reads releases with it
    without opening the database."""
    return simplified(text)


@dataclass(frozen=True)
class ReportsArea:
    writer: ReportWriter


def build(database: Database, settings: Settings) -> IndicatorsArea:
    return IndicatorsArea(database)


def build_reports(database: Database, settings: Settings) -> ReportsArea:
    return ReportsArea(BulletinFiles())
