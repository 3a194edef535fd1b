"""Locust users for bench/bench_abuse.py (scenario "heavy"); not meant to be run by hand.

HeavyUser (ABUSE_HEAVY_USERS of them) creates its own maximum-size session and sends the
heaviest step requests the server accepted (ABUSE_HEAVY_BODIES, found by bench_abuse.py), one
after the other with no pause. CheapUser (exactly one) times GET /api/health and a 1-step
request on its own small session every 100-200 ms.

Besides locust's CSV, every request is written to ABUSE_RECORD (JSON lines: name, status,
seconds, user, t) when it is sent (status "sent") and when it is answered, and the moment
locust starts stopping (status "stop"), so that the bench can count status codes, each heavy
client's completions and the requests left unanswered; locust's own statistics keep none of
these.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time

from locust import HttpUser, between, constant, events, task

N_HEAVY = int(os.environ.get("ABUSE_HEAVY_USERS", "8"))
HEAVY_CONFIG = json.loads(os.environ.get("ABUSE_HEAVY_CONFIG", "{}"))
HEAVY_BODIES = json.loads(os.environ.get("ABUSE_HEAVY_BODIES", "[]"))
TIMEOUT = float(os.environ.get("ABUSE_TIMEOUT", "60"))
RECORD = os.environ.get("ABUSE_RECORD", "abuse-record.jsonl")

_out = open(RECORD, "a", buffering=1)  # line-buffered, open for the whole run
_out_lock = threading.Lock()
_user_ids = iter(range(10**6))


def _write(name: str, status: int | str, seconds: float, user: str | None) -> None:
    line = {"name": name, "status": status, "seconds": seconds, "user": user, "t": time.time()}
    with _out_lock:
        _out.write(json.dumps(line) + "\n")


@events.request.add_listener
def _record(name, response_time, response, exception, context, **_):
    status = getattr(response, "status_code", None) or 0
    if exception is not None and not status:
        status = type(exception).__name__
    _write(name, status, response_time / 1e3, (context or {}).get("user"))


@events.test_stopping.add_listener
def _stopping(**_):
    # from here on locust stops its users, some in the middle of a request
    _write("locust stopping", "stop", 0.0, None)


def _retry_after(response) -> float:
    """Seconds to back off after a refusal: the server's Retry-After, at most 2 s."""
    try:
        return min(2.0, max(0.1, float(response.headers.get("Retry-After", "0.5"))))
    except ValueError:
        return 0.5


def _largest_allowed(text: str) -> int | None:
    """The number in a 422 such as "... ask for at most 20 epochs"."""
    found = re.findall(r"at most (\d+)", text)
    return int(found[-1]) if found else None


class _Client(HttpUser):
    abstract = True
    id = "cheap"
    sid = None

    def context(self):
        return {"user": self.id}  # for _record: which client sent the request

    def send(self, method: str, path: str, name: str, **kwargs):
        # noted when sent: one still unanswered when locust stops has no answer to record
        _write(name, "sent", 0.0, self.id)
        return self.client.request(method, path, name=name, timeout=TIMEOUT, **kwargs)


class HeavyUser(_Client):
    fixed_count = N_HEAVY
    wait_time = constant(0)

    def on_start(self):
        self.id = f"heavy-{next(_user_ids)}"
        self.bodies = [dict(b) for b in HEAVY_BODIES]
        self.turn = 0
        for _ in range(5):
            r = self.send("POST", "/api/sessions?grids=none", "heavy create", json=HEAVY_CONFIG)
            if r.status_code == 201:
                self.sid = r.json()["id"]
                return
            time.sleep(_retry_after(r))

    @task
    def heavy_step(self):
        if self.sid is None or not self.bodies:
            time.sleep(1.0)  # never got a session: this client is starved
            return
        body = self.bodies[self.turn % len(self.bodies)]
        self.turn += 1
        path, name = f"/api/sessions/{self.sid}/step", f"heavy step {body['unit']}"
        with self.send("POST", path, name, json=body, catch_response=True) as r:
            if r.status_code == 422:
                # a budget that moved (e.g. one measured in time): take what it names
                k = _largest_allowed(r.text)
                body["steps"] = k if k and k < body["steps"] else max(1, body["steps"] // 2)
            elif r.status_code in (409, 429, 503):
                time.sleep(_retry_after(r))


class CheapUser(_Client):
    fixed_count = 1
    wait_time = between(0.1, 0.2)

    @task
    def cheap(self):
        self.send("GET", "/api/health", "cheap health")
        if self.sid is None:
            # its own small default session, made here so that its cost is timed too
            r = self.send("POST", "/api/sessions?grids=none", "cheap create", json={})
            if r.status_code == 201:
                self.sid = r.json()["id"]
            return
        path = f"/api/sessions/{self.sid}/step"
        self.send("POST", path, "cheap step", json={"steps": 1, "grids": "none"})
