"""Administration pages: the audit log and the accounts (bureau administrators only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from fourchain.domain.accounts import ROLE_LABELS, Role, parse_role
from fourchain.domain.audit import Action, Result
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep, client_address, utc_now
from fourchain.entrypoints.web.errors import status_for
from fourchain.entrypoints.web.templating import render
from fourchain.errors import FourchainError
from fourchain.services.accounts import Caller
from fourchain.services.audit import AuditFilter

router = APIRouter(prefix="/admin", include_in_schema=False)

Text = Annotated[str, Query(max_length=80)]
ROLES = {role.value: ROLE_LABELS[role] for role in Role}


@router.get("/audit")
def audit_log(
    request: Request,
    services: ServicesDep,
    username: Text = "",
    action: Text = "",
    result: Text = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    where = AuditFilter(username.strip(), action, result)
    context = {
        "log": services.auth.audit.browse(where, page),
        "where": where,
        "actions": [a.value for a in Action],
        "results": [r.value for r in Result],
        "verification": services.auth.audit.verify()
        if request.query_params.get("verify")
        else None,
    }
    return render(request, "admin/audit.html", context, active="admin")


def _caller(request: Request, principal: CurrentPrincipal) -> Caller:
    return Caller(principal.username, client_address(request))


def _users_page(
    request: Request, services: ServicesDep, error: str = "", status: int = 200
) -> Response:
    context = {"accounts": services.auth.accounts.everyone(), "roles": ROLES, "error": error}
    return render(request, "admin/users.html", context, status_code=status, active="admin")


@router.get("/users")
def users(request: Request, services: ServicesDep) -> Response:
    return _users_page(request, services)


@router.post("/users")
def create_user(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=30)],
    enterprise: Annotated[str, Form(max_length=18)] = "",
    institution: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        services.auth.accounts.create(
            username,
            password,
            parse_role(role),
            utc_now(),
            enterprise=enterprise.strip() or None,
            institution=institution.strip() or None,
            caller=_caller(request, principal),
        )
    except FourchainError as refused:
        return _users_page(request, services, refused.message, status=status_for(refused))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}/role")
def change_role(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    user_id: int,
    role: Annotated[str, Form(max_length=30)],
    enterprise: Annotated[str, Form(max_length=18)] = "",
    institution: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        services.auth.accounts.change_role(
            user_id,
            parse_role(role),
            utc_now(),
            enterprise=enterprise.strip() or None,
            institution=institution.strip() or None,
            caller=_caller(request, principal),
        )
    except FourchainError as refused:
        if refused.code == "not_found":
            raise
        return _users_page(request, services, refused.message, status=status_for(refused))
    return RedirectResponse("/admin/users", status_code=303)
