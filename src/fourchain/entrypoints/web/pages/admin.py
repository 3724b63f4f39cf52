"""Administration pages: the audit log and the accounts (bureau administrators only)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fourchain.domain.accounts import ROLE_LABELS, Role, parse_role
from fourchain.domain.audit import Action, Result
from fourchain.domain.market import Party, PartyKind
from fourchain.entrypoints.web.audit_details import audit_object, describe, organisations_in
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep, client_address, utc_now
from fourchain.entrypoints.web.forms import Form, done, typed
from fourchain.entrypoints.web.i18n import request_locale
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.tables import DirParam, Sorting, SortParam, sorting
from fourchain.entrypoints.web.templating import render
from fourchain.errors import Conflict, InvalidInput
from fourchain.services.accounts import Caller
from fourchain.services.audit import AUDIT_SORTS, AuditFilter
from fourchain.services.choices import organisation_named

router = APIRouter(prefix="/admin", include_in_schema=False)

Text = Annotated[str, Query(max_length=80)]
NEWEST_FIRST = Sorting("seq", descending=True)
ROLES = {role.value: ROLE_LABELS[role] for role in Role}


@router.get("/audit")
def audit_log(
    request: Request,
    services: ServicesDep,
    username: Text = "",
    action: Text = "",
    result: Text = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    sort: SortParam = "",
    dir: DirParam = "",
) -> Response:
    order = sorting(sort, dir, AUDIT_SORTS, NEWEST_FIRST)
    where = AuditFilter(username.strip(), action, result, order.key, order.descending)
    log = services.auth.audit.browse(where, page)
    named = _organisation_names(
        services, [o for entry in log.items for o in organisations_in(entry.event.detail)]
    )
    context = {
        "order": order,
        "describe": partial(describe, locale=request_locale(request), names=named),
        "audit_object": partial(audit_object, locale=request_locale(request)),
        "log": log,
        "where": where,
        "actions": [a.value for a in Action],
        "results": [r.value for r in Result],
        "verification": services.auth.audit.verify()
        if request.query_params.get("verify")
        else None,
    }
    return render(request, "admin/audit.html", context, active="admin")


def _organisation_names(
    services: ServicesDep, codes: list[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """The names of the organisations given as (kind, code), by the same key."""
    parties = [Party(PartyKind(kind), code) for kind, code in codes]
    found = services.market.records.party_names(parties)
    return {(party.kind.value, party.id): name for party, name in found.items()}


def _caller(request: Request, principal: CurrentPrincipal) -> Caller:
    return Caller(principal.username, client_address(request))


USER_FIELDS = ("username", "password", "role", "enterprise", "institution")
USER_LIMITS = {"username": 80, "password": 1000, "role": 30, "enterprise": 200, "institution": 200}


def _users_page(request: Request, services: ServicesDep, form: Form | None = None) -> Response:
    form = form or Form.blank(USER_FIELDS, key="new", role=Role.ENTERPRISE_USER.value)
    accounts = services.auth.accounts.everyone()
    bindings = [
        (kind, code)
        for a in accounts
        for kind, code in (("enterprise", a.enterprise), ("institution", a.institution))
        if code
    ]
    context = {
        "accounts": accounts,
        "bound_names": _organisation_names(services, bindings),
        "roles": ROLES,
        "form": form,
        "row_form": form if form.key.startswith("row") else None,
        "new_form": form if form.key == "new" else Form.blank(USER_FIELDS, key="new"),
    }
    return render(request, "admin/users.html", context, status_code=form.status, active="admin")


def _binding(services: ServicesDep, form: Form) -> tuple[str | None, str | None]:
    """The enterprise and the institution an account is bound to, chosen by name."""
    views = services.registry.views
    enterprise = institution = None
    if form.stripped("enterprise"):
        kinds = (PartyKind.ENTERPRISE,)
        enterprise = organisation_named(views, form["enterprise"], "enterprise", kinds).id
    if form.stripped("institution"):
        kinds = (PartyKind.INSTITUTION,)
        institution = organisation_named(views, form["institution"], "institution", kinds).id
    return enterprise, institution


def _refused_account(
    request: Request, services: ServicesDep, form: Form, save: Callable[[], object]
) -> Response:
    try:
        save()
    except (InvalidInput, Conflict) as refused:
        return _users_page(request, services, form.refuse(refused, guess=True))
    return done(request, "/admin/users", N_("The account was saved."))


@router.get("/users")
def users(request: Request, services: ServicesDep) -> Response:
    return _users_page(request, services)


@router.post("/users")
def create_user(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    form: Annotated[Form, typed(USER_FIELDS, USER_LIMITS, key="new")],
) -> Response:
    def save() -> None:
        enterprise, institution = _binding(services, form)
        services.auth.accounts.create(
            form.stripped("username"),
            form["password"],
            parse_role(form["role"]),
            utc_now(),
            enterprise=enterprise,
            institution=institution,
            caller=_caller(request, principal),
        )

    if form.refused:
        return _users_page(request, services, form)
    return _refused_account(request, services, form, save)


@router.post("/users/{user_id}/role")
def change_role(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    user_id: int,
    form: Annotated[Form, typed(USER_FIELDS, USER_LIMITS, key="row")],
) -> Response:
    form.key = f"row{user_id}"

    def save() -> None:
        enterprise, institution = _binding(services, form)
        services.auth.accounts.change_role(
            user_id,
            parse_role(form["role"]),
            utc_now(),
            enterprise=enterprise,
            institution=institution,
            caller=_caller(request, principal),
        )

    if form.refused:
        return _users_page(request, services, form)
    return _refused_account(request, services, form, save)
