"""The job runner's use cases: submit long work, follow it, run it in the worker, and remove
its files once the retention has passed.

A web request (or a CLI command) calls `Jobs.submit`: the job's record is written to the
platform database — every server process reads status from there — and its id is put on the
queue. The worker (`fourchain worker`) takes ids off the queue and calls `Jobs.run`, which
finds the kind's handler, gives it a folder for its files and a progress callback, and records
the outcome. Other areas add work by registering a handler for a new kind in the composition
root (`fourchain.bootstrap.jobs`) and submitting jobs of that kind.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import time
import traceback
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from fourchain.domain.jobs import Job, JobStatus
from fourchain.errors import Conflict, NotFound

log = logging.getLogger("fourchain.jobs")
# The kinds of job the platform runs (their handlers are wired in fourchain.bootstrap.jobs).
REPORT_FIVE_YEAR = "report.five_year"
MARKET_INDEX_SYNC = "market.index.sync"
MARKET_EMBEDDING = "market.embedding"
CULTIVATION_POOLS = "cultivation.pools"  # every tier's reserve pool, stored for the pages
Clock = Callable[[], datetime]
# Progress is written to the database at most this often (and at every change of stage).
PROGRESS_INTERVAL = 0.5


def utc_now() -> datetime:
    return datetime.now(UTC)


class JobStore(Protocol):
    """Job records in the platform database (adapters.db.jobs_repo.SqlJobStore)."""

    def add(self, job: Job, pending_key: str | None = None) -> Job:
        """Insert `job`; with `pending_key`, return the queued job holding the same key
        instead when there is one (the key is released when the job starts)."""
        ...

    def get(self, job_id: str) -> Job | None: ...

    def recent(self, kind: str, limit: int) -> list[Job]: ...

    def latest_of(self, kinds: Sequence[str]) -> dict[str, Job]:
        """The newest job of each of `kinds` that has one."""
        ...

    def active(self, kind: str) -> list[Job]: ...

    def start(self, job_id: str, worker: str, now: datetime) -> Job | None:
        """Mark a queued job running (None when it is not queued any more)."""
        ...

    def progress(self, job_id: str, stage: str, done: int, total: int) -> None: ...

    def finish(
        self,
        job_id: str,
        status: JobStatus,
        now: datetime,
        files: Sequence[str] = (),
        message: str = "",
    ) -> None: ...

    def running_on(self, host: str) -> list[tuple[str, int]]:
        """(job id, worker pid) of the jobs marked running by workers on `host`."""
        ...

    def finished_before(self, moment: datetime) -> list[Job]:
        """Finished jobs whose files are still there and that finished before `moment`."""
        ...

    def files_removed(self, job_id: str) -> None: ...


class JobQueue(Protocol):
    """Where job ids wait for the worker (adapters.jobs.queue.HueyJobQueue)."""

    def enqueue(self, job_id: str) -> None: ...


@dataclass
class JobContext:
    """What a handler gets: the job, a folder for its result files, and a progress callback
    (stage name, done, total) that the web shows while it runs."""

    job: Job
    folder: Path
    report: Callable[[str, int, int], None]

    def progress(self, stage: str, done: int = 0, total: int = 0) -> None:
        self.report(stage, done, total)


# A handler does the work and returns the names of the files it wrote in `context.folder`.
Handler = Callable[[JobContext], Sequence[str]]


@dataclass(frozen=True)
class Submitted:
    job: Job
    created: bool  # False: an equal job was already waiting (deduplicated)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Jobs:
    """Submit, follow and run jobs; `folder` holds one sub-folder of result files per job."""

    store: JobStore
    queue: JobQueue
    folder: Path
    retention: timedelta
    clock: Clock = utc_now
    handlers: Mapping[str, Handler] = field(default_factory=dict)

    # ---------------------------------------------------------------- the request side
    def submit(
        self,
        kind: str,
        account: str = "",
        params: Mapping[str, object] | None = None,
        *,
        pending_key: str | None = None,
        exclusive: bool = False,
        prepare: Callable[[Path], object] | None = None,
    ) -> Submitted:
        """Record a job and queue it. `pending_key`: while a job with the same key waits, no
        second one is queued (that one is returned). `exclusive`: refuse (Conflict naming the
        job) while a job of this kind is queued or running. `prepare` is called with the job's
        folder before it is queued, to put its input there (an upload to import, streamed to
        disk); if it fails, the job is recorded failed and the error raised."""
        if exclusive:
            running = self.store.active(kind)
            if running:
                raise Conflict(f"job {running[0].id} ({kind}) is still {running[0].status}")
        job_id = uuid.uuid4().hex
        job = Job(
            id=job_id,
            kind=kind,
            account=account,
            created_at=self.clock(),
            folder=str((self.folder / job_id).resolve()),
            params=dict(params or {}),
        )
        stored = self.store.add(job, pending_key)
        if stored.id != job_id:
            return Submitted(stored, created=False)
        try:
            if prepare is not None:
                folder = Path(job.folder)
                folder.mkdir(parents=True, exist_ok=True)
                prepare(folder)
            self.queue.enqueue(job_id)
        except Exception as error:
            # Not left queued: it would wait for ever and hold its kind's slot.
            message = f"not queued: {type(error).__name__}: {error}"[:500]
            self.store.finish(job_id, JobStatus.FAILED, self.clock(), message=message)
            raise
        return Submitted(stored, created=True)

    def get(self, job_id: str) -> Job:
        job = self.store.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        return job

    def recent(self, kind: str, limit: int = 20) -> list[Job]:
        return self.store.recent(kind, limit)

    def active(self, kind: str) -> list[Job]:
        return self.store.active(kind)

    def latest(self, kind: str) -> Job | None:
        found = self.store.recent(kind, 1)
        return found[0] if found else None

    def latest_of(self, *kinds: str) -> dict[str, Job]:
        """The newest job of each kind that has one (one lookup: a status read per page)."""
        return self.store.latest_of(kinds)

    def file(self, job: Job, name: str) -> Path:
        """The path of one of a finished job's result files."""
        if job.status is not JobStatus.DONE or job.files_removed or name not in job.files:
            raise NotFound(f"no file {name} in job {job.id}")
        return Path(job.folder) / name

    # ---------------------------------------------------------------- the worker side
    def run(self, job_id: str) -> Job | None:
        """Run one queued job with its kind's handler and record the outcome (a failure is
        logged with its trace and shown as one line). None: not queued (already taken)."""
        job = self.store.start(job_id, _worker_name(), self.clock())
        if job is None:
            log.info("job %s is not queued any more; skipped", job_id)
            return None
        handler = self.handlers.get(job.kind)
        if handler is None:
            self.store.finish(job_id, JobStatus.FAILED, self.clock(), message="unknown kind")
            log.error("job %s: no handler for kind %r", job_id, job.kind)
            return self.store.get(job_id)
        folder = Path(job.folder)
        folder.mkdir(parents=True, exist_ok=True)
        log.info("job %s (%s) started by %s", job_id, job.kind, job.account or "the system")
        context = JobContext(job, folder, self._reporter(job))
        try:
            files = tuple(handler(context))
        except Exception as error:  # noqa: BLE001 - a failed job is recorded, the worker goes on
            # The trace as text: a record holding the traceback keeps the handler's frames
            # (and any database or DuckDB connection in them) alive.
            trace = "".join(traceback.format_exception(error))
            traceback.clear_frames(error.__traceback__)
            log.error("job %s (%s) failed\n%s", job_id, job.kind, trace)
            message = f"{type(error).__name__}: {error}"[:500]
            self.store.finish(job_id, JobStatus.FAILED, self.clock(), message=message)
        else:
            self.store.finish(job_id, JobStatus.DONE, self.clock(), files=files)
            log.info("job %s (%s) done: %s", job_id, job.kind, ", ".join(files) or "no files")
        return self.store.get(job_id)

    def _reporter(self, job: Job) -> Callable[[str, int, int], None]:
        last_stage, last_at = [""], [0.0]

        def report(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            finished = total > 0 and done >= total
            if stage == last_stage[0] and now - last_at[0] < PROGRESS_INTERVAL and not finished:
                return
            last_stage[0], last_at[0] = stage, now
            self.store.progress(job.id, stage, done, total)
            log.info("job %s: %s %d/%d", job.id, stage, done, total)

        return report

    def recover(self) -> list[str]:
        """Jobs left running by a worker of this machine that is gone (killed, or stopped
        without waiting) are marked failed, so they neither show progress forever nor block
        a new job of their kind. Returns their ids."""
        lost = [
            job_id
            for job_id, pid in self.store.running_on(socket.gethostname())
            if pid != os.getpid() and not _pid_alive(pid)
        ]
        for job_id in lost:
            self.store.finish(
                job_id, JobStatus.FAILED, self.clock(), message="interrupted: the worker stopped"
            )
            log.warning("job %s was interrupted when its worker stopped; marked failed", job_id)
        return lost

    def sweep(self) -> list[str]:
        """Remove the files of jobs finished longer than the retention ago; their records
        stay (the list shows them without downloads). Returns the jobs swept."""
        swept = []
        now = self.clock()
        for job in self.store.finished_before(now - self.retention):
            if not job.expired(now, self.retention):
                continue
            shutil.rmtree(job.folder, ignore_errors=True)
            self.store.files_removed(job.id)
            swept.append(job.id)
        if swept:
            log.info("removed the files of %d jobs past the retention", len(swept))
        return swept
