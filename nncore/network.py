"""A fully connected network in the course's notation: examples are columns.

    Z[l]  = W[l] A[l-1] + b[l]            W[l]: (n[l], n[l-1]), b[l]: (n[l], 1), Z, A: (n[l], m)
    A[l]  = g[l](Z[l])
    dZ[L] = A[L] - Y                       (the output activation paired with its loss)
    dZ[l] = dA[l] * g[l]'(Z[l])
    dW[l] = (1/m) dZ[l] A[l-1]^T
    db[l] = (1/m) sum(dZ[l], axis=1)
    dA[l-1] = W[l]^T dZ[l]

All parameters live in one flat vector (every W, then every b) and each W[l], b[l] is a view
into it; the gradients likewise. The optimizer then updates every layer in one NumPy call,
and a snapshot of the whole network is one copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, get_activation
from .initializers import get_initializer
from .limits import LIMITS
from .losses import Problem, get_problem

MAX_HIDDEN_LAYERS = LIMITS.max_hidden_layers
MAX_UNITS = LIMITS.max_units


@dataclass
class Layer:
    W: np.ndarray  # (n[l], n[l-1]), a view into Network.params
    b: np.ndarray  # (n[l], 1), a view into Network.params
    activation: str


@dataclass
class Cache:
    """What the forward pass of one layer keeps for the backward pass."""

    A_prev: np.ndarray  # (n[l-1], m)
    Z: np.ndarray  # (n[l], m)
    A: np.ndarray  # (n[l], m)


@dataclass
class LayerGrads:
    """What the backward pass of one layer produces."""

    dZ: np.ndarray  # (n[l], m)
    dW: np.ndarray  # (n[l], n[l-1]), a view into Network.grads
    db: np.ndarray  # (n[l], 1), a view into Network.grads
    dA_prev: np.ndarray | None  # (n[l-1], m); for l = 1 only when the input gradient is asked


def _layout(sizes: Sequence[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """Offsets (start, stop) of every W then every b in the flat vector, and its length."""
    w_spans, b_spans, o = [], [], 0
    for n_prev, n in zip(sizes[:-1], sizes[1:], strict=True):
        w_spans.append((o, o + n * n_prev))
        o += n * n_prev
    for n in sizes[1:]:
        b_spans.append((o, o + n))
        o += n
    return w_spans, b_spans, o


class Buffers:
    """Reused float32 buffers for Network.activations, keyed by layer sizes and column count.

    Allocating fresh multi-megabyte arrays every frame costs more than computing them (page
    faults): maps and whole-set evaluations draw into these instead.
    """

    def __init__(self, dtype: type = np.float32, keep: int = 2):
        self.dtype, self.keep = dtype, keep  # keep: shapes held at once (memory is bounded)
        self._bufs: dict[tuple, list[np.ndarray]] = {}

    def get(self, net: Network, points: int) -> list[np.ndarray]:
        key = (tuple(net.sizes[1:]), points)
        bufs = self._bufs.pop(key, None)
        if bufs is None:
            while len(self._bufs) >= self.keep:  # forget the least recently used shape
                self._bufs.pop(next(iter(self._bufs)))
            bufs = [np.empty((n, points), self.dtype) for n in net.sizes[1:]]
        self._bufs[key] = bufs  # now the most recently used
        return bufs


class Network:
    """Layers of (W, b, activation); hidden activations are chosen, the output's is the problem's.

    sizes: [n[0], n[1], ..., n[L]]; hidden: the L-1 hidden activation names.
    """

    def __init__(self, sizes: Sequence[int], hidden: Sequence[str], problem: str | Problem):
        self.problem = problem if isinstance(problem, Problem) else get_problem(problem)
        sizes = [int(n) for n in sizes]
        if len(sizes) < 2 or any(n < 1 for n in sizes):
            raise ValueError(f"sizes must be at least [n0, nL] of positive counts, got {sizes}")
        if len(hidden) != len(sizes) - 2:
            raise ValueError(f"{len(sizes) - 2} hidden layers need as many activations")
        for name in hidden:
            if name not in ACTIVATIONS:
                raise ValueError(f"unknown activation {name!r}; allowed: {', '.join(ACTIVATIONS)}")
        self.sizes = sizes
        self.w_spans, self.b_spans, n_params = _layout(sizes)
        self.n_weights = self.b_spans[0][0]  # params[:n_weights] are all the W entries
        self.params = np.zeros(n_params)
        self.grads = np.zeros(n_params)
        activations = [*hidden, self.problem.output_activation]
        self.layers = [
            Layer(self._view(self.params, l, "W"), self._view(self.params, l, "b"), act)
            for l, act in enumerate(activations, start=1)
        ]
        self.dW = [self._view(self.grads, l, "W") for l in range(1, self.L + 1)]
        self.db = [self._view(self.grads, l, "b") for l in range(1, self.L + 1)]
        # dW[l-1], db[l-1]: views of the gradient of layer l in the flat self.grads
        self._g = [get_activation(a) for a in activations]
        self._ones_m = np.ones(0)
        self._w_starts = np.array([s for s, _ in self.w_spans])
        self._b_starts = np.array([s for s, _ in self.b_spans]) - self.n_weights

    @classmethod
    def initialized(
        cls,
        sizes: Sequence[int],
        hidden: Sequence[str],
        problem: str | Problem,
        init: str,
        rng: np.random.Generator,
    ) -> Network:
        """A network with W[l] drawn by the initializer `init` and b[l] = 0."""
        net = cls(sizes, hidden, problem)
        make = get_initializer(init).make
        for layer, n_prev, n in zip(net.layers, sizes[:-1], sizes[1:], strict=True):
            layer.W[...] = make(rng, n, n_prev)
        return net

    def _view(self, flat: np.ndarray, l: int, which: str) -> np.ndarray:
        n_prev, n = self.sizes[l - 1], self.sizes[l]
        if which == "W":
            s, e = self.w_spans[l - 1]
            return flat[s:e].reshape(n, n_prev)
        s, e = self.b_spans[l - 1]
        return flat[s:e].reshape(n, 1)

    @property
    def L(self) -> int:
        """Number of layers, the input layer not counted (as in the notes)."""
        return len(self.sizes) - 1

    @property
    def hidden_activations(self) -> list[str]:
        return [layer.activation for layer in self.layers[:-1]]

    def set_activation(self, l: int, name: str) -> None:
        """Give hidden layer l (1..L-1) a new activation; the weights stay."""
        if not 1 <= l < self.L:
            raise ValueError(f"layer must be a hidden layer 1..{self.L - 1}, got {l}")
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; allowed: {', '.join(ACTIVATIONS)}")
        self.layers[l - 1].activation = name
        self._g[l - 1] = ACTIVATIONS[name]

    def forward(self, X: np.ndarray) -> list[Cache]:
        """X = A[0] (n[0], m) -> one Cache per layer; the output A[L] is caches[-1].A.

        The arithmetic follows X's dtype, so float32 grids are evaluated in float32.
        """
        caches = []
        A = X
        dtype = X.dtype
        for layer, g in zip(self.layers, self._g, strict=True):
            W, b = layer.W, layer.b
            if dtype != W.dtype:
                W, b = W.astype(dtype), b.astype(dtype)
            Z = np.dot(W, A)  # np.dot: less dispatch than @ for these small BLAS calls
            Z += b
            A_next = g.forward(Z)
            caches.append(Cache(A, Z, A_next))
            A = A_next
        return caches

    def activations(
        self, X: np.ndarray, out: list[np.ndarray], output_z: bool = False
    ) -> list[np.ndarray]:
        """A[1..L] only, each computed in place in out[l-1] (n[l], m): no caches, no allocation.

        For maps over many points and whole-set losses, where the hidden Z are not needed:
        A[l] overwrites Z[l]. With output_z the last buffer keeps Z[L] (the losses start from
        it). The buffers' dtype sets the arithmetic (float32 for grids).
        """
        A = X
        for l, (layer, g, buf) in enumerate(zip(self.layers, self._g, out, strict=True), 1):
            np.matmul(layer.W.astype(buf.dtype, copy=False), A, out=buf)
            buf += layer.b.astype(buf.dtype, copy=False)
            A = buf if output_z and l == self.L else g.forward(buf, out=buf)
        return out

    def output_activation(self, Z: np.ndarray) -> np.ndarray:
        """A[L] = g[L](Z[L]) for the problem's output activation."""
        return self._g[-1].forward(Z)

    def backward(
        self, Y: np.ndarray, caches: list[Cache], input_grad: bool = False
    ) -> list[LayerGrads]:
        """Y (n[L], m) and the forward caches -> LayerGrads per layer (index 0 is layer 1).

        dW and db are written into self.grads. dA[0] (the gradient of the inputs) is computed
        only when input_grad is true: training never needs it.
        """
        m = Y.shape[1]
        ones = self._ones(m)
        out: list[LayerGrads] = [None] * self.L  # type: ignore[list-item]
        dA = None
        for l in range(self.L, 0, -1):
            c = caches[l - 1]
            dZ = c.A - Y if l == self.L else dA * self._g[l - 1].derivative(c.Z, c.A)
            dW, db = self.dW[l - 1], self.db[l - 1]
            np.dot(dZ, c.A_prev.T, out=dW)
            np.dot(dZ, ones, out=db[:, 0])  # sum over the m columns, as a BLAS call
            dA = np.dot(self.layers[l - 1].W.T, dZ) if (l > 1 or input_grad) else None
            out[l - 1] = LayerGrads(dZ, dW, db, dA)
        self.grads *= 1.0 / m  # the 1/m of every dW and db, in one call
        return out

    def _ones(self, m: int) -> np.ndarray:
        if self._ones_m.size != m:
            self._ones_m = np.ones(m)
        return self._ones_m

    def loss(self, Y: np.ndarray, caches: list[Cache]) -> float:
        """The data loss of the output Z[L] against Y (the problem's loss, mean over m)."""
        return self.problem.loss(caches[-1].Z, Y)

    def grad_norms(self) -> tuple[np.ndarray, np.ndarray]:
        """Frobenius norms of dW[l] and db[l] per layer, from the flat gradient vector."""
        sq = self.grads * self.grads
        w = np.sqrt(np.add.reduceat(sq[: self.n_weights], self._w_starts))
        b = np.sqrt(np.add.reduceat(sq[self.n_weights :], self._b_starts))
        return w, b

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.problem.predict(self.forward(X)[-1].A)

    def n_parameters(self) -> int:
        return self.params.size

    def copy(self) -> Network:
        other = Network(self.sizes, self.hidden_activations, self.problem)
        other.params[...] = self.params
        return other
