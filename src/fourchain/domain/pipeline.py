"""The full-chain incubation pipeline (全链条成果孵化): stages, gates, events and the state
machine that derives a project's state from its append-only event log."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import reduce

from fourchain.domain.registry import InstitutionKind
from fourchain.errors import InvalidInput, TransitionRefused


class IncubationStage(StrEnum):
    """The five stages, in order (全链条成果孵化服务体系)."""

    RD_INSTITUTION = "rd_institution"
    PROOF_OF_CONCEPT = "proof_of_concept"
    PILOT = "pilot"
    INCUBATOR = "incubator"
    INDUSTRY_PARK = "industry_park"


STAGES: tuple[IncubationStage, ...] = tuple(IncubationStage)

STAGE_LABELS: dict[IncubationStage, tuple[str, str]] = {
    IncubationStage.RD_INSTITUTION: ("新型研发机构", "New-type R&D institution"),
    IncubationStage.PROOF_OF_CONCEPT: ("概念验证中心", "Proof-of-concept centre"),
    IncubationStage.PILOT: ("小试中试平台", "Small/pilot-scale test platform"),
    IncubationStage.INCUBATOR: ("标杆孵化器", "Benchmark incubator"),
    IncubationStage.INDUSTRY_PARK: ("未来产业园", "Future-industry park"),
}

# The registry institution kind that hosts a project at each stage.
STAGE_HOST_KIND: dict[IncubationStage, InstitutionKind] = {
    IncubationStage.RD_INSTITUTION: InstitutionKind.NEW_RD_INSTITUTION,
    IncubationStage.PROOF_OF_CONCEPT: InstitutionKind.PROOF_OF_CONCEPT_CENTRE,
    IncubationStage.PILOT: InstitutionKind.PILOT_PLATFORM,
    IncubationStage.INCUBATOR: InstitutionKind.INCUBATOR,
    IncubationStage.INDUSTRY_PARK: InstitutionKind.INDUSTRY_PARK,
}


class ProjectExit(StrEnum):
    GRADUATED = "graduated"  # 毕业成企: became (or grew into) an enterprise
    STOPPED = "stopped"  # 终止
    MOVED = "moved"  # 迁出: continued elsewhere, outside the city's pipeline


EXIT_LABELS: dict[ProjectExit, tuple[str, str]] = {
    ProjectExit.GRADUATED: ("毕业成企", "Graduated into an enterprise"),
    ProjectExit.STOPPED: ("终止", "Stopped"),
    ProjectExit.MOVED: ("迁出", "Moved elsewhere"),
}


class EventKind(StrEnum):
    ENTERED_STAGE = "entered_stage"
    GATE_REVIEW = "gate_review"
    FUNDING = "funding"
    MILESTONE = "milestone"
    EXIT = "exit"


class EvidenceKind(StrEnum):
    DISCLOSURE = "disclosure"  # 成果披露书: the research result, described for transfer
    POC_REPORT = "poc_report"  # 概念验证报告
    PILOT_RESULTS = "pilot_results"  # 小试中试结果
    INCORPORATION = "incorporation"  # 工商注册: the start-up exists
    FIRST_REVENUE = "first_revenue"  # 首笔营收


EVIDENCE_LABELS: dict[EvidenceKind, tuple[str, str]] = {
    EvidenceKind.DISCLOSURE: ("成果披露书", "Result disclosure"),
    EvidenceKind.POC_REPORT: ("概念验证报告", "Proof-of-concept report"),
    EvidenceKind.PILOT_RESULTS: ("小试中试结果", "Pilot results"),
    EvidenceKind.INCORPORATION: ("工商注册", "Incorporation"),
    EvidenceKind.FIRST_REVENUE: ("首笔营收", "First revenue"),
}


@dataclass(frozen=True)
class Gate:
    """What a project must show to enter a stage (or to graduate): a TRL band and evidence."""

    trl_min: int
    trl_max: int
    evidence: frozenset[EvidenceKind] = frozenset()


GATES: dict[IncubationStage, Gate] = {
    IncubationStage.RD_INSTITUTION: Gate(1, 4),
    IncubationStage.PROOF_OF_CONCEPT: Gate(3, 5, frozenset({EvidenceKind.DISCLOSURE})),
    IncubationStage.PILOT: Gate(4, 7, frozenset({EvidenceKind.POC_REPORT})),
    IncubationStage.INCUBATOR: Gate(
        6, 8, frozenset({EvidenceKind.PILOT_RESULTS, EvidenceKind.INCORPORATION})
    ),
    IncubationStage.INDUSTRY_PARK: Gate(7, 9, frozenset({EvidenceKind.FIRST_REVENUE})),
}
GRADUATION_GATE = Gate(7, 9, frozenset({EvidenceKind.INCORPORATION, EvidenceKind.FIRST_REVENUE}))
# A start-up exists only from the incubator on, so only there can a project graduate.
GRADUATION_STAGES = frozenset({IncubationStage.INCUBATOR, IncubationStage.INDUSTRY_PARK})


@dataclass(frozen=True)
class Project:
    """An incubation project: one identity from the lab to the park and the enterprise after."""

    id: str
    title: str
    created_on: date
    created_by: str
    cluster: str | None = None
    chain: str | None = None
    origin_institution: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class PipelineEvent:
    """One entry of a project's history, recorded by `by` on `on`. Which fields matter depends
    on `kind`: `stage` for entered_stage, `exit` (+ `enterprise`) for exit, `amount` for
    funding; `trl` and `evidence` may come with any event."""

    kind: EventKind
    on: date
    by: str
    stage: IncubationStage | None = None
    exit: ProjectExit | None = None
    trl: int | None = None
    evidence: frozenset[EvidenceKind] = frozenset()
    institution: str | None = None
    enterprise: str | None = None
    amount: float | None = None
    passed: bool | None = None
    note: str = ""
    by_admin: bool = False
    override_reason: str | None = None


@dataclass(frozen=True)
class StageVisit:
    stage: IncubationStage
    entered: date
    left: date | None = None
    institution: str | None = None


@dataclass(frozen=True)
class ProjectState:
    """Everything the history says about a project now; only `apply` makes one."""

    visits: tuple[StageVisit, ...] = ()
    exit: ProjectExit | None = None
    exited_on: date | None = None
    trl: int | None = None
    evidence: frozenset[EvidenceKind] = frozenset()
    enterprise: str | None = None
    funding: float = 0.0
    milestones: int = 0
    reviews: int = 0
    overrides: tuple[str, ...] = ()
    last_on: date | None = None

    @property
    def stage(self) -> IncubationStage | None:
        return self.visits[-1].stage if self.visits else None

    @property
    def institution(self) -> str | None:
        return self.visits[-1].institution if self.visits else None

    @property
    def started(self) -> date | None:
        return self.visits[0].entered if self.visits else None

    @property
    def active(self) -> bool:
        return bool(self.visits) and self.exit is None

    def stage_on(self, day: date) -> IncubationStage | None:
        """The stage the project was in on `day` (None before it started or after it left)."""
        if self.exited_on is not None and day >= self.exited_on:
            return None
        current = None
        for visit in self.visits:
            if visit.entered <= day:
                current = visit.stage
        return current


INITIAL = ProjectState()


def _label(stage: IncubationStage) -> tuple[str, str]:
    zh, en = STAGE_LABELS[stage]
    return f"「{zh}」", en


def refuse(zh: str, en: str) -> TransitionRefused:
    return TransitionRefused(f"{zh} / {en}")


def _override_allowed(event: PipelineEvent) -> bool:
    """Whether the event waives the gate; refuse a malformed override outright."""
    if event.override_reason is None:
        return False
    if not event.by_admin:
        raise refuse(
            f"只有管理员可以越过关口（{event.by} 不是管理员）",
            f"only an administrator may override a gate ({event.by} is not one)",
        )
    if not event.override_reason.strip():
        raise refuse("越过关口须写明理由", "an override needs a reason")
    return True


def _check_gate(state: ProjectState, event: PipelineEvent, gate: Gate, target: str) -> None:
    zh_target, en_target = target.split("|")
    trl = event.trl if event.trl is not None else state.trl
    if trl is None or not gate.trl_min <= trl <= gate.trl_max:
        shown = "未评估" if trl is None else str(trl)
        raise refuse(
            f"进入{zh_target}需要技术就绪度 {gate.trl_min}–{gate.trl_max}，当前为 {shown}",
            f"entering {en_target} needs TRL {gate.trl_min}–{gate.trl_max}; "
            f"the project's TRL is {'not assessed' if trl is None else trl}",
        )
    missing = sorted(gate.evidence - state.evidence - event.evidence)
    if missing:
        raise refuse(
            f"进入{zh_target}缺少证明材料：{'、'.join(EVIDENCE_LABELS[k][0] for k in missing)}",
            f"entering {en_target} needs evidence not yet recorded: "
            f"{', '.join(EVIDENCE_LABELS[k][1] for k in missing)} ({', '.join(missing)})",
        )


def _enter(state: ProjectState, event: PipelineEvent) -> ProjectState:
    target = event.stage
    if target is None:
        raise refuse("进入阶段事件须指明阶段", "an entered-stage event must name the stage")
    zh_t, en_t = _label(target)
    current = state.stage
    if current == target:
        raise refuse(f"项目已在{zh_t}", f"the project is already at the {en_t} stage")
    waived = _override_allowed(event)
    if current is None:
        expected = STAGES[0]
    else:
        if STAGES.index(target) < STAGES.index(current):
            zh_c, en_c = _label(current)
            raise refuse(
                f"不能从{zh_c}退回{zh_t}", f"a project cannot move back from {en_c} to {en_t}"
            )
        expected = STAGES[STAGES.index(current) + 1]
    if target != expected and not waived:
        zh_e, en_e = _label(expected)
        where_zh = "项目尚未开始" if current is None else f"项目在{_label(current)[0]}"
        where_en = (
            "the project has not started"
            if current is None
            else (f"the project is at {_label(current)[1]}")
        )
        raise refuse(
            f"不能跳过阶段：{where_zh}，下一阶段是{zh_e}，不能直接进入{zh_t}"
            "（管理员可写明理由越过）",
            f"a stage cannot be skipped: {where_en}; the next stage is {en_e}, not {en_t} "
            "(an administrator may override with a reason)",
        )
    if not waived:
        _check_gate(state, event, GATES[target], f"{zh_t}|{en_t}")
    visits = state.visits
    if visits:
        visits = (*visits[:-1], replace(visits[-1], left=event.on))
    return replace(
        state,
        visits=(*visits, StageVisit(target, event.on, institution=event.institution)),
        overrides=_with_override(state, event, waived),
    )


def _with_override(state: ProjectState, event: PipelineEvent, waived: bool) -> tuple[str, ...]:
    if not waived or event.override_reason is None:
        return state.overrides
    return (*state.overrides, f"{event.on.isoformat()} {event.by}: {event.override_reason}")


def _exit(state: ProjectState, event: PipelineEvent) -> ProjectState:
    if event.exit is None:
        raise refuse("退出事件须指明退出方式", "an exit event must say how the project left")
    waived = False
    if event.exit is ProjectExit.GRADUATED:
        if not event.enterprise:
            raise refuse(
                "毕业须填写所成企业的统一社会信用代码",
                "graduation must name the enterprise (credit code) the project became",
            )
        waived = _override_allowed(event)
        if not waived and state.stage not in GRADUATION_STAGES:
            zh_c, en_c = _label(state.stage) if state.stage else ("", "")
            raise refuse(
                f"项目在{zh_c}，只有在标杆孵化器或未来产业园阶段才能毕业成企",
                f"the project is at {en_c}; only a project in a benchmark incubator or a "
                "future-industry park can graduate into an enterprise",
            )
        if not waived:
            _check_gate(state, event, GRADUATION_GATE, "毕业成企|graduation")
    elif not event.note.strip():
        raise refuse(
            "终止或迁出须写明原因或去向", "stopping or moving a project needs a note (why, where)"
        )
    visits = (*state.visits[:-1], replace(state.visits[-1], left=event.on))
    return replace(
        state,
        visits=visits,
        exit=event.exit,
        exited_on=event.on,
        enterprise=event.enterprise or state.enterprise,
        overrides=_with_override(state, event, waived),
    )


def apply(state: ProjectState, event: PipelineEvent) -> ProjectState:
    """The state after `event`, or TransitionRefused saying why the event cannot happen."""
    if not event.by.strip():
        raise refuse("事件须记录操作人", "an event must record who made it")
    if event.trl is not None and not 1 <= event.trl <= 9:
        raise refuse(
            f"技术就绪度须在 1–9 之间，收到 {event.trl}", f"TRL must be 1–9, got {event.trl}"
        )
    if state.last_on is not None and event.on < state.last_on:
        raise refuse(
            f"事件日期 {event.on} 早于上一事件 {state.last_on}",
            f"the event's date {event.on} is before the previous event's {state.last_on}",
        )
    if state.exit is not None:
        zh, en = EXIT_LABELS[state.exit]
        raise refuse(
            f"项目已于 {state.exited_on} 退出（{zh}），不能再记录事件",
            f"the project left the pipeline on {state.exited_on} ({en}); no further events",
        )
    if event.kind is not EventKind.ENTERED_STAGE and state.stage is None:
        raise refuse(
            "项目尚未进入任何阶段，须先进入新型研发机构",
            "the project has not entered a stage yet; it must first enter an R&D institution",
        )
    if event.kind is EventKind.ENTERED_STAGE:
        new = _enter(state, event)
    elif event.kind is EventKind.EXIT:
        new = _exit(state, event)
    elif event.kind is EventKind.FUNDING:
        if event.amount is None or event.amount <= 0:
            raise refuse("资金事件须有正的金额", "a funding event needs a positive amount")
        new = replace(state, funding=state.funding + event.amount)
    elif event.kind is EventKind.GATE_REVIEW:
        if event.passed is None:
            raise refuse("关口评审须记录结论", "a gate review must record whether it passed")
        new = replace(state, reviews=state.reviews + 1)
    else:
        new = replace(state, milestones=state.milestones + 1)
    return replace(
        new,
        trl=event.trl if event.trl is not None else new.trl,
        evidence=new.evidence | event.evidence,
        enterprise=event.enterprise or new.enterprise,
        last_on=event.on,
    )


def derive_state(events: list[PipelineEvent] | tuple[PipelineEvent, ...]) -> ProjectState:
    """Replay a history from the start; a history that was accepted always replays."""
    return reduce(apply, events, INITIAL)


@dataclass
class History:
    """A project's append-only log with its current state kept beside it."""

    events: list[PipelineEvent] = field(default_factory=list)
    state: ProjectState = INITIAL

    def append(self, event: PipelineEvent) -> ProjectState:
        """Apply and record `event`; a refused event leaves the history unchanged."""
        self.state = apply(self.state, event)
        self.events.append(event)
        return self.state


def next_stage(state: ProjectState) -> IncubationStage | None:
    if state.stage is None:
        return STAGES[0]
    index = STAGES.index(state.stage)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


def parse_stage(key: str) -> IncubationStage:
    try:
        return IncubationStage(key)
    except ValueError:
        keys = ", ".join(s.value for s in STAGES)
        raise InvalidInput(f"未知阶段 {key!r} / unknown stage {key!r}; one of: {keys}") from None
