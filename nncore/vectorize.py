"""The notes' `for i = 1 to m` beside the matrix form: the same gradients, timed.

`per_example` runs the forward and backward pass one example (one column of X) at a time in a
Python loop and adds up each example's dW and db; `vectorized` runs every example at once as
matrices, X (n[0], m) to Z[l], A[l] (n[l], m). Both keep the loop over the layers l = 1..L:
each layer needs the one before it, so that loop cannot be vectorized away (notes 001). Both
are written out here in the notes' formulas, side by side, rather than calling Network.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .errors import InputError
from .limits import LIMITS, Limits
from .network import Network

# Tuning: seconds of one example through one layer in the Python loop (forward and backward,
# about fifteen small NumPy calls); bench/bench_vectorize.py measures it: 14-16 us on the
# development machine, 25-45 us while other work loads its two cores. It only decides whether
# the request takes a compute slot: max_loop_examples bounds the work itself.
PER_EXAMPLE_LAYER = 15e-6


@dataclass(frozen=True)
class _Layer:
    W: np.ndarray  # (n[l], n[l-1])
    b: np.ndarray  # (n[l], 1)
    g: Activation


@dataclass
class Gradients:
    dW: list[np.ndarray]  # per layer 1..L
    db: list[np.ndarray]
    examples: int  # how many times the loop body over examples ran (m for the loop; 0 else)


@dataclass
class Comparison:
    examples: int  # m
    layers: int  # L
    repeats: int
    loop_seconds: float  # median of the repeats
    vectorized_seconds: float
    loop_iterations: int  # examples the loop went through in one pass (m)
    max_difference: float  # largest |loop - vectorized| over every dW and db entry

    @property
    def speedup(self) -> float:
        return self.loop_seconds / self.vectorized_seconds if self.vectorized_seconds else 0.0


def _layers(net: Network) -> list[_Layer]:
    return [_Layer(x.W, x.b, get_activation(x.activation)) for x in net.layers]


def per_example(net: Network, X: np.ndarray, Y: np.ndarray) -> Gradients:
    """for i = 1 to m: z[l](i) = W[l] x(i) + b[l], ... then dz, dW += dz a^T, db += dz."""
    layers = _layers(net)
    dW = [np.zeros_like(x.W) for x in layers]
    db = [np.zeros_like(x.b) for x in layers]
    m = X.shape[1]
    count = 0
    for i in range(m):
        count += 1
        a = X[:, i : i + 1]  # x(i), (n[0], 1)
        zs, acts = [], [a]
        for x in layers:  # forward, layer by layer
            z = x.W @ a + x.b
            a = x.g.forward(z)
            zs.append(z)
            acts.append(a)
        dz = a - Y[:, i : i + 1]  # the output layer with its matching loss
        for l in range(len(layers) - 1, -1, -1):  # backward, layer by layer
            dW[l] += dz @ acts[l].T
            db[l] += dz
            if l:
                dz = (layers[l].W.T @ dz) * layers[l - 1].g.derivative(zs[l - 1], acts[l])
    return Gradients([d / m for d in dW], [d / m for d in db], count)


def vectorized(net: Network, X: np.ndarray, Y: np.ndarray) -> Gradients:
    """Z[l] = W[l] A[l-1] + b[l] for all m columns at once; dW = (1/m) dZ A^T, db = (1/m) sum."""
    layers = _layers(net)
    m = X.shape[1]
    A = X
    Zs, As = [], [X]
    for x in layers:  # the loop over the layers stays
        Z = x.W @ A + x.b  # b (n[l], 1) is added to every column
        A = x.g.forward(Z)
        Zs.append(Z)
        As.append(A)
    dZ = A - Y
    dW, db = [None] * len(layers), [None] * len(layers)
    for l in range(len(layers) - 1, -1, -1):
        dW[l] = (dZ @ As[l].T) / m
        db[l] = np.sum(dZ, axis=1, keepdims=True) / m
        if l:
            dZ = (layers[l].W.T @ dZ) * layers[l - 1].g.derivative(Zs[l - 1], As[l])
    return Gradients(dW, db, 0)


def estimate_seconds(sizes: list[int], examples: int, repeats: int) -> float:
    """About how long compare() takes: the loop's passes dominate."""
    return PER_EXAMPLE_LAYER * (len(sizes) - 1) * examples * repeats


def check_work(examples: int, repeats: int, limits: Limits = LIMITS) -> None:
    """InputError naming the most repeats allowed when examples x repeats is over the limit."""
    allowed = limits.max_loop_examples // examples
    if repeats > allowed:
        raise InputError.coded(
            "repeats",
            "loop.work",
            allowed,
            examples=examples,
            repeats=repeats,
            most=limits.max_loop_examples,
            allowed=allowed,
        )


def _median_seconds(fn: Callable[[], Gradients], repeats: int) -> tuple[float, Gradients]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def compare(
    net: Network, X: np.ndarray, Y: np.ndarray, repeats: int, limits: Limits = LIMITS
) -> Comparison:
    """Both forms on the same X (n[0], m) and Y at net's weights, each timed `repeats` times."""
    m = X.shape[1]
    check_work(m, repeats, limits)
    loop_s, loop = _median_seconds(lambda: per_example(net, X, Y), repeats)
    vec_s, vec = _median_seconds(lambda: vectorized(net, X, Y), repeats)
    diff = max(
        float(np.abs(a - b).max())
        for a, b in zip([*loop.dW, *loop.db], [*vec.dW, *vec.db], strict=True)
    )
    return Comparison(m, net.L, repeats, loop_s, vec_s, loop.examples, diff)
