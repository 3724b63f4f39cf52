"""The market's demand form (publish and edit) and the withdraw buttons of demands and
achievements. A refused submit shows the form again with what was typed and the reason beside
its field, never a bare error page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from fourchain.domain.market import Demand, Party, PartyKind, Viewer
from fourchain.entrypoints.web.deps import ServicesDep, utc_now
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
from fourchain.errors import FourchainError, InvalidInput, PermissionDenied

router = APIRouter(prefix="/market", include_in_schema=False)

DEMAND_FIELDS = ("credit_code", "problem", "description", "field", "cluster", "budget", "deadline")
Typed = Annotated[str, Form(max_length=5000)]


def field_of(error: FourchainError, fields: tuple[str, ...]) -> str:
    """The form field an error names (`demand.deadline: …` → deadline), or "" for the form."""
    head = error.message.split(":", 1)[0].rsplit(".", 1)[-1].strip()
    return head if head in fields else ""


def _demand_form(
    request: Request,
    services: ServicesDep,
    viewer: Viewer,
    values: dict[str, str],
    *,
    action: str,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = common(services) | {
        "own_enterprise": viewer.party.id if viewer.party else "",
        "v": values,
        "errors": errors or {},
        "action": action,
        "editing": action != "/market/demands",
    }
    return render(
        request, "market/demand_form.html", context, status_code=status_code, active="market"
    )


def _parse_demand(viewer: Viewer, v: dict[str, str]) -> Demand:
    try:
        deadline = date.fromisoformat(v["deadline"].strip().replace("/", "-"))
    except ValueError:
        raise InvalidInput(
            f"demand.deadline: 日期应如 2025-06-30 (a date like 2025-06-30, not {v['deadline']!r})"
        ) from None
    budget = money(v["budget"], "demand.budget")
    return Demand(
        credit_code=viewer.party.id if viewer.party else v["credit_code"].strip(),
        problem=v["problem"].strip(),
        description=v["description"].strip(),
        field=v["field"].strip(),
        budget=0.0 if budget is None else budget,
        deadline=deadline,
        published=utc_now().date(),
        confidential=v.get("confidential") == "true",
        cluster=v["cluster"] or None,
    )


def _typed(
    problem: str,
    description: str,
    field: str,
    budget: str,
    deadline: str,
    cluster: str,
    credit_code: str,
    confidential: str,
) -> dict[str, str]:
    return {
        "problem": problem,
        "description": description,
        "field": field,
        "budget": budget,
        "deadline": deadline,
        "cluster": cluster,
        "credit_code": credit_code,
        "confidential": confidential,
    }


@router.get("/demands/new")
def demand_form(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    empty = dict.fromkeys(DEMAND_FIELDS, "")
    return _demand_form(request, services, viewer, empty, action="/market/demands")


@router.post("/demands")
def publish_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    problem: Typed = "",
    description: Typed = "",
    field: Typed = "",
    budget: Typed = "",
    deadline: Typed = "",
    cluster: Typed = "",
    credit_code: Typed = "",
    confidential: Typed = "",
) -> Response:
    v = _typed(problem, description, field, budget, deadline, cluster, credit_code, confidential)

    def save() -> int:
        return records.publish_demand(viewer, _parse_demand(viewer, v))

    return _submit_demand(request, services, viewer, v, "/market/demands", save)


@router.get("/demands/{demand_id}/edit")
def edit_demand_form(
    request: Request, services: ServicesDep, viewer: ViewerDep, records: RecordsDep, demand_id: Id
) -> Response:
    found, _ = records.demand(viewer, demand_id)
    if not may_change(viewer, Party(PartyKind.ENTERPRISE, found.credit_code)):
        raise PermissionDenied(f"只能修改本企业的需求 (not your enterprise's demand {demand_id})")
    v = {
        "problem": found.problem,
        "description": found.description,
        "field": found.field,
        "budget": f"{found.budget:g}",
        "deadline": found.deadline.isoformat(),
        "cluster": found.cluster or "",
        "credit_code": found.credit_code,
        "confidential": "true" if found.confidential else "",
    }
    return _demand_form(request, services, viewer, v, action=f"/market/demands/{demand_id}/edit")


@router.post("/demands/{demand_id}/edit")
def edit_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    demand_id: Id,
    problem: Typed = "",
    description: Typed = "",
    field: Typed = "",
    budget: Typed = "",
    deadline: Typed = "",
    cluster: Typed = "",
    credit_code: Typed = "",
    confidential: Typed = "",
) -> Response:
    v = _typed(problem, description, field, budget, deadline, cluster, credit_code, confidential)

    def save() -> int:
        records.edit_demand(viewer, demand_id, _parse_demand(viewer, v))
        return demand_id

    return _submit_demand(request, services, viewer, v, f"/market/demands/{demand_id}/edit", save)


def _submit_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    v: dict[str, str],
    action: str,
    save: Callable[[], int],
) -> Response:
    """Save the typed demand, or show the same form again with what was typed and the error
    beside its field."""
    try:
        saved = save()
    except InvalidInput as refused:
        errors = {field_of(refused, DEMAND_FIELDS): refused.message}
        return _demand_form(
            request, services, viewer, v, action=action, errors=errors, status_code=422
        )
    records_changed(services)  # an enterprise is matched by its public demands
    return see_other(f"/market/demands/{saved}")


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
