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
    422: {"model": Error, "description": "A field is out of its bounds; it is named."},
}
