"""The page, its static files, and plotly.js served from the installed plotly package.

Static files are served twice: under /static/<token>/, where the token is a hash of their
contents (the pages link there, and the modules' relative imports stay there), cached for a
year; and under plain /static/, revalidated on every use. plotly.js likewise: under its
version, and plain.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from functools import lru_cache
from importlib import resources

import zstandard
from anyio import to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from plotly.offline import get_plotlyjs_version

from .. import __version__
from ..paths import STATIC
from ..paths import TEMPLATES as TEMPLATE_DIR

IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}
REVALIDATE = {"Cache-Control": "no-cache"}


def content_token(folder: os.PathLike) -> str:
    """A short hash of every file's name and bytes: it changes whenever one of them does."""
    digest = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(folder)):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as f:
                digest.update(f.read() + b"\0")
    return digest.hexdigest()[:12]


class _CachedStaticFiles(StaticFiles):
    """StaticFiles whose answers carry the given Cache-Control."""

    def __init__(self, *, directory: os.PathLike, headers: dict[str, str]) -> None:
        super().__init__(directory=directory)
        self.headers = headers

    def file_response(self, *args, **kwargs) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers.update(self.headers)
        return response


STATIC_URL = f"/static/{content_token(STATIC)}"
PLOTLY_JS = resources.files("plotly") / "package_data" / "plotly.min.js"
PLOTLY_URL = f"/vendor/plotly-{get_plotlyjs_version()}.min.js"
TEMPLATES = Jinja2Templates(directory=TEMPLATE_DIR)
TEMPLATES.env.globals.update(static=STATIC_URL, plotly_js=PLOTLY_URL)
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<circle cx="8" cy="16" r="5" fill="#f59322"/><circle cx="24" cy="9" r="5" fill="#0877bd"/>'
    '<circle cx="24" cy="23" r="5" fill="#0877bd"/><path d="M12 14l8-4M12 18l8 4" '
    'stroke="#333" stroke-width="2"/></svg>'
)

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    """The main view; the options the controls are built from are embedded in it."""
    options = request.app.state.options.model_dump()
    return TEMPLATES.TemplateResponse(
        request, "index.html", {"options": options, "version": __version__}
    )


@router.get("/circuit", response_class=HTMLResponse)
async def circuit(request: Request) -> HTMLResponse:
    """The circuit view: backpropagation gate by gate (CS231n's lecture); the error messages'
    templates are embedded in it, for the page to translate."""
    messages = request.app.state.options.messages
    return TEMPLATES.TemplateResponse(
        request, "circuit.html", {"messages": messages, "version": __version__}
    )


def _accepts(request: Request, encoding: str) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() == encoding:
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


@lru_cache(maxsize=2)
def _packed_plotly(encoding: str) -> bytes:
    """plotly.js compressed once per encoding (the compression middleware would do it for every
    one of a room of phones): 4.8 MB raw, about 1.5 MB either way."""
    raw = PLOTLY_JS.read_bytes()
    if encoding == "zstd":
        return zstandard.ZstdCompressor(level=12).compress(raw)
    return gzip.compress(raw, compresslevel=9, mtime=0)


@router.get(PLOTLY_URL)
async def plotly_js(request: Request) -> Response:
    """plotly.js from the installed plotly package: the page works offline. Versioned, so it is
    cached for a year; sent compressed from memory (zstd or gzip) when the browser takes it."""
    for encoding in ("zstd", "gzip"):
        if _accepts(request, encoding):
            body = await to_thread.run_sync(_packed_plotly, encoding)
            headers = {**IMMUTABLE, "Content-Encoding": encoding, "Vary": "Accept-Encoding"}
            return Response(body, media_type="text/javascript", headers=headers)
    return FileResponse(str(PLOTLY_JS), media_type="text/javascript", headers=IMMUTABLE)


@router.get("/vendor/plotly.min.js")
async def plotly_js_latest() -> FileResponse:
    """The same file under a name that does not change with its version."""
    return FileResponse(str(PLOTLY_JS), media_type="text/javascript", headers=REVALIDATE)


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(FAVICON, media_type="image/svg+xml")


def mount_static(app: FastAPI) -> None:
    """The static folder under its content token (first: /static would match it too), and plain."""
    app.mount(STATIC_URL, _CachedStaticFiles(directory=STATIC, headers=IMMUTABLE), name="assets")
    app.mount("/static", _CachedStaticFiles(directory=STATIC, headers=REVALIDATE), name="static")
