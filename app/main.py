"""create_app(): the FastAPI application, its routes and its static files."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from . import __version__


def create_app() -> FastAPI:
    app = FastAPI(title="Backprop Lab", version=__version__)

    @app.get("/api/health")
    def health() -> dict:
        """Liveness: the service answers and says its version."""
        return {"status": "ok", "version": __version__}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        """The page (a placeholder until the page lands)."""
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<link rel='icon' href='data:,'><title>Backprop Lab</title></head>"
            "<body><h1>Backprop Lab</h1><p>The network core is ready; the page is coming."
            "</p></body></html>"
        )

    return app
