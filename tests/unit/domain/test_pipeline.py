"""The incubation state machine: every allowed and every refused move, with its message."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.pipeline import (
    GATES,
    STAGES,
    EventKind,
    EvidenceKind,
    History,
    IncubationStage,
    PipelineEvent,
    ProjectExit,
    ProjectState,
    apply,
    derive_state,
    next_stage,
    parse_stage,
)
from fourchain.errors import InvalidInput, TransitionRefused

S = IncubationStage
E = EvidenceKind
RD, POC, PILOT, INC, PARK = STAGES
DAY = date(2023, 6, 1)
CODE = "91350200MA2Y0000XX"

# The TRL inside each stage's band and the evidence that opens its gate.
OK_TRL = {RD: 2, POC: 4, PILOT: 5, INC: 7, PARK: 8}


def enter(stage: S, *, trl: int | None = None, on: date = DAY, **kw: object) -> PipelineEvent:
    evidence = kw.pop("evidence", GATES[stage].evidence)
    return PipelineEvent(
        EventKind.ENTERED_STAGE,
        on,
        "officer",
        stage=stage,
        trl=OK_TRL[stage] if trl is None else trl,
        evidence=frozenset(evidence),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def at(stage: S) -> ProjectState:
    """A project that entered every stage up to `stage` properly."""
    state = ProjectState()
    for s in STAGES[: STAGES.index(stage) + 1]:
        state = apply(state, enter(s))
    return state


def graduate(**kw: object) -> PipelineEvent:
    values: dict[str, object] = {
        "exit": ProjectExit.GRADUATED,
        "enterprise": CODE,
        "trl": 8,
        "evidence": frozenset({E.INCORPORATION, E.FIRST_REVENUE}),
    }
    values.update(kw)
    return PipelineEvent(EventKind.EXIT, DAY, "officer", **values)  # type: ignore[arg-type]


ALLOWED_ENTRIES = [(None, RD), (RD, POC), (POC, PILOT), (PILOT, INC), (INC, PARK)]


@pytest.mark.parametrize(("start", "target"), ALLOWED_ENTRIES)
def test_a_project_may_enter_the_next_stage_with_its_gates_evidence(
    start: S | None, target: S
) -> None:
    state = ProjectState() if start is None else at(start)
    after = apply(state, enter(target))
    assert after.stage is target
    assert after.visits[-1].entered == DAY
    if start is not None:
        assert after.visits[-2].left == DAY


SKIPS = [
    (start, target)
    for start in (None, *STAGES)
    for target in STAGES
    if (STAGES.index(target) > (STAGES.index(start) + 1 if start else 0))
]


@pytest.mark.parametrize(("start", "target"), SKIPS)
def test_skipping_a_stage_is_refused_naming_the_next_stage(start: S | None, target: S) -> None:
    state = ProjectState() if start is None else at(start)
    expected = STAGES[STAGES.index(start) + 1] if start else RD
    with pytest.raises(TransitionRefused, match="cannot be skipped") as refused:
        apply(state, enter(target))
    assert f"the next stage is {expected_label(expected)}" in refused.value.message
    assert "不能跳过阶段" in refused.value.message


def expected_label(stage: S) -> str:
    from fourchain.domain.pipeline import STAGE_LABELS

    return STAGE_LABELS[stage][1]


BACKWARDS = [(s, t) for s in STAGES for t in STAGES if STAGES.index(t) < STAGES.index(s)]


@pytest.mark.parametrize(("start", "target"), BACKWARDS)
def test_moving_back_to_an_earlier_stage_is_refused(start: S, target: S) -> None:
    with pytest.raises(TransitionRefused, match="cannot move back"):
        apply(at(start), enter(target))


@pytest.mark.parametrize("stage", STAGES)
def test_entering_the_stage_a_project_is_already_in_is_refused(stage: S) -> None:
    with pytest.raises(TransitionRefused, match="already at"):
        apply(at(stage), enter(stage))


@pytest.mark.parametrize(
    ("start", "target", "missing"),
    [
        (RD, POC, "disclosure"),
        (POC, PILOT, "poc_report"),
        (PILOT, INC, "incorporation, pilot_results"),
        (INC, PARK, "first_revenue"),
    ],
)
def test_advancing_without_the_gates_evidence_is_refused_listing_what_is_missing(
    start: S, target: S, missing: str
) -> None:
    with pytest.raises(TransitionRefused, match="needs evidence not yet recorded") as refused:
        apply(at(start), enter(target, evidence=()))
    assert f"({missing})" in refused.value.message
    assert "缺少证明材料" in refused.value.message


def test_evidence_recorded_by_an_earlier_event_opens_the_gate() -> None:
    state = apply(
        at(RD),
        PipelineEvent(
            EventKind.MILESTONE, DAY, "officer", evidence=frozenset({E.DISCLOSURE}), trl=3
        ),
    )
    assert apply(state, enter(POC, evidence=())).stage is POC


@pytest.mark.parametrize(
    ("start", "target", "trl"),
    [(None, RD, 5), (RD, POC, 2), (RD, POC, 6), (POC, PILOT, 3), (PILOT, INC, 5), (INC, PARK, 6)],
)
def test_entering_a_stage_outside_its_trl_band_is_refused(
    start: S | None, target: S, trl: int
) -> None:
    state = ProjectState() if start is None else at(start)
    band = GATES[target]
    with pytest.raises(TransitionRefused, match=f"needs TRL {band.trl_min}–{band.trl_max}"):
        apply(state, enter(target, trl=trl))


def test_a_trl_never_assessed_is_refused_as_not_assessed() -> None:
    event = PipelineEvent(EventKind.ENTERED_STAGE, DAY, "officer", stage=RD)
    with pytest.raises(TransitionRefused, match="TRL is not assessed"):
        apply(ProjectState(), event)


@pytest.mark.parametrize(("start", "target"), SKIPS[:4])
def test_an_administrator_may_skip_a_stage_with_a_reason_which_is_recorded(
    start: S | None, target: S
) -> None:
    state = ProjectState() if start is None else at(start)
    event = enter(target, evidence=(), trl=9, by_admin=True, override_reason="national project")
    after = apply(state, event)
    assert after.stage is target
    assert after.overrides == ("2023-06-01 officer: national project",)


@pytest.mark.parametrize(
    ("by_admin", "reason", "message"),
    [
        (False, "urgent", "only an administrator may override"),
        (True, "  ", "an override needs a reason"),
    ],
)
def test_an_override_by_a_non_administrator_or_without_a_reason_is_refused(
    by_admin: bool, reason: str, message: str
) -> None:
    event = enter(PILOT, evidence=(), by_admin=by_admin, override_reason=reason)
    with pytest.raises(TransitionRefused, match=message):
        apply(at(RD), event)


def test_an_override_never_allows_moving_back() -> None:
    event = enter(RD, by_admin=True, override_reason="mistake")
    with pytest.raises(TransitionRefused, match="cannot move back"):
        apply(at(PILOT), event)


@pytest.mark.parametrize("stage", [INC, PARK])
def test_a_project_in_an_incubator_or_park_graduates_with_incorporation_and_revenue(
    stage: S,
) -> None:
    after = apply(at(stage), graduate())
    assert after.exit is ProjectExit.GRADUATED
    assert after.enterprise == CODE
    assert after.visits[-1].left == DAY
    assert not after.active


@pytest.mark.parametrize("stage", [RD, POC, PILOT])
def test_graduating_before_the_incubator_is_refused(stage: S) -> None:
    with pytest.raises(TransitionRefused, match="only a project in a benchmark incubator"):
        apply(at(stage), graduate())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"enterprise": None}, "must name the enterprise"),
        ({"evidence": frozenset({E.INCORPORATION})}, r"\(first_revenue\)"),
        ({"trl": 6}, "needs TRL 7–9"),
    ],
)
def test_graduating_without_what_graduation_needs_is_refused(
    changes: dict[str, object], message: str
) -> None:
    state = at(INC)
    if "evidence" in changes:  # the incubator gate already recorded incorporation
        state = ProjectState(visits=state.visits, trl=8)
    with pytest.raises(TransitionRefused, match=message):
        apply(state, graduate(**changes))


@pytest.mark.parametrize("how", [ProjectExit.STOPPED, ProjectExit.MOVED])
@pytest.mark.parametrize("stage", STAGES)
def test_a_project_may_stop_or_move_away_from_any_stage_with_a_note(
    how: ProjectExit, stage: S
) -> None:
    event = PipelineEvent(EventKind.EXIT, DAY, "officer", exit=how, note="lost its team")
    assert apply(at(stage), event).exit is how


@pytest.mark.parametrize("how", [ProjectExit.STOPPED, ProjectExit.MOVED])
def test_stopping_or_moving_without_a_note_is_refused(how: ProjectExit) -> None:
    event = PipelineEvent(EventKind.EXIT, DAY, "officer", exit=how)
    with pytest.raises(TransitionRefused, match="needs a note"):
        apply(at(RD), event)


ANY_EVENTS = [
    enter(POC),
    PipelineEvent(EventKind.FUNDING, DAY, "officer", amount=1.0),
    PipelineEvent(EventKind.MILESTONE, DAY, "officer"),
    PipelineEvent(EventKind.GATE_REVIEW, DAY, "officer", passed=True),
    PipelineEvent(EventKind.EXIT, DAY, "officer", exit=ProjectExit.STOPPED, note="again"),
]


@pytest.mark.parametrize("event", ANY_EVENTS, ids=lambda e: e.kind.value)
def test_no_event_is_accepted_after_a_project_has_exited(event: PipelineEvent) -> None:
    stopped = apply(
        at(RD), PipelineEvent(EventKind.EXIT, DAY, "o", exit=ProjectExit.STOPPED, note="x")
    )
    with pytest.raises(TransitionRefused, match="left the pipeline on 2023-06-01"):
        apply(stopped, event)


@pytest.mark.parametrize("event", ANY_EVENTS[1:], ids=lambda e: e.kind.value)
def test_nothing_but_entering_the_first_stage_happens_before_a_project_starts(
    event: PipelineEvent,
) -> None:
    with pytest.raises(TransitionRefused, match="has not entered a stage yet"):
        apply(ProjectState(), event)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (PipelineEvent(EventKind.FUNDING, DAY, "o", amount=0.0), "positive amount"),
        (PipelineEvent(EventKind.FUNDING, DAY, "o"), "positive amount"),
        (PipelineEvent(EventKind.GATE_REVIEW, DAY, "o"), "whether it passed"),
        (PipelineEvent(EventKind.MILESTONE, DAY, " "), "must record who"),
        (PipelineEvent(EventKind.MILESTONE, DAY, "o", trl=10), "TRL must be 1–9, got 10"),
        (PipelineEvent(EventKind.MILESTONE, date(2023, 5, 31), "o"), "before the previous"),
        (PipelineEvent(EventKind.ENTERED_STAGE, DAY, "o"), "must name the stage"),
        (PipelineEvent(EventKind.EXIT, DAY, "o"), "must say how"),
    ],
)
def test_malformed_events_are_refused_with_the_reason(event: PipelineEvent, message: str) -> None:
    with pytest.raises(TransitionRefused, match=message):
        apply(at(RD), event)


def test_funding_milestones_and_reviews_accumulate_and_keep_the_stage() -> None:
    history = History()
    history.append(enter(RD))
    history.append(PipelineEvent(EventKind.FUNDING, DAY, "o", amount=100.0))
    history.append(PipelineEvent(EventKind.FUNDING, DAY, "o", amount=50.0))
    history.append(PipelineEvent(EventKind.MILESTONE, DAY, "o", trl=3))
    history.append(PipelineEvent(EventKind.GATE_REVIEW, DAY, "o", passed=False))
    state = history.state
    assert (state.stage, state.funding, state.milestones, state.reviews, state.trl) == (
        RD,
        150.0,
        1,
        1,
        3,
    )
    assert derive_state(history.events) == state


def test_a_refused_event_leaves_the_history_unchanged() -> None:
    history = History()
    history.append(enter(RD))
    with pytest.raises(TransitionRefused):
        history.append(enter(INC))
    assert len(history.events) == 1
    assert history.state.stage is RD


def test_the_stage_on_a_day_follows_the_visits_and_ends_at_the_exit() -> None:
    state = apply(ProjectState(), enter(RD, on=date(2021, 1, 1)))
    state = apply(state, enter(POC, on=date(2022, 1, 1)))
    state = apply(
        state,
        PipelineEvent(EventKind.EXIT, date(2023, 1, 1), "o", exit=ProjectExit.MOVED, note="x"),
    )
    assert state.stage_on(date(2020, 12, 31)) is None
    assert state.stage_on(date(2021, 6, 1)) is RD
    assert state.stage_on(date(2022, 6, 1)) is POC
    assert state.stage_on(date(2023, 1, 1)) is None


def test_next_stage_walks_the_five_stages_in_order() -> None:
    assert next_stage(ProjectState()) is RD
    assert [next_stage(at(s)) for s in STAGES] == [POC, PILOT, INC, PARK, None]


def test_an_unknown_stage_key_is_bad_input_listing_the_keys() -> None:
    assert parse_stage("pilot") is PILOT
    with pytest.raises(InvalidInput, match="rd_institution, proof_of_concept, pilot"):
        parse_stage("lab")
