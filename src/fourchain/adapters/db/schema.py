"""Every area's tables on one metadata, for migrations and tests."""

from __future__ import annotations

from fourchain.adapters.db import (  # noqa: F401
    data_version,
    tables,
    tables_accounts,
    tables_collab,
    tables_cultivation,
    tables_demo,  # noqa: F401
    tables_foresight,
    tables_jobs,
    tables_market,
    tables_pipeline,
    tables_programmes,
)
from fourchain.adapters.db.tables import metadata

__all__ = ["metadata", "tables"]
