"""The one place that turns the core's results into JSON bytes.

Weights, gradients, traces and losses go out as plain JSON numbers (orjson writes NumPy arrays
directly, at full float64 precision). Grids, the bulk of a frame, go out as float32 typed
arrays in the form plotly.js 4 reads directly: {"dtype": "f4", "bdata": base64, "shape": "..."}.
"""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np
import orjson

from nncore.grid import GridMaps
from nncore.trainer import Frame

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj, option=_OPTIONS)


def typed_array(a: np.ndarray) -> dict:
    """A float32 typed array: little-endian bytes in base64, shape as "d0,d1,..."."""
    a = np.ascontiguousarray(a, dtype="<f4")
    return {
        "dtype": "f4",
        "bdata": base64.b64encode(a.tobytes()).decode("ascii"),
        "shape": ",".join(str(n) for n in a.shape),
    }


def finite_or_none(v: float | None) -> float | None:
    return v if v is not None and math.isfinite(v) else None


def grid_dict(g: GridMaps) -> dict:
    out = {
        "resolution": g.resolution,
        "x": g.axes[0],
        "y": g.axes[1] if len(g.axes) > 1 else None,
        "output": None,
        "neuron_resolution": g.neuron_resolution,
        "neurons": None,
    }
    if g.output is not None:
        # one map per class for multi-class output (K, G, G); plotly reads 2-D z arrays
        many = g.output.ndim == len(g.axes) + 1
        out["output"] = [typed_array(o) for o in g.output] if many else typed_array(g.output)
    if g.neurons is not None:
        out["neurons"] = [typed_array(n) for n in g.neurons]
    return out


def frame_dict(f: Frame) -> dict:
    layers = []
    for lf in f.layers:
        d = {
            "activation": lf.activation,
            "W": lf.W,
            "b": lf.b,
            "dW": lf.dW,
            "db": lf.db,
            "grad_norm": {"W": lf.grad_norm_W, "b": lf.grad_norm_b},
        }
        if lf.Z is not None:
            d.update(Z=lf.Z, A=lf.A, dZ=lf.dZ, dA=lf.dA)
        layers.append(d)
    return {
        "step": f.step,
        "epoch": f.epoch,
        "loss": {
            "train": finite_or_none(f.loss_train),
            "test": finite_or_none(f.loss_test),
            "penalty": finite_or_none(f.penalty),
        },
        "accuracy": None
        if f.accuracy_train is None
        else {"train": f.accuracy_train, "test": f.accuracy_test},
        "layers": layers,
        "trace_indices": f.trace_indices,
        "grid": grid_dict(f.grid) if f.grid is not None else None,
    }
