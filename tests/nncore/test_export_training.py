"""The exported training script against the core: run it, parse its LOSSES line, compare with
the trainer's own loss after the same epochs from the same weights."""

from dataclasses import replace

import numpy as np
import pytest
from scriptrun import imported_modules, run_exported
from test_export import CASES as FORWARD_CASES

from nncore import modelfile
from nncore.activations import ACTIVATIONS, get_activation
from nncore.export import DERIVATIVE_SOURCE, LOSS_SOURCE, numpy_training_script
from nncore.losses import PROBLEMS
from nncore.owndata import Scaling, from_points
from nncore.trainer import Config, Trainer

EPOCHS = 4
# The forward script's cases (every activation, problem and feature), on fewer examples, and
# a network with no hidden layer.
CASES = {name: replace(c, n_samples=200) for name, c in FORWARD_CASES.items()}
CASES["no_hidden_layer"] = Config(
    problem="regression", dataset="plane", n_samples=100, hidden=(), learning_rate=0.05
)


def model_of(t: Trainer) -> dict:
    model = modelfile.write(t)
    scaling = t.own.scaling if t.own is not None else None
    model["scaling"] = scaling.as_dict() if scaling else None
    X = scaling.to_raw(t.split.X_train) if scaling else t.split.X_train
    model["train"] = {"X": X.tolist(), "y": t.split.y_train.tolist()}
    return model


def run_script(text: str, tmp_path) -> tuple[list[str], list[float]]:
    return run_exported(text, tmp_path, "LOSSES")


def training_loss(t: Trainer) -> float:
    """The trainer's loss of its whole training set, in float64 (the frame's is float32)."""
    return t.problem.loss(t.net.forward(t.X_train)[-1].Z, t.Y_train)


@pytest.mark.parametrize("name", list(CASES))
def test_full_batch_epochs_give_the_cores_losses(name, tmp_path):
    t = Trainer(CASES[name])
    t.apply(batch_size=t.m_train)  # one full batch an epoch: no order to agree on
    t.step(3, "epoch")  # from weights that have moved, not only the initial ones
    lines, losses = run_script(numpy_training_script(model_of(t), EPOCHS), tmp_path)
    expected = [training_loss(t)]
    for _ in range(EPOCHS):
        t.step(1, "epoch")
        expected.append(training_loss(t))
    np.testing.assert_allclose(losses, expected, rtol=1e-9)
    assert losses[-1] < losses[0]  # it trains
    assert lines[0].startswith("epoch 0: loss ") and lines[EPOCHS].startswith(f"epoch {EPOCHS}: ")


def test_mini_batches_from_step_0_are_the_labs_own(tmp_path):
    t = Trainer(CASES["binary"])  # batch 10 of 100 training points: 10 shuffled batches an epoch
    assert t.config.batch_size < t.m_train
    _, losses = run_script(numpy_training_script(model_of(t), 3), tmp_path)
    expected = [training_loss(t)]
    for _ in range(3):
        t.step(1, "epoch")
        expected.append(training_loss(t))
    np.testing.assert_allclose(losses, expected, rtol=1e-9)


def test_own_data_is_written_in_its_own_units(tmp_path):
    t = Trainer(CASES["binary"])
    rng = np.random.default_rng(1)
    X = rng.uniform(-5, 5, (60, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    scaling = Scaling((100.0, -3.0), (20.0, 0.5))
    t.set_data(from_points("binary", 2, X, y, scaling=scaling))
    t.apply(batch_size=t.m_train)
    model = model_of(t)
    assert model["train"]["X"][0] == pytest.approx(scaling.to_raw(t.split.X_train[:1])[0].tolist())
    text = numpy_training_script(model, EPOCHS)
    assert "X = (X - MEAN) / STD * FACTOR" in text
    _, losses = run_script(text, tmp_path)
    expected = [training_loss(t)]
    for _ in range(EPOCHS):
        t.step(1, "epoch")
        expected.append(training_loss(t))
    np.testing.assert_allclose(losses, expected, rtol=1e-9)  # raw -> plot rounds, a few ulps


def test_the_backward_pass_is_written_in_the_courses_notation():
    text = numpy_training_script(model_of(Trainer(CASES["binary"])), 1)
    for line in (
        "dZ3 = A3 - Y",
        "dW3 = (1 / m) * dZ3 @ A2.T",
        "db3 = (1 / m) * np.sum(dZ3, axis=1, keepdims=True)",
        "dA2 = W3.T @ dZ3",
        "dZ2 = dA2 * relu_prime(Z2, A2)",
        "dZ1 = dA1 * tanh_prime(Z1, A1)",
        "W1 -= LEARNING_RATE * dW1",
        "b1 -= LEARNING_RATE * db1",
    ):
        assert line in text
    assert "LEARNING_RATE = 0.3" in text and "BATCH_SIZE = 10" in text


def test_the_header_says_what_the_script_leaves_out():
    t = Trainer(CASES["binary"])
    t.apply(optimizer="adam", l2=0.01)
    text = numpy_training_script(model_of(t), 1)
    assert "with the adam optimizer and the L2 penalty (0.01): this script" in text
    plain = numpy_training_script(model_of(Trainer(CASES["binary"])), 1)
    assert "leaves them out" not in plain


def test_the_script_imports_only_numpy():
    text = numpy_training_script(model_of(Trainer(CASES["multiclass"])), 1)
    assert imported_modules(text) == {"numpy"}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_source_matches_the_core(name):
    Z = np.linspace(-4.0, 4.0, 33).reshape(3, 11)
    act = get_activation(name)
    A = act.forward(Z)
    scope = {"np": np}
    body = "\n".join(f"    {s}" for s in DERIVATIVE_SOURCE[name])
    exec(f"def g(Z, A):\n{body}\n", scope)
    np.testing.assert_array_equal(scope["g"](Z, A), act.derivative(Z, A))


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_loss_source_matches_the_core(name):
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((3 if name == "multiclass" else 1, 20)) * 3
    Y = np.eye(3)[rng.integers(0, 3, 20)].T if name == "multiclass" else rng.random((1, 20))
    scope = {"np": np}
    body = "\n".join(f"    {s}" for s in LOSS_SOURCE[name])
    exec(f"def cost(ZL, Y):\n{body}\n", scope)
    assert scope["cost"](Z, Y) == PROBLEMS[name].loss(Z, Y)


def test_inconsistent_training_data_is_refused():
    model = model_of(Trainer(CASES["binary"]))
    model["train"]["y"] = model["train"]["y"][:-1]
    with pytest.raises(ValueError, match="one label per example"):
        numpy_training_script(model, 1)
    model = model_of(Trainer(CASES["binary"]))
    model["train"]["X"][3][0] = float("inf")
    with pytest.raises(ValueError, match="finite"):
        numpy_training_script(model, 1)
    with pytest.raises(ValueError, match="epochs"):
        numpy_training_script(model_of(Trainer(CASES["binary"])), 0)
