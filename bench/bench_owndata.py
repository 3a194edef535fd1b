"""Own data over HTTP: how long a drawn point (PUT of the whole point set) and a CSV import
take, end to end through the API, with the frame the page redraws from.

Target: a drawn point must feel immediate, under 50 ms for 500 points with every map.
Run: python3 bench/bench_owndata.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from fastapi.testclient import TestClient

from app.main import create_app


def median_ms(fn, n=30):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    client = TestClient(create_app(), base_url="http://127.0.0.1")  # a Host the app allows
    sid = client.post("/api/sessions?grids=none", json={"dataset": "circle"}).json()["id"]
    rng = np.random.default_rng(0)
    for n in (50, 500, 2000):
        X = rng.uniform(-6, 6, (n, 2)).tolist()
        y = rng.integers(0, 2, n).tolist()
        body = {"train": {"X": X, "y": y}}
        ms = median_ms(lambda b=body: client.put(f"/api/sessions/{sid}/data?grids=all", json=b))
        flag = "PASS" if n > 500 or ms < 50 else "MISS"
        print(f"PUT data, {n:4d} points, all maps: {ms:6.1f} ms median (target < 50 ms) {flag}")
    rows = "\n".join(f"{a},{b},{int(a > b)}" for a, b in rng.normal(50, 10, (2000, 2)))
    ms = median_ms(
        lambda: client.post(f"/api/sessions/{sid}/data/csv?grids=all", json={"csv": rows}), 10
    )
    print(f"CSV import, 2000 rows, all maps: {ms:6.1f} ms median")
    ms = median_ms(lambda: client.get(f"/api/sessions/{sid}/model.py"))
    print(f"NumPy script export: {ms:6.1f} ms median")


if __name__ == "__main__":
    main()
