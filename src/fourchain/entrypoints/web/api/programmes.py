"""S&T programme projects API for the bureau: the project list with filters, one project with
its stage history and outcomes, and the administrator's move to the next stage (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from fourchain.domain.market import Party
from fourchain.domain.programmes import (
    Evidence,
    Move,
    ProgrammeKind,
    ProgrammeProject,
    Stage,
    next_moves,
)
from fourchain.entrypoints.web.api.common import ERRORS, NO_NUL
from fourchain.entrypoints.web.deps import ServicesDep, ViewerDep
from fourchain.services.programmes import ProgrammeDesk, ProjectFilter

router = APIRouter(prefix="/api/programmes", tags=["programmes"], responses=ERRORS)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
Key = Annotated[str | None, Query(max_length=60, pattern=NO_NUL)]


async def _desk(services: ServicesDep) -> ProgrammeDesk:
    return services.programmes


DeskDep = Annotated[ProgrammeDesk, Depends(_desk)]


class ProjectOut(BaseModel):
    id: int
    call_id: int
    title: str
    stage: Stage
    lead: str  # kind:id
    lead_name: str | None
    partners: list[str]
    public_budget: int  # 元
    self_raised: int  # 元
    cluster: str | None
    number: str
    applied: date


class ProjectList(BaseModel):
    items: list[ProjectOut]
    total: int


class EventOut(BaseModel):
    move: Move
    source: Stage
    target: Stage
    on: date
    document: str
    note: str


class OutcomeOut(BaseModel):
    kind: str
    reference: str
    level: str | None
    appraised: date | None


class ProjectDetail(ProjectOut):
    programme: str
    call_year: int
    challenge_call_id: int | None
    history: list[EventOut]
    outcomes: list[OutcomeOut]
    next_moves: list[Move]


class MoveIn(BaseModel):
    move: Move
    on: date
    document: str = Field("", max_length=200, pattern=NO_NUL)
    note: str = Field("", max_length=2000, pattern=NO_NUL)
    public_funding: int | None = Field(None, ge=0, le=10**13, description="元, on approval")
    ends: date | None = Field(None, description="the contract's end day")
    passed: bool = True


class MoveOut(BaseModel):
    source: Stage
    target: Stage


def _out(p: ProgrammeProject, names: Mapping[Party, str]) -> dict[str, object]:
    assert p.id is not None
    return {
        "id": p.id,
        "call_id": p.call_id,
        "title": p.title,
        "stage": p.stage,
        "lead": f"{p.lead.kind.value}:{p.lead.id}",
        "lead_name": names.get(p.lead),
        "partners": [f"{q.kind.value}:{q.id}" for q in p.partners],
        "public_budget": p.public_budget,
        "self_raised": p.self_raised,
        "cluster": p.cluster,
        "number": p.number,
        "applied": p.applied,
    }


@router.get("/projects", response_model=ProjectList)
def projects(
    desk: DeskDep,
    viewer: ViewerDep,
    programme: Key = None,
    kind: ProgrammeKind | None = None,
    year: Annotated[int | None, Query(ge=1980, le=2100)] = None,
    stage: Stage | None = None,
    cluster: Key = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 50,
) -> ProjectList:
    """Programme projects, newest first (bureau only)."""
    where = ProjectFilter(programme, kind, year, stage, cluster, None, size, (page - 1) * size)
    found = desk.projects(viewer, where)
    items = [ProjectOut.model_validate(_out(p, found.names)) for p in found.items]
    return ProjectList(items=items, total=found.total)


@router.get("/projects/{project_id}", response_model=ProjectDetail)
def project(project_id: Id, desk: DeskDep, viewer: ViewerDep) -> ProjectDetail:
    """One project with its stage history and outcomes (bureau only)."""
    view = desk.project(viewer, project_id)
    p = view.project
    history = [
        EventOut(
            move=e.move,
            source=e.source,
            target=e.target,
            on=e.evidence.on,
            document=e.evidence.document,
            note=e.evidence.note,
        )
        for e in p.history
    ]
    outcomes = [
        OutcomeOut(
            kind=o.kind.value,
            reference=o.reference,
            level=o.level.value if o.level else None,
            appraised=o.appraised,
        )
        for o in p.outcomes
    ]
    return ProjectDetail.model_validate(
        _out(p, view.names)
        | {
            "programme": view.programme.key,
            "call_year": view.call.year,
            "challenge_call_id": view.call.challenge_call_id,
            "history": history,
            "outcomes": outcomes,
            "next_moves": next_moves(p.stage),
        }
    )


@router.post("/projects/{project_id}/move", response_model=MoveOut)
def move(project_id: Id, body: MoveIn, desk: DeskDep, viewer: ViewerDep) -> MoveOut:
    """Move the project to its next stage with the evidence the move needs (administrators;
    a refused move answers 409 saying why)."""
    evidence = Evidence(
        body.on, body.document, body.note, body.public_funding, body.ends, body.passed
    )
    event = desk.move(viewer, project_id, body.move, evidence)
    return MoveOut(source=event.source, target=event.target)
