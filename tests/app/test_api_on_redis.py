"""The API suite, once more: every app two workers that share one real redis-server.

The first pass (the ordinary run) serves from memory. This test runs the same test modules
again in a nested pytest with BACKPROP_TEST_TWO_WORKERS set (tests/twoworkers.py): each app a
test builds becomes two app instances on their own Redis database, requests alternating
between them, and each real server a test starts runs `--redis <url> --workers 2`. Left out:
the modules and the tests that already run on Redis (they start their own apps on one Redis,
and would each get a database of their own here: `-k "not redis"`), the tests marked
memory_store (they read the memory store's own fields), the packaging checks, which serve
nothing, and the schema fuzzer (the first pass fuzzes the same schema).
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.twoworkers import ENV, redis_url

ALREADY_ON_REDIS = (
    "test_redis_store.py",
    "test_workers.py",
    "test_worker_fault.py",
    "test_class_workers.py",
)
# the packaging checks serve nothing; the schema fuzzer checks the schema, the same for any store
NOT_SERVING = ("test_wheel.py", "test_dockerfile.py", "test_compose.py", "test_api_on_redis.py")
SCHEMA_ONLY = ("test_fuzz.py",)


def test_the_api_suite_passes_on_redis_with_two_workers(redis_server):
    if redis_url():  # inside the nested run itself
        return
    ignored = [
        f"--ignore=tests/app/{name}" for name in ALREADY_ON_REDIS + NOT_SERVING + SCHEMA_ONLY
    ]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/app",
            "-k",
            "not redis",
            *ignored,
        ],
        cwd=ROOT,
        env={**os.environ, ENV: redis_server},
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = (run.stdout + run.stderr).splitlines()
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    summary = "\n".join(failed[:40] + lines[-40:])
    assert run.returncode == 0, f"the API suite failed on Redis with two workers:\n{summary}"
    assert " passed" in lines[-1] and "skipped" not in lines[-1], lines[-1]
