"""Own data and own results through the API: drawn points, CSV import/export, saved models,
the NumPy script; every bad input a 422 naming the field (or the row and column)."""

import csv
import io
import json
import re
import subprocess
import sys

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app

client = TestClient(create_app())


DATASET = {"binary": "circle", "multiclass": "blobs", "regression": "plane"}


def new(**config):
    config.setdefault("dataset", DATASET[config.get("problem", "binary")])
    r = client.post("/api/sessions?grids=none", json=config)
    assert r.status_code == 201
    return r.json()["id"]


def outputs(sid, n):
    """The network's output a[L] for the first n training examples, from the session."""
    return [
        client.get(f"/api/sessions/{sid}/examples/{i}").json()["layers"][-1]["a"] for i in range(n)
    ]


def test_drawn_points_replace_the_data_and_training_goes_on():
    sid = new(dataset="xor", hidden=[{"units": 4, "activation": "tanh"}])
    before = client.get(f"/api/sessions/{sid}?grids=none").json()
    X = [[-4, -4], [-3, -4.5], [4, 4], [4.5, 3], [-4, 4], [4, -4]]
    y = [1, 1, 1, 1, 0, 0]
    r = client.put(f"/api/sessions/{sid}/data?grids=none", json={"train": {"X": X, "y": y}})
    assert r.status_code == 200
    s = r.json()
    assert s["data"]["own"] is True and s["data"]["train"]["X"] == X
    assert s["data"]["test"] == {"X": [], "y": []}
    # the weights are kept: a live change, not a reset
    assert s["frame"]["layers"][0]["W"] == before["frame"]["layers"][0]["W"]
    f = client.post(f"/api/sessions/{sid}/step", json={"steps": 300, "grids": "none"}).json()
    assert f["accuracy"]["train"] == 1.0
    # a change of the network keeps the drawn points; new generated data replaces them
    s = client.patch(f"/api/sessions/{sid}?grids=none", json={"learning_rate": 0.1}).json()
    assert s["data"]["own"] and s["data"]["train"]["X"] == X
    s = client.patch(f"/api/sessions/{sid}?grids=none", json={"dataset": "circle"}).json()
    assert not s["data"]["own"] and len(s["data"]["train"]["X"]) == 250


@pytest.mark.parametrize(
    "body, field, words",
    [
        ({"train": {"X": [[1, 2]], "y": [2]}}, "train.y", "allowed: 0..1"),
        ({"train": {"X": [], "y": []}}, "train", "at least 1 point"),
        ({"train": {"X": [[1, 2], [3]], "y": [0, 1]}}, "train.X", "same number of inputs"),
        ({"train": {"X": [[1, 2]], "y": [0, 1]}}, "train.y", "one label per point"),
        ({"train": {"X": [[1, 2, 3]], "y": [0]}}, "train.X.0", "at most 2"),
        ({"train": {"X": [[1e300, 2]], "y": [0]}}, "train.X", "within"),
        ({"train": {"X": [[1, 2]], "y": [0]}, "test": {"X": [[1]], "y": [0]}}, "test.X", "same"),
    ],
)
def test_bad_points_are_422_naming_the_field_and_leave_the_session_alone(body, field, words):
    sid = new()
    before = client.get(f"/api/sessions/{sid}?grids=none").json()["data"]
    r = client.put(f"/api/sessions/{sid}/data", json=body)
    assert r.status_code == 422
    e = r.json()["errors"][0]
    assert e["field"].startswith(field) and words in e["message"], e
    assert client.get(f"/api/sessions/{sid}?grids=none").json()["data"] == before


CSV = """height,weight,label
150,50,0
160,55,0
165,70,1
170,80,1
155,52,0
180,90,1
"""


def test_a_csv_is_standardized_split_and_exported_in_its_own_units():
    sid = new()
    r = client.post(f"/api/sessions/{sid}/data/csv?grids=none", json={"csv": CSV})
    assert r.status_code == 200
    data = r.json()["data"]
    raw = np.loadtxt(io.StringIO(CSV), delimiter=",", skiprows=1)
    mean, std = raw[:, :2].mean(axis=0), raw[:, :2].std(axis=0)
    assert data["scaling"]["mean"] == pytest.approx(mean.tolist())
    assert data["scaling"]["std"] == pytest.approx(std.tolist())
    plotted = np.array(data["train"]["X"] + data["test"]["X"])
    assert np.abs(plotted).max() < 6  # inside the plot
    assert len(data["train"]["y"]) == 3 and len(data["test"]["y"]) == 3  # train_fraction 0.5
    # the export gives the user's own numbers back, with the split
    text = client.get(f"/api/sessions/{sid}/data.csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(float(r["x1"]), float(r["x2"]), int(r["label"])) for r in rows} == {
        (a, b, int(c)) for a, b, c in raw
    }
    assert sorted(r["split"] for r in rows) == ["test"] * 3 + ["train"] * 3
    # and the export imports again, split column included, to the same points
    sid2 = new()
    again = client.post(f"/api/sessions/{sid2}/data/csv?grids=none", json={"csv": text}).json()
    assert again["data"]["train"]["y"] == data["train"]["y"]
    assert np.allclose(again["data"]["train"]["X"], data["train"]["X"])


def test_one_input_regression_from_a_csv_without_header():
    sid = new(problem="regression")
    text = "\n".join(f"{x},{np.sin(x):.6f}" for x in np.linspace(0, 6, 40))
    r = client.post(f"/api/sessions/{sid}/data/csv?grids=none", json={"csv": text})
    assert r.status_code == 200
    s = r.json()
    assert s["config"]["features"] == ["x1"] and len(s["data"]["train"]["X"][0]) == 1
    assert client.post(f"/api/sessions/{sid}/step", json={"steps": 5}).status_code == 200


@pytest.mark.parametrize(
    "text, problem, words",
    [
        ("a,b,label\n1,2,0\n3,oops,1\n", "binary", "row 3, column 2: 'oops' is not a number"),
        ("1,2,0\n3,4,7\n", "binary", "row 2, column 3: label '7'"),
        ("1,2,0\n3,4,0.5\n", "multiclass", "row 2, column 3"),
        ("1,2,3,4,5\n", "binary", "expected 1 or 2 input columns"),
        ("1,2,0\n3,4\n", "binary", "row 2: expected 3 columns, got 2"),
        ("1,2,0\n", "binary", "at least 2 data rows"),
        ("x,y\n", "binary", "no data rows"),
        ("1,2,inf\n3,4,1\n", "regression", "row 1, column 3"),
        ("1,2,0\n" * 2001, "binary", "at most 2000 rows"),
    ],
)
def test_bad_csv_names_the_row_and_column(text, problem, words):
    sid = new(problem=problem)
    r = client.post(f"/api/sessions/{sid}/data/csv", json={"csv": text})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "csv"
    assert words in r.json()["detail"], r.json()
    assert client.get(f"/api/sessions/{sid}?grids=none").json()["data"]["own"] is False


@pytest.mark.parametrize(
    "text, column",
    [("1e200,1,0\n2e200,2,1\n3,3,0\n", 1), ("1,1e306,0\n" * 1500 + "2,1e306,1\n", 2)],
    ids=["std", "mean"],
)
def test_a_csv_whose_standardization_overflows_is_422_naming_the_column(text, column):
    sid = new()
    before = client.get(f"/api/sessions/{sid}?grids=none").json()["data"]
    r = client.post(f"/api/sessions/{sid}/data/csv", json={"csv": text})
    assert r.status_code == 422, r.text
    e = r.json()["errors"][0]
    assert e["field"] == "csv" and e["message"].startswith(f"column {column}: "), e
    assert client.get(f"/api/sessions/{sid}?grids=none").json()["data"] == before


@pytest.mark.parametrize(
    "scaling",
    [
        {"mean": [0, 0], "std": [1.7e308, 1], "factor": 2},  # 3 / 2 * 1.7e308 is inf
        {"mean": [1.7e308, 0], "std": [1e308, 1], "factor": 2},
        {"mean": [0, 0], "std": [1e308, 1], "factor": 1e-6},
    ],
)
def test_a_scaling_that_exports_non_finite_numbers_is_422_and_nothing_changes(scaling):
    sid = new()
    before = client.get(f"/api/sessions/{sid}?grids=none").json()["data"]
    body = {"train": {"X": [[3, 2], [-1, 1]], "y": [0, 1]}, "scaling": scaling}
    r = client.put(f"/api/sessions/{sid}/data", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "scaling.std"
    assert client.get(f"/api/sessions/{sid}?grids=none").json()["data"] == before
    # a saved model carrying it is refused the same way, and creates no session
    model = client.get(f"/api/sessions/{sid}/model").json()
    model["data"] = body
    r = client.post("/api/sessions/import", json=model)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "scaling.std"


def test_a_csv_over_the_size_limit_is_refused_by_the_schema():
    sid = new()
    r = client.post(f"/api/sessions/{sid}/data/csv", json={"csv": "1,2,0\n" * 50_000})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "csv"


def test_a_saved_model_imports_to_the_same_predictions_and_trains_on():
    sid = new(dataset="xor", hidden=[{"units": 6, "activation": "relu"}] * 2)
    client.post(f"/api/sessions/{sid}/data/csv", json={"csv": CSV})
    client.post(f"/api/sessions/{sid}/step", json={"steps": 40})
    model = client.get(f"/api/sessions/{sid}/model").json()
    assert model["format"] == "backprop-lab-model" and model["step"] == 40
    assert [np.shape(layer["W"]) for layer in model["layers"]] == [(6, 2), (6, 6), (1, 6)]
    r = client.post("/api/sessions/import?grids=output", json=json.loads(json.dumps(model)))
    assert r.status_code == 201
    copy = r.json()
    original = client.get(f"/api/sessions/{sid}?grids=output").json()
    assert copy["data"]["train"] == original["data"]["train"]
    assert copy["data"]["scaling"] == original["data"]["scaling"]
    for a, b in zip(copy["frame"]["layers"], original["frame"]["layers"], strict=True):
        assert a["W"] == b["W"] and a["b"] == b["b"]
    assert copy["frame"]["loss"] == original["frame"]["loss"]
    assert copy["frame"]["grid"]["output"] == original["frame"]["grid"]["output"]
    assert (copy["frame"]["step"], copy["frame"]["epoch"]) == (40, original["frame"]["epoch"])
    step = client.post(f"/api/sessions/{copy['id']}/step", json={"steps": 5})
    assert step.status_code == 200 and step.json()["step"] == 45  # the count goes on


def test_a_model_that_does_not_fit_its_configuration_is_422():
    sid = new()
    model = client.get(f"/api/sessions/{sid}/model").json()
    wrong = json.loads(json.dumps(model))
    wrong["layers"][1]["W"] = [[1.0, 2.0]]
    r = client.post("/api/sessions/import", json=wrong)
    assert r.status_code == 422
    assert r.json()["errors"][0] == {"field": "layers.2.W", "message": "must be 2x4, got 1x2"}
    wrong = json.loads(json.dumps(model))
    wrong["layers"][0]["activation"] = "relu"
    r = client.post("/api/sessions/import", json=wrong)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "layers.1.activation"
    r = client.post("/api/sessions/import", json={**model, "format": "something-else"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("format")


def test_the_numpy_script_prints_the_networks_own_predictions(tmp_path):
    sid = new(dataset="xor", hidden=[{"units": 5, "activation": "tanh"}])
    client.post(f"/api/sessions/{sid}/data/csv", json={"csv": CSV})
    client.post(f"/api/sessions/{sid}/step", json={"steps": 30})
    r = client.get(f"/api/sessions/{sid}/model.py")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    path = tmp_path / "model.py"
    path.write_text(r.text)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    printed = json.loads(re.search(r"^PREDICTIONS (.*)$", run.stdout, re.M).group(1))
    # the session's own outputs for its training points, in the same order
    expected = outputs(sid, len(printed))
    assert np.allclose(np.array(printed).ravel(), np.array(expected).ravel(), rtol=1e-9)
