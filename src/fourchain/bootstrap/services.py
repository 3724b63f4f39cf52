"""The container: one typed object of services per area, all over one database. An area is
made on first use (the CLI's commands touch one or two; the web app all of them)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from fourchain.bootstrap import accounts as _accounts
from fourchain.bootstrap import collaboration as _collaboration
from fourchain.bootstrap import cultivation as _cultivation
from fourchain.bootstrap import finance as _finance
from fourchain.bootstrap import finding as _finding
from fourchain.bootstrap import foresight as _foresight
from fourchain.bootstrap import indicators as _indicators
from fourchain.bootstrap import ingest as _ingest
from fourchain.bootstrap import jobs as _jobs
from fourchain.bootstrap import market as _market
from fourchain.bootstrap import pipeline as _pipeline
from fourchain.bootstrap import programmes as _programmes
from fourchain.bootstrap import registry as _registry
from fourchain.bootstrap import workspace as _workspace
from fourchain.bootstrap.database import Database, database_url, open_database
from fourchain.config import Settings, get_settings
from fourchain.services.finance_desk import FinanceDesk
from fourchain.services.finding import GlobalSearch
from fourchain.services.pipeline_desk import PipelineDesk
from fourchain.services.programmes import ProgrammeDesk
from fourchain.services.workspace import Workspaces

FOLLOW_SECONDS = 1.0


@dataclass
class Services:
    """Every area's services over `database`. Add an area with one property below, built by
    its own `bootstrap/<area>.py`."""

    database: Database
    settings: Settings
    today: Callable[[], date] = date.today  # the market's clock (the web's is UTC)
    # A serving process's: called after each matching-index generation is loaded
    # (bootstrap.serving.settle_heap)
    after_index_load: Callable[[], None] | None = None
    # the data-version stamp last seen, and when it was read (`follow_writes`)
    _seen_version: int | None = field(default=None, init=False, repr=False)
    _checked_at: float | None = field(default=None, init=False, repr=False)

    @cached_property
    def auth(self) -> _accounts.AccountsArea:  # accounts and the audit log
        return _accounts.build(self.database, self.settings)

    @cached_property
    def registry(self) -> _registry.RegistryArea:
        return _registry.build(self.database, self.settings, self.auth.audit)

    @cached_property
    def jobs(self) -> _jobs.JobServices:  # long work: queued here, run by `fourchain worker`
        return _jobs.build(self)

    @cached_property
    def market(self) -> _market.MarketArea:  # records, the challenge desk and matching
        return _market.build(
            self.database, self.settings, self.today, self.jobs.jobs, self.after_index_load
        )

    @cached_property
    def cultivation(self) -> _cultivation.CultivationArea:
        return _cultivation.build(self.database, self.settings, self.jobs.jobs)

    @cached_property
    def pipeline(self) -> _pipeline.PipelineArea:
        return _pipeline.build(self.database, self.settings)

    @cached_property
    def finance(self) -> _pipeline.FinanceArea:
        return _pipeline.build_finance(self.database, self.settings)

    @cached_property
    def finance_desk(self) -> FinanceDesk:  # the capital chain's writes, each audited
        return _finance.build_finance_desk(self.database)

    @cached_property
    def pipeline_desk(self) -> PipelineDesk:  # corrections of the pipeline's records, audited
        return _pipeline.build_desk(self.database)

    @cached_property
    def indicators(self) -> _indicators.IndicatorsArea:
        return _indicators.build(self.database, self.settings)

    @cached_property
    def reports(self) -> _indicators.ReportsArea:
        return _indicators.build_reports(self.database, self.settings)

    @cached_property
    def foresight(self) -> _foresight.ForesightArea:  # what-if, policy, outlook, scale
        return _foresight.build(self.database, self.settings)

    @cached_property
    def ingest(self) -> _ingest.IngestArea:
        return _ingest.build(self.database, self.settings)

    @cached_property
    def programmes(self) -> ProgrammeDesk:  # S&T programme projects (科技计划项目)
        return _programmes.build(self.database)

    @cached_property
    def workspace(self) -> Workspaces:  # 我的工作台: what waits on each role
        return _workspace.build(self)

    @cached_property
    def finding(self) -> GlobalSearch:  # the global search over every kind of record
        return _finding.build(self.database)

    @cached_property
    def collaboration(self) -> _collaboration.CollaborationArea:  # partners, networks, honours
        return _collaboration.build(self.database)

    def data_changed(self) -> None:
        """The registry's or the market's data changed (an import, a write): every cache that
        saw it is cleared, so the next page shows the change at once. Areas not made yet hold
        nothing to clear."""
        self._clear_caches()
        made = vars(self)
        self.cultivation.data_changed()  # its stored pools are recomputed, made or not
        if "market" in made:
            self.market.records_changed()

    def _clear_caches(self) -> None:
        """The caches that are cheap to make again. The cultivation pools (9–15 s each on the
        demo city) are not cleared for another process's writes: they follow their own time
        to live, so that a busy worker's writes do not make every page wait on a pool."""
        made = vars(self)
        if "registry" in made:
            self.registry.views.data_changed()
        if "indicators" in made:
            self.indicators.release()

    def follow_due(
        self, every: float = FOLLOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> bool:
        """Whether `follow_writes` would read the stamp now (no I/O: an async caller reads it
        in a thread only then)."""
        return self._due(clock(), every)

    def _due(self, now: float, every: float) -> bool:
        return self._checked_at is None or now - self._checked_at >= every

    def follow_writes(
        self, every: float = FOLLOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> bool:
        """Clear the caches when the data-version stamp moved since it was last read: another
        process wrote (a CLI import into the served database, another web worker). Reads the
        stamp at most once every `every` seconds; True when the caches were cleared."""
        now = clock()
        if not self._due(now, every):
            return False
        self._checked_at = now
        version = self.database.version()
        moved = self._seen_version is not None and version != self._seen_version
        self._seen_version = version
        if moved:
            self._clear_caches()
        return moved


@contextmanager
def open_services(
    db: Path | str | None,
    *,
    create: bool = False,
    upgrade: bool = True,
    settings: Settings | None = None,
) -> Iterator[Services]:
    """The CLI's way in: the services over the database of a `--db` value, disposed of at the
    end whatever happens. A SQLite file that does not exist is an error unless create=True."""
    settings = settings or get_settings()
    database = open_database(database_url(db, settings), create=create, upgrade=upgrade)
    try:
        yield Services(database, settings)
    finally:
        database.dispose()
