"""What the students' devices receive of the teacher's session: a reduced frame and the setup.

A student frame is the teacher's frame made small enough for a room of phones on one Wi-Fi:
the output map at most STUDENT_GRID points a side and the neurons' (and inputs') maps at most
STUDENT_NEURON, every map 8-bit ("u1" typed arrays with their range, as the teacher's neuron
maps already are), weights and gradients as float32 numbers, no traced examples. The maps
keep every s-th point of the teacher's grid (with their coordinates in x and y), so nothing is
computed again. The setup is the configuration, the data and the maps' coordinates and input
thumbnails (student_maps): sent when they change, not with every frame.
"""

from __future__ import annotations

import math

import numpy as np

from nncore.grid import GridMaps
from nncore.trainer import Frame, Trainer

from .serialize import config_dict, data_dict, dumps, finite_or_none, quantized_array, scores

STUDENT_GRID = 50
STUDENT_NEURON = 16


def _every(a: np.ndarray, s: int, d: int) -> np.ndarray:
    """Every s-th point along the last d axes (the map's; the first may count maps)."""
    return a[(Ellipsis, *(slice(None, None, s),) * d)]


def _stride(resolution: int, most: int) -> int:
    return max(1, math.ceil(resolution / most))


def _f4(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float32)  # shortest float32 digits: half the JSON


def student_maps(g: GridMaps) -> dict:
    """The parts of the reduced grid that change only with the data or the features: the
    coordinates and the input features' thumbnails (sent in the setup, not in every frame)."""
    d = len(g.axes)
    s, r = _stride(g.resolution, STUDENT_GRID), _stride(g.neuron_resolution, STUDENT_NEURON)
    return {
        "resolution": len(g.axes[0][::s]),
        "x": _f4(g.axes[0][::s]),
        "y": _f4(g.axes[1][::s]) if d > 1 else None,
        "neuron_resolution": len(range(0, g.neuron_resolution, r)),
        "input_names": g.input_names,
        "inputs": quantized_array(_every(g.inputs, r, d)) if g.inputs is not None else None,
    }


def student_grid(g: GridMaps) -> dict:
    """The maps that change with every step, reduced: the output's and the neurons'."""
    d = len(g.axes)
    s, r = _stride(g.resolution, STUDENT_GRID), _stride(g.neuron_resolution, STUDENT_NEURON)
    out: dict = {"output": None, "neurons": None}
    if g.output is not None:
        small = _every(g.output, s, d)
        many = small.ndim == d + 1  # one map per class
        out["output"] = [quantized_array(o) for o in small] if many else quantized_array(small)
    if g.neurons is not None:
        out["neurons"] = [quantized_array(_every(n, r, d)) for n in g.neurons]
    return out


def student_frame(f: Frame, grid: dict | None) -> dict:
    """The reduced frame of f, with `grid` (student_grid of its maps, or older ones)."""
    return {
        **scores(f),
        "layers": [
            {
                "activation": lf.activation,
                "W": _f4(lf.W),
                "b": _f4(lf.b),
                "dW": _f4(lf.dW),
                "db": _f4(lf.db),
                "grad_norm": {
                    "W": finite_or_none(lf.grad_norm_W),
                    "b": finite_or_none(lf.grad_norm_b),
                },
            }
            for lf in f.layers
        ],
        "grid": grid,
    }


def setup_parts(t: Trainer) -> dict[str, bytes]:
    """The configuration and the data, as JSON: what a student view draws the frames over."""
    return {"config": dumps(config_dict(t.config)), "data": dumps(data_dict(t))}


def sizes(f: Frame) -> tuple[int, ...]:
    """The network's layer sizes, to tell whether an older grid still fits a frame."""
    return (f.layers[0].W.shape[1], *(lf.W.shape[0] for lf in f.layers))
