"""POST /api/circuits: the lecture's numbers, and clean 422s for everything else."""

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from app.main import create_app
from nncore.circuit import FUNCTIONS

client = TestClient(create_app())


def post(expression, values=None, expand=False):
    return client.post(
        "/api/circuits", json={"expression": expression, "values": values or {}, "expand": expand}
    )


def test_the_lectures_circuit_with_every_number():
    r = post("(x + y) * z", {"x": -2, "y": 5, "z": -4})
    assert r.status_code == 200
    c = r.json()
    by_label = {n["label"]: n for n in c["nodes"] if n["op"] == "input"}
    assert {k: (v["value"], v["grad"]) for k, v in by_label.items()} == {
        "x": (-2, -4),
        "y": (5, -4),
        "z": (-4, 3),
    }
    assert c["output"]["value"] == -12
    q = next(n for n in c["nodes"] if n["op"] == "add")
    assert q["value"] == 3 and q["grad"] == -4 and "distributes" in q["role"]
    locals_ = {(e["from"], e["to"]): e["local"] for e in c["edges"]}
    mul = next(n for n in c["nodes"] if n["op"] == "mul")
    assert locals_[(q["id"], mul["id"])] == -4  # d(qz)/dq = z
    assert c["order"] == sorted(c["order"])


def test_expand_shows_the_sigmoid_as_its_gates():
    values = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}
    a = post("sigmoid(w0*x0 + w1*x1 + w2)", values).json()
    b = post("sigmoid(w0*x0 + w1*x1 + w2)", values, expand=True).json()
    assert round(a["output"]["value"], 2) == round(b["output"]["value"], 2) == 0.73
    assert {n["op"] for n in b["nodes"]} >= {"exp", "neg", "div"}


@pytest.mark.parametrize(
    "expression, values, field, words",
    [
        ("(x + y", {}, "expression", "position"),
        ("x + y", {"x": 1}, "values.y", "no value given for y"),
        ("exp(1000)", {}, "expression", "exp gate"),
        ("log(-1)", {}, "expression", "log gate"),
        ("1/0", {}, "expression", "div gate"),
        ("__import__('os')", {}, "expression", "only these functions"),
        ("x.real", {"x": 1}, "expression", "attributes"),
    ],
)
def test_bad_circuits_are_422_with_the_place_and_the_reason(expression, values, field, words):
    r = post(expression, values)
    assert r.status_code == 422
    e = r.json()
    assert e["errors"][0]["field"] == field and words in e["detail"]


def test_every_missing_value_is_named_at_once_with_where_it_first_appears():
    r = post("2 * w*x + b - x", {"x": 1})
    assert r.status_code == 422
    e = r.json()
    assert [x["field"] for x in e["errors"]] == ["values.w", "values.b"]
    assert e["position"] == 5 and "no value given for w, b" in e["detail"]


def test_non_finite_values_and_long_expressions_are_refused_by_the_schema():
    r = client.post(
        "/api/circuits",
        content='{"expression": "x", "values": {"x": 1e999}}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("values")
    assert post("x" * 501).status_code == 422


def by_name(circuit):
    return {n["label"]: n for n in circuit["nodes"] if n["op"] == "input"}


# The numbers each preset's caption promises, from the lecture notes.
PROMISED = {
    "add-multiply": (-12, {"x": -4, "y": -4, "z": 3}),
    "three-gates": (-20, {"x": -8, "y": 6, "z": 2, "w": 0}),
    "sigmoid-neuron-gates": (0.73, {"w0": -0.2, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.2}),
    "sigmoid-neuron": (0.73, {"w0": -0.2, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.2}),
    "squared-norm": (
        0.116,
        {"W11": 0.088, "W12": 0.176, "W21": 0.104, "W22": 0.208, "x1": -0.112, "x2": 0.636},
    ),
}


def test_every_preset_runs_and_keeps_the_numbers_its_caption_gives():
    presets = client.get("/api/circuits/presets").json()
    assert {p["id"] for p in presets} >= set(PROMISED) | {"staged"}
    for p in presets:
        assert p["title"]["zh"] and p["caption"]["zh"]
        r = post(p["expression"], p["values"], p["expand"])
        assert r.status_code == 200, p["id"]
        if p["id"] not in PROMISED:
            continue
        f, grads = PROMISED[p["id"]]
        c = r.json()
        digits = 2 if p["id"].startswith("sigmoid") else 6
        assert round(c["output"]["value"], 3) == pytest.approx(f, abs=10**-digits)
        for name, g in grads.items():
            assert by_name(c)[name]["grad"] == pytest.approx(g, abs=10 ** -min(digits, 6)), name


def test_the_staged_example_through_the_api_matches_centered_differences():
    p = next(p for p in client.get("/api/circuits/presets").json() if p["id"] == "staged")
    c = post(p["expression"], p["values"]).json()
    h = 1e-6
    for name in ("x", "y"):
        up = post(p["expression"], {**p["values"], name: p["values"][name] + h}).json()
        down = post(p["expression"], {**p["values"], name: p["values"][name] - h}).json()
        numeric = (up["output"]["value"] - down["output"]["value"]) / (2 * h)
        assert by_name(c)[name]["grad"] == pytest.approx(numeric, rel=1e-6)


@pytest.mark.parametrize(
    "expression, values, where",
    [
        ("1" * 400, {}, "position 1: a number is too large"),
        ("1/1e-200", {}, "position 1: the div gate"),
        ("x/y", {"x": 1, "y": 1e-170}, "position 1: the div gate"),
        ("2 * x**y", {"x": -8, "y": 0.5}, "position 5: the pow gate"),
    ],
)
def test_arithmetic_failures_are_422_naming_the_gate_and_the_connection_stays(
    expression, values, where
):
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        r = c.post("/api/circuits", json={"expression": expression, "values": values})
        assert r.status_code == 422 and r.json()["detail"].startswith(where)
        assert r.json()["errors"][0]["field"] == "expression"
        assert c.get("/api/health").status_code == 200


EXTREMES = st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 1e-170, -1e-170, 5e-324, 1e-308, 1e154, 1e300, -1e300]
    + [1.7976931348623157e308, -1.7976931348623157e308, 709.78, -745.2, 1e6]
)
NAMES = st.sampled_from(["x", "y", "z"])
LITERALS = st.sampled_from(["0", "1", "2", "0.5", "1e-200", "1e300", "9" * 310, "1" * 400])


def _expressions():
    leaves = NAMES | LITERALS
    unary = [f for f, n in FUNCTIONS.items() if n == 1]
    binary = [f for f, n in FUNCTIONS.items() if n == 2]
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(st.sampled_from(unary), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(st.sampled_from(binary), inner, inner).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"
            ),
            inner.map(lambda e: f"-{e}"),
        ),
        max_leaves=8,
    ).filter(lambda e: len(e) <= 500)


@given(expression=_expressions(), values=st.fixed_dictionaries(dict.fromkeys("xyz", EXTREMES)))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_any_whitelisted_formula_at_extreme_values_is_200_or_422(expression, values):
    r = client.post("/api/circuits", json={"expression": expression, "values": values})
    assert r.status_code in (200, 422), (expression, values, r.text)
    body = r.json()  # orjson would have refused inf or nan: the numbers are all finite
    if r.status_code == 422:
        assert body["errors"][0]["field"] in ("expression", "values.x", "values.y", "values.z")
