"""The last mini-batch as matrices (GET .../batch) and the loop over examples beside the matrix
form (GET .../vectorize): the numbers shown are the frame's and NumPy's."""

import re

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.equations import _num
from app.main import create_app
from app.settings import Settings
from nncore.limits import LIMITS

client = TestClient(create_app())


def create(**config) -> dict:
    r = client.post("/api/sessions?grids=none", json={"n_samples": 100, **config})
    assert r.status_code == 201, r.text
    return r.json()


def step(sid: str) -> dict:
    r = client.post(f"/api/sessions/{sid}/step", json={"trace": True})
    assert r.status_code == 200, r.text
    return r.json()


def view(sid: str) -> dict:
    r = client.get(f"/api/sessions/{sid}/batch")
    assert r.status_code == 200, r.text
    return r.json()


def matrices(latex: str) -> list[list[list[str]]]:
    """Every pmatrix of a formula as rows of cells, as written."""
    found = re.findall(r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", latex)
    return [[[c.strip() for c in row.split("&")] for row in m.split(r"\\")] for m in found]


def equation(v: dict, name: str, layer: int | None = None) -> dict:
    return next(e for e in v["equations"] if e["name"] == name and e["layer"] == layer)


def written(M) -> list[list[str]]:
    return [[_num(x) for x in row] for row in np.asarray(M)]


def test_before_any_step_there_is_no_batch_and_it_says_so():
    sid = create()["id"]
    for path in ("batch", "vectorize?data=batch"):
        r = client.get(f"/api/sessions/{sid}/{path}")
        assert r.status_code == 409, r.text
        assert r.json()["code"] == "batch.none" and "take a step" in r.json()["detail"]
    assert client.get(f"/api/sessions/{sid}/vectorize?repeats=1").status_code == 200


def test_db_and_dw_shown_are_the_frames_and_the_shapes_are_the_notes():
    s = create(batch_size=10, hidden=[{"units": 4, "activation": "tanh"}])
    f = step(s["id"])
    v = view(s["id"])
    m, sizes = 10, [2, 4, 1]
    assert v["m"] == m and v["step"] == 1 and v["indices"] == f["trace_indices"][:m]
    assert v["shapes"]["X"] == [sizes[0], m]
    assert equation(v, "X")["shape_text"] == f"(n[0], m) = ({sizes[0]}, {m})"
    for l in (1, 2):
        n, prev = sizes[l], sizes[l - 1]
        for name in ("Z", "A", "dZ"):
            assert v["shapes"][f"{name}[{l}]"] == [n, m]
        assert v["shapes"][f"dW[{l}]"] == [n, prev] and v["shapes"][f"db[{l}]"] == [n, 1]
        layer = f["layers"][l - 1]
        db = equation(v, "db", l)
        assert (
            r"\frac{1}{m} \texttt{np.sum(}" in db["latex"]
            and "axis=1, keepdims=True" in db["latex"]
        )
        assert matrices(db["latex"])[-1] == written(layer["db"])
        assert matrices(equation(v, "dW", l)["latex"])[-1] == written(layer["dW"])
    assert v["shapes"]["dA[1]"] == [4, m]
    assert r"dA^{[1]} = W^{[2]T} dZ^{[2]}" in equation(v, "dA", 1)["latex"]
    assert equation(v, "J")["latex"].endswith(_num(f["loss"]["batch"]))


def test_a_z_column_is_w_x_plus_b_of_that_example_and_b_is_repeated_across_the_columns():
    s = create(batch_size=10)
    step(s["id"])
    before = client.get(f"/api/sessions/{s['id']}?grids=none").json()["frame"]  # W, b of step 2
    step(s["id"])
    v = view(s["id"])
    W, b = np.array(before["layers"][0]["W"]), np.array(before["layers"][0]["b"])
    X = np.array(s["data"]["train"]["X"])  # features x1, x2: A[0] is the raw input
    z = equation(v, "Z", 1)
    W_shown, A_shown, WA_shown, b_shown, Z_shown = matrices(z["latex"])
    assert W_shown == written(W)
    assert v["columns"] == [0, 1, 2, 9]  # the first three, the dots, the last
    for shown, column in zip((0, 1, 2, 4), v["columns"], strict=True):
        x = X[v["indices"][column]]
        assert [row[shown] for row in Z_shown] == [_num(v) for v in W @ x + b[:, 0]]
        assert [row[shown] for row in A_shown] == [_num(v) for v in x]
        assert [row[shown] for row in WA_shown] == [_num(v) for v in W @ x]
        assert [row[shown] for row in b_shown] == [_num(v) for v in b[:, 0]]
    assert all(row[3] == r"\cdots" for row in Z_shown) and np.any(b != 0)
    assert z["shape_text"] == "(n[1], m) = (4, 2) (2, 10) + (4, 1) = (4, 10)"
    x_line = equation(v, "X")["latex"]
    assert r"x^{(1)} & x^{(2)} & x^{(3)} & \cdots & x^{(10)}" in x_line


def test_a_batch_larger_than_the_trace_is_shown_whole():
    s = create(batch_size=40, n_samples=200)  # m = 40 > the 32 columns a frame traces
    f = step(s["id"])
    v = view(s["id"])
    assert v["m"] == 40 and len(v["indices"]) == 40 and len(f["trace_indices"]) == 32
    for l, layer in enumerate(f["layers"], start=1):
        assert matrices(equation(v, "db", l)["latex"])[-1] == written(layer["db"])


def test_a_multiclass_batch_shows_its_one_hot_y_and_a_new_dataset_drops_the_batch():
    s = create(problem="multiclass", dataset="spiral", classes=3, batch_size=5)
    step(s["id"])
    v = view(s["id"])
    assert v["shapes"]["Y"] == [3, 5] and "one-hot" in equation(v, "Y")["latex"]
    assert r"\mathrm{softmax}" in equation(v, "A", 3)["latex"]
    client.patch(f"/api/sessions/{s['id']}?grids=none", json={"noise": 0.3})
    assert client.get(f"/api/sessions/{s['id']}/batch").status_code == 409


def test_loop_and_matrix_form_on_the_training_set_agree_and_are_both_timed():
    s = create(hidden=[{"units": 3, "activation": "relu"}])
    r = client.get(f"/api/sessions/{s['id']}/vectorize?repeats=3")
    assert r.status_code == 200, r.text
    c = r.json()
    m = len(s["data"]["train"]["X"])
    assert (c["data"], c["examples"], c["loop_iterations"], c["layers"]) == ("train", m, m, 2)
    assert c["repeats"] == 3 and c["loop_seconds"] > 0 and c["vectorized_seconds"] > 0
    assert c["speedup"] == pytest.approx(c["loop_seconds"] / c["vectorized_seconds"])
    assert 0 <= c["max_difference"] < 1e-14


def test_loop_and_matrix_form_on_the_last_batch():
    s = create(batch_size=4)
    step(s["id"])
    c = client.get(f"/api/sessions/{s['id']}/vectorize?data=batch&repeats=2").json()
    assert (c["data"], c["examples"], c["loop_iterations"]) == ("batch", 4, 4)
    assert c["max_difference"] < 1e-14


@pytest.mark.parametrize(
    "query, field",
    [("repeats=0", "repeats"), ("repeats=2.5", "repeats"), ("data=test", "data")],
)
def test_bad_queries_are_422s_naming_the_field(query, field):
    sid = create()["id"]
    r = client.get(f"/api/sessions/{sid}/vectorize?{query}")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field


def test_examples_times_repeats_beyond_the_limit_names_the_most_repeats():
    sid = create()["id"]
    m = 50  # half of 100 examples train
    r = client.get(f"/api/sessions/{sid}/vectorize?repeats={LIMITS.max_loop_examples}")
    assert r.status_code == 422
    body = r.json()
    assert (
        body["errors"][0]["field"] == "repeats" and body["limit"] == LIMITS.max_loop_examples // m
    )
    ok = client.get(f"/api/sessions/{sid}/vectorize?repeats={body['limit']}")
    assert ok.status_code == 200 and ok.json()["loop_iterations"] == m


def test_a_deployment_tightens_the_loop_limit_and_options_publish_it():
    tight = TestClient(create_app(Settings(max_loop_examples=120)))
    assert tight.get("/api/options").json()["limits"]["max_loop_examples"] == 120
    sid = tight.post("/api/sessions?grids=none", json={"n_samples": 100}).json()["id"]
    assert tight.get(f"/api/sessions/{sid}/vectorize?repeats=2").status_code == 200
    r = tight.get(f"/api/sessions/{sid}/vectorize?repeats=3")
    assert r.status_code == 422 and r.json()["limit"] == 2
    assert tight.get(f"/api/sessions/{sid}/vectorize?repeats=121").status_code == 422


def test_an_unknown_session_is_a_404():
    for path in ("batch", "vectorize"):
        assert client.get(f"/api/sessions/nope/{path}").status_code == 404


def test_every_batch_formula_typesets_as_latex2mathml_writes_it():
    from latex2mathml.converter import convert

    s = create(problem="multiclass", dataset="spiral", classes=3, batch_size=12)
    step(s["id"])
    for eq in view(s["id"])["equations"]:
        assert eq["mathml"] == convert(eq["latex"]), eq["latex"]
        assert "\\_" not in eq["mathml"] and "nan" not in eq["latex"]


def test_the_mini_batch_lesson_shows_what_its_caption_says():
    from app.routes.meta import LESSONS

    lesson = next(x for x in LESSONS if x.id == "mini-batch-matrices")
    s = create(**{**lesson.config.model_dump(exclude_none=True), "n_samples": 500})
    f = step(s["id"])
    v = view(s["id"])
    caption = lesson.caption.en

    def shape(dims) -> str:
        return "(" + ", ".join(str(n) for n in dims) + ")"

    W, shapes = f["layers"][0]["W"], v["shapes"]
    assert "m = 4" in caption and v["m"] == 4
    assert f"(n[0], m) = {shape(shapes['X'])}" in caption
    Z = f"{shape(shapes['Z[1]'])} = {shape([len(W), len(W[0])])}{shape(shapes['X'])} + "
    assert Z + shape(shapes["db[1]"]) in caption
    for l, layer in enumerate(f["layers"], start=1):
        assert matrices(equation(v, "db", l)["latex"])[-1] == written(layer["db"])
    c = client.get(f"/api/sessions/{s['id']}/vectorize?data=batch&repeats=3").json()
    assert c["loop_iterations"] == 4 and c["max_difference"] < 1e-15
    assert "1e-16" in caption and "loop over the layers" in caption
