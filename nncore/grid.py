"""The network evaluated over a grid spanning the data: the output map and every neuron's map.

Grids are evaluated in float32 (they are drawn, not differentiated) in one vectorized forward
pass each: G x G points for the output, R x R points for the neurons' thumbnails. For data with
one input (the sine set) the "grid" is a line of G (or R) points and the maps are curves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .features import available_features, transform
from .network import Buffers, Network

MARGIN = 0.1  # the grid extends 10% beyond the data on each side
# Maps are evaluated this many points at a time: the buffers of a 200 x 200 map on the largest
# network stay at 4 MB instead of 41 MB (and a session keeps them for at most two shapes).
CHUNK = 4096


@dataclass(frozen=True)
class Bounds:
    lo: tuple[float, ...]  # per raw input
    hi: tuple[float, ...]

    @classmethod
    def around(cls, X_rows: np.ndarray) -> Bounds:
        """The box around data X (n, n_inputs), widened by MARGIN (and never empty)."""
        lo, hi = X_rows.min(axis=0), X_rows.max(axis=0)
        pad = np.maximum((hi - lo) * MARGIN, 0.5)
        return cls(tuple(float(v) for v in lo - pad), tuple(float(v) for v in hi + pad))


@dataclass
class GridMaps:
    resolution: int
    axes: list[np.ndarray]  # the coordinates along each raw input, (G,) each
    output: np.ndarray | None  # (G, G) for one output, (K, G, G) per class; (G,) / (K, G) for 1-D
    neuron_resolution: int
    neurons: list[np.ndarray] | None  # per layer 1..L: (n[l], R, R), or (n[l], R) for 1-D
    input_names: list[str] | None = None  # every feature this data can feed
    inputs: np.ndarray | None = None  # their maps, (k, R, R): the features' thumbnails


def axes_for(bounds: Bounds, resolution: int) -> list[np.ndarray]:
    return [np.linspace(lo, hi, resolution) for lo, hi in zip(bounds.lo, bounds.hi, strict=True)]


@dataclass
class GridEvaluator:
    """Caches the feature-mapped grid inputs: they change only with the bounds or features."""

    _cache: dict = field(default_factory=dict)
    buffers: Buffers = field(default_factory=Buffers)

    def _output(self, net: Network, X: np.ndarray) -> np.ndarray:
        """A[L] over the grid points X (n[0], P), CHUNK points at a time: (n[L], P)."""
        P = X.shape[1]
        out = np.empty((net.sizes[-1], P), np.float32)
        bufs = self.buffers.get(net, min(P, CHUNK))
        for s in range(0, P, CHUNK):
            w = min(CHUNK, P - s)
            part = bufs if w == bufs[0].shape[1] else [b[:, :w] for b in bufs]
            out[:, s : s + w] = net.activations(X[:, s : s + w], part)[-1]
        return out

    def inputs(self, features: tuple[str, ...], bounds: Bounds, resolution: int) -> np.ndarray:
        """The feature rows of the grid points, (n[0], G^d) float32; x varies fastest."""
        key = (features, bounds, resolution)
        if key not in self._cache:
            if len(self._cache) >= 3:  # the output's, the neurons' and the inputs' grids
                self._cache.pop(next(iter(self._cache)))
            axes = axes_for(bounds, resolution)
            if len(axes) == 1:
                raw = axes[0][None, :]
            else:
                gx, gy = np.meshgrid(axes[0], axes[1])  # rows follow y, columns follow x
                raw = np.stack([gx.ravel(), gy.ravel()])
            self._cache[key] = transform(features, raw.astype(np.float32))
        return self._cache[key]

    def evaluate(
        self,
        net: Network,
        features: tuple[str, ...],
        bounds: Bounds,
        resolution: int,
        neuron_resolution: int,
        output: bool = True,
        neurons: bool = False,
    ) -> GridMaps:
        d = len(bounds.lo)
        out_map = neuron_maps = None
        if output:
            X = self.inputs(features, bounds, resolution)
            out_map = _shape(self._output(net, X), resolution, d)
            if out_map.shape[0] == 1:
                out_map = out_map[0]
        if neurons:
            X = self.inputs(features, bounds, neuron_resolution)
            As = net.activations(X, self.buffers.get(net, X.shape[1]))
            neuron_maps = [_shape(A, neuron_resolution, d).copy() for A in As]
            names = available_features(d)
            inputs = _shape(
                self.inputs(tuple(names), bounds, neuron_resolution), neuron_resolution, d
            )
        return GridMaps(
            resolution,
            axes_for(bounds, resolution),
            out_map,
            neuron_resolution,
            neuron_maps,
            names if neurons else None,
            inputs if neurons else None,
        )


def _shape(A: np.ndarray, resolution: int, d: int) -> np.ndarray:
    """(n, G^d) activations -> (n, G, G) images (row i is y[i]) or (n, G) curves."""
    return A.reshape((A.shape[0],) + (resolution,) * d)
