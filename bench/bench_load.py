"""Load: a class of students, each stepping its own session, against 1 worker (memory), 1 worker
(Redis) and 2 workers (Redis), measured with Locust (headless), a maintained load generator.

    python3 bench/bench_load.py [students ...] [--seconds S] [--followers F] [--setups a,b,c]

Each student steps its own session with the output map 10 times a second (bench/locustfile.py);
one teacher session with a class steps 10 times a second with every map, and F (default 60)
event streams follow the class. For each setup and each class size: requests/s, p50 and p99 of
the students' steps, errors, the followers' frames; and the first class size whose p99 passes
100 ms. Target: 50 students x 10 requests/s with p99 under 100 ms.

Locust runs in its own virtual environment (bench/.venv-locust, made on first use with
`pip install locust`; git-ignored), so the app's environment stays as the tests know it. The
server, Redis and Locust share this machine's cores: what the load generator uses is not the
server's (the figures say so by printing the machine's core count).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "bench" / ".venv-locust"
LOCUST = VENV / "bin" / "locust"
TARGET_STUDENTS, TARGET_P99_MS = 50, 100.0
# The bench's clients all come from 127.0.0.1: lift the per-address bounds (not what is measured).
ROOMY = {
    "BACKPROP_MAX_SESSIONS": "2000",
    "BACKPROP_SESSIONS_PER_CLIENT": "2000",
    "BACKPROP_CREATES_PER_MINUTE": "5000",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_locust() -> None:
    if LOCUST.exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "locust"], check=True)


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up") from None
            time.sleep(0.1)


class Redis:
    def __enter__(self) -> str:
        port = free_port()
        self.proc = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        return f"redis://127.0.0.1:{port}/0"

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()


class Server:
    def __init__(self, args: list[str]):
        self.args = args

    def __enter__(self) -> str:
        port = free_port()
        cmd = [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port)]
        self.proc = subprocess.Popen(
            cmd + self.args,
            cwd=ROOT,
            env={**os.environ, **ROOMY},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/api/health", self.proc)
        return url

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def run_locust(host: str, students: int, followers: int, seconds: int) -> dict[str, dict]:
    """One headless Locust run; the stats rows by name."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "run"
        users = students + 1 + followers
        cmd = [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
        cmd += ["--host", host, "-u", str(users), "-r", str(users), "--run-time", f"{seconds}s"]
        cmd += ["--csv", str(prefix), "--only-summary", "--stop-timeout", "2"]
        cmd += ["Student", "Teacher", "Follower"]
        env = {**os.environ, "BENCH_FOLLOWERS": str(followers)}
        subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 120)
        with open(f"{prefix}_stats.csv") as f:
            return {row["Name"]: row for row in csv.DictReader(f)}


def figures(rows: dict[str, dict], name: str) -> tuple[float, float, float, int, int]:
    row = rows.get(name)
    if row is None:
        return 0.0, float("nan"), float("nan"), 0, 0
    num = lambda key: float(row[key]) if row[key] not in ("", "N/A") else float("nan")  # noqa: E731
    return (
        num("Requests/s"),
        num("50%"),
        num("99%"),
        int(row["Request Count"]),
        int(row["Failure Count"]),
    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("students", nargs="*", type=int, default=[10, 25, 50, 75, 100])
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--followers", type=int, default=60)
    p.add_argument("--setups", default="memory-1,redis-1,redis-2")
    a = p.parse_args()
    ensure_locust()
    print(f"cores: {os.cpu_count()}; each run {a.seconds} s; students x 10 steps/s (output map)")
    print(f"+ 1 teacher x 10 steps/s (all maps) + {a.followers} event streams; target: ")
    print(f"{TARGET_STUDENTS} students with p99 < {TARGET_P99_MS:g} ms\n")
    head = "setup      students  req/s  p50 ms  p99 ms  errors  teacher p99  frames/s/follower"
    for setup in a.setups.split(","):
        store, workers = setup.split("-")
        print(head)
        with Redis() if store == "redis" else _Nothing() as url:
            args = ["--workers", workers] + (["--redis", url] if url else [])
            with Server(args) as host:
                passed = None
                for n in a.students:
                    rows = run_locust(host, n, a.followers, a.seconds)
                    rps, p50, p99, count, errors = figures(rows, "student step")
                    _, _, t99, _, t_err = figures(rows, "teacher step")
                    f_rps, _, _, frames, _ = figures(rows, "frame")
                    per = f_rps / a.followers if a.followers else 0.0
                    print(
                        f"{setup:10} {n:8} {rps:6.0f} {p50:7.0f} {p99:7.0f} "
                        f"{errors + t_err:7} {t99:11.0f} {per:18.1f}",
                        flush=True,
                    )
                    if passed is None and not p99 < TARGET_P99_MS:
                        passed = n
                where = (
                    f"p99 passes {TARGET_P99_MS:g} ms at {passed} students"
                    if passed
                    else (f"p99 stays under {TARGET_P99_MS:g} ms up to {a.students[-1]} students")
                )
                print(f"  {setup}: {where}\n", flush=True)


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    main()
