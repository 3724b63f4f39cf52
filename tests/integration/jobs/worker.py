"""A real job worker (huey's consumer, in threads of the test process) over an app's database
and queue, for tests that need queued jobs to run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fourchain.bootstrap import Database, Services
from fourchain.bootstrap.jobs import JobServices
from fourchain.config import Settings
from fourchain.services.jobs import Handler
from fourchain.services.market_matching import MarketMatching


@contextmanager
def running_worker(
    database: Database,
    settings: Settings,
    handlers: dict[str, Handler] | None = None,
    matching: Callable[[], MarketMatching] | None = None,
) -> Iterator[JobServices]:
    """A worker with the platform's handlers over its own container, as `fourchain worker`
    has (`handlers` replace some kinds'; `matching` makes the matching service it uses)."""
    services = Services(database, settings)
    if matching is not None:
        services.market.use_matching(matching())
    jobs = services.jobs
    jobs.jobs.handlers = {**jobs.jobs.handlers, **(handlers or {})}
    worker = jobs.embedded_worker().start()
    try:
        yield jobs
    finally:
        worker.stop()
