"""`python -m app` / `backprop-lab`: serve the app on 127.0.0.1 and print its URL."""

from __future__ import annotations

import argparse
import threading
import webbrowser

import uvicorn

from .main import create_app
from .settings import get_settings


def main(argv: list[str] | None = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="backprop-lab", description=__doc__)
    parser.add_argument("--host", default=settings.host, help="address to listen on")
    parser.add_argument("--port", type=int, default=settings.port, help="port to listen on")
    parser.add_argument("--open", action="store_true", help="open the page in a browser")
    args = parser.parse_args(argv)
    # The Host check allows the address served on: the one given here.
    settings = settings.model_copy(update={"host": args.host, "port": args.port})
    url = f"http://{args.host}:{args.port}/"
    print(f"Backprop Lab: serving on {url}  (Ctrl+C to stop)", flush=True)
    if args.open:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
