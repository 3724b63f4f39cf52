"""An incubation project's corrections in the browser, for bureau administrators (linked from
the project's page): its edit form, its withdrawal (asked once more, with a reason for the audit
log), and its team: a person attached with a role from a day, or recorded as having left (the
row stays, so the team's history does; someone who left may be attached again). The pipeline
desk checks the role and writes each change with its audit entry; a refused submit shows the
same form with what was typed and the reason beside its field."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from fourchain.domain.talent import PROJECT_ROLE_LABELS
from fourchain.entrypoints.web.api.pipeline import ProjectId
from fourchain.entrypoints.web.date_fields import a_day
from fourchain.entrypoints.web.deps import AskerDep, CurrentPrincipal, ServicesDep, utc_now
from fourchain.entrypoints.web.forms import Ask, Form, confirmation, confirmed, done, submit, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.pipeline import ATTACH_FIELDS, project_page
from fourchain.entrypoints.web.templating import render
from fourchain.entrypoints.web.withdrawals import Withdrawal, withdrawal
from fourchain.errors import FourchainError, InvalidInput
from fourchain.services.pipeline_desk import ProjectTerms

router = APIRouter(prefix="/pipeline/projects", include_in_schema=False)

PersonKey = Annotated[str, Path(max_length=40)]
FIELDS = ("title", "summary", "cluster", "chain", "origin_institution")
LIMITS = {"title": 300, "summary": 5000, "cluster": 50, "chain": 50, "origin_institution": 40}
Typed = Annotated[Form, typed(FIELDS, LIMITS)]
Attaching = Annotated[
    Form, typed(ATTACH_FIELDS, {"person_id": 100, "role": 30, "joined": 20}, key="a")
]
Detaching = Annotated[Form, typed(("confirmed",))]
WITHDRAW_MSGIDS = (
    N_("Withdraw this incubation project?"),
    N_(
        "The project leaves the pipeline board, the funnel and the lists at once and can no "
        "longer be moved; its page, its history and the day it was withdrawn are kept, and the "
        "audit log says who and why."
    ),
    N_("Reason for the withdrawal (recorded in the audit log)"),
)


def _page(request: Request, project_id: str, form: Form, services: ServicesDep) -> Response:
    clusters = [(key, (zh, en)) for key, zh, en in services.registry.views.clusters()]
    context: dict[str, Any] = {"form": form, "project_id": project_id, "clusters": clusters}
    return render(
        request, "pipeline/project_edit.html", context, status_code=form.status, active="pipeline"
    )


def _terms(form: Form) -> ProjectTerms:
    title = form.stripped("title")
    if not title:
        raise InvalidInput("title: 必填 (required)")
    return ProjectTerms(
        title,
        form.stripped("summary") or None,
        form.stripped("cluster") or None,
        form.stripped("chain") or None,
        form.stripped("origin_institution") or None,
    )


def _back(project_id: str) -> str:
    return f"/pipeline/projects/{project_id}"


@router.get("/{project_id}/edit")
def edit_form(request: Request, services: ServicesDep, project_id: ProjectId) -> Response:
    found = services.pipeline_desk.record("pipeline_projects", project_id)
    values = {k: "" if found.get(k) is None else str(found[k]) for k in FIELDS}
    return _page(request, project_id, Form.blank(FIELDS, **values), services)


@router.post("/{project_id}/edit")
def edit(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    project_id: ProjectId,
    form: Typed,
) -> Response:
    def save() -> None:
        services.pipeline_desk.edit_project(principal, project_id, _terms(form))

    def saved(_: None) -> Response:
        services.data_changed()
        return done(request, _back(project_id), N_("The incubation project was saved."))

    return submit(form, save, lambda refused: _page(request, project_id, refused, services), saved)


@router.post("/{project_id}/withdraw")
def withdraw(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    project_id: ProjectId,
    form: Withdrawal,
) -> Response:
    found = services.pipeline_desk.record("pipeline_projects", project_id)  # 404, or 409
    title, what_happens, reason = WITHDRAW_MSGIDS
    back = _back(project_id)
    ask = Ask(
        title,
        what_happens,
        N_("Withdraw"),
        f"{back}/withdraw",
        back,
        str(found["title"]),
        reason=reason,
    )

    def run(why: str) -> None:
        services.pipeline_desk.withdraw(principal, "pipeline_projects", project_id, why)

    then = (back, N_("The incubation project was withdrawn."))
    return withdrawal(request, form, ask, run, then, services.data_changed)


def _joined(form: Form) -> date:
    text = form.stripped("joined")
    return a_day(text, "joined") if text else utc_now().date()


@router.post("/{project_id}/people")
def attach(
    request: Request,
    services: ServicesDep,
    viewer: AskerDep,
    project_id: ProjectId,
    form: Attaching,
) -> Response:
    desk = services.pipeline_desk

    def save() -> None:
        person_id = desk.person_named(form["person_id"])
        role = form.stripped("role")
        if role not in {r.value for r in PROJECT_ROLE_LABELS}:
            raise InvalidInput("role: 请选择角色 (choose a role)")
        desk.attach(viewer.principal, project_id, person_id, role, _joined(form))

    def show(refused: Form) -> Response:
        return project_page(request, project_id, services, viewer, attach=refused)

    def saved(_: None) -> Response:
        services.data_changed()
        return done(request, _back(project_id), N_("The person was put on the team."))

    return submit(form, save, show, saved)


def _person_name(services: ServicesDep, person_id: str) -> str:
    try:
        return str(services.pipeline_desk.record("people", person_id)["name"])
    except FourchainError:  # unknown or withdrawn: the confirmed step says so
        return person_id


@router.post("/{project_id}/people/{person_id}/detach")
def detach(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    project_id: ProjectId,
    person_id: PersonKey,
    form: Detaching,
) -> Response:
    back = _back(project_id)
    if not confirmed(form):  # asked once more, saying what will happen
        ask = Ask(
            N_("Take this person off the team?"),
            N_(
                "Today is recorded as the day they left the project; the team's history keeps "
                "them, and they may be put on the team again later."
            ),
            N_("Take off the team"),
            f"{back}/people/{person_id}/detach",
            back,
            subject=_person_name(services, person_id),
        )
        return confirmation(request, ask)
    services.pipeline_desk.detach(principal, project_id, person_id)
    services.data_changed()
    return done(request, back, N_("The person left the team."))
