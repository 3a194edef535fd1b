"""Class mode's fan-out against a real uvicorn on 127.0.0.1, beside the targets of issue 14.

    python3 bench/bench_classes.py [seconds per run, default 15] [--redis] [--workers N]

With --redis the server keeps sessions and classes in a redis-server this script starts on a
free loopback port (persistence off), and with --workers N it runs N worker processes: the
teacher's steps and the followers' streams then land on any worker, and every frame goes
through Redis pub/sub (app/redis_hub.py). The server's CPU is then its processes' together.

One teacher session plays as the page does at its default speed (static/js/speeds.js: one
epoch a frame, {"steps": 1, "unit": "epoch", "grids": "all"}, two requests in flight, at most
60 frames a second: the display's rate), in a process of its own. N students follow the class
through its event stream: raw asyncio connections in this process, counting every byte read.
For N = 0, 10, 60, 200 and 0 again:
- fan-out latency: from the teacher's step response to the last follower reading that frame,
  over the frames the server sent (p50, p99)                  target (60) p99 < 250 ms
- bytes per follower per second, HTTP framing included          target (60) < 100 KB/s
- the server process's CPU (from /proc), % of one core, and this process's (the clients')
- the teacher's steps per second (its frame rate)               target: at 60 followers
                                                                within 10% of 0 followers
The machine's load average is printed with the figures: other work on the cores shows there.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import multiprocessing as mp
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
from bench_api import free_port, request  # this folder's: the same server helpers

ROOT = Path(__file__).resolve().parents[1]
STEP = {"steps": 1, "unit": "epoch", "trace": False, "grids": "all"}  # the default speed
FPS, IN_FLIGHT = 60, 2
FRAME = re.compile(rb'event: frame\ndata: \{"step":(\d+),')


def call(conn: http.client.HTTPConnection, method: str, path: str, body=None) -> dict:
    payload = request(conn, method, path, body)
    return json.loads(payload) if payload else {}


def cpu_seconds(pid: int) -> float:
    """The CPU time of a process and its children (uvicorn's workers), now."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += (task / "children").read_text().split()
    return own + sum(cpu_seconds(int(c)) for c in children)


def teacher(port: int, sid: str, seconds: float, out) -> None:
    """Play `seconds` worth of frames at FPS: (step, monotonic time of its response) of every
    step, and how long that took (longer when the server cannot keep up)."""
    done: list[tuple[int, float]] = []
    lock = threading.Lock()
    start = time.monotonic() + 0.2
    ticks = iter(range(10**9))

    def play() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                at = start + next(ticks) / FPS
            if at > start + seconds:
                return
            time.sleep(max(0.0, at - time.monotonic()))
            step = call(conn, "POST", f"/api/sessions/{sid}/step", STEP)["step"]
            with lock:
                done.append((step, time.monotonic()))

    threads = [threading.Thread(target=play) for _ in range(IN_FLIGHT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.send((done, time.monotonic() - start))


async def follow(port: int, code: str, stop: asyncio.Event, seen: dict[int, float], bytes_in):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /api/classes/{code}/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    buffer = b""
    while not stop.is_set():
        try:
            chunk = await asyncio.wait_for(reader.read(65536), 0.5)
        except TimeoutError:
            continue
        if not chunk:
            break
        now = time.monotonic()
        bytes_in[0] += len(chunk)
        buffer += chunk
        end = buffer.rfind(b"\n\n")
        if end < 0:
            continue
        for m in FRAME.finditer(buffer, 0, end + 2):
            seen.setdefault(int(m.group(1)), now)
        buffer = buffer[end + 2 :]
    writer.close()


async def run(port: int, n: int, seconds: float, server_pid: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sid = call(conn, "POST", "/api/sessions?grids=none", {})["id"]
    k = call(conn, "POST", f"/api/sessions/{sid}/class")
    code = k["code"]
    stop = asyncio.Event()
    seen = [dict() for _ in range(n)]
    counted = [[0] for _ in range(n)]
    tasks = [asyncio.create_task(follow(port, code, stop, seen[i], counted[i])) for i in range(n)]
    await asyncio.sleep(1.0 + n / 100)  # everyone connected, the first frame read
    for c in counted:
        c[0] = 0
    receive, send = mp.Pipe(duplex=False)
    cpu0, t0, mine0 = cpu_seconds(server_pid), time.monotonic(), time.process_time()
    p = mp.Process(target=teacher, args=(port, sid, seconds, send))
    p.start()
    while not receive.poll():
        await asyncio.sleep(0.05)
    steps, played = receive.recv()
    p.join()
    await asyncio.sleep(0.5)  # the last frames arrive
    elapsed, cpu = time.monotonic() - t0, cpu_seconds(server_pid) - cpu0
    followers_cpu = time.process_time() - mine0
    stop.set()
    await asyncio.gather(*tasks)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # the first one timed out
    bearer = {"authorization": f"Bearer {k['teacher_token']}"}
    conn.request("DELETE", f"/api/classes/{code}", headers=bearer)
    conn.getresponse().read()
    out = summary(n, steps, seen, counted, elapsed, cpu, played)
    return out | {"followers_cpu_pct": 100 * followers_cpu / elapsed}


def summary(n, steps, seen, counted, elapsed, cpu, played) -> dict:
    at = dict(steps)
    latencies, reached = [], []
    if n:
        sent = set().union(*(s.keys() for s in seen)) & at.keys()
        for step in sent:
            times = [s[step] for s in seen if step in s]
            reached.append(len(times) / n)
            latencies.append(max(times) - at[step])
    lat = np.array(latencies) * 1e3
    first = sorted(t for step, t in seen[0].items() if step in at) if n else []
    rate = (len(first) - 1) / (first[-1] - first[0]) if len(first) > 1 else None
    return {
        "n": n,
        "teacher_steps_per_s": len(steps) / played,
        "frames_sent": len(latencies),
        "frames_per_s": rate,
        "reached": float(np.mean(reached)) if reached else None,
        "p50_ms": float(np.percentile(lat, 50)) if lat.size else None,
        "p99_ms": float(np.percentile(lat, 99)) if lat.size else None,
        "kb_per_s": float(np.mean([c[0] for c in counted]) / elapsed / 1e3) if n else None,
        "server_cpu_pct": 100 * cpu / elapsed,
    }


def main() -> None:
    args = sys.argv[1:]
    seconds = float(args[0]) if args and not args[0].startswith("--") else 15.0
    workers = int(args[args.index("--workers") + 1]) if "--workers" in args else 1
    port, redis_port = free_port(), free_port()
    extra, store = [], "memory"
    redis = None
    if "--redis" in args or workers > 1:
        flags = ["--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
        redis = subprocess.Popen(["redis-server", *flags, "no"], stdout=subprocess.DEVNULL)
        store = f"redis://127.0.0.1:{redis_port}/0"
        extra = ["--redis", store, "--workers", str(workers)]
        time.sleep(0.3)
    command = [sys.executable, "-m", "app", "--port", str(port), *extra]
    server = subprocess.Popen(command, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                call(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "GET", "/api/health")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        # 0 followers before and after: the machine's own drift shows in the two
        results = [asyncio.run(run(port, n, seconds, server.pid)) for n in (0, 10, 60, 200, 0)]
    finally:
        server.terminate()
        server.wait(timeout=10)
        if redis is not None:
            redis.terminate()
    report(results, seconds, f"{workers} worker(s), {'Redis' if redis else 'memory'}")


def _fmt(v: float | None, fmt: str) -> str:
    return format(v, fmt) if v is not None else "-"


def report(results: list[dict], seconds: float, how: str) -> None:
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"bench_classes: {how}, {seconds:g} s a run, {os.cpu_count()} cores, load {load}")
    print("teacher: default speed (1 epoch a frame, grids all), 2 in flight, at most 60/s")
    head = ("followers", "teacher/s", "frames", "frames/s", "reached", "p50 ms", "p99 ms")
    print(" ".join(f"{h:>9}" for h in head), f"{'KB/s each':>9} {'server CPU':>10} {'clients':>7}")
    for r in results:
        cells = [
            str(r["n"]),
            f"{r['teacher_steps_per_s']:.1f}",
            str(r["frames_sent"]),
            _fmt(r["frames_per_s"], ".1f"),
            _fmt(r["reached"], ".0%"),
            _fmt(r["p50_ms"], ".1f"),
            _fmt(r["p99_ms"], ".1f"),
            _fmt(r["kb_per_s"], ".1f"),
        ]
        cpu = f"{r['server_cpu_pct']:>9.0f}% {r['followers_cpu_pct']:>6.0f}%"
        print(" ".join(f"{c:>9}" for c in cells), cpu)
    base = np.mean([r["teacher_steps_per_s"] for r in results if r["n"] == 0])
    r60 = next(r for r in results if r["n"] == 60)
    change = r60["teacher_steps_per_s"] / base - 1
    checks = [
        ("60 followers: fan-out p99 < 250 ms", f"{r60['p99_ms']:.1f} ms", r60["p99_ms"] < 250),
        ("60 followers: < 100 KB/s each", f"{r60['kb_per_s']:.1f} KB/s", r60["kb_per_s"] < 100),
        ("teacher's rate at 60 within 10% of 0 (mean)", f"{change:+.1%}", abs(change) <= 0.1),
    ]
    for name, value, ok in checks:
        print(f"  {name:<46} {value:>12}  {'PASS' if ok else 'MISS'}")


if __name__ == "__main__":
    main()
