"""`python -m app` / `backprop-lab`: serve the app on 127.0.0.1 and print its URL (and, on
every interface, the address students join classes at)."""

from __future__ import annotations

import argparse
import os
import threading
import webbrowser

import uvicorn
from pydantic import ValidationError

from .lan import ANY_ADDRESS, join_base, url_host
from .main import create_app
from .settings import get_settings


def main(argv: list[str] | None = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="backprop-lab", description=__doc__)
    parser.add_argument("--host", default=settings.host, help="address to listen on")
    parser.add_argument("--port", type=int, default=settings.port, help="port to listen on")
    parser.add_argument("--open", action="store_true", help="open the page in a browser")
    parser.add_argument(
        "--public-url",
        default=settings.public_url,
        help="the address students join classes at, when it is not this machine's own "
        "(a proxy, a name); default: BACKPROP_PUBLIC_URL, else the LAN address",
    )
    parser.add_argument(
        "--redis",
        default=settings.redis_url,
        metavar="URL",
        help="keep sessions and classes in Redis at this URL (redis://host:port/db), so that "
        "several workers share them; default: BACKPROP_REDIS_URL, else this process's memory",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=settings.workers,
        help="worker processes (more than 1 needs --redis); default: BACKPROP_WORKERS or 1",
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.workers > 1 and not args.redis:
        parser.error("--workers above 1 needs --redis: each worker's memory is its own")
    # The Host check allows the address served on (and the public URL's): the ones given here.
    update = {
        "host": args.host,
        "port": args.port,
        "public_url": args.public_url,
        "redis_url": args.redis,
        "workers": args.workers,
    }
    try:
        settings = type(settings).model_validate({**settings.model_dump(), **update})
    except ValidationError as e:
        parser.error("; ".join(err["msg"] for err in e.errors()))
    url = f"http://{url_host(args.host)}:{args.port}/"
    print(f"Backprop Lab: serving on {url}  (Ctrl+C to stop)", flush=True)
    if args.host in ANY_ADDRESS or settings.public_url:
        join = join_base(settings.public_url, args.host, args.port)
        print(f"Students join classes at {join}/join/<code>", flush=True)
    if args.open:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    if args.workers == 1:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
        return
    # Each worker process builds its own app from the environment (app.main:create_app).
    for name, value in update.items():
        if value is not None:
            os.environ[f"BACKPROP_{name.upper()}"] = str(value)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
