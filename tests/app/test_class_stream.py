"""Class mode's event stream over real HTTP: a uvicorn server, httpx streaming clients.

Students' streams receive `frame` events whose step follows the teacher's steps, the
question, its tally and its reveal, and `end`; a reconnection with Last-Event-ID resumes at the
latest frame; an idle stream gets keep-alive comments; and no byte of any stream holds the
teacher's session id."""

import time

import httpx
import pytest

from tests.app.sse import JSON, Stream, post
from tests.conftest import serving


@pytest.fixture(scope="module")
def server():
    env = {"BACKPROP_CLASS_PING_SECONDS": "0.5", "BACKPROP_CLASS_FRAMES_PER_SECOND": "1"}
    with serving(env) as url:
        yield url


def setup(server):
    sid = post(f"{server}/api/sessions").json()["id"]
    k = post(f"{server}/api/sessions/{sid}/class").json()
    return sid, k, {"authorization": f"Bearer {k['teacher_token']}"}


def step(server, sid, steps=1) -> dict:
    r = post(f"{server}/api/sessions/{sid}/step", {"steps": steps, "grids": "all"})
    assert r.status_code == 200
    return r.json()


def test_frames_follow_the_teachers_steps(server, streams):
    sid, k, _ = setup(server)
    s = Stream(f"{server}/api/classes/{k['code']}/events")
    streams.append(s)
    assert s.response.headers["content-type"].startswith("text/event-stream")
    first = s.next()
    assert first["event"] == "setup" and first["data"]["config"]["dataset"] == "circle"
    assert s.next("frame")["data"]["step"] == 0
    for _ in range(4):  # a step now and then: each arrives
        taught = step(server, sid)["step"]
        assert s.next("frame")["data"]["step"] == taught
    # faster than the server's 1 frame a second: the latest wins, in order
    taught = [step(server, sid)["step"] for _ in range(10)]
    seen = []
    while not seen or seen[-1] != taught[-1]:
        seen.append(s.next("frame")["data"]["step"])
    assert seen == sorted(set(seen)) and set(seen) <= set(taught) and len(seen) < len(taught)


def test_a_question_its_tally_its_reveal_and_the_end(server, streams):
    sid, k, teacher = setup(server)
    code = k["code"]
    s = Stream(f"{server}/api/classes/{code}/events")
    streams.append(s)
    s.next("frame")
    question = {"kind": "loss", "prompt": "Up or down?"}
    qid = post(f"{server}/api/classes/{code}/questions", question, teacher).json()["id"]
    q = s.next("question")["data"]
    assert q["id"] == qid and q["prompt"] == "Up or down?" and "counts" not in q
    for i, choice in enumerate([0, 1, 1]):
        body = {"student": f"s{i}", "choice": choice}
        assert post(f"{server}/api/classes/{code}/questions/{qid}/answers", body).status_code == 204
    while (t := s.next("tally")["data"])["answers"] != 3:
        pass
    assert t["question"] == qid and t["students"] == 1
    r = post(f"{server}/api/classes/{code}/questions/{qid}/reveal", {}, teacher).json()
    frame = s.next("frame")["data"]
    assert frame["step"] == r["frame"]["step"] == 1  # the reveal's step, before the reveal
    revealed = s.next()
    while revealed["event"] != "reveal":
        revealed = s.next()
    assert revealed["data"]["counts"] == [1, 2]
    assert revealed["data"]["what_happened"] == r["question"]["what_happened"]
    assert httpx.delete(f"{server}/api/classes/{code}", headers=teacher).status_code == 204
    assert s.next("end")["data"] == {"code": code}
    assert s.next() is None  # the stream is closed after `end`


def test_a_reconnection_resumes_at_the_latest_frame(server, streams):
    sid, k, _ = setup(server)
    url = f"{server}/api/classes/{k['code']}/events"
    s = Stream(url)
    streams.append(s)
    setup_event = s.next("setup")
    seen = s.next("frame")
    s.close()
    for _ in range(3):
        last = step(server, sid)["step"]
    time.sleep(1.5)  # the server sends 1 frame a second: the last step's is out
    again = Stream(url, last_id=seen["id"])
    streams.append(again)
    # the latest of each kind newer than the id given, in order: the frame (and a tally of
    # the first stream's leaving, which may come before it)
    first = again.next("frame")
    # with several workers (the Redis pass) the last step's frame may wait one more frame
    # interval: the frames that come are newer, in order, up to it
    while first["data"]["step"] < last:
        assert first["id"] > seen["id"]
        first = again.next("frame")
    assert first["data"]["step"] == last
    assert first["id"] > seen["id"]
    # the setup had not changed: it is not sent again
    assert b"event: setup" not in bytes(again.raw) and setup_event["id"] < seen["id"]
    # up to date: nothing is replayed, the next step arrives
    current = Stream(url, last_id=first["id"])
    streams.append(current)
    step(server, sid)
    assert current.next("frame")["data"]["step"] == last + 1
    assert b"event: frame" in bytes(current.raw)
    assert bytes(current.raw).count(b"event: frame") == 1


def test_an_idle_stream_gets_keep_alive_comments_and_is_not_compressed(server, streams):
    _, k, _ = setup(server)
    headers = {"accept-encoding": "gzip, br, zstd"}
    s = Stream(f"{server}/api/classes/{k['code']}/events", headers=headers)
    streams.append(s)
    assert "content-encoding" not in s.response.headers
    time.sleep(1.6)
    assert s.pings >= 2


def test_an_unknown_class_has_no_stream(server):
    r = httpx.get(f"{server}/api/classes/ZZZZZZ/events", timeout=10)
    assert r.status_code == 404


def test_no_byte_of_any_stream_holds_the_session_id(server, streams):
    sid, k, teacher = setup(server)
    code = k["code"]
    s = Stream(f"{server}/api/classes/{code}/events")
    streams.append(s)
    step(server, sid, 3)
    httpx.put(f"{server}/api/classes/{code}/view", json={"slow": True}, headers=teacher)
    question = {"kind": "gradient", "prompt": "Which layer?"}
    qid = post(f"{server}/api/classes/{code}/questions", question, teacher).json()["id"]
    post(f"{server}/api/classes/{code}/questions/{qid}/answers", {"student": "a", "choice": 0})
    post(f"{server}/api/classes/{code}/questions/{qid}/reveal", {}, teacher)
    r = httpx.patch(f"{server}/api/sessions/{sid}", json={"dataset": "xor"}, headers=JSON)
    assert r.status_code == 200
    while s.next("setup")["data"]["config"]["dataset"] != "xor":
        pass
    httpx.delete(f"{server}/api/classes/{code}", headers=teacher)
    assert s.next("end") is not None
    kinds = {e.split(b"\n")[0] for e in bytes(s.raw).split(b"event: ")[1:]}
    assert {b"setup", b"view", b"frame", b"question", b"tally", b"reveal", b"end"} <= kinds
    assert sid.encode() not in bytes(s.raw)
    assert k["teacher_token"].encode() not in bytes(s.raw)
