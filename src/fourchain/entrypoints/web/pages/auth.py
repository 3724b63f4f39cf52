"""Sign-in, sign-out and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fourchain.domain.audit import Action, Result
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.deps import (
    SESSION_COOKIE,
    CurrentPrincipal,
    ServicesDep,
    client_address,
    utc_now,
)
from fourchain.entrypoints.web.forms import Form, done, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.templating import render
from fourchain.errors import AuthenticationFailed
from fourchain.services.accounts import BROWSER

router = APIRouter(include_in_schema=False)
WORKSPACE = "/workspace"
_REQUIRED = {
    "username": "username: 请输入用户名 (enter your username)",
    "password": "password: 请输入密码 (enter your password)",
}


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


LOGIN_FIELDS = ("username", "password", "next")
LOGIN_LIMITS = {"username": 200, "password": 1000, "next": 2000}


def _login_page(request: Request, form: Form, failed: bool = False) -> Response:
    context = {"form": form, "next": safe_next(form["next"]), "failed": failed}
    status = 401 if failed else form.status
    return render(request, "auth/login.html", context, status_code=status)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return _login_page(request, Form.blank(LOGIN_FIELDS, next=next))


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    form: Annotated[Form, typed(LOGIN_FIELDS, LOGIN_LIMITS)],
) -> Response:
    now = utc_now()
    for name in ("username", "password"):
        if not form[name]:
            form.error(name, _REQUIRED[name])
    if form.refused:
        return _login_page(request, form)
    try:
        principal = services.auth.accounts.authenticate(
            form["username"], form["password"], now, client_address(request)
        )
    except AuthenticationFailed:
        # One message whatever the reason: the page must not tell which usernames exist.
        return _login_page(request, form, failed=True)
    token = services.auth.accounts.open_session(principal, BROWSER, now)
    # Without a page to return to, each role lands on its own workspace.
    target = safe_next(form["next"])
    target = WORKSPACE if target == "/" else target
    response = done(request, target, N_("Signed in as %(name)s."), name=principal.username)
    settings = services.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.fourchain_session_max_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.post("/logout")
def logout(request: Request, services: ServicesDep, principal: CurrentPrincipal) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        services.auth.accounts.close_session(token)
    services.auth.audit.record(
        utc_now(),
        Action.LOGOUT,
        Result.SUCCESS,
        username=principal.username,
        address=client_address(request),
        object=f"user:{principal.username}",
    )
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{code}")
def switch_language(code: str, next: str = "/") -> Response:
    """Remember the language in a cookie for a year and go back to the page."""
    locale = i18n.normalise(code) or i18n.DEFAULT_LOCALE
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(i18n.COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/healthz")
async def health() -> dict[str, str]:
    return {"status": "ok"}
