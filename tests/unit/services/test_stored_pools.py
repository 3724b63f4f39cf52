"""The stored pools' reads: a pool survives storing unchanged, and the page's view queues the
pools job only when needed — none stored, or the data moved and no job was asked at this
stamp yet (one waiting or running is shown, one finished at this stamp is not asked again)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from fourchain.domain.cultivation import for_year
from fourchain.domain.jobs import Job, JobStatus
from fourchain.domain.registry import Tier
from fourchain.services.cultivation import Details, EnterpriseInfo, PoolSnapshot, TierTable
from fourchain.services.cultivation_pools import (
    PoolHead,
    StoredPool,
    StoredPools,
    freeze,
    thaw,
)
from fourchain.services.jobs import CULTIVATION_POOLS, Submitted

YEAR, TIER = 2025, Tier.HNTE
NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)


class FakePools:
    def __init__(self) -> None:
        self.rows: dict[tuple[int, Tier], StoredPool] = {}

    def save(self, pools: Sequence[StoredPool]) -> None:
        for pool in pools:
            self.rows[(pool.head.year, pool.head.tier)] = pool

    def head(self, year: int, tier: Tier) -> PoolHead | None:
        found = self.rows.get((year, tier))
        return None if found is None else found.head

    def load(self, year: int, tier: Tier) -> StoredPool | None:
        found = self.rows.get((year, tier))
        return None if found is None else replace(found, details={})

    def details(self, year: int, tier: Tier, rows: Sequence[int]) -> dict[int, Details]:
        kept = self.rows[(year, tier)].details
        return {row: kept[row] for row in rows if row in kept}


class FakeJobs:
    def __init__(self) -> None:
        self.jobs: list[Job] = []

    def submit(
        self,
        kind: str,
        account: str = "",
        params: Mapping[str, object] | None = None,
        *,
        pending_key: str | None = None,
    ) -> Submitted:
        job = Job(str(len(self.jobs)), kind, account, NOW, "", dict(params or {}))
        self.jobs.append(job)
        return Submitted(job, created=True)

    def recent(self, kind: str, limit: int = 20) -> list[Job]:
        return [j for j in reversed(self.jobs) if j.kind == kind][:limit]

    def finish(self, status: JobStatus) -> None:
        self.jobs[-1] = replace(self.jobs[-1], status=status)


def _snapshot() -> PoolSnapshot:
    codes = [f"C{i:03d}" for i in range(40)]
    verdicts = [("likely", "near", "not_yet", "unknown")[i % 4] for i in range(40)]
    gaps = [(i * 37 % 11) / 7 for i in range(40)]

    def explain(row: int) -> object:
        gap = SimpleNamespace(text_zh=f"差{row}", text_en=f"short {row}")
        top = SimpleNamespace(parent=None, gap=gap, outcome=None, criterion=None)
        return SimpleNamespace(credit_code=codes[row], results=[top])

    (rule_set,) = for_year(YEAR, [TIER])
    table = TierTable(rule_set, codes, verdicts, gaps, explain)  # type: ignore[arg-type]
    districts = ("思明", "湖里")
    info = {
        c: EnterpriseInfo(c, f"企业{c}", "bio", districts[i % 2], None) for i, c in enumerate(codes)
    }
    return PoolSnapshot(YEAR, TIER, table, info, {codes[i] for i in range(0, 40, 5)})


def test_a_stored_pool_pages_exactly_as_the_assessment_it_was_frozen_from() -> None:
    pools = FakePools()
    computed = _snapshot()
    pools.save([freeze(computed, 7, NOW, 1.5)])
    stored = StoredPools(pools, None, lambda: 7).stored(YEAR, TIER)
    assert stored is not None and stored.data_version == 7 and stored.computed_at == NOW
    for sort in ("rank", "name", "gap"):
        assert stored.page(include_not_yet=True, sort=sort) == computed.page(
            include_not_yet=True, sort=sort
        )
    assert stored.counts() == computed.counts()
    assert thaw(pools.rows[(YEAR, TIER)], lambda rows: {}).page()[0][0].shortfalls == []


@pytest.mark.parametrize(
    ("stored_at", "last_job", "queues"),
    [
        (None, None, True),  # none stored: queued
        (7, None, False),  # current: nothing to do
        (6, None, True),  # the data moved: queued
        (6, JobStatus.QUEUED, False),  # one waits already: shown
        (6, JobStatus.RUNNING, False),  # one runs: shown
        (6, JobStatus.FAILED, False),  # failed at this stamp: shown, not asked again
    ],
)
def test_the_view_queues_the_job_only_when_needed(
    stored_at: int | None, last_job: JobStatus | None, queues: bool
) -> None:
    pools, jobs = FakePools(), FakeJobs()
    if stored_at is not None:
        pools.save([freeze(_snapshot(), stored_at, NOW, 1.0)])
    if last_job is not None:
        jobs.submit(CULTIVATION_POOLS, params={"years": [], "version": 7})
        jobs.finish(last_job)
    before = len(jobs.jobs)
    view = StoredPools(pools, jobs, lambda: 7).view(YEAR, TIER, latest=True)
    assert (len(jobs.jobs) > before) is queues
    assert view.stale is (stored_at is not None and stored_at != 7)
    assert (view.snapshot is None) is (stored_at is None)
    assert (view.job is None) is (stored_at == 7)


def test_a_job_for_another_year_is_not_this_years() -> None:
    pools, jobs = FakePools(), FakeJobs()
    jobs.submit(CULTIVATION_POOLS, params={"years": [2023], "version": 7})
    view = StoredPools(pools, jobs, lambda: 7).view(YEAR, TIER, latest=True)
    assert view.job is not None and view.job.params == {"years": [], "version": 7}
    older = StoredPools(pools, jobs, lambda: 7).view(2023, TIER, latest=False)
    assert older.job is not None and older.job.params["years"] == [2023]
    assert len(jobs.jobs) == 2
