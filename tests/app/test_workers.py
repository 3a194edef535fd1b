"""Several worker processes on one Redis: real servers (`backprop-lab --redis URL`), real HTTP."""

import threading

import httpx

from tests.conftest import serving

JSON = {"content-type": "application/json"}


def step(client: httpx.Client, base: str, sid: str, steps: int) -> int:
    r = client.post(f"{base}/api/sessions/{sid}/step?grids=none", json={"steps": steps})
    assert r.status_code == 200, r.text
    return r.json()["step"]


def four_threads_of_five_steps(bases: list[str], sid: str) -> list[int]:
    """Every thread's requests go to each server in turn; each asks for 7 updates."""
    results, errors = [], []

    def worker(k: int) -> None:
        with httpx.Client(timeout=30) as client:
            for i in range(5):
                try:
                    results.append(step(client, bases[(k + i) % len(bases)], sid, 7))
                except AssertionError as e:
                    errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_two_processes_share_sessions_and_concurrent_steps_add_up(redis_url):
    args = ("--redis", redis_url)
    with serving(args=args) as a, serving(args=args) as b, httpx.Client(timeout=30) as client:
        r = client.post(f"{a}/api/sessions?grids=none", json={"n_samples": 200})
        assert r.status_code == 201
        sid = r.json()["id"]
        assert step(client, b, sid, 1) == 1  # made on one process, stepped on the other
        results = four_threads_of_five_steps([a, b], sid)
        assert sorted(results) == [1 + 7 * k for k in range(1, 21)]
        state = client.get(f"{a}/api/sessions/{sid}?grids=none").json()
        assert state["frame"]["step"] == 141


def test_backprop_lab_workers_2_serves_on_one_port(redis_url):
    with serving(args=("--workers", "2", "--redis", redis_url)) as base:
        with httpx.Client(timeout=30) as client:
            r = client.post(f"{base}/api/sessions?grids=none", json={"n_samples": 200})
            sid = r.json()["id"]
        results = four_threads_of_five_steps([base], sid)
        assert sorted(results) == [7 * k for k in range(1, 21)]


def test_workers_above_one_need_redis():
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "app", "--workers", "2"], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 2 and "--workers above 1 needs --redis" in r.stderr
