"""The challenge workflow's steps: each checks its rules on a call's case, refuses with a
bilingual reason, and otherwise applies the move to the case (the caller stores it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from fourchain.domain.challenge.ranking import Ranked, rank
from fourchain.domain.challenge.records import (
    FEEDBACK_MIN_CHARS,
    POINTS_MAX,
    ApplicationAction,
    ApplicationState,
    CallAction,
    CallState,
    ChallengeApplication,
    ChallengeCase,
    CoiDeclaration,
    Milestone,
    Payment,
    Reviewer,
    Score,
    application_move,
    call_move,
    refuse,
    same_organisation,
)
from fourchain.errors import InvalidInput

ACTIVE = (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW, ApplicationState.WON)


def publish(case: ChallengeCase, today: date) -> None:
    call = case.call
    target = call_move(call.state, CallAction.PUBLISH)
    call.validate()
    if call.apply_by < today:
        raise refuse(
            f"揭榜截止日 {call.apply_by} 已过，不能发榜",
            f"the closing date {call.apply_by} has passed",
        )
    call.state, call.published = target, today


def close_applications(case: ChallengeCase) -> None:
    case.call.state = call_move(case.call.state, CallAction.CLOSE_APPLICATIONS)


def start_review(case: ChallengeCase) -> list[int]:
    """Submitted applications go to review; each must have enough reviewers it may go to."""
    target = call_move(case.call.state, CallAction.START_REVIEW)
    submitted = case.in_state(ApplicationState.SUBMITTED)
    if not submitted:
        raise refuse("没有待评审的揭榜申请", "there is no submitted application to review")
    for app in submitted:
        available = [r for r in case.reviewers if not same_organisation(r, app)]
        if len(available) < case.call.min_reviews:
            raise refuse(
                f"申请 {app.id} 可回避后的评审专家仅 {len(available)} 人，至少需要 "
                f"{case.call.min_reviews} 人",
                f"application {app.id} has {len(available)} reviewers outside its own "
                f"organisation; {case.call.min_reviews} needed",
            )
    moved = []
    for app in submitted:
        app.state = application_move(app.state, ApplicationAction.REVIEW)
        assert app.id is not None
        moved.append(app.id)
    case.call.state = target
    return moved


@dataclass(frozen=True)
class Award:
    winner: int
    ranking: list[Ranked]


def unscored(case: ChallengeCase) -> list[int]:
    """Applications under review with fewer complete reviews than the call asks for."""
    under_review = {a.id for a in case.in_state(ApplicationState.UNDER_REVIEW)}
    return [
        r.application_id for r in rank(case) if not r.eligible and r.application_id in under_review
    ]


def award(case: ChallengeCase, reason: str = "") -> Award:
    """The best eligible total wins; every other application under review is not won. While
    some applications are not fully scored, the award needs a reason (they would lose
    unread)."""
    target = call_move(case.call.state, CallAction.AWARD)
    ranking = rank(case)
    eligible = [r for r in ranking if r.eligible]
    if not eligible:
        reasons = "; ".join(f"{r.application_id}: {r.reason}" for r in ranking)
        raise refuse(f"没有符合条件的申请：{reasons}", "no application has enough reviews")
    pending = unscored(case)
    if pending and not reason.strip():
        raise InvalidInput(
            f"award.reason: {len(pending)} 份申请尚未评完分，定榜后将成为未中榜；"
            "确需定榜请写明理由 "
            f"({len(pending)} applications are not fully scored and would not win: "
            "give a reason to award anyway)"
        )
    winner = eligible[0].application_id
    for app in case.in_state(ApplicationState.UNDER_REVIEW):
        action = ApplicationAction.WIN if app.id == winner else ApplicationAction.LOSE
        app.state = application_move(app.state, action)
    case.call.state = target
    return Award(winner, ranking)


def start_delivery(case: ChallengeCase) -> None:
    target = call_move(case.call.state, CallAction.START_DELIVERY)
    if not case.milestones:
        raise refuse("须先制定里程碑计划", "plan at least one milestone first")
    case.call.state = target


def close(case: ChallengeCase) -> None:
    """Closing needs written feedback for every applicant who did not win, and every
    milestone accepted and paid in full."""
    target = call_move(case.call.state, CallAction.CLOSE)
    missing = [
        a.id for a in case.in_state(ApplicationState.NOT_WON) if not case.feedback.get(a.id or 0)
    ]
    if missing:
        raise refuse(
            f"未中榜申请 {missing} 尚无书面反馈，不能结项",
            f"applications {missing} did not win and have no written feedback yet",
        )
    for m in case.milestones:
        if m.accepted is None:
            raise refuse(f"里程碑“{m.title}”未验收", f"milestone {m.id} is not accepted")
        if paid_on(case, m) < m.amount:
            raise refuse(f"里程碑“{m.title}”未付清", f"milestone {m.id} is not paid in full")
    case.call.state = target


# --- applicants


def submit(case: ChallengeCase, app: ChallengeApplication) -> None:
    call = case.call
    if call.state is not CallState.PUBLISHED:
        raise refuse("榜单当前不接受揭榜申请", f"the call is {call.state.value}, not published")
    if app.submitted > call.apply_by:
        raise refuse(f"已过揭榜截止日 {call.apply_by}", f"the call closed on {call.apply_by}")
    for name in ("team_lead", "proposal", "approach"):
        if not str(getattr(app, name)).strip():
            raise InvalidInput(f"application.{name}: 不能为空 (must not be empty)")
    if not 0 <= app.requested <= call.reward:
        raise InvalidInput(
            f"application.requested: 申请金额须在 0 至榜单奖励 {call.reward:,.0f} 元之间 "
            f"(must be between 0 and the reward)"
        )
    if any(a.applicant == app.applicant and a.state in ACTIVE for a in case.applications):
        raise refuse("该单位已揭榜此榜单", f"{app.applicant} already has an active application")
    app.state = ApplicationState.SUBMITTED
    case.applications.append(app)


def withdraw(case: ChallengeCase, application_id: int) -> None:
    if case.call.state not in (CallState.PUBLISHED, CallState.APPLICATIONS_CLOSED):
        raise refuse("评审开始后不能撤回", "applications cannot be withdrawn once review began")
    app = case.application(application_id)
    app.state = application_move(app.state, ApplicationAction.WITHDRAW)


# --- reviewers


def add_reviewer(case: ChallengeCase, reviewer: Reviewer) -> None:
    if case.call.state not in (
        CallState.DRAFT,
        CallState.PUBLISHED,
        CallState.APPLICATIONS_CLOSED,
    ):
        raise refuse("评审开始后不能增补专家", "the panel is fixed once review began")
    if case.reviewer(reviewer.expert_id) is not None:
        raise refuse("该专家已在评审组", f"expert {reviewer.expert_id} is already on the panel")
    case.reviewers.append(reviewer)


def _desk(case: ChallengeCase, expert_id: str, application_id: int) -> ChallengeApplication:
    """The application, if it may ever be on this expert's desk; refused otherwise."""
    reviewer = case.reviewer(expert_id)
    if reviewer is None:
        raise refuse("您不在该榜单评审组", f"expert {expert_id} is not on this call's panel")
    app = case.application(application_id)
    if same_organisation(reviewer, app):
        raise refuse(
            "评审专家不得评审本单位的申请", "a reviewer never reviews their own organisation"
        )
    return app


def declare(case: ChallengeCase, declaration: CoiDeclaration) -> None:
    """A reviewer's conflict-of-interest declaration on one application; final once made."""
    if case.call.state is not CallState.UNDER_REVIEW:
        raise refuse("仅在评审期间申报利益冲突", "declarations are made during review")
    _desk(case, declaration.expert_id, declaration.application_id)
    if case.declaration(declaration.expert_id, declaration.application_id) is not None:
        raise refuse("利益冲突声明已提交，不能更改", "the declaration was already made")
    if declaration.conflicted and not declaration.statement.strip():
        raise InvalidInput("declaration.statement: 存在冲突时须说明 (explain the conflict)")
    case.declarations.append(declaration)


def score(
    case: ChallengeCase, expert_id: str, application_id: int, points: Mapping[str, float]
) -> list[Score]:
    """The reviewer's full sheet for one application (replacing an earlier one)."""
    if case.call.state is not CallState.UNDER_REVIEW:
        raise refuse("榜单不在评审期", f"the call is {case.call.state.value}, not under review")
    app = _desk(case, expert_id, application_id)
    if app.state is not ApplicationState.UNDER_REVIEW:
        raise refuse("该申请不在评审中", f"application {application_id} is {app.state.value}")
    declared = case.declaration(expert_id, application_id)
    if declared is None:
        raise refuse("评分前须先申报利益冲突", "declare conflicts of interest before scoring")
    if declared.conflicted:
        raise refuse("已申报利益冲突，须回避", "a declared conflict excludes this reviewer")
    keys = {c.key for c in case.call.rubric}
    if set(points) != keys:
        raise InvalidInput(
            f"score: 须对每个评分项打分 {sorted(keys)} (score exactly the rubric's criteria; "
            f"got {sorted(points)})"
        )
    for key, value in points.items():
        if not 0 <= value <= POINTS_MAX:
            raise InvalidInput(f"score.{key}: 分值须在 0–100 (points must be 0–100, got {value})")
    sheet = [Score(expert_id, application_id, k, float(v)) for k, v in points.items()]
    case.scores = [
        s
        for s in case.scores
        if not (s.expert_id == expert_id and s.application_id == application_id)
    ] + sheet
    return sheet


# --- delivery and feedback


def paid_on(case: ChallengeCase, milestone: Milestone) -> float:
    return sum(p.amount for p in case.payments if p.milestone_id == milestone.id)


def add_milestone(case: ChallengeCase, milestone: Milestone) -> None:
    if case.call.state not in (CallState.AWARDED, CallState.IN_DELIVERY):
        raise refuse("定榜后才能制定里程碑", "milestones are planned after the award")
    if not milestone.title.strip():
        raise InvalidInput("milestone.title: 不能为空 (must not be empty)")
    planned = sum(m.amount for m in case.milestones) + milestone.amount
    if not milestone.amount >= 0 or planned > case.call.reward:
        raise InvalidInput(
            f"milestone.amount: 里程碑金额合计 {planned:,.0f} 元超过榜单奖励 "
            f"{case.call.reward:,.0f} 元 (milestones may not exceed the reward)"
        )
    case.milestones.append(milestone)


def _milestone(case: ChallengeCase, milestone_id: int) -> Milestone:
    for m in case.milestones:
        if m.id == milestone_id:
            return m
    raise InvalidInput(f"milestone {milestone_id}: 不属于该榜单 (not in this call)")


def accept_milestone(case: ChallengeCase, milestone_id: int, day: date) -> Milestone:
    if case.call.state is not CallState.IN_DELIVERY:
        raise refuse("榜单不在实施期", "milestones are accepted during delivery")
    m = _milestone(case, milestone_id)
    if m.accepted is not None:
        raise refuse("里程碑已验收", f"milestone {milestone_id} was accepted on {m.accepted}")
    m.accepted = day
    return m


def pay(case: ChallengeCase, payment: Payment) -> None:
    if case.call.state is not CallState.IN_DELIVERY:
        raise refuse("榜单不在实施期", "payments are made during delivery")
    m = _milestone(case, payment.milestone_id)
    if m.accepted is None:
        raise refuse("里程碑验收后才能拨付", "a milestone is paid after it is accepted")
    if not payment.amount > 0 or paid_on(case, m) + payment.amount > m.amount:
        raise InvalidInput(
            f"payment.amount: 拨付 {payment.amount:,.0f} 元将超过里程碑金额 {m.amount:,.0f} 元 "
            "(must be > 0 and within the milestone's amount)"
        )
    case.payments.append(payment)


def give_feedback(case: ChallengeCase, application_id: int, text: str) -> None:
    """Written feedback to an applicant who did not win (may be revised until closing)."""
    if case.call.state not in (CallState.AWARDED, CallState.IN_DELIVERY):
        raise refuse("定榜后、结项前提供反馈", "feedback is written after award, before closing")
    app = case.application(application_id)
    if app.state is not ApplicationState.NOT_WON:
        raise refuse("仅向未中榜申请提供反馈", f"application {application_id} is {app.state.value}")
    if len(text.strip()) < FEEDBACK_MIN_CHARS:
        raise InvalidInput(
            f"feedback.text: 书面反馈至少 {FEEDBACK_MIN_CHARS} 字 "
            f"(at least {FEEDBACK_MIN_CHARS} characters of written feedback)"
        )
    case.feedback[application_id] = text.strip()
