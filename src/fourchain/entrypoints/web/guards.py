"""Pure ASGI middleware around the whole app: a cap on every request body, and HEAD answered
as GET without a body.

They sit outside the error handler (see app.FourchainApp), so they hold for every answer.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fourchain.entrypoints.web.deps import SESSION_COOKIE

TOO_LARGE = "请求内容过大 / the request body is larger than this server accepts"


def _has_credentials(headers: Headers) -> bool:
    """Whether the caller presents a bearer token or a session cookie (checked later; here it
    only picks the cap, so a forged one buys no more than the signed-in limit)."""
    if headers.get("authorization", "").lower().startswith("bearer "):
        return True
    return f"{SESSION_COOKIE}=" in headers.get("cookie", "")


class BodyLimit:
    """At most `max_bytes` of body per request (`anonymous_bytes` without credentials),
    counted while it is read, so no handler, form or JSON parser ever sees more: a declared
    Content-Length over the cap is answered 413 before a byte is read; a body that grows past
    it while streaming stops the read with 413."""

    def __init__(self, app: ASGIApp, max_bytes: int, anonymous_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.anonymous_bytes = min(anonymous_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cap = self.max_bytes if _has_credentials(headers) else self.anonymous_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            await _refuse(scope, send, cap)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise HTTPException(413, f"{TOO_LARGE} (limit {cap:,} bytes)")
            return message

        await self.app(scope, counted, send)


async def _refuse(scope: Scope, send: Send, cap: int) -> None:
    message = f"{TOO_LARGE} (limit {cap:,} bytes)"
    if str(scope.get("path", "")).startswith("/api"):
        body = json.dumps({"error": "body_too_large", "message": message}).encode()
        kind = b"application/json"
    else:
        body = message.encode()
        kind = b"text/plain; charset=utf-8"
    headers = [
        (b"content-type", kind),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class HeadAsGet:
    """HEAD is GET without the body (RFC 9110): every GET route answers it, headers and all."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def bodiless(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, bodiless)
