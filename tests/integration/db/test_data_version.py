"""The data-version stamp: another process's committed write moves it, and a served app's
caches follow at once (not after their minute or ten of time to live); a rolled-back write, a
read and the job queue's bookkeeping leave it alone. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import insert, select, update

from fourchain.adapters.db.tables import certificates, enterprises
from fourchain.adapters.db.tables_jobs import jobs
from fourchain.bootstrap import Database, Services, open_database
from fourchain.config import get_settings

CODE = "91350200MA2Y0C0X1B"


def _other_process(database: Database) -> Database:
    """A second engine on the same database, as a CLI import beside the server would open."""
    return open_database(database.url, upgrade=False)


def test_a_committed_write_moves_the_stamp_and_a_rollback_or_a_read_does_not(
    database: Database,
) -> None:
    other = _other_process(database)
    try:
        before = database.version()
        assert before is not None
        with other.engine.connect() as connection:
            connection.execute(select(enterprises)).all()
            connection.commit()
        assert database.version() == before, "a read is not a write"
        with pytest.raises(RuntimeError), other.engine.begin() as connection:
            connection.execute(insert(enterprises), [{"credit_code": CODE, "name": "甲"}])
            raise RuntimeError("the import failed half-way")
        assert database.version() == before, "a rolled-back write is not a write"
        with other.engine.begin() as connection:
            connection.execute(insert(enterprises), [{"credit_code": CODE, "name": "甲"}])
            connection.execute(update(enterprises).values(name="甲公司"))
        assert database.version() == before + 1, "one transaction, one step"
    finally:
        other.dispose()


def test_the_job_queue_and_sign_ins_are_not_data_changes(database: Database) -> None:
    before = database.version()
    with database.engine.begin() as connection:
        connection.execute(
            insert(jobs),
            [
                {
                    "id": "j1",
                    "kind": "market.index.sync",
                    "status": "queued",
                    "account": "system",
                    "params": "{}",
                    "stage": "",
                    "done": 0,
                    "total": 0,
                    "message": "",
                    "files": "[]",
                    "folder": "",
                    "created_at": datetime(2026, 1, 1),
                    "files_removed": False,
                }
            ],
        )
    assert database.version() == before


def test_a_served_apps_dashboard_shows_another_processs_import_at_once(
    database: Database,
) -> None:
    services = Services(database, get_settings())
    assert services.registry.views.dashboard().year is None  # empty, and now cached
    clock = iter([0.0, 0.5, 1.5, 3.0]).__next__
    assert services.follow_writes(clock=clock) is False  # the first look only notes the stamp

    other = _other_process(database)
    try:
        with other.engine.begin() as connection:
            connection.execute(
                insert(enterprises), [{"credit_code": CODE, "name": "甲", "cluster": None}]
            )
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
    assert services.registry.views.dashboard().year is None, "still the cached page"
    assert services.follow_writes(clock=clock) is False, "looked 0.5 s ago: not yet"
    assert services.follow_writes(clock=clock) is True
    assert services.registry.views.dashboard().year == 2024
    assert services.follow_writes(clock=clock) is False, "nothing new since"
