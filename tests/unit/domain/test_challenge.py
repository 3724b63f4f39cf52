"""The challenge call's workflow: every move of both state machines, conflicts of interest,
rubric ranking with explicit tie-breaks, delivery, required feedback, and who sees what."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest

from fourchain.domain.accounts import Role
from fourchain.domain.challenge import (
    APPLICATION_MOVES,
    CALL_MOVES,
    ApplicationAction,
    ApplicationState,
    CallAction,
    CallState,
    ChallengeApplication,
    ChallengeCall,
    ChallengeCase,
    CoiDeclaration,
    Criterion,
    Milestone,
    Payment,
    Reviewer,
    application_move,
    call_move,
    may_see_application,
    may_see_call,
    may_see_feedback,
    rank,
    steps,
    validate_rubric,
    visible_applications,
)
from fourchain.domain.market import Party, PartyKind, Viewer
from fourchain.errors import InvalidInput, TransitionRefused

DAY = date(2025, 5, 1)
XMU = Party(PartyKind.INSTITUTION, "XMU")
IUE = Party(PartyKind.INSTITUTION, "IUE")
ENT = Party(PartyKind.ENTERPRISE, "91350200MA00000011")
RUBRIC = (
    Criterion("approach", "技术路线", "Approach", 0.5),
    Criterion("team", "团队", "Team", 0.3),
    Criterion("plan", "计划", "Plan", 0.2),
)


def _call(state: CallState = CallState.DRAFT) -> ChallengeCall:
    return ChallengeCall(
        title="车规级功率芯片封装可靠性",
        problem="提高 SiC 模块的热循环寿命。",
        conditions="申报单位须在厦门注册。",
        reward=3_000_000.0,
        apply_by=DAY + timedelta(days=30),
        field="电子信息",
        rubric=RUBRIC,
        min_reviews=2,
        state=state,
        id=1,
    )


def _app(app_id: int, applicant: Party, state: ApplicationState) -> ChallengeApplication:
    return ChallengeApplication(
        call_id=1,
        applicant=applicant,
        team_lead="李工",
        proposal=f"方案 {app_id}",
        approach="银烧结与铜线键合",
        requested=2_000_000.0,
        submitted=DAY + timedelta(days=app_id),
        state=state,
        id=app_id,
    )


PANEL = [
    Reviewer("E-XMU", "厦大专家", XMU),
    Reviewer("E-IUE", "城市所专家", IUE),
    Reviewer("E-FREE", "独立专家", None),
]


def _under_review() -> ChallengeCase:
    """Three applications (XMU, IUE, ENT) under review with a three-expert panel."""
    return ChallengeCase(
        _call(CallState.UNDER_REVIEW),
        [
            _app(1, XMU, ApplicationState.UNDER_REVIEW),
            _app(2, IUE, ApplicationState.UNDER_REVIEW),
            _app(3, ENT, ApplicationState.UNDER_REVIEW),
        ],
        list(PANEL),
    )


def _review(case: ChallengeCase, expert: str, app_id: int, points: tuple[float, ...]) -> None:
    steps.declare(case, CoiDeclaration(expert, app_id, False, "", DAY))
    steps.score(case, expert, app_id, dict(zip(("approach", "team", "plan"), points, strict=True)))


# --- the state machines


@pytest.mark.parametrize(("state", "action"), list(product(CallState, CallAction)))
def test_every_call_move_is_allowed_exactly_when_the_table_says(
    state: CallState, action: CallAction
) -> None:
    if (state, action) in CALL_MOVES:
        assert call_move(state, action) is CALL_MOVES[(state, action)]
    else:
        with pytest.raises(TransitionRefused, match=f"cannot {action.value}"):
            call_move(state, action)


def test_the_call_moves_form_one_line_from_draft_to_closed() -> None:
    state, seen = CallState.DRAFT, [CallState.DRAFT]
    for action in CallAction:
        state = call_move(state, action)
        seen.append(state)
    assert seen == list(CallState)


@pytest.mark.parametrize(("state", "action"), list(product(ApplicationState, ApplicationAction)))
def test_every_application_move_is_allowed_exactly_when_the_table_says(
    state: ApplicationState, action: ApplicationAction
) -> None:
    if (state, action) in APPLICATION_MOVES:
        assert application_move(state, action) is APPLICATION_MOVES[(state, action)]
    else:
        with pytest.raises(TransitionRefused, match=f"cannot {action.value}"):
            application_move(state, action)


def test_a_refusal_is_bilingual() -> None:
    with pytest.raises(TransitionRefused) as refused:
        call_move(CallState.CLOSED, CallAction.PUBLISH)
    assert "已结项" in refused.value.message
    assert "closed cannot publish" in refused.value.message


# --- publishing and applying


def test_publishing_stamps_the_day_and_refuses_a_closing_date_in_the_past() -> None:
    case = ChallengeCase(_call())
    steps.publish(case, DAY)
    assert (case.call.state, case.call.published) == (CallState.PUBLISHED, DAY)
    late = ChallengeCase(_call())
    with pytest.raises(TransitionRefused, match="passed"):
        steps.publish(late, DAY + timedelta(days=31))


@pytest.mark.parametrize(
    "rubric",
    [(), (RUBRIC[0], RUBRIC[0]), (Criterion("a", "甲", "A", 0.0),), (Criterion("", "甲", "A", 1),)],
)
def test_a_bad_rubric_is_refused(rubric: tuple[Criterion, ...]) -> None:
    with pytest.raises(InvalidInput, match="rubric"):
        validate_rubric(rubric)


def test_an_application_is_taken_while_the_call_is_published() -> None:
    case = ChallengeCase(_call(CallState.PUBLISHED))
    steps.submit(case, _app(1, XMU, ApplicationState.SUBMITTED))
    assert [a.id for a in case.applications] == [1]


@pytest.mark.parametrize("state", [s for s in CallState if s is not CallState.PUBLISHED])
def test_no_application_is_taken_unless_the_call_is_published(state: CallState) -> None:
    with pytest.raises(TransitionRefused):
        steps.submit(ChallengeCase(_call(state)), _app(1, XMU, ApplicationState.SUBMITTED))


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"submitted": DAY + timedelta(days=31)}, TransitionRefused),
        ({"requested": 3_000_001.0}, InvalidInput),
        ({"requested": -1.0}, InvalidInput),
        ({"proposal": " "}, InvalidInput),
        ({"team_lead": ""}, InvalidInput),
    ],
)
def test_a_late_or_bad_application_is_refused(
    change: dict[str, object], error: type[Exception]
) -> None:
    app = _app(1, XMU, ApplicationState.SUBMITTED)
    for key, value in change.items():
        setattr(app, key, value)
    with pytest.raises(error):
        steps.submit(ChallengeCase(_call(CallState.PUBLISHED)), app)


def test_an_organisation_applies_once_but_may_reapply_after_withdrawing() -> None:
    case = ChallengeCase(_call(CallState.PUBLISHED))
    steps.submit(case, _app(1, XMU, ApplicationState.SUBMITTED))
    with pytest.raises(TransitionRefused, match="already"):
        steps.submit(case, _app(2, XMU, ApplicationState.SUBMITTED))
    steps.withdraw(case, 1)
    steps.submit(case, _app(2, XMU, ApplicationState.SUBMITTED))
    assert [a.state for a in case.applications] == [
        ApplicationState.WITHDRAWN,
        ApplicationState.SUBMITTED,
    ]


def test_an_application_cannot_be_withdrawn_once_review_began() -> None:
    with pytest.raises(TransitionRefused, match="review began"):
        steps.withdraw(_under_review(), 1)


# --- starting the review


def test_review_starts_with_every_submitted_application() -> None:
    case = ChallengeCase(
        _call(CallState.APPLICATIONS_CLOSED),
        [
            _app(1, XMU, ApplicationState.SUBMITTED),
            _app(2, IUE, ApplicationState.WITHDRAWN),
        ],
        list(PANEL),
    )
    assert steps.start_review(case) == [1]
    assert case.call.state is CallState.UNDER_REVIEW
    assert [a.state for a in case.applications] == [
        ApplicationState.UNDER_REVIEW,
        ApplicationState.WITHDRAWN,
    ]


def test_review_does_not_start_without_applications() -> None:
    case = ChallengeCase(_call(CallState.APPLICATIONS_CLOSED), [], list(PANEL))
    with pytest.raises(TransitionRefused, match="no submitted application"):
        steps.start_review(case)


def test_review_does_not_start_when_conflicts_leave_too_few_reviewers() -> None:
    # Two reviewers, one of them from XMU: XMU's application would have only one.
    case = ChallengeCase(
        _call(CallState.APPLICATIONS_CLOSED),
        [_app(1, XMU, ApplicationState.SUBMITTED)],
        [PANEL[0], PANEL[1]],
    )
    with pytest.raises(TransitionRefused, match="application 1 has 1 reviewers"):
        steps.start_review(case)
    assert case.applications[0].state is ApplicationState.SUBMITTED


@pytest.mark.parametrize("state", [CallState.UNDER_REVIEW, CallState.AWARDED, CallState.CLOSED])
def test_the_panel_is_fixed_once_review_began(state: CallState) -> None:
    with pytest.raises(TransitionRefused, match="panel is fixed"):
        steps.add_reviewer(ChallengeCase(_call(state)), Reviewer("E9", "新专家"))


def test_an_expert_sits_on_a_panel_once() -> None:
    case = ChallengeCase(_call(), reviewers=list(PANEL))
    with pytest.raises(TransitionRefused, match="already on the panel"):
        steps.add_reviewer(case, Reviewer("E-FREE", "重复"))


# --- conflicts of interest and scoring


def test_a_reviewer_must_declare_before_scoring() -> None:
    case = _under_review()
    with pytest.raises(TransitionRefused, match="declare conflicts of interest before scoring"):
        steps.score(case, "E-FREE", 1, {"approach": 80, "team": 80, "plan": 80})


def test_a_reviewer_who_declares_a_conflict_may_not_score_and_loses_sight_of_it() -> None:
    case = _under_review()
    steps.declare(case, CoiDeclaration("E-FREE", 1, True, "曾与申报团队合作", DAY))
    with pytest.raises(TransitionRefused, match="declared conflict"):
        steps.score(case, "E-FREE", 1, {"approach": 80, "team": 80, "plan": 80})
    viewer = Viewer(Role.EXPERT_REVIEWER, expert_id="E-FREE")
    assert not may_see_application(viewer, case, case.application(1))
    assert may_see_application(viewer, case, case.application(2))


def test_a_declared_conflict_needs_a_statement_and_a_declaration_is_final() -> None:
    case = _under_review()
    with pytest.raises(InvalidInput, match="statement"):
        steps.declare(case, CoiDeclaration("E-FREE", 1, True, " ", DAY))
    steps.declare(case, CoiDeclaration("E-FREE", 1, False, "", DAY))
    with pytest.raises(TransitionRefused, match="already made"):
        steps.declare(case, CoiDeclaration("E-FREE", 1, True, "改主意", DAY))


@pytest.mark.parametrize(
    ("expert", "app_id", "reason"),
    [
        ("E-XMU", 1, "own organisation"),
        ("E-IUE", 2, "own organisation"),
        ("E-NOBODY", 1, "not on this call's panel"),
    ],
)
def test_a_reviewer_never_declares_on_or_scores_what_is_not_theirs(
    expert: str, app_id: int, reason: str
) -> None:
    case = _under_review()
    with pytest.raises(TransitionRefused, match=reason):
        steps.declare(case, CoiDeclaration(expert, app_id, False, "", DAY))
    with pytest.raises(TransitionRefused, match=reason):
        steps.score(case, expert, app_id, {"approach": 1, "team": 1, "plan": 1})


@pytest.mark.parametrize(
    "points",
    [
        {"approach": 80, "team": 80},
        {"approach": 80, "team": 80, "plan": 80, "extra": 1},
        {"approach": 101, "team": 80, "plan": 80},
        {"approach": -1, "team": 80, "plan": 80},
    ],
)
def test_a_score_sheet_covers_the_rubric_exactly_with_points_from_0_to_100(
    points: dict[str, float],
) -> None:
    case = _under_review()
    steps.declare(case, CoiDeclaration("E-FREE", 1, False, "", DAY))
    with pytest.raises(InvalidInput, match="score"):
        steps.score(case, "E-FREE", 1, points)


def test_rescoring_replaces_the_reviewers_earlier_sheet() -> None:
    case = _under_review()
    _review(case, "E-FREE", 1, (50, 50, 50))
    steps.score(case, "E-FREE", 1, {"approach": 90, "team": 90, "plan": 90})
    assert sorted(s.points for s in case.scores) == [90.0, 90.0, 90.0]


# --- ranking and the award


def test_the_best_eligible_weighted_total_wins_and_the_rest_do_not() -> None:
    case = _under_review()
    _review(case, "E-IUE", 1, (90, 80, 70))  # 83
    _review(case, "E-FREE", 1, (70, 80, 90))  # 77 → mean 80
    _review(case, "E-XMU", 2, (90, 70, 70))  # 80
    _review(case, "E-FREE", 2, (90, 70, 70))  # total 80 too, but more on the heaviest criterion
    _review(case, "E-XMU", 3, (99, 99, 99))  # one review only: not eligible
    result = steps.award(case, reason="第 3 份申请的第二位专家回避")
    assert result.winner == 2
    totals = {r.application_id: r.total for r in result.ranking}
    assert totals == {2: 80.0, 1: 80.0, 3: None}
    assert [r.application_id for r in result.ranking] == [2, 1, 3]
    assert "1 complete reviews, 2 required" in result.ranking[2].reason
    states = {a.id: a.state for a in case.applications}
    assert states == {
        1: ApplicationState.NOT_WON,
        2: ApplicationState.WON,
        3: ApplicationState.NOT_WON,
    }
    assert case.call.state is CallState.AWARDED
    # After the award every reviewed application keeps its standing, winner first.
    assert [r.application_id for r in rank(case)] == [2, 1, 3]


def test_an_award_over_applications_not_fully_scored_needs_a_reason() -> None:
    case = _under_review()
    _review(case, "E-IUE", 1, (90, 80, 70))
    _review(case, "E-FREE", 1, (70, 80, 90))
    _review(case, "E-XMU", 3, (99, 99, 99))  # one of two reviews: it would lose unread
    assert steps.unscored(case) == [2, 3]
    for reason in ("", "   "):
        with pytest.raises(InvalidInput, match=r"award\.reason: 2 份申请尚未评完分"):
            steps.award(case, reason)
    assert case.call.state is CallState.UNDER_REVIEW
    assert {a.state for a in case.applications} == {ApplicationState.UNDER_REVIEW}
    assert steps.award(case, "专家回避，按期定榜").winner == 1
    assert case.call.state is CallState.AWARDED


def test_a_full_tie_goes_to_the_earlier_submission() -> None:
    case = _under_review()
    for app_id, reviewers in ((1, ("E-IUE", "E-FREE")), (2, ("E-XMU", "E-FREE"))):
        for expert in reviewers:
            _review(case, expert, app_id, (70, 70, 70))
    assert [r.application_id for r in rank(case)][:2] == [1, 2]
    case.applications[1].submitted = DAY  # now application 2 came first
    assert [r.application_id for r in rank(case)][:2] == [2, 1]


def test_no_award_without_an_eligible_application() -> None:
    case = _under_review()
    _review(case, "E-FREE", 1, (90, 90, 90))
    with pytest.raises(TransitionRefused, match="no application has enough reviews"):
        steps.award(case)
    assert case.call.state is CallState.UNDER_REVIEW


# --- delivery, feedback and closing


def _awarded() -> ChallengeCase:
    case = _under_review()
    _review(case, "E-IUE", 1, (90, 90, 90))
    _review(case, "E-FREE", 1, (90, 90, 90))
    steps.award(case, reason="其余申请未获足够评审")
    return case


def test_a_call_closes_only_with_feedback_for_every_non_winner_and_milestones_paid() -> None:
    case = _awarded()
    steps.add_milestone(case, Milestone("样品验证", DAY, 1_000_000.0, id=10))
    steps.start_delivery(case)
    steps.accept_milestone(case, 10, DAY)
    steps.pay(case, Payment(10, 1_000_000.0, DAY))
    with pytest.raises(TransitionRefused, match=r"applications \[2, 3\] did not win"):
        steps.close(case)
    steps.give_feedback(case, 2, "技术路线可行，但团队中试经验不足。")
    with pytest.raises(TransitionRefused, match=r"\[3\]"):
        steps.close(case)
    steps.give_feedback(case, 3, "评审意见：方案缺少可靠性验证数据。")
    steps.close(case)
    assert case.call.state is CallState.CLOSED


def test_feedback_is_written_only_to_non_winners_and_must_say_something() -> None:
    case = _awarded()
    with pytest.raises(TransitionRefused, match="is won"):
        steps.give_feedback(case, 1, "恭喜中榜，请按计划推进。")
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        steps.give_feedback(case, 2, "不行")


def test_delivery_needs_a_milestone_plan_within_the_reward() -> None:
    case = _awarded()
    with pytest.raises(TransitionRefused, match="milestone"):
        steps.start_delivery(case)
    with pytest.raises(InvalidInput, match="may not exceed the reward"):
        steps.add_milestone(case, Milestone("全部", DAY, 3_000_001.0, id=10))


def test_a_milestone_is_paid_after_acceptance_and_never_beyond_its_amount() -> None:
    case = _awarded()
    steps.add_milestone(case, Milestone("样品", DAY, 500_000.0, id=10))
    steps.start_delivery(case)
    with pytest.raises(TransitionRefused, match="after it is accepted"):
        steps.pay(case, Payment(10, 100.0, DAY))
    steps.accept_milestone(case, 10, DAY)
    with pytest.raises(TransitionRefused, match="was accepted"):
        steps.accept_milestone(case, 10, DAY)
    steps.pay(case, Payment(10, 300_000.0, DAY))
    with pytest.raises(InvalidInput, match="within the milestone"):
        steps.pay(case, Payment(10, 200_001.0, DAY))
    for app_id in (2, 3):
        steps.give_feedback(case, app_id, "评审意见：方案缺少可靠性验证数据。")
    with pytest.raises(TransitionRefused, match="is not paid in full"):
        steps.close(case)


# --- who sees what

VIEWERS = {
    "admin": Viewer(Role.BUREAU_ADMIN),
    "analyst": Viewer(Role.BUREAU_ANALYST),
    "XMU user": Viewer(Role.INSTITUTION_USER, XMU),
    "IUE user": Viewer(Role.INSTITUTION_USER, IUE),
    "enterprise user": Viewer(Role.ENTERPRISE_USER, ENT),
    "XMU reviewer": Viewer(Role.EXPERT_REVIEWER, expert_id="E-XMU"),
    "free reviewer": Viewer(Role.EXPERT_REVIEWER, expert_id="E-FREE"),
    "expert off the panel": Viewer(Role.EXPERT_REVIEWER, expert_id="E-OTHER"),
    "public": Viewer(),
}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin", [1, 2, 3]),
        ("analyst", [1, 2, 3]),
        ("XMU user", [1]),  # only its own: never another applicant's
        ("IUE user", [2]),
        ("enterprise user", [3]),
        ("XMU reviewer", [2, 3]),  # never the application from its own institution
        ("free reviewer", [1, 2, 3]),
        ("expert off the panel", []),
        ("public", []),
    ],
)
def test_an_application_is_seen_by_its_applicant_the_bureau_and_its_reviewers(
    who: str, sees: list[int]
) -> None:
    case = _under_review()
    assert [a.id for a in visible_applications(VIEWERS[who], case)] == sees


@pytest.mark.parametrize(
    ("who", "sees"),
    [("admin", True), ("XMU user", True), ("IUE user", False), ("free reviewer", False)],
)
def test_feedback_is_seen_by_its_applicant_and_the_bureau(who: str, sees: bool) -> None:
    assert may_see_feedback(VIEWERS[who], _app(1, XMU, ApplicationState.NOT_WON)) is sees


@pytest.mark.parametrize(
    ("who", "state", "sees"),
    [
        ("admin", CallState.DRAFT, True),
        ("analyst", CallState.DRAFT, True),
        ("XMU user", CallState.DRAFT, False),
        ("public", CallState.DRAFT, False),
        ("public", CallState.PUBLISHED, True),
        ("free reviewer", CallState.CLOSED, True),
    ],
)
def test_a_draft_call_is_the_bureaus_and_a_published_one_is_public(
    who: str, state: CallState, sees: bool
) -> None:
    assert may_see_call(VIEWERS[who], _call(state)) is sees
