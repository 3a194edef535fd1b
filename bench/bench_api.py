"""Speed of the HTTP API against a real uvicorn on 127.0.0.1, beside the targets of issue 3.

    python3 bench/bench_api.py

1. A step request for a 2-6x8-1 network on 500 examples (spiral, all seven features, batch 10),
   {"steps": 1, "trace": true, "grids": "all"} at G = 100: the median time end to end (one
   keep-alive connection, request sent to response read)      target <= 10 ms
   and the response size                                         target <= 400 KB
2. 20 sessions stepping at once, each {"steps": 1, "grids": "output"} in a loop from its own
   thread and connection: requests per second (informational).
The server is started here (`python -m app` on a free port) and stopped at the end.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ["x1", "x2", "x1_squared", "x2_squared", "x1_times_x2", "sin_x1", "sin_x2"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(conn: http.client.HTTPConnection, method: str, path: str, body=None):
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, data, {"content-type": "application/json"})
    r = conn.getresponse()
    payload = r.read()
    if r.status >= 300:
        raise RuntimeError(f"{method} {path}: {r.status} {payload[:200]!r}")
    return payload


def main() -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "app", "--port", str(port)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                request(c, "GET", "/api/health")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

        config = {
            "dataset": "spiral",
            "features": FEATURES,
            "hidden": [{"units": 8, "activation": "tanh"}] * 6,
            "n_samples": 1000,
            "train_fraction": 0.5,
            "batch_size": 10,
            "grid": 100,
            "neuron_resolution": 32,
        }
        sid = json.loads(request(c, "POST", "/api/sessions?grids=none", config))["id"]
        body = {"steps": 1, "trace": True, "grids": "all"}
        for _ in range(30):
            request(c, "POST", f"/api/sessions/{sid}/step", body)
        times, size = [], 0
        end = time.monotonic() + 5
        while time.monotonic() < end:
            t0 = time.perf_counter()
            size = len(request(c, "POST", f"/api/sessions/{sid}/step", body))
            times.append((time.perf_counter() - t0) * 1e3)
        med = float(np.median(times))
        p10, p90 = np.percentile(times, [10, 90])
        print(
            f"1. step request 2-6x8-1, trace, grids all, G=100: median {med:.2f} ms "
            f"(p10 {p10:.2f}, p90 {p90:.2f}, n={len(times)})  target <= 10 ms "
            f"{'PASS' if med <= 10 else 'MISS'}"
        )
        print(
            f"   response {size / 1024:.0f} KB  target <= 400 KB "
            f"{'PASS' if size <= 400 * 1024 else 'MISS'}"
        )

        # 2. twenty sessions at once
        sessions = [
            json.loads(request(c, "POST", "/api/sessions?grids=none", {"seed": i}))["id"]
            for i in range(20)
        ]
        counts = [0] * 20
        stop = time.monotonic() + 5

        def worker(k: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.monotonic() < stop:
                request(
                    conn,
                    "POST",
                    f"/api/sessions/{sessions[k]}/step",
                    {"steps": 1, "grids": "output"},
                )
                counts[k] += 1

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(20)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        print(
            f"2. 20 concurrent sessions, grids output: {sum(counts) / elapsed:.0f} requests/s "
            f"(per session {min(counts) / elapsed:.1f} to {max(counts) / elapsed:.1f}/s)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
