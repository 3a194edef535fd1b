"""A session's timeline (issue 16): memory after 10,000 recorded step requests, and the time of
one scrub request. Run by hand:

    python3 bench/bench_timeline.py | tee bench/results/timeline.txt

The network is the heaviest of the page's classroom cases: spiral, all seven features, 6 hidden
layers of 8 tanh units (433 parameters), 500 points, batch 10, one mini-batch a request (the
most records a run of that many updates makes). Memory: the bytes of the timeline's arrays, the
Python heap the whole session holds (tracemalloc, after the run, less a fresh session's) and
the session's snapshot (what Redis stores and every request loads and saves). A scrub is GET
/api/sessions/{id}/frames/{step}?grids=all through the ASGI app in process (no network), the
median over the recorded steps; beside it the same request of the live state (GET the session's
frame) for scale.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402

from app.main import create_app  # noqa: E402
from nncore import snapshot  # noqa: E402
from nncore.features import FEATURES  # noqa: E402
from nncore.limits import LIMITS  # noqa: E402
from nncore.trainer import Config, Hidden, Trainer  # noqa: E402

REQUESTS = 10_000
SIX_BY_EIGHT = {
    "dataset": "spiral",
    "noise": 0.1,
    "features": list(FEATURES),
    "hidden": [{"units": 8, "activation": "tanh"}] * 6,
}
TARGET_MB = 4.0  # the timeline's arrays, any session (LIMITS.timeline_bytes)
TARGET_SCRUB_MS = 20.0  # a scrub: a drag redraws at 50 moments a second or more


def config(optimizer: str) -> Config:
    hidden = tuple(Hidden(**h) for h in SIX_BY_EIGHT["hidden"])
    d = {**SIX_BY_EIGHT, "features": tuple(FEATURES), "hidden": hidden, "optimizer": optimizer}
    return Config(**d)


def memory(optimizer: str) -> None:
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    fresh = Trainer(config(optimizer))
    gc.collect()
    empty = tracemalloc.get_traced_memory()[0] - base
    del fresh
    t = Trainer(config(optimizer))
    t0 = time.perf_counter()
    for _ in range(REQUESTS):
        t.step(1)
    run = time.perf_counter() - t0
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    arrays = sum(r.nbytes() for r in t.timeline)
    per = t.timeline[-1].nbytes()
    data = snapshot.dump(t)
    cycles = []
    for _ in range(21):
        t1 = time.perf_counter()
        snapshot.load(snapshot.dump(t))
        cycles.append(time.perf_counter() - t1)
    cycle = statistics.median(cycles)
    steps = t.recorded_steps()
    gaps = [b - a for a, b in zip(steps[:-1], steps[1:], strict=True)]
    print(
        f"6x8 {optimizer}: {REQUESTS} step requests -> {len(t.timeline)} records "
        f"(steps {steps[0]}..{steps[-1]}, every {min(gaps)}..{max(gaps)} steps), "
        f"{len(t.history)} history entries"
    )
    print(
        f"  record {per / 1024:.1f} KiB; timeline arrays {arrays / 1e6:.2f} MB "
        f"(target <= {TARGET_MB:g} MB); session heap {held / 1e6:.2f} MB "
        f"(a fresh one {empty / 1e6:.2f} MB); snapshot {len(data) / 1e6:.2f} MB, "
        f"dump + load {cycle * 1e3:.1f} ms (median of 21); "
        f"{REQUESTS} requests in {run:.1f} s (traced)"
    )


def scrub() -> None:
    client = TestClient(create_app(), base_url="http://127.0.0.1")  # a Host the app allows
    sid = client.post("/api/sessions?grids=none", json=SIX_BY_EIGHT).json()["id"]
    for _ in range(LIMITS.timeline_entries):
        client.post(f"/api/sessions/{sid}/step", json={"steps": 5})
    steps = client.get(f"/api/sessions/{sid}/frames").json()["steps"]

    def median(path: str, repeats: int) -> float:
        times = []
        for i in range(repeats):
            t0 = time.perf_counter()
            r = client.get(path(i))
            times.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
        return statistics.median(times) * 1e3

    at = median(lambda i: f"/api/sessions/{sid}/frames/{steps[i % len(steps)]}?grids=all", 200)
    live = median(lambda i: f"/api/sessions/{sid}?grids=all", 100)
    print(
        f"scrub, 6x8 (100x100 output map and 32x32 neuron maps): GET frames/{{step}}?grids=all "
        f"median {at:.1f} ms over {len(steps)} recorded steps (target <= {TARGET_SCRUB_MS:g} ms); "
        f"GET the session's state {live:.1f} ms"
    )


def main() -> None:
    scrub()
    for optimizer in ("sgd", "adam"):
        memory(optimizer)


if __name__ == "__main__":
    main()
