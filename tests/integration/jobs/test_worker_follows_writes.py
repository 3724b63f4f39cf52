"""The worker's jobs see another process's writes: before each job the worker's caches are
cleared when the data-version stamp moved (a report started right after a CLI import counts
the imported rows, not the cached figures of before)."""

from __future__ import annotations

from datetime import date
from typing import cast

from sqlalchemy import insert

from fourchain.adapters.db.tables import certificates, enterprises
from fourchain.bootstrap import Database, Services, open_database
from fourchain.bootstrap.jobs import following_writes
from fourchain.config import get_settings
from fourchain.services.jobs import JobContext

CODE = "91350200MA2Y0C0X1B"


def _import_beside(database: Database) -> None:
    """An enterprise and its certificate, written by a second engine (a CLI import)."""
    other = open_database(database.url, upgrade=False)
    try:
        with other.engine.begin() as connection:
            connection.execute(insert(enterprises), [{"credit_code": CODE, "name": "甲"}])
            connection.execute(
                insert(certificates),
                [
                    {
                        "credit_code": CODE,
                        "tier": "hnte",
                        "issued": date(2024, 12, 1),
                        "expires": date(2027, 11, 30),
                    }
                ],
            )
    finally:
        other.dispose()


def test_a_job_started_after_another_processs_write_sees_it(sqlite_database: Database) -> None:
    services = Services(sqlite_database, get_settings())
    seen: list[int | None] = []

    def dashboard_year(_context: JobContext) -> list[str]:
        seen.append(services.registry.views.dashboard().year)
        return []

    context = cast(JobContext, None)  # the handler above does not use it
    following_writes(services, dashboard_year)(context)  # empty, now cached; stamp noted
    _import_beside(sqlite_database)
    dashboard_year(context)  # a handler not following writes: still the cached page
    services._checked_at = None  # the next job starts more than a second later
    following_writes(services, dashboard_year)(context)
    assert seen == [None, None, 2024]
