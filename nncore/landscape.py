"""The loss landscape over two weights, and the optimizer's path through it.

The training set's data loss (the loss curve's) over an n x n grid of two weights W[l][j, k],
every other parameter at its current value. The grid's points are computed as more columns:

    layers below the shallower weight's    once, on the m examples: (n[l], m)
    the shallower weight's layer l         its n values make n copies of the m columns,
                                           (n[l], n, m), differing only in row j:
                                           Z[l][j] += (w - w0) A[l-1][k]
    the deeper weight's layer              its values multiply them again: (n[l], c, n, m)
    every later layer                      one product W[l] (n[l], n[l-1]) @ (n[l-1], c n m)

with c values of the deeper weight at a time, so that a chunk holds about CHUNK_VALUES numbers
(memory stays bounded whatever the grid, the data and the network). Two weights of one layer
are spread at that layer together. The path is every recorded state (Trainer.timeline, when
there is one) with ALL its weights: its loss is the loss the run had, not the grid's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .errors import InputError
from .limits import LIMITS, Limits
from .network import Network

DEFAULT_N = 41  # the grid's side when a request does not say
CHUNK_VALUES = 1 << 20  # numbers of one chunk's activations (8 MB in float64)
# Columns of one matrix product. OpenBLAS multiplies W (n, n') A (n', N) in one thread below
# n n' N = 262,144: for 8 units, 4,096 columns (nncore/grid.py's CHUNK). Its threads cost more
# than they give at these sizes, and several times more on a busy machine (bench_landscape.py).
COLUMNS = 4096
MIN_HALF_SPAN = 1.0  # the grid reaches at least this far either side of the current value
SPAN_MARGIN = 1.15  # ... and this much beyond the path's farthest point
# Tuning (bench/bench_landscape.py, 2 vCPU, AVX-512, float32 as served): seconds per
# multiply-add and per activation value of the passes, per layer and chunk, and per request
# (the whole-set loss, the path's setup). The estimate was within 10% of the time taken there.
PER_MAC = 0.2e-9
PER_VALUE = 2e-9
PER_REQUEST = 6e-3
PER_CALL = 30e-6


@dataclass(frozen=True)
class Pick:
    """The weight W[l][j, k] (l from 1, j and k from 0, as in the notes)."""

    l: int
    j: int
    k: int

    def index(self, net: Network) -> int:
        """Its place in the flat parameter vector (Network.params)."""
        return net.w_spans[self.l - 1][0] + self.j * net.sizes[self.l - 1] + self.k


@dataclass
class Landscape:
    a: Pick
    b: Pick
    values_a: np.ndarray  # (n,)
    values_b: np.ndarray  # (n,)
    loss: np.ndarray  # (n, n): loss[i, q] at W[a] = values_a[i], W[b] = values_b[q]
    path_steps: np.ndarray  # (R,) the recorded steps, in order
    path_a: np.ndarray  # (R,) W[a] at each
    path_b: np.ndarray  # (R,)
    path_loss: np.ndarray  # (R,) the training loss of each recorded state, every weight its own
    current: tuple[float, float, float]  # W[a], W[b] and the loss now


def _binary(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    return (np.logaddexp(0.0, Z) - Y * Z)[0].mean(axis=-1)


def _multiclass(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    zmax = Z.max(axis=0)
    lse = zmax + np.log(np.exp(Z - zmax).sum(axis=0))
    return (lse - (Y * Z).sum(axis=0)).mean(axis=-1)


def _regression(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    D = Z - Y
    return 0.5 * (D * D).sum(axis=0).mean(axis=-1)


# The losses of nncore/losses.py, one per column group: Z[L] (n[L], ..., m) and Y (n[L], 1, m)
# -> the mean over the m examples of each group, (...). Equal to Problem.loss on each group.
GROUP_LOSSES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "binary": _binary,
    "multiclass": _multiclass,
    "regression": _regression,
}


def _dot(W: np.ndarray, A: np.ndarray) -> np.ndarray:
    """W (n, n') @ A (n', N), COLUMNS columns at a time."""
    N = A.shape[1]
    if N <= COLUMNS:
        return np.dot(W, A)
    out = np.empty((W.shape[0], N), np.result_type(W, A))
    for s in range(0, N, COLUMNS):
        out[:, s : s + COLUMNS] = np.dot(W, A[:, s : s + COLUMNS])
    return out


def _spread(Z: np.ndarray, A_prev: np.ndarray, pick: Pick, w0: float, values: np.ndarray):
    """Z (n[l], V, m) -> (n[l], len(values), V, m): a copy of Z for each value of W[pick],
    row j moved by (w - w0) A[l-1][k]."""
    out = np.repeat(Z[:, None], values.size, axis=1)
    out[pick.j] += (values - w0).astype(Z.dtype)[:, None, None] * A_prev[pick.k][None]
    return out


def grid_loss(
    net: Network,
    X: np.ndarray,
    Y: np.ndarray,
    a: Pick,
    b: Pick,
    values_a: np.ndarray,
    values_b: np.ndarray,
    dtype: type = np.float64,
    chunk_values: int = CHUNK_VALUES,
) -> np.ndarray:
    """loss[i, q]: the data loss on X (n[0], m), Y (n[L], m) with W[a] = values_a[i] and
    W[b] = values_b[q], every other parameter as in net (the module's docstring). The passes
    run in dtype (float32: as the loss curve's, Trainer.evaluate), the losses in float64."""
    first, second, v1, v2 = (a, b, values_a, values_b) if a.l <= b.l else (b, a, values_b, values_a)
    w1, w2 = (float(net.layers[p.l - 1].W[p.j, p.k]) for p in (first, second))
    Ws = [layer.W.astype(dtype) for layer in net.layers]
    bs = [layer.b.astype(dtype) for layer in net.layers]
    gs = [get_activation(layer.activation) for layer in net.layers]
    group_loss = GROUP_LOSSES[net.problem.name]
    m, L = X.shape[1], net.L
    A = X.astype(dtype)[:, None, :]  # (n[0], V = 1, m)
    for l in range(1, second.l + 1):  # up to the deeper weight's layer: V = 1, then len(v1)
        W = Ws[l - 1]
        Z = _dot(W, A.reshape(A.shape[0], -1)).reshape(W.shape[0], -1, m)
        Z += bs[l - 1][:, :, None]
        if l == first.l:
            Z = _spread(Z, A, first, w1, v1)[:, :, 0]
        if l < second.l:
            A = gs[l - 1].forward(Z, out=Z)
    V = Z.shape[1]
    widest = max(net.sizes[second.l :])
    c = max(1, chunk_values // (widest * V * m))  # values of the deeper weight per chunk
    Yg = Y[:, None, :]
    out = np.empty((v2.size, V))
    for s in range(0, v2.size, c):
        Zc = _spread(Z, A, second, w2, v2[s : s + c])  # (n[l], c, V, m)
        for l in range(second.l + 1, L + 1):
            Ac = gs[l - 2].forward(Zc, out=Zc)
            W = Ws[l - 1]
            Zc = _dot(W, Ac.reshape(Ac.shape[0], -1)).reshape(W.shape[0], *Ac.shape[1:])
            Zc += bs[l - 1][:, :, None, None]
        ZL = Zc.reshape(Zc.shape[0], -1, m).astype(np.float64, copy=False)
        out[s : s + c] = group_loss(ZL, Yg).reshape(-1, V)
    # out[q, i]: the deeper weight's value q, the shallower's i
    return np.ascontiguousarray(out.T) if first is a else out


def loop_loss(net: Network, X: np.ndarray, Y: np.ndarray, *grid) -> np.ndarray:
    """grid_loss(net, X, Y, *grid) the plain way, one whole forward pass per grid point (the
    reference); grid: a, b, values_a, values_b."""
    a, b, values_a, values_b = grid
    trial = net.copy()
    ia, ib = a.index(net), b.index(net)
    out = np.empty((values_a.size, values_b.size))
    for i, wa in enumerate(values_a):
        for q, wb in enumerate(values_b):
            trial.params[ia], trial.params[ib] = wa, wb
            out[i, q] = trial.loss(Y, trial.forward(X))
    return out


def states_loss(
    net: Network,
    X: np.ndarray,
    Y: np.ndarray,
    params: np.ndarray,
    dtype: type = np.float64,
    chunk_values: int = CHUNK_VALUES,
) -> np.ndarray:
    """The data loss of each parameter vector params[r] (in net.params' layout), (R,): each a
    whole network of its own, evaluated together (a stacked product per layer), in dtype."""
    m, R = X.shape[1], params.shape[0]
    gs = [get_activation(layer.activation) for layer in net.layers]
    group_loss = GROUP_LOSSES[net.problem.name]
    c = max(1, chunk_values // (max(net.sizes[1:]) * m))
    out = np.empty(R)
    for s in range(0, R, c):
        P = params[s : s + c].astype(dtype)
        A = X.astype(dtype)
        for l, g in enumerate(gs, start=1):
            (w0, w1), (b0, b1) = net.w_spans[l - 1], net.b_spans[l - 1]
            n, n_prev = net.sizes[l], net.sizes[l - 1]
            Z = np.matmul(P[:, w0:w1].reshape(-1, n, n_prev), A)  # (r, n[l], m)
            Z += P[:, b0:b1].reshape(-1, n, 1)
            A = g.forward(Z, out=Z) if l < net.L else Z
        ZL = A.transpose(1, 0, 2).astype(np.float64)
        out[s : s + c] = group_loss(ZL, Y[:, None, :])
    return out


def recorded(t) -> list[tuple[int, np.ndarray]]:
    """The recorded states (step, flat parameters) in step order: the trainer's timeline where
    it has one (the states of this network's shape), else only the current state."""
    shape = t.net.params.shape
    states = [(r.step, r.params) for r in getattr(t, "timeline", []) if r.params.shape == shape]
    return states or [(t.step_count, t.net.params.copy())]


def axis_values(now: float, visited: np.ndarray, n: int) -> np.ndarray:
    """n evenly spaced values centred on now (exactly on it when n is odd), reaching past every
    visited value by SPAN_MARGIN and at least MIN_HALF_SPAN either side."""
    far = float(np.max(np.abs(visited - now))) if visited.size else 0.0
    half = max(MIN_HALF_SPAN, SPAN_MARGIN * far)
    centre = (n - 1) / 2
    return now + half * (np.arange(n) - centre) / centre


def seconds(sizes: list[int], m: int, a: Pick, b: Pick, n: int, states: int) -> float:
    """The estimated seconds of landscape(): the grid's passes and the path's."""
    lo, hi = sorted((a.l, b.l))
    macs = values = 0.0
    for l in range(1, len(sizes)):
        points = 1 if l < lo else n if l < hi else n * n
        macs += points * m * sizes[l] * sizes[l - 1]
        values += points * m * sizes[l]
    path = states * m * sum(x * y for x, y in zip(sizes[:-1], sizes[1:], strict=True))
    chunks = math.ceil(n * n * m * max(sizes[1:]) / CHUNK_VALUES) + 1
    calls = len(sizes) * (chunks + math.ceil(states * m * max(sizes[1:]) / CHUNK_VALUES))
    return PER_REQUEST + PER_MAC * (macs + path) + PER_VALUE * values + PER_CALL * calls


def check(t, a: Pick, b: Pick, n: int, limits: Limits = LIMITS) -> float:
    """InputError naming b or n when the request does not fit its bounds (two weights, n within
    the grid's limits and the work budget of one request); else its estimated seconds. Both
    weights must be the network's (app/routes/sessions.py check_unit)."""
    if a == b:
        raise InputError("b", "must be another weight than a")
    lo, hi = limits.min_landscape_grid, limits.max_landscape_grid
    if not lo <= n <= hi:
        raise InputError("n", f"must be {lo}..{hi}, got {n}")
    sizes, m, states = t.net.sizes, t.m_train, len(recorded(t))
    estimate = seconds(sizes, m, a, b, n, states)
    if estimate > limits.max_work_seconds:
        fits = [
            k for k in range(lo, n) if seconds(sizes, m, a, b, k, states) <= limits.max_work_seconds
        ]
        if not fits:
            raise InputError(
                "n", f"even a {lo} x {lo} grid is more work than one request may do here"
            )
        most = fits[-1]
        raise InputError(
            "n", f"a {n} x {n} grid is more work than one request may do here: at most {most}", most
        )
    return estimate


def landscape(t, a: Pick, b: Pick, n: int = DEFAULT_N, dtype: type = np.float32) -> Landscape:
    """The trainer's loss landscape over W[a] and W[b] with its recorded path (check() them
    first). In float32 by default, as the loss curve's numbers: the grid's point at the
    current weights (its centre, for an odd n) is the curve's current training loss."""
    net, X, Y = t.net, t.X_train, t.Y_train
    ia, ib = a.index(net), b.index(net)
    states = recorded(t)
    P = np.stack([p for _, p in states])
    now_a, now_b = float(net.params[ia]), float(net.params[ib])
    values_a = axis_values(now_a, P[:, ia], n)
    values_b = axis_values(now_b, P[:, ib], n)
    with np.errstate(over="ignore", invalid="ignore"):  # far out a loss may overflow (null)
        loss = grid_loss(net, X, Y, a, b, values_a, values_b, dtype)
        path_loss = states_loss(net, X, Y, P, dtype)
        current = t.evaluate()[0]
    steps = np.array([s for s, _ in states], np.int64)
    path = (steps, P[:, ia].copy(), P[:, ib].copy(), path_loss)
    return Landscape(a, b, values_a, values_b, loss, *path, (now_a, now_b, current))
