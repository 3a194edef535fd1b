"""Toy datasets, one registry keyed by problem type and name; seeded and deterministic.

Data here is in rows, as plots want it: X is (n, n_inputs), y is (n,). The trainer transposes
once at its edge. Inputs span about [-6, 6] on each axis, as TensorFlow Playground's do.
`noise` is a fraction in [0, 1]: 0 is clean (classes separable, targets exact); it scales a
Gaussian jitter of the inputs (classification) or of the targets (regression).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .limits import config_ranges

PROBLEMS = ("binary", "multiclass", "regression")
Generator = Callable[[np.random.Generator, int, float, int], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    problem: str
    n_inputs: int
    description: str
    generate: Generator  # (rng, n, noise, classes) -> X (n, n_inputs), y (n,)


@dataclass(frozen=True)
class Split:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_inputs: int
    classes: int  # 2 binary, K multi-class, 0 regression


def n_classes(problem: str, classes: int) -> int:
    """Split.classes for a problem: 2 binary, K multi-class, 0 regression."""
    return {"binary": 2, "multiclass": classes, "regression": 0}[problem]


def _counts(n: int, k: int) -> list[int]:
    """n split into k balanced class counts."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _labels(counts: list[int]) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


def _jitter(rng: np.random.Generator, X: np.ndarray, noise: float, scale: float) -> np.ndarray:
    # Drawn even at noise 0, so that the same seed gives the same points at every noise level.
    return X + rng.standard_normal(X.shape) * (noise * scale)


def _polar(r: np.ndarray, t: np.ndarray) -> np.ndarray:
    return np.column_stack([r * np.sin(t), r * np.cos(t)])


def _circle(rng, n, noise, classes):
    inner, outer = _counts(n, 2)[::-1]
    r = np.concatenate([rng.uniform(0.0, 2.5, inner), rng.uniform(3.5, 5.0, outer)])
    X = _polar(r, rng.uniform(0, 2 * np.pi, n))
    y = np.concatenate([np.ones(inner, np.int64), np.zeros(outer, np.int64)])
    return _jitter(rng, X, noise, 2.5), y


def _xor(rng, n, noise, classes):
    X = rng.uniform(-5.0, 5.0, (n, 2))
    X += np.sign(X) * 0.3  # keep clean points off the axes, where the label flips
    y = (X[:, 0] * X[:, 1] >= 0).astype(np.int64)
    return _jitter(rng, X, noise, 2.5), y


def _gauss(rng, n, noise, classes):
    counts = _counts(n, 2)
    y = _labels(counts)
    centers = np.where(y[:, None] == 1, 2.0, -2.0)
    X = centers + rng.standard_normal((n, 2)) * 0.5
    return _jitter(rng, X, noise, 2.5), y


def _arms(rng, n, noise, k, turns=1.75):
    counts = _counts(n, k)
    y = _labels(counts)
    u = np.concatenate([np.linspace(0.0, 1.0, c, endpoint=False) for c in counts])
    t = 2 * np.pi * (turns * u + y / k)
    X = _polar(5.0 * u + 0.2, t)
    return _jitter(rng, X, noise, 1.2), y


def _spiral2(rng, n, noise, classes):
    return _arms(rng, n, noise, 2)


def _spiral_k(rng, n, noise, classes):
    return _arms(rng, n, noise, classes, turns=1.0)


def _moons(rng, n, noise, classes):
    top, bottom = _counts(n, 2)
    a = rng.uniform(0.0, np.pi, top)
    b = rng.uniform(0.0, np.pi, bottom)
    X = np.concatenate(
        [np.column_stack([np.cos(a), np.sin(a)]), np.column_stack([1 - np.cos(b), 0.5 - np.sin(b)])]
    )
    X = (X - [0.5, 0.25]) * 3.5
    y = np.concatenate([np.ones(top, np.int64), np.zeros(bottom, np.int64)])
    return _jitter(rng, X, noise, 1.5), y


def _blobs(rng, n, noise, classes):
    y = _labels(_counts(n, classes))
    angle = 2 * np.pi * y / classes
    X = 3.5 * np.column_stack([np.cos(angle), np.sin(angle)])
    X += rng.standard_normal((n, 2)) * 0.5
    return _jitter(rng, X, noise, 2.0), y


def _plane(rng, n, noise, classes):
    X = rng.uniform(-6.0, 6.0, (n, 2))
    y = (X[:, 0] + X[:, 1]) / 12.0
    return X, y + rng.standard_normal(n) * (noise * 0.5)


_BUMPS = np.array(
    [[-3.0, 3.0, 1.0], [3.0, 3.0, -1.0], [-3.0, -3.0, -1.0], [3.0, -3.0, 1.0], [0.0, 0.0, 0.8]]
)


def _multigauss(rng, n, noise, classes):
    X = rng.uniform(-6.0, 6.0, (n, 2))
    d2 = ((X[:, None, :] - _BUMPS[None, :, :2]) ** 2).sum(axis=2)
    y = np.clip((np.exp(-d2 / (2 * 1.5**2)) * _BUMPS[:, 2]).sum(axis=1), -1.0, 1.0)
    return X, y + rng.standard_normal(n) * (noise * 0.5)


def _sine(rng, n, noise, classes):
    x = rng.uniform(-6.0, 6.0, n)
    return x[:, None], np.sin(x) + rng.standard_normal(n) * (noise * 0.5)


DATASETS: dict[str, dict[str, DatasetSpec]] = {p: {} for p in PROBLEMS}
for _spec in (
    DatasetSpec("circle", "binary", 2, "One class inside a circle, the other around it.", _circle),
    DatasetSpec("xor", "binary", 2, "Opposite quadrants share a class: exclusive or.", _xor),
    DatasetSpec("gauss", "binary", 2, "Two Gaussian clusters.", _gauss),
    DatasetSpec("spiral", "binary", 2, "Two interleaved spiral arms.", _spiral2),
    DatasetSpec("moons", "binary", 2, "Two interleaved half-moons.", _moons),
    DatasetSpec("spiral", "multiclass", 2, "One spiral arm per class.", _spiral_k),
    DatasetSpec("blobs", "multiclass", 2, "One Gaussian cluster per class.", _blobs),
    DatasetSpec("plane", "regression", 2, "A tilted plane: y = (x1 + x2) / 12.", _plane),
    DatasetSpec("multigauss", "regression", 2, "Hills and valleys of Gaussian bumps.", _multigauss),
    DatasetSpec("sine", "regression", 1, "One input: y = sin(x).", _sine),
):
    DATASETS[_spec.problem][_spec.name] = _spec


def dataset_names(problem: str) -> list[str]:
    if problem not in DATASETS:
        raise InputError("problem", f"unknown {problem!r}; allowed: {', '.join(PROBLEMS)}")
    return list(DATASETS[problem])


def fitting(problem: str, name: str) -> str:
    """`name` if it is a dataset of the problem type, else the problem's first dataset."""
    names = DATASETS.get(problem, {})
    return name if name in names or not names else next(iter(names))


def make_dataset(
    problem: str,
    name: str,
    n_samples: int,
    noise: float,
    train_fraction: float,
    seed: int,
    classes: int = 3,
) -> Split:
    """Generate the named dataset from default_rng(seed), shuffle it and split it."""
    names = dataset_names(problem)
    if name not in names:
        raise InputError("dataset", f"unknown {name!r} for {problem}; allowed: {', '.join(names)}")
    ranges = config_ranges()
    for field, value in (
        ("n_samples", n_samples),
        ("noise", noise),
        ("train_fraction", train_fraction),
    ):
        ranges[field].check(field, value)
    if problem == "multiclass":
        ranges["classes"].check("classes", classes)
    k = n_classes(problem, classes)
    spec = DATASETS[problem][name]
    rng = np.random.default_rng(seed)
    X, y = spec.generate(rng, n_samples, noise, k)
    order = rng.permutation(n_samples)
    X, y = X[order], y[order]
    n_train = min(max(round(n_samples * train_fraction), 1), n_samples - 1)
    return Split(X[:n_train], y[:n_train], X[n_train:], y[n_train:], spec.n_inputs, k)
