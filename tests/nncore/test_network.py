"""The network core against the course notes: shapes, formulas, gradients, the seeds' facts."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nncore.activations import ACTIVATIONS
from nncore.gradcheck import check_network, relative_error
from nncore.losses import PROBLEMS
from nncore.network import MAX_HIDDEN_LAYERS, MAX_UNITS, Network
from nncore.optimizers import SGD

TOL = 1e-7


def make_data(problem: str, n0: int, m: int, rng: np.random.Generator, classes: int = 3):
    X = rng.standard_normal((n0, m))
    if problem == "binary":
        y = rng.integers(0, 2, m)
    elif problem == "multiclass":
        y = rng.integers(0, classes, m)
    else:
        y = rng.standard_normal(m)
    return X, PROBLEMS[problem].encode(y, classes)


def worst_error(net, X, Y):
    return max(c.error for c in check_network(net, X, Y))


def random_biases(net, rng):
    # Zero biases put a dead ReLU unit's successors exactly on the kink (Z = 0), where the
    # derivative is a convention and finite differences see a one-sided slope.
    for layer in net.layers:
        layer.b[...] = rng.uniform(0.1, 0.5, layer.b.shape) * rng.choice([-1, 1], layer.b.shape)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("hidden", [[], [3], [4, 5], [2, 3, 2, 4]])
def test_backprop_matches_centered_differences(activation, problem, hidden):
    rng = np.random.default_rng(len(hidden) * 31 + len(activation))
    sizes = [3, *hidden, PROBLEMS[problem].n_outputs(3)]
    net = Network.initialized(sizes, [activation] * len(hidden), problem, "xavier", rng)
    random_biases(net, rng)
    X, Y = make_data(problem, 3, 7, rng)
    assert worst_error(net, X, Y) < TOL


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    hidden=st.lists(
        st.tuples(st.integers(1, 6), st.sampled_from(list(ACTIVATIONS))), min_size=0, max_size=4
    ),
    problem=st.sampled_from(list(PROBLEMS)),
    n0=st.integers(1, 4),
    m=st.integers(1, 9),
    seed=st.integers(0, 2**31 - 1),
)
def test_backprop_random_architectures(hidden, problem, n0, m, seed):
    rng = np.random.default_rng(seed)
    sizes = [n0, *(u for u, _ in hidden), PROBLEMS[problem].n_outputs(4)]
    net = Network.initialized(sizes, [a for _, a in hidden], problem, "he", rng)
    random_biases(net, rng)
    X, Y = make_data(problem, n0, m, rng, classes=4)
    # Finite differences cannot see a ReLU kink; keep pre-activations away from 0.
    kinks = {"relu", "leaky_relu"}
    for c, (_, act) in zip(net.forward(X), hidden, strict=False):
        if act in kinks and np.min(np.abs(c.Z)) < 1e-4:
            return
    for c in check_network(net, X, Y):
        # A gradient near 0 (saturated units) leaves only the finite differences' round-off
        # (~1e-11 absolute), which no relative bound can hold: there, check absolutely.
        scale = np.linalg.norm(np.concatenate([c.dW.ravel(), c.db.ravel()]))
        if scale < 1e-3:
            assert np.abs(c.dW - c.dW_numerical).max() < 1e-9
        else:
            assert c.error < TOL


def test_gradcheck_catches_a_wrong_gradient():
    rng = np.random.default_rng(0)
    net = Network.initialized([2, 3, 1], ["tanh"], "binary", "xavier", rng)
    X, Y = make_data("binary", 2, 5, rng)
    checks = check_network(net, X, Y)
    broken = checks[0].dW * 1.01
    assert relative_error(broken, checks[0].dW_numerical) > 1e-3


def test_shallow_3_4_1_shapes_from_the_notes():
    """(4,m) = (4,3)*(3,m) + (4,1) and (1,m) = (1,4)*(4,m) + (1,1)."""
    m = 5
    net = Network.initialized([3, 4, 1], ["tanh"], "binary", "small", np.random.default_rng(0))
    X = np.ones((3, m))
    c1, c2 = net.forward(X)
    assert net.layers[0].W.shape == (4, 3) and net.layers[0].b.shape == (4, 1)
    assert c1.Z.shape == c1.A.shape == (4, m)
    assert net.layers[1].W.shape == (1, 4) and net.layers[1].b.shape == (1, 1)
    assert c2.Z.shape == c2.A.shape == (1, m)
    grads = net.backward(np.zeros((1, m)), [c1, c2], input_grad=True)
    for layer, g, c in zip(net.layers, grads, [c1, c2], strict=True):
        assert g.dW.shape == layer.W.shape and g.db.shape == layer.b.shape
        assert g.dZ.shape == c.Z.shape and g.dA_prev.shape == c.A_prev.shape


def test_deep_3_5_5_3_1_dimension_check():
    """n[0]=3, n[1]=n[2]=5, n[3]=3, n[4]=1: W[l] is (n[l], n[l-1]), Z and A are (n[l], m)."""
    n = [3, 5, 5, 3, 1]
    m = 11
    net = Network.initialized(n, ["relu"] * 3, "binary", "he", np.random.default_rng(1))
    assert net.L == 4
    caches = net.forward(np.random.default_rng(2).standard_normal((3, m)))
    for l in range(1, 5):
        assert net.layers[l - 1].W.shape == (n[l], n[l - 1])
        assert net.layers[l - 1].b.shape == (n[l], 1)
        assert caches[l - 1].Z.shape == caches[l - 1].A.shape == (n[l], m)


@pytest.mark.parametrize("sizes, count", [([3, 4, 2], 26), ([3, 4, 4, 1], 41)])
def test_parameter_counts_from_cs231n(sizes, count):
    net = Network(sizes, ["relu"] * (len(sizes) - 2), "multiclass" if sizes[-1] > 1 else "binary")
    assert net.n_parameters() == count


def test_backward_is_the_notes_formulas():
    """dZ2 = A2 - Y, dW2 = dZ2 A1^T / m, db2 = sum(dZ2)/m, dZ1 = W2^T dZ2 * (1 - A1^2), ..."""
    rng = np.random.default_rng(3)
    net = Network.initialized([3, 4, 1], ["tanh"], "binary", "xavier", rng)
    X, Y = make_data("binary", 3, 6, rng)
    m = 6
    W1, b1, W2, b2 = (net.layers[0].W, net.layers[0].b, net.layers[1].W, net.layers[1].b)
    Z1 = W1 @ X + b1
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = dZ2.sum(axis=1, keepdims=True) / m
    dZ1 = (W2.T @ dZ2) * (1 - A1**2)
    dW1 = dZ1 @ X.T / m
    db1 = dZ1.sum(axis=1, keepdims=True) / m
    g1, g2 = net.backward(Y, net.forward(X))
    for got, want in [
        (g2.dZ, dZ2),
        (g2.dW, dW2),
        (g2.db, db2),
        (g1.dZ, dZ1),
        (g1.dW, dW1),
        (g1.db, db1),
        (g2.dA_prev, W2.T @ dZ2),
    ]:
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_only_linear_activations_compute_one_affine_map():
    """a[2] = (W2 W1) x + (W2 b1 + b2): without non-linearity depth adds nothing."""
    rng = np.random.default_rng(4)
    net = Network.initialized([2, 5, 3, 1], ["linear", "linear"], "regression", "he", rng)
    for layer in net.layers:
        layer.b[...] = rng.standard_normal(layer.b.shape)
    X = rng.standard_normal((2, 20))
    (W1, b1), (W2, b2), (W3, b3) = ((la.W, la.b) for la in net.layers)
    W = W3 @ W2 @ W1
    b = W3 @ (W2 @ b1 + b2) + b3
    np.testing.assert_allclose(net.forward(X)[-1].A, W @ X + b, rtol=1e-12, atol=1e-12)


def _train(net, X, Y, steps=200, lr=0.5):
    opt = SGD(net.n_parameters())
    for _ in range(steps):
        net.backward(Y, net.forward(X))
        opt.update(net.params, net.grads, lr)


def test_zero_initialization_keeps_hidden_units_identical():
    rng = np.random.default_rng(5)
    X, Y = make_data("binary", 2, 40, rng)
    net = Network.initialized([2, 4, 1], ["tanh"], "binary", "zeros", rng)
    _train(net, X, Y)
    W1 = net.layers[0].W
    assert np.all(W1 == W1[0]), "every hidden unit should still be the same"
    small = Network.initialized([2, 4, 1], ["tanh"], "binary", "small", rng)
    _train(small, X, Y)
    W1 = small.layers[0].W
    assert np.ptp(W1, axis=0).min() > 1e-3, "random init should break the symmetry"


def test_activations_stay_finite_and_quiet_for_huge_inputs():
    Z = np.array([[-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        for act in ACTIVATIONS.values():
            A = act.forward(Z)
            assert np.all(np.isfinite(A)), act.name
            assert np.all(np.isfinite(act.derivative(Z, A))), act.name
        for problem in PROBLEMS.values():
            Zo = np.repeat(Z, problem.n_outputs(3), axis=0)
            Y = problem.encode(np.array([0, 1, 2, 0, 1, 2, 0]) % 2, 3)
            assert np.isfinite(problem.loss(Zo, Y)), problem.name


def test_network_limits_and_errors():
    assert MAX_HIDDEN_LAYERS == 8 and MAX_UNITS == 32
    with pytest.raises(ValueError, match="activation"):
        Network([2, 3, 1], ["swish"], "binary")
    with pytest.raises(ValueError, match="problem"):
        Network([2, 1], [], "ranking")


def test_gradcheck_can_sample_entries_of_large_layers():
    rng = np.random.default_rng(9)
    net = Network.initialized([6, 20, 10, 1], ["tanh", "tanh"], "binary", "xavier", rng)
    X, Y = make_data("binary", 6, 5, rng)
    checks = check_network(net, X, Y, max_entries=30)
    assert [int(np.sum(~np.isnan(c.dW_numerical))) for c in checks] == [30, 30, 10]
    assert all(not np.isnan(c.db_numerical).any() for c in checks)
    assert max(c.error for c in checks) < TOL
