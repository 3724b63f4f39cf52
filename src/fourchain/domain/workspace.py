"""What waits on whom (我的工作台): review deadlines, certificates about to lapse, and
incubation projects whose next gate is met and await the bureau's decision."""

from __future__ import annotations

from datetime import date, timedelta

from fourchain.domain.challenge.records import ChallengeCall
from fourchain.domain.pipeline import (
    GATES,
    GRADUATION_GATE,
    GRADUATION_STAGES,
    STAGES,
    Gate,
    ProjectExit,
    ProjectState,
)
from fourchain.domain.registry import Certificate

# Reviews are due this many days after a call's applications close.
REVIEW_DAYS = 30
# A certificate lapsing within this many days is shown to its holder and the bureau.
EXPIRY_DAYS = 180


def review_due(call: ChallengeCall) -> date:
    """The day a call's reviews are due."""
    return call.apply_by + timedelta(days=REVIEW_DAYS)


def expiring_soon(certificate: Certificate, today: date, days: int = EXPIRY_DAYS) -> bool:
    """Held today and lapsing within `days`."""
    return certificate.valid_on(today) and certificate.expires <= today + timedelta(days=days)


def _met(state: ProjectState, gate: Gate) -> bool:
    trl = state.trl
    return (
        trl is not None and gate.trl_min <= trl <= gate.trl_max and gate.evidence <= state.evidence
    )


def gate_ready(state: ProjectState) -> str | None:
    """The stage (or graduation) whose gate an active project now meets, awaiting a decision;
    None when it meets none or has left the pipeline."""
    if state.exit is not None or state.stage is None:
        return None
    index = STAGES.index(state.stage)
    if index + 1 < len(STAGES):
        following = STAGES[index + 1]
        if _met(state, GATES[following]):
            return following.value
    if state.stage in GRADUATION_STAGES and _met(state, GRADUATION_GATE):
        return ProjectExit.GRADUATED.value
    return None
