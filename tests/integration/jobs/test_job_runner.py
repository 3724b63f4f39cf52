"""The job runner on both databases, with huey's real queue (an embedded SQLite file; Redis
under its marker) and a real worker consumer in threads: a submitted job runs in the worker,
reports progress, records its files or its failure, is not queued twice under one key, and
its files are removed once the retention has passed."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from fourchain.bootstrap import Database
from fourchain.bootstrap.jobs import JobServices, build_jobs
from fourchain.config import Settings
from fourchain.domain.jobs import Job, JobStatus
from fourchain.errors import Conflict, NotFound
from fourchain.services.jobs import Handler, JobContext

WAIT = 20.0


def settings(data_dir: Path, queue: str = "") -> Settings:
    return Settings(
        fourchain_data_dir=data_dir, fourchain_job_queue=queue, fourchain_job_retention_hours=24
    )


def wait_for(services: JobServices, job_id: str, status: JobStatus) -> Job:
    deadline = time.monotonic() + WAIT
    while (job := services.jobs.get(job_id)).status is not status:
        assert time.monotonic() < deadline, f"job {job_id} is {job.status}, not {status}"
        time.sleep(0.05)
    return job


def write_greeting(context: JobContext) -> list[str]:
    name = str(context.job.params["name"])
    for step in range(1, 4):
        context.progress("writing", step, 3)
    (context.folder / "greeting.txt").write_text(f"你好，{name}", encoding="utf-8")
    return ["greeting.txt"]


def fail(context: JobContext) -> list[str]:
    raise RuntimeError("the disk is full")


class Gate:
    """A handler held at a step until the test lets it go."""

    def __init__(self) -> None:
        self.reached, self.go = threading.Event(), threading.Event()

    def __call__(self, context: JobContext) -> list[str]:
        context.progress("held", 1, 2)
        self.reached.set()
        assert self.go.wait(WAIT)
        return []


@pytest.fixture
def runner(database: Database, tmp_path: Path) -> Iterator[Callable[..., JobServices]]:
    """Job services over the test's database and an embedded queue in tmp_path; a worker for
    each set of handlers it is given, stopped afterwards."""
    workers = []

    def make(handlers: dict[str, Handler] | None = None, *, worker: bool = True) -> JobServices:
        services = build_jobs(database, settings(tmp_path / "data"), handlers)
        if worker:
            workers.append(services.embedded_worker().start())
        return services

    yield make
    for worker in workers:
        worker.stop()


def test_a_submitted_job_runs_in_the_worker_and_its_files_are_recorded(
    runner: Callable[..., JobServices],
) -> None:
    services = runner({"greet": write_greeting})
    submitted = services.jobs.submit("greet", "analyst", {"name": "厦门"})
    assert submitted.created and submitted.job.status is JobStatus.QUEUED
    job = wait_for(services, submitted.job.id, JobStatus.DONE)
    assert job.files == ("greeting.txt",) and job.account == "analyst"
    assert (job.stage, job.done, job.total, job.percent) == ("writing", 3, 3, 100)
    assert job.started_at is not None and job.finished_at is not None
    path = services.jobs.file(job, "greeting.txt")
    assert path.read_text(encoding="utf-8") == "你好，厦门"
    with pytest.raises(NotFound):
        services.jobs.file(job, "other.txt")


def test_a_failed_job_says_why_in_one_line_and_has_no_files(
    runner: Callable[..., JobServices],
) -> None:
    services = runner({"fail": fail})
    job = wait_for(services, services.jobs.submit("fail").job.id, JobStatus.FAILED)
    assert job.message == "RuntimeError: the disk is full" and job.files == ()
    with pytest.raises(NotFound):
        services.jobs.file(job, "anything")


def test_a_job_submitted_before_any_worker_runs_once_one_starts(
    runner: Callable[..., JobServices],
) -> None:
    """The queue outlives the process that submitted: a new worker finds the job."""
    submitter = runner(worker=False)
    job_id = submitter.jobs.submit("greet", "admin", {"name": "集美"}).job.id
    time.sleep(0.3)
    assert submitter.jobs.get(job_id).status is JobStatus.QUEUED
    worker = runner({"greet": write_greeting})
    assert wait_for(worker, job_id, JobStatus.DONE).files == ("greeting.txt",)


def test_a_waiting_job_is_not_queued_twice_under_one_key(
    runner: Callable[..., JobServices],
) -> None:
    gate = Gate()
    services = runner({"hold": gate, "greet": write_greeting})
    first = services.jobs.submit("hold", pending_key="hold").job
    assert gate.reached.wait(WAIT)  # running: its key is released
    waiting = services.jobs.submit("greet", params={"name": "a"}, pending_key="greet").job
    again = services.jobs.submit("greet", params={"name": "b"}, pending_key="greet")
    assert not again.created and again.job.id == waiting.id
    after_start = services.jobs.submit("hold", pending_key="hold")
    assert after_start.created and after_start.job.id != first.id
    gate.go.set()
    wait_for(services, waiting.id, JobStatus.DONE)
    wait_for(services, after_start.job.id, JobStatus.DONE)


def test_an_exclusive_kind_is_refused_while_one_is_queued_or_running(
    runner: Callable[..., JobServices],
) -> None:
    gate = Gate()
    services = runner({"hold": gate})
    first = services.jobs.submit("hold", exclusive=True).job
    with pytest.raises(Conflict, match=first.id):
        services.jobs.submit("hold", exclusive=True)
    gate.go.set()
    wait_for(services, first.id, JobStatus.DONE)
    assert services.jobs.submit("hold", exclusive=True).created


def test_a_job_left_running_by_a_worker_that_is_gone_is_marked_failed(
    runner: Callable[..., JobServices],
) -> None:
    services = runner(worker=False)
    job_id = services.jobs.submit("greet").job.id
    gone = 2**22 + 12_345  # above Linux's default pid_max: no such process
    store = services.jobs.store
    assert store.start(job_id, f"{socket.gethostname()}:{gone}", datetime.now(UTC))
    assert services.jobs.recover() == [job_id]
    job = services.jobs.get(job_id)
    assert job.status is JobStatus.FAILED and "interrupted" in job.message


def test_old_job_files_are_removed_after_the_retention(
    runner: Callable[..., JobServices],
) -> None:
    # Minutes off the worker's own ten-minute sweep, so the explicit sweeps are the ones seen.
    services = runner({"greet": write_greeting})
    with time_machine.travel(datetime(2026, 1, 1, 9, 3, tzinfo=UTC), tick=True):
        old = wait_for(
            services, services.jobs.submit("greet", params={"name": "旧"}).job.id, JobStatus.DONE
        )
    with time_machine.travel(datetime(2026, 1, 2, 8, 3, tzinfo=UTC), tick=True):
        new = wait_for(
            services, services.jobs.submit("greet", params={"name": "新"}).job.id, JobStatus.DONE
        )
        assert services.jobs.sweep() == []  # 23 hours: the retention is 24
    with time_machine.travel(datetime(2026, 1, 2, 9, 33, tzinfo=UTC), tick=True):
        assert services.jobs.sweep() == [old.id]
        assert services.jobs.sweep() == []
    assert not Path(old.folder).exists() and Path(new.folder, "greeting.txt").is_file()
    swept = services.jobs.get(old.id)
    assert swept.status is JobStatus.DONE and swept.files_removed
    with pytest.raises(NotFound):
        services.jobs.file(swept, "greeting.txt")


@pytest.mark.redis
def test_the_redis_backend_carries_jobs_to_the_worker(
    sqlite_database: Database, tmp_path: Path, redis_url: str
) -> None:
    services = build_jobs(
        sqlite_database, settings(tmp_path / "data", redis_url), {"greet": write_greeting}
    )
    services.queue.huey.flush()
    assert type(services.queue.huey.storage).__name__ == "RedisStorage"
    job_id = services.jobs.submit("greet", "admin", {"name": "思明"}).job.id
    assert services.queue.pending() == 1
    worker = services.embedded_worker().start()
    try:
        job = wait_for(services, job_id, JobStatus.DONE)
    finally:
        worker.stop()
        services.queue.huey.flush()
    assert services.jobs.file(job, "greeting.txt").read_text(encoding="utf-8") == "你好，思明"


def test_a_job_the_queue_refuses_is_recorded_failed_and_frees_its_kind(
    sqlite_database: Database, tmp_path: Path
) -> None:
    """Redis unreachable at submit time: the error reaches the caller, and the job is not
    left queued for ever (holding its kind's one slot)."""
    unreachable = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    services = build_jobs(sqlite_database, settings(tmp_path / "data", unreachable))
    with pytest.raises(Exception, match="(?i)connect"):
        services.jobs.submit("hold", "admin", exclusive=True)
    [job] = services.jobs.recent("hold")
    assert job.status is JobStatus.FAILED and job.message.startswith("not queued:")
    assert services.jobs.active("hold") == []


def count_lines(context: JobContext) -> list[str]:
    lines = (context.folder / "upload.csv").read_text(encoding="utf-8").splitlines()
    (context.folder / "report.txt").write_text(f"{len(lines)} rows", encoding="utf-8")
    return ["report.txt"]


def test_a_job_finds_the_input_its_submitter_prepared_in_its_folder(
    runner: Callable[..., JobServices],
) -> None:
    """How a large web import runs as a job: the upload goes to the job's folder first."""
    services = runner({"import": count_lines})

    def upload(folder: Path) -> None:
        (folder / "upload.csv").write_text("名称\n甲\n乙\n", encoding="utf-8")

    job_id = services.jobs.submit("import", "admin", prepare=upload).job.id
    job = wait_for(services, job_id, JobStatus.DONE)
    assert services.jobs.file(job, "report.txt").read_text(encoding="utf-8") == "3 rows"
    with pytest.raises(ValueError, match="too large"):
        services.jobs.submit("import", prepare=lambda _folder: int("too large"))
    failed = [j for j in services.jobs.recent("import") if j.status is JobStatus.FAILED]
    assert len(failed) == 1 and "not queued" in failed[0].message
