"""The exported NumPy script against the core: run it, parse its PREDICTIONS line, compare."""

import ast
import json

import numpy as np
import pytest
from scriptrun import imported_modules, run_exported

from nncore.activations import ACTIVATIONS, get_activation
from nncore.export import ACTIVATION_SOURCE, FEATURE_SOURCE, numpy_script
from nncore.features import FEATURES, transform
from nncore.losses import PROBLEMS
from nncore.trainer import Config, Hidden, Trainer

RTOL = 1e-9
ATOL = 1e-12  # only for outputs that land near 0 (regression values): tanh's last ulps

CASES = {
    "binary": Config(
        dataset="xor",
        hidden=(Hidden(4, "tanh"), Hidden(3, "relu")),
        features=("x1", "x2", "x1_times_x2", "sin_x1"),
        learning_rate=0.3,
    ),
    "multiclass": Config(
        problem="multiclass",
        dataset="blobs",
        classes=3,
        hidden=(Hidden(5, "leaky_relu"), Hidden(4, "sigmoid")),
        features=("x1", "x2", "x1_squared", "x2_squared", "sin_x2"),
        learning_rate=0.1,
    ),
    "regression": Config(
        problem="regression",
        dataset="multigauss",
        hidden=(Hidden(6, "tanh"), Hidden(3, "linear")),
        features=tuple(FEATURES),
    ),
    "regression_1_input": Config(
        problem="regression",
        dataset="sine",
        hidden=(Hidden(8, "tanh"), Hidden(2, "relu")),
        features=("x1", "x1_squared", "sin_x1"),
    ),
}
SCALING = {"mean": [0.5, -0.25], "std": [2.0, 3.0], "factor": 1.5}


def trained(name: str) -> Trainer:
    t = Trainer(CASES[name])
    t.step(50)
    return t


def model_of(t: Trainer, scaling: dict | None = None, n_points: int = 10) -> dict:
    return {
        "config": t.config.to_dict(),
        "scaling": scaling,
        "layers": [
            {"activation": layer.activation, "W": layer.W.tolist(), "b": layer.b.tolist()}
            for layer in t.net.layers
        ],
        "points": t.split.X_test[:n_points].tolist(),
    }


def core_outputs(t: Trainer, points: list, scaling: dict | None = None) -> np.ndarray:
    """A[L] (n[L], m) of the trainer's own network, for raw points given as rows."""
    X = np.array(points, dtype=np.float64).T
    if scaling is not None:
        mean = np.array(scaling["mean"])[:, None]
        std = np.array(scaling["std"])[:, None]
        X = (X - mean) / std * scaling["factor"]
    A0 = transform(t.config.features, X)
    return t.net.forward(A0)[-1].A


def run_script(text: str, tmp_path) -> tuple[list[str], np.ndarray]:
    """Run the script; its printed lines and the parsed PREDICTIONS as (n[L], m)."""
    lines, predictions = run_exported(text, tmp_path, "PREDICTIONS")
    return lines, np.array(predictions, dtype=np.float64).T


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("scaled", [False, True], ids=["raw", "scaled"])
def test_script_matches_the_core(name, scaled, tmp_path):
    t = trained(name)
    n = t.split.n_inputs
    scaling = None
    if scaled:  # as many means and stds as raw inputs
        scaling = {"mean": SCALING["mean"][:n], "std": SCALING["std"][:n], "factor": 1.5}
    model = model_of(t, scaling)
    lines, got = run_script(numpy_script(model), tmp_path)
    expected = core_outputs(t, model["points"], scaling)
    assert got.shape == expected.shape == (t.net.sizes[-1], 10)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)

    # One readable line per point, then the machine-readable one.
    assert len(lines) == 11
    predicted = t.problem.predict(expected)
    for line, pred in zip(lines[:-1], predicted, strict=True):
        assert line.startswith("x = (")
        if t.problem.name == "regression":
            assert " y = " in line
        else:
            assert line.endswith(f"class = {int(pred)}")


def test_multiclass_outputs_are_probabilities(tmp_path):
    _, got = run_script(numpy_script(model_of(trained("multiclass"))), tmp_path)
    assert got.shape[0] == 3
    np.testing.assert_allclose(got.sum(axis=0), 1.0, rtol=1e-12)


def test_feature_order_follows_the_config(tmp_path):
    # The same network with its input features (and W[1]'s columns) reversed: same outputs.
    t = trained("binary")
    model = model_of(t)
    model["config"]["features"] = model["config"]["features"][::-1]
    model["layers"][0]["W"] = [row[::-1] for row in model["layers"][0]["W"]]
    _, got = run_script(numpy_script(model), tmp_path)
    np.testing.assert_allclose(got, core_outputs(t, model["points"]), rtol=RTOL, atol=ATOL)


def test_weights_are_written_exactly():
    t = trained("multiclass")
    text = numpy_script(model_of(t))
    for layer in t.net.layers:
        for v in [*layer.W.ravel(), *layer.b.ravel()]:
            assert float.__repr__(float(v)) in text
    # and they read back bit for bit: evaluate every np.array literal of the script
    tree = ast.parse(text)
    arrays = {
        node.targets[0].id: np.array(ast.literal_eval(node.value.args[0]))
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) == "np.array"
    }
    for l, layer in enumerate(t.net.layers, start=1):
        assert np.array_equal(arrays[f"W{l}"], layer.W)
        assert np.array_equal(arrays[f"b{l}"], layer.b)


@pytest.mark.parametrize("name", ["binary", "regression_1_input"])
def test_the_script_imports_only_numpy(name):
    text = numpy_script(model_of(trained(name), SCALING if name == "binary" else None))
    assert imported_modules(text) == {"numpy"}
    assert "__import__" not in text


def test_no_points_prints_an_empty_list(tmp_path):
    model = model_of(trained("binary"), n_points=0)
    lines, _ = run_script(numpy_script(model), tmp_path)
    assert lines == ["PREDICTIONS []"]


def test_every_feature_has_source():
    assert set(FEATURE_SOURCE) == set(FEATURES)


def test_every_activation_has_source():
    needed = set(ACTIVATIONS) | {p.output_activation for p in PROBLEMS.values()}
    assert needed <= set(ACTIVATION_SOURCE)


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) | {"softmax"}))
def test_activation_source_matches_the_registry(name):
    # Each activation's source text, run on its own, against the core's function.
    Z = np.linspace(-8.0, 8.0, 33).reshape(3, 11)
    scope = {"np": np}
    body = "\n".join(f"    {s}" for s in ACTIVATION_SOURCE[name])
    exec(f"def g(Z):\n{body}\n", scope)
    np.testing.assert_allclose(scope["g"](Z), get_activation(name).forward(Z), rtol=1e-12)


@pytest.mark.parametrize("name", list(FEATURES))
def test_feature_source_matches_the_registry(name):
    X = np.array([[-1.5, 0.0, 0.7, 2.0], [0.3, -2.2, 1.1, 4.0]])
    got = eval(FEATURE_SOURCE[name], {"np": np, "x1": X[0], "x2": X[1]})
    np.testing.assert_array_equal(got, transform([name], X)[0])


def test_inconsistent_models_are_refused():
    good = model_of(trained("binary"))

    def broken(**changes):
        m = json.loads(json.dumps(good))
        for key, value in changes.items():
            section, field = key.split("__")
            m[section][field] = value
        return m

    with pytest.raises(ValueError, match="features"):
        numpy_script(broken(config__features=["x1", "x2", "x1_times_x2", "cos_x1"]))
    with pytest.raises(ValueError, match="columns"):
        numpy_script(broken(config__features=["x1", "x2", "x1_times_x2"]))
    with pytest.raises(ValueError, match="problem"):
        numpy_script(broken(config__problem="ranking"))
    with pytest.raises(ValueError, match="output activation"):
        numpy_script(broken(config__problem="regression"))
    nan = json.loads(json.dumps(good))
    nan["layers"][0]["W"][0][0] = float("nan")
    with pytest.raises(ValueError, match="finite"):
        numpy_script(nan)
    one_input = json.loads(json.dumps(good))
    one_input["points"] = [[0.5]]
    with pytest.raises(ValueError, match="x2"):
        numpy_script(one_input)
