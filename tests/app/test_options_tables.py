"""/api/options publishes the tables the page once kept a copy of: which activations are
bounded (and to what), how many outputs and label classes each problem has. Checked against
the core's functions and against real sessions, not against a list written here."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from nncore.activations import ACTIVATIONS, get_activation
from nncore.datasets import DATASETS
from nncore.limits import LIMITS, config_ranges
from nncore.losses import PROBLEMS

Z = np.linspace(-60.0, 60.0, 2001).reshape(1, -1)
CLASSES = config_ranges(LIMITS)["classes"]


@pytest.fixture(scope="module")
def options():
    return TestClient(create_app()).get("/api/options").json()


def assert_range_matches(name: str, published) -> None:
    a = get_activation(name).forward(np.vstack([Z, -Z]) if name == "softmax" else Z.copy())
    if published is None:  # unbounded: g runs past any bound a map's colours could assume
        assert np.abs(a).max() >= 50, name
        return
    lo, hi = published
    assert lo < hi
    assert a.min() >= lo and a.max() <= hi, name
    assert a.min() - lo < 1e-6 and hi - a.max() < 1e-6, name  # and it reaches both ends


def test_every_activation_says_its_range_as_the_function_has_it(options):
    assert [a["name"] for a in options["activations"]] == list(ACTIVATIONS)
    for a in options["activations"]:
        assert_range_matches(a["name"], a["range"])
    ranges = {a["name"]: a["range"] for a in options["activations"]}
    assert ranges["tanh"] == [-1, 1] and ranges["sigmoid"] == [0, 1] and ranges["relu"] is None


def test_every_problem_says_its_output_range_outputs_and_label_classes(options):
    assert [p["name"] for p in options["problems"]] == list(PROBLEMS)
    for p in options["problems"]:
        core = PROBLEMS[p["name"]]
        assert_range_matches(core.output_activation, p["output_range"])
        for k in range(int(CLASSES.lo), int(CLASSES.hi) + 1):
            want = k if p["outputs"] == "classes" else p["outputs"]
            assert core.n_outputs(k) == want, (p["name"], k)


def test_the_counts_are_what_a_session_has(options):
    client = TestClient(create_app())
    for p in options["problems"]:
        for k in (3, 5):
            config = {"problem": p["name"], "dataset": next(iter(DATASETS[p["name"]]))}
            if p["name"] == "multiclass":
                config["classes"] = k
            r = client.post("/api/sessions", json=config)
            assert r.status_code == 201, r.text
            s = r.json()
            outputs = k if p["outputs"] == "classes" else p["outputs"]
            assert len(s["frame"]["layers"][-1]["W"]) == outputs
            labels = np.array(s["data"]["train"]["y"] + s["data"]["test"]["y"])
            n = k if p["label_classes"] == "classes" else p["label_classes"]
            if n == 0:  # real-valued targets
                assert len(np.unique(labels)) > 10
            else:
                assert sorted(np.unique(labels).astype(int)) == list(range(n))
