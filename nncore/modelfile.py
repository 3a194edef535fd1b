"""The saved-model format, `backprop-lab-model` version 1: its one writer and its one reader.

    {"format": "backprop-lab-model", "version": 1,
     "config": {...},                         # the Config, as Config.to_dict() writes it
     "layers": [{"activation", "W", "b"}],    # W[l] (n[l], n[l-1]) and b[l] (n[l], 1), rows
     "data": null | {"train": {"X", "y"}, "test": {"X", "y"}, "scaling": null | {...}},
     "step": 0, "epoch": 0}                   # counters: training goes on counting from them

The export route, the import route, the NumPy script (nncore/export.py) and the page (through
/api/options) all use it. `read` is where a file is checked, once: shapes against the
configuration, finite weights, labels against the problem, counters within the limits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import InputError
from .limits import LIMITS, Limits
from .owndata import OwnData, Scaling, from_points
from .trainer import Config, Hidden, Trainer

FORMAT = "backprop-lab-model"
VERSION = 1


def write(t: Trainer) -> dict[str, Any]:
    """The session as a model file: configuration, weights, own points and counters."""
    own = t.own
    data = None
    if own is not None:
        data = {
            "train": {"X": own.X_train.tolist(), "y": own.y_train.astype(float).tolist()},
            "test": {"X": own.X_test.tolist(), "y": own.y_test.astype(float).tolist()},
            "scaling": own.scaling.as_dict() if own.scaling else None,
        }
    return {
        "format": FORMAT,
        "version": VERSION,
        "config": t.config.to_dict(),
        "layers": [
            {"activation": layer.activation, "W": layer.W.tolist(), "b": layer.b.tolist()}
            for layer in t.net.layers
        ],
        "data": data,
        "step": t.step_count,
        "epoch": t.epoch,
    }


def config_from_dict(d: dict[str, Any], limits: Limits = LIMITS) -> Config:
    """A Config from its dict form (as to_dict writes it), checked against the limits."""
    d = dict(d)
    if "features" in d:
        d["features"] = tuple(d["features"])
    if "hidden" in d:
        d["hidden"] = tuple(h if isinstance(h, Hidden) else Hidden(**h) for h in d["hidden"])
    return Config(**d).validated(limits)


def read_data(d: dict[str, Any], problem: str, classes: int) -> OwnData:
    """Own points in the form the model file (and PUT .../data) carry them."""

    def rows(points: dict[str, Any], name: str) -> tuple[np.ndarray, np.ndarray]:
        uneven = "every point needs the same number of inputs"
        X = _matrix(points.get("X", []), f"{name}.X", uneven)
        return X, np.array(points.get("y", []), float)

    X_train, y_train = rows(d["train"], "train")
    X_test, y_test = rows(d.get("test") or {}, "test")
    scaling = None
    if d.get("scaling") is not None:
        s = d["scaling"]  # Scaling and from_points check its lengths and numbers
        scaling = Scaling(tuple(s["mean"]), tuple(s["std"]), s["factor"])
    return from_points(problem, classes, X_train, y_train, X_test, y_test, scaling)


def _matrix(
    rows: list[list[float]], name: str, uneven: str = "every row needs the same number of columns"
) -> np.ndarray:
    if len({len(r) for r in rows}) > 1:
        raise InputError(name, uneven)
    return np.array(rows, float).reshape(len(rows), len(rows[0]) if rows else 0)


def read(model: dict[str, Any], limits: Limits = LIMITS) -> Trainer:
    """A session from a model file; InputError naming the field when it does not fit."""
    if model.get("format") != FORMAT or model.get("version") != VERSION:
        raise InputError("format", f"not a {FORMAT} file of version {VERSION}")
    t = Trainer(config_from_dict(model["config"], limits))
    if model.get("data") is not None:
        t.set_data(read_data(model["data"], t.config.problem, t.config.classes))
    t.set_weights(
        [
            (
                layer["activation"],
                _matrix(layer["W"], f"layers.{l}.W"),
                _matrix(layer["b"], f"layers.{l}.b"),
            )
            for l, layer in enumerate(model["layers"], start=1)
        ]
    )
    for name in ("step", "epoch"):
        value = model.get(name, 0)
        if not 0 <= value <= limits.max_step_count:
            raise InputError(name, f"must be 0..{limits.max_step_count}, got {value}")
    t.set_counters(int(model.get("step", 0)), int(model.get("epoch", 0)))
    return t
