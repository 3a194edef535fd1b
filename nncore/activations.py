"""Activation functions g and their derivatives g', one registry keyed by name.

Every function works elementwise on Z of shape (n[l], m) and keeps its dtype. The derivative
takes both Z and A = g(Z) because for sigmoid and tanh the cheap form uses A (the notes:
sigmoid' = a (1 - a), tanh' = 1 - a^2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    name: str
    label: str
    latex: str  # g(z) as the notes write it
    latex_derivative: str  # g'(z)
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (Z, A) -> g'(Z)


def tanh(Z: np.ndarray) -> np.ndarray:
    """tanh(z) = sign(z) (1 - t) / (1 + t) with t = e^{-2|z|} in (0, 1]: it never overflows.

    NumPy's own float64 tanh is 2-3x slower than its exp on these CPUs and the forward pass is
    mostly activations, so float64 goes through exp; float32 (the grids) keeps np.tanh, which
    is vectorized there.
    """
    if Z.dtype == np.float32:
        return np.tanh(Z)
    t = np.abs(Z)
    t *= -2.0
    np.exp(t, out=t)
    d = t + 1.0
    np.subtract(1.0, t, out=t)
    t /= d
    return np.copysign(t, Z, out=t)


def sigmoid(Z: np.ndarray) -> np.ndarray:
    # sigma(z) = (1 + tanh(z/2)) / 2: the logistic function without exp overflow for |z| to 1e4.
    A = tanh(Z * 0.5)
    A += 1.0
    A *= 0.5
    return A


def _sigmoid_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    return A * (1.0 - A)


def _tanh_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    return 1.0 - A * A


def relu(Z: np.ndarray) -> np.ndarray:
    return np.maximum(Z, 0.0)


def _relu_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    # g'(0) is taken as 0, as in the notes ("when z is negative the slope is 0").
    return (Z > 0).astype(Z.dtype)


def leaky_relu(Z: np.ndarray) -> np.ndarray:
    return np.maximum(Z, LEAKY_SLOPE * Z)


def _leaky_relu_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    return np.where(Z > 0, 1.0, LEAKY_SLOPE).astype(Z.dtype, copy=False)


def linear(Z: np.ndarray) -> np.ndarray:
    return Z.copy()


def _linear_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    return np.ones_like(Z)


def softmax(Z: np.ndarray) -> np.ndarray:
    """Column-wise softmax of Z (K, m): each column sums to 1. Shifted by the column max."""
    E = Z - Z.max(axis=0, keepdims=True)
    np.exp(E, out=E)
    E /= E.sum(axis=0, keepdims=True)
    return E


def _softmax_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    # Softmax is never differentiated alone: it pairs with cross-entropy, where dZ = A - Y.
    raise TypeError("softmax is an output activation: use dZ = A - Y with its loss")


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            "Sigmoid",
            r"\sigma(z)=\frac{1}{1+e^{-z}}",
            r"\sigma'(z)=\sigma(z)\left(1-\sigma(z)\right)",
            sigmoid,
            _sigmoid_prime,
        ),
        Activation(
            "tanh",
            "Tanh",
            r"\tanh(z)=\frac{e^{z}-e^{-z}}{e^{z}+e^{-z}}",
            r"\tanh'(z)=1-\tanh^{2}(z)",
            tanh,
            _tanh_prime,
        ),
        Activation(
            "relu",
            "ReLU",
            r"\mathrm{ReLU}(z)=\max(0,z)",
            r"\mathrm{ReLU}'(z)=\begin{cases}1 & z>0\\0 & z\le 0\end{cases}",
            relu,
            _relu_prime,
        ),
        Activation(
            "leaky_relu",
            "Leaky ReLU",
            r"\mathrm{LReLU}(z)=\max(0.01z,z)",
            r"\mathrm{LReLU}'(z)=\begin{cases}1 & z>0\\0.01 & z\le 0\end{cases}",
            leaky_relu,
            _leaky_relu_prime,
        ),
        Activation("linear", "Linear", r"g(z)=z", r"g'(z)=1", linear, _linear_prime),
    )
}

# Output-only activation: selected by the problem type (see losses.py), never by a hidden layer.
SOFTMAX = Activation(
    "softmax",
    "Softmax",
    r"\mathrm{softmax}(z)_k=\frac{e^{z_k}}{\sum_j e^{z_j}}",
    r"\text{(paired with cross-entropy: } dZ=A-Y)",
    softmax,
    _softmax_prime,
)


def get_activation(name: str) -> Activation:
    """The hidden or output activation called `name`; ValueError lists the allowed names."""
    if name == SOFTMAX.name:
        return SOFTMAX
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; allowed: {', '.join(ACTIVATIONS)}"
        ) from None
