"""Every 422 a user can cause carries a code with params (nncore/errors.py MESSAGES), so that
the page can show it in its own language: request validation (a string for a number, a wrong
name, an extra field, a list too long) and the circuit view's parse and evaluation errors."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from nncore.errors import MESSAGES

BAD_PATCHES = [
    {"learning_rate": "abc"},
    {"batch_size": 1.5},
    {"seed": True},
    {"hidden": [{"units": 3, "activation": "foo"}]},
    {"problem": "foo"},
    {"features": ["x1", "nope"]},
    {"foo": 1},
    {"hidden": [{"units": 2, "activation": "tanh", "colour": "red"}]},
    {"hidden": [{"units": 2, "activation": "tanh"}] * 9},
    {"features": []},
    {"hidden": "x"},
    {"hidden": [3]},
    {"learning_rate": 100},
]
BAD_CIRCUITS = [
    "x +",
    "(x",
    "2x",
    "x.y",
    "x < y",
    "exp",
    "exp(x, y)",
    "foo(x)",
    "x % y",
    "'a'",
    "1e999",
    "-" * 499 + "x",  # more gates than allowed
    "(" * 240 + "x" + ")" * 240,  # more parentheses than Python's parser takes
]


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def assert_coded(error: dict) -> None:
    assert error.get("code") in MESSAGES, error
    MESSAGES[error["code"]].format(**error["params"])  # every placeholder has its value


@pytest.mark.parametrize("body", BAD_PATCHES, ids=lambda b: str(b)[:40])
def test_a_bad_patch_names_its_field_with_a_code(client, body):
    sid = client.post("/api/sessions", json={}).json()["id"]
    r = client.patch(f"/api/sessions/{sid}", json=body)
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors
    for e in errors:
        assert_coded(e)
        assert e["field"].split(".")[0] in body


def test_a_wrong_name_lists_the_allowed_ones_without_english_words(client):
    sid = client.post("/api/sessions", json={}).json()["id"]
    r = client.patch(f"/api/sessions/{sid}", json={"hidden": [{"units": 2, "activation": "foo"}]})
    (e,) = r.json()["errors"]
    assert e["code"] == "literal_error" and e["field"] == "hidden.0.activation"
    assert e["params"]["expected"] == "'sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear'"


def test_a_bad_body_is_coded_too(client):
    sid = client.post("/api/sessions", json={}).json()["id"]
    for raw in (b"[1, 2]", b"{bad json"):
        r = client.patch(
            f"/api/sessions/{sid}", content=raw, headers={"content-type": "application/json"}
        )
        assert r.status_code == 422
        for e in r.json()["errors"]:
            assert_coded(e)


@pytest.mark.parametrize("expression", BAD_CIRCUITS, ids=lambda s: s[:20])
def test_every_circuit_error_has_a_code_and_keeps_its_english(client, expression):
    r = client.post("/api/circuits", json={"expression": expression, "values": {"x": 1, "y": 2}})
    assert r.status_code == 422, r.text
    body = r.json()
    assert_coded(body)
    for e in body["errors"]:
        assert_coded(e)
    # the English detail is the template filled in, after the position if there is one
    reason = MESSAGES[body["code"]].format(**body["params"])
    assert body["detail"].endswith(reason)
    if body["position"] is not None:
        assert body["detail"] == f"position {body['position']}: {reason}"


def test_a_too_long_expression_is_refused_by_its_schema_with_a_code(client):
    r = client.post("/api/circuits", json={"expression": "x" * 10_000})
    assert r.status_code == 422
    (e,) = r.json()["errors"]
    assert e["field"] == "expression" and e["code"] == "string_too_long"
    assert_coded(e)


def test_evaluation_errors_are_coded(client):
    cases = {
        "log(x - 1)": "circuit.gate_value",  # log(0) = -inf
        "sqrt(x - 1)": "circuit.local_gradient",  # sqrt'(0) is infinite
        "exp(exp(exp(x * 10)))": "circuit.gate_value",
    }
    for expression, code in cases.items():
        r = client.post("/api/circuits", json={"expression": expression, "values": {"x": 1}})
        assert r.status_code == 422 and r.json()["code"] == code, (expression, r.text)
        assert r.json()["params"]["op"] in expression
    r = client.post("/api/circuits", json={"expression": "a * b", "values": {}})
    body = r.json()
    assert body["code"] == "circuit.missing" and body["params"] == {"names": "a, b"}
    assert [e["params"] for e in body["errors"]] == [{"names": "a"}, {"names": "b"}]
