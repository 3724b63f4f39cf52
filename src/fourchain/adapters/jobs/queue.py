"""The job queue on huey: job ids wait in an embedded SQLite file (the default) or in Redis;
the worker's consumer takes them off and runs them through `services.jobs.Jobs.run`.

Only the job's id travels through the queue; everything else about it (kind, parameters,
status, progress, files) is in the platform database's `jobs` table, which every server
process reads. The queue is named after the database, so two databases never share one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.consumer import Consumer
from sqlalchemy.engine import make_url

from fourchain.config import JOB_QUEUES
from fourchain.errors import ConfigError

log = logging.getLogger("fourchain.jobs")
RUN_JOB = "fourchain_run_job"
SWEEP = "fourchain_sweep_jobs"
EMBEDDED = ""


def queue_name(database_url: str) -> str:
    """The queue's name: a digest of the database URL (password hidden)."""
    rendered = make_url(database_url).render_as_string(hide_password=True)
    return "fourchain-" + hashlib.sha256(rendered.encode()).hexdigest()[:16]


def embedded_queue_file(database_url: str, data_dir: Path) -> Path:
    """Where the embedded queue of the database at `database_url` lives: beside a SQLite
    file (`<file>.jobs-queue`), else in the data folder."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(f"{parsed.database}.jobs-queue")
    return data_dir / "jobs-queue" / f"{queue_name(database_url)}.sqlite"


def make_huey(backend: str, database_url: str, data_dir: Path) -> Huey:
    """huey over the backend the setting names: empty → embedded SQLite, a redis:// URL →
    Redis. Results are not stored: the jobs table holds every outcome."""
    name = queue_name(database_url)
    if backend == EMBEDDED:
        path = embedded_queue_file(database_url, data_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False, fsync=True)
    if backend.startswith(JOB_QUEUES):
        return RedisHuey(name, url=backend, results=False)
    raise ConfigError(f"job queue {backend!r}: empty (embedded SQLite) or a redis:// URL")


class _QuietConsumer(Consumer):  # type: ignore[misc]
    """A consumer started inside another program (tests, an embedding app): it leaves that
    program's signal handlers alone."""

    def _set_signal_handlers(self) -> None:
        return None


class HueyJobQueue:
    """The JobQueue port on huey, and the worker that serves it."""

    def __init__(self, huey: Huey) -> None:
        self.huey = huey
        self._run: Callable[[str], object] | None = None
        self._sweep: Callable[[], object] | None = None
        self._task = huey.task(name=RUN_JOB)(self._execute)
        huey.periodic_task(crontab(minute="*/10"), name=SWEEP)(self._periodic_sweep)

    def enqueue(self, job_id: str) -> None:
        self._task(job_id)

    def pending(self) -> int:
        return int(self.huey.pending_count())

    def _execute(self, job_id: str) -> None:
        if self._run is None:
            raise RuntimeError("this process serves no jobs (run `fourchain worker`)")
        self._run(job_id)

    def _periodic_sweep(self) -> None:
        if self._sweep is not None:
            self._sweep()

    def consumer(
        self,
        run: Callable[[str], object],
        sweep: Callable[[], object],
        *,
        workers: int = 1,
        embedded: bool = False,
    ) -> Consumer:
        """A consumer that runs jobs with `run` and removes old files with `sweep` every ten
        minutes. embedded=True: for a consumer started in a thread of another program."""
        self._run, self._sweep = run, sweep
        options: dict[str, Any] = {
            "workers": workers,
            "worker_type": "thread",
            "periodic": True,
            "initial_delay": 0.05,
            "max_delay": 1.0,
            "check_worker_health": True,
        }
        return (_QuietConsumer if embedded else Consumer)(self.huey, **options)


class EmbeddedWorker:
    """A worker in threads of this process (tests): `start()`, then `stop()` waits for the job
    in hand. huey's own tests run the consumer the same way."""

    def __init__(self, consumer: Consumer) -> None:
        self.consumer = consumer

    def start(self) -> EmbeddedWorker:
        self.consumer.start()
        return self

    def stop(self) -> None:
        self.consumer.stop(graceful=True)
        self.consumer.huey.storage.close()
