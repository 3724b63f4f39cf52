"""Programme projects' stage records from a file, replayed through the same state machine as
`programmes move`: a stored step comes back unchanged, new steps follow the stored ones and
each must be allowed with what it needs; the projects' stages follow their histories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from fourchain.domain.programmes import (
    Evidence,
    Move,
    ProgrammeProject,
    Stage,
    StageEvent,
    advance,
)
from fourchain.domain.validation import Record
from fourchain.errors import RowError, TransitionRefused


def _evidence(record: Record) -> Evidence:
    funding, ends = record.get("public_funding"), record.get("ends")
    return Evidence(
        on=record["on"],  # type: ignore[arg-type]
        document=str(record.get("document") or ""),
        note=str(record.get("note") or ""),
        public_funding=int(funding) if isinstance(funding, int) else None,
        ends=ends if isinstance(ends, date) else None,
        passed=bool(record.get("passed")),
    )


def replay_steps(
    file: str,
    records: Sequence[Record],
    rows: Sequence[int],
    stored: Mapping[int, tuple[ProgrammeProject, list[int]]],
) -> tuple[list[Record], list[ProgrammeProject], list[RowError]]:
    """(the rows to write with their stages filled in, the projects whose stage moved, the
    errors). A project without stored steps is replayed from its application."""
    errors: list[RowError] = []
    by_project: dict[int, list[tuple[int, Record]]] = {}
    for row, record in zip(rows, records, strict=True):
        by_project.setdefault(int(str(record["project_id"])), []).append((row, record))
    out: list[Record] = []
    moved: list[ProgrammeProject] = []
    for project_id, numbered in by_project.items():
        project, ids = stored[project_id]
        known = dict(zip(ids, project.history, strict=True))
        if not ids:
            # the steps are the project's history: replay them from the application
            project.stage, project.history = Stage.APPLIED, []
        changed = False
        for row, record in sorted(numbered, key=lambda item: int(str(item[1]["id"]))):
            event_id = int(str(record["id"]))
            move, evidence = Move(str(record["move"])), _evidence(record)
            if event_id in known:
                held = known[event_id]
                if (held.move, held.evidence) != (move, evidence):
                    errors.append(
                        RowError(file, row, "id", f"step {event_id} is stored and differs; the "
                                 "history only grows (record a correction as a new step)")
                    )  # fmt: skip
                out.append({**record, "source": held.source, "target": held.target})
                continue
            if ids and event_id < ids[-1]:
                errors.append(
                    RowError(file, row, "id", f"project {project_id}'s new steps follow "
                             f"its stored step {ids[-1]}")
                )  # fmt: skip
                break
            try:
                event: StageEvent = advance(project, move, evidence, recorded=True)
            except TransitionRefused as refused:
                errors.append(RowError(file, row, "move", f"refused: {refused}"))
                break
            out.append({**record, "source": event.source.value, "target": event.target.value})
            changed = True
        if changed:
            moved.append(project)
    return out, moved, errors
