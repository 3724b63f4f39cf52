"""Properties of the pipeline: any history replays to the state kept beside it, and a cohort's
funnel never widens from one stage to the next."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from fourchain.domain.funnel import flows, funnel
from fourchain.domain.pipeline import (
    GATES,
    GRADUATION_GATE,
    STAGES,
    EventKind,
    EvidenceKind,
    History,
    PipelineEvent,
    ProjectExit,
    ProjectState,
    derive_state,
    next_stage,
)
from fourchain.errors import TransitionRefused

START = date(2021, 1, 1)


def _random_event(data: st.DataObject, on: date) -> PipelineEvent:
    kind = data.draw(st.sampled_from(EventKind))
    return PipelineEvent(
        kind,
        on,
        data.draw(st.sampled_from(["officer", "admin", " "])),
        stage=data.draw(st.none() | st.sampled_from(STAGES)),
        exit=data.draw(st.none() | st.sampled_from(ProjectExit)),
        trl=data.draw(st.none() | st.integers(0, 10)),
        evidence=data.draw(st.frozensets(st.sampled_from(EvidenceKind))),
        enterprise=data.draw(st.none() | st.just("91350200MA2Y0000XX")),
        amount=data.draw(st.none() | st.floats(-10, 1e6, allow_nan=False)),
        passed=data.draw(st.none() | st.booleans()),
        note=data.draw(st.sampled_from(["", "why"])),
        by_admin=data.draw(st.booleans()),
        override_reason=data.draw(st.none() | st.sampled_from(["", "reason"])),
    )


def _helpful_event(data: st.DataObject, state: ProjectState, on: date) -> PipelineEvent:
    """The move a well-run project makes next: enter the next stage properly, or graduate."""
    target = next_stage(state)
    if target is None or (state.stage in STAGES[3:] and data.draw(st.booleans())):
        gate = GRADUATION_GATE
        return PipelineEvent(
            EventKind.EXIT,
            on,
            "officer",
            exit=ProjectExit.GRADUATED,
            enterprise="91350200MA2Y0000XX",
            trl=data.draw(st.integers(gate.trl_min, gate.trl_max)),
            evidence=gate.evidence,
        )
    gate = GATES[target]
    return PipelineEvent(
        EventKind.ENTERED_STAGE,
        on,
        "officer",
        stage=target,
        trl=data.draw(st.integers(gate.trl_min, gate.trl_max)),
        evidence=gate.evidence,
    )


def _history(data: st.DataObject, start: date, steps: int) -> History:
    history = History()
    on = start
    for _ in range(steps):
        on += timedelta(days=data.draw(st.integers(-5, 200)))
        if data.draw(st.integers(0, 2)) == 0:
            event = _random_event(data, on)
        else:
            event = _helpful_event(data, history.state, on)
        before = (list(history.events), history.state)
        try:
            history.append(event)
        except TransitionRefused:
            assert (history.events, history.state) == before
    return history


@settings(max_examples=120, deadline=None)
@given(data=st.data(), steps=st.integers(0, 25))
def test_the_state_kept_beside_any_history_equals_replaying_it(
    data: st.DataObject, steps: int
) -> None:
    history = _history(data, START, steps)
    assert derive_state(history.events) == history.state
    indices = [STAGES.index(visit.stage) for visit in history.state.visits]
    assert indices == sorted(set(indices))
    assert all(v.left is not None for v in history.state.visits[:-1])


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    sizes=st.lists(st.integers(0, 12), min_size=1, max_size=12),
    cohort=st.sampled_from([None, 2021, 2022]),
)
def test_funnel_counts_never_increase_from_one_stage_to_the_next_within_a_cohort(
    data: st.DataObject, sizes: list[int], cohort: int | None
) -> None:
    states = [
        _history(data, START + timedelta(days=data.draw(st.integers(0, 500))), n).state
        for n in sizes
    ]
    rows = funnel(states, cohort)
    for row in rows:
        assert 0 <= row.passed <= row.entered
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.entered <= before.passed
    started = [s for s in states if s.visits and (cohort is None or s.started.year == cohort)]  # type: ignore[union-attr]
    assert rows[0].entered == len(started)
    # Every project's visits and exit appear in the Sankey links exactly once.
    links = sum(f.count for f in flows(states, cohort))
    assert links == sum(len(s.visits) - 1 + (s.exit is not None) for s in started)
