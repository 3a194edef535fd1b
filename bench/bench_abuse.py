"""How the server holds up against abusive clients, beside the targets of issue 11 section 4.

    python3 bench/bench_abuse.py [--src DIR] [--scenario heavy|memory|cap|all]
                                 [--clients N] [--seconds S] [--sessions K] [--locust PATH]

A measurement, not a test: it prints its figures and a table, and exits 0 whatever they are.
Each scenario starts its own server (`python3 -m app --host 127.0.0.1 --port P` run in --src,
default this repository), samples the server's VmRSS and VmHWM from /proc, and stops it at the
end. All traffic is on 127.0.0.1; every loop is bounded in count and in time.

heavy   N clients (locust, bench/locust_abuse.py), each with its own maximum-size session,
        send the heaviest step request the server accepts, one after another; one cheap client
        times GET /api/health and a 1-step request every 100-200 ms. Ends within S + 60 s.
memory  K maximum-size sessions, each stepped with every map and patched to other
        architectures: RSS per session, extrapolated to the session cap. A 100 MB import body
        and a 200 MB CSV body: peak RSS and status. The GET size after R step requests.
cap     How long one client takes to fill a cap of 100 sessions, and whether a request with no
        body, or with a form or text content type (what any web page can send cross-site),
        creates a session.

Locust is a dependency of this bench only (not of the project): install it anywhere, e.g.
`python3 -m venv bench/.venv-locust && bench/.venv-locust/bin/pip install locust==2.47.0`;
it is found there, on PATH, or with --locust PATH.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MB = 1024 * 1024

CHEAP_P99_TARGET = 1.0  # s: a cheap request while others train (our reading of issue 11 s.4)
STARVED = 5.0  # s: a cheap request slower than this starved
HEAVY_BATCH = 10  # a small mini-batch: the most updates per request
PATCHED_ARCHITECTURES = 3  # other architectures each memory-scenario session is patched to
HISTORY_REQUESTS = 2000
IMPORT_BODY_MB = 100
CSV_BODY_MB = 200
CAP = 100  # BACKPROP_MAX_SESSIONS in the cap scenario
CAP_SECONDS = 60.0  # how long the filling client may try
STOP_TIMEOUT = 10  # s locust gives a request in flight when the heavy run ends


# The server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB (empty once it has gone)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return out


@dataclass
class Reply:
    status: int | str  # the HTTP status, or the exception's name (a timeout, a reset)
    body: bytes
    seconds: float
    headers: dict[str, str]

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body[:2000].decode("utf-8", "replace")


class Client:
    """One keep-alive connection to 127.0.0.1:port; a new one after any error."""

    def __init__(self, port: int, timeout: float = 60.0, source: str | None = None):
        self.port, self.timeout = port, timeout
        self.source = (source, 0) if source else None  # another loopback address: another client
        self.conn: http.client.HTTPConnection | None = None

    def call(self, method, path, body=None, headers=None, timeout=None) -> Reply:
        headers = dict(headers or {})
        if isinstance(body, dict | list):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        t0 = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, source_address=self.source
                )
            self.conn.timeout = timeout or self.timeout
            if self.conn.sock is not None:
                self.conn.sock.settimeout(self.conn.timeout)
            try:
                self.conn.request(method, path, body, headers)
            except OSError:
                # the server may answer (413) and close before the whole body is sent
                if self.conn.sock is None:
                    raise
            r = self.conn.getresponse()
            data = r.read()
            reply = Reply(r.status, data, time.perf_counter() - t0, dict(r.getheaders()))
            if r.will_close:
                self.close()
            return reply
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return Reply(type(e).__name__, b"", time.perf_counter() - t0, {})

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Server:
    """`python3 -m app` from src on a free port, its RSS sampled every 50 ms."""

    def __init__(self, src: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=src,
            env={**os.environ, **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.proc.pid
        self.sampled_peak = 0.0
        self.hwm_reset = False
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        probe = Client(self.port, timeout=5)
        deadline = time.monotonic() + 30
        while probe.call("GET", "/api/health").status != 200:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                self.log.seek(0)
                raise RuntimeError(f"the server did not start:\n{self.log.read()[-2000:]!r}")
            time.sleep(0.1)
        probe.close()

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            self.sampled_peak = max(self.sampled_peak, self.rss())

    def rss(self) -> float:
        return proc_status(self.pid).get("VmRSS", 0.0)

    def hwm(self) -> float:
        """The peak RSS since the start (or since reset_peak)."""
        return max(self.sampled_peak, proc_status(self.pid).get("VmHWM", 0.0))

    def reset_peak(self) -> None:
        # "5" resets the kernel's VmHWM to the current RSS; the sampler's peak goes with it
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self.sampled_peak = self.rss()

    def peak_since_reset(self) -> float:
        return self.hwm() if self.hwm_reset else self.sampled_peak

    def stop(self) -> None:
        self._done.set()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


# What the server allows --------------------------------------------------------------------


def options(client: Client) -> dict:
    r = client.call("GET", "/api/options")
    if r.status != 200:
        raise RuntimeError(f"GET /api/options: {r.status} {r.text[:200]}")
    return r.json()


def max_config(opts: dict, units: int | None = None) -> dict:
    """The largest session /api/options allows: every feature, 8 x 32 relu, every sample, the
    largest maps; a small mini-batch and a learning rate that keeps relu from diverging."""
    lim = opts["limits"]
    layers = int(lim["max_hidden_layers"])
    return {
        "features": [f["name"] for f in opts["features"]],
        "hidden": [{"units": units or int(lim["max_units"]), "activation": "relu"}] * layers,
        "n_samples": int(lim["max_samples"]),
        "batch_size": HEAVY_BATCH,
        "learning_rate": 0.001,
        "grid": int(lim["max_grid"]),
        "neuron_resolution": int(lim["max_neuron_resolution"]),
    }


def max_sessions(opts: dict, src: Path) -> tuple[int, str]:
    """The session cap and where it was read."""
    if "BACKPROP_MAX_SESSIONS" in os.environ:
        return int(os.environ["BACKPROP_MAX_SESSIONS"]), "BACKPROP_MAX_SESSIONS"
    if "max_sessions" in opts.get("limits", {}):
        return int(opts["limits"]["max_sessions"]), "/api/options"
    ask = "from app.settings import Settings; print(Settings().max_sessions)"
    try:
        out = subprocess.run(
            [sys.executable, "-c", ask], cwd=src, capture_output=True, text=True, timeout=60
        )
        return int(out.stdout.strip()), "the source's settings"
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 500, "assumed"


def largest_allowed(text: str) -> int | None:
    """The number a 422 names, as in "... ask for at most 20 epochs"."""
    found = re.findall(r"at most (\d+)", text)
    return int(found[-1]) if found else None


def heaviest_requests(client: Client, sid: str, max_steps: int, timeout: float):
    """For unit batch, then epoch: the largest steps the server accepts (asking for max_steps
    and taking the number a 422 names), each with its time alone on the server."""
    found = []
    for unit in ("batch", "epoch"):
        steps = max_steps
        for _ in range(6):
            body = {"steps": steps, "unit": unit, "grids": "all"}
            r = client.call("POST", f"/api/sessions/{sid}/step", body, timeout=timeout)
            print(f"  probe {json.dumps(body)}: {r.status} in {r.seconds:.2f} s", flush=True)
            if r.status == 200:
                found.append((body, r.seconds, len(r.body)))
                break
            if r.status == 422:
                k = largest_allowed(r.text)
                steps = k if k and k < steps else steps // 2
                print(f"    422: {r.json().get('detail', '')[:160]}")
                if steps < 1:
                    break
            elif r.status in (409, 429, 503):
                time.sleep(min(2.0, float(r.headers.get("Retry-After", "1"))))
            else:
                break
    return found


# Reporting ---------------------------------------------------------------------------------

TABLE: list[tuple[str, str, str, str]] = []  # figure, value, target, verdict


def row(figure: str, value: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    TABLE.append((figure, value, target, verdict))


def print_table() -> None:
    head = ("figure", "measured", "target (issue 11 s.4)", "")
    widths = [max(len(r[i]) for r in [head, *TABLE]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    print("\n" + line)
    for r in [head, None, *TABLE]:
        if r is None:
            print(line)
            continue
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    print(line)
    print(
        "p50/p99 of cheap requests are locust's (approximated: 2 significant digits), max is "
        "exact.\nA cheap request still unanswered when locust stopped counts as starved if it had "
        f"waited {STARVED:g} s by then."
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def statuses(counter: Counter) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items(), key=lambda kv: str(kv[0])))


# Scenario heavy ----------------------------------------------------------------------------


def find_locust(given: str | None) -> list[str] | None:
    if given:
        return [given]
    for candidate in (HERE / ".venv-locust" / "bin" / "locust", shutil.which("locust")):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    try:
        import locust  # noqa: F401

        return [sys.executable, "-m", "locust"]
    except ImportError:
        return None


def locust_stats(path: Path) -> dict[str, dict]:
    """Rows of locust's <prefix>_stats.csv by name; times in seconds."""
    out = {}
    if not path.exists():
        return out
    with open(path, newline="") as f:
        for r in csv.DictReader(f):

            def sec(key, r=r):
                v = r.get(key, "N/A")
                return float(v) / 1e3 if v not in ("N/A", "", None) else float("nan")

            out[r["Name"]] = {
                "count": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "p50": sec("50%"),
                "p99": sec("99%"),
                "max": sec("Max Response Time"),
            }
    return out


def scenario_heavy(args) -> None:
    print(f"\n== heavy: {args.clients} heavy clients and one cheap client, {args.seconds} s")
    locust = find_locust(args.locust)
    if locust is None:
        print(
            "  locust is not installed: this scenario needs it (a bench dependency only).\n"
            "  python3 -m venv bench/.venv-locust && "
            "bench/.venv-locust/bin/pip install locust==2.47.0\n"
            "  then re-run (or pass --locust PATH)."
        )
        row("heavy: load generator", "locust missing: not run")
        return
    deadline = time.monotonic() + args.seconds + 60
    server = Server(args.src)
    try:
        client = Client(server.port, timeout=20)
        opts = options(client)
        config = max_config(opts)
        print(f"  server pid {server.pid}, port {server.port}; limits {opts['limits']}")
        sid = client.call("POST", "/api/sessions?grids=none", config).json()["id"]
        found = heaviest_requests(client, sid, int(opts["limits"]["max_steps"]), timeout=20)
        client.close()
        if not found:
            row("heavy: heaviest request", "none accepted: not run")
            return
        for body, seconds, size in found:
            row(
                f"heavy: {body['unit']} x{body['steps']}, alone",
                f"{seconds:.2f} s, {size / MB:.1f} MB",
                "~1 s of work (a budget)",
                seconds <= 1.5,
            )
        tmp = Path(tempfile.mkdtemp(prefix="bench-abuse-"))
        record = tmp / "record.jsonl"
        env = {
            **os.environ,
            "ABUSE_HEAVY_USERS": str(args.clients),
            "ABUSE_HEAVY_CONFIG": json.dumps(config),
            "ABUSE_HEAVY_BODIES": json.dumps([b for b, _, _ in found]),
            "ABUSE_TIMEOUT": str(args.seconds + 20),
            "ABUSE_RECORD": str(record),
        }
        users = args.clients + 1
        cmd = [
            *locust,
            *("-f", str(HERE / "locust_abuse.py"), "--headless", "--only-summary"),
            *("-u", str(users), "-r", str(users), "-t", f"{args.seconds}s"),
            *("--stop-timeout", str(STOP_TIMEOUT), "--host", server.url),
            *("--csv", str(tmp / "abuse"), "--loglevel", "WARNING"),
            *("--exit-code-on-error", "0"),
        ]
        print(f"  locust: {' '.join(cmd[:3])} ... -u {users} -t {args.seconds}s", flush=True)
        t0 = time.monotonic()
        budget = max(args.seconds + 5, deadline - time.monotonic() - 12)
        with open(tmp / "locust.log", "wb") as log:
            proc = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                proc.wait(timeout=budget)
            except subprocess.TimeoutExpired:
                print(f"  locust still running after {budget:.0f} s: killed")
                proc.kill()
                proc.wait()
        print(f"  locust ran {time.monotonic() - t0:.1f} s (exit {proc.returncode}); its summary:")
        summary = (tmp / "locust.log").read_text(errors="replace").splitlines()
        print("\n".join("    " + x for x in summary[-40:]))
        report_heavy(args, locust_stats(tmp / "abuse_stats.csv"), record, ended=time.time())
        shutil.rmtree(tmp, ignore_errors=True)
    finally:
        peak = server.hwm()
        server.stop()
    row("heavy: server peak RSS", f"{peak:.0f} MB", "bounded (see memory)")


def report_heavy(args, stats: dict, record: Path, ended: float) -> None:
    lines = [json.loads(x) for x in record.read_text().splitlines()] if record.exists() else []
    if not stats or not lines:
        row("heavy: results", "none (see locust's log above)")
        return
    for name in ("cheap health", "cheap step"):
        s = stats.get(name)
        if s is None:
            row(f"heavy: {name}", "no request completed", f"p99 < {CHEAP_P99_TARGET:g} s", False)
            continue
        print(
            f"  {name}: n={s['count']} failures={s['failures']} p50 {ms(s['p50'])} "
            f"p99 {ms(s['p99'])} max {ms(s['max'])}"
        )
        row(
            f"heavy: {name} p50 / p99 / max",
            f"{ms(s['p50'])} / {ms(s['p99'])} / {ms(s['max'])} "
            f"(n={s['count']}, {s['failures']} failed)",
            f"p99 < {CHEAP_P99_TARGET:g} s",
            s["p99"] < CHEAP_P99_TARGET,
        )
    stop = next((x["t"] for x in lines if x["status"] == "stop"), lines[-1]["t"])
    sent: dict[tuple, list[float]] = {}
    for x in lines:
        if x["status"] == "sent":
            sent.setdefault((x["user"], x["name"]), []).append(x["t"])
    lines = [x for x in lines if x["status"] not in ("sent", "stop")]  # the answers
    answers = Counter((x["user"], x["name"]) for x in lines)
    # each client is sequential: its k-th answer of a name is its k-th request of that name;
    # those after the last answer were cut off, having waited at least until locust stopped
    unanswered = [
        (user, name, t)
        for (user, name), times in sent.items()
        for t in times[answers[user, name] :]
    ]
    for group in ("cheap", "heavy"):
        waits = [stop - t for u, _, t in unanswered if (u == "cheap") == (group == "cheap")]
        span = f" (sent {min(waits):.1f} to {max(waits):.1f} s before)" if waits else ""
        print(f"  {group} requests unanswered when locust stopped: {len(waits)}{span}")
    cheap = [x for x in lines if x["user"] == "cheap"]
    create = [x for x in cheap if x["name"] == "cheap create"]
    if create:
        row("heavy: cheap client's create", ms(create[0]["seconds"]), "")
    slow = sum(x["seconds"] > STARVED for x in cheap)
    cut = sum(1 for u, _, t in unanswered if u == "cheap" and stop - t > STARVED)
    row(
        f"heavy: cheap requests > {STARVED:g} s",
        f"{slow} + {cut} unanswered, of {len(cheap) + cut}",
        "none (no starving)",
        slow + cut == 0,
    )
    ok = [x for x in lines if x["name"].startswith("heavy step") and x["status"] == 200]
    zero = args.clients - len({x["user"] for x in ok})
    per_client = sorted(Counter(x["user"] for x in ok).values()) + [0] * zero
    print(f"  heavy requests completed per client: {per_client}")
    for unit in ("batch", "epoch"):
        took = [x["seconds"] for x in ok if x["name"] == f"heavy step {unit}"]
        p50 = f", p50 {float(np.median(took)):.1f} s" if took else ""
        row(f"heavy: heavy {unit} requests completed (200)", f"{len(took)}{p50}", "")
    # locust gave these its stop timeout, then dropped them when it exited
    cut = [ended - t for u, _, t in unanswered if u != "cheap"]
    longest = f", sent >= {min(cut):.0f} s before locust exited" if cut else ""
    row("heavy: heavy requests cut off at the end", f"{len(cut)}{longest}", "")
    row(
        "heavy: heavy clients with 0 completed",
        f"{zero} of {args.clients}",
        "none (no starving)",
        zero == 0,
    )
    for group in ("heavy", "cheap"):
        codes = Counter(x["status"] for x in lines if (x["user"] == "cheap") == (group == "cheap"))
        print(f"  {group} status codes: {statuses(codes)}")
        row(f"heavy: {group} status codes", statuses(codes), "")


# Scenario memory ---------------------------------------------------------------------------


def scenario_memory(args) -> None:
    print(f"\n== memory: {args.sessions} maximum-size sessions, large bodies, history")
    server = Server(args.src)
    try:
        client = Client(server.port, timeout=120)
        opts = options(client)
        cap, where = max_sessions(opts, args.src)
        units = int(opts["limits"]["max_units"])
        others = [max_config(opts, units - 1 - i)["hidden"] for i in range(PATCHED_ARCHITECTURES)]
        config = max_config(opts)
        points = [(0, server.rss())]
        print(f"  server pid {server.pid}: {points[0][1]:.0f} MB at start")
        created, failures, codes = 0, 0, Counter()
        for _ in range(args.sessions):
            r = client.call("POST", "/api/sessions?grids=none", config)
            codes[r.status] += 1
            if r.status != 201:
                failures += 1
                if failures >= 3:
                    print(f"  create refused three times in a row ({r.status}): stopping")
                    break
                time.sleep(min(5.0, float(r.headers.get("Retry-After", "1"))))
                continue
            sid, created, failures = r.json()["id"], created + 1, 0
            codes[client.call("POST", f"/api/sessions/{sid}/step", {"grids": "all"}).status] += 1
            for hidden in others:  # each answer carries every map: the buffers of that shape
                codes[client.call("PATCH", f"/api/sessions/{sid}", {"hidden": hidden}).status] += 1
            if created % 5 == 0:
                points.append((created, server.rss()))
                print(f"  {created:3d} sessions: RSS {points[-1][1]:.0f} MB", flush=True)
        print(f"  status codes: {statuses(codes)}")
        n, rss = np.array(points).T
        slope = float(np.polyfit(n, rss, 1)[0]) if len(points) >= 2 else float("nan")
        whole = rss[0] + slope * cap
        machine = proc_meminfo_mb()
        row(
            f"memory: RSS at 0 / {created} max sessions",
            f"{rss[0]:.0f} / {rss[-1]:.0f} MB (peak {server.hwm():.0f})",
            "",
        )
        row(
            f"memory: MB per session (+{PATCHED_ARCHITECTURES} architectures)",
            f"{slope:.1f} MB",
            "bounded and stated",
        )
        row(
            f"memory: at the cap ({cap}, {where})",
            f"{whole / 1024:.1f} GB" if np.isfinite(slope) else f"not measured ({created})",
            f"<= half of this machine ({machine / 2048:.0f} GB)",
            whole <= machine / 2,
        )
    finally:
        server.stop()
    bodies_and_history(args)


def proc_meminfo_mb() -> float:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def import_body(size: int) -> bytes:
    """A valid saved model whose data holds ~size bytes of points (far over max_samples)."""
    head = (
        b'{"format":"backprop-lab-model","version":1,"config":{},'
        b'"layers":[{"activation":"sigmoid","W":[[0.5,0.5]],"b":[[0.0]]}],'
        b'"data":{"train":{"X":['
    )
    point = b"[0.123456789,-0.987654321],"
    n = max(1, (size - len(head)) // len(point))
    return head + point * (n - 1) + point[:-1] + b'],"y":[]}}}'


def csv_body(size: int) -> bytes:
    """{"csv": "..."} with ~size bytes of rows (the limit is 256,000 characters)."""
    line = b"0.123456,-0.654321,1\\n"
    return b'{"csv":"' + line * (size // len(line)) + b'"}'


def bodies_and_history(args) -> None:
    server = Server(args.src)
    try:
        client = Client(server.port, timeout=180)
        sid = client.call("POST", "/api/sessions?grids=none", {}).json()["id"]
        for name, path, make, size in (
            ("import", "/api/sessions/import?grids=none", import_body, IMPORT_BODY_MB),
            ("csv", f"/api/sessions/{sid}/data/csv?grids=none", csv_body, CSV_BODY_MB),
        ):
            body = make(size * MB)
            before = server.rss()
            server.reset_peak()
            r = client.call("POST", path, body, {"Content-Type": "application/json"})
            time.sleep(0.2)  # one more sample after the answer
            peak = server.peak_since_reset()
            print(
                f"  {name} body {len(body) / MB:.0f} MB: {r.status} in {r.seconds:.1f} s, "
                f"RSS {before:.0f} MB before, peak {peak:.0f} MB ({r.text[:100]!r})",
                flush=True,
            )
            row(
                f"memory: {len(body) / MB:.0f} MB {name} body",
                f"{r.status} in {r.seconds:.1f} s, peak +{peak - before:.0f} MB "
                f"(from {before:.0f})",
                "413 before parsing, peak +< 25 MB",
                r.status == 413 and peak - before < 25,
            )
            del body
        history(client, server)
    finally:
        server.stop()


def history(client: Client, server: Server) -> None:
    sid = client.call("POST", "/api/sessions?grids=none", {}).json()["id"]

    def size() -> int:
        return len(client.call("GET", f"/api/sessions/{sid}?grids=none").body)

    sizes, codes, done = {0: size()}, Counter(), 0
    end = time.monotonic() + 120
    for target in (HISTORY_REQUESTS // 2, HISTORY_REQUESTS):
        while done < target and time.monotonic() < end:
            r = client.call("POST", f"/api/sessions/{sid}/step", {"steps": 1, "grids": "none"})
            codes[r.status] += 1
            done += 1
            if r.status in (429, 503):
                time.sleep(min(1.0, float(r.headers.get("Retry-After", "0.1"))))
        sizes[done] = size()
    print(f"  history: GET ?grids=none sizes {sizes} bytes; step statuses {statuses(codes)}")
    (n0, s0), (n1, s1), (n2, s2) = sizes.items()
    per = (s2 - s1) / max(1, n2 - n1)
    row(
        f"memory: GET after 0 / {n1} / {n2} steps",
        f"{s0 / 1024:.0f} / {s1 / 1024:.0f} / {s2 / 1024:.0f} KB",
        "history capped or thinned",
        s2 - s1 <= 0.05 * s1,
    )
    row(
        "memory: GET at 40,000 steps (linear)",
        f"{(s2 + per * (40000 - n2)) / MB:.1f} MB ({per:.0f} B per request)",
        "",
    )


# Scenario cap ------------------------------------------------------------------------------

CROSS_SITE = (
    ("no Content-Type, no body", {}, None),
    ("text/plain, no body", {"Content-Type": "text/plain"}, b""),
    ("form-urlencoded, no body", {"Content-Type": "application/x-www-form-urlencoded"}, b""),
    ("multipart/form-data, no body", {"Content-Type": "multipart/form-data; boundary=x"}, b""),
    ("text/plain, body {}", {"Content-Type": "text/plain"}, b"{}"),
)


def scenario_cap(args) -> None:
    print(f"\n== cap: BACKPROP_MAX_SESSIONS={CAP}")
    server = Server(args.src, env={"BACKPROP_MAX_SESSIONS": str(CAP)})
    try:
        client = Client(server.port, timeout=30)
        before = 0  # sessions these made
        for name, headers, body in CROSS_SITE:
            r = client.call("POST", "/api/sessions?grids=none", body, headers)
            print(f"  cross-site style POST /api/sessions, {name}: {r.status}")
            row(f"cap: {name}", str(r.status), "not 201 (JSON only)", r.status != 201)
            before += r.status == 201
        codes, created, filled = Counter(), 0, None
        t0 = time.monotonic()
        for _ in range(20 * CAP):
            if time.monotonic() - t0 > CAP_SECONDS:
                break
            r = client.call("POST", "/api/sessions?grids=none", {})
            codes[r.status] += 1
            if r.status == 201:
                created += 1
            elif r.status == 503:
                filled = time.monotonic() - t0
                break
            else:
                time.sleep(0.05)
        print(f"  filling: {created} created, statuses {statuses(codes)}")
        value = (
            f"full after {filled:.1f} s ({created} created, {before} before)"
            if filled is not None
            else f"not full after {time.monotonic() - t0:.0f} s ({created} created)"
        )
        # A full server must not lock the others out: another address (127.0.0.2 is loopback
        # too) still gets a session, at the cost of the largest holder's least recently used.
        other = Client(server.port, timeout=30, source="127.0.0.2")
        r = other.call("POST", "/api/sessions?grids=none", {})
        locked_out = r.status != 201
        row(
            f"cap: one client fills {CAP} sessions",
            value,
            "cannot, or cannot lock others out",
            filled is None or not locked_out,
        )
        row("cap: statuses while filling", statuses(codes), "")
        row("cap: then another address creates", str(r.status), "201 (no lockout)", not locked_out)
    finally:
        server.stop()


# -------------------------------------------------------------------------------------------


def load_average() -> str:
    """The machine's 1/5/15-minute load: other work on these 2 cores skews every figure."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT, help="source folder to serve from")
    parser.add_argument("--scenario", choices=["heavy", "memory", "cap", "all"], default="all")
    parser.add_argument("--clients", type=int, default=8, help="heavy clients")
    parser.add_argument("--seconds", type=int, default=30, help="length of the heavy load")
    parser.add_argument("--sessions", type=int, default=20, help="sessions in memory")
    parser.add_argument("--locust", help="the locust executable (default: found)")
    args = parser.parse_args()
    args.src = args.src.resolve()
    if not (args.src / "app" / "__main__.py").exists():
        parser.error(f"--src {args.src}: no app/__main__.py there")
    commit = subprocess.run(
        ["git", "-C", str(args.src), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"bench_abuse: serving {args.src} ({commit or 'not a git checkout'})")
    print(f"  {os.cpu_count()} cores, {proc_meminfo_mb() / 1024:.1f} GB; {time.ctime()}")
    t0 = time.monotonic()
    scenarios = {"heavy": scenario_heavy, "memory": scenario_memory, "cap": scenario_cap}
    for name, run in scenarios.items():
        if args.scenario in (name, "all"):
            t = time.monotonic()
            print(f"\n  load average before: {load_average()}")
            try:
                run(args)
            except Exception as e:  # a measurement: report and go on with the next scenario
                traceback.print_exc()
                row(f"{name}: failed", f"{type(e).__name__}: {e}"[:80])
            print(f"  ({name}: {time.monotonic() - t:.0f} s; load average {load_average()})")
    print_table()
    print(f"total {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()
