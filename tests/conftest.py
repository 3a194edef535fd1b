"""Shared fixtures: one real uvicorn server on 127.0.0.1 for every end-to-end test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests import twoworkers

ROOT = Path(__file__).resolve().parents[1]

# Starlette's TestClient sends `Host: testserver`: let the Host check (app/middleware.py) allow it.
os.environ.setdefault("BACKPROP_ALLOWED_HOSTS", "testserver")


def pytest_configure(config):
    if twoworkers.redis_url():  # the API suite's second pass (tests/app/test_api_on_redis.py)
        twoworkers.install()


def pytest_collection_modifyitems(config, items):
    """The second pass leaves out the tests about the memory store's own fields."""
    if twoworkers.redis_url():
        kept = [i for i in items if i.get_closest_marker("memory_store") is None]
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(env: dict[str, str] | None = None, args: tuple[str, ...] = ()):
    """The base URL of `python -m app` started on a free loopback port (with these
    environment variables and further arguments)."""
    with started(env, args) as (url, _):
        yield url


@contextmanager
def started(env: dict[str, str] | None = None, args: tuple[str, ...] = ()):
    """serving()'s URL and its process."""
    port = _free_port()
    args = (*args, *twoworkers.server_args())
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"

    def health() -> None:
        with urllib.request.urlopen(f"{url}/api/health", timeout=1):
            pass

    with running(proc, health, "the server", 30):
        yield url, proc


@contextmanager
def running(proc: subprocess.Popen, ready, what: str, seconds: float):
    """proc, once ready() stops raising OSError (within seconds); stopped at the end."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            ready()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"{what} did not start: {proc.stdout.read()}") from None
            time.sleep(0.05)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def live_server():
    """The base URL of `python -m app` started on a free loopback port."""
    with serving() as url:
        yield url


@pytest.fixture(scope="session")
def redis_server():
    """The URL of a real redis-server on a free loopback port, persistence off; stopped at the
    end. Without redis-server the test skips, except under BACKPROP_REQUIRE_REDIS=1 (.ci/run)."""
    exe = shutil.which("redis-server")
    if exe is None:
        if os.environ.get("BACKPROP_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is missing (apt-get install -y redis-server)")
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    port = _free_port()
    args = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    args += ["--databases", str(twoworkers.DATABASES)]  # the second pass: one per app
    proc = subprocess.Popen(
        [exe, *args, "--daemonize", "no"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def ready() -> None:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()

    with running(proc, ready, "redis-server", 10):
        yield f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def redis_url(redis_server):
    """The test's own empty Redis."""
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    return redis_server
