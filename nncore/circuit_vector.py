"""Vectorized gates, as the notes' second half of the backpropagation lecture computes them.

f(x, W) = ||W x||^2 as two matrix gates, q = W x and f = sum(q^2), with the notes' NumPy:

    q = W.dot(x)                 # (n, 1)
    f = np.sum(np.square(q))     # a number
    dq = 2 * q                   # (n, 1)
    dW = dq.dot(x.T)             # (n, 1)(1, d) = (n, d), W's shape
    dx = W.T.dot(dq)             # (d, n)(n, 1) = (d, 1), x's shape

and the elementwise gate y = max(0, x), whose Jacobian dy/dx is diagonal: 1 where x > 0.
Every gradient has its input's shape; the notes' "work the shapes out" is shown by the wrong
order too (x.T.dot(dq) is 1 x 1, not W's shape).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .limits import LIMITS

# The notes' instance of the ReLU Jacobian: a 4096-vector, and a batch of 100 of them.
NOTES_WIDTH = 4096
NOTES_BATCH = 100


def _matrix(name: str, rows: list[list[float]]) -> np.ndarray:
    side = LIMITS.max_matrix_side
    if not rows or not rows[0] or len(rows) > side or any(len(r) != len(rows[0]) for r in rows):
        raise InputError(name, f"must be a matrix of 1..{side} rows of equal length")
    if len(rows[0]) > side:
        raise InputError(name, f"at most {side} columns")
    return np.array(rows, dtype=float)


def _column(name: str, values: list[float]) -> np.ndarray:
    side = LIMITS.max_matrix_side
    if not 1 <= len(values) <= side:
        raise InputError(name, f"must have 1..{side} entries")
    return np.array(values, dtype=float).reshape(-1, 1)


def _finite(name: str, a: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(a)):
        raise InputError(name, "these numbers are too large: the result is not finite")
    return a


@dataclass
class SquaredNorm:
    W: np.ndarray  # (n, d)
    x: np.ndarray  # (d, 1)
    q: np.ndarray  # (n, 1)
    f: float
    dq: np.ndarray  # (n, 1)
    dW: np.ndarray  # (n, d)
    dx: np.ndarray  # (d, 1)
    wrong: np.ndarray  # x.T.dot(dq): (1, 1) when n == d, the shape the notes warn about


def squared_norm(W: list[list[float]], x: list[float]) -> SquaredNorm:
    """Forward and backward of f = ||W x||^2; InputError naming W or x for bad shapes."""
    Wm, xc = _matrix("W", W), _column("x", x)
    if Wm.shape[1] != xc.shape[0]:
        raise InputError("x", f"must have {Wm.shape[1]} entries, one per column of W")
    with np.errstate(all="ignore"):
        q = Wm.dot(xc)
        f = float(np.sum(np.square(q)))
        dq = 2 * q
        dW = dq.dot(xc.T)
        dx = Wm.T.dot(dq)
    wrong = xc.T.dot(dq) if Wm.shape[0] == Wm.shape[1] else np.empty((0, 0))
    for a in (q, np.array(f), dW, dx):
        _finite("W", a)
    return SquaredNorm(Wm, xc, q, f, dq, dW, dx, wrong)


@dataclass
class ReluJacobian:
    x: np.ndarray  # (n, 1)
    y: np.ndarray  # max(0, x)
    J: np.ndarray  # (n, n): diagonal, 1 where x > 0
    dy: np.ndarray  # the gradient arriving from above
    dx: np.ndarray  # J^T dy, which is dy where x > 0 and 0 elsewhere


def relu_jacobian(x: list[float], dy: list[float]) -> ReluJacobian:
    """y = max(0, x), its Jacobian and the backward pass J^T dy, for a small x."""
    xc, dyc = _column("x", x), _column("dy", dy)
    if dyc.shape != xc.shape:
        raise InputError("dy", f"must have {xc.shape[0]} entries, as x has")
    J = np.diag((xc[:, 0] > 0).astype(float))
    return ReluJacobian(xc, np.maximum(0.0, xc), J, dyc, J.T.dot(dyc))


def jacobian_size(width: int = NOTES_WIDTH, batch: int = NOTES_BATCH) -> dict[str, int]:
    """How big the notes' Jacobian is, written out: entries, and how few are not zero."""
    return {
        "width": width,
        "entries": width * width,
        "diagonal": width,
        "batch": batch,
        "batch_width": batch * width,
        "batch_entries": (batch * width) ** 2,
    }
