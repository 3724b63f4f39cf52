"""The job runner's wiring (`Services.jobs` in the container): the jobs service over the
platform database and the queue the settings choose, and the handler of each kind of job.

A new kind of long work (a large web import, say) is one more entry in `handlers`: a function
of a `JobContext` that writes its files into `context.folder`, reports progress through
`context.progress(stage, done, total)` and returns the names of its files; the entry point
submits it with `jobs.submit(kind, account, params)` and shows `jobs.get(id)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from fourchain.adapters.db.jobs_repo import SqlJobStore
from fourchain.adapters.jobs.queue import EmbeddedWorker, HueyJobQueue, make_huey
from fourchain.bootstrap.database import Database
from fourchain.config import Settings
from fourchain.services.jobs import (
    CULTIVATION_POOLS,
    MARKET_EMBEDDING,
    MARKET_INDEX_SYNC,
    REPORT_FIVE_YEAR,
    Handler,
    JobContext,
    Jobs,
)

if TYPE_CHECKING:
    from huey.consumer import Consumer

    from fourchain.bootstrap.services import Services


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
    """The jobs service over `database` and the configured queue, with `handlers` for the
    kinds it may run (a worker's; submitting needs none)."""
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


def build(services: Services) -> JobServices:
    """The container's jobs: every kind's handler over the container's other areas."""
    return build_jobs(services.database, services.settings, job_handlers(services))


def job_handlers(services: Services) -> dict[str, Handler]:
    """Every kind of job the worker runs. The market's jobs sync and embed in place (they are
    the worker's own work, never queued again)."""

    def index_sync(context: JobContext) -> list[str]:
        context.progress("sync")
        matching = services.market.matching()
        matching.sync(lambda done, total: context.progress("sync", done, total))
        # The records' matches pages, answered ahead for the new generation.
        matching.warm(lambda done, total: context.progress("answers", done, total))
        return []

    def embedding(context: JobContext) -> list[str]:
        context.progress("embedding")
        matching = services.market.matching()
        matching.embed(lambda done, total: context.progress("embedding", done, total))
        matching.warm(lambda done, total: context.progress("answers", done, total))
        return []

    def five_year_report(context: JobContext) -> list[str]:
        from fourchain.bootstrap.foresight import plan_outlook
        from fourchain.services.reports import STEP_PERCENT, build_five_year

        def progress(step: str) -> None:
            context.progress(step, STEP_PERCENT.get(step, 0), 100)

        year, lang = int(str(context.job.params["year"])), str(context.job.params["lang"])
        progress("registry")
        writer = services.reports.writer
        with services.indicators.source() as source:  # closed in this thread, after
            projected = plan_outlook(services.database, source, year)
            paths = build_five_year(
                source, writer, year, context.folder, lang, progress, outlook=projected
            )
        return [path.name for path in paths]

    def cultivation_pools(context: JobContext) -> list[str]:
        from fourchain.services.cultivation_pools import job_years

        services.cultivation.refresh(job_years(context.job), context.progress)
        return []

    handlers: dict[str, Handler] = {
        CULTIVATION_POOLS: cultivation_pools,
        REPORT_FIVE_YEAR: five_year_report,
        MARKET_INDEX_SYNC: index_sync,
        MARKET_EMBEDDING: embedding,
    }
    return {kind: following_writes(services, handler) for kind, handler in handlers.items()}


def following_writes(services: Services, handler: Handler) -> Handler:
    """`handler`, first clearing the worker's caches (the indicators' DuckDB a report reads,
    the registry's views) when another process wrote since the last job: a report started
    right after an import counts the imported rows."""

    def run(context: JobContext) -> list[str]:
        services.follow_writes()
        return list(handler(context))

    return run
