"""The networks of the CS231n notes (the seed that begins with 深度學習與CV教程(4)), run by the
core with the notes' own numbers.

The three-layer forward pass: 3 inputs, two sigmoid layers of 4, one linear output, b3 = 1.

The two-layer network trained by hand: N, D_in, H, D_out = 64, 1000, 100, 10, a sigmoid
hidden layer, no biases, the loss sum((y_pred - y)^2), W -= 1e-4 * grad, 10000 iterations,
"the loss reaches the 0.0001 level".

The notes keep examples in rows (x is (N, D_in), w1 is (D_in, H)); the core keeps them in
columns (W[1] = w1^T). Their loss is 2m times the core's half mean squared error, so their
gradient is 2m times the core's dW (transposed) and their rate 1e-4 is the core's 2m * 1e-4.

The 10000 iterations run on the same network written in 64 input dimensions instead of 1000:
the 64 examples span 64 directions Q of the 1000, every gradient of W[1] is dZ X^T and lies
in them, so with X' = Q^T X and W'[1] = W[1] Q every Z, loss and update is the same (up to
rounding), and the core's own forward and backward run 15 times faster.
"""

import numpy as np
import pytest

from nncore.network import Network
from nncore.notes_code import core_network, core_step, the_notes_step

N, D_IN, H, D_OUT = 64, 1000, 100, 10


def test_the_notes_two_layer_network_step_by_step_and_to_the_end():
    rng = np.random.default_rng(231)
    x, y = rng.standard_normal((N, D_IN)), rng.standard_normal((N, D_OUT))
    w1, w2 = rng.standard_normal((D_IN, H)), rng.standard_normal((H, D_OUT))

    net = core_network(w1, w2)
    X, Y = x.T.copy(), y.T.copy()

    first = []
    for _ in range(30):  # the same numbers, iteration by iteration
        theirs = the_notes_step(x, y, w1, w2)
        first.append(core_step(net, X, Y))
        assert first[-1] == pytest.approx(theirs, rel=1e-9)
    assert net.layers[0].W == pytest.approx(w1.T, rel=1e-9, abs=1e-12)
    assert net.layers[1].W == pytest.approx(w2.T, rel=1e-9, abs=1e-12)
    assert first[0] > 1000  # it starts in the thousands (randn weights, 64 x 10 targets)

    Q, _ = np.linalg.qr(X)  # (1000, 64): the directions the examples span
    small = Network([N, H, D_OUT], ["sigmoid"], "regression")
    small.layers[0].W[...] = net.layers[0].W @ Q
    small.layers[1].W[...] = net.layers[1].W
    X_small = Q.T @ X
    for _ in range(30, 33):  # the same network: the same losses as the full one
        assert core_step(small, X_small, Y) == pytest.approx(core_step(net, X, Y), rel=1e-9)
    losses = [core_step(small, X_small, Y) for _ in range(33, 10000)]
    assert losses[-1] < 1e-3  # it ends at the 0.0001 level the notes promise


def test_the_notes_three_layer_forward_pass():
    rng = np.random.default_rng(3)
    f = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731  (the notes' own line)
    x = rng.standard_normal((3, 1))
    W1, W2, W3 = (
        rng.standard_normal((4, 3)),
        rng.standard_normal((4, 4)),
        rng.standard_normal((1, 4)),
    )
    b1, b2 = rng.standard_normal((4, 1)), rng.standard_normal((4, 1))
    b3 = 1
    h1 = f(np.dot(W1, x) + b1)
    h2 = f(np.dot(W2, h1) + b2)
    out = np.dot(W3, h2) + b3

    net = Network([3, 4, 4, 1], ["sigmoid", "sigmoid"], "regression")
    for layer, W, b in zip(net.layers, (W1, W2, W3), (b1, b2, b3), strict=True):
        layer.W[...] = W
        layer.b[...] = b
    caches = net.forward(x)
    assert [c.A.shape for c in caches] == [(4, 1), (4, 1), (1, 1)]
    assert caches[0].A == pytest.approx(h1, rel=1e-12) and caches[1].A == pytest.approx(
        h2, rel=1e-12
    )
    assert caches[-1].A == pytest.approx(out, rel=1e-12)  # the output layer has no activation
    # "x can be a whole batch, one example per column": five columns give five outputs
    X = np.hstack([x, rng.standard_normal((3, 4))])
    batch = net.forward(X)[-1].A
    assert batch.shape == (1, 5) and batch[:, :1] == pytest.approx(out, rel=1e-12)


def test_softmax_of_two_classes_is_the_sigmoid_of_the_difference():
    rng = np.random.default_rng(2)
    net = Network([3, 4, 2], ["tanh"], "multiclass")
    for layer in net.layers:
        layer.W[...] = rng.standard_normal(layer.W.shape)
        layer.b[...] = rng.standard_normal(layer.b.shape)
    X = rng.standard_normal((3, 50))
    Z, A = net.forward(X)[-1].Z, net.forward(X)[-1].A
    assert A[1] == pytest.approx(1 / (1 + np.exp(-(Z[1] - Z[0]))), rel=1e-12)
    assert A[0] + A[1] == pytest.approx(np.ones(50), rel=1e-12)
