"""S&T programme projects (科技计划项目): programmes, their yearly calls, a project's stages from
application to acceptance with what each move needs, its budget, partners and outcomes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from fourchain.domain.challenge.records import CoiDeclaration, Reviewer, free_of_conflict
from fourchain.domain.market import Party
from fourchain.errors import InvalidInput, TransitionRefused


class ProgrammeKind(StrEnum):
    """What a programme organises; the first three are the city's "key technology projects"."""

    BREAKTHROUGH = "breakthrough"  # 重点研发计划 / 关键核心技术攻关
    CHALLENGE = "challenge"  # 揭榜挂帅 (its projects link to the challenge call)
    IUR = "iur"  # 产学研合作
    NATIONAL_MAJOR = "national_major"  # 国家重大科技专项 (led by a city organisation)
    OTHER = "other"  # 其他计划


KEY_TECH_KINDS = (ProgrammeKind.BREAKTHROUGH, ProgrammeKind.CHALLENGE, ProgrammeKind.IUR)


class ProgrammeLevel(StrEnum):
    CITY = "city"  # 市级
    PROVINCIAL = "provincial"  # 省级
    NATIONAL = "national"  # 国家级


class Stage(StrEnum):
    APPLIED = "applied"  # 已申报
    FORMAL_CHECKED = "formal_checked"  # 形式审查通过
    UNDER_REVIEW = "under_review"  # 专家评审中
    APPROVED = "approved"  # 已立项
    CONTRACTED = "contracted"  # 已签任务书
    MID_TERM_CHECKED = "mid_term_checked"  # 中期检查通过
    ACCEPTED = "accepted"  # 已验收
    NOT_APPROVED = "not_approved"  # 未立项 (formal check failed or not selected)
    TERMINATED = "terminated"  # 已终止


class Move(StrEnum):
    FORMAL_CHECK = "formal_check"  # 形式审查
    SEND_TO_REVIEW = "send_to_review"  # 提交专家评审
    APPROVE = "approve"  # 立项
    REJECT = "reject"  # 不予立项
    CONTRACT = "contract"  # 签订任务书
    MID_TERM_CHECK = "mid_term_check"  # 中期检查
    ACCEPT = "accept"  # 验收
    TERMINATE = "terminate"  # 终止


class AppraisalLevel(StrEnum):
    """The level an appraisal (科技成果评价/鉴定) puts a product or technology at."""

    INTERNATIONAL_LEADING = "international_leading"  # 国际领先
    INTERNATIONAL_ADVANCED = "international_advanced"  # 国际先进
    DOMESTIC_LEADING = "domestic_leading"  # 国内领先
    DOMESTIC_ADVANCED = "domestic_advanced"  # 国内先进


# "National or world-leading level": every level at or above 国内领先 (国际先进 ranks above it).
LEADING_LEVELS = (
    AppraisalLevel.INTERNATIONAL_LEADING,
    AppraisalLevel.INTERNATIONAL_ADVANCED,
    AppraisalLevel.DOMESTIC_LEADING,
)


class OutcomeKind(StrEnum):
    PATENT = "patent"  # 专利 (by number)
    ACHIEVEMENT = "achievement"  # 科技成果 (by the market's achievement id)
    PRODUCT = "product"  # 经评价的产品或技术 (by name, with its appraisal)


LABELS: dict[str, tuple[str, str]] = {
    ProgrammeKind.BREAKTHROUGH: ("关键核心技术攻关", "Key-technology breakthrough"),
    ProgrammeKind.CHALLENGE: ("揭榜挂帅", "Open-competition challenge"),
    ProgrammeKind.IUR: ("产学研合作", "Industry–university–research"),
    ProgrammeKind.NATIONAL_MAJOR: ("国家重大科技专项", "National major S&T project"),
    ProgrammeKind.OTHER: ("其他科技计划", "Other programme"),
    ProgrammeLevel.CITY: ("市级", "City"),
    ProgrammeLevel.PROVINCIAL: ("省级", "Provincial"),
    ProgrammeLevel.NATIONAL: ("国家级", "National"),
    Stage.APPLIED: ("已申报", "Applied"),
    Stage.FORMAL_CHECKED: ("形式审查通过", "Formal check passed"),
    Stage.UNDER_REVIEW: ("专家评审中", "Under expert review"),
    Stage.APPROVED: ("已立项", "Approved"),
    Stage.CONTRACTED: ("已签任务书", "Contract signed"),
    Stage.MID_TERM_CHECKED: ("中期检查通过", "Mid-term check passed"),
    Stage.ACCEPTED: ("已验收", "Accepted"),
    Stage.NOT_APPROVED: ("未立项", "Not approved"),
    Stage.TERMINATED: ("已终止", "Terminated"),
    Move.FORMAL_CHECK: ("形式审查", "Formal check"),
    Move.SEND_TO_REVIEW: ("提交专家评审", "Send to expert review"),
    Move.APPROVE: ("立项", "Approve"),
    Move.REJECT: ("不予立项", "Reject"),
    Move.CONTRACT: ("签订任务书", "Sign the contract"),
    Move.MID_TERM_CHECK: ("中期检查", "Mid-term check"),
    Move.ACCEPT: ("验收", "Accept"),
    Move.TERMINATE: ("终止", "Terminate"),
    AppraisalLevel.INTERNATIONAL_LEADING: ("国际领先", "World-leading"),
    AppraisalLevel.INTERNATIONAL_ADVANCED: ("国际先进", "World-advanced"),
    AppraisalLevel.DOMESTIC_LEADING: ("国内领先", "Nationally leading"),
    AppraisalLevel.DOMESTIC_ADVANCED: ("国内先进", "Nationally advanced"),
    OutcomeKind.PATENT: ("专利", "Patent"),
    OutcomeKind.ACHIEVEMENT: ("科技成果", "Achievement"),
    OutcomeKind.PRODUCT: ("评价产品或技术", "Appraised product"),
}

MOVES: dict[tuple[Stage, Move], Stage] = {
    (Stage.APPLIED, Move.FORMAL_CHECK): Stage.FORMAL_CHECKED,
    (Stage.APPLIED, Move.REJECT): Stage.NOT_APPROVED,
    (Stage.FORMAL_CHECKED, Move.SEND_TO_REVIEW): Stage.UNDER_REVIEW,
    (Stage.UNDER_REVIEW, Move.APPROVE): Stage.APPROVED,
    (Stage.UNDER_REVIEW, Move.REJECT): Stage.NOT_APPROVED,
    (Stage.APPROVED, Move.CONTRACT): Stage.CONTRACTED,
    (Stage.CONTRACTED, Move.MID_TERM_CHECK): Stage.MID_TERM_CHECKED,
    (Stage.CONTRACTED, Move.ACCEPT): Stage.ACCEPTED,
    (Stage.MID_TERM_CHECKED, Move.ACCEPT): Stage.ACCEPTED,
    (Stage.APPROVED, Move.TERMINATE): Stage.TERMINATED,
    (Stage.CONTRACTED, Move.TERMINATE): Stage.TERMINATED,
    (Stage.MID_TERM_CHECKED, Move.TERMINATE): Stage.TERMINATED,
}


def refuse(zh: str, en: str) -> TransitionRefused:
    return TransitionRefused(f"{zh} ({en})")


def _bad(field_name: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(f"programme_project.{field_name}: {zh} ({en})")


@dataclass(frozen=True)
class Programme:
    key: str
    name_zh: str
    name_en: str
    kind: ProgrammeKind
    level: ProgrammeLevel = ProgrammeLevel.CITY

    def validate(self) -> Programme:
        if not self.key.strip() or len(self.key) > 60:
            raise InvalidInput("programme.key: 不能为空且不超过 60 字符 (1–60 chars)")
        if not self.name_zh.strip():
            raise InvalidInput("programme.name_zh: 不能为空 (must not be empty)")
        return self


@dataclass(frozen=True)
class ProgrammeCall:
    """A programme's call for one year (年度申报指南)."""

    programme: str
    year: int
    title: str
    challenge_call_id: int | None = None  # 揭榜挂帅: the challenge call it publishes
    id: int | None = None

    def validate(self) -> ProgrammeCall:
        if not 1980 <= self.year <= 2100:
            raise InvalidInput(f"programme_call.year: 年度 {self.year} 不在 1980–2100")
        if not self.title.strip():
            raise InvalidInput("programme_call.title: 不能为空 (must not be empty)")
        return self


@dataclass(frozen=True)
class Evidence:
    """What a move rests on: the day, the document (文号/任务书编号/报告) and what it says."""

    on: date
    document: str = ""
    note: str = ""
    public_funding: int | None = None  # 元, on approval
    ends: date | None = None  # the contract's end date
    passed: bool = True  # a check's conclusion


@dataclass(frozen=True)
class StageEvent:
    move: Move
    source: Stage
    target: Stage
    evidence: Evidence


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    reference: str  # patent number, achievement id or the product's name
    level: AppraisalLevel | None = None
    appraised: date | None = None
    appraiser: str = ""

    def validate(self) -> Outcome:
        if not self.reference.strip():
            raise InvalidInput("programme_outcome.reference: 不能为空 (must not be empty)")
        if self.kind is OutcomeKind.PRODUCT and (self.level is None or self.appraised is None):
            raise InvalidInput(
                "programme_outcome.level: 评价产品须有评价水平和日期 "
                "(an appraised product needs its level and date)"
            )
        return self


@dataclass
class ProgrammeProject:
    """One project under a programme call, from application to acceptance. Money in 元."""

    call_id: int
    title: str
    lead: Party
    applied: date
    partners: tuple[Party, ...] = ()
    public_budget: int = 0  # 财政资金
    self_raised: int = 0  # 自筹资金
    cluster: str | None = None
    number: str = ""  # 项目编号, given on approval
    stage: Stage = Stage.APPLIED
    history: list[StageEvent] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    id: int | None = None

    @property
    def budget(self) -> int:
        return self.public_budget + self.self_raised

    @property
    def approved_on(self) -> date | None:
        return next((e.evidence.on for e in self.history if e.move is Move.APPROVE), None)

    def parties(self) -> tuple[Party, ...]:
        return (self.lead, *self.partners)

    def validate(self) -> ProgrammeProject:
        if not self.title.strip() or len(self.title) > 300:
            raise _bad("title", "不能为空且不超过 300 字", "1–300 characters")
        for name in ("public_budget", "self_raised"):
            if getattr(self, name) < 0:
                raise _bad(name, "金额须 ≥ 0", "must be ≥ 0")
        if self.lead in self.partners:
            raise _bad("partners", "牵头单位不应同时列为合作单位", "lead listed as partner")
        return self


@dataclass(frozen=True)
class Review:
    """The expert review a project is sent to: the challenge call's panel and conflict
    declarations, read with the same rule (no reviewer from a party, none who declared one)."""

    reviewers: Sequence[Reviewer]
    declarations: Iterable[CoiDeclaration] = ()
    min_reviews: int = 3


def eligible(review: Review, project: ProgrammeProject) -> list[Reviewer]:
    """The panel's reviewers the project may go to, by the challenge review's own rule."""
    declared = {d.expert_id: d for d in review.declarations if d.application_id == project.id}
    return [
        r
        for r in review.reviewers
        if free_of_conflict(r, project.parties(), declared.get(r.expert_id))
    ]


def declare(project: ProgrammeProject, review: Review | None, d: CoiDeclaration) -> None:
    """A panel expert's conflict-of-interest declaration on a project, as on a challenge
    application: before or during the review, once, with a statement when conflicted."""
    if project.stage not in (Stage.FORMAL_CHECKED, Stage.UNDER_REVIEW):
        raise refuse(
            f"项目处于“{LABELS[project.stage][0]}”阶段，不在评审环节",
            f"declarations are made before or during the review, not at {project.stage.value}",
        )
    if review is None or all(r.expert_id != d.expert_id for r in review.reviewers):
        raise refuse("该专家不在评审专家组", f"{d.expert_id} is not on the call's panel")
    if any(x.expert_id == d.expert_id and x.application_id == d.application_id
           for x in review.declarations):  # fmt: skip
        raise refuse("利益冲突声明已提交，不能更改", "the declaration was already made")
    if d.conflicted and not d.statement.strip():
        raise InvalidInput("declaration.statement: 存在冲突时须说明 (explain the conflict)")


def target_of(stage: Stage, move: Move) -> Stage:
    """The stage `move` reaches from `stage`, or a refusal naming the moves allowed there."""
    target = MOVES.get((stage, move))
    if target is None:
        allowed = [m for (s, m) in MOVES if s is stage]
        zh = "、".join(LABELS[m][0] for m in allowed) or "无"
        raise refuse(
            f"项目处于“{LABELS[stage][0]}”阶段，不能{LABELS[move][0]}；可执行：{zh}",
            f"a project at stage {stage.value} cannot {move.value}; allowed: "
            + (", ".join(m.value for m in allowed) or "none"),
        )
    return target


def _needs(
    project: ProgrammeProject, move: Move, ev: Evidence, review: Review | None, recorded: bool
) -> None:
    """What each move needs beyond being allowed from the stage."""
    if ev.on < project.applied:
        raise refuse(
            f"日期 {ev.on} 早于申报日期 {project.applied}",
            f"the date {ev.on} is before the application ({project.applied})",
        )
    last = project.history[-1].evidence.on if project.history else None
    if last is not None and ev.on < last:
        raise refuse(
            f"日期 {ev.on} 早于上一环节（{last}）", f"the date {ev.on} is before the last step"
        )
    if move in (Move.APPROVE, Move.CONTRACT, Move.ACCEPT) and not ev.document.strip():
        what = {Move.APPROVE: "立项文号", Move.CONTRACT: "任务书编号", Move.ACCEPT: "验收文件"}
        raise refuse(f"{LABELS[move][0]}须填写{what[move]}", f"{move.value} needs its document")
    if move in (Move.FORMAL_CHECK, Move.MID_TERM_CHECK, Move.ACCEPT) and not ev.passed:
        raise refuse(
            f"{LABELS[move][0]}未通过：请改为不予立项或终止",
            f"the {move.value} did not pass: reject or terminate the project instead",
        )
    if move in (Move.REJECT, Move.TERMINATE) and not ev.note.strip():
        raise refuse(f"{LABELS[move][0]}须写明理由", f"{move.value} needs a reason in the note")
    if move is Move.SEND_TO_REVIEW and not recorded:
        if review is None:
            raise refuse("尚未组建评审专家组", "no expert panel is set up for this call")
        free = eligible(review, project)
        if len(free) < review.min_reviews:
            raise refuse(
                f"回避后可评审专家仅 {len(free)} 人，至少需要 {review.min_reviews} 人",
                f"{len(free)} reviewers remain outside the project's organisations and "
                f"declared conflicts; {review.min_reviews} needed",
            )
    if move is Move.APPROVE:
        if ev.public_funding is None or ev.public_funding < 0:
            raise refuse("立项须核定财政资金（元，≥ 0）", "approval needs the public funding (≥ 0)")
        if ev.public_funding > project.public_budget:
            raise refuse(
                f"核定财政资金 {ev.public_funding} 元超过申请额 {project.public_budget} 元",
                "the approved public funding exceeds the amount applied for",
            )
    if move is Move.CONTRACT and (ev.ends is None or ev.ends <= ev.on):
        raise refuse("任务书须写明晚于签订日的执行期止", "the contract needs an end after signing")
    if move is Move.ACCEPT and project.stage is Stage.CONTRACTED and _ran_long(project, ev.on):
        raise refuse(
            "执行期超过两年的项目须先通过中期检查",
            "a project running more than two years needs its mid-term check first",
        )


def _ran_long(project: ProgrammeProject, on: date) -> bool:
    signed = next((e.evidence for e in project.history if e.move is Move.CONTRACT), None)
    if signed is None or signed.ends is None:
        return False
    return (signed.ends - signed.on).days > 730


def advance(
    project: ProgrammeProject,
    move: Move,
    evidence: Evidence,
    review: Review | None = None,
    *,
    recorded: bool = False,
) -> StageEvent:
    """Apply `move` with its evidence, or refuse saying why; the caller stores the event.
    `recorded`: a step imported from a file that records a review already held, whose panel
    is not checked again (every other rule is)."""
    target = target_of(project.stage, move)
    _needs(project, move, evidence, review, recorded)
    event = StageEvent(move, project.stage, target, evidence)
    if move is Move.APPROVE:
        assert evidence.public_funding is not None
        project.public_budget = evidence.public_funding
        project.number = evidence.document
    project.stage = target
    project.history.append(event)
    return event


def next_moves(stage: Stage) -> list[Move]:
    return [m for (s, m) in MOVES if s is stage]


def to_wan(yuan: int | float) -> str:
    """元 shown in 万元 with two decimals."""
    return f"{yuan / 10_000:,.2f}"
