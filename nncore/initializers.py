"""Weight initializers, one registry keyed by name. Biases always start at zero (as in the notes).

Each initializer fills W[l] of shape (n[l], n[l-1]) from a numpy Generator: no global RNG, so a
seed reproduces the same weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import InputError


@dataclass(frozen=True)
class Initializer:
    name: str
    label: str
    latex: str
    make: Callable[[np.random.Generator, int, int], np.ndarray]  # (rng, n_l, n_prev) -> W


def _zeros(rng: np.random.Generator, n: int, n_prev: int) -> np.ndarray:
    # The symmetry trap: every unit of a layer computes, and learns, the same thing.
    return np.zeros((n, n_prev))


def _small(rng: np.random.Generator, n: int, n_prev: int) -> np.ndarray:
    return rng.standard_normal((n, n_prev)) * 0.01


def _xavier(rng: np.random.Generator, n: int, n_prev: int) -> np.ndarray:
    return rng.standard_normal((n, n_prev)) * np.sqrt(1.0 / n_prev)


def _he(rng: np.random.Generator, n: int, n_prev: int) -> np.ndarray:
    return rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / n_prev)


INITIALIZERS: dict[str, Initializer] = {
    i.name: i
    for i in (
        Initializer("zeros", "Zeros (symmetric)", r"W^{[l]}=0", _zeros),
        Initializer("small", "Small random (×0.01)", r"W^{[l]}=\mathrm{randn}\times 0.01", _small),
        Initializer(
            "xavier",
            "Xavier",
            r"W^{[l]}=\mathrm{randn}\times\sqrt{1/n^{[l-1]}}",
            _xavier,
        ),
        Initializer("he", "He", r"W^{[l]}=\mathrm{randn}\times\sqrt{2/n^{[l-1]}}", _he),
    )
}


def get_initializer(name: str) -> Initializer:
    try:
        return INITIALIZERS[name]
    except KeyError:
        raise InputError(
            "init", f"unknown initializer {name!r}; allowed: {', '.join(INITIALIZERS)}"
        ) from None
