"""Compressed sizes and serve times of the big static files and a frame, over real HTTP.

Starts `python -m app` on a free loopback port and asks for each URL with each encoding the
server offers. Prints bytes on the wire and the median time to the last byte; then 60 clients
fetching plotly.js at once, as a classroom does when the page opens.

    python3 bench/bench_static.py [--runs 15]

Targets: plotly.min.js under 1.6 MB and under 100 ms (median, one client) compressed; a room
of 60 served in a few seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENCODINGS = ["identity", "gzip", "br", "zstd"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, method: str, path: str, encoding: str, body: bytes | None = None):
    """(bytes on the wire, seconds to the last byte, Content-Encoding)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Accept-Encoding": encoding, "Content-Type": "application/json"}
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    seconds = time.perf_counter() - start
    conn.close()
    assert r.status == 200, (path, r.status)
    return len(data), seconds, r.getheader("Content-Encoding", "identity")


def measure(port, label, method, path, runs, body=None) -> None:
    for encoding in ENCODINGS:
        fetch(port, method, path, encoding, body)  # warm up
        results = [fetch(port, method, path, encoding, body) for _ in range(runs)]
        size, got = results[0][0], results[0][2]
        ms = statistics.median(r[1] for r in results) * 1000
        print(f"{label:<22} {encoding:<9} {got:<9} {size / 1e6:8.3f} MB {ms:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    try:
        for _ in range(300):
            try:
                fetch(port, "GET", "/api/health", "identity")
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/")
        page = conn.getresponse().read().decode()
        plotly = re.search(r'src="(/vendor/plotly[^"]*)"', page)[1]
        main_js = re.search(r'src="(/static/[^"]*main\.js)"', page)[1]
        conn.request(
            "POST", "/api/sessions", body=b"{}", headers={"Content-Type": "application/json"}
        )
        session = json.loads(conn.getresponse().read())["id"]
        conn.close()
        step = json.dumps({"steps": 1, "trace": True, "grids": "all"}).encode()

        print(f"{'what':<22} {'asked':<9} {'got':<9} {'on the wire':>11} {'median':>11}")
        measure(port, "plotly.min.js", "GET", plotly, args.runs)
        measure(port, "main.js", "GET", main_js, args.runs)
        measure(port, "/ (the page)", "GET", "/", args.runs)
        measure(
            port, "a frame (grids: all)", "POST", f"/api/sessions/{session}/step", args.runs, step
        )

        for encoding in ("gzip", "zstd"):
            start = time.perf_counter()
            with ThreadPoolExecutor(60) as pool:
                list(pool.map(fetch, [port] * 60, ["GET"] * 60, [plotly] * 60, [encoding] * 60))
            seconds = time.perf_counter() - start
            print(f"60 clients at once, plotly.min.js, {encoding}: {seconds:.2f} s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
