"""A user's own data: points drawn on the plot or a CSV file, in place of a generated dataset.

Rows, as datasets.py has them: X is (n, n_inputs) with 1 or 2 inputs, y is (n,). Imported
data is standardized into the plot's range by default: each input column becomes
(x - mean) / std * 2, so that about 3 standard deviations reach the edge at 6; the mapping is
kept (Scaling) so that exports give the user's own numbers back. Unstandardized, the file's
own numbers are the plot's (within ±LIMIT). Drawn points are already in plot coordinates.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from .datasets import Split, n_classes
from .errors import InputError
from .limits import LIMITS

MAX_POINTS = LIMITS.max_samples
MAX_CSV_BYTES = LIMITS.max_csv_bytes
SPREAD = 2.0  # one standard deviation, in plot units
LIMIT = 1e6  # |coordinate| in plot units, and |label| for regression


@dataclass(frozen=True)
class Scaling:
    """raw -> plot: (raw - mean) / std * factor, per input column."""

    mean: tuple[float, ...]
    std: tuple[float, ...]
    factor: float = SPREAD

    def __post_init__(self):
        if len(self.mean) != len(self.std) or len(self.mean) not in (1, 2):
            raise InputError("scaling.mean", "one mean and one std per input")
        if not all(math.isfinite(v) for v in self.mean):
            raise InputError("scaling.mean", "must be finite numbers")
        if not all(math.isfinite(v) and v > 0 for v in self.std):
            raise InputError("scaling.std", "must be finite numbers above 0")
        if not (math.isfinite(self.factor) and self.factor > 0):
            raise InputError("scaling.factor", "must be a finite number above 0")

    def to_plot(self, X: np.ndarray) -> np.ndarray:
        return (X - np.array(self.mean)) / np.array(self.std) * self.factor

    def to_raw(self, X: np.ndarray) -> np.ndarray:
        return X / self.factor * np.array(self.std) + np.array(self.mean)

    def as_dict(self) -> dict:
        return {"mean": list(self.mean), "std": list(self.std), "factor": self.factor}


@dataclass(frozen=True)
class OwnData:
    """Training and test points in plot coordinates, and how they came from the raw file."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    classes: int  # 2 binary, K multi-class, 0 regression
    scaling: Scaling | None = None

    @property
    def n_inputs(self) -> int:
        return self.X_train.shape[1]

    def split(self) -> Split:
        # With no test points (drawn data), the test numbers are the training set's.
        X_test, y_test = self.X_test, self.y_test
        if not len(y_test):
            X_test, y_test = self.X_train, self.y_train
        return Split(self.X_train, self.y_train, X_test, y_test, self.n_inputs, self.classes)

    def raw(self) -> tuple[np.ndarray, np.ndarray]:
        """Inputs as the user gave them (unscaled), training points first."""
        X = np.vstack([self.X_train, self.X_test])
        return (self.scaling.to_raw(X) if self.scaling else X), np.concatenate(
            [self.y_train, self.y_test]
        )

    def to_csv(self) -> str:
        X, y = self.raw()
        return write_csv(X, y, len(self.y_train), self.classes)


def write_csv(X: np.ndarray, y: np.ndarray, n_train: int, classes: int) -> str:
    """Rows x1[,x2],label,split: the first n_train rows are training points."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([*(f"x{i + 1}" for i in range(X.shape[1])), "label", "split"])
    for i in range(len(y)):
        label = repr(float(y[i])) if classes == 0 else int(y[i])
        w.writerow([*(repr(float(v)) for v in X[i]), label, "train" if i < n_train else "test"])
    return out.getvalue()


def labels_for(problem: str, y: np.ndarray, classes: int, where: str) -> np.ndarray:
    """y checked against the problem type; ValueError naming `where` and the bound."""
    if not np.all(np.isfinite(y)):
        raise InputError(f"{where}", "labels must be finite numbers")
    if problem == "regression":
        if np.any(np.abs(y) > LIMIT):
            raise InputError(f"{where}", f"regression targets must be within ±{LIMIT:g}")
        return y.astype(np.float64)
    k = n_classes(problem, classes)
    bad = np.flatnonzero((y != np.round(y)) | (y < 0) | (y >= k))
    if bad.size:
        raise InputError(
            f"{where}",
            f"label {y[bad[0]]:g} (point {bad[0] + 1}) is not a class of this "
            f"{problem} problem; allowed: 0..{k - 1}",
        )
    return y.astype(np.int64)


def from_points(
    problem: str,
    classes: int,
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    scaling: Scaling | None = None,
) -> OwnData:
    """Points in plot coordinates (drawn, or edited from a dataset)."""
    if X_test is None or y_test is None:
        X_test, y_test = np.zeros((0, 0)), np.zeros(0)  # given the inputs' width below
    for name, X, y in (("train", X_train, y_train), ("test", X_test, y_test)):
        if X.ndim != 2:
            raise InputError(f"{name}.X", "every point needs the same number of inputs")
        if X.shape[0] != len(y):
            raise InputError(f"{name}.y", f"one label per point ({X.shape[0]} points)")
        if len(y) and X.shape[1] not in (1, 2):
            raise InputError(f"{name}.X", f"each point has 1 or 2 inputs, got {X.shape[1]}")
        if not np.all(np.isfinite(X)) or np.any(np.abs(X) > LIMIT):
            raise InputError(f"{name}.X", f"coordinates must be finite and within ±{LIMIT:g}")
    if len(y_train) < 1:
        raise InputError("train", "at least 1 point")
    if len(y_test) and X_test.shape[1] != X_train.shape[1]:
        raise InputError("test.X", "the same number of inputs as the training points")
    if len(y_train) + len(y_test) > MAX_POINTS:
        raise InputError("train", f"at most {MAX_POINTS} points in all")
    if scaling is not None:
        if len(scaling.mean) != X_train.shape[1]:
            raise InputError("scaling.mean", "one mean and one std per input")
        for name, X in (("train", X_train), ("test", X_test)):
            # the exports write the points in the user's units: they must be numbers there
            with np.errstate(over="ignore", invalid="ignore"):
                bad = ~np.isfinite(scaling.to_raw(X)).all(axis=0) if len(X) else []
            if np.any(bad):
                raise InputError(
                    "scaling.std",
                    f"the {name} points' input {np.flatnonzero(bad)[0] + 1} is not "
                    "finite in its own units (x / factor * std + mean overflows)",
                )
    return OwnData(
        X_train.astype(np.float64),
        labels_for(problem, y_train, classes, "train.y"),
        X_test.reshape(-1, X_train.shape[1]).astype(np.float64),
        labels_for(problem, y_test, classes, "test.y"),
        n_classes(problem, classes),
        scaling,
    )


def _number(text: str, row: int, col: int) -> float:
    try:
        v = float(text)
    except ValueError:
        shown = text.strip()[:20]
        raise InputError.coded(
            "csv", "csv.not_a_number", row=row, col=col, cell=repr(shown)
        ) from None
    if not math.isfinite(v):
        cell = repr(text.strip())
        raise InputError.coded("csv", "csv.not_finite", row=row, col=col, cell=cell)
    return v


def _standardizable(ok: np.ndarray, what: str) -> None:
    """ValueError naming the first input column whose `what` is not finite."""
    if not ok.all():
        col = int(np.flatnonzero(~ok)[0]) + 1
        raise InputError.coded("csv", "csv.overflow", col=col, what=what)


def from_csv(
    text: str,
    problem: str,
    classes: int,
    train_fraction: float,
    seed: int,
    standardize: bool = True,
) -> OwnData:
    """A CSV of 1 or 2 input columns and a label column (header optional), standardized
    (or, with standardize false, kept in its own numbers, each within ±LIMIT).

    An optional 4th (or 3rd, with one input) column named "split" in the header says train or
    test per row; otherwise rows are split by train_fraction, shuffled by the seed.
    ValueError names the row and column of the first problem.
    """
    if len(text.encode("utf-8")) > MAX_CSV_BYTES:
        raise InputError.coded("csv", "csv.too_large", kb=MAX_CSV_BYTES // 1000)
    try:
        rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    except csv.Error as e:
        raise InputError.coded("csv", "csv.not_csv", reason=str(e)) from None
    if not rows:
        raise InputError.coded("csv", "csv.empty")
    header = None
    try:
        [float(c) for c in rows[0][:2]]
    except ValueError:
        header, rows = [c.strip().lower() for c in rows[0]], rows[1:]
    has_split = header is not None and header[-1] == "split"
    width = len(header) if header else len(rows[0]) if rows else 0
    n_inputs = width - 1 - has_split
    if n_inputs not in (1, 2):
        raise InputError.coded("csv", "csv.columns", width=width)
    if not rows:
        raise InputError.coded("csv", "csv.no_rows")
    if len(rows) > MAX_POINTS:
        raise InputError.coded("csv", "csv.too_many_rows", max=MAX_POINTS, rows=len(rows))
    first = 2 if header else 1
    k = n_classes(problem, classes)
    X = np.empty((len(rows), n_inputs))
    y = np.empty(len(rows))
    test = np.zeros(len(rows), bool)
    for i, r in enumerate(rows):
        row = i + first
        if len(r) != width:
            raise InputError.coded("csv", "csv.row_width", row=row, width=width, got=len(r))
        for j in range(n_inputs):
            X[i, j] = _number(r[j], row, j + 1)
            if not standardize and abs(X[i, j]) > LIMIT:
                cell = repr(r[j].strip())
                raise InputError.coded(
                    "csv", "csv.input_beyond", row=row, col=j + 1, cell=cell, bound=f"{LIMIT:g}"
                )
        y[i] = _number(r[n_inputs], row, n_inputs + 1)
        if has_split:
            s = r[-1].strip().lower()
            if s not in ("train", "test"):
                raise InputError.coded("csv", "csv.split", row=row, col=width)
            test[i] = s == "test"
        if k:
            if y[i] != round(y[i]) or not 0 <= y[i] < k:
                raise InputError.coded(
                    "csv",
                    "csv.label",
                    row=row,
                    col=n_inputs + 1,
                    cell=repr(r[n_inputs].strip()),
                    problem=problem,
                    last=k - 1,
                )
        elif abs(y[i]) > LIMIT:
            raise InputError.coded(
                "csv", "csv.beyond", row=row, col=n_inputs + 1, bound=f"{LIMIT:g}"
            )
    if len(rows) < 2:
        raise InputError.coded("csv", "csv.two_rows")
    if has_split and test.all():
        raise InputError.coded("csv", "csv.all_test")
    Xs, scaling = _standardized(X) if standardize else (X, None)
    if not has_split:
        order = np.random.default_rng([seed, 4]).permutation(len(rows))
        n_train = min(len(rows) - 1, max(1, round(len(rows) * train_fraction)))
        test[order[n_train:]] = True
    y = y.astype(np.int64) if k else y  # every label was checked on its row above
    return OwnData(Xs[~test], y[~test], Xs[test], y[test], k, scaling)


def _standardized(X: np.ndarray) -> tuple[np.ndarray, Scaling]:
    """Each input column as (x - mean) / std * SPREAD, and that mapping."""
    with np.errstate(over="ignore", invalid="ignore"):
        mean = X.mean(axis=0)
        std = X.std(axis=0)  # the squares of values beyond ~1e154 overflow
    std[std == 0] = 1.0
    _standardizable(np.isfinite(mean), "mean")
    _standardizable(np.isfinite(std), "standard deviation")
    scaling = Scaling(tuple(float(v) for v in mean), tuple(float(v) for v in std))
    with np.errstate(over="ignore", invalid="ignore"):
        Xs = scaling.to_plot(X)
    _standardizable(np.isfinite(Xs).all(axis=0), "standardized values")
    return Xs, scaling
