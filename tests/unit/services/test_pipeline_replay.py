"""Pipeline events from a file replay through the state machine: stored events come back
unchanged, new ones follow in order, and a gate's refusal names the gate."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fourchain.domain.pipeline import EventKind, IncubationStage, PipelineEvent
from fourchain.domain.validation import Record
from fourchain.services.ingest_pipeline import event_of, replay

NOW = datetime(2025, 6, 30, 9, 0)
ENTER = PipelineEvent(
    EventKind.ENTERED_STAGE, date(2024, 1, 5), "staff", stage=IncubationStage.RD_INSTITUTION, trl=2
)


def row(seq: int, **changes: object) -> Record:
    base: Record = {
        "project_id": "P1",
        "seq": seq,
        "kind": "entered_stage",
        "occurred_on": date(2024, 1, 5),
        "recorded_by": "staff",
        "by_admin": False,
        "stage": "rd_institution",
        "exit": None,
        "trl": 2,
        "evidence": None,
        "institution": None,
        "enterprise": None,
        "amount": None,
        "passed": None,
        "note": None,
        "override_reason": None,
    }
    return {**base, **changes}  # type: ignore[dict-item]


def test_a_row_stands_for_the_event_the_log_stores() -> None:
    assert event_of(row(1)) == ENTER


def test_a_stored_event_coming_back_unchanged_adds_nothing() -> None:
    new, errors = replay("e.csv", [row(1)], [2], {"P1": [ENTER]}, NOW)
    assert (new, errors) == ([], [])


def test_a_new_event_that_passes_the_gate_is_appended_with_its_recording_time() -> None:
    new, errors = replay("e.csv", [row(1)], [2], {}, NOW)
    assert errors == []
    assert new[0]["recorded_at"] == NOW


@pytest.mark.parametrize(
    ("rows", "history", "column", "reason"),
    [
        ([row(1, trl=3)], [ENTER], "seq", "stored already and differs"),
        ([row(3)], [ENTER], "seq", "expects event 2 next"),
        (
            [row(1, stage="industry_park", trl=2)],
            [],
            "kind",
            "the gate refuses it",
        ),
        (
            [row(2, stage="pilot", trl=5)],
            [ENTER],
            "kind",
            "the gate refuses it",
        ),
        ([row(1, evidence="a_photo")], [], "evidence", "unknown evidence kind"),
    ],
)
def test_a_row_the_log_or_a_gate_refuses_is_an_error_on_that_row(
    rows: list[Record], history: list[PipelineEvent], column: str, reason: str
) -> None:
    new, errors = replay("e.csv", rows, [7] * len(rows), {"P1": history}, NOW)
    assert new == []
    assert [(e.file, e.row, e.column) for e in errors] == [("e.csv", 7, column)]
    assert reason in errors[0].reason
