"""Pipeline events from a file, replayed through the same state machine and gates as
`pipeline advance`: a row a gate refuses is an error naming the gate, and the log only grows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from fourchain.domain.pipeline import (
    EventKind,
    EvidenceKind,
    IncubationStage,
    PipelineEvent,
    ProjectExit,
    apply,
    derive_state,
)
from fourchain.domain.validation import Record
from fourchain.errors import RowError, TransitionRefused


def event_of(record: Mapping[str, object]) -> PipelineEvent:
    """The pipeline event a checked row of `pipeline_events` stands for."""
    evidence = str(record.get("evidence") or "")
    amount = record.get("amount")
    trl = record.get("trl")
    return PipelineEvent(
        kind=EventKind(str(record["kind"])),
        on=record["occurred_on"],  # type: ignore[arg-type]
        by=str(record["recorded_by"]),
        stage=IncubationStage(str(record["stage"])) if record.get("stage") else None,
        exit=ProjectExit(str(record["exit"])) if record.get("exit") else None,
        trl=int(trl) if isinstance(trl, int) else None,
        evidence=frozenset(EvidenceKind(k.strip()) for k in evidence.split(",") if k.strip()),
        institution=str(record["institution"]) if record.get("institution") else None,
        enterprise=str(record["enterprise"]) if record.get("enterprise") else None,
        amount=float(amount) if isinstance(amount, int | float) else None,
        passed=record.get("passed"),  # type: ignore[arg-type]
        note=str(record.get("note") or ""),
        by_admin=bool(record.get("by_admin")),
        override_reason=(
            str(record["override_reason"]) if record.get("override_reason") is not None else None
        ),
    )


def _evidence_problem(record: Record) -> str | None:
    text = str(record.get("evidence") or "")
    known = {kind.value for kind in EvidenceKind}
    bad = [k.strip() for k in text.split(",") if k.strip() and k.strip() not in known]
    if bad:
        return f"unknown evidence kind(s) {', '.join(bad)}; the kinds are: {', '.join(known)}"
    return None


def replay(
    file: str,
    records: Sequence[Record],
    rows: Sequence[int],
    histories: Mapping[str, list[PipelineEvent]],
    now: datetime,
) -> tuple[list[Record], list[RowError]]:
    """The rows to append (with their recording time) and the errors: a stored event must
    come back unchanged, new events follow the stored ones in order, and each passes the state
    machine from the project's state before it (gates, TRL bands, evidence, overrides)."""
    errors: list[RowError] = []
    by_project: dict[str, list[tuple[int, Record]]] = {}
    for row, record in zip(rows, records, strict=True):
        problem = _evidence_problem(record)
        if problem is not None:
            errors.append(RowError(file, row, "evidence", problem))
            continue
        by_project.setdefault(str(record["project_id"]), []).append((row, record))
    new: list[Record] = []
    for project, numbered in by_project.items():
        stored = histories.get(project, [])
        state = derive_state(stored)
        for row, record in sorted(numbered, key=lambda item: int(str(item[1]["seq"]))):
            seq = int(str(record["seq"]))
            event = event_of(record)
            if seq <= len(stored):
                if stored[seq - 1] != event:
                    errors.append(
                        RowError(
                            file,
                            row,
                            "seq",
                            f"event {seq} of project {project} is stored already and differs; "
                            "the pipeline log only grows (record a correction as a new event)",
                        )
                    )
                continue
            expected = len(stored) + 1
            if seq != expected:
                errors.append(
                    RowError(file, row, "seq", f"project {project} expects event {expected} next")
                )
                break
            try:
                state = apply(state, event)
            except TransitionRefused as refused:
                errors.append(RowError(file, row, "kind", f"the gate refuses it: {refused}"))
                break
            stored = [*stored, event]
            new.append({**record, "recorded_at": now})
    return new, errors
