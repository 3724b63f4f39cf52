"""The one database every area is built over: open (and migrate) it, find its URL."""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from fourchain.adapters.db import migrate
from fourchain.adapters.db.accounts_repo import SqlAuditLog
from fourchain.adapters.db.data_version import read_version, track_writes
from fourchain.adapters.db.engine import make_engine
from fourchain.adapters.db.unit_of_work import SqlUnit, audited_units
from fourchain.config import Settings, get_settings, sqlite_url
from fourchain.errors import NotFound
from fourchain.services.audit import AuditTrail


@dataclass
class Database:
    """An open registry database: its engine, migrated to the code's schema."""

    url: str
    engine: Engine
    # The audit chain's HMAC key (from the settings; never stored in the database).
    audit_key: bytes = field(default_factory=lambda: get_settings().audit_key)

    def dispose(self) -> None:
        self.engine.dispose()

    def unit(self) -> AbstractContextManager[SqlUnit]:
        """One transaction and an audit trail writing inside it: commit both or neither."""
        return audited_units(self.engine, self.audit_key)()

    def version(self) -> int | None:
        """The data-version stamp: it moves with every committed write, by any process."""
        return read_version(self.engine)

    def audit_trail(self) -> AuditTrail:
        """The audit trail on its own (each entry its own transaction): for events that
        change nothing else, such as a refused import or a sign-in."""
        return AuditTrail(SqlAuditLog(self.engine), self.audit_key)


def database_url(db: Path | str | None, settings: Settings | None = None) -> str:
    """The URL for a CLI `--db` value: a file path, a full URL, or the configured default."""
    if db is None or str(db) == "":
        return (settings or get_settings()).resolved_database_url
    text = str(db)
    if "://" in text:
        return text
    return sqlite_url(text)


def open_database(
    url: str, *, upgrade: bool = True, create: bool = True, **engine_options: Any
) -> Database:
    """Open (and by default migrate) the database at `url`. With create=False a SQLite file
    that does not exist is an error rather than a new empty database. `engine_options` go to
    the engine (a pool size, say); the migration then runs on an engine of its own."""
    parsed = make_url(url)
    is_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    )
    if not create and is_file and not Path(str(parsed.database)).exists():
        raise NotFound(f"no database at {parsed.database}")
    if engine_options and upgrade:
        migrating = make_engine(url)
        try:
            migrate.upgrade(migrating)
        finally:
            migrating.dispose()
        engine = make_engine(url, **engine_options)
    else:
        engine = make_engine(url)
        if upgrade:
            migrate.upgrade(engine)
    track_writes(engine)
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
