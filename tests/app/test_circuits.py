"""POST /api/circuits: the lecture's numbers, and clean 422s for everything else."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app

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


def test_non_finite_values_and_long_expressions_are_refused_by_the_schema():
    r = client.post(
        "/api/circuits",
        content='{"expression": "x", "values": {"x": 1e999}}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("values")
    assert post("x" * 501).status_code == 422
