"""Sessions in a real Redis (app/redis_store.py): two apps on one Redis behave as two workers."""

import hashlib
import time

import pytest
import redis
from fastapi.testclient import TestClient
from redis.lock import Lock

from app.main import create_app
from app.settings import Settings

JSON = {"content-type": "application/json"}


def app_on(url: str, **settings) -> TestClient:
    return TestClient(create_app(Settings(redis_url=url, **settings)))


def create(client, **config) -> dict:
    r = client.post("/api/sessions?grids=none", json=config)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_session_made_on_one_worker_steps_on_the_other_and_is_deleted_for_both(redis_url):
    a, b = app_on(redis_url), app_on(redis_url)
    s = create(a)
    assert b.post(f"/api/sessions/{s['id']}/step?grids=none", json={"steps": 3}).json()["step"] == 3
    assert a.post(f"/api/sessions/{s['id']}/step?grids=none", json={"steps": 2}).json()["step"] == 5
    history = a.get(f"/api/sessions/{s['id']}?grids=none").json()["history"]
    assert [h["step"] for h in history][-2:] == [3, 5]
    assert b.delete(f"/api/sessions/{s['id']}").status_code == 204
    assert a.get(f"/api/sessions/{s['id']}").status_code == 404
    assert a.delete(f"/api/sessions/{s['id']}").status_code == 404


@pytest.mark.parametrize(
    "limit, status, says",
    [
        ({"max_sessions": 2}, 503, "as many sessions as it may"),
        ({"sessions_per_client": 2}, 429, "holds 2 sessions"),
        ({"creates_per_minute": 2}, 429, "faster than 2 a minute"),
    ],
)
def test_the_cap_and_the_per_client_limits_count_every_workers_sessions(
    redis_url, limit, status, says
):
    a, b = app_on(redis_url, **limit), app_on(redis_url, **limit)
    create(a)
    create(b)
    r = a.post("/api/sessions", json={})
    assert r.status_code == status and says in r.json()["detail"]
    assert int(r.headers["retry-after"]) >= 1


def test_idle_sessions_expire_with_their_keys(redis_url):
    client = app_on(redis_url, session_ttl_seconds=2)
    s = create(client)
    url = f"/api/sessions/{s['id']}?grids=none"
    time.sleep(1.2)
    assert client.get(url).status_code == 200  # each use starts the 2 s again
    time.sleep(1.2)
    assert client.get(url).status_code == 200  # 2.4 s after its creation
    time.sleep(2.5)
    assert client.get(url).status_code == 404
    assert len(client.app.state.store) == 0


def test_a_lock_left_by_a_dead_worker_frees_itself_by_its_expiry(redis_url):
    client = app_on(redis_url, redis_lock_seconds=1.5, lock_wait_seconds=0.2)
    s = create(client)
    dead = Lock(redis.Redis.from_url(redis_url), f"bp:lock:{s['id']}", timeout=1.5)
    assert dead.acquire(blocking=False)  # taken, never released
    url = f"/api/sessions/{s['id']}/step?grids=none"
    r = client.post(url, json={"steps": 1})
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    time.sleep(1.6)
    assert client.post(url, json={"steps": 1}).json()["step"] == 1


def test_a_damaged_or_foreign_snapshot_is_a_session_gone(redis_url):
    client = app_on(redis_url)
    s = create(client)
    r = redis.Redis.from_url(redis_url)
    r.set(f"bp:s:{s['id']}", b"not a snapshot")
    assert client.post(f"/api/sessions/{s['id']}/step", json={"steps": 1}).status_code == 404
    assert not r.exists(f"bp:s:{s['id']}") and len(client.app.state.store) == 0


def test_class_mode_runs_with_several_workers_and_keeps_its_classes_in_redis(redis_url):
    client = app_on(redis_url, workers=2)
    s = create(client)
    r = client.post(f"/api/sessions/{s['id']}/class", headers=JSON)
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    other = app_on(redis_url, workers=2)  # another worker: the class is there too
    assert other.get(f"/api/classes/{code}").json()["code"] == code
    # Redis keeps the token's SHA-256 only
    token = r.json()["teacher_token"]
    stored = redis.Redis.from_url(redis_url).hgetall(f"bp:c:{code}")
    assert token.encode() not in b"".join(stored.values())
    assert stored[b"th"] == hashlib.sha256(token.encode()).hexdigest().encode()


def test_a_request_that_outlives_its_lock_keeps_nothing_and_says_so(redis_url):
    """A step still running when its lock expired (another worker may hold it by now) writes
    no state: a 503 says why, the stored session is the one before, and nothing fails later."""
    client = app_on(redis_url)
    app = client.app
    s = create(client)
    session = app.state.store.get(s["id"])
    assert session.lock.acquire(blocking=False)
    t = session.load()
    t.step(5)
    redis.Redis.from_url(redis_url).delete(session.lock.name)  # its expiry, early
    with pytest.raises(Exception, match="longer than its session lock lasts") as lost:
        session.save(t)
    assert lost.value.retry_after >= 1
    session.lock.release()  # no error: the expiry freed it already
    r = client.get(f"/api/sessions/{s['id']}?grids=none")
    assert r.status_code == 200 and r.json()["frame"]["step"] == 0
