"""JSON responses through the one serializer (orjson, NumPy arrays written directly)."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from .schemas import Error
from .serialize import dumps


def json_response(obj: Any, status_code: int = 200, headers: dict | None = None) -> Response:
    return Response(dumps(obj), status_code, headers, media_type="application/json")


# Documented on every route that takes a body or a session id, so the schema lists them.
ERRORS = {
    400: {"model": Error, "description": "The body is not UTF-8 JSON."},
    404: {"model": Error, "description": "No such session (or it expired)."},
    413: {"model": Error, "description": "The body is larger than a request may send."},
    415: {"model": Error, "description": "The body is not sent as application/json."},
    422: {"model": Error, "description": "A field is out of its bounds; it is named."},
    429: {"model": Error, "description": "Busy session or too many sessions: see Retry-After."},
    503: {"model": Error, "description": "The server is full or busy: see Retry-After."},
}

# ... and those a body-taking route without a session can answer
BODY_ERRORS = {k: ERRORS[k] for k in (400, 413, 415, 422)}
