"""Input feature maps, as in TensorFlow Playground: x1, x2, x1^2, x2^2, x1*x2, sin x1, sin x2.

Raw inputs are columns, X of shape (n_inputs, m); a feature map gives one row per feature,
A[0] of shape (len(features), m). The network only ever sees A[0].
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import InputError


@dataclass(frozen=True)
class Feature:
    name: str  # used in URLs and the API
    label: str  # as the page shows it
    latex: str
    inputs: tuple[int, ...]  # the raw input rows it reads (0: x1, 1: x2)
    fn: Callable[[np.ndarray, np.ndarray | None, np.ndarray], None]  # (x1, x2, out row)


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        Feature("x1", "x₁", "x_1", (0,), lambda x1, x2, o: np.copyto(o, x1)),
        Feature("x2", "x₂", "x_2", (1,), lambda x1, x2, o: np.copyto(o, x2)),
        Feature("x1_squared", "x₁²", "x_1^2", (0,), lambda x1, x2, o: np.multiply(x1, x1, out=o)),
        Feature("x2_squared", "x₂²", "x_2^2", (1,), lambda x1, x2, o: np.multiply(x2, x2, out=o)),
        Feature(
            "x1_times_x2", "x₁x₂", "x_1 x_2", (0, 1), lambda x1, x2, o: np.multiply(x1, x2, out=o)
        ),
        Feature("sin_x1", "sin(x₁)", r"\sin(x_1)", (0,), lambda x1, x2, o: np.sin(x1, out=o)),
        Feature("sin_x2", "sin(x₂)", r"\sin(x_2)", (1,), lambda x1, x2, o: np.sin(x2, out=o)),
    )
}
DEFAULT_FEATURES = ("x1", "x2")


def available_features(n_inputs: int) -> list[str]:
    """The features that data with n_inputs raw inputs can feed (1 input: only x1's)."""
    return [f.name for f in FEATURES.values() if max(f.inputs) < n_inputs]


def validate_features(names: Sequence[str], n_inputs: int) -> tuple[str, ...]:
    """The names in registry order; ValueError naming a bad one and the allowed ones."""
    allowed = available_features(n_inputs)
    if not names:
        raise InputError("features", f"choose at least one of {', '.join(allowed)}")
    if len(set(names)) != len(names):
        raise InputError("features", "a feature is listed twice")
    for n in names:
        if n not in allowed:
            raise InputError(
                "features",
                f"{n!r} is not available for {n_inputs}-input data; allowed: {', '.join(allowed)}",
            )
    return tuple(n for n in FEATURES if n in names)


def transform(names: Sequence[str], X: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Raw X (n_inputs, m) -> the feature rows (len(names), m), in the order of names.

    Keeps X's dtype (float32 grids stay float32): one NumPy call per feature.
    """
    if out is None:
        out = np.empty((len(names), X.shape[1]), dtype=X.dtype)
    x2 = X[1] if X.shape[0] > 1 else None
    for row, name in zip(out, names, strict=True):
        FEATURES[name].fn(X[0], x2, row)
    return out
