"""The circuit API with the notes' staged program and vectorized gates, and their 422s."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from nncore.limits import LIMITS

client = TestClient(create_app())

STAGED = (
    "sigy = sigmoid(y)\nnum = x + sigy\nsigx = sigmoid(x)\nxpy = x + y\nxpysqr = xpy**2\n"
    "den = sigx + xpysqr\ninvden = 1.0 / den\nf = num * invden"
)


def flat(value):
    return [v for row in value for v in row]


def post(expression, values=None):
    return client.post("/api/circuits", json={"expression": expression, "values": values or {}})


def test_the_staged_program_names_its_nodes_and_gives_the_notes_numbers():
    r = post(STAGED, {"x": 3, "y": -4})
    assert r.status_code == 200
    c = r.json()
    named = {n["name"]: n for n in c["nodes"] if n["name"]}
    gates = [n["name"] for n in c["nodes"] if n["op"] not in ("input", "const")]
    assert gates == ["sigy", "num", "sigx", "xpy", "xpysqr", "den", "invden", "f"]
    assert round(named["invden"]["grad"], 3) == 3.018
    assert round(named["den"]["grad"], 3) == -0.792
    assert round(c["output"]["value"], 4) == 1.5456 and c["output"]["node"] == named["f"]["id"]
    assert [s["name"] for s in c["stages"]] == gates
    assert c["stages"][4] == {
        "line": 5,
        "name": "xpysqr",
        "node": named["xpysqr"]["id"],
        "text": "xpy**2",
    }


def test_a_constant_has_a_null_gradient_and_no_local_gradient():
    c = post("x**2", {"x": -1}).json()
    const = next(n for n in c["nodes"] if n["op"] == "const")
    assert const["grad"] is None and const["name"] is None
    assert next(e for e in c["edges"] if e["from"] == const["id"])["local"] is None
    x = next(n for n in c["nodes"] if n["op"] == "input")
    assert x["grad"] == -2 and x["name"] == "x"


def test_the_staged_preset_is_the_notes_program():
    p = next(p for p in client.get("/api/circuits/presets").json() if p["id"] == "staged")
    assert p["expression"] == STAGED and p["values"] == {"x": 3, "y": -4}
    assert "3.018" in p["caption"]["en"] and "3.018" in p["caption"]["zh"]


@pytest.mark.parametrize(
    "program, line, code",
    [
        ("a = x + b\nb = 2 * x", 1, "circuit.line.before"),
        ("a = x * 2\nx = a + 1", 1, "circuit.line.before"),
        ("a = x * 2\na = a + 1", 2, "circuit.line.twice"),
        ("a = x * 2\n\nb = x * 3", 1, "circuit.line.unused"),
        ("a = x * 2\nb = a +\nf = b + 1", 2, "circuit.syntax"),
        ("a = x * 2\nb = a / 0\nf = b + 1", 2, "circuit.gate_value"),
        (
            "\n".join(f"a{i} = x + {i}" for i in range(LIMITS.max_program_lines + 1)),
            21,
            "circuit.lines",
        ),
    ],
)
def test_a_bad_program_is_a_422_naming_its_line(program, line, code):
    r = post(program, {"x": 1})
    assert r.status_code == 422
    e = r.json()
    assert e["line"] == line and e["detail"].startswith(f"line {line}")
    assert e["errors"][0]["field"] == "expression" and e["errors"][0].get("code") == code
    if code.startswith("circuit.line"):  # the program's own rules name the line in the text
        assert e["errors"][0]["params"]["line"] == line


def test_a_missing_value_in_a_program_names_the_value_and_its_line():
    e = post("a = x * 2\nb = a + q\nf = b * q", {"x": 1}).json()
    assert [x["field"] for x in e["errors"]] == ["values.q"] and (e["line"], e["position"]) == (
        2,
        9,
    )


def test_the_vectorized_norm_with_the_notes_numbers_and_shapes():
    r = client.post(
        "/api/circuits/vectorized/squared-norm",
        json={"W": [[0.1, 0.5], [-0.3, 0.8]], "x": [0.2, 0.4]},
    )
    assert r.status_code == 200
    v = r.json()
    steps = {s["name"]: s for part in ("inputs", "forward", "backward") for s in v[part]}
    assert [s["name"] for s in v["forward"]] == ["q", "f"]
    assert [s["name"] for s in v["backward"]] == ["dq", "dW", "dx"]
    assert steps["q"]["shape"] == [2, 1] and flat(steps["q"]["value"]) == pytest.approx(
        [0.22, 0.26]
    )
    assert steps["f"]["shape"] == [] and steps["f"]["value"] == pytest.approx(0.116)
    assert flat(steps["dq"]["value"]) == pytest.approx([0.44, 0.52])
    assert steps["dW"]["shape"] == [2, 2]
    assert flat(steps["dW"]["value"]) == pytest.approx([0.088, 0.176, 0.104, 0.208])
    assert flat(steps["dx"]["value"]) == pytest.approx([-0.112, 0.636])
    assert steps["dW"]["code"] == "dW = dq.dot(x.T)" and steps["dx"]["code"] == "dx = W.T.dot(dq)"
    assert v["wrong"]["shape"] == [1, 1]
    # every step typeset with its numbers and the shapes under its matrices
    assert "0.22^{2} + 0.26^{2} = 0.116" in steps["f"]["latex"]
    assert r"[2 \times 1]" in steps["q"]["latex"] and steps["q"]["mathml"].startswith("<math")
    assert "<mn>0.088</mn>" in steps["dW"]["mathml"]


def test_a_negative_entry_squared_keeps_its_parentheses():
    v = client.post(
        "/api/circuits/vectorized/squared-norm", json={"W": [[-1.0]], "x": [1.0]}
    ).json()
    assert "= (-1)^{2} = 1" in v["forward"][1]["latex"]


def test_a_large_entry_squared_keeps_its_power_of_ten_in_parentheses():
    """q = 1024 is written 1.02 x 10^3: its square is (1.02 x 10^3)^2, not a double power
    (the fuzzer's W = [[0, 32]], x = [0, 32] was a 500)."""
    r = client.post(
        "/api/circuits/vectorized/squared-norm", json={"W": [[0.0, 32.0]], "x": [0.0, 32.0]}
    )
    assert r.status_code == 200, r.text
    f = next(s for s in r.json()["forward"] if s["name"] == "f")
    assert r"(1.02 \times 10^{3})^{2}" in f["latex"] and f["mathml"].startswith("<math")


def test_the_relu_jacobian_endpoint():
    r = client.post(
        "/api/circuits/vectorized/relu-jacobian",
        json={"x": [0.5, -1.2, 2.0, -0.3], "dy": [1, 2, -1, 0.5]},
    )
    assert r.status_code == 200
    v = r.json()
    J = next(s for s in v["backward"] if s["name"] == "J")
    assert J["shape"] == [4, 4] and J["value"] == [
        [1, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 0],
    ]
    assert v["backward"][1]["value"] == [[1.0], [0.0], [-1.0], [0.0]]
    assert v["notes"]["entries"] == 16_777_216 and v["notes"]["batch_width"] == 409_600


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("squared-norm", {"W": [[1.0] * 7] * 7, "x": [1.0] * 7}, "W"),
        ("squared-norm", {"W": [[1.0, 2.0]], "x": [1.0]}, "x"),
        ("squared-norm", {"W": [[1e7]], "x": [1.0]}, "W"),
        ("squared-norm", {"W": [[1.0], [2.0, 3.0]], "x": [1.0]}, "W"),
        ("relu-jacobian", {"x": [1.0, 2.0], "dy": [1.0]}, "dy"),
        ("relu-jacobian", {"x": [], "dy": []}, "x"),
    ],
)
def test_bad_matrices_are_a_422_naming_the_field(path, body, field):
    r = client.post(f"/api/circuits/vectorized/{path}", json=body)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"].split(".")[0] == field


def test_every_vectorized_preset_runs_and_keeps_its_captions_numbers():
    presets = {p["id"]: p for p in client.get("/api/circuits/vectorized/presets").json()}
    assert set(presets) == {"vectorized-norm", "relu-jacobian"}
    norm = presets["vectorized-norm"]
    assert norm["title"]["en"] == "vectorized: ||Wx||^2" and norm["title"]["zh"]
    v = client.post("/api/circuits/vectorized/squared-norm", json=norm["values"]).json()
    for number in ("0.22", "0.26", "0.116"):
        assert number in norm["caption"]["en"] and number in norm["caption"]["zh"]
    assert round(v["forward"][1]["value"], 3) == 0.116
    relu = presets["relu-jacobian"]
    assert "4096 x 4096" in relu["caption"]["en"]
    assert (
        client.post("/api/circuits/vectorized/relu-jacobian", json=relu["values"]).status_code
        == 200
    )
