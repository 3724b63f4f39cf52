"""Incubation projects and people through the API, for the bureau's staff: create a project,
move it through its next gate with evidence files (the same state machine and gates as
`pipeline advance` and the project page), register a person. Each change commits with its
audit entry."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, Field

from fourchain.domain.accounts import Role
from fourchain.domain.files import upload_name
from fourchain.domain.pipeline import Project
from fourchain.domain.talent import Person
from fourchain.entrypoints.web.api.common import ERRORS, NO_NUL
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
