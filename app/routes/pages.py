"""The page, its static files, and plotly.js served from the installed plotly package."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..deps import SettingsDep
from ..paths import TEMPLATES as TEMPLATE_DIR
from .meta import options

TEMPLATES = Jinja2Templates(directory=TEMPLATE_DIR)
PLOTLY_JS = resources.files("plotly") / "package_data" / "plotly.min.js"
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<circle cx="8" cy="16" r="5" fill="#f59322"/><circle cx="24" cy="9" r="5" fill="#0877bd"/>'
    '<circle cx="24" cy="23" r="5" fill="#0877bd"/><path d="M12 14l8-4M12 18l8 4" '
    'stroke="#333" stroke-width="2"/></svg>'
)

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The main view; the options the controls are built from are embedded in it."""
    return TEMPLATES.TemplateResponse(
        request,
        "index.html",
        {"options": options(settings).model_dump(), "version": __version__},
    )


@router.get("/circuit", response_class=HTMLResponse)
def circuit(request: Request) -> HTMLResponse:
    """The circuit view: backpropagation gate by gate (CS231n's lecture)."""
    return TEMPLATES.TemplateResponse(request, "circuit.html", {"version": __version__})


@router.get("/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    """plotly.js from the installed plotly package: the page works offline."""
    return FileResponse(
        str(PLOTLY_JS),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(FAVICON, media_type="image/svg+xml")
