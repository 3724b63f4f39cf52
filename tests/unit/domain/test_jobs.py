"""A job's progress and the moment its files fall due for removal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fourchain.config import Settings
from fourchain.domain.jobs import Job, JobStatus
from fourchain.errors import ConfigError

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def job(**changes: object) -> Job:
    values: dict[str, object] = {
        "id": "a" * 32,
        "kind": "report.five_year",
        "account": "analyst",
        "created_at": START,
        "folder": "/tmp/jobs/a",
    }
    values.update(changes)
    return Job(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "done", "total", "percent"),
    [
        (JobStatus.QUEUED, 0, 0, 0),
        (JobStatus.RUNNING, 0, 0, 0),
        (JobStatus.RUNNING, 45, 100, 45),
        (JobStatus.RUNNING, 1, 3, 33),
        (JobStatus.RUNNING, 7, 5, 100),
        (JobStatus.DONE, 2, 5, 100),
        (JobStatus.FAILED, 0, 0, 100),
    ],
)
def test_a_jobs_percent_is_its_share_done_and_full_once_it_ended(
    status: JobStatus, done: int, total: int, percent: int
) -> None:
    assert job(status=status, done=done, total=total).percent == percent


@pytest.mark.parametrize(
    ("status", "finished", "removed", "now", "due"),
    [
        (JobStatus.DONE, START, False, START + DAY, True),
        (JobStatus.FAILED, START, False, START + DAY, True),
        (JobStatus.DONE, START, False, START + DAY - timedelta(minutes=1), False),
        (JobStatus.DONE, START, True, START + 2 * DAY, False),
        (JobStatus.RUNNING, None, False, START + 9 * DAY, False),
        (JobStatus.QUEUED, None, False, START + 9 * DAY, False),
    ],
)
def test_a_jobs_files_are_due_for_removal_once_the_retention_has_passed_since_it_ended(
    status: JobStatus, finished: datetime | None, removed: bool, now: datetime, due: bool
) -> None:
    found = job(status=status, finished_at=finished, files_removed=removed)
    assert found.expired(now, DAY) is due


@pytest.mark.parametrize(
    ("queue", "accepted"),
    [("", True), ("redis://127.0.0.1:6379/0", True), ("rediss://cache:6380", True),
     ("amqp://broker", False), ("sqlite:///jobs.db", False)],
)  # fmt: skip
def test_the_job_queue_setting_is_embedded_or_redis(queue: str, accepted: bool) -> None:
    settings = Settings(fourchain_job_queue=queue)
    if accepted:
        assert settings.check() is settings
    else:
        with pytest.raises(ConfigError, match="FOURCHAIN_JOB_QUEUE"):
            settings.check()
