"""Every middleware of the app: the Host check, security headers, compression.

install(app, settings) adds them; the order, outermost first:
- security headers on every response (even the Host check's 400);
- the Host check against DNS rebinding: a page on evil.example whose name is made to resolve
  to this server still sends `Host: evil.example`, and gets a 400;
- compression (zstd, brotli or gzip, as the client accepts) of large responses; not of the
  class event streams, whose events are encoded once for every student (app/hub.py).
"""

from __future__ import annotations

import socket

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette_compress import CompressMiddleware, remove_compress_type

from .lan import ANY_ADDRESS, public_host, routed_addresses, url_host
from .settings import Settings

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def content_security_policy(settings: Settings, script_hashes: tuple[str, ...] = ()) -> str:
    """Only this server; a page with an inline script passes that script's sha256 in."""
    scripts = " ".join(["'self'", *(f"'sha256-{h}'" for h in script_hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            # plotly.js and ReDoc write style attributes and <style> elements as they draw
            "style-src 'self' 'unsafe-inline'",
            # data: for the SVG icons in Swagger UI's CSS and for plot images; blob: for downloads
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            # ReDoc runs its search index in a worker made from a blob
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {settings.frame_ancestors}",
        ]
    )


def _own_names() -> set[str]:
    """This machine's host names and addresses, for a server bound to every interface."""
    name = socket.gethostname()
    names = {name, socket.getfqdn(), f"{name}.local"}
    for host in (name, socket.getfqdn()):
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(host, None)}
        except OSError:
            pass
    names |= set(routed_addresses())  # the addresses a LAN sees (app/lan.py)
    return {url_host(n.split("%")[0]) for n in names if n}


def allowed_hosts(settings: Settings) -> list[str]:
    """Loopback, the bound address (or every address of this machine), the setting's and
    the public URL's host."""
    if "*" in settings.allowed_hosts:
        return ["*"]
    hosts = set(LOOPBACK) | {url_host(h) for h in settings.allowed_hosts}
    hosts |= _own_names() if settings.host in ANY_ADDRESS else {url_host(settings.host)}
    if settings.public_url:  # where students join (class mode)
        hosts.add(public_host(settings.public_url))
    return sorted(hosts)


class SecurityHeaders:
    """nosniff and no-referrer on every response; CSP and no-cache on HTML pages."""

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", self.csp)
                    headers.setdefault("Cache-Control", "no-cache")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the middleware (the last added runs first)."""
    remove_compress_type("text/event-stream")
    app.add_middleware(CompressMiddleware)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings))
    app.add_middleware(SecurityHeaders, csp=content_security_policy(settings))
