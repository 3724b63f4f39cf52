"""Pipeline use cases: advance a project (with evidence files), record events, and the views —
project list, project page, funnel and Sankey flows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from fourchain.domain.accounts import Principal
from fourchain.domain.audit import Action, Result, details
from fourchain.domain.funnel import Flow, FunnelRow, flows, funnel
from fourchain.domain.pipeline import (
    GATES,
    GRADUATION_GATE,
    STAGE_HOST_KIND,
    STAGES,
    EventKind,
    EvidenceKind,
    IncubationStage,
    PipelineEvent,
    Project,
    ProjectExit,
    ProjectState,
    apply,
    derive_state,
)
from fourchain.domain.talent import Membership, Person
from fourchain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services.audit import AuditTrail
from fourchain.services.caching import Memo
from fourchain.services.ports import PipelineStore, Vault


@dataclass(frozen=True)
class EvidenceRecord:
    project_id: str
    kind: EvidenceKind
    file_name: str
    sha256: str
    size: int
    stored_as: str
    recorded_by: str
    recorded_at: datetime
    event_id: int | None = None


@dataclass(frozen=True)
class KeptFile:
    file_name: str
    sha256: str
    size: int
    stored_as: str
    new: bool


@dataclass(frozen=True)
class EvidenceFile:
    """A file offered at a gate; without a kind it stands for the gate's missing evidence."""

    path: Path
    kind: EvidenceKind | None = None

    @classmethod
    def parse(cls, text: str) -> EvidenceFile:
        """`FILE` or `KIND=FILE` (kinds: disclosure, poc_report, pilot_results, …)."""
        kind, sep, path = text.partition("=")
        if sep and kind in {k.value for k in EvidenceKind}:
            return cls(Path(path), EvidenceKind(kind))
        return cls(Path(text))


@dataclass(frozen=True)
class Advance:
    project_id: str
    to: str  # a stage key, or an exit: graduated / stopped / moved
    by: str
    on: date
    trl: int | None = None
    evidence: tuple[EvidenceFile, ...] = ()
    institution: str | None = None
    enterprise: str | None = None
    note: str = ""
    by_admin: bool = False
    override_reason: str | None = None


def _target(to: str) -> tuple[IncubationStage | None, ProjectExit | None]:
    if to in {s.value for s in STAGES}:
        return IncubationStage(to), None
    if to in {e.value for e in ProjectExit}:
        return None, ProjectExit(to)
    keys = ", ".join([*(s.value for s in STAGES), *(e.value for e in ProjectExit)])
    raise InvalidInput(f"未知目标 {to!r} / unknown target {to!r}; one of: {keys}")


def _assign_kinds(
    files: tuple[EvidenceFile, ...], state: ProjectState, needed: frozenset[EvidenceKind]
) -> list[tuple[EvidenceKind, Path]]:
    """Files named with a kind keep it; the others stand, in order, for the gate's evidence
    not yet recorded."""
    named = {f.kind for f in files if f.kind is not None}
    missing = sorted(needed - state.evidence - named)
    result: list[tuple[EvidenceKind, Path]] = []
    for file in files:
        if file.kind is not None:
            result.append((file.kind, file.path))
        elif missing:
            result.append((missing.pop(0), file.path))
        else:
            raise InvalidInput(
                f"{file.path}：此关口已不缺证明材料，请用 KIND=FILE 指明类别 / {file.path}: the "
                "gate lacks no evidence; name the file's kind as KIND=FILE"
            )
    return result


def _check_references(
    store: PipelineStore, request: Advance, stage: IncubationStage | None
) -> None:
    if request.institution is not None and stage is not None:
        kind = store.institution_kind(request.institution)
        if kind is None:
            raise NotFound(f"没有机构 {request.institution} / no institution {request.institution}")
        if kind != STAGE_HOST_KIND[stage].value:
            raise InvalidInput(
                f"机构 {request.institution} 是 {kind}，不能承接此阶段 / institution "
                f"{request.institution} is a {kind}; the {stage.value} stage needs a "
                f"{STAGE_HOST_KIND[stage].value}"
            )
    if request.enterprise is not None and not store.enterprise_exists(request.enterprise):
        raise NotFound(
            f"登记库中没有企业 {request.enterprise} / no enterprise {request.enterprise} "
            "in the registry"
        )


def advance(
    store: PipelineStore, vault: Vault, request: Advance, now: datetime, audit: AuditTrail
) -> ProjectState:
    """Move a project to the next stage (or out of the pipeline) with evidence files. The state
    machine decides first; a refused move writes nothing, neither rows nor files. The move's
    audit entry goes through `audit`, which writes in the store's transaction."""
    store.project(request.project_id)
    withdrawn = store.withdrawn_on(request.project_id)
    if withdrawn is not None:
        raise Conflict(
            f"孵化项目 {request.project_id} 已于 {withdrawn} 撤回，不能再推进 "
            f"(project {request.project_id} was withdrawn on {withdrawn})"
        )
    state = derive_state(store.events(request.project_id))
    stage, exit_ = _target(request.to)
    gate = GATES[stage] if stage else GRADUATION_GATE if exit_ is ProjectExit.GRADUATED else None
    files = _assign_kinds(request.evidence, state, gate.evidence if gate else frozenset())
    for _kind, path in files:
        vault.digest(path)  # a missing file is bad input before anything is decided
    _check_references(store, request, stage)
    event = PipelineEvent(
        EventKind.ENTERED_STAGE if stage else EventKind.EXIT,
        request.on,
        request.by,
        stage=stage,
        exit=exit_,
        trl=request.trl,
        evidence=frozenset(kind for kind, _ in files),
        institution=request.institution,
        enterprise=request.enterprise,
        note=request.note,
        by_admin=request.by_admin,
        override_reason=request.override_reason,
    )
    new_state = apply(state, event)
    kept: list[KeptFile] = []
    try:
        for _kind, path in files:
            kept.append(vault.keep(path))
        (event_id,) = store.append_events(request.project_id, [event], now)
        store.add_evidence(
            EvidenceRecord(
                request.project_id,
                kind,
                k.file_name,
                k.sha256,
                k.size,
                k.stored_as,
                request.by,
                now,
                event_id,
            )
            for (kind, _), k in zip(files, kept, strict=True)
        )
        audit.record(
            datetime.now(UTC),
            Action.GATE_MOVED,
            Result.SUCCESS,
            username=request.by,
            object=f"pipeline_project:{request.project_id}",
            detail=f"to={request.to} event={event_id}"
            + (f" override={request.override_reason}" if request.override_reason else ""),
        )
    except BaseException:
        for k in kept:
            vault.discard(k)
        raise
    return new_state


def next_targets(state: ProjectState) -> list[str]:
    """What a project can be moved to now: its next stage (if any) and the exits."""
    if state.exit is not None:
        return []
    if state.stage is None:
        return [STAGES[0].value]
    index = STAGES.index(state.stage)
    following = [STAGES[index + 1].value] if index + 1 < len(STAGES) else []
    return following + [e.value for e in ProjectExit]


def record(
    store: PipelineStore, project_id: str, event: PipelineEvent, now: datetime
) -> ProjectState:
    """Append a milestone, gate review or funding event after the state machine accepts it."""
    store.project(project_id)
    new_state = apply(derive_state(store.events(project_id)), event)
    store.append_events(project_id, [event], now)
    return new_state


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    state: ProjectState

    def as_json(self) -> dict[str, object]:
        s = self.state
        return {
            "id": self.project.id,
            "title": self.project.title,
            "cluster": self.project.cluster,
            "chain": self.project.chain,
            "stage": s.stage.value if s.stage else None,
            "exit": s.exit.value if s.exit else None,
            "started": s.started.isoformat() if s.started else None,
            "stage_since": s.visits[-1].entered.isoformat() if s.visits else None,
            "institution": s.institution,
            "trl": s.trl,
            "enterprise": s.enterprise,
            "funding": round(s.funding, 2),
        }


# Derived states per engine, with the log version they were derived from. The event log is
# append-only (the database refuses UPDATE and DELETE), so an unchanged version means
# unchanged histories, and replaying them again would give the same states.
_DERIVED: Memo[tuple[object, tuple[int, int, int, int, str]], dict[str, ProjectState]] = Memo(8)


def states(store: PipelineStore) -> dict[str, ProjectState]:
    """Every project's derived state (shared, read-only: ProjectState is frozen)."""

    def derive() -> dict[str, ProjectState]:
        return {pid: derive_state(events) for pid, events in store.histories().items()}

    return _DERIVED.get((store.scope, store.log_version()), derive)


def projects_of(store: PipelineStore, credit_code: str) -> list[tuple[Project, ProjectState]]:
    """The incubation projects that became this enterprise: its incubation history (the
    derived states are kept per log version, so this reads no history again)."""
    derived = states(store)
    found = sorted(pid for pid, state in derived.items() if state.enterprise == credit_code)
    return [(store.project(pid), derived[pid]) for pid in found]


def project_list(
    store: PipelineStore,
    *,
    stage: IncubationStage | None = None,
    cluster: str | None = None,
    cohort: int | None = None,
    include_exited: bool = True,
) -> list[ProjectSummary]:
    """Projects with their derived state; `stage` keeps those in it now (exited ones are not
    in any stage)."""
    derived = states(store)
    result = []
    for project in store.projects():
        state = derived[project.id]
        if stage is not None and (state.stage is not stage or state.exit is not None):
            continue
        if cluster is not None and project.cluster != cluster:
            continue
        if cohort is not None and (state.started is None or state.started.year != cohort):
            continue
        if not include_exited and state.exit is not None:
            continue
        result.append(ProjectSummary(project, state))
    return result


def pipeline_funnel(store: PipelineStore, cohort: int | None = None) -> list[FunnelRow]:
    return funnel(states(store).values(), cohort)


def pipeline_flows(store: PipelineStore, cohort: int | None = None) -> list[Flow]:
    return flows(states(store).values(), cohort)


@dataclass(frozen=True)
class ProjectPage:
    project: Project
    events: list[PipelineEvent]
    state: ProjectState
    evidence: list[EvidenceRecord]
    team: list[tuple[Membership, Person]]


def project_page(store: PipelineStore, project_id: str) -> ProjectPage:
    project = store.project(project_id)
    events = store.events(project_id)
    return ProjectPage(
        project, events, derive_state(events), store.evidence(project_id), store.team(project_id)
    )


@dataclass(frozen=True)
class Overview:
    """The pipeline board and its charts from one derivation of every history."""

    funnel: list[FunnelRow]
    flows: list[Flow]
    columns: dict[IncubationStage, list[ProjectSummary]]
    in_stage: dict[IncubationStage, int]
    exits: dict[ProjectExit, int]
    cohorts: list[int]


def overview(
    store: PipelineStore,
    *,
    cohort: int | None = None,
    cluster: str | None = None,
    per_column: int = 12,
) -> Overview:
    """Funnel, Sankey links and board columns (projects in each stage now, most recently
    entered first) for the projects matching the filters."""
    derived = states(store)
    summaries = [
        ProjectSummary(p, derived[p.id])
        for p in store.projects()
        if (cluster is None or p.cluster == cluster)
        and (cohort is None or (derived[p.id].started or date.min).year == cohort)
    ]
    chosen = [s.state for s in summaries]
    in_stage = dict.fromkeys(STAGES, 0)
    exits = dict.fromkeys(ProjectExit, 0)
    columns: dict[IncubationStage, list[ProjectSummary]] = {stage: [] for stage in STAGES}
    for item in summaries:
        state = item.state
        if state.exit is not None:
            exits[state.exit] += 1
        elif state.stage is not None:
            in_stage[state.stage] += 1
            columns[state.stage].append(item)
    for items in columns.values():
        items.sort(key=lambda s: (s.state.visits[-1].entered, s.project.id), reverse=True)
        del items[per_column:]
    years = sorted({s.started.year for s in derived.values() if s.started})
    return Overview(funnel(chosen), flows(chosen), columns, in_stage, exits, years)


def _require_bureau(principal: Principal) -> str:
    if not principal.is_bureau:
        raise PermissionDenied("仅科技局工作人员可登记 (bureau staff only)")
    return principal.username or "bureau"


def create_project(
    store: PipelineStore, principal: Principal, project: Project, audit: AuditTrail
) -> Project:
    """A new incubation project, before its first stage (it enters one by `advance`); its
    cluster, chain and origin institution must be stored. Audited in the store's
    transaction."""
    who = _require_bureau(principal)
    if not project.id.strip() or not project.title.strip():
        raise InvalidInput("id, title: 项目编号和名称不能为空 (a project needs an id and a title)")
    if store.key_exists("pipeline_projects", project.id):
        raise Conflict(f"孵化项目 {project.id} 已存在 (project {project.id} exists)")
    for kind, key in (("clusters", project.cluster), ("chains", project.chain)):
        if key is not None and not store.key_exists(kind, key):
            raise InvalidInput(f"{kind[:-1]}: 没有 {key} (no {kind[:-1]} {key} in the registry)")
    origin = project.origin_institution
    if origin is not None and store.institution_kind(origin) is None:
        raise InvalidInput(f"origin_institution: 没有机构 {origin} (no institution {origin})")
    made = replace(project, created_by=who)
    store.add_projects([made])
    audit.record(
        datetime.now(UTC),
        Action.RECORD_CREATED,
        Result.SUCCESS,
        username=who,
        object=f"pipeline_project:{project.id}",
        detail=details(title=project.title),
    )
    return made


def add_person(
    store: PipelineStore, principal: Principal, person: Person, audit: AuditTrail
) -> None:
    """A person of the talent chain (name, affiliation, expertise, e-mail: nothing more)."""
    who = _require_bureau(principal)
    if not person.id.strip() or not person.name.strip():
        raise InvalidInput("id, name: 人员编号和姓名不能为空 (a person needs an id and a name)")
    if store.key_exists("people", person.id):
        raise Conflict(f"人员 {person.id} 已存在 (person {person.id} exists)")
    store.add_people([person])
    audit.record(
        datetime.now(UTC),
        Action.RECORD_CREATED,
        Result.SUCCESS,
        username=who,
        object=f"person:{person.id}",
        detail=details(name=person.name),
    )
