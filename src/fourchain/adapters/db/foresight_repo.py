"""The plan targets in SQL: read them all, upsert a file's worth by (indicator, year)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from fourchain.adapters.db.tables_foresight import plan_targets
from fourchain.adapters.db.upsert import Upsert
from fourchain.domain.foresight.outlook import Direction, PlanTarget


class SqlTargetStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def targets(self) -> list[PlanTarget]:
        t = plan_targets.c
        rows = self.connection.execute(select(plan_targets).order_by(t.indicator, t.year))
        return [
            PlanTarget(
                r.indicator, r.year, r.value, Direction(r.direction), r.plan, r.source, r.note
            )
            for r in rows
        ]

    def save(self, targets: list[PlanTarget]) -> tuple[int, int]:
        """Upsert `targets`; returns (rows inserted or changed, rows given)."""
        if not targets:
            return 0, 0
        rows = [{**t.as_json(), "direction": t.direction.value} for t in targets]
        written = Upsert(self.connection, plan_targets, ("indicator", "year"))(rows)
        return written, len(rows)
