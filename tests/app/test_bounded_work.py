"""No client can stall, exhaust or lock out the server: bounded work, waits, bodies, quotas."""

import threading
import time
import tracemalloc

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.sessions import MemoryStore, Quota, SessionNotFound
from app.settings import Settings
from nncore.limits import LIMITS
from nncore.trainer import Config, Trainer

LARGEST = {
    "hidden": [{"units": LIMITS.max_units, "activation": "relu"}] * LIMITS.max_hidden_layers,
    "n_samples": LIMITS.max_samples,
    "batch_size": 1000,
}


def create(client, **config):
    r = client.post("/api/sessions?grids=none", json=config)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_a_step_beyond_the_work_budget_names_the_most_allowed_and_that_runs():
    client = TestClient(create_app(Settings()))
    sid = create(client, **LARGEST)
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": 1000, "grids": "all"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "steps"
    most = int(r.json()["detail"].rsplit("at most ", 1)[1])
    assert 1 <= most < 1000
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": most, "grids": "all"})
    assert r.status_code == 200 and r.json()["step"] == most
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": most + 1, "grids": "all"})
    assert r.status_code == 422


def test_epochs_are_bounded_by_their_updates():
    client = TestClient(create_app(Settings(max_updates=500)))
    sid = create(client, batch_size=1)  # 250 updates an epoch
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": 3, "unit": "epoch"})
    assert r.status_code == 422 and "at most 2" in r.json()["detail"]
    assert (
        client.post(f"/api/sessions/{sid}/step", json={"steps": 2, "unit": "epoch"}).json()["epoch"]
        == 2
    )


def test_waiting_for_a_busy_session_is_bounded_and_says_when_to_retry():
    app = create_app(Settings(lock_wait_seconds=0.2))
    client = TestClient(app)
    sid = create(client)
    lock = app.state.store.get(sid).lock
    lock.acquire()  # another request holds the session
    try:
        t0 = time.monotonic()
        r = client.post(f"/api/sessions/{sid}/step", json={})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert time.monotonic() - t0 < 2
    finally:
        lock.release()
    assert client.post(f"/api/sessions/{sid}/step", json={}).status_code == 200


def test_heavy_work_waits_for_a_compute_slot_then_answers_503_and_light_work_goes_on():
    app = create_app(Settings(compute_slots=1, queue_wait_seconds=0.2))
    client = TestClient(app)
    heavy, light = create(client, **LARGEST), create(client)
    app.state.work.slots.acquire()  # the one slot is taken by other training
    try:
        r = client.post(f"/api/sessions/{heavy}/step", json={"steps": 100})
        assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1
        # a classroom-sized step needs no slot, and health none at all
        assert client.post(f"/api/sessions/{light}/step", json={}).status_code == 200
        assert client.get("/api/health").status_code == 200
    finally:
        app.state.work.slots.release()
    assert client.post(f"/api/sessions/{heavy}/step", json={"steps": 100}).status_code == 200


def test_health_answers_on_the_event_loop_while_every_worker_thread_is_busy():
    app = create_app(Settings())
    client = TestClient(app)
    sid = create(client)
    lock = app.state.store.get(sid).lock
    lock.acquire()
    waiting = [
        threading.Thread(
            target=client.post, args=(f"/api/sessions/{sid}/step",), kwargs={"json": {}}
        )
        for _ in range(50)
    ]
    try:
        for w in waiting:
            w.start()
        time.sleep(0.2)
        t0 = time.monotonic()
        assert client.get("/api/health").status_code == 200
        assert time.monotonic() - t0 < 1.0
    finally:
        lock.release()
        for w in waiting:
            w.join()


def test_a_body_over_the_limit_is_a_413_before_it_is_parsed():
    client = TestClient(create_app(Settings(max_body_bytes=1000)))
    big = b'{"csv": "' + b"1,2,0\\n" * 400 + b'"}'
    r = client.post("/api/sessions", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "1000 bytes" in r.json()["detail"]

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b" " * 100

    r = client.post("/api/sessions", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert client.post("/api/sessions", json={}).status_code == 201


@pytest.mark.parametrize(
    "headers, body",
    [
        ({}, None),
        ({"content-type": "text/plain"}, b"{}"),
        ({"content-type": "application/x-www-form-urlencoded"}, b"a=1"),
        ({"content-type": "multipart/form-data; boundary=x"}, b""),
    ],
)
def test_only_json_creates_a_session_so_a_cross_site_page_cannot(headers, body):
    app = create_app(Settings())
    client = TestClient(app)
    r = client.post("/api/sessions", content=body, headers=headers)
    assert r.status_code == 415 and len(app.state.store) == 0


def test_one_address_cannot_take_every_slot():
    app = create_app(Settings(max_sessions=6, sessions_per_client=3))
    school = TestClient(app, client=("10.1.2.3", 4000))
    for _ in range(3):
        create(school)
    r = school.post("/api/sessions", json={})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    other = TestClient(app, client=("10.9.9.9", 4000))
    assert other.post("/api/sessions", json={}).status_code == 201


def test_creation_is_rate_limited_per_address():
    client = TestClient(create_app(Settings(creates_per_minute=5)))
    for _ in range(5):
        create(client)
    r = client.post("/api/sessions", json={})
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 12


@pytest.mark.memory_store  # reads or sets the memory store's own fields
def test_a_full_server_forgets_the_longest_idle_session_to_make_room():
    app = create_app(Settings(max_sessions=2, evict_idle_seconds=0))
    client = TestClient(app)
    first, second = create(client), create(client)
    client.get(f"/api/sessions/{first}?grids=none")  # first is now the more recently used
    third = create(client)
    assert client.get(f"/api/sessions/{second}").status_code == 404
    assert {first, third} <= set(app.state.store._sessions)


def test_a_full_server_never_locks_a_newcomer_out():
    app = create_app(Settings(max_sessions=4))
    hog = TestClient(app, client=("10.1.1.1", 4000))
    ids = [create(hog) for _ in range(4)]
    r = hog.post("/api/sessions", json={})
    assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1  # the hog waits
    newcomer = TestClient(app, client=("10.2.2.2", 4000))
    mine = create(newcomer)  # the hog's least recently used session made room
    assert hog.get(f"/api/sessions/{ids[0]}").status_code == 404
    assert all(hog.get(f"/api/sessions/{i}").status_code == 200 for i in ids[1:])
    assert newcomer.get(f"/api/sessions/{mine}").status_code == 200


def test_expired_sessions_are_swept_without_waiting_for_a_create():
    now = [0.0]
    store = MemoryStore(ttl=10, cap=5, clock=lambda: now[0], quota=Quota())
    sid = store.create(Trainer(Config(n_samples=50))).id
    now[0] = 11
    assert store.sweep() == 1 and len(store) == 0
    with pytest.raises(SessionNotFound):
        store.get(sid)
    # and a real store sweeps by itself
    live = MemoryStore(ttl=0.3, cap=5, sweep=True)
    live.create(Trainer(Config(n_samples=50)))
    deadline = time.monotonic() + 5
    while len(live) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(live) == 0


def test_a_largest_session_holds_a_bounded_memory_whatever_it_was_patched_to():
    tracemalloc.start()
    try:
        t = Trainer(Config(**{**LARGEST, "hidden": ()}, grid=200, neuron_resolution=64))
        for units in (32, 31, 30, 29, 28):
            t.apply(hidden=[{"units": units, "activation": "relu"}] * 8)
            t.step(2, grids="all", trace=True)
        t.apply(batch_size=2000)
        t.step(1, grids="all", trace=True)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 16e6, f"{held / 1e6:.1f} MB"  # the figure stated in the README


def test_the_history_is_thinned_not_cut_and_stays_bounded():
    t = Trainer(Config(n_samples=50))
    for _ in range(3 * LIMITS.max_history):
        t.step(1)
    h = t.history
    assert len(h) <= LIMITS.max_history
    steps = [e.step for e in h]
    assert steps == sorted(steps) and steps[-1] == 3 * LIMITS.max_history
    assert steps[0] <= 8  # it still begins near the start


def test_heavy_requests_take_the_slots_in_the_order_they_came():
    import anyio

    from app.work import Work

    work = Work(slots=1, light_seconds=0, queue_wait=5, lock_wait=1)
    order = []

    async def heavy(name: str, delay: float):
        await anyio.sleep(delay)
        await work.compute(1.0, lambda: (order.append(name), time.sleep(0.05)))

    async def main():
        work.slots.acquire()  # the slot is busy while three requests line up
        async with anyio.create_task_group() as tg:
            for i, name in enumerate("abc"):
                tg.start_soon(heavy, name, 0.02 * i)
            await anyio.sleep(0.2)
            work.slots.release()

    anyio.run(main)
    assert order == ["a", "b", "c"]
