"""GET .../frames/{step} and POST .../rewind: scrub a session's recorded steps, continue from
one bit for bit, or branch with another setting."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from nncore.limits import LIMITS


@pytest.fixture
def client():
    return TestClient(create_app())


def new(client, config=None) -> str:
    return client.post("/api/sessions?grids=none", json=config or {}).json()["id"]


def step(client, sid, **body) -> dict:
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": 2, **body})
    assert r.status_code == 200, r.text
    return r.json()


def weights(frame: dict) -> list:
    return [(layer["W"], layer["b"]) for layer in frame["layers"]]


def test_a_recorded_frame_has_the_weights_its_step_response_returned(client):
    sid = new(client, {"optimizer": "adam"})
    frames = [step(client, sid) for _ in range(8)]
    steps = client.get(f"/api/sessions/{sid}/frames").json()["steps"]
    assert steps == [0] + [f["step"] for f in frames]
    for f in frames:
        got = client.get(f"/api/sessions/{sid}/frames/{f['step']}?grids=none").json()
        assert weights(got) == weights(f)
        assert got["loss"] == f["loss"] and got["epoch"] == f["epoch"]
        assert [la["dW"] for la in got["layers"]] == [la["dW"] for la in f["layers"]]
    assert client.get(f"/api/sessions/{sid}").json()["frame"]["step"] == 16  # nothing moved


def test_the_maps_are_recomputed_from_the_recorded_parameters(client):
    sid = new(client, {"dataset": "xor", "learning_rate": 0.3})
    first = client.get(f"/api/sessions/{sid}/frames/0?grids=output").json()
    for _ in range(20):
        step(client, sid, steps=20)
    now = client.get(f"/api/sessions/{sid}?grids=all").json()["frame"]
    again = client.get(f"/api/sessions/{sid}/frames/0?grids=output").json()
    assert first["grid"]["output"] == again["grid"]["output"]
    assert first["grid"]["output"] != now["grid"]["output"]
    assert first["grid"]["neurons"] is None
    full = client.get(f"/api/sessions/{sid}/frames/0").json()["grid"]
    assert len(full["neurons"]) == 3  # grids=all by default: every layer's
    assert client.get(f"/api/sessions/{sid}/frames/0?grids=none").json()["grid"] is None


def test_a_step_not_recorded_is_a_404_naming_the_nearest(client):
    sid = new(client)
    step(client, sid, steps=5)
    step(client, sid, steps=5)
    r = client.get(f"/api/sessions/{sid}/frames/7")
    assert r.status_code == 404
    assert "step 7 is not recorded" in r.json()["detail"] and "5, 10" in r.json()["detail"]
    assert client.get(f"/api/sessions/{sid}/frames/-1").status_code == 422
    assert client.get("/api/sessions/nope/frames/0").status_code == 404


def test_rewinding_and_stepping_again_gives_the_original_w_and_b_exactly(client):
    sid = new(client, {"dataset": "spiral", "hidden": [{"units": 8, "activation": "tanh"}] * 3})
    original = [step(client, sid, steps=3) for _ in range(30)]
    r = client.post(f"/api/sessions/{sid}/rewind", json={"step": original[9]["step"]})
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["frame"]["step"] == original[9]["step"]
    assert weights(s["frame"]) == weights(original[9])
    assert [h["step"] for h in s["history"]] == [f["step"] for f in original[:10]]
    assert [h["step"] for h in s["timeline"]["abandoned"]] == [f["step"] for f in original[9:]]
    for f in original[10:]:
        assert weights(step(client, sid, steps=3)) == weights(f)


def test_a_branch_with_another_rate_continues_from_the_same_state_differently(client):
    sid = new(client)
    original = [step(client, sid, steps=10) for _ in range(6)]
    k = original[2]["step"]
    r = client.post(f"/api/sessions/{sid}/rewind", json={"step": k, "learning_rate": 0.3})
    s = r.json()
    assert s["config"]["learning_rate"] == 0.3 and weights(s["frame"]) == weights(original[2])
    branch = step(client, sid, steps=10)
    assert branch["step"] == original[3]["step"]
    a, b = np.array(branch["layers"][0]["W"]), np.array(original[3]["layers"][0]["W"])
    assert not np.allclose(a, b)
    # the faded curve: the run left behind, until the next rewind
    t = client.get(f"/api/sessions/{sid}").json()["timeline"]
    assert [h["step"] for h in t["abandoned"]][-1] == original[-1]["step"]
    assert t["steps"][-1] == branch["step"]


def test_a_branch_with_another_activation(client):
    sid = new(client, {"hidden": [{"units": 4, "activation": "tanh"}]})
    step(client, sid, steps=10)
    step(client, sid, steps=10)
    hidden = [{"units": 4, "activation": "relu"}]
    s = client.post(f"/api/sessions/{sid}/rewind", json={"step": 10, "hidden": hidden}).json()
    assert s["config"]["hidden"] == hidden and s["frame"]["layers"][0]["activation"] == "relu"
    assert s["timeline"]["steps"] == [0, 10]
    # the record of step 10 keeps the activation it was recorded under
    assert client.get(f"/api/sessions/{sid}/frames/10").json()["layers"][0]["activation"] == "tanh"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"step": 7}, "step"),
        ({"step": 10, "learning_rate": 0}, "learning_rate"),
        ({"step": 10, "learning_rate": 11}, "learning_rate"),
        ({"step": -1}, "step"),
        ({}, "step"),
        ({"step": 10, "noise": 0.1}, "noise"),
    ],
)
def test_a_bad_rewind_is_a_422_naming_the_field_and_changes_nothing(client, body, field):
    sid = new(client)
    step(client, sid, steps=10)
    step(client, sid, steps=10)
    r = client.post(f"/api/sessions/{sid}/rewind", json=body)
    assert r.status_code == 422 and field in r.json()["detail"], r.text
    if field == "step" and body.get("step") == 7:
        assert "10" in r.json()["detail"]  # the nearest recorded, and the bound
    assert client.get(f"/api/sessions/{sid}").json()["frame"]["step"] == 20


def test_the_timeline_of_a_long_run_is_thinned_and_its_history_kept(client):
    sid = new(client, {"n_samples": 50})
    n = LIMITS.timeline_entries + 50
    for _ in range(n):
        client.post(f"/api/sessions/{sid}/step", json={"steps": 1})
    s = client.get(f"/api/sessions/{sid}?grids=none").json()
    steps = s["timeline"]["steps"]
    assert len(steps) <= LIMITS.timeline_entries and steps[0] == 0 and steps[-1] == n
    history = {h["step"] for h in s["history"]}
    assert set(steps[1:]) <= history
    for k in (steps[1], steps[len(steps) // 2]):
        assert client.get(f"/api/sessions/{sid}/frames/{k}?grids=none").status_code == 200


@pytest.mark.memory_store  # reads or sets the memory store's own fields
def test_a_scrubbed_frame_is_shown_to_the_class_following_the_session(client):
    sid = new(client)
    step(client, sid, steps=5)
    step(client, sid, steps=5)
    seen = []
    client.app.state.store.get(sid).follow = lambda t, frame, changed: seen.append(frame.step)
    client.get(f"/api/sessions/{sid}/frames/5?grids=none")
    assert seen == [5]


def test_restore_after_a_divergence_leaves_the_abandoned_run(client):
    s = client.post(
        "/api/sessions?grids=none",
        json={"problem": "regression", "dataset": "plane", "learning_rate": 3},
    )
    sid = s.json()["id"]
    e = client.post(f"/api/sessions/{sid}/step", json={"steps": 100}).json()
    r = client.post(f"/api/sessions/{sid}/restore", json={"learning_rate": 0.01}).json()
    assert r["frame"]["step"] == e["last_good_step"]
    assert r["timeline"]["steps"][-1] == e["last_good_step"]
