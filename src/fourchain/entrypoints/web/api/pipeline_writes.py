"""Incubation projects and people through the API, for the bureau's staff: create a project,
move it through its next gate with evidence files (the same state machine and gates as
`pipeline advance` and the project page), register a person. Each change commits with its
audit entry."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile
from pydantic import BaseModel, Field

from fourchain.domain.accounts import Role
from fourchain.domain.files import upload_name
from fourchain.domain.pipeline import Project
from fourchain.domain.talent import Person, ProjectRole
from fourchain.entrypoints.web.api.common import ERRORS, NO_NUL, ErrorOut, WithdrawalIn, reason_of
from fourchain.entrypoints.web.api.pipeline import ProjectId
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep, utc_now
from fourchain.services.pipeline import (
    Advance,
    EvidenceFile,
    add_person,
    advance,
    create_project,
    next_targets,
)
from fourchain.services.pipeline_desk import Conversion, PipelineDesk, ProjectTerms

router = APIRouter(prefix="/api", tags=["pipeline"], responses=ERRORS)

_CHUNK = 1024 * 1024
Key = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.:-]+$")]
Optional40 = Annotated[str | None, Field(default=None, max_length=40, pattern=NO_NUL)]


class ProjectIn(BaseModel):
    id: Key
    title: Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]
    summary: Annotated[str | None, Field(default=None, max_length=5000, pattern=NO_NUL)] = None
    cluster: Optional40 = None
    chain: Optional40 = None
    origin_institution: Optional40 = None
    created_on: date | None = None


class PersonIn(BaseModel):
    id: Key
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
    affiliation: Annotated[str | None, Field(default=None, max_length=200, pattern=NO_NUL)] = None
    expertise: Annotated[str | None, Field(default=None, max_length=200, pattern=NO_NUL)] = None
    email: Annotated[str | None, Field(default=None, max_length=200, pattern=NO_NUL)] = None


class CreatedKey(BaseModel):
    id: str


class Moved(BaseModel):
    """Where the project stands after the move, and where it may go next."""

    id: str
    stage: str | None
    exit: str | None
    trl: int | None
    next: list[str]


@router.post("/pipeline/projects", response_model=CreatedKey, status_code=201)
def create(principal: CurrentPrincipal, services: ServicesDep, body: ProjectIn) -> CreatedKey:
    """A new incubation project; it enters its first stage by the advance below."""
    project = Project(
        body.id,
        body.title,
        body.created_on or utc_now().date(),
        principal.username or "",
        body.cluster,
        body.chain,
        body.origin_institution,
        body.summary,
    )
    with services.pipeline.writing() as unit:
        create_project(unit.pipeline, principal, project, unit.audit)
    return CreatedKey(id=body.id)


@router.post("/pipeline/projects/{project_id}/advance", response_model=Moved)
def move(
    principal: CurrentPrincipal,
    services: ServicesDep,
    project_id: ProjectId,
    to: Annotated[str, Form(max_length=30)],
    on: Annotated[date | None, Form()] = None,
    trl: Annotated[int | None, Form(ge=1, le=9)] = None,
    institution: Annotated[str, Form(max_length=40)] = "",
    enterprise: Annotated[str, Form(max_length=18)] = "",
    note: Annotated[str, Form(max_length=300)] = "",
    override_reason: Annotated[str, Form(max_length=300)] = "",
    evidence: Annotated[list[UploadFile] | None, File()] = None,
) -> Moved:
    """Move a project to `to` (its next stage, or an exit) with evidence files (multipart);
    a gate that refuses answers 409 with the gate's reason, and nothing is written. Only an
    administrator's override reason is honoured."""
    with tempfile.TemporaryDirectory() as folder:
        offered: list[EvidenceFile] = []
        for upload in (f for f in evidence or [] if f.filename):
            path = FilePath(folder) / str(len(offered)) / upload_name(str(upload.filename))
            path.parent.mkdir()
            with path.open("wb") as out:
                shutil.copyfileobj(upload.file, out, _CHUNK)
            offered.append(EvidenceFile(path))
        request = Advance(
            project_id,
            to,
            principal.username or "",
            on or utc_now().date(),
            trl,
            tuple(offered),
            institution.strip() or None,
            enterprise.strip() or None,
            note.strip(),
            by_admin=principal.role is Role.BUREAU_ADMIN,
            override_reason=override_reason.strip() or None,
        )
        with services.pipeline.writing() as unit:
            now = utc_now().replace(tzinfo=None)
            state = advance(unit.pipeline, services.pipeline.vault, request, now, unit.audit)
    return Moved(
        id=project_id,
        stage=state.stage.value if state.stage else None,
        exit=state.exit.value if state.exit else None,
        trl=state.trl,
        next=next_targets(state),
    )


@router.post("/people", response_model=CreatedKey, status_code=201)
def create_person(principal: CurrentPrincipal, services: ServicesDep, body: PersonIn) -> CreatedKey:
    """A person of the talent chain."""
    person = Person(body.id, body.name, body.affiliation, body.expertise, body.email)
    with services.pipeline.writing() as unit:
        add_person(unit.pipeline, principal, person, unit.audit)
    return CreatedKey(id=body.id)


# --- corrections (bureau administrators): conversion projects created, edited, withdrawn;
# people and projects edited and withdrawn; people attached to and detached from projects.
# A withdrawn record keeps its row and history and leaves lists, counts and indicators.


def _desk(services: ServicesDep) -> Iterator[PipelineDesk]:
    """The desk; after a change every cache that saw the data is cleared (lists, counts)."""
    yield services.pipeline_desk
    services.data_changed()


DeskDep = Annotated[PipelineDesk, Depends(_desk)]
# A withdrawn record, or a person already on the team, answers 409 saying so.
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorOut, "description": "The record is withdrawn, or already there"}
}
RecordId = Annotated[int, Path(ge=1, le=2_000_000_000)]
PersonId = Annotated[str, Path(max_length=40)]


class Recorded(BaseModel):
    ok: bool = True


class Created(BaseModel):
    id: int


class ConversionIn(BaseModel):
    """A conversion project (成果转化项目) of a registered enterprise, by the year recognised."""

    credit_code: Annotated[str, Field(min_length=18, max_length=18, pattern=NO_NUL)]
    title: Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]
    year: int = Field(ge=1949, le=2100)
    field: Annotated[str | None, Field(default=None, max_length=100, pattern=NO_NUL)] = None
    project_id: Optional40 = None


class ProjectEditIn(BaseModel):
    title: Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]
    summary: Annotated[str | None, Field(default=None, max_length=5000, pattern=NO_NUL)] = None
    cluster: Optional40 = None
    chain: Optional40 = None
    origin_institution: Optional40 = None


class PersonEditIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
    affiliation: Annotated[str | None, Field(default=None, max_length=200, pattern=NO_NUL)] = None
    expertise: Annotated[str | None, Field(default=None, max_length=200, pattern=NO_NUL)] = None
    email: Annotated[str | None, Field(default=None, max_length=200, pattern=NO_NUL)] = None


class MemberIn(BaseModel):
    person_id: Key
    role: ProjectRole
    joined: date


@router.post("/pipeline/conversions", response_model=Created, status_code=201, responses=CONFLICT)
def create_conversion(principal: CurrentPrincipal, desk: DeskDep, body: ConversionIn) -> Created:
    """Register a conversion project; it counts in the conversion-project indicator."""
    return Created(id=desk.create_conversion(principal, Conversion(**body.model_dump())))


@router.put("/pipeline/conversions/{record_id}", response_model=Recorded, responses=CONFLICT)
def edit_conversion(
    principal: CurrentPrincipal, desk: DeskDep, record_id: RecordId, body: ConversionIn
) -> Recorded:
    """Replace a conversion project's terms."""
    desk.edit_conversion(principal, record_id, Conversion(**body.model_dump()))
    return Recorded()


@router.post(
    "/pipeline/conversions/{record_id}/withdraw", response_model=Recorded, responses=CONFLICT
)
def withdraw_conversion(
    principal: CurrentPrincipal,
    desk: DeskDep,
    record_id: RecordId,
    body: WithdrawalIn | None = None,
) -> Recorded:
    """Withdraw a conversion project recorded in error (the indicator leaves it out); the
    body's reason, when given, goes into the audit entry."""
    desk.withdraw(principal, "conversion_projects", record_id, reason_of(body))
    return Recorded()


@router.put("/pipeline/projects/{project_id}", response_model=Recorded, responses=CONFLICT)
def edit_project(
    principal: CurrentPrincipal, desk: DeskDep, project_id: ProjectId, body: ProjectEditIn
) -> Recorded:
    """Replace an incubation project's title, summary, cluster, chain or origin."""
    desk.edit_project(principal, project_id, ProjectTerms(**body.model_dump()))
    return Recorded()


@router.post(
    "/pipeline/projects/{project_id}/withdraw", response_model=Recorded, responses=CONFLICT
)
def withdraw_project(
    principal: CurrentPrincipal,
    desk: DeskDep,
    project_id: ProjectId,
    body: WithdrawalIn | None = None,
) -> Recorded:
    """Withdraw an incubation project: it leaves lists, the funnel and the explorer; its
    history stays, with the body's reason when given."""
    desk.withdraw(principal, "pipeline_projects", project_id, reason_of(body))
    return Recorded()


@router.put("/people/{person_id}", response_model=Recorded, responses=CONFLICT)
def edit_person(
    principal: CurrentPrincipal, desk: DeskDep, person_id: PersonId, body: PersonEditIn
) -> Recorded:
    """Replace a person's name, affiliation, expertise or e-mail."""
    person = Person(person_id, body.name, body.affiliation, body.expertise, body.email)
    desk.edit_person(principal, person_id, person)
    return Recorded()


@router.post("/people/{person_id}/withdraw", response_model=Recorded, responses=CONFLICT)
def withdraw_person(
    principal: CurrentPrincipal,
    desk: DeskDep,
    person_id: PersonId,
    body: WithdrawalIn | None = None,
) -> Recorded:
    """Withdraw a person: they leave the teams, the experts and the market; the body's
    reason, when given, goes into the audit entry."""
    desk.withdraw(principal, "people", person_id, reason_of(body))
    return Recorded()


@router.post(
    "/pipeline/projects/{project_id}/people",
    response_model=Recorded,
    status_code=201,
    responses=CONFLICT,
)
def attach_person(
    principal: CurrentPrincipal, desk: DeskDep, project_id: ProjectId, body: MemberIn
) -> Recorded:
    """Put a person on a project's team, with a role and the day they joined."""
    desk.attach(principal, project_id, body.person_id, body.role.value, body.joined)
    return Recorded()


@router.delete(
    "/pipeline/projects/{project_id}/people/{person_id}",
    response_model=Recorded,
    responses=CONFLICT,
)
def detach_person(
    principal: CurrentPrincipal, desk: DeskDep, project_id: ProjectId, person_id: PersonId
) -> Recorded:
    """Take a person off a project's team."""
    desk.detach(principal, project_id, person_id)
    return Recorded()
