"""Optimizers and weight penalties over the network's flat parameter vector.

Every optimizer updates all layers at once: params and grads are the flat vectors of
Network (every W, then every b), so one update is a handful of NumPy calls whatever the depth.
Momentum and Adam follow the deep-learning course's forms (exponentially weighted averages with
(1 - beta), Adam with bias correction).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError


class Optimizer:
    name = ""
    label = ""
    latex = ""

    def __init__(self, n_params: int, momentum: float = 0.9):
        self.momentum = momentum
        self.t = 0
        self.slots = self._new_slots(n_params)

    def _new_slots(self, n: int) -> list[np.ndarray]:
        return []

    def update(self, params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        """params -= lr * (the optimizer's step for grads), in place."""
        raise NotImplementedError

    def snapshot(self) -> tuple[int, list[np.ndarray]]:
        return self.t, [s.copy() for s in self.slots]

    def restore(self, snap: tuple[int, list[np.ndarray]]) -> None:
        self.t = snap[0]
        for s, saved in zip(self.slots, snap[1], strict=True):
            s[...] = saved

    def remap(self, index: np.ndarray) -> None:
        """Follow a change of network shape: new entry i takes old entry index[i], or 0 if -1."""
        keep = index >= 0
        for k, s in enumerate(self.slots):
            new = np.zeros(index.size)
            new[keep] = s[index[keep]]
            self.slots[k] = new


class SGD(Optimizer):
    name = "sgd"
    label = "Gradient descent"
    latex = r"W := W - \alpha\, dW"

    def update(self, params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        params -= lr * grads


class Momentum(Optimizer):
    name = "momentum"
    label = "Momentum"
    latex = r"v := \beta v + (1-\beta)\, dW,\quad W := W - \alpha v"

    def _new_slots(self, n: int) -> list[np.ndarray]:
        return [np.zeros(n)]

    def update(self, params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        v = self.slots[0]
        v *= self.momentum
        v += (1.0 - self.momentum) * grads
        params -= lr * v
        self.t += 1


class Adam(Optimizer):
    name = "adam"
    label = "Adam"
    latex = (
        r"v := \beta_1 v + (1-\beta_1) dW,\ s := \beta_2 s + (1-\beta_2) dW^2,\ "
        r"W := W - \alpha \frac{\hat v}{\sqrt{\hat s}+\epsilon}"
    )
    beta2 = 0.999
    eps = 1e-8

    def _new_slots(self, n: int) -> list[np.ndarray]:
        return [np.zeros(n), np.zeros(n)]

    def update(self, params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        v, s = self.slots
        b1, b2 = self.momentum, self.beta2
        self.t += 1
        v *= b1
        v += (1.0 - b1) * grads
        s *= b2
        s += (1.0 - b2) * (grads * grads)
        # Bias corrections folded into the step size and epsilon: two scalars, no extra arrays.
        step = lr * np.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t)
        denom = np.sqrt(s)
        denom += self.eps * np.sqrt(1.0 - b2**self.t)
        params -= step * (v / denom)


OPTIMIZERS: dict[str, type[Optimizer]] = {o.name: o for o in (SGD, Momentum, Adam)}


def make_optimizer(name: str, n_params: int, momentum: float = 0.9) -> Optimizer:
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise InputError(
            "optimizer", f"unknown optimizer {name!r}; allowed: {', '.join(OPTIMIZERS)}"
        ) from None
    return cls(n_params, momentum)


@dataclass
class Penalty:
    """L1 and L2 weight penalties on the W entries (never the biases).

    penalty = l1 * sum|W| + (l2 / 2) * sum W^2, added to the data loss; its gradient
    l1 * sign(W) + l2 * W is added to dW before the update. The rates do not depend on m, so
    changing the batch size does not change the penalty.
    """

    l1: float = 0.0
    l2: float = 0.0

    @property
    def active(self) -> bool:
        return self.l1 > 0 or self.l2 > 0

    def value(self, weights: np.ndarray) -> float:
        v = 0.0
        if self.l1:
            v += self.l1 * float(np.abs(weights).sum())
        if self.l2:
            v += 0.5 * self.l2 * float(np.vdot(weights, weights))
        return v

    def total_gradient(self, grads: np.ndarray, params: np.ndarray, n_weights: int) -> np.ndarray:
        """grads plus the penalty's gradient on the first n_weights entries (a new array)."""
        g = grads.copy()
        w = params[:n_weights]
        if self.l1:
            g[:n_weights] += self.l1 * np.sign(w)
        if self.l2:
            g[:n_weights] += self.l2 * w
        return g
