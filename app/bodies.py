"""Request bodies: JSON only, and no larger than the limit, checked before anything parses them.

A body over `max_body_bytes` is refused with 413 from its Content-Length alone, or, sent in
chunks, as soon as the bytes counted pass the limit; nothing is buffered beyond it. A POST, PUT
or PATCH to the API must say `Content-Type: application/json` (415 otherwise), even with no
body: a web page on another site can send a form or text/plain request (a "simple" request)
without the browser asking first, but not a JSON one, so a student's browser cannot be made to
create sessions on a classroom server by a page it visits.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .serialize import dumps

_WRITES = {"POST", "PUT", "PATCH"}


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return ""


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = dumps({"detail": detail})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _routed(scope: Scope) -> bool:
    # Only a request some route takes: the others get their 404 or 405 as they would.
    app = scope.get("app")
    routes = getattr(getattr(app, "router", None), "routes", ())
    return any(route.matches(scope)[0] == Match.FULL for route in routes)


class BodyGuard:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    def _too_large(self) -> str:
        return f"body: larger than the {self.max_bytes} bytes a request may send"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        if method in _WRITES and path.startswith("/api/") and _routed(scope):
            kind = _header(scope, b"content-type").split(";")[0].strip().lower()
            if kind != "application/json":
                await _refuse(send, 415, "body: send JSON (Content-Type: application/json)")
                return
        length = _header(scope, b"content-length")
        if length.isdigit() and int(length) > self.max_bytes:
            await _refuse(send, 413, self._too_large())
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, self._too_large())
            return message

        await self.app(scope, counted, send)
