"""S&T programme projects' use cases: record programmes, calls and projects, move a project to
its next stage with evidence (audited in the same transaction), record outcomes, and read them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from fourchain.domain.accounts import Role
from fourchain.domain.audit import Action, Result, details
from fourchain.domain.challenge import CoiDeclaration
from fourchain.domain.market import Party, Viewer
from fourchain.domain.programmes import (
    LABELS,
    Evidence,
    Move,
    Outcome,
    Programme,
    ProgrammeCall,
    ProgrammeKind,
    ProgrammeProject,
    Review,
    Stage,
    StageEvent,
    advance,
    declare,
)
from fourchain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services.paging import Page
from fourchain.services.ports import ProgrammeUnit

Units = Callable[[], AbstractContextManager[ProgrammeUnit]]


@dataclass(frozen=True)
class ProjectFilter:
    programme: str | None = None
    kind: ProgrammeKind | None = None
    year: int | None = None  # the call's year
    stage: Stage | None = None
    cluster: str | None = None
    lead: Party | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class ProjectView:
    project: ProgrammeProject
    call: ProgrammeCall
    programme: Programme
    names: dict[Party, str]


def _require_admin(viewer: Viewer) -> None:
    if viewer.role is not Role.BUREAU_ADMIN:
        raise PermissionDenied("仅科技局管理员可执行此操作 (bureau administrators only)")


def _require_bureau(viewer: Viewer) -> None:
    if not viewer.is_bureau:
        raise PermissionDenied("仅科技局用户可查看科技计划项目 (bureau users only)")


def _note(unit: ProgrammeUnit, viewer: Viewer, action: Action, obj: str, detail: str) -> None:
    unit.audit.record(
        datetime.now(UTC),
        action,
        Result.SUCCESS,
        username=viewer.name,
        object=obj,
        detail=detail,
    )


class ProgrammeDesk:
    """The bureau's desk for programme projects."""

    def __init__(self, units: Units) -> None:
        self.units = units

    # --- writes ----------------------------------------------------------------------------
    def add_programme(self, viewer: Viewer, programme: Programme) -> None:
        _require_admin(viewer)
        programme.validate()
        with self.units() as unit:
            if unit.programmes.programme(programme.key) is not None:
                raise Conflict(f"programme.key: 计划 {programme.key} 已存在 (already recorded)")
            unit.programmes.add_programme(programme)
            _note(
                unit,
                viewer,
                Action.RECORD_CREATED,
                f"programme:{programme.key}",
                details(name=programme.name_zh),
            )

    def add_call(self, viewer: Viewer, call: ProgrammeCall) -> int:
        _require_admin(viewer)
        call.validate()
        with self.units() as unit:
            programme = unit.programmes.programme(call.programme)
            if programme is None:
                raise InvalidInput(f"programme_call.programme: 无此计划 ({call.programme})")
            if programme.kind is ProgrammeKind.CHALLENGE and call.challenge_call_id is None:
                raise InvalidInput(
                    "programme_call.challenge_call_id: 揭榜挂帅计划须关联榜单 "
                    "(a challenge programme's call links to its challenge call)"
                )
            linked = call.challenge_call_id
            if linked is not None and not unit.programmes.challenge_call_exists(linked):
                raise InvalidInput(f"programme_call.challenge_call_id: 无此榜单 ({linked})")
            new_id = unit.programmes.add_call(call)
            _note(
                unit,
                viewer,
                Action.RECORD_CREATED,
                f"programme_call:{new_id}",
                details(title=call.title, year=call.year),
            )
            return new_id

    def add_project(self, viewer: Viewer, project: ProgrammeProject) -> int:
        _require_admin(viewer)
        project.validate()
        if project.stage is not Stage.APPLIED or project.history:
            raise InvalidInput(
                "programme_project.stage: 新项目从申报开始 (a new project is applied)"
            )
        with self.units() as unit:
            if unit.programmes.call(project.call_id) is None:
                raise InvalidInput(f"programme_project.call_id: 无此申报指南 ({project.call_id})")
            for party in project.parties():
                if not unit.programmes.party_exists(party):
                    raise InvalidInput(f"programme_project.lead/partners: 无此单位 ({party})")
            new_id = unit.programmes.add_project(project)
            _note(
                unit,
                viewer,
                Action.RECORD_CREATED,
                f"programme_project:{new_id}",
                details(
                    number=project.number or None,
                    title=project.title,
                    public_budget=project.public_budget,
                    self_raised=project.self_raised,
                ),
            )
            return new_id

    def move(self, viewer: Viewer, project_id: int, move: Move, evidence: Evidence) -> StageEvent:
        """Move a project to its next stage with the evidence the move needs; the stage, its
        history and the audit entry commit together or not at all."""
        _require_admin(viewer)
        with self.units() as unit:
            project = self._project(unit, project_id)
            review = None
            if move is Move.SEND_TO_REVIEW:
                review = self._review(unit, project)
            event = advance(project, move, evidence, review)
            unit.programmes.save_move(project, event)
            _note(
                unit,
                viewer,
                Action.PROGRAMME_STEP,
                f"programme_project:{project_id}",
                details(
                    programme_move=event.move.value,
                    stage=event.target.value,
                    document=evidence.document or None,
                    on=evidence.on,
                ),
            )
            return event

    def declare(
        self,
        viewer: Viewer,
        project_id: int,
        *,
        conflicted: bool,
        statement: str,
        today: date,
        expert_id: str | None = None,
    ) -> None:
        """A panel expert's conflict declaration on a project (an administrator may record
        one for a named expert); the declaration and its audit entry commit together."""
        if viewer.role is Role.EXPERT_REVIEWER and viewer.expert_id:
            expert = viewer.expert_id
        elif viewer.role is Role.BUREAU_ADMIN and expert_id:
            expert = expert_id
        else:
            raise PermissionDenied("仅评审专家本人或管理员可申报利益冲突 (experts declare)")
        with self.units() as unit:
            project = self._project(unit, project_id)
            review = self._review(unit, project)
            declaration = CoiDeclaration(expert, project_id, conflicted, statement.strip(), today)
            declare(project, review, declaration)
            unit.programmes.add_declaration(declaration)
            _note(
                unit,
                viewer,
                Action.COI_DECLARED,
                f"programme_project:{project_id}",
                details(
                    expert=expert, conflicted=conflicted, statement=declaration.statement or None
                ),
            )

    def add_outcome(self, viewer: Viewer, project_id: int, outcome: Outcome) -> None:
        _require_admin(viewer)
        outcome.validate()
        with self.units() as unit:
            project = self._project(unit, project_id)
            if project.stage not in (Stage.CONTRACTED, Stage.MID_TERM_CHECKED, Stage.ACCEPTED):
                raise InvalidInput(
                    "programme_outcome.project_id: 签订任务书后方可登记成果 "
                    "(outcomes are recorded once the contract is signed)"
                )
            if not unit.programmes.outcome_exists(outcome.kind, outcome.reference):
                raise InvalidInput(
                    f"programme_outcome.reference: 无此{LABELS[outcome.kind][0]} "
                    f"(no {outcome.kind.value} {outcome.reference!r} is recorded)"
                )
            unit.programmes.add_outcome(project_id, outcome)
            _note(
                unit,
                viewer,
                Action.RECORD_CREATED,
                f"programme_project:{project_id}",
                details(outcome=outcome.kind.value, reference=outcome.reference),
            )

    # --- reads -----------------------------------------------------------------------------
    def programmes(self, viewer: Viewer) -> list[tuple[Programme, list[ProgrammeCall]]]:
        _require_bureau(viewer)
        with self.units() as unit:
            return [(p, unit.programmes.calls(p.key)) for p in unit.programmes.programmes()]

    def projects(
        self, viewer: Viewer, where: ProjectFilter | None = None
    ) -> Page[ProgrammeProject]:
        _require_bureau(viewer)
        with self.units() as unit:
            items, total = unit.programmes.projects(where or ProjectFilter())
            parties: list[Party] = [p for item in items for p in item.parties()]
            return Page(items, total, names=unit.programmes.party_names(parties))

    def project(self, viewer: Viewer, project_id: int) -> ProjectView:
        _require_bureau(viewer)
        with self.units() as unit:
            project = self._project(unit, project_id)
            call = unit.programmes.call(project.call_id)
            assert call is not None
            programme = unit.programmes.programme(call.programme)
            assert programme is not None
            names = unit.programmes.party_names(project.parties())
            return ProjectView(project, call, programme, names)

    def funding(self, viewer: Viewer) -> list[tuple[Programme, str | None, int, int]]:
        """Approved projects' public and self-raised funding (元) by programme and cluster."""
        _require_bureau(viewer)
        with self.units() as unit:
            return unit.programmes.funding()

    @staticmethod
    def _project(unit: ProgrammeUnit, project_id: int) -> ProgrammeProject:
        project = unit.programmes.project(project_id)
        if project is None:
            raise NotFound(f"no programme project {project_id}")
        return project

    @staticmethod
    def _review(unit: ProgrammeUnit, project: ProgrammeProject) -> Review | None:
        """The expert panel of the challenge desk the call's review uses (its challenge call)."""
        call = unit.programmes.call(project.call_id)
        if call is None or call.challenge_call_id is None:
            return None
        reviewers, _ = unit.programmes.panel(call.challenge_call_id)
        assert project.id is not None
        return Review(reviewers, unit.programmes.declarations(project.id), min_reviews=3)
