"""The reserve pool pages through every candidate, and its summary counts the rows its list
draws from (holders of the tier and rows outside the filters are in neither)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fourchain.domain.registry import Tier
from fourchain.errors import InvalidInput
from fourchain.services.cultivation import EnterpriseInfo, PoolFilter, PoolSnapshot, TierTable

VERDICTS = ("likely", "near", "not_yet", "unknown")
N = 1105


def _snapshot() -> PoolSnapshot:
    codes = [f"C{i:05d}" for i in range(N)]
    verdicts = [VERDICTS[(i * 7) % 4] for i in range(N)]
    gaps = [((i * 37) % 101) / 100 for i in range(N)]
    table = TierTable(
        rule_set=SimpleNamespace(key="rs"),  # type: ignore[arg-type]
        credit_codes=codes,
        verdicts=verdicts,
        gaps=gaps,
        explain=lambda i: SimpleNamespace(credit_code=codes[i], results=()),  # type: ignore[arg-type,return-value]
    )
    info = {
        code: EnterpriseInfo(code, f"企业{(i * 13) % N:05d}", None, ("思明", "湖里")[i % 2], None)
        for i, code in enumerate(codes)
    }
    holders = {codes[i] for i in range(0, N, 5)}  # a fifth hold the tier already
    return PoolSnapshot(2025, Tier.HNTE, table, info, holders)


def _all_pages(snap: PoolSnapshot, where: PoolFilter, more: bool, **order: object) -> list[str]:
    seen: list[str] = []
    offset = 0
    while True:
        rows, total = snap.page(where, offset=offset, limit=50, include_not_yet=more, **order)  # type: ignore[arg-type]
        seen += [r.info.credit_code for r in rows]
        offset += 50
        if offset >= total:
            return seen


@pytest.mark.parametrize("where", [PoolFilter(), PoolFilter(district="湖里")])
@pytest.mark.parametrize("more", [False, True])
def test_the_summary_counts_what_the_list_pages_through(where: PoolFilter, more: bool) -> None:
    snap = _snapshot()
    counts = snap.counts(where)
    listed = _all_pages(snap, where, more)
    expected = counts["likely"] + counts["near"] + (counts["not_yet"] if more else 0)
    assert len(listed) == len(set(listed)) == expected > 200  # beyond the old silent cut
    assert not set(listed) & snap.holders
    admitted = [c for c in snap.table.credit_codes if where.admits(snap.info[c])]
    assert sum(counts.values()) == len(admitted)  # candidates by outcome + holders


def test_orders_are_whitelisted_and_keep_the_pools_rank() -> None:
    snap = _snapshot()
    by_rank, _ = snap.page(limit=2000)
    by_name, _ = snap.page(limit=2000, sort="name")
    assert [r.info.name for r in by_name] == sorted(r.info.name for r in by_rank)
    ranks = {r.info.credit_code: r.rank for r in by_rank}
    assert all(r.rank == ranks[r.info.credit_code] for r in by_name)
    down, _ = snap.page(limit=2000, sort="gap", descending=True)
    assert [r.gap for r in down] == sorted((r.gap for r in by_rank), reverse=True)
    with pytest.raises(InvalidInput, match="cannot be sorted"):
        snap.page(sort="credit_code; DROP")
