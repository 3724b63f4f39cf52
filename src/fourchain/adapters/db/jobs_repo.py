"""Job records in SQL (the JobStore port of services/jobs): every server process and the
worker read and write the same rows, so status shows from any process."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Engine, Row, and_, insert, select, union_all, update
from sqlalchemy.exc import IntegrityError

from fourchain.adapters.db.tables_jobs import jobs
from fourchain.domain.jobs import ACTIVE, Job, JobStatus


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


def _job(row: Row[tuple[object, ...]]) -> Job:
    m = row._mapping
    created = _aware(m["created_at"])
    assert created is not None
    return Job(
        id=str(m["id"]),
        kind=str(m["kind"]),
        account=str(m["account"]),
        created_at=created,
        folder=str(m["folder"]),
        params=json.loads(m["params"]),
        status=JobStatus(m["status"]),
        stage=str(m["stage"]),
        done=int(m["done"]),
        total=int(m["total"]),
        message=str(m["message"]),
        files=tuple(json.loads(m["files"])),
        started_at=_aware(m["started_at"]),
        finished_at=_aware(m["finished_at"]),
        files_removed=bool(m["files_removed"]),
    )


class SqlJobStore:
    """The job store over one engine; each method is its own short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, job: Job, pending_key: str | None = None) -> Job:
        row = {
            "id": job.id,
            "kind": job.kind,
            "status": job.status.value,
            "account": job.account,
            "params": json.dumps(dict(job.params), ensure_ascii=False, sort_keys=True),
            "stage": job.stage,
            "done": job.done,
            "total": job.total,
            "message": job.message,
            "files": json.dumps(list(job.files), ensure_ascii=False),
            "folder": job.folder,
            "pending_key": pending_key,
            "worker": None,
            "created_at": _naive(job.created_at),
            "started_at": None,
            "finished_at": None,
            "files_removed": False,
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(jobs), row)
        except IntegrityError:
            # Another submit holds the key: the job it queued is the answer. It may have
            # started (and released the key) since; then queue ours after all.
            waiting = self._pending(pending_key)
            if waiting is not None:
                return waiting
            with self.engine.begin() as connection:
                connection.execute(insert(jobs), row | {"pending_key": None})
        return job

    def _pending(self, key: str | None) -> Job | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(jobs).where(jobs.c.pending_key == key)).first()
        return None if row is None else _job(row)

    def get(self, job_id: str) -> Job | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(jobs).where(jobs.c.id == job_id)).first()
        return None if row is None else _job(row)

    def recent(self, kind: str, limit: int) -> list[Job]:
        query = (
            select(jobs)
            .where(jobs.c.kind == kind)
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [_job(row) for row in connection.execute(query)]

    def latest_of(self, kinds: Sequence[str]) -> dict[str, Job]:
        """The newest job of each of `kinds` that has one, in one statement."""
        newest = [
            select(jobs)
            .where(jobs.c.kind == kind)
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .limit(1)
            .subquery()
            for kind in kinds
        ]
        if not newest:
            return {}
        query = union_all(*(select(part) for part in newest))
        with self.engine.connect() as connection:
            return {job.kind: job for job in (_job(row) for row in connection.execute(query))}

    def active(self, kind: str) -> list[Job]:
        query = (
            select(jobs)
            .where(jobs.c.kind == kind, jobs.c.status.in_([s.value for s in ACTIVE]))
            .order_by(jobs.c.created_at)
        )
        with self.engine.connect() as connection:
            return [_job(row) for row in connection.execute(query)]

    def start(self, job_id: str, worker: str, now: datetime) -> Job | None:
        change = (
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == JobStatus.QUEUED.value)
            .values(
                status=JobStatus.RUNNING.value,
                pending_key=None,
                worker=worker,
                started_at=_naive(now),
            )
        )
        with self.engine.begin() as connection:
            taken = connection.execute(change).rowcount == 1
        return self.get(job_id) if taken else None

    def progress(self, job_id: str, stage: str, done: int, total: int) -> None:
        change = (
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == JobStatus.RUNNING.value)
            .values(stage=stage[:40], done=done, total=total)
        )
        with self.engine.begin() as connection:
            connection.execute(change)

    def finish(
        self,
        job_id: str,
        status: JobStatus,
        now: datetime,
        files: Sequence[str] = (),
        message: str = "",
    ) -> None:
        change = (
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(
                status=status.value,
                pending_key=None,
                files=json.dumps(list(files), ensure_ascii=False),
                message=message,
                finished_at=_naive(now),
            )
        )
        with self.engine.begin() as connection:
            connection.execute(change)

    def running_on(self, host: str) -> list[tuple[str, int]]:
        query = select(jobs.c.id, jobs.c.worker).where(
            jobs.c.status == JobStatus.RUNNING.value, jobs.c.worker.like(f"{host}:%")
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        out = []
        for job_id, worker in rows:
            pid = str(worker).rsplit(":", 1)[1]
            if pid.isdigit():
                out.append((str(job_id), int(pid)))
        return out

    def finished_before(self, moment: datetime) -> list[Job]:
        query = select(jobs).where(
            and_(
                jobs.c.status.in_([JobStatus.DONE.value, JobStatus.FAILED.value]),
                jobs.c.files_removed.is_(False),
                jobs.c.finished_at < _naive(moment),
            )
        )
        with self.engine.connect() as connection:
            return [_job(row) for row in connection.execute(query)]

    def files_removed(self, job_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(jobs).where(jobs.c.id == job_id).values(files_removed=True))
