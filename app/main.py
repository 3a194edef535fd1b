"""create_app(): the FastAPI application, its routes, its error handlers and settings."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from nncore.trainer import Diverged

from . import __version__
from .responses import json_response
from .routes import circuits, meta, owndata, pages, sessions
from .sessions import MemoryStore, SessionNotFound, StoreFull
from .settings import Settings, get_settings


def _field(error: dict) -> str:
    # ("body", "hidden", 0, "units") -> "hidden.0.units"; the body itself is "body"
    if error.get("type") == "json_invalid":
        return "body"
    loc = tuple(error.get("loc", ()))
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or str(loc[-1] if loc else "body")


def _validation_error(request: Request, exc: RequestValidationError):
    # Our own handler: FastAPI's echoes the input back, and cannot serialize infinity.
    errors = [{"field": _field(e), "message": e.get("msg", "invalid")} for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid request"
    return json_response({"detail": detail, "errors": errors}, 422)


def _value_error(request: Request, exc: ValueError):
    # The core names the field first: "learning_rate: must be ..."
    message = str(exc)
    m = re.match(r"([A-Za-z0-9_.]+): ", message)
    errors = [{"field": m.group(1), "message": message[m.end() :]}] if m else None
    return json_response({"detail": message, "errors": errors}, 422)


def _endpoints(routes):
    # FastAPI 0.165 nests each included router in one route (original_router) without methods
    for route in routes:
        inner = getattr(getattr(route, "original_router", None), "routes", None)
        yield from _endpoints(inner) if inner is not None else [route]


def _allowed(request: Request, exc: StarletteHTTPException) -> str:
    # Starlette names only the first matching route's methods. List every method of the
    # routes with this path's own template: a literal path (/api/sessions/import) is not also
    # a /api/sessions/{session_id}. A mount's app names its own methods (in exc), and a mount's
    # scope has its own root path, so the question starts from the app's.
    scope = {**request.scope, "method": ""}
    scope["root_path"] = scope.get("app_root_path", scope.get("root_path", ""))
    routes = [
        r
        for r in _endpoints(request.app.routes)
        if getattr(r, "methods", None) and r.matches(scope)[0] != Match.NONE
    ]
    if not routes:
        return (exc.headers or {}).get("Allow", "")
    fewest = min(len(r.param_convertors) for r in routes)
    allowed = set().union(*(r.methods for r in routes if len(r.param_convertors) == fewest))
    return ", ".join(sorted(allowed))


def _http_error(request: Request, exc: StarletteHTTPException):
    headers = exc.headers
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allowed(request, exc)}
    return json_response({"detail": str(exc.detail)}, exc.status_code, headers)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Backprop Lab",
        version=__version__,
        description="Training sessions of a neural network in the course's notation: "
        "every forward value and backward gradient, step by step.",
    )
    app.state.settings = settings
    app.state.store = MemoryStore(settings.session_ttl_seconds, settings.max_sessions)
    app.include_router(meta.router)
    app.include_router(sessions.router)
    app.include_router(circuits.router)
    app.include_router(owndata.router)

    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ValueError, _value_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)

    @app.exception_handler(SessionNotFound)
    def _not_found(request: Request, exc: SessionNotFound):
        return json_response({"detail": "no such session (it may have expired)"}, 404)

    @app.exception_handler(StoreFull)
    def _full(request: Request, exc: StoreFull):
        return json_response({"detail": str(exc)}, 503, {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(Diverged)
    def _diverged(request: Request, exc: Diverged):
        return json_response({"detail": str(exc), "step": exc.step}, 409)

    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.ROOT / "static"), name="static")
    return app
