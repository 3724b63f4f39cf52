"""What waits on whom: review deadlines, certificates about to lapse, gates met."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.challenge.records import ChallengeCall
from fourchain.domain.pipeline import (
    EvidenceKind,
    IncubationStage,
    ProjectExit,
    ProjectState,
    StageVisit,
)
from fourchain.domain.registry import Certificate, Tier
from fourchain.domain.workspace import expiring_soon, gate_ready, review_due

TODAY = date(2026, 6, 1)


def test_reviews_are_due_thirty_days_after_applications_close() -> None:
    call = ChallengeCall("t", "p", "c", 1.0, date(2026, 3, 1), "f")
    assert review_due(call) == date(2026, 3, 31)


@pytest.mark.parametrize(
    ("issued", "expires", "revoked", "soon"),
    [
        (date(2023, 6, 1), date(2026, 9, 1), None, True),
        (date(2023, 6, 1), date(2027, 9, 1), None, False),  # lapses after the window
        (date(2023, 6, 1), date(2026, 5, 1), None, False),  # already lapsed
        (date(2023, 6, 1), date(2026, 9, 1), date(2026, 1, 1), False),  # revoked
    ],
)
def test_a_held_certificate_lapsing_within_180_days_is_expiring_soon(
    issued: date, expires: date, revoked: date | None, soon: bool
) -> None:
    cert = Certificate("c", Tier.HNTE, issued, expires, revoked=revoked)
    assert expiring_soon(cert, TODAY) is soon


def _state(stage: IncubationStage, trl: int, *evidence: EvidenceKind) -> ProjectState:
    return ProjectState(visits=(StageVisit(stage, TODAY),), trl=trl, evidence=frozenset(evidence))


@pytest.mark.parametrize(
    ("state", "ready"),
    [
        (_state(IncubationStage.RD_INSTITUTION, 3, EvidenceKind.DISCLOSURE), "proof_of_concept"),
        (_state(IncubationStage.RD_INSTITUTION, 3), None),  # the disclosure is missing
        (_state(IncubationStage.RD_INSTITUTION, 2, EvidenceKind.DISCLOSURE), None),  # TRL low
        (_state(IncubationStage.PROOF_OF_CONCEPT, 5, EvidenceKind.POC_REPORT), "pilot"),
        (
            _state(
                IncubationStage.INDUSTRY_PARK,
                8,
                EvidenceKind.INCORPORATION,
                EvidenceKind.FIRST_REVENUE,
            ),
            "graduated",
        ),
        (ProjectState(), None),  # not started
    ],
)
def test_a_project_awaits_a_gate_decision_when_it_meets_the_next_gate(
    state: ProjectState, ready: str | None
) -> None:
    assert gate_ready(state) == ready


def test_a_project_that_left_the_pipeline_awaits_nothing() -> None:
    state = _state(IncubationStage.RD_INSTITUTION, 3, EvidenceKind.DISCLOSURE)
    gone = ProjectState(
        visits=state.visits, trl=3, evidence=state.evidence, exit=ProjectExit.STOPPED
    )
    assert gate_ready(gone) is None
