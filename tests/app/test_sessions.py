"""Every endpoint of the API, success and failure, through FastAPI's TestClient."""

import base64
import json
import threading

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.serialize import dumps, frame_dict
from app.settings import Settings
from nncore.activations import ACTIVATIONS
from nncore.datasets import DATASETS
from nncore.features import FEATURES
from nncore.gradcheck import numerical_gradient, relative_error
from nncore.losses import PROBLEMS
from nncore.trainer import Config, Hidden, Trainer

JSON = {"content-type": "application/json"}


def create(client, **config):
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()


def decode(typed):
    dtype = {"f4": "<f4", "u1": "u1"}[typed["dtype"]]
    a = np.frombuffer(base64.b64decode(typed["bdata"]), dtype)
    a = a.reshape([int(n) for n in typed["shape"].split(",")]).astype(np.float64)
    if typed["dtype"] == "u1":
        lo, hi = typed["range"]
        a = lo + (hi - lo) * a / 255
    return a


def test_health_and_options_come_from_the_registries(client):
    assert client.get("/api/health").json()["status"] == "ok"
    o = client.get("/api/options").json()
    assert [a["name"] for a in o["activations"]] == list(ACTIVATIONS)
    assert [p["name"] for p in o["problems"]] == list(PROBLEMS)
    for p in o["problems"]:
        assert [d["name"] for d in p["datasets"]] == list(DATASETS[p["name"]])
    assert [f["name"] for f in o["features"]] == list(FEATURES)
    assert o["limits"]["max_hidden_layers"] == 8 and o["limits"]["max_units"] == 32
    assert o["defaults"]["learning_rate"] == 0.03 and o["defaults"]["batch_size"] == 10


def test_create_with_no_body_gives_playground_defaults(client):
    r = client.post("/api/sessions", headers=JSON)  # JSON, but no body: every default
    assert r.status_code == 201
    s = r.json()
    assert len(s["id"]) >= 22  # 24 random bytes in url-safe base64: 192 bits
    c = s["config"]
    assert (c["problem"], c["dataset"], c["n_samples"], c["train_fraction"]) == (
        "binary",
        "circle",
        500,
        0.5,
    )
    assert [h["units"] for h in c["hidden"]] == [4, 2]
    assert len(s["data"]["train"]["X"]) == 250 and len(s["data"]["test"]["y"]) == 250
    f = s["frame"]
    assert f["step"] == 0
    assert [np.shape(la["W"]) for la in f["layers"]] == [(4, 2), (2, 4), (1, 2)]
    assert [np.shape(la["b"]) for la in f["layers"]] == [(4, 1), (2, 1), (1, 1)]
    assert decode(f["grid"]["output"]).shape == (100, 100)
    assert [decode(n).shape for n in f["grid"]["neurons"]] == [
        (4, 32, 32),
        (2, 32, 32),
        (1, 32, 32),
    ]
    assert client.post("/api/sessions", json={}).status_code == 201


def test_step_trains_and_the_frame_has_what_was_asked(client):
    s = create(
        client, dataset="xor", hidden=[{"units": 4, "activation": "tanh"}], learning_rate=0.1
    )
    url = f"/api/sessions/{s['id']}/step"
    f = client.post(url, headers=JSON).json()
    assert (f["step"], f["grid"]) == (1, None) and "Z" not in f["layers"][0]
    client.post(url, json={"steps": 1000})
    f = client.post(url, json={"steps": 1000, "trace": True, "grids": "output"}).json()
    assert f["step"] == 2001 and f["accuracy"]["test"] > 0.9
    assert len(f["trace_indices"]) == 10
    assert np.shape(f["layers"][0]["Z"]) == (4, 10) and np.shape(f["layers"][1]["dA"]) == (1, 10)
    assert f["grid"]["neurons"] is None
    f = client.post(url, json={"steps": 1, "unit": "epoch"}).json()
    assert f["epoch"] == 81 and f["step"] == 2025


def test_a_full_batch_gradient_matches_centered_differences(client):
    """The returned dW is backprop on the data; recompute the loss from the returned W, b."""
    s = create(
        client,
        n_samples=60,
        batch_size=2000,
        noise=0.3,
        hidden=[{"units": 3, "activation": "tanh"}],
        learning_rate=0.5,
    )
    X = np.array(s["data"]["train"]["X"]).T
    y = np.array(s["data"]["train"]["y"])
    W1, b1, W2, b2 = (np.array(s["frame"]["layers"][i][k]) for i in (0, 1) for k in ("W", "b"))
    f = client.post(f"/api/sessions/{s['id']}/step", json={"trace": True}).json()

    def loss():
        a = 1 / (1 + np.exp(-(W2 @ np.tanh(W1 @ X + b1) + b2)))
        return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))

    for p, name, layer in [(W1, "dW", 0), (b1, "db", 0), (W2, "dW", 1), (b2, "db", 1)]:
        num = numerical_gradient(loss, p)
        assert relative_error(np.array(f["layers"][layer][name]), num) < 1e-7
    # and the weights moved by -alpha dW
    np.testing.assert_allclose(f["layers"][0]["W"], W1 - 0.5 * np.array(f["layers"][0]["dW"]))


def test_get_returns_state_and_history(client):
    s = create(client)
    for _ in range(3):
        client.post(f"/api/sessions/{s['id']}/step", json={"steps": 5})
    g = client.get(f"/api/sessions/{s['id']}?grids=none").json()
    assert [h["step"] for h in g["history"]] == [5, 10, 15]
    assert g["frame"]["step"] == 15 and g["frame"]["grid"] is None
    assert len(g["history"][0]["grad_norm_W"]) == 3


def test_patch_applies_live_and_keeps_the_weights(client):
    s = create(client)
    sid = s["id"]
    f = client.post(f"/api/sessions/{sid}/step", json={"steps": 20}).json()
    r = client.patch(
        f"/api/sessions/{sid}",
        json={
            "hidden": [{"units": 5, "activation": "relu"}, {"units": 2, "activation": "tanh"}],
            "learning_rate": 0.1,
        },
    )
    assert r.status_code == 200
    g = r.json()
    assert g["config"]["learning_rate"] == 0.1
    assert g["frame"]["step"] == 20 and g["frame"]["layers"][0]["activation"] == "relu"
    W_old, W_new = np.array(f["layers"][0]["W"]), np.array(g["frame"]["layers"][0]["W"])
    np.testing.assert_array_equal(W_new[:4], W_old)
    assert client.post(f"/api/sessions/{sid}/step", headers=JSON).json()["step"] == 21
    g = client.patch(f"/api/sessions/{sid}", json={"problem": "regression"}).json()
    assert g["config"]["dataset"] == "plane" and g["frame"]["accuracy"] is None


def test_reset_gives_the_same_start(client):
    s = create(client, seed=42, noise=0.1)
    sid = s["id"]
    client.post(f"/api/sessions/{sid}/step", json={"steps": 30})
    r = client.post(f"/api/sessions/{sid}/reset", headers=JSON).json()
    assert r["frame"]["step"] == 0 and r["history"] == []
    for a, b in zip(r["frame"]["layers"], s["frame"]["layers"], strict=True):
        assert a["W"] == b["W"] and a["b"] == b["b"]
    assert r["data"] == s["data"]
    r = client.post(f"/api/sessions/{sid}/reset", json={"seed": 43}).json()
    assert r["config"]["seed"] == 43 and r["data"] != s["data"]


def test_example_record_is_consistent_with_the_frame(client):
    s = create(client, hidden=[{"units": 3, "activation": "tanh"}])
    sid = s["id"]
    r = client.get(f"/api/sessions/{sid}/examples/7").json()
    W1 = np.array(s["frame"]["layers"][0]["W"])
    x = np.array(s["data"]["train"]["X"][7])
    assert r["x"] == list(x) and r["label"] == s["data"]["train"]["y"][7]
    np.testing.assert_allclose(r["layers"][0]["z"], W1 @ x)  # b starts at 0
    np.testing.assert_allclose(r["layers"][1]["dz"], np.array(r["layers"][1]["a"]) - r["label"])
    np.testing.assert_allclose(
        r["layers"][1]["dW"], np.outer(r["layers"][1]["dz"], r["layers"][0]["a"])
    )
    assert client.get(f"/api/sessions/{sid}/examples/250").status_code == 422


def test_gradcheck_reports_tiny_errors(client):
    s = create(
        client, problem="multiclass", dataset="spiral", hidden=[{"units": 6, "activation": "relu"}]
    )
    g = client.get(f"/api/sessions/{s['id']}/gradcheck").json()
    assert len(g["layers"]) == 2 and all(la["error"] < 1e-7 for la in g["layers"])


def test_editing_a_weight_changes_the_frame(client):
    s = create(client)
    r = client.put(
        f"/api/sessions/{s['id']}/weights", json={"layer": 1, "row": 2, "col": 1, "value": 0.75}
    )
    assert r.status_code == 200 and r.json()["layers"][0]["W"][2][1] == 0.75
    r = client.put(
        f"/api/sessions/{s['id']}/weights", json={"layer": 1, "row": 9, "col": 0, "value": 1}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "row"


def test_delete_then_404(client):
    s = create(client)
    assert client.delete(f"/api/sessions/{s['id']}").status_code == 204
    for method, path in [("get", ""), ("post", "/step"), ("delete", ""), ("get", "/gradcheck")]:
        r = getattr(client, method)(f"/api/sessions/{s['id']}{path}", headers=JSON)
        assert r.status_code == 404 and "session" in r.json()["detail"]


@pytest.mark.parametrize(
    "body, field",
    [
        ('{"learning_rate": 1e999}', "learning_rate"),
        ('{"learning_rate": 0}', "learning_rate"),
        ('{"learning_rate": 10.5}', "learning_rate"),
        ('{"noise": -0.1}', "noise"),
        ('{"n_samples": 5}', "n_samples"),
        ('{"n_samples": 2001}', "n_samples"),
        ('{"hidden": [{"units": 33}]}', "hidden.0.units"),
        ('{"hidden": [{"units": 0}]}', "hidden.0.units"),
        ('{"hidden": [' + ",".join(['{"units": 2}'] * 9) + "]}", "hidden"),
        ('{"hidden": [{"activation": "swish"}]}', "hidden.0.activation"),
        ('{"dataset": "mnist"}', "dataset"),
        ('{"dataset": "plane"}', "dataset"),
        ('{"features": ["x3"]}', "features.0"),
        ('{"features": []}', "features"),
        ('{"grid": 201}', "grid"),
        ('{"neuron_resolution": 65}', "neuron_resolution"),
        ('{"seed": -1}', "seed"),
        ('{"momentum": "a lot"}', "momentum"),
        ('{"classes": 6}', "classes"),
        ('{"optimizer": "rmsprop"}', "optimizer"),
        ('{"unknown_field": 1}', "unknown_field"),
        ("[1, 2", "body"),
    ],
)
def test_bad_config_is_a_422_naming_the_field(client, body, field):
    s = create(client)
    for r in (
        client.post("/api/sessions", content=body, headers=JSON),
        client.patch(f"/api/sessions/{s['id']}", content=body, headers=JSON),
    ):
        assert r.status_code == 422, r.text
        e = r.json()
        assert field in [x["field"] for x in e["errors"]], e
        assert "Traceback" not in r.text and "1e999" not in r.text
    # and the session is untouched
    assert client.get(f"/api/sessions/{s['id']}").json()["config"] == s["config"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"steps": 0}, "steps"),
        ({"steps": 1001}, "steps"),
        ({"unit": "week"}, "unit"),
        ({"grids": "some"}, "grids"),
        ({"steps": 1000, "unit": "epoch"}, "steps"),
    ],
)
def test_bad_step_is_a_422(client, body, field):
    s = create(client)
    r = client.post(f"/api/sessions/{s['id']}/step", json=body)
    assert r.status_code == 422 and field in r.json()["detail"]


def test_divergence_is_a_409_and_the_session_goes_on(client):
    s = create(
        client, problem="regression", dataset="plane", hidden=[], learning_rate=1.0, batch_size=2000
    )
    url = f"/api/sessions/{s['id']}/step"
    r = client.post(url, json={"steps": 200})
    assert r.status_code == 409
    e = r.json()
    assert f"step {e['step']}" in e["detail"] and "learning rate" in e["detail"]
    before = client.get(f"/api/sessions/{s['id']}?grids=none").json()["frame"]
    assert before["step"] == e["step"] - 1
    client.patch(f"/api/sessions/{s['id']}", json={"learning_rate": 0.01})
    f = client.post(url, json={"steps": 5}).json()
    assert f["step"] == before["step"] + 5 and f["loss"]["train"] < before["loss"]["train"]


def test_the_session_cap_answers_503_with_retry_after():
    client = TestClient(create_app(Settings(max_sessions=2)))
    create(client)
    create(client)
    r = client.post("/api/sessions", json={})
    assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1


@pytest.mark.memory_store  # reads or sets the memory store's own fields
def test_idle_sessions_expire():
    app = create_app(Settings(session_ttl_seconds=10))
    now = [0.0]
    app.state.store.clock = lambda: now[0]
    client = TestClient(app)
    s = create(client)
    now[0] = 5
    assert client.get(f"/api/sessions/{s['id']}?grids=none").status_code == 200
    now[0] = 14  # 9 s after the last use: still alive
    assert client.get(f"/api/sessions/{s['id']}?grids=none").status_code == 200
    now[0] = 25
    assert client.get(f"/api/sessions/{s['id']}?grids=none").status_code == 404


def test_concurrent_steps_on_one_session_are_whole_steps(client):
    s = create(client, n_samples=200)
    url = f"/api/sessions/{s['id']}/step"
    results = []

    def worker():
        for _ in range(5):
            results.append(client.post(url, json={"steps": 7}).json()["step"])

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [7 * k for k in range(1, 21)]
    assert client.get(f"/api/sessions/{s['id']}?grids=none").json()["frame"]["step"] == 140


def test_openapi_documents_every_field():
    schema = create_app().openapi()
    props = schema["components"]["schemas"]["Config"]["properties"]
    assert all(p.get("description") for p in props.values())
    assert props["learning_rate"]["maximum"] == 10


@pytest.mark.parametrize(
    "problem, dataset", [("binary", "circle"), ("multiclass", "blobs"), ("regression", "sine")]
)
def test_example_equations_carry_the_records_numbers(client, problem, dataset):
    features = ["x1"] if dataset == "sine" else ["x1", "x2"]
    s = create(
        client,
        problem=problem,
        dataset=dataset,
        features=features,
        hidden=[{"units": 3, "activation": "tanh"}, {"units": 9, "activation": "relu"}],
    )
    r = client.get(f"/api/sessions/{s['id']}/examples/4?equations=true")
    assert r.status_code == 200, r.text
    e = r.json()
    kinds = [q["kind"] for q in e["equations"]]
    # dz, dW, db (+ da) per layer, and g'(z) per hidden layer
    assert kinds == ["forward"] * 6 + ["loss"] + ["backward"] * 13
    first = e["equations"][0]
    assert first["latex"].startswith("z^{[1]} = W^{[1]} a^{[0]} + b^{[1]}")
    assert f"{e['layers'][0]['z'][0]:.3g}" in first["latex"]
    assert first["mathml"].startswith("<math") and "<mtable" in first["mathml"]
    assert r"\vdots" in e["equations"][2]["latex"]  # 9 units: the long side is elided
    dz_out = e["equations"][7]["latex"]  # dz[L] = a[L] - y: words in text, not math italics
    assert dz_out.startswith("dz^{[3]} = a^{[3]} - y")
    assert (r"\text{(one-hot)}" in dz_out) == (problem == "multiclass")
    assert "equations" not in client.get(f"/api/sessions/{s['id']}/examples/4").json()


def _strict_json(text: str):
    def refuse(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _ranges(frame: dict) -> list:
    grid = frame["grid"]
    return [n["range"] for n in grid["neurons"]] + [grid["inputs"]["range"]]


def test_extreme_weights_keep_every_neuron_map_range_two_finite_numbers(client):
    # Six linear layers of 1e6 weights reach 1e36 and beyond: the float32 maps overflow
    sid = create(client, hidden=[{"units": 3, "activation": "linear"}] * 6, n_samples=20)["id"]
    for layer in range(1, 8):
        for row in range(3 if layer < 7 else 1):
            for col in range(2):
                edit = {"layer": layer, "row": row, "col": col, "value": 1e6}
                r = client.put(f"/api/sessions/{sid}/weights", json=edit)
                assert r.status_code == 200, r.text
                for lo, hi in _ranges(_strict_json(r.text)):
                    assert np.isfinite([lo, hi]).all() and lo <= hi, (edit, lo, hi)
    assert _ranges(_strict_json(client.get(f"/api/sessions/{sid}").text)["frame"])


def test_extreme_weights_set_in_the_core_serialize_with_finite_ranges():
    t = Trainer(Config(n_samples=20, hidden=(Hidden(4, "linear"),) * 6))
    for layer, lp in enumerate(t.net.layers, start=1):
        for row, col in np.ndindex(lp.W.shape):
            t.set_parameter(layer, row, col, 1e6)
    frame = _strict_json(dumps(frame_dict(t.frame(grids="all"))).decode())
    ranges = _ranges(frame)
    assert len(ranges) == 8 and all(np.isfinite(r).all() and r[0] <= r[1] for r in ranges)
    assert max(abs(r[1]) for r in ranges) > 1e30  # the finite part of the map is still there
