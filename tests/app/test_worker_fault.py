"""A worker killed with SIGKILL in the middle of a step (app/redis_store.py's lock expiry)."""

import os
import signal
import threading
import time

import httpx
import redis

from tests.conftest import serving, started

LOCK_SECONDS = 2.0
ENV = {"BACKPROP_REDIS_LOCK_SECONDS": str(LOCK_SECONDS), "BACKPROP_LOCK_WAIT_SECONDS": "0.2"}
HEAVY = {"n_samples": 2000, "batch_size": 1000, "hidden": [{"units": 32}] * 4}


def step(client: httpx.Client, base: str, sid: str, steps: int) -> httpx.Response:
    return client.post(f"{base}/api/sessions/{sid}/step?grids=none", json={"steps": steps})


def test_a_killed_worker_loses_no_session_applies_no_step_twice_and_its_lock_expires(
    redis_url,
):
    args = ("--redis", redis_url)
    r = redis.Redis.from_url(redis_url)
    with started(ENV, args) as (a, proc_a), serving(ENV, args) as b:
        with httpx.Client(timeout=30) as client:
            sid = client.post(f"{a}/api/sessions?grids=none", json=HEAVY).json()["id"]
            assert step(client, b, sid, 5).json()["step"] == 5
        in_flight = []

        def on_a() -> None:  # the request the kill interrupts
            with httpx.Client(timeout=30) as c:
                try:
                    in_flight.append(step(c, a, sid, 40).status_code)
                except httpx.TransportError as e:
                    in_flight.append(type(e).__name__)

        thread = threading.Thread(target=on_a)
        thread.start()
        deadline = time.monotonic() + 10
        while not r.exists(f"bp:lock:{sid}") and time.monotonic() < deadline:
            time.sleep(0.001)
        os.kill(proc_a.pid, signal.SIGKILL)  # while it holds the session's lock
        killed = time.monotonic()
        thread.join()
        assert in_flight and isinstance(in_flight[0], str), in_flight  # failed, not answered

        results, busy, first_ok = [], [], []

        def on_b() -> None:  # the other clients go on, waiting out the dead worker's lock
            with httpx.Client(timeout=30) as c:
                while len(results) < 20:
                    resp = step(c, b, sid, 5)
                    if resp.status_code == 429:
                        busy.append(resp.headers["retry-after"])
                        time.sleep(0.1)
                        continue
                    assert resp.status_code == 200, resp.text
                    first_ok.append(time.monotonic())
                    results.append(resp.json()["step"])

        threads = [threading.Thread(target=on_b) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with httpx.Client(timeout=30) as client:
            final = client.get(f"{b}/api/sessions/{sid}?grids=none")
        assert final.status_code == 200  # the session survived its worker
        steps = final.json()["frame"]["step"]
    # every answered step is a whole request of 5, none applied twice; the killed request
    # applied nothing (it dies before it saves) or, at most, its 40 whole
    assert len(results) == len(set(results)) >= 20
    assert steps in (5 + 5 * len(results), 5 + 40 + 5 * len(results))
    assert max(results) == steps
    # the dead worker's lock held the others off until its expiry, not for ever
    assert busy, "the killed worker held no lock: the kill came too late"
    assert min(first_ok) - killed < LOCK_SECONDS + 3
