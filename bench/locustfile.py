"""Locust users for bench/bench_load.py: a class of students, a teacher, the teacher's followers.

- Student: its own session (created on start), then a step with the output map ten times a
  second (constant throughput; a step waits for the one before, as the page's loop does).
- Teacher: one session with a class, stepping ten times a second with every map.
- Follower: one of the class's event streams (`GET /api/classes/{code}/events`), read for the
  whole run; each `frame` event is reported as request type SSE, its time the gap since the
  follower's previous frame (so the median shows the delivery rate, about 100 ms at 10 a s).

The teacher's session and class are made once, at the start of the run, and shared.
"""

from __future__ import annotations

import json
import os
import threading
import time

import requests
from locust import FastHttpUser, HttpUser, between, constant_throughput, events, task

STUDENT_CONFIG = {"dataset": "circle"}  # the default network, as a class starts
STUDENT_STEP = {"steps": 1, "grids": "output"}
TEACHER_STEP = {"steps": 1, "grids": "all"}
JSON = {"content-type": "application/json"}
# Brotli, as a browser gets it over HTTPS (the page on plain HTTP gets zstd, which this load
# generator cannot read): gzip, a load generator's default, costs the server 2.5 ms for a
# step response of 59 KB, brotli 0.8 ms, zstd 0.6 ms.
BROWSER = {"accept-encoding": "br"}

_class: dict = {}
_ready = threading.Event()


@events.test_start.add_listener
def _open_class(environment, **_):
    """The teacher's session and its class, before any user starts."""
    if os.environ.get("BENCH_FOLLOWERS", "0") == "0":
        _ready.set()
        return
    host = environment.host
    s = requests.post(f"{host}/api/sessions?grids=none", json={}, headers=JSON, timeout=30)
    s.raise_for_status()
    c = requests.post(f"{host}/api/sessions/{s.json()['id']}/class", json={}, headers=JSON)
    if c.status_code == 201:
        _class.update(session=s.json()["id"], code=c.json()["code"])
    else:
        _class.update(error=f"{c.status_code} {c.text[:200]}")
    _ready.set()


def _step(client, sid: str, body: dict, name: str) -> None:
    client.post(f"/api/sessions/{sid}/step", json=body, headers=BROWSER, name=name)


class Student(FastHttpUser):
    wait_time = constant_throughput(10)

    def on_start(self):
        r = self.client.post("/api/sessions?grids=none", json=STUDENT_CONFIG, name="create")
        self.sid = r.json()["id"] if r.status_code == 201 else None

    @task
    def step(self):
        if self.sid is None:
            self.on_start()
            return
        _step(self.client, self.sid, STUDENT_STEP, "student step")


class Teacher(FastHttpUser):
    fixed_count = 1
    wait_time = constant_throughput(10)

    @task
    def step(self):
        _ready.wait()
        if "session" not in _class:
            time.sleep(1)
            return
        _step(self.client, _class["session"], TEACHER_STEP, "teacher step")


class Follower(HttpUser):
    fixed_count = int(os.environ.get("BENCH_FOLLOWERS", "0"))
    wait_time = between(0.5, 1)

    @task
    def follow(self):
        _ready.wait()
        if "code" not in _class:
            time.sleep(1)
            return
        url = f"/api/classes/{_class['code']}/events"
        last = None
        with self.client.get(
            url, stream=True, name="event stream", timeout=60, catch_response=True
        ) as r:
            kind = None
            for line in r.iter_lines():
                if line.startswith(b"event:"):
                    kind = line[6:].strip().decode()
                elif line.startswith(b"data:") and kind == "frame":
                    now = time.perf_counter()
                    if last is not None:
                        events.request.fire(
                            request_type="SSE",
                            name="frame",
                            response_time=(now - last) * 1000,
                            response_length=len(line),
                            exception=None,
                            context={},
                        )
                    last = now
                    json.loads(line[5:])  # a whole, valid event


# Which users run is chosen on the command line (bench_load.py): Student, Teacher, Follower.
