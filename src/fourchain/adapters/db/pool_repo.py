"""Stored reserve pools in SQL: one row per (year, tier), its assessment as JSON text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, insert, select

from fourchain.adapters.db.tables_cultivation import pool_details, pool_snapshots
from fourchain.domain.registry import Tier
from fourchain.services.cultivation import Details
from fourchain.services.cultivation_pools import PoolHead, StoredPool

# A page's rows are read by key; more than this many (an export), the whole tier at once.
BY_KEY = 500

_HEAD = (
    pool_snapshots.c.year,
    pool_snapshots.c.tier,
    pool_snapshots.c.data_version,
    pool_snapshots.c.computed_at,
    pool_snapshots.c.seconds,
)


def _head(row: Any) -> PoolHead:
    return PoolHead(
        row.year,
        Tier(row.tier),
        None if row.data_version is None else int(row.data_version),
        row.computed_at.replace(tzinfo=UTC),
        float(row.seconds),
    )


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


class SqlPoolStore:
    """The PoolStore port over the platform database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, pools: Sequence[StoredPool]) -> None:
        if not pools:
            return
        c = pool_snapshots.c
        with self.engine.begin() as connection:
            d = pool_details.c
            for pool in pools:
                head = pool.head
                connection.execute(
                    delete(pool_snapshots).where(
                        and_(c.year == head.year, c.tier == head.tier.value)
                    )
                )
                connection.execute(
                    delete(pool_details).where(and_(d.year == head.year, d.tier == head.tier.value))
                )
                rows = [
                    {
                        "year": head.year,
                        "tier": head.tier.value,
                        "row": row,
                        "shortfalls": json.dumps(shortfalls, ensure_ascii=False),
                        "manual": json.dumps(manual, ensure_ascii=False),
                    }
                    for row, (shortfalls, manual) in pool.details.items()
                ]
                if rows:
                    connection.execute(insert(pool_details), rows)
            connection.execute(
                insert(pool_snapshots),
                [
                    {
                        "year": p.head.year,
                        "tier": p.head.tier.value,
                        "rule_set": p.rule_set,
                        "data_version": p.head.data_version,
                        "computed_at": _naive(p.head.computed_at),
                        "seconds": p.head.seconds,
                        "summary": json.dumps(p.summary),
                        "entries": json.dumps(p.entries, ensure_ascii=False),
                    }
                    for p in pools
                ],
            )

    def _where(self, year: int, tier: Tier) -> Any:
        c = pool_snapshots.c
        return and_(c.year == year, c.tier == tier.value)

    def head(self, year: int, tier: Tier) -> PoolHead | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(*_HEAD).where(self._where(year, tier))).first()
        return None if row is None else _head(row)

    def load(self, year: int, tier: Tier) -> StoredPool | None:
        c = pool_snapshots.c
        query = select(*_HEAD, c.rule_set, c.summary, c.entries).where(self._where(year, tier))
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            return None
        summary, entries = json.loads(row.summary), json.loads(row.entries)
        return StoredPool(_head(row), row.rule_set, summary, entries, {})

    def details(self, year: int, tier: Tier, rows: Sequence[int]) -> dict[int, Details]:
        if not rows:
            return {}
        d = pool_details.c
        query = select(d.row, d.shortfalls, d.manual).where(
            and_(d.year == year, d.tier == tier.value)
        )
        wanted = set(rows)
        if len(wanted) <= BY_KEY:
            query = query.where(d.row.in_(sorted(wanted)))
        with self.engine.connect() as connection:
            found = connection.execute(query).all()
        return {
            r.row: (json.loads(r.shortfalls), json.loads(r.manual))
            for r in found
            if r.row in wanted
        }
