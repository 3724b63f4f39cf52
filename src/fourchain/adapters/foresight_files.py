"""Plan-target files (CSV or XLSX) through the import machinery: the same header rules, cell
checks and `file:row [column]: reason` errors as every registry import; all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fourchain.adapters.ingest.files import read_table, write_table
from fourchain.domain.foresight.outlook import PLAN_TARGETS, Direction, PlanTarget
from fourchain.domain.validation import Context, validate_rows
from fourchain.errors import ImportRejected, RowError


def read_targets(path: Path) -> list[PlanTarget]:
    with read_table(path, PLAN_TARGETS) as source:
        checked = validate_rows(
            PLAN_TARGETS, source.rows, file=source.file, context=Context(today=date.today())
        )
        errors = sorted([*checked.errors, *source.problems], key=lambda e: e.row)
    if errors:
        raise ImportRejected(source.file, errors)
    if not checked.records:
        raise ImportRejected(source.file, [RowError(source.file, 2, "", "the file has no rows")])
    return [
        PlanTarget(
            str(r["indicator"]),
            int(r["year"]),  # type: ignore[arg-type]
            float(r["value"]),  # type: ignore[arg-type]
            Direction(str(r["direction"])),
            str(r["plan"]),
            str(r["source"]),
            None if r["note"] is None else str(r["note"]),
        )
        for r in checked.records
    ]


def write_targets(path: Path, targets: list[PlanTarget]) -> int:
    return write_table(path, PLAN_TARGETS, [t.as_json() for t in targets])
