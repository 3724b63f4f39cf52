"""Every area's tables on one metadata, for migrations and tests."""

from __future__ import annotations

from fourchain.adapters.db import tables, tables_accounts, tables_market, tables_pipeline  # noqa: F401
from fourchain.adapters.db.tables import metadata

__all__ = ["metadata", "tables"]
