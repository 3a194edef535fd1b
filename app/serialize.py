"""The one place that turns the core's results into JSON bytes.

Weights, gradients, traces and losses go out as plain JSON numbers (orjson writes NumPy arrays
directly, at full float64 precision). Grids, the bulk of a frame, go out as typed arrays in the
form plotly.js 4 reads directly: {"dtype": "f4", "bdata": base64, "shape": "..."}. The output
map is float32; the neurons' thumbnails are 8-bit ("u1", 256 levels, as many as a colour
scale has) with the "range" [lo, hi] they span: value = lo + (hi - lo) * q / 255. Base64 is the
slowest part of a frame, so the thumbnails' 4x smaller bytes matter.
"""

from __future__ import annotations

import binascii
import math
from typing import Any

import numpy as np
import orjson

from nncore.gradcheck import LayerCheck
from nncore.grid import GridMaps
from nncore.trainer import Config, ExampleRecord, Frame, HistoryEntry, Trainer

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
_F4_SPAN = float(np.finfo(np.float32).max)  # a wider span overflows float32 arithmetic


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj, option=_OPTIONS)


def _b64(a: np.ndarray) -> orjson.Fragment:
    # A ready JSON string: base64 needs no escaping, so orjson copies it without a scan.
    return orjson.Fragment(b'"' + binascii.b2a_base64(a.tobytes(), newline=False) + b'"')


def typed_array(a: np.ndarray) -> dict:
    """A float32 typed array: little-endian bytes in base64, shape as "d0,d1,..."."""
    a = np.ascontiguousarray(a, dtype="<f4")
    return {"dtype": "f4", "bdata": _b64(a), "shape": ",".join(str(n) for n in a.shape)}


def quantized_array(a: np.ndarray) -> dict:
    """An 8-bit typed array of a (any shape) with its range: a ~ lo + (hi - lo) * q / 255."""
    lo, hi = float(a.min()), float(a.max())
    if not (math.isfinite(lo) and math.isfinite(hi) and hi - lo < _F4_SPAN):
        # Extreme weights overflow a float32 map (inf, nan): the range spans its finite values
        # (in float64, so a - lo cannot overflow), and the other entries are drawn at an end
        a = a.astype(np.float64)
        finite = a[np.isfinite(a)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        a = np.nan_to_num(a, nan=lo, posinf=hi, neginf=lo)
    scale = 255.0 / (hi - lo) if hi > lo else 0.0
    q = np.rint((a - lo) * scale).astype(np.uint8)
    return {
        "dtype": "u1",
        "bdata": _b64(q),
        "shape": ",".join(str(n) for n in a.shape),
        "range": [lo, hi],
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
        "input_names": g.input_names,
        "inputs": quantized_array(g.inputs) if g.inputs is not None else None,
    }
    if g.output is not None:
        # one map per class for multi-class output (K, G, G); plotly reads 2-D z arrays
        many = g.output.ndim == len(g.axes) + 1
        out["output"] = [typed_array(o) for o in g.output] if many else typed_array(g.output)
    if g.neurons is not None:
        out["neurons"] = [quantized_array(n) for n in g.neurons]
    return out


def scores(f: Frame) -> dict:
    """A frame's counters, losses and accuracies."""
    return {
        "step": f.step,
        "epoch": f.epoch,
        "loss": {
            "train": finite_or_none(f.loss_train),
            "test": finite_or_none(f.loss_test),
            "penalty": finite_or_none(f.penalty),
            "batch": finite_or_none(f.loss_batch),  # traced frames: the mini-batch's, before
        },
        "accuracy": None
        if f.accuracy_train is None
        else {"train": f.accuracy_train, "test": f.accuracy_test},
    }


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
        **scores(f),
        "layers": layers,
        "trace_indices": f.trace_indices,
        "grid": grid_dict(f.grid) if f.grid is not None else None,
    }


def config_dict(c: Config) -> dict:
    return c.to_dict()


def data_dict(t: Trainer) -> dict:
    s, own = t.split, t.own
    X_test, y_test = (own.X_test, own.y_test) if own is not None else (s.X_test, s.y_test)
    return {
        "train": {"X": s.X_train, "y": s.y_train.astype(np.float64)},
        "test": {"X": X_test, "y": y_test.astype(np.float64)},
        "own": own is not None,
        "scaling": own.scaling.as_dict() if own is not None and own.scaling else None,
    }


def history_dict(h: HistoryEntry) -> dict:
    return {
        "step": h.step,
        "epoch": h.epoch,
        "loss_train": finite_or_none(h.loss_train),
        "loss_test": finite_or_none(h.loss_test),
        "accuracy_train": h.accuracy_train,
        "accuracy_test": h.accuracy_test,
        "grad_norm_W": [finite_or_none(v) for v in h.grad_norm_W],
    }


def session_dict(session_id: str, t: Trainer, frame: Frame, history: bool) -> dict:
    out = {
        "id": session_id,
        "config": config_dict(t.config),
        "data": data_dict(t),
        "frame": frame_dict(frame),
    }
    if history:
        out["history"] = [history_dict(h) for h in t.history]
        out["timeline"] = timeline_dict(t)
    return out


def timeline_dict(t: Trainer) -> dict:
    return {
        "steps": t.recorded_steps(),
        "abandoned": [history_dict(h) for h in t.abandoned],
    }


def example_dict(r: ExampleRecord, features: tuple[str, ...]) -> dict:
    return {
        "index": r.index,
        "x": r.x,
        "a0": r.a0,
        "features": list(features),
        "layers": [
            {"z": el.z, "a": el.a, "dz": el.dz, "da": el.da, "dW": el.dW, "db": el.db}
            for el in r.layers
        ],
        "loss": finite_or_none(r.loss),
        "prediction": r.prediction,
        "label": r.label,
    }


def gradcheck_dict(checks: list[LayerCheck], examples: int) -> dict:
    return {
        "examples": examples,
        "layers": [
            {
                "layer": c.layer,
                "error": finite_or_none(c.error),
                "error_W": finite_or_none(c.error_W),
                "error_b": finite_or_none(c.error_b),
                "dW": c.dW,
                "dW_numerical": c.dW_numerical,  # NaN (not sampled) is written as null
                "db": c.db,
                "db_numerical": c.db_numerical,
            }
            for c in checks
        ],
    }
