"""Stored reserve pools: every tier's pool of a year assessed once, by the `cultivation.pools`
job, and kept with the data-version stamp it was computed at. A pool page reads the stored
one (a JSON row, not a pass over the registry); when the data moved since, it still shows it,
says it is being recomputed and queues the job; when none is stored it queues the job and
shows its status instead of assessing in the request."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from fourchain.domain.cultivation import DEFAULT_TOLERANCE, for_year
from fourchain.domain.jobs import Job
from fourchain.domain.registry import Tier, year_end
from fourchain.errors import NotFound
from fourchain.services.caching import Memo
from fourchain.services.cultivation import (
    Details,
    EnterpriseInfo,
    PoolSnapshot,
    TierTable,
    assess_registry,
    details_of,
)
from fourchain.services.jobs import CULTIVATION_POOLS, Submitted
from fourchain.services.ports import CultivationStore

Progress = Callable[[str, int, int], None]
_INFO = ("name", "cluster", "district", "zone")


@dataclass(frozen=True)
class PoolHead:
    """What says whether a stored pool is current: the stamp it was computed at, and when."""

    year: int
    tier: Tier
    data_version: int | None
    computed_at: datetime
    seconds: float  # how long computing it took (its share of the job)


@dataclass(frozen=True)
class StoredPool:
    """One tier's pool of a year as stored: `summary` its counts over every candidate,
    `entries` the assessment as plain JSON-safe columns (see `freeze`), `details` what each
    listable row still lacks (read back a page of rows at a time; empty when loaded)."""

    head: PoolHead
    rule_set: str
    summary: Mapping[str, int]
    entries: Mapping[str, Any]
    details: Mapping[int, Details]


class PoolStore(Protocol):
    """Stored pools (adapters.db.pool_repo.SqlPoolStore)."""

    def save(self, pools: Sequence[StoredPool]) -> None:
        """Replace the stored pools of the same (year, tier), all in one transaction."""
        ...

    def head(self, year: int, tier: Tier) -> PoolHead | None: ...

    def load(self, year: int, tier: Tier) -> StoredPool | None:
        """The stored pool without its details (`details` reads those)."""
        ...

    def details(self, year: int, tier: Tier, rows: Sequence[int]) -> dict[int, Details]: ...


class PoolJobs(Protocol):
    """The job runner as the stored pools use it (services.jobs.Jobs)."""

    def submit(
        self,
        kind: str,
        account: str = "",
        params: Mapping[str, object] | None = None,
        *,
        pending_key: str | None = None,
    ) -> Submitted: ...

    def recent(self, kind: str, limit: int = 20) -> list[Job]: ...


def freeze(
    snapshot: PoolSnapshot, data_version: int | None, computed_at: datetime, seconds: float
) -> StoredPool:
    """`snapshot` as stored: its rows, every enterprise's name and place, the holders, and
    the details of every row a list may show (explained now, once, rather than per page)."""
    table, info = snapshot.table, snapshot.info
    codes = list(table.credit_codes)
    rows = snapshot.listable()
    if snapshot.details is not None:  # stored already: read back
        details = dict(snapshot.details(rows))
    else:
        details = {i: details_of(table.explain(i)) for i in rows}
    entries = {
        "codes": codes,
        "verdicts": list(table.verdicts),
        "gaps": [float(g) for g in table.gaps],
        **{name: [getattr(info[code], name) for code in codes] for name in _INFO},
        "holders": [i for i, code in enumerate(codes) if code in snapshot.holders],
    }
    summary = dict(snapshot.counts())
    head = PoolHead(snapshot.year, snapshot.tier, data_version, computed_at, seconds)
    return StoredPool(head, table.rule_set.key, summary, entries, dict(details))


def _not_kept(row: int) -> Any:
    raise NotFound(f"a stored pool keeps no explanation of row {row}; see the pre-screen page")


DetailsReader = Callable[[Sequence[int]], Mapping[int, Details]]


def thaw(stored: StoredPool, details: DetailsReader) -> PoolSnapshot:
    """The stored pool as a snapshot the pages filter and page through; `details` reads the
    details of the rows a page shows."""
    head, entries = stored.head, stored.entries
    found = for_year(head.year, [head.tier], [stored.rule_set])
    if not found:
        raise NotFound(f"rule set {stored.rule_set} is not known any more")
    codes: list[str] = entries["codes"]
    columns = [entries[name] for name in _INFO]
    info = {
        code: EnterpriseInfo(code, *(column[i] for column in columns))
        for i, code in enumerate(codes)
    }
    table = TierTable(found[0], codes, entries["verdicts"], entries["gaps"], _not_kept)
    holders = {codes[i] for i in entries["holders"]}
    return PoolSnapshot(
        head.year,
        head.tier,
        table,
        info,
        holders,
        details=details,
        data_version=head.data_version,
        computed_at=head.computed_at,
    )


def compute_pools(
    store: CultivationStore,
    year: int,
    data_version: int | None,
    *,
    progress: Progress | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[StoredPool]:
    """Every tier's pool of `year` (the rule sets in force at its end), in one pass over the
    registry, each frozen for storing with `data_version` (read before the registry was)."""
    report = progress or (lambda _stage, _done, _total: None)
    started = time.perf_counter()
    report(f"assess {year}", 0, 0)
    tables = assess_registry(store, year, tolerance=DEFAULT_TOLERANCE)
    info = store.enterprise_info()
    shared = (time.perf_counter() - started) / max(1, len(tables))
    out = []
    for done, table in enumerate(tables):
        report(f"explain {year}", done, len(tables))
        begun = time.perf_counter()
        tier = table.rule_set.tier
        snapshot = PoolSnapshot(year, tier, table, info, store.holders(tier, year_end(year)))
        frozen = freeze(snapshot, data_version, clock(), 0.0)
        seconds = shared + time.perf_counter() - begun  # its share of the pass, and its own
        out.append(replace(frozen, head=replace(frozen.head, seconds=seconds)))
    report(f"explain {year}", len(tables), len(tables))
    return out


@dataclass(frozen=True)
class PoolView:
    """What a pool page shows: the stored pool (None: none yet), whether the data moved since
    it was computed, and the job computing it (None: no job was needed or ever ran)."""

    snapshot: PoolSnapshot | None
    stale: bool
    job: Job | None

    @property
    def computing(self) -> bool:
        return self.job is not None and self.job.active


def job_params(years: Sequence[int], data_version: int | None) -> dict[str, object]:
    """A pools job's parameters: the years beyond the latest, the stamp it was asked at."""
    return {"years": sorted(set(years)), "version": data_version}


def job_years(job: Job) -> list[int]:
    found = job.params.get("years")
    return [int(y) for y in found] if isinstance(found, list) else []


def pending_key(years: Sequence[int]) -> str:
    """One queued job at a time for the latest year, and one per other year asked for."""
    return CULTIVATION_POOLS + "".join(f":{y}" for y in sorted(set(years)))


class StoredPools:
    """The pool pages' reads: the stored pool of (year, tier), kept in memory while its row
    does not change, and the job that (re)computes it, queued when needed."""

    def __init__(
        self,
        store: PoolStore,
        jobs: PoolJobs | None,
        version: Callable[[], int | None],
        memo: Memo[tuple[int, str, int | None, datetime], PoolSnapshot] | None = None,
    ) -> None:
        self.store = store
        self.jobs = jobs
        self.version = version
        self.memo = memo if memo is not None else Memo(16)

    def stored(self, year: int, tier: Tier) -> PoolSnapshot | None:
        """The stored pool, stale or not (None: none stored)."""
        head = self.store.head(year, tier)
        if head is None:
            return None
        key = (year, tier.value, head.data_version, head.computed_at)
        return self.memo.get(key, lambda: self._load(year, tier))

    def _load(self, year: int, tier: Tier) -> PoolSnapshot:
        found = self.store.load(year, tier)
        if found is None:  # removed between the head and the row: a race with a rebuild
            raise NotFound(f"no stored {tier.value} pool of {year}")
        return thaw(found, lambda rows: self.store.details(year, tier, rows))

    def view(self, year: int, tier: Tier, *, latest: bool) -> PoolView:
        """The stored pool and its freshness; queues the job when none is stored or the data
        moved and no job for this stamp was asked yet. `latest`: `year` is the latest panel
        year (which every pools job computes)."""
        if not for_year(year, [tier]):
            raise NotFound(f"no {tier.value} rule set is in force at the end of {year}")
        now = self.version()
        snapshot = self.stored(year, tier)
        stale = snapshot is None or snapshot.data_version != now
        if not stale:
            return PoolView(snapshot, False, None)
        return PoolView(snapshot, snapshot is not None, self._job_for(year, latest, now))

    def _job_for(self, year: int, latest: bool, now: int | None) -> Job | None:
        """The job computing `year` at stamp `now`: one queued or running, or the last one
        asked at this stamp (done or failed: not asked again for the same data); else a new
        one."""
        if self.jobs is None:
            return None
        for job in self.jobs.recent(CULTIVATION_POOLS, 10):
            years = job_years(job)
            if not (year in years or (latest and not years)):
                continue
            if job.active or job.params.get("version") == now:
                return job
        return self.request([] if latest else [year], now).job

    def request(self, years: Sequence[int], data_version: int | None) -> Submitted:
        """Queue a pools job for the latest year and `years` (one waits per set of years)."""
        if self.jobs is None:
            raise NotFound("no job runner is configured to compute reserve pools")
        return self.jobs.submit(
            CULTIVATION_POOLS,
            params=job_params(years, data_version),
            pending_key=pending_key(years),
        )
