"""The newest job of each kind in one lookup (the matching status reads it on every page)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fourchain.adapters.db.jobs_repo import SqlJobStore
from fourchain.bootstrap import Database
from fourchain.domain.jobs import Job


def _job(job_id: str, kind: str, minutes: int) -> Job:
    moment = datetime(2026, 12, 5, tzinfo=UTC) + timedelta(minutes=minutes)
    return Job(id=job_id, kind=kind, account="", created_at=moment, folder="")


def test_the_newest_job_of_each_kind_asked_for_and_none_for_a_kind_without(
    database: Database,
) -> None:
    store = SqlJobStore(database.engine)
    for job in (
        _job("a1", "market.embedding", 1),
        _job("a2", "market.embedding", 3),
        _job("b1", "market.index.sync", 2),
        _job("c1", "report.five_year", 9),
    ):
        store.add(job)
    latest = store.latest_of(["market.embedding", "market.index.sync", "no.such.kind"])
    assert {kind: job.id for kind, job in latest.items()} == {
        "market.embedding": "a2",
        "market.index.sync": "b1",
    }
    assert latest["market.embedding"] == store.recent("market.embedding", 1)[0]
    assert store.latest_of([]) == {}
