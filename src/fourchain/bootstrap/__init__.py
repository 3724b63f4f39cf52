"""The composition root: entry points and tests get their wiring here, one module an area."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from fourchain.adapters.db import migrate
from fourchain.adapters.db.engine import make_engine
from fourchain.config import Settings, get_settings, sqlite_url
from fourchain.errors import NotFound

if TYPE_CHECKING:
    from fourchain.services.market_matching import MarketMatching


@dataclass
class Database:
    """An open registry database: its engine, migrated to the code's schema."""

    url: str
    engine: Engine

    def dispose(self) -> None:
        self.engine.dispose()


def database_url(db: Path | str | None, settings: Settings | None = None) -> str:
    """The URL for a CLI `--db` value: a file path, a full URL, or the configured default."""
    if db is None or str(db) == "":
        return (settings or get_settings()).resolved_database_url
    text = str(db)
    if "://" in text:
        return text
    return sqlite_url(text)


def open_database(url: str, *, upgrade: bool = True, create: bool = True) -> Database:
    """Open (and by default migrate) the database at `url`. With create=False a SQLite file
    that does not exist is an error rather than a new empty database."""
    parsed = make_url(url)
    is_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    )
    if not create and is_file and not Path(str(parsed.database)).exists():
        raise NotFound(f"no database at {parsed.database}")
    engine = make_engine(url)
    if upgrade:
        migrate.upgrade(engine)
    return Database(url=url, engine=engine)


def market_index_folder(url: str, settings: Settings | None = None) -> Path:
    """Where the market's matching index of the database at `url` lives: beside a SQLite
    file (`<file>.market-index`), else in the data folder under a digest of the URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(f"{parsed.database}.market-index")
    digest = hashlib.sha256(parsed.render_as_string(hide_password=True).encode()).hexdigest()
    data_dir = (settings or get_settings()).fourchain_data_dir
    return data_dir / "market-index" / digest[:16]


def market_matching(
    database: Database, folder: Path | None = None, settings: Settings | None = None
) -> MarketMatching:
    """The market's matching service over its persistent index (imports the search engine —
    jieba, bm25s, the embedding models — only when called)."""
    from fourchain.adapters.db.market_documents import document_sources
    from fourchain.adapters.db.market_repo import market_units
    from fourchain.adapters.search.market_index import PersistentMarketIndex
    from fourchain.services.market import MarketRecords
    from fourchain.services.market_matching import MarketMatching

    index = PersistentMarketIndex(folder or market_index_folder(database.url, settings))
    records = MarketRecords(market_units(database.engine))
    return MarketMatching(records, document_sources(database.engine), index)
