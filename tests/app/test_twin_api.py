"""Compare mode's API: a twin shares its session's data and seed, starts with the same weights
wherever the shapes allow, has its own changes, and is bounded like any other session."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.routes.meta import LESSONS
from app.settings import Settings


def create(client, **config) -> dict:
    r = client.post("/api/sessions?grids=none", json=config)
    assert r.status_code == 201, r.text
    return r.json()


def twin(client, s: dict, **changes):
    return client.post(f"/api/sessions/{s['id']}/twin?grids=none", json={"changes": changes})


def weights(s: dict) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.array(la["W"]), np.array(la["b"])) for la in s["frame"]["layers"]]


def step(client, s: dict, **body) -> dict:
    r = client.post(f"/api/sessions/{s['id']}/step", json=body)
    assert r.status_code == 200, r.text
    return r.json()


SPIRAL = {"dataset": "spiral", "noise": 0.1, "seed": 7, "hidden": [{"units": 6}] * 2}


def test_relu_and_tanh_twins_share_data_seed_and_initial_weights(client):
    a = create(client, **SPIRAL, train_fraction=0.6)
    r = twin(client, a, hidden=[{"units": 6, "activation": "relu"}] * 2)
    assert r.status_code == 201, r.text
    b = r.json()
    assert b["id"] != a["id"]
    assert b["data"] == a["data"]  # the same points, the same split
    for key in ("dataset", "noise", "seed", "train_fraction", "n_samples"):
        assert b["config"][key] == a["config"][key]
    assert [h["activation"] for h in b["config"]["hidden"]] == ["relu", "relu"]
    assert b["frame"]["step"] == 0
    for (Wa, ba), (Wb, bb) in zip(weights(a), weights(b), strict=True):
        assert np.array_equal(Wa, Wb) and np.array_equal(ba, bb)
    # trained in lockstep, the two runs part ways: the activation is what differs
    fa, fb = step(client, a, steps=20), step(client, b, steps=20)
    assert fa["step"] == fb["step"] == 20
    assert fa["loss"]["train"] != fb["loss"]["train"]


def test_sgd_and_adam_twins_start_alike_and_train_differently(client):
    a = create(client, dataset="xor", learning_rate=0.01)
    b = twin(client, a, optimizer="adam").json()
    assert b["config"]["optimizer"] == "adam" and a["config"]["optimizer"] == "sgd"
    assert all(np.array_equal(x[0], y[0]) for x, y in zip(weights(a), weights(b), strict=True))
    fa, fb = step(client, a, steps=50), step(client, b, steps=50)
    assert fb["loss"]["train"] < fa["loss"]["train"]  # Adam's steps are larger at this rate


def test_zero_and_xavier_twins_differ_exactly_in_the_init(client):
    a = create(client, dataset="circle", init="zeros")
    b = twin(client, a, init="xavier").json()
    fresh = create(client, dataset="circle", init="xavier")  # what Xavier draws from this seed
    assert all(not W.any() and not bias.any() for W, bias in weights(a))
    for (Wb, bb), (Wf, bf) in zip(weights(b), weights(fresh), strict=True):
        assert np.array_equal(Wb, Wf) and np.array_equal(bb, bf)
    assert b["data"] == a["data"]
    # zero init never breaks the symmetry: every unit of a layer stays the same
    W1 = np.array(step(client, a, steps=3, unit="epoch")["layers"][0]["W"])
    assert np.all(W1 == W1[0])
    W1 = np.array(step(client, b, steps=3, unit="epoch")["layers"][0]["W"])
    assert not np.all(W1 == W1[0])


def test_a_deeper_twin_keeps_the_first_and_the_output_layer(client):
    a = create(client, dataset="spiral", hidden=[{"units": 8, "activation": "tanh"}])
    b = twin(client, a, hidden=[{"units": 8, "activation": "tanh"}] * 3).json()
    (W1a, b1a), (W2a, b2a) = weights(a)
    layers = weights(b)
    assert len(layers) == 4
    assert np.array_equal(layers[0][0], W1a) and np.array_equal(layers[-1][0], W2a)
    assert layers[1][0].shape == (8, 8) and layers[1][0].any()  # a new layer, drawn anew


def test_a_trained_session_twins_from_its_step_0(client):
    a = create(client, dataset="xor")
    start = weights(a)
    step(client, a, steps=30)
    b = twin(client, a, learning_rate=0.3).json()
    assert b["frame"]["step"] == 0 and b["config"]["learning_rate"] == 0.3
    assert all(np.array_equal(x[0], y[0]) for x, y in zip(start, weights(b), strict=True))
    assert client.get(f"/api/sessions/{a['id']}?grids=none").json()["frame"]["step"] == 30


def test_own_points_are_copied_into_the_twin(client):
    a = create(client)
    points = {
        "train": {"X": [[-2, -2], [2, 2], [-2, 2], [2, -2]], "y": [0, 1, 0, 1]},
        "test": {"X": [[1, 1]], "y": [1]},
    }
    r = client.put(f"/api/sessions/{a['id']}/data?grids=none", json=points)
    assert r.status_code == 200, r.text
    b = twin(client, a, optimizer="momentum").json()
    assert b["data"]["own"] and b["data"]["train"] == r.json()["data"]["train"]
    assert b["data"]["test"] == r.json()["data"]["test"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"learning_rate": 99}, "learning_rate"),
        ({"hidden": [{"units": 999}]}, "units"),
        ({"activation": "relu"}, "activation"),  # not a field of the configuration
        ({"dataset": "xor"}, "dataset"),  # the data are shared
        ({"seed": 3}, "seed"),
        ({"noise": 0.2}, "noise"),
        ({"optimizer": "newton"}, "optimizer"),
    ],
)
def test_a_bad_change_is_a_422_naming_the_field(client, changes, field):
    a = create(client)
    r = twin(client, a, **changes)
    assert r.status_code == 422, r.text
    assert field in r.text


def test_an_unchanged_field_of_the_data_may_be_sent(client):
    a = create(client, dataset="xor")
    r = twin(client, a, dataset="xor", seed=0, init="he")
    assert r.status_code == 201, r.text


def test_an_unknown_session_has_no_twin(client):
    r = client.post("/api/sessions/nope/twin", json={"changes": {}})
    assert r.status_code == 404


def test_a_body_that_is_not_json_is_refused(client):
    a = create(client)
    r = client.post(
        f"/api/sessions/{a['id']}/twin", content="changes=1", headers={"content-type": "text/plain"}
    )
    assert r.status_code == 415


def test_twins_count_against_the_clients_sessions():
    client = TestClient(create_app(Settings(sessions_per_client=2)))
    a = create(client)
    assert twin(client, a, optimizer="adam").status_code == 201
    r = twin(client, a, optimizer="momentum")
    assert r.status_code == 429 and "Retry-After" in r.headers


def side(config: dict, vary: str, value) -> dict:
    """The changes that give one run of a comparison its value (as static/js/compare.js)."""
    hidden = config.get("hidden", [{"units": 4, "activation": "tanh"}])
    if vary == "activation":
        return {"hidden": [{**h, "activation": value} for h in hidden]}
    if vary == "depth":
        return {"hidden": [hidden[0]] * int(value)}
    return {vary: value}


COMPARISONS = {lesson.id: lesson for lesson in LESSONS if lesson.compare}


def run_lesson(lesson_id: str, epochs: int) -> tuple[dict, dict, dict, dict]:
    client = TestClient(create_app())
    lesson = COMPARISONS[lesson_id]
    config, c = lesson.config.model_dump(exclude_none=True), lesson.compare
    a = create(client, **{**config, **side(config, c.vary, c.a)})
    r = twin(client, a, **side(config, c.vary, c.b))
    assert r.status_code == 201, r.text
    b = r.json()
    fa = fb = None
    for _ in range(epochs // 50):
        fa = step(client, a, steps=50, unit="epoch")
        fb = step(client, b, steps=50, unit="epoch")
    return a, b, fa, fb


def test_there_are_comparison_lessons_of_activation_optimizer_and_init():
    assert {c.compare.vary for c in COMPARISONS.values()} >= {"activation", "optimizer", "init"}


def test_relu_beats_tanh_on_the_comparisons_spiral():
    _, _, fa, fb = run_lesson("compare-relu-tanh", 200)
    assert fa["accuracy"]["test"] > 0.95 > fb["accuracy"]["test"]


def test_adam_is_ahead_of_sgd_at_the_same_small_rate():
    _, _, fa, fb = run_lesson("compare-sgd-adam", 100)
    assert fb["loss"]["train"] < 0.8 * fa["loss"]["train"]


def test_zero_initialization_keeps_its_units_alike_where_xavier_learns():
    _, _, fa, fb = run_lesson("compare-zero-xavier", 100)
    W1 = np.array(fa["layers"][0]["W"])
    assert np.all(W1 == W1[0]) and np.any(W1)  # they move, all alike
    assert fb["accuracy"]["test"] > 0.8 and fa["accuracy"]["test"] < 0.6
