"""The market's demand form (publish and edit) and the withdraw buttons of demands and
achievements. A refused submit shows the form again with what was typed and the reason beside
its field, never a bare error page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fourchain.domain.market import Demand, Party, PartyKind, Viewer
from fourchain.entrypoints.web.deps import ServicesDep, utc_now
from fourchain.entrypoints.web.forms import Form, done, submit, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.market import (
    Id,
    RecordsDep,
    ViewerDep,
    common,
    may_change,
    money,
    records_changed,
    see_other,
)
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput, PermissionDenied
from fourchain.services.choices import organisation_named

router = APIRouter(prefix="/market", include_in_schema=False)

DEMAND_FIELDS = (
    "credit_code",
    "problem",
    "description",
    "field",
    "cluster",
    "budget",
    "deadline",
    "confidential",
)
DEMAND_LIMITS = {"credit_code": 200, "problem": 300, "field": 100, "budget": 20, "deadline": 20}
TypedDemand = Annotated[Form, typed(DEMAND_FIELDS, DEMAND_LIMITS)]


def _demand_form(
    request: Request, services: ServicesDep, viewer: Viewer, form: Form, *, action: str
) -> Response:
    context = common(services) | {
        "own_enterprise": viewer.party.id if viewer.party else "",
        "form": form,
        "action": action,
        "editing": action != "/market/demands",
    }
    return render(
        request, "market/demand_form.html", context, status_code=form.status, active="market"
    )


def _parse_demand(services: ServicesDep, viewer: Viewer, v: Form) -> Demand:
    try:
        deadline = date.fromisoformat(v["deadline"].strip().replace("/", "-"))
    except ValueError:
        raise InvalidInput(
            f"demand.deadline: 日期应如 2025-06-30 (a date like 2025-06-30, not {v['deadline']!r})"
        ) from None
    budget = money(v["budget"], "demand.budget")
    if viewer.party:
        credit_code = viewer.party.id
    else:
        views = services.registry.views
        kinds = (PartyKind.ENTERPRISE,)
        credit_code = organisation_named(views, v["credit_code"], "credit_code", kinds).id
    return Demand(
        credit_code=credit_code,
        problem=v["problem"].strip(),
        description=v["description"].strip(),
        field=v["field"].strip(),
        budget=0.0 if budget is None else budget,
        deadline=deadline,
        published=utc_now().date(),
        confidential=v.get("confidential") == "true",
        cluster=v["cluster"] or None,
    )


@router.get("/demands/new")
def demand_form(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    form = Form.blank(DEMAND_FIELDS)
    return _demand_form(request, services, viewer, form, action="/market/demands")


@router.post("/demands")
def publish_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    form: TypedDemand,
) -> Response:
    def save() -> int:
        return records.publish_demand(viewer, _parse_demand(services, viewer, form))

    return _submit_demand(request, services, viewer, form, "/market/demands", save)


@router.get("/demands/{demand_id}/edit")
def edit_demand_form(
    request: Request, services: ServicesDep, viewer: ViewerDep, records: RecordsDep, demand_id: Id
) -> Response:
    found, _ = records.demand(viewer, demand_id)
    if not may_change(viewer, Party(PartyKind.ENTERPRISE, found.credit_code)):
        raise PermissionDenied(f"只能修改本企业的需求 (not your enterprise's demand {demand_id})")
    form = Form.blank(
        DEMAND_FIELDS,
        problem=found.problem,
        description=found.description,
        field=found.field,
        budget=f"{found.budget:g}",
        deadline=found.deadline.isoformat(),
        cluster=found.cluster or "",
        credit_code=found.credit_code,
        confidential="true" if found.confidential else "",
    )
    action = f"/market/demands/{demand_id}/edit"
    return _demand_form(request, services, viewer, form, action=action)


@router.post("/demands/{demand_id}/edit")
def edit_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    demand_id: Id,
    form: TypedDemand,
) -> Response:
    def save() -> int:
        records.edit_demand(viewer, demand_id, _parse_demand(services, viewer, form))
        return demand_id

    action = f"/market/demands/{demand_id}/edit"
    return _submit_demand(request, services, viewer, form, action, save)


def _submit_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Form,
    action: str,
    save: Callable[[], int],
) -> Response:
    """Save the typed demand, or show the same form again with what was typed and the error
    beside its field."""

    def saved(demand_id: int) -> Response:
        records_changed(services)  # an enterprise is matched by its public demands
        edited = action.endswith("/edit")
        message = N_("The demand was saved.") if edited else N_("The demand was published.")
        return done(request, f"/market/demands/{demand_id}", message)

    def show(refused: Form) -> Response:
        return _demand_form(request, services, viewer, refused, action=action)

    return submit(form, save, show, saved)


@router.post("/demands/{demand_id}/withdraw")
def withdraw_demand(
    services: ServicesDep, viewer: ViewerDep, records: RecordsDep, demand_id: Id
) -> Response:
    records.withdraw_demand(viewer, demand_id)
    records_changed(services)
    return see_other("/market/demands")


@router.post("/achievements/{achievement_id}/withdraw")
def withdraw_achievement(
    services: ServicesDep, viewer: ViewerDep, records: RecordsDep, achievement_id: Id
) -> Response:
    records.withdraw_achievement(viewer, achievement_id)
    records_changed(services)
    return see_other("/market/achievements")
