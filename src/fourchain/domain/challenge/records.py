"""The challenge call's records, its two state machines (call, application) and conflicts of
interest: who may ever have an application on their desk."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from fourchain.domain.market import Party
from fourchain.errors import InvalidInput, TransitionRefused

FEEDBACK_MIN_CHARS = 10
POINTS_MAX = 100.0


class CallState(StrEnum):
    DRAFT = "draft"  # 草稿
    PUBLISHED = "published"  # 已发榜
    APPLICATIONS_CLOSED = "applications_closed"  # 截止揭榜
    UNDER_REVIEW = "under_review"  # 评审中
    AWARDED = "awarded"  # 已定榜
    IN_DELIVERY = "in_delivery"  # 攻关实施中
    CLOSED = "closed"  # 已结项


class CallAction(StrEnum):
    PUBLISH = "publish"
    CLOSE_APPLICATIONS = "close_applications"
    START_REVIEW = "start_review"
    AWARD = "award"
    START_DELIVERY = "start_delivery"
    CLOSE = "close"


class ApplicationState(StrEnum):
    SUBMITTED = "submitted"  # 已提交
    WITHDRAWN = "withdrawn"  # 已撤回
    UNDER_REVIEW = "under_review"  # 评审中
    WON = "won"  # 揭榜成功
    NOT_WON = "not_won"  # 未中榜


class ApplicationAction(StrEnum):
    WITHDRAW = "withdraw"
    REVIEW = "review"
    WIN = "win"
    LOSE = "lose"


STATE_LABELS: dict[str, tuple[str, str]] = {
    CallState.DRAFT: ("草稿", "Draft"),
    CallState.PUBLISHED: ("已发榜", "Published"),
    CallState.APPLICATIONS_CLOSED: ("揭榜截止", "Applications closed"),
    CallState.UNDER_REVIEW: ("评审中", "Under review"),
    CallState.AWARDED: ("已定榜", "Awarded"),
    CallState.IN_DELIVERY: ("攻关实施中", "In delivery"),
    CallState.CLOSED: ("已结项", "Closed"),
}
ACTION_LABELS: dict[str, tuple[str, str]] = {
    CallAction.PUBLISH: ("发榜", "Publish"),
    CallAction.CLOSE_APPLICATIONS: ("截止揭榜", "Close applications"),
    CallAction.START_REVIEW: ("开始评审", "Start review"),
    CallAction.AWARD: ("定榜", "Award"),
    CallAction.START_DELIVERY: ("启动攻关实施", "Start delivery"),
    CallAction.CLOSE: ("结项", "Close the call"),
}
APPLICATION_LABELS: dict[str, tuple[str, str]] = {
    ApplicationState.SUBMITTED: ("已提交", "Submitted"),
    ApplicationState.WITHDRAWN: ("已撤回", "Withdrawn"),
    ApplicationState.UNDER_REVIEW: ("评审中", "Under review"),
    ApplicationState.WON: ("揭榜成功", "Won"),
    ApplicationState.NOT_WON: ("未中榜", "Not won"),
}

CALL_MOVES: dict[tuple[CallState, CallAction], CallState] = {
    (CallState.DRAFT, CallAction.PUBLISH): CallState.PUBLISHED,
    (CallState.PUBLISHED, CallAction.CLOSE_APPLICATIONS): CallState.APPLICATIONS_CLOSED,
    (CallState.APPLICATIONS_CLOSED, CallAction.START_REVIEW): CallState.UNDER_REVIEW,
    (CallState.UNDER_REVIEW, CallAction.AWARD): CallState.AWARDED,
    (CallState.AWARDED, CallAction.START_DELIVERY): CallState.IN_DELIVERY,
    (CallState.IN_DELIVERY, CallAction.CLOSE): CallState.CLOSED,
}
APPLICATION_MOVES: dict[tuple[ApplicationState, ApplicationAction], ApplicationState] = {
    (ApplicationState.SUBMITTED, ApplicationAction.WITHDRAW): ApplicationState.WITHDRAWN,
    (ApplicationState.SUBMITTED, ApplicationAction.REVIEW): ApplicationState.UNDER_REVIEW,
    (ApplicationState.UNDER_REVIEW, ApplicationAction.WIN): ApplicationState.WON,
    (ApplicationState.UNDER_REVIEW, ApplicationAction.LOSE): ApplicationState.NOT_WON,
}


def refuse(zh: str, en: str) -> TransitionRefused:
    return TransitionRefused(f"{zh} ({en})")


def call_move(state: CallState, action: CallAction) -> CallState:
    """The state a call reaches by `action`, or a refusal naming what is allowed from here."""
    target = CALL_MOVES.get((state, action))
    if target is None:
        allowed = [a.value for (s, a) in CALL_MOVES if s is state] or ["none"]
        raise refuse(
            f"榜单处于“{STATE_LABELS[state][0]}”状态，不能执行 {action.value}",
            f"a call in state {state.value} cannot {action.value}; allowed: {', '.join(allowed)}",
        )
    return target


def application_move(state: ApplicationState, action: ApplicationAction) -> ApplicationState:
    target = APPLICATION_MOVES.get((state, action))
    if target is None:
        raise refuse(
            f"揭榜申请处于“{APPLICATION_LABELS[state][0]}”状态，不能执行 {action.value}",
            f"an application in state {state.value} cannot {action.value}",
        )
    return target


@dataclass(frozen=True)
class Criterion:
    """One line of the scoring rubric: each reviewer gives 0–100 points, weighted."""

    key: str
    label_zh: str
    label_en: str
    weight: float


DEFAULT_RUBRIC: tuple[Criterion, ...] = (
    Criterion("approach", "技术路线可行性", "Feasibility of the technical approach", 0.35),
    Criterion("team", "团队能力与基础", "Team capability and track record", 0.25),
    Criterion("innovation", "创新性与先进性", "Novelty and advancement", 0.20),
    Criterion("delivery", "实施计划与预算", "Delivery plan and budget", 0.20),
)


def validate_rubric(rubric: Iterable[Criterion]) -> tuple[Criterion, ...]:
    items = tuple(rubric)
    if not items:
        raise InvalidInput("call.rubric: 评分细则至少一项 (the rubric needs a criterion)")
    keys = [c.key for c in items]
    if len(set(keys)) != len(keys):
        raise InvalidInput(f"call.rubric: 评分项重复 (duplicate criterion keys: {keys})")
    for c in items:
        if not c.key.strip() or not c.label_zh.strip():
            raise InvalidInput("call.rubric: 评分项须有键和中文名称 (criterion needs key, label)")
        if not c.weight > 0:
            raise InvalidInput(f"call.rubric.{c.key}: 权重须 > 0 (weight must be > 0)")
    return items


@dataclass
class ChallengeCall:
    """A key-technology problem the bureau publishes with a reward and conditions."""

    title: str
    problem: str
    conditions: str
    reward: float
    apply_by: date
    field: str
    rubric: tuple[Criterion, ...] = DEFAULT_RUBRIC
    min_reviews: int = 2
    state: CallState = CallState.DRAFT
    published: date | None = None
    id: int | None = None

    def validate(self) -> ChallengeCall:
        for name, limit in (("title", 300), ("problem", 5000), ("conditions", 5000)):
            value: str = getattr(self, name)
            if not value.strip() or len(value) > limit:
                raise InvalidInput(f"call.{name}: 不能为空且不超过 {limit} 字 (1–{limit} chars)")
        if not self.reward >= 0:
            raise InvalidInput(f"call.reward: 须 ≥ 0，现为 {self.reward} (must be ≥ 0)")
        if self.min_reviews < 1:
            raise InvalidInput("call.min_reviews: 至少 1 (at least one review per application)")
        validate_rubric(self.rubric)
        return self


@dataclass
class ChallengeApplication:
    """A team's application to a call; confidential between applicants."""

    call_id: int
    applicant: Party
    team_lead: str
    proposal: str
    approach: str
    requested: float
    submitted: date
    team: str = ""
    state: ApplicationState = ApplicationState.SUBMITTED
    id: int | None = None


@dataclass(frozen=True)
class Reviewer:
    """An expert on a call's panel, with the organisation they belong to (for conflicts)."""

    expert_id: str
    name: str
    affiliation: Party | None = None


@dataclass(frozen=True)
class CoiDeclaration:
    expert_id: str
    application_id: int
    conflicted: bool
    statement: str
    declared: date


@dataclass(frozen=True)
class Score:
    expert_id: str
    application_id: int
    criterion: str
    points: float


@dataclass
class Milestone:
    title: str
    due: date
    amount: float
    accepted: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class Payment:
    milestone_id: int
    amount: float
    paid: date


@dataclass
class ChallengeCase:
    """Everything about one call that its rules need to see at once."""

    call: ChallengeCall
    applications: list[ChallengeApplication] = field(default_factory=list)
    reviewers: list[Reviewer] = field(default_factory=list)
    declarations: list[CoiDeclaration] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    feedback: dict[int, str] = field(default_factory=dict)

    def application(self, application_id: int) -> ChallengeApplication:
        for app in self.applications:
            if app.id == application_id:
                return app
        raise InvalidInput(f"application {application_id}: 不属于该榜单 (not in this call)")

    def reviewer(self, expert_id: str) -> Reviewer | None:
        return next((r for r in self.reviewers if r.expert_id == expert_id), None)

    def declaration(self, expert_id: str, application_id: int) -> CoiDeclaration | None:
        return next(
            (
                d
                for d in self.declarations
                if d.expert_id == expert_id and d.application_id == application_id
            ),
            None,
        )

    def in_state(self, *states: ApplicationState) -> list[ChallengeApplication]:
        return [a for a in self.applications if a.state in states]


# --- conflicts of interest


def same_organisation(reviewer: Reviewer, application: ChallengeApplication) -> bool:
    """A reviewer from the applicant's own organisation: never assigned, never shown it."""
    return reviewer.affiliation is not None and reviewer.affiliation == application.applicant


def free_of_conflict(
    reviewer: Reviewer, parties: Iterable[Party], declared: CoiDeclaration | None
) -> bool:
    """The review rule every expert review shares (a challenge application, a programme
    project): no reviewer from one of the parties reviewed, none who declared a conflict."""
    if reviewer.affiliation is not None and reviewer.affiliation in set(parties):
        return False
    return declared is None or not declared.conflicted


def assigned_to(reviewer: Reviewer, case: ChallengeCase, application: ChallengeApplication) -> bool:
    """Whether the application is on this reviewer's desk: on the panel, not the same
    organisation, and no conflict declared."""
    if case.reviewer(reviewer.expert_id) is None:
        return False
    assert application.id is not None
    declared = case.declaration(reviewer.expert_id, application.id)
    return free_of_conflict(reviewer, (application.applicant,), declared)


def eligible_reviewers(case: ChallengeCase, application: ChallengeApplication) -> list[Reviewer]:
    return [r for r in case.reviewers if assigned_to(r, case, application)]
