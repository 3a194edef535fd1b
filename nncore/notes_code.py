"""The CS231n notes' two-layer NumPy training code, run as written and by the core, side by side.

The notes (the seed that begins with 深度學習與CV教程(4)) train N examples of D_in inputs, a
sigmoid hidden layer of H units and D_out linear outputs, with no biases, the summed squared
loss sum((y_pred - y)^2) and its gradient 2 (y_pred - y), and w -= 1e-4 * grad.

They keep examples in rows (x is (N, D_in), w1 is (D_in, H)); the core keeps them in columns
(X = x^T, W[1] = w1^T). Their loss is 2m times the core's half mean squared error, so their
gradient is 2m times the core's dW (transposed), and their rate 1e-4 is the core's 2m * 1e-4.
run() starts both from the same random data and weights and keeps both loss sequences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .cost import update_seconds
from .errors import InputError
from .limits import LIMITS, Limits
from .network import Network

RATE = 1e-4  # the notes' learning rate
POINTS = 200  # loss values returned per curve at most (the first and the last always)

# The notes' code as they print it (their comments kept; the loop body indented again).
NOTES_CODE = """\
import numpy as np
from numpy.random import randn
N, D_in, H, D_out = 64, 1000, 100, 10
# x 是64x1000的矩陣,y是64x10的矩陣
x, y = randn(N, D_in), randn(N, D_out)
# w1是1000x100的矩陣,w2是100x10的矩陣
w1, w2 = randn(D_in, H), randn(H, D_out)
# 迭代10000次,損失達到0.0001級
for t in range(10000):
    h = 1 / (1 + np.exp(-x.dot(w1))) # 激活函數使用sigmoid函數,中間層
    y_pred = h.dot(w2)
    loss = np.square(y_pred - y).sum() # 損失使用 L2 範數
    print(str(t)+': '+str(loss))
    # 反向傳播
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h.T.dot(grad_y_pred)
    grad_h = grad_y_pred.dot(w2.T)
    # grad_xw1 = grad_h*h*(1-h)
    grad_w1 = x.T.dot(grad_h*h*(1-h))
    # 學習率是0.0001
    w1 -= 1e-4 * grad_w1
    w2 -= 1e-4 * grad_w2"""

# Beside each line of the notes, what the core (nncore/network.py) computes for it, in the
# course's notation, and a remark; ("", "") where a line has no counterpart.
PRODUCT_LINES = (
    ("import numpy as np", ""),
    ("from nncore.network import Network", ""),
    ("n = [D_in, H, D_out]; m = N", "n[0], n[1], n[2] and the examples"),
    ("", ""),
    ("X, Y = x.T, y.T", "examples are columns: X (n[0], m), Y (n[2], m)"),
    ("", ""),
    ("W1, W2 = w1.T, w2.T", "W[l] is (n[l], n[l-1]); b1 = b2 = 0"),
    ("", ""),
    ("for t in range(iterations):", ""),
    ("    Z1 = W1 @ X + b1; A1 = sigmoid(Z1)", "A1 = h.T"),
    ("    Z2 = W2 @ A1 + b2; A2 = Z2", "a linear output (regression): A2 = y_pred.T"),
    ("    loss = np.sum((A2 - Y) ** 2) / (2 * m)", "half the mean: the notes' loss / 2m"),
    ("    print(t, 2 * m * loss)", "in the notes' units"),
    ("", ""),
    ("    dZ2 = A2 - Y", "= grad_y_pred.T / 2"),
    ("    dW2 = (1 / m) * dZ2 @ A1.T", "= grad_w2.T / 2m"),
    ("    dA1 = W2.T @ dZ2", "= grad_h.T / 2"),
    ("    dZ1 = dA1 * A1 * (1 - A1)", "sigmoid'(Z1) = A1 (1 - A1)"),
    ("    dW1 = (1 / m) * dZ1 @ X.T", "= grad_w1.T / 2m"),
    ("    alpha = 2 * m * 1e-4", "the notes' rate, for gradients 2m times smaller"),
    ("    W1 -= alpha * dW1", "the same step as w1 -= 1e-4 * grad_w1"),
    ("    W2 -= alpha * dW2", ""),
)


def side_by_side() -> list[dict[str, str]]:
    """The notes' code and the core's lines (with a remark on each), row for row."""
    notes = NOTES_CODE.splitlines()
    return [
        {"notes": a, "product": code, "comment": comment}
        for a, (code, comment) in zip(notes, PRODUCT_LINES, strict=True)
    ]


def the_notes_step(x, y, w1, w2, rate: float = RATE) -> float:
    """One iteration of the notes' code, as written there (w1, w2 updated in place); returns
    the loss before the update."""
    h = 1 / (1 + np.exp(-x.dot(w1)))
    y_pred = h.dot(w2)
    loss = np.square(y_pred - y).sum()
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h.T.dot(grad_y_pred)
    grad_h = grad_y_pred.dot(w2.T)
    grad_w1 = x.T.dot(grad_h * h * (1 - h))
    w1 -= rate * grad_w1
    w2 -= rate * grad_w2
    return float(loss)


def core_network(w1: np.ndarray, w2: np.ndarray) -> Network:
    """The notes' network in the core: W[1] = w1^T, W[2] = w2^T, biases 0, linear output."""
    net = Network([w1.shape[0], w1.shape[1], w2.shape[1]], ["sigmoid"], "regression")
    net.layers[0].W[...] = w1.T
    net.layers[1].W[...] = w2.T  # the biases stay 0: the notes' network has none
    return net


def core_step(net: Network, X: np.ndarray, Y: np.ndarray, rate: float = RATE) -> float:
    """One gradient-descent step of the core at the notes' rate (alpha = 2m * rate, the biases
    left at 0); returns the loss before it in the notes' units (2m times the core's)."""
    m = X.shape[1]
    caches = net.forward(X)
    loss = net.loss(Y, caches)
    net.backward(Y, caches)
    for layer, dW in zip(net.layers, net.dW, strict=True):
        layer.W -= 2 * m * rate * dW
    return 2 * m * loss


@dataclass(frozen=True)
class NotesRun:
    sizes: tuple[int, int, int, int]  # N, D_in, H, D_out
    iterations: np.ndarray  # the iterations kept (thinned to POINTS)
    notes: np.ndarray  # the notes' loss at each kept iteration (before its update)
    core: np.ndarray  # the core's, in the notes' units
    max_relative_difference: float  # over every iteration, not only the kept ones


def _check(N: int, D_in: int, H: int, D_out: int, iterations: int, seed: int, lim: Limits) -> None:
    for name, value, most in (
        ("N", N, lim.max_notes_examples),
        ("D_in", D_in, lim.max_notes_inputs),
        ("H", H, lim.max_notes_hidden),
        ("D_out", D_out, lim.max_notes_outputs),
        ("iterations", iterations, lim.max_notes_iterations),
    ):
        if not 1 <= value <= most:
            raise InputError(name, f"must be 1..{most}, got {value}")
    if not 0 <= seed <= lim.max_seed:
        raise InputError("seed", f"must be 0..{lim.max_seed}, got {seed}")


def run_seconds(
    N: int, D_in: int, H: int, D_out: int, iterations: int, lim: Limits = LIMITS
) -> float:
    """Estimated seconds of run(); InputError naming the most iterations these sizes allow
    within the work one request may do."""
    per = 2 * update_seconds([D_in, H, D_out], N)  # the notes' step and the core's
    if iterations * per > lim.max_work_seconds:
        allowed = max(1, math.floor(lim.max_work_seconds / per))
        raise InputError.coded(
            "iterations",
            "notes.work",
            limit=allowed,
            iterations=iterations,
            seconds=f"{iterations * per:.2g}",
            budget=f"{lim.max_work_seconds:g}",
            allowed=allowed,
        )
    return iterations * per


# The defaults: the notes' N and D_out, a smaller D_in and H (a run of about 0.2 s). Products
# this small stay on one OpenBLAS thread, the one core a compute slot stands for; at the
# notes' D_in = 1000, H = 100 (or at 100 and 100) OpenBLAS threads them, and on a busy machine
# here that run took 10 to 100 times longer than on one thread.
DEFAULTS = {"N": 64, "D_in": 50, "H": 50, "D_out": 10, "iterations": 1000, "seed": 0}


def run(
    N: int = DEFAULTS["N"],
    D_in: int = DEFAULTS["D_in"],
    H: int = DEFAULTS["H"],
    D_out: int = DEFAULTS["D_out"],
    iterations: int = DEFAULTS["iterations"],
    seed: int = DEFAULTS["seed"],
    lim: Limits = LIMITS,
) -> NotesRun:
    """The notes' code and the core from the same data and weights (default_rng(seed) draws
    x, y, w1, w2 in the notes' order), `iterations` steps each."""
    _check(N, D_in, H, D_out, iterations, seed, lim)
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((N, D_in)), rng.standard_normal((N, D_out))
    w1, w2 = rng.standard_normal((D_in, H)), rng.standard_normal((H, D_out))
    net = core_network(w1, w2)
    X, Y = x.T.copy(), y.T.copy()
    notes, core = np.empty(iterations), np.empty(iterations)
    with np.errstate(over="ignore"):  # exp(-z) of a saturated unit: 1 / inf is 0, as it should
        for t in range(iterations):
            notes[t] = the_notes_step(x, y, w1, w2)
            core[t] = core_step(net, X, Y)
    rel = np.abs(core - notes) / np.maximum(np.abs(notes), np.finfo(float).tiny)
    kept = np.unique(np.linspace(0, iterations - 1, min(POINTS, iterations)).round().astype(int))
    return NotesRun((N, D_in, H, D_out), kept, notes[kept], core[kept], float(rel.max()))
