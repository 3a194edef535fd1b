"""/docs (Swagger UI) and /redoc (ReDoc) with their files from the fastapi-offline package.

FastAPI's self-hosting recipe: create_app turns the CDN-loading pages off, these routes serve
the same pages with the scripts from this server, so the docs work without internet.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import metadata, resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from ..deps import SettingsDep
from ..middleware import content_security_policy
from .pages import IMMUTABLE

FILES = Path(str(resources.files("fastapi_offline") / "static"))
ASSETS = f"/docs/assets/{metadata.version('fastapi-offline')}"
SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
# ReDoc 2 shows a logo from its CDN in the side menu: an empty src is never fetched (and the
# logo hides itself when it fails to load), so the page asks nothing of another server.
REDOC_JS = (
    (FILES / "redoc.standalone.js")
    .read_bytes()
    .replace(b'"https://cdn.redoc.ly/redoc/logo-mini.svg"', b'""')
)

router = APIRouter(include_in_schema=False)


def _with_csp(page: HTMLResponse, settings: SettingsDep) -> HTMLResponse:
    """The page's CSP allows its own inline scripts (Swagger UI's start-up call) by hash."""
    hashes = tuple(
        base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
        for s in SCRIPT.findall(page.body.decode())
    )
    page.headers["Content-Security-Policy"] = content_security_policy(settings, hashes)
    return page


@router.get("/docs")
def swagger_ui(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Swagger UI: every endpoint, tried from the browser."""
    page = get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url="/favicon.ico",
        swagger_ui_parameters=request.app.swagger_ui_parameters,
    )
    return _with_csp(page, settings)


@router.get("/redoc")
def redoc(request: Request, settings: SettingsDep) -> HTMLResponse:
    """ReDoc: the same reference as one long page."""
    page = get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{ASSETS}/redoc.standalone.js",
        redoc_favicon_url="/favicon.ico",
        with_google_fonts=False,
    )
    return _with_csp(page, settings)


@router.get(ASSETS + "/redoc.standalone.js")
def redoc_js() -> Response:
    """ReDoc's script, under the package's version: cached for a year."""
    return Response(REDOC_JS, media_type="text/javascript", headers=IMMUTABLE)


@router.get(ASSETS + "/{name}")
def swagger_asset(name: str) -> FileResponse:
    """Swagger UI's files, under the package's version: cached for a year."""
    if name not in ("swagger-ui-bundle.js", "swagger-ui.css"):
        raise HTTPException(404, "Not Found")
    return FileResponse(FILES / name, headers=IMMUTABLE)
