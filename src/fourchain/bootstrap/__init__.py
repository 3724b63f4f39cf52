"""The composition root: entry points and tests get their wiring here, one module an area
(`bootstrap/<area>.py`), gathered in one typed container (`Services`, `bootstrap/services.py`).
The CLI opens it with `open_services(db)`; the web app holds one in its state."""

from __future__ import annotations

from fourchain.bootstrap.database import (
    Database,
    database_url,
    market_index_folder,
    open_database,
)
from fourchain.bootstrap.market import market_matching
from fourchain.bootstrap.services import Services, open_services

__all__ = [
    "Database",
    "Services",
    "database_url",
    "market_index_folder",
    "market_matching",
    "open_database",
    "open_services",
]
