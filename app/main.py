"""create_app(): the FastAPI application, its routes, its error handlers and settings."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from nncore.errors import MESSAGES, InputError
from nncore.trainer import Diverged

from . import __version__, middleware
from .bodies import BodyGuard
from .responses import json_response
from .routes import (
    batch,
    circuits,
    classes,
    compare,
    docs,
    landscape,
    meta,
    notes,
    owndata,
    pages,
    preview,
    sessions,
)
from .schemas import build
from .sessions import MemoryStore, Quota, SessionNotFound, StoreFull, TooManySessions
from .settings import Settings, get_settings
from .work import Busy, Overloaded, Work


def _field(error: dict) -> str:
    # ("body", "hidden", 0, "units") -> "hidden.0.units"; the body itself is "body"
    if error.get("type") == "json_invalid":
        return "body"
    loc = tuple(error.get("loc", ()))
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or str(loc[-1] if loc else "body")


def _validation_error(request: Request, exc: RequestValidationError):
    # Our own handler: FastAPI's echoes the input back, and cannot serialize infinity.
    errors = [_coded(e) for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid request"
    return json_response({"detail": detail, "errors": errors}, 422)


def _coded(error: dict) -> dict:
    # pydantic's error type is a stable code; the page translates those MESSAGES knows
    out = {"field": _field(error), "message": error.get("msg", "invalid")}
    if error.get("type") in MESSAGES:
        ctx = error.get("ctx") or {}
        out["code"] = error["type"]
        out["params"] = {
            k: v if isinstance(v, int | float | str) else str(v) for k, v in ctx.items()
        }
        if error["type"] == "literal_error":  # "'a', 'b' or 'c'": a list, not English words
            out["params"]["expected"] = out["params"]["expected"].replace(" or ", ", ")
    return out


def _input_error(request: Request, exc: InputError):
    # The core's one bad-input error, naming the field; any other exception is a bug (500).
    error = {"field": exc.field, "message": exc.message}
    if exc.code:
        error.update(code=exc.code, params=exc.params)
    body = {"detail": str(exc), "errors": [error]}
    if exc.limit is not None:
        body["limit"] = exc.limit
    return json_response(body, 422)


def _retry_later(status: int):
    def handler(request: Request, exc: Busy | Overloaded | StoreFull | TooManySessions):
        return json_response({"detail": str(exc)}, status, {"Retry-After": str(exc.retry_after)})

    return handler


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


def _store(settings: Settings, quota: Quota):
    if settings.redis_url:
        from .redis_store import RedisStore  # only deployments with Redis need the client

        return RedisStore(
            settings.redis_url,
            settings.session_ttl_seconds,
            settings.max_sessions,
            quota,
            settings.redis_lock_seconds,
        )
    return MemoryStore(settings.session_ttl_seconds, settings.max_sessions, quota=quota, sweep=True)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    limits = settings.limits  # the core's table, tightened by these settings
    schemas = build(limits)
    app = FastAPI(
        title="Backprop Lab",
        version=__version__,
        description="Training sessions of a neural network in the course's notation: "
        "every forward value and backward gradient, step by step.",
        docs_url=None,  # /docs and /redoc come from routes/docs.py, without a CDN
        redoc_url=None,
    )
    app.state.settings, app.state.limits = settings, limits
    quota = Quota(
        settings.sessions_per_client, settings.creates_per_minute, settings.evict_idle_seconds
    )
    app.state.store = _store(settings, quota)
    app.state.work = Work(
        settings.compute_slots,
        settings.light_seconds,
        settings.queue_wait_seconds,
        settings.lock_wait_seconds,
    )
    app.state.options = meta.describe(schemas)
    app.include_router(meta.router(schemas))
    app.include_router(sessions.router(schemas))
    app.include_router(batch.router(schemas))  # the mini-batch as matrices, loop vs vectorized
    app.include_router(circuits.router(schemas))
    app.include_router(owndata.router(schemas))
    app.include_router(notes.router(limits))
    app.include_router(compare.router(schemas))  # a twin session, and the page of the two
    app.include_router(preview.router(schemas))  # issue 16: the next step, not taken
    app.include_router(landscape.router(schemas))  # issue 16: the loss over two weights
    classes.install(app, schemas, settings)

    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Busy, _retry_later(429))
    app.add_exception_handler(TooManySessions, _retry_later(429))
    app.add_exception_handler(Overloaded, _retry_later(503))
    app.add_exception_handler(StoreFull, _retry_later(503))

    @app.exception_handler(SessionNotFound)
    def _not_found(request: Request, exc: SessionNotFound):
        return json_response({"detail": "no such session (it may have expired)"}, 404)

    @app.exception_handler(Diverged)
    def _diverged(request: Request, exc: Diverged):
        body = {"detail": str(exc), "step": exc.step, "code": exc.code, "params": exc.params}
        if exc.last_good_step is not None:  # POST .../restore goes back there
            body["last_good_step"] = exc.last_good_step
            body["suggested_learning_rate"] = exc.suggested_rate
        return json_response(body, 409)

    app.include_router(pages.router)
    app.include_router(docs.router)
    pages.mount_static(app)
    app.add_middleware(BodyGuard, max_bytes=limits.max_body_bytes)
    middleware.install(app, settings)
    return app
