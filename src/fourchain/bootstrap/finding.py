"""The global search (services.finding) over the database's trigram indexes."""

from __future__ import annotations

from fourchain.adapters.db.find_search import SqlFinder
from fourchain.bootstrap.database import Database
from fourchain.services.finding import GlobalSearch


def build(database: Database) -> GlobalSearch:
    return GlobalSearch(SqlFinder(database.engine))
