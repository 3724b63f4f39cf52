"""The app factory: routers of every area, static files, the access guard and the error map."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import RouteContext, iter_route_contexts
from fastapi.staticfiles import StaticFiles
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fourchain.bootstrap import Database, Services
from fourchain.bootstrap.serving import settle_heap
from fourchain.config import Settings, get_settings
from fourchain.entrypoints.web import errors
from fourchain.entrypoints.web.access import access_for, route_key
from fourchain.entrypoints.web.areas import ROUTERS
from fourchain.entrypoints.web.deps import (
    SESSION_COOKIE,
    RouteNotClassified,
    enforce_access,
    utc_now,
)
from fourchain.entrypoints.web.guards import BodyLimit, HeadAsGet
from fourchain.entrypoints.web.templating import STATIC

SWAGGER = "/static/vendor/swagger-ui-5.35.0"
# Pages run no inline script and load nothing from elsewhere; ECharts sets inline styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)
# Swagger UI's page starts itself with one inline script.
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeaders:
    """Pure ASGI middleware: security headers on every answer, and a stale session cookie
    removed from the browser."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = {
                    b"content-security-policy": CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"same-origin",
                    b"x-frame-options": b"DENY",
                }
                headers += [(k, v) for k, v in extra.items() if k not in present]
                if scope.get("state", {}).get("stale_session"):
                    headers.append(
                        (b"set-cookie", f"{SESSION_COOKIE}=; Max-Age=0; Path=/".encode())
                    )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class FourchainApp(FastAPI):
    """FastAPI with the guards outside its error handler: Starlette puts user middleware
    inside the handler of unexpected errors, so a 500 answer would go out without the
    security headers, and an oversized body would reach it."""

    limits: tuple[int, int] = (20 * 1024 * 1024, 64 * 1024)

    def build_middleware_stack(self) -> ASGIApp:
        inner = BodyLimit(super().build_middleware_stack(), *self.limits)
        return SecurityHeaders(HeadAsGet(inner))


def _route_keys(route: RouteContext) -> list[str]:
    if isinstance(route.original_route, Mount):
        return [route_key("GET", str(route.path))]
    if isinstance(route.original_route, Route):
        methods = sorted((route.methods or {"GET"}) - {"HEAD"})
        return [route_key(method, str(route.path_format)) for method in methods]
    return []


def served_route_keys(app: FastAPI) -> list[str]:
    """ "METHOD /path" of every route the app serves, included routers flattened (FastAPI
    keeps them as lazy wrappers in app.router.routes)."""
    return [key for ctx in iter_route_contexts(app.router.routes) for key in _route_keys(ctx)]


def unclassified_routes(app: FastAPI) -> list[str]:
    """Routes that access.ROUTE_ACCESS does not classify (none may be served)."""
    missing = []
    for key in served_route_keys(app):
        method, path = key.split(" ", 1)
        if access_for(method, path) is None:
            missing.append(key)
    return missing


def _threads(count: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The lifespan that sizes the thread pool running sync handlers (per event loop, so set
    when the server's loop starts)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = count
        yield

    return lifespan


def create_app(
    database: Database, settings: Settings | None = None, *, serving: bool = False
) -> FastAPI:
    """The platform's web app over `database`. Refuses to build with an unclassified route
    or, outside development, with the default secret. `serving`: the app of a server process
    (`fourchain serve`), which settles its heap after each matching-index load."""
    settings = (settings or get_settings()).check()
    app = FourchainApp(
        lifespan=_threads(settings.fourchain_web_threads),
        title="fourchain",
        summary="城市科技创新体系平台 A city's science-and-technology innovation platform",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(enforce_access)],
    )
    app.state.services = Services(
        database,
        settings,
        today=lambda: utc_now().date(),
        after_index_load=settle_heap if serving else None,
    )
    app.limits = (settings.fourchain_max_body_bytes, settings.fourchain_max_anonymous_body_bytes)
    app.state.nav_served = {}
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="fourchain API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )
        page.headers["content-security-policy"] = DOCS_CSP
        return page

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    missing = unclassified_routes(app)
    if missing:
        raise RouteNotClassified(
            "routes missing from entrypoints/web/access.py ROUTE_ACCESS: " + ", ".join(missing)
        )
    return app
