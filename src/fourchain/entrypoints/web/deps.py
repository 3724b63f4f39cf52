"""Typed dependencies: the services, the clock, who is asking, and the app-wide access guard."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from functools import partial
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from starlette.routing import Match

from fourchain.bootstrap import Services
from fourchain.domain.accounts import ANONYMOUS, Principal
from fourchain.domain.audit import Action, Result
from fourchain.domain.market import Viewer
from fourchain.entrypoints.web.access import Access, access_for
from fourchain.errors import AuthenticationFailed, FourchainError, PermissionDenied
from fourchain.services.accounts import BEARER, BROWSER
from fourchain.services.market import market_viewer
from fourchain.services.registry_views import Asker

SESSION_COOKIE = "fc_session"
CSRF_COOKIE = "fc_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


class RouteNotClassified(FourchainError):
    """A route that is missing from access.ROUTE_ACCESS: refused, never served."""

    code = "route_not_classified"


# The cheap dependencies are `async def`: a plain `def` would cost each request a hop to the
# thread pool; only the database lookups below go there.
async def get_services(request: Request) -> Services:
    """The app's one container of services (`bootstrap.Services`), built with the app."""
    services: Services = request.app.state.services
    # Another process's write (a CLI import, another server process) shows at once, not after
    # a cache's time to live: the stamp is read at most once a second, in the thread pool.
    if services.follow_due():
        await run_in_threadpool(services.follow_writes)
    return services


def utc_now() -> datetime:
    """The one clock of the web app (tests freeze it with time-machine)."""
    return datetime.now(UTC)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def route_access(request: Request) -> Access:
    route = request.scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    access = access_for(request.method, str(path)) if path else None
    if access is None:
        raise RouteNotClassified(f"route {request.method} {path} is not classified")
    return access


async def resolve_principal(
    request: Request,
    token: Annotated[str | None, Depends(oauth2)],
    services: Annotated[Services, Depends(get_services)],
) -> Principal:
    """Who is asking: a bearer token (API clients) or the session cookie (browsers). A bad
    bearer token is refused outright; a stale cookie just means the anonymous public."""
    now = utc_now()
    lookup = services.auth.accounts.principal_for
    if token:
        principal = await run_in_threadpool(lookup, token, BEARER, now)
        if principal is None:
            raise AuthenticationFailed("the token is invalid or has expired")
        request.state.via_bearer = True
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        found = await run_in_threadpool(lookup, cookie, BROWSER, now) if cookie else None
        principal = found or ANONYMOUS
        request.state.via_bearer = False
        request.state.stale_session = bool(cookie) and found is None
    request.state.principal = principal
    return principal


def csrf_token_for(request: Request, secret: str) -> str:
    """The form token of this browser: an HMAC of its CSRF cookie (set by the page renderer)."""
    seed = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", "")
    if not seed:
        seed = secrets.token_urlsafe(24)
        request.state.new_csrf_cookie = seed
    return hmac.new(secret.encode(), f"csrf|{seed}".encode(), hashlib.sha256).hexdigest()


async def _submitted_csrf(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if "form" in content_type:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def enforce_access(
    request: Request,
    principal: Annotated[Principal, Depends(resolve_principal)],
    services: Annotated[Services, Depends(get_services)],
) -> None:
    """The app-wide guard, run before every route: the route's class from access.py, then CSRF
    on every unsafe request a browser cookie could have sent."""
    access = route_access(request)
    if not access.allows(principal.role, principal.signed_in):
        if not principal.signed_in:
            raise AuthenticationFailed("sign in to continue")
        await run_in_threadpool(
            partial(
                services.auth.audit.record,
                utc_now(),
                Action.ACCESS_REFUSED,
                Result.REFUSED,
                username=principal.username,
                address=client_address(request),
                object=f"{request.method} {request.url.path}"[:200],
                detail=f"needs {access.name}",
            )
        )
        raise PermissionDenied("your role may not use this page")
    if request.method in _SAFE_METHODS or not access.csrf or request.state.via_bearer:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    expected = csrf_token_for(request, services.settings.fourchain_secret_key) if cookie else ""
    submitted = await _submitted_csrf(request)
    if not expected or not hmac.compare_digest(expected, submitted):
        raise PermissionDenied("the form has expired or did not come from this site; reload it")


def current_route_matches(request: Request, path: str) -> bool:
    """Whether `path` is served by some route of this app (for the navigation)."""
    scope = {"type": "http", "path": path, "method": "GET"}
    return any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes)


async def current_asker(
    request: Request, principal: Annotated[Principal, Depends(resolve_principal)]
) -> Asker:
    """Who asks, from where and when (the registry's and cultivation's reads)."""
    return Asker(principal, client_address(request), utc_now())


def current_viewer(principal: Annotated[Principal, Depends(resolve_principal)]) -> Viewer:
    """The signed-in account (or the public) as the market's and programmes' rules see it."""
    return market_viewer(principal)


ServicesDep = Annotated[Services, Depends(get_services)]
CurrentPrincipal = Annotated[Principal, Depends(resolve_principal)]
AskerDep = Annotated[Asker, Depends(current_asker)]
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
