"""Activation functions g and their derivatives g', one registry keyed by name.

Every function works elementwise on Z of shape (n[l], m) and keeps its dtype. The derivative
takes both Z and A = g(Z) because for sigmoid and tanh the cheap form uses A (the notes:
sigmoid' = a (1 - a), tanh' = 1 - a^2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import InputError

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    name: str
    label: str
    latex: str  # g(z) as the notes write it
    latex_derivative: str  # g'(z)
    forward: Callable[..., np.ndarray]  # (Z, out=None) -> A; out may be Z itself
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (Z, A) -> g'(Z)
    bounds: tuple[float, float] | None = None  # the open interval g maps into; None: unbounded


def tanh(Z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """tanh(z) = 2 / (1 + e^{-2z}) - 1.

    NumPy's own float64 tanh is about 2x slower than this on CPUs without AVX-512, and the
    forward pass is mostly activations. Accurate to a few ulps of 1 (absolute ~1e-16).
    For z below about -355 e^{-2z} overflows to inf and the result is exactly -1, as it
    should be: that overflow is expected, so it is not warned about (clipping instead costs
    more than the exp in float32).
    """
    t = np.multiply(Z, -2.0, out=out)
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    t += 1.0
    np.divide(2.0, t, out=t)
    t -= 1.0
    return t


def sigmoid(Z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^{-z}); e^{-z} = inf for very negative z gives exactly 0."""
    t = np.negative(Z, out=out)
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    t += 1.0
    return np.divide(1.0, t, out=t)


def _sigmoid_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    return A * (1.0 - A)


def _tanh_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    return 1.0 - A * A


def relu(Z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.maximum(Z, 0.0, out=out)


def _relu_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    # g'(0) is taken as 0, as in the notes ("when z is negative the slope is 0").
    return (Z > 0).astype(Z.dtype)


def leaky_relu(Z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.maximum(Z, LEAKY_SLOPE * Z, out=out)


def _leaky_relu_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    return np.where(Z > 0, 1.0, LEAKY_SLOPE).astype(Z.dtype, copy=False)


def linear(Z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    if out is None:
        return Z.copy()
    if out is not Z:
        np.copyto(out, Z)
    return out


def _linear_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    return np.ones_like(Z)


def softmax(Z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Column-wise softmax of Z (K, m): each column sums to 1. Shifted by the column max."""
    E = np.subtract(Z, Z.max(axis=0, keepdims=True), out=out)
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
            (0.0, 1.0),
        ),
        Activation(
            "tanh",
            "Tanh",
            r"\tanh(z)=\frac{e^{z}-e^{-z}}{e^{z}+e^{-z}}",
            r"\tanh'(z)=1-\tanh^{2}(z)",
            tanh,
            _tanh_prime,
            (-1.0, 1.0),
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
    (0.0, 1.0),
)


def get_activation(name: str) -> Activation:
    """The hidden or output activation called `name`; ValueError lists the allowed names."""
    if name == SOFTMAX.name:
        return SOFTMAX
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise InputError(
            "activation", f"unknown activation {name!r}; allowed: {', '.join(ACTIVATIONS)}"
        ) from None
