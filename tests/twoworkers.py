"""The API suite's second pass: every app a test builds is two workers sharing one Redis.

Under BACKPROP_TEST_TWO_WORKERS=<redis URL> (set by tests/app/test_api_on_redis.py for a
nested pytest run), `app.main.create_app` is replaced before the test modules import it: each
call builds two independent app instances from the same settings, pointed at a Redis database
of their own (so one test's caps and counts never meet another's), and returns a dispatcher
that sends the HTTP requests to them in turn. The two instances share nothing but Redis: a
session created by one is stepped by the other on the next request, exactly as with
`backprop-lab --workers 2` behind one port. Tests that start a real server (`serving()`) get
`--redis <url> --workers 2` instead, so event streams cross real worker processes.
"""

from __future__ import annotations

import asyncio
import itertools
import os

ENV = "BACKPROP_TEST_TWO_WORKERS"
DATABASES = 4096  # redis-server --databases: one per app a test builds, and spare


def redis_url() -> str | None:
    """The base Redis URL of the second pass, or None in the normal (memory) pass."""
    return os.environ.get(ENV) or None


def server_args() -> tuple[str, ...]:
    """What a test's real server adds in the second pass."""
    url = redis_url()
    return ("--redis", url, "--workers", "2") if url else ()


class TwoWorkers:
    """An ASGI app that hands each HTTP request to the next of two apps, round robin.

    Attribute reads (`.state`, `.openapi()`, `.routes`) go to the first, which is what a test
    that looks at its app means: its settings and its limits are the same in both."""

    def __init__(self, first, second):
        self._apps = (first, second)
        self._turn = itertools.cycle(self._apps)

    def __getattr__(self, name):
        return getattr(self._apps[0], name)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(scope, receive, send)
        else:
            await next(self._turn)(scope, receive, send)

    async def _lifespan(self, scope, receive, send):
        """Both apps start up and shut down together: the second one's messages are relayed
        through queues and its answers awaited before the first one answers the server."""
        to_second: asyncio.Queue = asyncio.Queue()
        from_second: asyncio.Queue = asyncio.Queue()
        second = asyncio.ensure_future(self._apps[1](scope, to_second.get, from_second.put))

        async def relayed():
            message = await receive()
            await to_second.put(message)
            answer = await from_second.get()
            if answer["type"].endswith(".failed"):
                raise RuntimeError(f"the second worker failed: {answer.get('message')}")
            return message

        try:
            await self._apps[0](scope, relayed, send)
        finally:
            second.cancel()


def install() -> None:
    """Replace app.main.create_app (before any test module imports it) by the two-worker one."""
    import app.main

    build = app.main.create_app
    base = redis_url().rsplit("/", 1)[0]
    databases = itertools.count(1)

    def create_app(settings=None):
        settings = settings or app.main.get_settings()
        db = next(databases) % DATABASES
        own = settings.model_copy(update={"redis_url": f"{base}/{db}", "workers": 2})
        return TwoWorkers(build(own), build(own))

    app.main.create_app = create_app
