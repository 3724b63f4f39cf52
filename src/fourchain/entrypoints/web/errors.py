"""The one place where errors become HTTP answers: JSON for the API, a bilingual page otherwise.

No stack trace, SQL or file path ever reaches a client: an unexpected error is logged here
and answered with a fixed message.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from fourchain.errors import (
    AuthenticationFailed,
    Busy,
    Conflict,
    FourchainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionRefused,
)

log = logging.getLogger("fourchain.web")

# Most specific first: the first class an error is an instance of decides its status.
STATUS: list[tuple[type[FourchainError], int]] = [
    (NotFound, 404),
    (AuthenticationFailed, 401),
    (PermissionDenied, 403),
    (Conflict, 409),
    (TransitionRefused, 409),
    (InvalidInput, 422),
    (Busy, 503),
]

# What a person reads on the error page, in both languages at once.
PAGE_TEXT: dict[int, tuple[str, str]] = {
    400: ("请求有误", "The request could not be understood"),
    401: ("请先登录", "Please sign in"),
    403: ("无权访问", "You may not do this"),
    404: ("页面或对象不存在", "Not found"),
    405: ("不支持此操作", "This action is not supported here"),
    409: ("操作与现有数据冲突", "This conflicts with what is stored"),
    413: ("请求内容过大", "The request is larger than this server accepts"),
    422: ("输入有误", "Some input is not valid"),
    500: ("服务器出错，请稍后再试", "Something went wrong on our side; please try again later"),
    503: (
        "系统正忙（正在写入大批数据），请稍后再试",
        "The platform is busy writing a large batch; please try again shortly",
    ),
}


def status_for(error: FourchainError) -> int:
    for kind, status in STATUS:
        if isinstance(error, kind):
            return status
    return 500


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _json(status: int, code: str, message: str, request: Request) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def _page(request: Request, status: int, message: str) -> Response:
    # Imported here: the templating module needs the app's pieces, which need this module.
    from fourchain.entrypoints.web.templating import render

    zh, en = PAGE_TEXT.get(status, PAGE_TEXT[500])
    context = {"status": status, "title_zh": zh, "title_en": en, "message": message}
    return render(request, "errors/error.html", context, status_code=status)


def answer(request: Request, status: int, code: str, message: str) -> Response:
    if wants_json(request):
        return _json(status, code, message, request)
    if status == 401 and request.method == "GET":
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    if status == 401 and getattr(request.state, "stale_session", False):
        # a form sent after its session ended: sign in, then back to the form's page
        return RedirectResponse(f"/login?next={quote(_form_page(request))}", status_code=303)
    return _page(request, status, message)


def _form_page(request: Request) -> str:
    """The page the refused form was on (this site's Referer), else the home page."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return "/"
    path = referer.path if referer.path.startswith("/") else "/"
    if path.startswith("//") or path.startswith("/login"):
        return "/"
    return path + (f"?{referer.query}" if referer.query else "")


async def on_fourchain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, FourchainError)
    status = status_for(error)
    if status == 500:
        log.error("unmapped %s: %s", type(error).__name__, error.message)
        return answer(request, 500, "server_error", PAGE_TEXT[500][1])
    response = answer(request, status, error.code, error.message)
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


async def on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    codes = {
        404: "not_found",
        405: "method_not_allowed",
        401: "authentication_failed",
        413: "body_too_large",
    }
    code = codes.get(status, "http_error")
    message = PAGE_TEXT.get(status, ("", str(error.detail)))[1]
    response = answer(request, status, code, message)
    for name, value in (error.headers or {}).items():
        response.headers.setdefault(name, value)
    return response


async def on_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    # Name the bad fields and why, never echo the submitted values back.
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()))
        parts.append(f"{where}: {problem.get('msg', 'invalid')}")
    return answer(request, 422, "invalid_input", "; ".join(parts) or "invalid input")


async def on_unexpected(request: Request, error: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return answer(request, 500, "server_error", PAGE_TEXT[500][1])


def install(app: FastAPI) -> None:
    """Map every error the app can raise; called once by the app factory."""
    app.add_exception_handler(FourchainError, on_fourchain_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
