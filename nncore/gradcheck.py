"""Gradient checking: backprop's dW, db against centered finite differences of the loss.

    numerical dθ_i = (J(θ + h e_i) - J(θ - h e_i)) / 2h
    relative error = ||analytic - numerical|| / max(||analytic|| + ||numerical||, tiny)

In float64 a correct backprop gives relative errors around 1e-9 or smaller; a wrong one
gives errors near 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .network import Network


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / (||a|| + ||b||) over the entries where b was computed (not NaN)."""
    keep = ~np.isnan(b)
    a, b = a[keep], b[keep]
    num = float(np.linalg.norm(a - b))
    den = float(np.linalg.norm(a) + np.linalg.norm(b))
    return num / max(den, 1e-300) if num else 0.0


def numerical_gradient(
    f: Callable[[], float], x: np.ndarray, h: float = 1e-5, indices: np.ndarray | None = None
) -> np.ndarray:
    """Centered differences of f() with respect to entries of x (all, or the flat `indices`;
    the others are NaN), each perturbed in place and restored."""
    flat = x.reshape(-1)
    grad = np.full(x.size, np.nan)
    for i in range(flat.size) if indices is None else indices:
        old = flat[i]
        flat[i] = old + h
        fp = f()
        flat[i] = old - h
        fm = f()
        flat[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad.reshape(x.shape)


@dataclass
class LayerCheck:
    layer: int  # 1..L
    dW: np.ndarray  # backprop
    db: np.ndarray
    dW_numerical: np.ndarray
    db_numerical: np.ndarray
    error_W: float
    error_b: float

    @property
    def error(self) -> float:
        """Relative error of the layer's dW and db taken together."""
        return relative_error(
            np.concatenate([self.dW.ravel(), self.db.ravel()]),
            np.concatenate([self.dW_numerical.ravel(), self.db_numerical.ravel()]),
        )


def check_network(
    net: Network, X: np.ndarray, Y: np.ndarray, h: float = 1e-5, max_entries: int | None = None
) -> list[LayerCheck]:
    """Compare backprop with centered differences of the data loss at X (n[0], m), Y (n[L], m).

    With max_entries, at most that many evenly spread entries of each W[l] are checked (and
    every b[l]); the numerical gradient of the others is NaN. The network's parameters are left
    exactly as they were; its gradient buffer holds the backprop gradient at (X, Y).
    """
    grads = net.backward(Y, net.forward(X))

    def loss() -> float:
        return net.loss(Y, net.forward(X))

    indices = None
    if max_entries is not None:
        parts = [np.arange(net.n_weights, net.n_parameters())]  # every bias
        for ws, we in net.w_spans:
            n = we - ws
            parts.append(ws + np.unique(np.linspace(0, n - 1, min(n, max_entries)).astype(int)))
        indices = np.sort(np.concatenate(parts))
    numerical = numerical_gradient(loss, net.params, h, indices)
    checks = []
    for l, (layer_grads, (ws, we), (bs, be)) in enumerate(
        zip(grads, net.w_spans, net.b_spans, strict=True), start=1
    ):
        dW_num = numerical[ws:we].reshape(layer_grads.dW.shape)
        db_num = numerical[bs:be].reshape(layer_grads.db.shape)
        checks.append(
            LayerCheck(
                l,
                layer_grads.dW.copy(),
                layer_grads.db.copy(),
                dW_num,
                db_num,
                relative_error(layer_grads.dW, dW_num),
                relative_error(layer_grads.db, db_num),
            )
        )
    return checks
