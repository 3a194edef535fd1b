"""Class mode's API through TestClient: tokens, questions and answers, caps and rates, the join
address, the reduced frames, and the teacher's session id kept from the students.

The event stream itself is tested against a real server (test_class_stream.py)."""

import base64
import re
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import segno
from fastapi.testclient import TestClient

from app import lan
from app.classes import ALPHABET, Bounds, ClassNotFound, MemoryClassStore
from app.hub import MAILBOX, Event, Follower
from app.main import create_app
from app.sessions import StoreFull
from app.settings import Settings

JSON = {"content-type": "application/json"}


def make_client(**settings) -> TestClient:
    return TestClient(create_app(Settings(**settings)))


@pytest.fixture(params=["memory", "redis"])
def new_app(request):
    """create_app(settings) with classes (and sessions) in memory, then in a real Redis
    (tests/conftest.py)."""
    url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    return lambda **settings: create_app(Settings(redis_url=url, **settings))


@pytest.fixture
def make(new_app):
    """A TestClient of new_app(settings)."""
    return lambda **settings: TestClient(new_app(**settings))


@pytest.fixture
def client(make):
    with make() as c:
        yield c


def new_session(client, **config) -> str:
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def start(client, sid, headers=None) -> dict:
    r = client.post(f"/api/sessions/{sid}/class", headers={**JSON, **(headers or {})})
    assert r.status_code == 201, r.text
    return r.json()


def bearer(k: dict) -> dict:
    return {"authorization": f"Bearer {k['teacher_token']}"}


def ask(client, k, **question) -> int:
    r = client.post(f"/api/classes/{k['code']}/questions", json=question, headers=bearer(k))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def answer(client, k, qid, student, choice):
    url = f"/api/classes/{k['code']}/questions/{qid}/answers"
    return client.post(url, json={"student": student, "choice": choice})


def reveal(client, k, qid, **body):
    url = f"/api/classes/{k['code']}/questions/{qid}/reveal"
    return client.post(url, json=body, headers=bearer(k))


def decode(typed) -> np.ndarray:
    a = np.frombuffer(base64.b64decode(typed["bdata"]), {"f4": "<f4", "u1": "u1"}[typed["dtype"]])
    a = a.reshape([int(n) for n in typed["shape"].split(",")]).astype(np.float64)
    if typed["dtype"] == "u1":
        lo, hi = typed["range"]
        a = lo + (hi - lo) * a / 255
    return a


def wait_for_frame(client, code, step) -> dict:
    """The class state once its frame is the teacher's step (frames go out asynchronously)."""
    deadline = time.monotonic() + 5
    while True:
        state = client.get(f"/api/classes/{code}").json()
        if state["frame"] and state["frame"]["step"] == step:
            return state
        assert time.monotonic() < deadline, f"no frame of step {step}: {state['frame']}"
        time.sleep(0.02)


def qr_matrix_from_svg(svg: str) -> np.ndarray:
    """The dark modules of segno's SVG path (rows of 'h' runs after relative moves)."""
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    path = next(e for e in root.iter() if e.tag.endswith("path") and e.get("class") == "qrline")
    size = int(root.get("width")) // 10  # scale 10
    m = np.zeros((size, size), bool)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.get("d")):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            n = int(float(a))
            m[int(y), int(x) : int(x) + n] = True
            x += n
    return m


# Starting a class ------------------------------------------------------------------------


def test_a_class_has_a_code_a_token_a_join_address_and_its_qr_code(client):
    sid = new_session(client)
    k = start(client, sid)
    assert set(k) == {"code", "teacher_token", "join_url", "qr_svg"}
    assert len(k["code"]) == 6 and set(k["code"]) <= set(ALPHABET)
    assert len(base64.urlsafe_b64decode(k["teacher_token"] + "=")) >= 16  # >= 128 bits
    assert k["join_url"].endswith(f"/join/{k['code']}")
    expected = segno.make(k["join_url"], error="m").matrix
    border = 4
    m = qr_matrix_from_svg(k["qr_svg"])
    inner = m[border:-border, border:-border]
    assert np.array_equal(inner, np.array(expected, bool))
    assert not m[:border].any() and not m[:, :border].any()  # the quiet zone


def test_every_class_has_its_own_code_and_token(client):
    ks = [start(client, new_session(client)) for _ in range(5)]
    assert len({k["code"] for k in ks}) == 5 and len({k["teacher_token"] for k in ks}) == 5


def test_the_join_page_names_the_class_and_an_unknown_code_is_404(client):
    sid = new_session(client)
    k = start(client, sid)
    page = client.get(f"/join/{k['code'].lower()}")
    assert page.status_code == 200 and k["code"] in page.text
    assert "/js/student.js" in page.text  # the student view, not a placeholder
    assert sid not in page.text and k["teacher_token"] not in page.text
    missing = client.get("/join/ZZZZZZ")
    assert missing.status_code == 404 and "No such class" in missing.text


def test_a_chinese_teachers_join_address_and_qr_code_carry_the_language(client):
    r = client.post(f"/api/sessions/{new_session(client)}/class?lang=zh", headers=JSON)
    assert r.status_code == 201, r.text
    k = r.json()
    assert k["join_url"].endswith(f"/join/{k['code']}?lang=zh")
    expected = segno.make(k["join_url"], error="m").matrix
    assert np.array_equal(qr_matrix_from_svg(k["qr_svg"])[4:-4, 4:-4], np.array(expected, bool))
    english = start(client, new_session(client))  # no lang: the join address has none
    assert english["join_url"].endswith(f"/join/{english['code']}")
    bad = client.post(f"/api/sessions/{new_session(client)}/class?lang=xx", headers=JSON)
    assert bad.status_code == 422


def test_unknown_codes_questions_and_sessions_are_404(client):
    for method, url in [
        ("GET", "/api/classes/ZZZZZZ"),
        ("GET", "/api/classes/ZZZZZZ/events"),
        ("GET", "/api/classes/ZZZZZZ/questions/1"),
        ("POST", "/api/classes/ZZZZZZ/questions/1/answers"),
        ("DELETE", "/api/classes/ZZZZZZ"),
    ]:
        body = {"student": "s1", "choice": 0} if method == "POST" else None
        assert client.request(method, url, json=body).status_code == 404, url
    assert client.post("/api/sessions/nope/class", headers=JSON).status_code == 404
    k = start(client, new_session(client))
    assert client.get(f"/api/classes/{k['code']}/questions/7").status_code == 404
    assert answer(client, k, 7, "s1", 0).status_code == 404


# The teacher's token -------------------------------------------------------------------------


def test_teacher_actions_need_the_token_401_without_403_with_another(client):
    k = start(client, new_session(client))
    other = start(client, new_session(client))
    code = k["code"]
    actions = [
        ("POST", f"/api/classes/{code}/questions", {"kind": "loss", "prompt": "Up?"}),
        ("PUT", f"/api/classes/{code}/view", {"phase": "forward"}),
        ("PUT", f"/api/classes/{code}/session", {"session_id": new_session(client)}),
        ("DELETE", f"/api/classes/{code}", None),
    ]
    for method, url, body in actions:
        r = client.request(method, url, json=body)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", url
        r = client.request(method, url, json=body, headers={"authorization": "Basic eDp5"})
        assert r.status_code == 401, url
        assert client.request(method, url, json=body, headers=bearer(other)).status_code == 403
    qid = ask(client, k, kind="loss", prompt="Up?")
    r = client.post(f"/api/classes/{code}/questions/{qid}/reveal", json={})
    assert r.status_code == 401
    assert reveal(client, other | {"code": code}, qid).status_code == 403
    assert client.get(f"/api/classes/{code}").json()["question"]["state"] == "open"
    assert client.delete(f"/api/classes/{code}", headers=bearer(k)).status_code == 204
    assert client.get(f"/api/classes/{code}").status_code == 404


# Questions and answers ---------------------------------------------------------------------


def test_one_answer_per_student_and_a_later_one_replaces_it(client):
    k = start(client, new_session(client))
    qid = ask(client, k, kind="choice", prompt="Which?", choices=["a", "b", "c"])
    for student, choice in [("ann", 0), ("bob", 2), ("ann", 1), ("ann", 2), ("cy", 2)]:
        assert answer(client, k, qid, student, choice).status_code == 204
    r = client.get(f"/api/classes/{k['code']}/questions/{qid}", headers=bearer(k)).json()
    assert r["counts"] == [0, 0, 3] and r["answers"] == 3
    state = client.get(f"/api/classes/{k['code']}").json()["question"]
    assert state["answers"] == 3 and "counts" not in state  # before the reveal: how many only


def test_counts_are_hidden_before_the_reveal_without_the_token(client):
    k = start(client, new_session(client))
    qid = ask(client, k, kind="faster", prompt="Which trains faster?", choices=["0.03", "0.3"])
    answer(client, k, qid, "s1", 1)
    url = f"/api/classes/{k['code']}/questions/{qid}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"authorization": "Bearer nope"}).status_code == 403
    assert client.get(url, headers=bearer(k)).json()["counts"] == [0, 1]
    r = reveal(client, k, qid, answer=1)
    assert r.status_code == 200 and r.json()["frame"] is None  # faster: no step by default
    got = client.get(url).json()
    assert got == {
        "counts": [0, 1],
        "answers": 1,
        "state": "revealed",
        "what_happened": got["what_happened"],
    }
    assert got["what_happened"]["answer"] == 1
    assert answer(client, k, qid, "s2", 0).status_code == 409  # no answers after the reveal
    assert reveal(client, k, qid).status_code == 409


def test_an_answer_names_the_bad_field(client):
    k = start(client, new_session(client))
    qid = ask(client, k, kind="loss", prompt="Up or down?")
    for body, field in [
        ({"student": "s1", "choice": 2}, "choice"),  # loss has 2 choices
        ({"student": "s1", "choice": -1}, "choice"),
        ({"student": "s 1", "choice": 0}, "student"),
        ({"student": "x" * 65, "choice": 0}, "student"),
        ({"student": "s1"}, "choice"),
        ({"student": "s1", "choice": 0, "name": "Ann"}, "name"),
    ]:
        r = client.post(f"/api/classes/{k['code']}/questions/{qid}/answers", json=body)
        assert r.status_code == 422, body
        assert [e["field"] for e in r.json()["errors"]] == [field], r.json()


def test_a_new_question_closes_the_open_one(client):
    k = start(client, new_session(client))
    first = ask(client, k, kind="loss", prompt="Up or down?")
    answer(client, k, first, "s1", 0)
    second = ask(client, k, kind="gradient", prompt="Which layer?")
    assert second == first + 1
    assert answer(client, k, first, "s2", 0).status_code == 409
    url = f"/api/classes/{k['code']}/questions/{first}"
    assert client.get(url, headers=bearer(k)).json() | {"what_happened": None} == {
        "counts": [1, 0],
        "answers": 1,
        "state": "closed",
        "what_happened": None,
    }
    state = client.get(f"/api/classes/{k['code']}").json()["question"]
    assert state["id"] == second and state["choices"] == ["layer 1", "layer 2", "layer 3"]


@pytest.mark.parametrize(
    "question, field",
    [
        ({"kind": "quiz", "prompt": "?"}, "kind"),
        ({"kind": "loss", "prompt": ""}, "prompt"),
        ({"kind": "loss", "prompt": "x" * 301}, "prompt"),
        ({"kind": "loss", "prompt": "?", "choices": ["up", "down", "same"]}, "choices"),
        ({"kind": "gradient", "prompt": "?", "choices": ["1", "2"]}, "choices"),  # 3 layers
        ({"kind": "choice", "prompt": "?"}, "choices"),
        ({"kind": "choice", "prompt": "?", "choices": ["only"]}, "choices"),
        ({"kind": "choice", "prompt": "?", "choices": [str(i) for i in range(9)]}, "choices"),
        ({"kind": "faster", "prompt": "?", "choices": ["a", "b", "c"]}, "choices"),
        ({"kind": "weight", "prompt": "?"}, "target"),
        ({"kind": "weight", "prompt": "?", "target": {"layer": 4, "row": 0}}, "target.layer"),
        ({"kind": "weight", "prompt": "?", "target": {"layer": 1, "row": 4}}, "target.row"),
        (
            {"kind": "weight", "prompt": "?", "target": {"layer": 1, "row": 0, "col": 2}},
            "target.col",
        ),
        ({"kind": "point", "prompt": "?", "target": {"index": 250}}, "target.index"),
        ({"kind": "loss", "prompt": "?", "target": {"index": 1}}, "target"),
        ({"kind": "loss", "prompt": "?", "steps": 0}, "steps"),
    ],
)
def test_a_question_names_the_bad_field(client, question, field):
    k = start(client, new_session(client))  # 2 inputs, 4-2-1 units, 250 training examples
    r = client.post(f"/api/classes/{k['code']}/questions", json=question, headers=bearer(k))
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field


def test_a_point_question_needs_classes(client):
    k = start(client, new_session(client, problem="regression", dataset="plane"))
    question = {"kind": "point", "prompt": "?", "target": {"index": 0}}
    r = client.post(f"/api/classes/{k['code']}/questions", json=question, headers=bearer(k))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"


# What happened ---------------------------------------------------------------------------


def teacher(client, sid) -> dict:
    return client.get(f"/api/sessions/{sid}?grids=none").json()


def test_the_loss_reveal_runs_the_steps_and_marks_the_direction(client):
    sid = new_session(client, learning_rate=0.3)
    k = start(client, sid)
    for steps, unit in [(1, "batch"), (3, "epoch")]:
        before = teacher(client, sid)["frame"]
        qid = ask(client, k, kind="loss", prompt="Up or down?", steps=steps, unit=unit)
        r = reveal(client, k, qid).json()
        after = r["frame"]
        if unit == "epoch":
            assert after["epoch"] == before["epoch"] + 3
        else:
            assert after["step"] == before["step"] + 1
        went_up = after["loss"]["train"] > before["loss"]["train"]
        what = r["question"]["what_happened"]
        assert what["answer"] == (0 if went_up else 1)
        assert what["before"] == pytest.approx(before["loss"]["train"], rel=1e-6)
        assert what["after"] == pytest.approx(after["loss"]["train"], rel=1e-6)
        assert what["step"] == after["step"] == teacher(client, sid)["frame"]["step"]


def test_the_gradient_reveal_names_the_layer_with_the_largest_norm(client):
    sid = new_session(client, hidden=[{"units": 8}, {"units": 8}, {"units": 8}])
    k = start(client, sid)
    qid = ask(client, k, kind="gradient", prompt="Which layer?")
    r = reveal(client, k, qid).json()
    norms = [layer["grad_norm"]["W"] for layer in r["frame"]["layers"]]
    assert r["question"]["what_happened"]["answer"] == int(np.argmax(norms))
    assert r["question"]["what_happened"]["values"] == pytest.approx(norms)


def pick(layer: dict, target: dict) -> float:
    if target["col"] is None:
        return layer["b"][target["row"]][0]
    return layer["W"][target["row"]][target["col"]]


def test_the_weight_reveal_compares_its_size_before_and_after(client):
    sid = new_session(client, learning_rate=1)
    k = start(client, sid)
    for target in [{"layer": 2, "row": 1, "col": 3}, {"layer": 1, "row": 2, "col": None}]:
        before = pick(teacher(client, sid)["frame"]["layers"][target["layer"] - 1], target)
        qid = ask(client, k, kind="weight", prompt="Grow or shrink?", target=target)
        r = reveal(client, k, qid).json()
        after = pick(r["frame"]["layers"][target["layer"] - 1], target)
        assert r["question"]["what_happened"]["answer"] == (0 if abs(after) > abs(before) else 1)
        assert r["question"]["what_happened"]["after"] == pytest.approx(after)


def test_the_point_reveal_gives_the_class_the_network_predicts(client):
    sid = new_session(client, problem="multiclass", dataset="blobs", classes=4)
    k = start(client, sid)
    qid = ask(client, k, kind="point", prompt="Which class?", target={"index": 5})
    assert len(client.get(f"/api/classes/{k['code']}").json()["question"]["choices"]) == 4
    r = reveal(client, k, qid).json()
    example = client.get(f"/api/sessions/{sid}/examples/5").json()
    assert r["question"]["what_happened"]["answer"] == int(example["prediction"])


def test_a_reveal_without_a_step_compares_with_the_state_when_asked(client):
    sid = new_session(client)
    k = start(client, sid)
    before = teacher(client, sid)["frame"]["loss"]["train"]
    qid = ask(client, k, kind="loss", prompt="Up or down after 5 steps?")
    # the teacher's page steps by itself, then reveals
    f = client.post(f"/api/sessions/{sid}/step", json={"steps": 5}).json()
    r = reveal(client, k, qid, step=False).json()
    assert r["frame"] is None
    what = r["question"]["what_happened"]
    assert what["before"] == pytest.approx(before) and what["after"] == pytest.approx(
        f["loss"]["train"]
    )
    assert what["step"] == 5 and what["answer"] == (0 if f["loss"]["train"] > before else 1)


# The students' frames --------------------------------------------------------------------


def test_students_get_a_reduced_frame_of_the_teachers_latest_step(client):
    sid = new_session(client, grid=100, neuron_resolution=32)
    k = start(client, sid)
    body = {"steps": 3, "trace": True, "grids": "all"}
    full = client.post(f"/api/sessions/{sid}/step", json=body).json()
    state = wait_for_frame(client, k["code"], 3)
    f, maps = state["frame"], state["setup"]["maps"]
    assert set(f) == {"step", "epoch", "loss", "accuracy", "layers", "grid"}
    assert all(set(la) == {"activation", "W", "b", "dW", "db", "grad_norm"} for la in f["layers"])
    out = decode(f["grid"]["output"])
    assert out.shape == (50, 50) and f["grid"]["output"]["dtype"] == "u1"
    assert [decode(n).shape for n in f["grid"]["neurons"]] == [
        (4, 16, 16),
        (2, 16, 16),
        (1, 16, 16),
    ]
    assert decode(maps["inputs"]).shape == (7, 16, 16) and len(maps["x"]) == 50
    # every second point of the teacher's maps, within one 8-bit level
    teacher_out = decode(full["grid"]["output"])[::2, ::2]
    lo, hi = f["grid"]["output"]["range"]
    assert np.abs(out - teacher_out).max() <= (hi - lo) / 255
    assert maps["x"] == pytest.approx(full["grid"]["x"][::2], rel=1e-6)
    assert np.array(f["layers"][0]["W"]) == pytest.approx(
        np.array(full["layers"][0]["W"]), rel=1e-6
    )
    assert state["setup"]["config"] == teacher(client, sid)["config"]


def test_a_change_of_configuration_reaches_the_students_setup(client):
    sid = new_session(client)
    k = start(client, sid)
    r = client.patch(f"/api/sessions/{sid}", json={"dataset": "xor", "hidden": [{"units": 3}]})
    assert r.status_code == 200
    deadline = time.monotonic() + 5
    while client.get(f"/api/classes/{k['code']}").json()["setup"]["config"]["dataset"] != "xor":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    state = client.get(f"/api/classes/{k['code']}").json()
    assert state["setup"]["data"] == r.json()["data"]
    assert [len(la["W"]) for la in state["frame"]["layers"]] == [3, 1]


def test_the_class_follows_a_new_session_of_the_teacher(client):
    k = start(client, new_session(client))
    sid2 = new_session(client, dataset="spiral")
    r = client.put(
        f"/api/classes/{k['code']}/session", json={"session_id": sid2}, headers=bearer(k)
    )
    assert r.status_code == 204
    assert client.get(f"/api/classes/{k['code']}").json()["setup"]["config"]["dataset"] == "spiral"
    client.post(f"/api/sessions/{sid2}/step", json={"steps": 4, "grids": "all"})
    wait_for_frame(client, k["code"], 4)


def test_the_teachers_view_is_shown_to_students(client):
    k = start(client, new_session(client))
    url = f"/api/classes/{k['code']}/view"
    view = {"lesson": "xor", "phase": "backward", "slow": True}
    lessons = [lesson["id"] for lesson in client.get("/api/lessons").json()]
    view["lesson"] = lessons[0]
    assert client.put(url, json=view, headers=bearer(k)).status_code == 204
    assert client.get(f"/api/classes/{k['code']}").json()["view"] == view
    r = client.put(url, json={"lesson": "no-such-lesson"}, headers=bearer(k))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lesson"


def test_explore_copies_the_teachers_state_into_a_session_of_ones_own(client):
    sid = new_session(client, dataset="xor", learning_rate=0.1)
    k = start(client, sid)
    client.post(f"/api/sessions/{sid}/step", json={"steps": 20})
    r = client.post(f"/api/classes/{k['code']}/explore", headers=JSON)
    assert r.status_code == 201
    own = r.json()
    t = client.get(f"/api/sessions/{sid}").json()
    assert own["id"] != sid and own["config"] == t["config"] and own["frame"]["step"] == 20
    assert own["frame"]["layers"][0]["W"] == t["frame"]["layers"][0]["W"]
    client.post(f"/api/sessions/{own['id']}/step", json={"steps": 5})
    assert teacher(client, sid)["frame"]["step"] == 20  # the teacher's is untouched


def test_an_ended_class_stops_following_and_the_session_goes_on(client):
    sid = new_session(client)
    k = start(client, sid)
    assert client.delete(f"/api/classes/{k['code']}", headers=bearer(k)).status_code == 204
    assert client.post(f"/api/sessions/{sid}/step", json={}).status_code == 200
    assert client.get(f"/join/{k['code']}").status_code == 404
    again = start(client, sid)  # a new class of the same session
    assert again["code"] != k["code"]


def test_a_new_class_of_a_session_ends_its_old_one(client):
    sid = new_session(client)
    old = start(client, sid)
    start(client, sid)
    assert client.get(f"/api/classes/{old['code']}").status_code == 404


# The session id never reaches a student ------------------------------------------------------


def test_nothing_a_student_receives_holds_the_session_id(client):
    sid = new_session(client)
    k = start(client, sid)
    code = k["code"]
    client.post(f"/api/sessions/{sid}/step", json={"steps": 2, "grids": "all"})
    client.put(f"/api/classes/{code}/view", json={"slow": True}, headers=bearer(k))
    qid = ask(client, k, kind="loss", prompt="Up or down?")
    seen = [
        client.get(f"/join/{code}"),
        client.get(f"/api/classes/{code}"),
        answer(client, k, qid, "s1", 0),
        answer(client, k, qid, "s1", 5),
        client.get(f"/api/classes/{code}/questions/{qid}"),
    ]
    reveal(client, k, qid)
    seen += [
        client.get(f"/api/classes/{code}"),
        client.get(f"/api/classes/{code}/questions/{qid}"),
        client.post(f"/api/classes/{code}/explore", headers=JSON),
        client.get(f"/api/classes/{code}/questions/9"),
    ]
    for r in seen:
        assert sid not in r.text, r.request.url
    assert all(k["teacher_token"] not in r.text for r in seen)
    assert sid not in client.get("/openapi.json").text


# Caps and rates --------------------------------------------------------------------------


def test_two_hundred_students_behind_one_address_join_and_answer(make):
    with make() as c:  # every TestClient request comes from one address
        k = start(c, new_session(c))
        qid = ask(c, k, kind="loss", prompt="Up or down?")
        for i in range(200):
            assert c.get(f"/api/classes/{k['code']}").status_code == 200
            assert c.get(f"/join/{k['code']}").status_code == 200
            assert answer(c, k, qid, f"student-{i}", i % 2).status_code == 204
            assert answer(c, k, qid, f"student-{i}", (i + 1) % 2).status_code == 204  # changed
        counts = c.get(f"/api/classes/{k['code']}/questions/{qid}", headers=bearer(k)).json()
        assert counts["answers"] == 200 and counts["counts"] == [100, 100]


def test_joins_and_answers_are_rate_limited_per_address(new_app):
    app = new_app(class_joins_per_minute=5, class_answers_per_minute=3)
    with TestClient(app) as c, TestClient(app, client=("10.0.0.9", 5000)) as other:
        k = start(c, new_session(c))
        qid = ask(c, k, kind="loss", prompt="Up or down?")
        assert all(c.get(f"/api/classes/{k['code']}").status_code == 200 for _ in range(5))
        r = c.get(f"/api/classes/{k['code']}")
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert c.get(f"/api/classes/{k['code']}/events").status_code == 429
        assert all(answer(c, k, qid, f"s{i}", 0).status_code == 204 for i in range(3))
        assert answer(c, k, qid, "s9", 0).status_code == 429
        # another address has its own share
        assert other.get(f"/api/classes/{k['code']}").status_code == 200
        assert answer(other, k, qid, "t1", 1).status_code == 204


def test_in_redis_the_rates_of_an_address_hold_across_workers(redis_url):
    apps = [create_app(Settings(redis_url=redis_url, class_joins_per_minute=5)) for _ in "ab"]
    with TestClient(apps[0]) as a, TestClient(apps[1]) as b:  # two workers, one Redis
        k = start(a, new_session(a))
        url = f"/api/classes/{k['code']}"
        assert [c.get(url).status_code for c in (a, b, a, b, b)] == [200] * 5
        r = a.get(url)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert b.get(url).status_code == 429


def test_a_question_takes_a_bounded_number_of_answers_and_one_address_a_share(new_app):
    app = new_app(class_students=3, class_students_per_client=2)
    with TestClient(app) as c, TestClient(app, client=("10.0.0.9", 5000)) as other:
        k = start(c, new_session(c))
        qid = ask(c, k, kind="loss", prompt="Up or down?")
        assert [answer(c, k, qid, f"s{i}", 0).status_code for i in range(3)] == [204, 204, 429]
        assert answer(c, k, qid, "s0", 1).status_code == 204  # a change is not a new answer
        assert answer(other, k, qid, "t0", 1).status_code == 204
        r = answer(other, k, qid, "t1", 1)
        assert r.status_code == 503 and "retry-after" in r.headers


def test_the_server_holds_a_bounded_number_of_classes_and_questions(make):
    with make(class_cap=2, class_questions=2) as c:
        ks = [start(c, new_session(c)) for _ in range(2)]
        sid = new_session(c)
        r = c.post(f"/api/sessions/{sid}/class", headers=JSON)
        assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1
        ids = [ask(c, ks[0], kind="loss", prompt=f"Q{i}") for i in range(3)]
        url = f"/api/classes/{ks[0]['code']}/questions"
        assert c.get(f"{url}/{ids[0]}", headers=bearer(ks[0])).status_code == 404
        assert c.get(f"{url}/{ids[2]}", headers=bearer(ks[0])).status_code == 200


def test_a_class_idle_for_its_hours_ends_and_a_full_store_makes_room_from_idle_ones():
    now = [0.0]
    ended = []
    store = MemoryClassStore(3 * 3600, 2, 20, 300, 250, 300.0, ended.append, lambda: now[0])
    a, b = store.create("s1"), store.create("s2")
    now[0] = 200.0
    store.touch(b)
    with pytest.raises(RuntimeError):  # full, and a idle only 200 s
        store.create("s3")
    now[0] = 400.0
    c = store.create("s3")  # a idle 400 s >= 300: it makes room
    assert [k.code for k in ended] == [a.code]
    now[0] = 200.0 + 3 * 3600 + 1
    with pytest.raises(ClassNotFound):
        store.get(b.code)
    assert store.get(c.code) is c and ended[-1] is b


def test_in_redis_an_idle_class_expires_with_its_keys_and_a_full_store_makes_room(redis_url):
    import redis

    from app.redis_classes import RedisClassStore

    now = [time.time()]
    store = RedisClassStore(redis_url, Bounds(1.5, 2, 20, 300, 250, 0.5), lambda: now[0])
    a, b = store.create("s1"), store.create("s2")
    now[0] += 0.3
    store.touch(b)
    with pytest.raises(StoreFull):  # full, and a idle only 0.3 s
        store.create("s3")
    now[0] += 0.4
    c = store.create("s3")  # a idle 0.7 s >= 0.5: it makes room
    with pytest.raises(ClassNotFound):
        store.get(a.code)
    assert store.get(b.code).session_id == "s2" and store.followed("s3")[0] == c.code
    time.sleep(1.6)  # idle_seconds without the teacher: every key of the class expires
    with pytest.raises(ClassNotFound):
        store.get(c.code)
    assert store.followed("s3") is None
    assert not redis.Redis.from_url(redis_url).keys("bp:*c:*")


def test_a_slow_follower_skips_stale_frames_and_one_too_far_behind_is_dropped():
    import asyncio

    async def run():
        f = Follower("1.2.3.4")
        for i in range(100):
            f.put(Event(i, "frame", b"frame %d" % i, b""))
        assert [e.id for e in f.items] == [99]
        f.put(Event(100, "question", b"q", b""))
        f.put(Event(101, "frame", b"f", b""))
        assert [e.kind for e in f.items] == ["question", "frame"] and not f.dropped
        for i in range(MAILBOX):
            f.put(Event(200 + i, "reveal", b"r", b""))
        assert f.dropped and len(f.items) == MAILBOX

    asyncio.run(run())


# The join address --------------------------------------------------------------------------


def test_on_every_interface_the_join_address_is_the_lan_one_never_loopback(monkeypatch):
    monkeypatch.setattr(lan, "lan_address", lambda: "192.168.1.20")
    hosts = ["testserver", "192.168.1.20"]  # the Host check knows this machine's real ones
    with make_client(host="0.0.0.0", port=8000, allowed_hosts=hosts) as c:
        sid = new_session(c)
        for host in ["127.0.0.1:8000", "localhost:8000"]:
            k = start(c, sid, {"host": host})
            assert k["join_url"] == f"http://192.168.1.20:8000/join/{k['code']}"
        # the teacher browsed by the LAN address: that one, with its port
        k = start(c, sid, {"host": "192.168.1.20:8000"})
        assert k["join_url"] == f"http://192.168.1.20:8000/join/{k['code']}"


def test_the_real_lan_address_is_not_loopback():
    address = lan.lan_address()
    assert address and not address.startswith("127.") and address != "::1"
    with make_client(host="0.0.0.0") as c:
        k = start(c, new_session(c), {"host": "127.0.0.1:8000"})
        assert "127.0.0.1" not in k["join_url"] and "localhost" not in k["join_url"]
        # the Host check answers to that address
        assert c.get("/api/health", headers={"host": f"{address}:8000"}).status_code == 200


def test_on_loopback_the_join_address_is_loopback():
    with make_client(host="127.0.0.1", port=8123) as c:
        k = start(c, new_session(c))
        assert k["join_url"] == f"http://127.0.0.1:8123/join/{k['code']}"


def test_a_public_url_is_the_join_address_and_its_host_is_answered():
    with make_client(host="0.0.0.0", public_url="https://lab.school.example/") as c:
        k = start(c, new_session(c), {"host": "127.0.0.1:8000"})
        assert k["join_url"] == f"https://lab.school.example/join/{k['code']}"
        r = c.get(f"/api/classes/{k['code']}", headers={"host": "lab.school.example"})
        assert r.status_code == 200
        assert c.get("/api/health", headers={"host": "evil.example"}).status_code == 400


def test_a_public_url_must_be_an_http_address():
    with pytest.raises(ValueError, match="public_url"):
        Settings(public_url="ftp://x.example")
