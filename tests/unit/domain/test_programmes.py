"""The programme project's stages: every allowed move with what it needs, every refusal says why."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.challenge.records import CoiDeclaration, Reviewer
from fourchain.domain.market import Party, PartyKind
from fourchain.domain.programmes import (
    MOVES,
    Evidence,
    Move,
    Outcome,
    OutcomeKind,
    ProgrammeProject,
    Review,
    Stage,
    advance,
    declare,
    next_moves,
    to_wan,
)
from fourchain.errors import InvalidInput, TransitionRefused

LEAD = Party(PartyKind.ENTERPRISE, "91350200MA00000001")
PARTNER = Party(PartyKind.INSTITUTION, "inst-1")
DAY = date(2023, 3, 1)


def _project(stage: Stage = Stage.APPLIED) -> ProgrammeProject:
    return ProgrammeProject(
        call_id=1,
        title="高端芯片封装关键技术攻关",
        lead=LEAD,
        applied=DAY,
        partners=(PARTNER,),
        public_budget=3_000_000,
        self_raised=6_000_000,
        stage=stage,
        id=7,
    )


def _panel(n: int) -> Review:
    return Review([Reviewer(f"e{i}", f"专家{i}") for i in range(n)], min_reviews=3)


GOOD: dict[Move, Evidence] = {
    Move.FORMAL_CHECK: Evidence(date(2023, 3, 10)),
    Move.SEND_TO_REVIEW: Evidence(date(2023, 3, 20)),
    Move.APPROVE: Evidence(date(2023, 5, 1), "厦科计〔2023〕12号", public_funding=2_000_000),
    Move.REJECT: Evidence(date(2023, 5, 1), note="评审得分未达立项线"),
    Move.CONTRACT: Evidence(date(2023, 6, 1), "RW-2023-001", ends=date(2025, 5, 31)),
    Move.MID_TERM_CHECK: Evidence(date(2024, 6, 1), "中期报告"),
    Move.ACCEPT: Evidence(date(2025, 6, 30), "验收意见"),
    Move.TERMINATE: Evidence(date(2024, 1, 1), note="企业主动申请终止"),
}


def test_a_project_runs_from_application_to_acceptance_with_its_evidence() -> None:
    project = _project()
    for move in (
        Move.FORMAL_CHECK,
        Move.SEND_TO_REVIEW,
        Move.APPROVE,
        Move.CONTRACT,
        Move.MID_TERM_CHECK,
        Move.ACCEPT,
    ):
        advance(project, move, GOOD[move], _panel(3))
    assert project.stage is Stage.ACCEPTED
    assert project.public_budget == 2_000_000
    assert project.number == "厦科计〔2023〕12号"
    assert project.approved_on == date(2023, 5, 1)
    assert [e.target for e in project.history][-1] is Stage.ACCEPTED
    assert next_moves(Stage.ACCEPTED) == []


REFUSED = [(s, m) for s in Stage for m in Move if (s, m) not in MOVES]


@pytest.mark.parametrize(("stage", "move"), REFUSED)
def test_a_move_not_allowed_from_the_stage_is_refused_naming_what_is_allowed(
    stage: Stage, move: Move
) -> None:
    with pytest.raises(TransitionRefused) as refused:
        advance(_project(stage), move, GOOD[move], _panel(3))
    assert "cannot" in str(refused.value)
    assert "allowed" in str(refused.value)


@pytest.mark.parametrize(
    ("stage", "move", "evidence", "reason"),
    [
        (Stage.APPLIED, Move.FORMAL_CHECK, Evidence(date(2023, 1, 1)), "before the application"),
        (Stage.APPLIED, Move.FORMAL_CHECK, Evidence(DAY, passed=False), "did not pass"),
        (Stage.APPLIED, Move.REJECT, Evidence(DAY), "needs a reason"),
        (Stage.UNDER_REVIEW, Move.APPROVE, Evidence(DAY, public_funding=1), "needs its document"),
        (Stage.UNDER_REVIEW, Move.APPROVE, Evidence(DAY, "文号"), "public funding"),
        (
            Stage.UNDER_REVIEW,
            Move.APPROVE,
            Evidence(DAY, "文号", public_funding=9_000_000),
            "exceeds the amount applied for",
        ),
        (Stage.APPROVED, Move.CONTRACT, Evidence(DAY, "RW-1"), "needs an end"),
        (Stage.APPROVED, Move.CONTRACT, Evidence(DAY, "", ends=date(2025, 1, 1)), "document"),
        (Stage.CONTRACTED, Move.MID_TERM_CHECK, Evidence(DAY, passed=False), "did not pass"),
        (Stage.MID_TERM_CHECKED, Move.ACCEPT, Evidence(DAY), "needs its document"),
        (Stage.CONTRACTED, Move.TERMINATE, Evidence(DAY), "needs a reason"),
    ],
)
def test_an_allowed_move_without_what_it_needs_is_refused_saying_why(
    stage: Stage, move: Move, evidence: Evidence, reason: str
) -> None:
    project = _project(stage)
    with pytest.raises(TransitionRefused, match=reason):
        advance(project, move, evidence, _panel(3))
    assert project.stage is stage
    assert project.history == []


def test_a_long_project_needs_its_mid_term_check_before_acceptance() -> None:
    project = _project(Stage.APPROVED)
    advance(project, Move.CONTRACT, Evidence(DAY, "RW-1", ends=date(2026, 3, 1)))
    with pytest.raises(TransitionRefused, match="mid-term check first"):
        advance(project, Move.ACCEPT, Evidence(date(2026, 3, 2), "验收意见"))


def test_a_step_dated_before_the_last_one_is_refused() -> None:
    project = _project()
    advance(project, Move.FORMAL_CHECK, Evidence(date(2023, 4, 1)))
    with pytest.raises(TransitionRefused, match="before the last step"):
        advance(project, Move.SEND_TO_REVIEW, Evidence(date(2023, 3, 5)), _panel(3))


def test_review_needs_enough_experts_outside_the_parties_and_their_declared_conflicts() -> None:
    project = _project(Stage.FORMAL_CHECKED)
    panel = Review(
        [
            Reviewer("a", "甲", LEAD),
            Reviewer("b", "乙", PARTNER),
            Reviewer("c", "丙"),
            Reviewer("d", "丁"),
            Reviewer("e", "戊"),
        ],
        [CoiDeclaration("c", 7, True, "曾与牵头单位合作", DAY)],
        min_reviews=3,
    )
    with pytest.raises(TransitionRefused, match="2 reviewers remain"):
        advance(project, Move.SEND_TO_REVIEW, Evidence(DAY), panel)
    with pytest.raises(TransitionRefused, match="no expert panel"):
        advance(project, Move.SEND_TO_REVIEW, Evidence(DAY))
    advance(project, Move.SEND_TO_REVIEW, Evidence(DAY), _panel(3))
    assert project.stage is Stage.UNDER_REVIEW


def test_records_refuse_bad_fields_by_name() -> None:
    with pytest.raises(InvalidInput, match="partners"):
        ProgrammeProject(1, "题目", LEAD, DAY, partners=(LEAD,)).validate()
    with pytest.raises(InvalidInput, match="self_raised"):
        ProgrammeProject(1, "题目", LEAD, DAY, self_raised=-1).validate()
    with pytest.raises(InvalidInput, match="level"):
        Outcome(OutcomeKind.PRODUCT, "新型显示驱动芯片").validate()


def test_money_is_shown_in_wan_yuan() -> None:
    assert to_wan(2_345_600) == "234.56"


@pytest.mark.parametrize(
    ("stage", "declaration", "reason"),
    [
        (Stage.APPLIED, CoiDeclaration("e0", 7, False, "", DAY), "before or during the review"),
        (Stage.FORMAL_CHECKED, CoiDeclaration("zz", 7, False, "", DAY), "not on the call's panel"),
        (Stage.FORMAL_CHECKED, CoiDeclaration("e1", 7, False, "", DAY), "already made"),
        (Stage.UNDER_REVIEW, CoiDeclaration("e2", 7, True, " ", DAY), "explain the conflict"),
    ],
)
def test_a_conflict_declaration_is_refused_saying_why(
    stage: Stage, declaration: CoiDeclaration, reason: str
) -> None:
    panel = Review(_panel(3).reviewers, [CoiDeclaration("e1", 7, False, "", DAY)])
    with pytest.raises((TransitionRefused, InvalidInput), match=reason):
        declare(_project(stage), panel, declaration)
    declare(_project(Stage.FORMAL_CHECKED), panel, CoiDeclaration("e0", 7, True, "亲属", DAY))
