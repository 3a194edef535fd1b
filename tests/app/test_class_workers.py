"""Class mode across worker processes sharing one Redis: real servers, real HTTP, real
event streams. A student following on one server receives the frames of a teacher whose steps
land on another; answers sent to either are counted together; a stream reconnecting on the
other server resumes where it was."""

import threading

import httpx
import pytest

from tests.app.sse import JSON, Stream, post
from tests.conftest import serving

FAST = {"BACKPROP_CLASS_FRAMES_PER_SECOND": "20", "BACKPROP_CLASS_PING_SECONDS": "0.5"}


@pytest.fixture(scope="module")
def two(redis_server):
    """Two servers on one Redis: one process, and `--workers 2` (each test its own class)."""
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    args = ("--redis", redis_server)
    with serving(FAST, args) as a, serving(FAST, ("--workers", "2", *args)) as b:
        yield a, b


def step(base: str, sid: str) -> int:
    r = post(f"{base}/api/sessions/{sid}/step", {"steps": 1, "grids": "all"})
    assert r.status_code == 200, r.text
    return r.json()["step"]


def follow(base: str, streams: list) -> tuple[str, dict, Stream]:
    """A teacher's session and class on `base`, and a student's stream there."""
    sid = post(f"{base}/api/sessions").json()["id"]
    k = post(f"{base}/api/sessions/{sid}/class").json()
    s = Stream(f"{base}/api/classes/{k['code']}/events")
    streams.append(s)
    return sid, k, s


def frames_until(s: Stream, step: int) -> list[int]:
    """The steps of the frames received, up to the teacher's `step`."""
    seen = []
    while not seen or seen[-1] != step:
        seen.append(s.next("frame")["data"]["step"])
    return seen


def test_a_student_on_one_server_follows_a_teacher_stepping_on_another(two, streams):
    a, b = two
    sid, k, s = follow(a, streams)
    assert s.next("setup")["data"]["config"]["dataset"] == "circle"
    assert s.next("frame")["data"]["step"] == 0
    for _ in range(3):  # one at a time: each arrives
        taught = step(b, sid)
        assert s.next("frame")["data"]["step"] == taught
    # steps on both servers, faster than 20 frames a second: the latest wins, in order
    taught = [step((a, b)[i % 2], sid) for i in range(12)]
    seen = frames_until(s, taught[-1])
    assert seen == sorted(set(seen)) and set(seen) <= set(taught)
    # a change of configuration on B reaches the student on A as a new setup
    r = httpx.patch(f"{b}/api/sessions/{sid}", json={"dataset": "xor"}, headers=JSON)
    assert r.status_code == 200
    assert s.next("setup")["data"]["config"]["dataset"] == "xor"
    # the class state on either server says so too, and counts the student
    for base in (a, b):
        state = httpx.get(f"{base}/api/classes/{k['code']}").json()
        assert state["setup"]["config"]["dataset"] == "xor" and state["students"] == 1


def test_answers_sent_to_two_servers_are_counted_together(two, streams):
    a, b = two
    sid = post(f"{a}/api/sessions").json()["id"]
    k = post(f"{a}/api/sessions/{sid}/class").json()
    teacher = {"authorization": f"Bearer {k['teacher_token']}"}
    code = k["code"]
    s = Stream(f"{b}/api/classes/{code}/events")
    streams.append(s)
    question = {"kind": "choice", "prompt": "Which?", "choices": ["a", "b", "c"]}
    qid = post(f"{b}/api/classes/{code}/questions", question, teacher).json()["id"]
    assert s.next("question")["data"]["id"] == qid

    def send(base: str, student: str, choice: int) -> None:
        url = f"{base}/api/classes/{code}/questions/{qid}/answers"
        assert post(url, {"student": student, "choice": choice}).status_code == 204

    def some(k: int) -> None:  # four threads, to both servers in turn
        for i in range(k, 30, 4):
            send((a, b)[i % 2], f"s{i}", i % 3)

    threads = [threading.Thread(target=some, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    send(b, "s0", 2)  # answered 0 on a: changed on b
    send(a, "s1", 2)  # answered 1 on b: changed on a
    while (tally := s.next("tally")["data"])["answers"] != 30:
        pass
    assert tally == {"question": qid, "answers": 30, "students": 1}
    r = post(f"{a}/api/classes/{code}/questions/{qid}/reveal", {"answer": 2}, teacher)
    assert r.status_code == 200
    expected = [9, 9, 12]
    assert r.json()["question"]["counts"] == expected
    revealed = s.next("reveal")["data"]
    assert revealed["counts"] == expected and revealed["what_happened"]["answer"] == 2
    got = httpx.get(f"{b}/api/classes/{code}/questions/{qid}").json()
    assert got["counts"] == expected and got["state"] == "revealed"
    late = post(f"{b}/api/classes/{code}/questions/{qid}/answers", {"student": "t", "choice": 0})
    assert late.status_code == 409
    assert httpx.delete(f"{b}/api/classes/{code}", headers=teacher).status_code == 204
    assert s.next("end")["data"] == {"code": code}
    assert httpx.get(f"{a}/api/classes/{code}").status_code == 404


def test_a_stream_reconnecting_on_the_other_server_resumes(two, streams):
    a, b = two
    sid, k, s = follow(a, streams)
    s.next("setup")
    seen = s.next("frame")
    s.close()
    for _ in range(3):
        last = step(a, sid)
    again = Stream(f"{b}/api/classes/{k['code']}/events", last_id=seen["id"])
    streams.append(again)
    first = frames_until(again, last)
    assert first[-1] == last and b"event: setup" not in bytes(again.raw)  # not changed
    step(b, sid)
    assert again.next("frame")["data"]["step"] == last + 1


def test_students_on_every_worker_follow_steps_on_every_worker(two, streams):
    a, b = two
    sid = post(f"{b}/api/sessions").json()["id"]
    k = post(f"{b}/api/sessions/{sid}/class").json()
    followers = [Stream(f"{base}/api/classes/{k['code']}/events") for base in (a, b, b, b)]
    streams.extend(followers)
    taught = [step((a, b, b)[i % 3], sid) for i in range(6)]
    for s in followers:  # whichever worker each stream and each step reached
        assert frames_until(s, taught[-1])[-1] == 6
    state = httpx.get(f"{b}/api/classes/{k['code']}").json()
    assert state["frame"]["step"] == 6 and state["students"] == 4
    for s in followers[1:]:
        s.close()
    while (tally := followers[0].next("tally")["data"])["students"] != 1:
        pass
    assert tally == {"question": None, "answers": 0, "students": 1}
