"""The funnel and Sankey flows on a small, hand-checked set of histories."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.funnel import Flow, flows, funnel
from fourchain.domain.pipeline import (
    GATES,
    GRADUATION_GATE,
    STAGES,
    EventKind,
    PipelineEvent,
    ProjectExit,
    ProjectState,
    derive_state,
)

RD, POC, PILOT, INC, PARK = STAGES


def _through(start: date, days: list[int], end: ProjectExit | None = None) -> ProjectState:
    """Enter the first len(days) stages, each `days[i]` after the previous; then exit."""
    events, on = [], start
    for stage, gap in zip(STAGES, days, strict=False):
        on = date.fromordinal(on.toordinal() + gap)
        gate = GATES[stage]
        events.append(
            PipelineEvent(
                EventKind.ENTERED_STAGE,
                on,
                "o",
                stage=stage,
                trl=gate.trl_max,
                evidence=gate.evidence,
            )
        )
    if end is not None:
        on = date.fromordinal(on.toordinal() + 10)
        extra = (
            {"enterprise": "91350200MA2Y0000XX", "evidence": GRADUATION_GATE.evidence, "trl": 9}
            if end is ProjectExit.GRADUATED
            else {"note": "x"}
        )
        events.append(PipelineEvent(EventKind.EXIT, on, "o", exit=end, **extra))  # type: ignore[arg-type]
    return derive_state(events)


STATES = [
    _through(date(2021, 3, 1), [0, 100, 200, 300], ProjectExit.GRADUATED),
    _through(date(2021, 3, 1), [0, 50], ProjectExit.STOPPED),
    _through(date(2021, 3, 1), [0, 150, 100]),
    _through(date(2022, 3, 1), [0]),
]


@pytest.mark.parametrize(
    ("cohort", "expected"),
    [
        (
            2021,
            [
                ("rd_institution", 3, 3, 1.0, 100.0),
                ("proof_of_concept", 3, 2, 0.6667, 100.0),
                ("pilot", 2, 1, 0.5, 300.0),
                ("incubator", 1, 1, 1.0, 10.0),
                ("industry_park", 0, 0, None, None),
            ],
        ),
        (
            None,
            [
                ("rd_institution", 4, 3, 0.75, 100.0),
                ("proof_of_concept", 3, 2, 0.6667, 100.0),
                ("pilot", 2, 1, 0.5, 300.0),
                ("incubator", 1, 1, 1.0, 10.0),
                ("industry_park", 0, 0, None, None),
            ],
        ),
        (2020, [(s.value, 0, 0, None, None) for s in STAGES]),
    ],
)
def test_the_funnel_counts_entries_passes_conversion_and_median_days_per_cohort(
    cohort: int | None, expected: list[tuple[object, ...]]
) -> None:
    rows = [tuple(r.as_json().values()) for r in funnel(STATES, cohort)]
    assert rows == expected


def test_the_sankey_links_follow_visits_and_end_in_exits() -> None:
    assert flows(STATES, 2021) == [
        Flow("rd_institution", "proof_of_concept", 3),
        Flow("proof_of_concept", "pilot", 2),
        Flow("proof_of_concept", "stopped", 1),
        Flow("pilot", "incubator", 1),
        Flow("incubator", "graduated", 1),
    ]
