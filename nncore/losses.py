"""Output layers and their losses, one registry keyed by the problem type.

Each problem pairs an output activation with the loss whose gradient through it is simply
dZ[L] = A[L] - Y (the notes' starting point of backprop, for all three):
- binary: sigmoid + cross-entropy  -(1/m) sum(y log a + (1-y) log(1-a))
- multiclass: softmax + cross-entropy  -(1/m) sum_k y_k log a_k   (Y one-hot, (K, m))
- regression: linear + half the mean squared error  (1/2m) sum (a - y)^2
Losses are computed from Z, not A, so they stay finite when a saturates to 0 or 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import InputError


def _binary_cross_entropy(Z: np.ndarray, Y: np.ndarray) -> float:
    # -[y log s(z) + (1-y) log(1-s(z))] = softplus(z) - y z, with softplus(z) = logaddexp(0, z).
    return float(np.mean(np.logaddexp(0.0, Z) - Y * Z))


def _softmax_cross_entropy(Z: np.ndarray, Y: np.ndarray) -> float:
    # -sum_k y_k log softmax(z)_k = logsumexp(z) - sum_k y_k z_k  (log-sum-exp shifted by the max).
    zmax = Z.max(axis=0)
    lse = zmax + np.log(np.exp(Z - zmax).sum(axis=0))
    return float(np.mean(lse - (Y * Z).sum(axis=0)))


def _half_mse(Z: np.ndarray, Y: np.ndarray) -> float:
    D = Z - Y
    return float(0.5 * np.vdot(D, D) / Z.shape[1])


@dataclass(frozen=True)
class Problem:
    name: str
    label: str
    output_activation: str
    loss_name: str
    loss_latex: str
    loss: Callable[[np.ndarray, np.ndarray], float]  # (Z[L], Y) -> mean loss over the m columns
    has_accuracy: bool

    def n_outputs(self, classes: int) -> int:
        return classes if self.name == "multiclass" else 1

    def encode(self, y: np.ndarray, classes: int) -> np.ndarray:
        """Labels y (m,) -> Y (n[L], m): 0/1 row, one-hot columns, or the value row."""
        if self.name == "multiclass":
            Y = np.zeros((classes, y.shape[0]))
            Y[y.astype(np.intp), np.arange(y.shape[0])] = 1.0
            return Y
        return np.asarray(y, dtype=np.float64).reshape(1, -1)

    def output_dA(self, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """dA[L] = dL/dA[L] per example (not divided by m), the notes' da before dz = a - y.

        binary: -y/a + (1-y)/(1-a); multiclass: -y/a; regression: a - y. The output is clipped
        to [1e-12, 1 - 1e-12] where it is divided by, so a saturated unit shows a large finite
        number instead of infinity.
        """
        if self.name == "regression":
            return A - Y
        a = np.clip(A, 1e-12, 1 - 1e-12)
        if self.name == "multiclass":
            return -Y / a
        return -Y / a + (1 - Y) / (1 - a)

    def predict(self, A: np.ndarray) -> np.ndarray:
        """Output A[L] (n[L], m) -> predictions (m,): class 0/1, class index, or value."""
        if self.name == "binary":
            return (A[0] >= 0.5).astype(np.int64)
        if self.name == "multiclass":
            return A.argmax(axis=0)
        return A[0].copy()


PROBLEMS: dict[str, Problem] = {
    p.name: p
    for p in (
        Problem(
            "binary",
            "Binary classification",
            "sigmoid",
            "cross-entropy",
            r"\mathcal{L}=-\frac{1}{m}\sum_{i}\left(y^{(i)}\log a^{(i)}"
            r"+(1-y^{(i)})\log(1-a^{(i)})\right)",
            _binary_cross_entropy,
            True,
        ),
        Problem(
            "multiclass",
            "Multi-class classification",
            "softmax",
            "softmax cross-entropy",
            r"\mathcal{L}=-\frac{1}{m}\sum_{i}\sum_{k}y_k^{(i)}\log a_k^{(i)}",
            _softmax_cross_entropy,
            True,
        ),
        Problem(
            "regression",
            "Regression",
            "linear",
            "half mean squared error",
            r"\mathcal{L}=\frac{1}{2m}\sum_{i}\left(a^{(i)}-y^{(i)}\right)^{2}",
            _half_mse,
            False,
        ),
    )
}


def get_problem(name: str) -> Problem:
    try:
        return PROBLEMS[name]
    except KeyError:
        raise InputError(
            "problem", f"unknown problem {name!r}; allowed: {', '.join(PROBLEMS)}"
        ) from None
