"""A real job worker (huey's consumer, in threads of the test process) over an app's database
and queue, for tests that need queued jobs to run."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fourchain.bootstrap import Database, Services
from fourchain.bootstrap.jobs import JobServices
from fourchain.config import Settings
from fourchain.services.jobs import MARKET_EMBEDDING, MARKET_INDEX_SYNC, Handler
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


def settle(platform: Services, timeout: float = 60) -> None:
    """Wait until the worker has run every queued index sync and embedding."""
    deadline = time.monotonic() + timeout
    while platform.jobs.jobs.active(MARKET_INDEX_SYNC) or platform.jobs.jobs.active(
        MARKET_EMBEDDING
    ):
        assert time.monotonic() < deadline, "the worker did not run the matching jobs"
        time.sleep(0.05)
