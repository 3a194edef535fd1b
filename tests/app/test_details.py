"""A neuron's and a weight's equations (GET .../neurons/{l}/{j}, .../weights/{l}/{j}/{k}): the
numbers they write out, against the same numbers worked out here from the session's own
weights and example record."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.equations import NEURON_TITLES, WEIGHT_TITLES, _num
from app.main import create_app


@pytest.fixture
def client():
    return TestClient(create_app())


def session(client, **config) -> tuple[str, dict]:
    r = client.post("/api/sessions?grids=none", json=config)
    assert r.status_code == 201, r.text
    return r.json()["id"], r.json()["frame"]


def equations(client, path: str) -> list[dict]:
    r = client.get(path)
    assert r.status_code == 200, r.text
    eqs = r.json()["equations"]
    assert all(e["mathml"].startswith("<math") for e in eqs)
    return eqs


def step(client, sid: str) -> dict:
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": 1})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_neurons_z_is_its_weights_times_the_inputs_plus_its_bias(client):
    sid, _ = session(client, hidden=[{"units": 3, "activation": "tanh"}])
    W, b = (np.array(x) for x in (lambda f: (f["W"], f["b"]))(step(client, sid)["layers"][0]))
    r = client.get(f"/api/sessions/{sid}/examples/7").json()
    a0 = np.array(r["a0"])
    z = float(W[1] @ a0 + b[1, 0])  # unit 2 of layer 1, worked out here
    eqs = equations(client, f"/api/sessions/{sid}/neurons/1/1?example=7")
    assert [e["title"] for e in eqs] == [
        NEURON_TITLES[k] for k in ("weights", "z", "a", "slope")
    ] and eqs[1]["params"] == {"i": 7}
    weights, zline, aline, slope = (e["latex"] for e in eqs)
    assert weights.endswith(f"b_{{2}}^{{[1]}} = {_num(b[1, 0])}")
    assert all(_num(w) in weights for w in W[1])
    assert zline.startswith(r"z_{2}^{[1]} = w_{2}^{[1]T} a^{[0]} + b_{2}^{[1]} = ")
    assert all(_num(x) in zline for x in a0) and zline.endswith(f"= {_num(z)}")
    assert aline.endswith(rf"= \tanh({_num(z)}) = {_num(np.tanh(z))}")
    a = np.tanh(z)
    shown = _num(a) if a >= 0 else f"({_num(a)})"
    assert slope == (
        rf"\tanh'(z_{{2}}^{{[1]}}) = 1 - \tanh^{{2}} z_{{2}}^{{[1]}} = 1 - {shown}^{{2}} = "
        + _num(1 - a * a)
    )


@pytest.mark.parametrize(
    "activation, slope",
    [
        ("sigmoid", lambda z: (s := 1 / (1 + np.exp(-z))) * (1 - s)),
        ("relu", lambda z: 1.0 if z > 0 else 0.0),
        ("leaky_relu", lambda z: 1.0 if z > 0 else 0.01),
        ("linear", lambda z: 1.0),
    ],
)
def test_a_neurons_slope_is_its_derivative_at_the_examples_z(client, activation, slope):
    sid, _ = session(client, hidden=[{"units": 4, "activation": activation}])
    record = client.get(f"/api/sessions/{sid}/examples/3").json()
    for j, z in enumerate(record["layers"][0]["z"]):
        latex = equations(client, f"/api/sessions/{sid}/neurons/1/{j}?example=3")[3]["latex"]
        if activation in ("relu", "leaky_relu"):
            side = "z > 0" if z > 0 else r"z \le 0"
            assert latex.endswith(rf"({_num(z)}) = {_num(slope(z))} \quad ({side})"), latex
        else:
            assert latex.endswith(f"= {_num(slope(z))}"), latex
    if activation == "sigmoid":
        a = record["layers"][0]["a"][-1]  # the last unit's line
        assert rf"\sigma\left(1 - \sigma\right) = {_num(a)} \times (1 - {_num(a)})" in latex


def test_a_softmax_output_says_it_couples_the_outputs(client):
    sid, _ = session(
        client, problem="multiclass", dataset="spiral", classes=3, hidden=[{"units": 4}]
    )
    a = np.array(client.get(f"/api/sessions/{sid}/examples/0").json()["layers"][1]["a"])
    last = equations(client, f"/api/sessions/{sid}/neurons/2/1")[3]
    assert last["title"] == NEURON_TITLES["softmax"]
    column = a * (np.arange(3) == 1) - a * a[1]  # d a_k / d z_2 = a_k (delta_k2 - a_2)
    assert last["latex"].endswith(
        r"\begin{pmatrix}" + r" \\ ".join(_num(v) for v in column) + r"\end{pmatrix}"
    )


def weight_url(sid: str, before: float | None = None, updates: int = 1) -> str:
    url = f"/api/sessions/{sid}/weights/2/0/1?example=3"
    return url if before is None else f"{url}&before={before!r}&updates={updates}"


def test_one_gradient_descent_step_is_written_out_as_w_minus_rate_times_dw(client):
    sid, start = session(client, learning_rate=0.1)
    after = step(client, sid)
    before, w = start["layers"][1]["W"][0][1], after["layers"][1]["W"][0][1]
    dW = after["layers"][1]["dW"][0][1]
    assert abs(before - 0.1 * dW - w) < 1e-15  # the step the core took, worked out here
    record = client.get(f"/api/sessions/{sid}/examples/3").json()
    dz, a_prev = record["layers"][1]["dz"][0], record["layers"][0]["a"][1]
    now, mine, batch, update = equations(client, weight_url(sid, before))
    assert now["latex"] == rf"W_{{1,2}}^{{[2]}} = {_num(w)}"
    assert mine["latex"].endswith(f"= {_num(dz * a_prev)}") and mine["params"] == {"i": 3}
    assert batch["latex"].endswith(f"= {_num(dW)}")
    assert update["title"] == WEIGHT_TITLES["sgd"]
    factor = _num(dW) if dW >= 0 else f"({_num(dW)})"
    assert update["latex"] == (
        rf"W_{{1,2}}^{{[2]}} \coloneqq W_{{1,2}}^{{[2]}} - \alpha\, dW_{{1,2}}^{{[2]}} = "
        rf"{_num(before)} - 0.1 \times {factor} = {_num(w)}"
    )
    # without the weight before, no update line
    assert len(equations(client, weight_url(sid))) == 3


@pytest.mark.parametrize(
    "config, updates, title",
    [
        ({"optimizer": "momentum"}, 1, "one"),
        ({"optimizer": "adam"}, 1, "one"),
        ({"l2": 0.01}, 1, "one"),
        ({}, 3, "many"),
    ],
)
def test_any_other_update_is_written_as_before_and_after(client, config, updates, title):
    sid, start = session(client, **config)
    for _ in range(updates):
        after = step(client, sid)
    before, w = start["layers"][1]["W"][0][1], after["layers"][1]["W"][0][1]
    update = equations(client, weight_url(sid, before, updates))[-1]
    assert update["title"] == WEIGHT_TITLES[title] and update["params"] == {"n": updates}
    assert update["latex"] == rf"W_{{1,2}}^{{[2]}}: {_num(before)} \to {_num(w)}"


def test_a_before_that_one_step_did_not_give_is_not_written_as_that_step(client):
    sid, _ = session(client)
    step(client, sid)
    update = equations(client, weight_url(sid, 0.5))[-1]
    assert update["title"] == WEIGHT_TITLES["one"] and r"0.5 \to" in update["latex"]


@pytest.mark.parametrize(
    "path, field",
    [
        ("neurons/4/0", "l"),  # the default network has 3 layers
        ("neurons/0/0", "l"),
        ("neurons/1/4", "j"),  # 4 units in layer 1
        ("neurons/3/1", "j"),  # one output
        ("neurons/1/99", "j"),
        ("neurons/1/x", "j"),
        ("weights/2/0/4", "k"),  # layer 1 has 4 units
        ("weights/1/0/2", "k"),  # 2 features
        ("weights/2/2/0", "j"),
        ("weights/9/0/0", "l"),
        ("neurons/1/0?example=250", "example"),  # 250 training examples
        ("neurons/1/0?example=-1", "example"),
        ("weights/1/0/0?before=inf", "before"),
        ("weights/1/0/0?before=nan", "before"),
        ("weights/1/0/0?before=2e6", "before"),
        ("weights/1/0/0?before=ab", "before"),
        ("weights/1/0/0?before=0.1&updates=0", "updates"),
        ("weights/1/0/0?before=0.1&updates=1.5", "updates"),
        ("weights/1/0/0?before=0.1&updates=9007199254740992", "updates"),
    ],
)
def test_bad_indices_and_values_are_422s_naming_the_field(client, path, field):
    sid, _ = session(client)
    r = client.get(f"/api/sessions/{sid}/{path}")
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]


def test_an_unknown_session_is_a_404(client):
    assert client.get("/api/sessions/nope/neurons/1/0").status_code == 404
    assert client.get("/api/sessions/nope/weights/1/0/0").status_code == 404
