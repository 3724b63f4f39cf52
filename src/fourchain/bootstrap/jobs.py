"""The job runner's wiring: the jobs service over the platform database and the queue the
settings choose, and the handler of each kind of job the worker runs.

A new kind of long work (a large web import, say) is one more entry in `handlers`: a function
of a `JobContext` that writes its files into `context.folder`, reports progress through
`context.progress(stage, done, total)` and returns the names of its files; the entry point
submits it with `jobs.submit(kind, account, params)` and shows `jobs.get(id)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from fourchain.adapters.db.jobs_repo import SqlJobStore
from fourchain.adapters.jobs.queue import EmbeddedWorker, HueyJobQueue, make_huey
from fourchain.bootstrap import Database
from fourchain.config import Settings
from fourchain.services.jobs import (
    MARKET_EMBEDDING,
    MARKET_INDEX_SYNC,
    REPORT_FIVE_YEAR,
    Handler,
    JobContext,
    Jobs,
)

if TYPE_CHECKING:
    from huey.consumer import Consumer

    from fourchain.services.market_matching import MarketMatching


@dataclass
class JobServices:
    """The jobs service and its queue (one per app or CLI command)."""

    jobs: Jobs
    queue: HueyJobQueue

    def consumer(self, *, workers: int = 1, embedded: bool = False) -> Consumer:
        """The worker's consumer: runs queued jobs; every ten minutes removes old files."""
        return self.queue.consumer(
            self.jobs.run, self.jobs.sweep, workers=workers, embedded=embedded
        )

    def embedded_worker(self, workers: int = 1) -> EmbeddedWorker:
        """A worker in threads of this process (tests); `.start()`, then `.stop()`."""
        return EmbeddedWorker(self.consumer(workers=workers, embedded=True))


def build_jobs(
    database: Database,
    settings: Settings,
    handlers: dict[str, Handler] | None = None,
) -> JobServices:
    """The jobs service over `database` and the configured queue. `handlers` are needed only
    where jobs run (the worker): `job_handlers(database, settings)`."""
    queue = HueyJobQueue(
        make_huey(settings.fourchain_job_queue, database.url, settings.fourchain_data_dir)
    )
    jobs = Jobs(
        SqlJobStore(database.engine),
        queue,
        settings.fourchain_data_dir / "jobs",
        timedelta(hours=settings.fourchain_job_retention_hours),
        handlers=handlers or {},
    )
    return JobServices(jobs, queue)


def job_handlers(
    database: Database,
    settings: Settings,
    matching: Callable[[], MarketMatching] | None = None,
) -> dict[str, Handler]:
    """Every kind of job the worker runs, over `database`. `matching` makes the market's
    matching service (default: the one over the database's persistent index), once."""
    made: list[MarketMatching] = []

    def market() -> MarketMatching:
        if not made:
            if matching is not None:
                made.append(matching())
            else:
                from fourchain.bootstrap import market_matching

                made.append(market_matching(database, settings=settings))
        return made[0]

    def index_sync(context: JobContext) -> list[str]:
        context.progress("sync")
        market().sync(lambda done, total: context.progress("sync", done, total))
        return []

    def embedding(context: JobContext) -> list[str]:
        context.progress("embedding")
        market().embed(lambda done, total: context.progress("embedding", done, total))
        return []

    return {
        REPORT_FIVE_YEAR: lambda context: _five_year_report(database, context),
        MARKET_INDEX_SYNC: index_sync,
        MARKET_EMBEDDING: embedding,
    }


def _five_year_report(database: Database, context: JobContext) -> list[str]:
    from fourchain.adapters.analytics.engine import IbisIndicatorSource
    from fourchain.adapters.reports.five_year_files import BulletinFiles
    from fourchain.services.reports import STEP_PERCENT, build_five_year

    def progress(step: str) -> None:
        context.progress(step, STEP_PERCENT.get(step, 0), 100)

    year, lang = int(str(context.job.params["year"])), str(context.job.params["lang"])
    progress("registry")
    source = IbisIndicatorSource.from_engine(database.engine)
    try:
        paths = build_five_year(source, BulletinFiles(), year, context.folder, lang, progress)
    finally:
        # Close DuckDB in the thread that used it, not at interpreter exit (which can abort).
        source.tables.chains.get_backend().disconnect()
    return [path.name for path in paths]
