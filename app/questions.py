"""The kinds of class question: their choices, and what the server can see happen.

    loss      will the training loss go up or down after the reveal's step(s)?  [up, down]
    gradient  which layer has the largest gradient norm ||dW[l]|| after it?      [layer 1..L]
    weight    will |W[l][j, k]| (or |b[l][j]|) grow or shrink?  target {layer, row, col}
    point     which class will the network give training example i?  target {index}
    faster    which of two settings will train faster?  (two choices; the teacher marks it)
    choice    free multiple choice  (2..max_choices; the teacher may mark the right one)

For the first four the server observes the session before and after the step and says which
choice was right (`what_happened`); for the last two the teacher's reveal may name it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nncore.errors import InputError
from nncore.limits import Limits
from nncore.trainer import Trainer

KINDS = ("loss", "gradient", "weight", "point", "faster", "choice")
OBSERVED = ("loss", "gradient", "weight", "point")


def _default_choices(kind: str, t: Trainer) -> list[str] | None:
    if kind == "loss":
        return ["up", "down"]
    if kind == "weight":
        return ["grow", "shrink"]
    if kind == "gradient":
        return [f"layer {l}" for l in range(1, t.net.L + 1)]
    if kind == "point":
        return [f"class {k}" for k in range(t.net.sizes[-1] if t.net.sizes[-1] > 1 else 2)]
    return None


def _check_target(kind: str, target: dict | None, t: Trainer) -> dict | None:
    if kind == "weight":
        if target is None or target.get("layer") is None or target.get("row") is None:
            raise InputError("target", "a weight question names {layer, row, col}")
        layer, row, col = target["layer"], target["row"], target.get("col")
        if not 1 <= layer <= t.net.L:
            raise InputError("target.layer", f"must be 1..{t.net.L}, got {layer}")
        W = t.net.layers[layer - 1].W
        if not 0 <= row < W.shape[0]:
            raise InputError("target.row", f"must be 0..{W.shape[0] - 1}, got {row}")
        if col is not None and not 0 <= col < W.shape[1]:
            raise InputError("target.col", f"must be 0..{W.shape[1] - 1} or null, got {col}")
        return {"layer": layer, "row": row, "col": col}
    if kind == "point":
        if t.problem.name == "regression":
            raise InputError("kind", "a point question needs classes; this session regresses")
        if target is None or target.get("index") is None:
            raise InputError("target", "a point question names {index} of a training example")
        index = target["index"]
        if not 0 <= index < t.m_train:
            raise InputError("target.index", f"must be 0..{t.m_train - 1}, got {index}")
        return {"index": index}
    if target is not None:
        raise InputError("target", f"a {kind} question takes no target")
    return None


def check(
    kind: str, choices: list[str] | None, target: dict | None, t: Trainer, lim: Limits
) -> tuple[list[str], dict | None]:
    """The question's choices (the kind's own when none are given) and its target, checked
    against the session; InputError naming the field."""
    target = _check_target(kind, target, t)
    default = _default_choices(kind, t)
    if choices is None:
        if default is None:
            raise InputError("choices", f"a {kind} question needs its choices")
        return default, target
    if default is not None and len(choices) != len(default):
        raise InputError("choices", f"a {kind} question here has {len(default)} choices")
    if kind == "faster" and len(choices) != 2:
        raise InputError("choices", "a faster question has 2 choices (the two settings)")
    if not 2 <= len(choices) <= lim.max_choices:
        raise InputError("choices", f"2..{lim.max_choices} choices")
    return choices, target


def observe(kind: str, target: dict | None, t: Trainer) -> Any:
    """What the question looks at in the session now (None if it no longer exists there)."""
    if kind == "loss":
        return t.evaluate()[0]
    if kind == "gradient":
        return [float(v) for v in t.net.grad_norms()[0]]
    if kind == "weight":
        layer, row, col = target["layer"], target["row"], target["col"]
        if layer > t.net.L:
            return None
        a = t.net.layers[layer - 1].W if col is not None else t.net.layers[layer - 1].b
        c = col if col is not None else 0
        return float(a[row, c]) if row < a.shape[0] and c < a.shape[1] else None
    if kind == "point":
        i = target["index"]
        if i >= t.m_train or t.problem.name == "regression":
            return None
        return int(t.net.predict(t.X_train[:, i : i + 1])[0])
    return None


def _finite(v: Any) -> bool:
    return v is not None and bool(np.all(np.isfinite(v)))


def what_happened(
    kind: str, before: Any, after: Any, n_choices: int, answer: int | None, t: Trainer
) -> dict:
    """The right choice (or None when no choice was right or it cannot be told) and the values
    it was read from."""
    out: dict[str, Any] = {"answer": None, "before": None, "after": None, "values": None}
    out.update(step=t.step_count, epoch=t.epoch)
    if kind not in OBSERVED:
        out["answer"] = answer
        return out
    if kind == "gradient":
        if _finite(after) and len(after) == n_choices:
            out["values"] = after
            out["answer"] = int(np.argmax(after))
        return out
    if not (_finite(before) and _finite(after)):
        return out
    out["before"], out["after"] = before, after
    if kind == "loss" and after != before:
        out["answer"] = 0 if after > before else 1
    elif kind == "weight" and abs(after) != abs(before):
        out["answer"] = 0 if abs(after) > abs(before) else 1
    elif kind == "point" and 0 <= after < n_choices:
        out["answer"] = after
    return out
