"""The bureau's forms for the pipeline's records: a new incubation project (it then enters
its first stage from its page, through the gates) and a new person of the talent chain. Bureau
staff only; each record commits with its audit entry; a refused submit shows the same form
with what was typed and the reason beside its field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fourchain.domain.pipeline import Project
from fourchain.domain.talent import Person
from fourchain.entrypoints.web.date_fields import a_day
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep, utc_now
from fourchain.entrypoints.web.forms import Form, done, submit, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput
from fourchain.services.pipeline import add_person, create_project

router = APIRouter(include_in_schema=False)

PROJECT_FIELDS = ("id", "title", "summary", "cluster", "chain", "origin_institution", "created_on")
PROJECT_LIMITS = {"id": 40, "title": 300, "cluster": 50, "chain": 50, "origin_institution": 40}
PERSON_FIELDS = ("id", "name", "affiliation", "expertise", "email")
PERSON_LIMITS = {"id": 40, "name": 100, "affiliation": 200, "expertise": 200, "email": 200}
TypedProject = Annotated[Form, typed(PROJECT_FIELDS, PROJECT_LIMITS | {"created_on": 20})]
TypedPerson = Annotated[Form, typed(PERSON_FIELDS, PERSON_LIMITS)]


def _page(request: Request, template: str, form: Form, **extra: Any) -> Response:
    context = {"form": form, **extra}
    return render(request, template, context, status_code=form.status, active="pipeline")


def _clusters(services: ServicesDep) -> list[tuple[str, Any]]:
    return [(key, (zh, en)) for key, zh, en in services.registry.views.clusters()]


def _required(form: Form, name: str) -> str:
    if not form.stripped(name):
        raise InvalidInput(f"{name}: 必填 (required)")
    return form.stripped(name)


def _project(form: Form) -> Project:
    text = form.stripped("created_on")
    created = a_day(text, "created_on") if text else utc_now().date()
    return Project(
        _required(form, "id"),
        _required(form, "title"),
        created,
        "",
        form.stripped("cluster") or None,
        form.stripped("chain") or None,
        form.stripped("origin_institution") or None,
        form.stripped("summary") or None,
    )


@router.get("/pipeline/new-project")
def new_project(request: Request, services: ServicesDep) -> Response:
    form = Form.blank(PROJECT_FIELDS)
    return _page(request, "pipeline/project_form.html", form, clusters=_clusters(services))


@router.post("/pipeline/new-project")
def create(
    request: Request, services: ServicesDep, principal: CurrentPrincipal, form: TypedProject
) -> Response:
    def save() -> str:
        with services.pipeline.writing() as unit:
            made = create_project(unit.pipeline, principal, _project(form), unit.audit)
        services.data_changed()
        return made.id

    def show(refused: Form) -> Response:
        clusters = _clusters(services)
        return _page(request, "pipeline/project_form.html", refused, clusters=clusters)

    def saved(project_id: str) -> Response:
        message = N_("The incubation project was created.")
        return done(request, f"/pipeline/projects/{project_id}", message)

    return submit(form, save, show, saved)


@router.get("/pipeline/people/new")
def new_person(request: Request) -> Response:
    return _page(request, "pipeline/person_form.html", Form.blank(PERSON_FIELDS))


@router.post("/pipeline/people/new")
def create_person(
    request: Request, services: ServicesDep, principal: CurrentPrincipal, form: TypedPerson
) -> Response:
    def save() -> None:
        person = Person(
            _required(form, "id"),
            _required(form, "name"),
            form.stripped("affiliation") or None,
            form.stripped("expertise") or None,
            form.stripped("email") or None,
        )
        with services.pipeline.writing() as unit:
            add_person(unit.pipeline, principal, person, unit.audit)

    def show(refused: Form) -> Response:
        return _page(request, "pipeline/person_form.html", refused)

    def saved(_: None) -> Response:
        return done(request, "/pipeline", N_("The person was added."))

    return submit(form, save, show, saved)
