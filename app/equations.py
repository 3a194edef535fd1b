"""One example's forward and backward pass written out as the notes write it, with its numbers.

Each equation is LaTeX (the notation of the course) and MathML made from it by latex2mathml
(through app/mathml.py, which makes it safe to insert); browsers render it natively: the page
shows real typeset math and needs no script for it.
Matrices larger than MAX_SHOWN in a dimension are elided with dots.
"""

from __future__ import annotations

import numpy as np

from nncore.trainer import ExampleRecord

from .mathml import to_mathml

MAX_SHOWN = 6


def _num(v: float) -> str:
    """Three significant digits; very small or large values as m x 10^k (not 2.70e-05)."""
    s = f"{v:.3g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.2e}"
    if "e" not in s:
        return s
    mantissa, exponent = s.split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def _matrix(M: np.ndarray) -> str:
    """A vector (n,) as a column, a matrix as rows; long sides elided."""
    M = np.atleast_2d(M if M.ndim == 2 else M[:, None])
    rows, cols = M.shape
    r_idx = list(range(rows)) if rows <= MAX_SHOWN else [*range(MAX_SHOWN - 1), rows - 1]
    c_idx = list(range(cols)) if cols <= MAX_SHOWN else [*range(MAX_SHOWN - 1), cols - 1]
    lines = []
    for i, r in enumerate(r_idx):
        cells = [_num(M[r, c]) for c in c_idx]
        if cols > MAX_SHOWN:
            cells.insert(len(cells) - 1, r"\cdots")
        lines.append(" & ".join(cells))
        if rows > MAX_SHOWN and i == len(r_idx) - 2:
            lines.append(" & ".join([r"\vdots"] * len(cells)))
    return r"\begin{pmatrix}" + r" \\ ".join(lines) + r"\end{pmatrix}"


def _eq(kind: str, title: str, latex: str) -> dict:
    return {"kind": kind, "title": title, "latex": latex, "mathml": to_mathml(latex)}


def example_equations(
    r: ExampleRecord,
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    activations: list[str],
    problem: str,
) -> list[dict]:
    """Forward (z, a per layer), the loss, and backward (dz, dW, db, da per layer)."""
    L = len(r.layers)
    out = []
    a_prev = r.a0
    for l, (layer, W, b) in enumerate(zip(r.layers, weights, biases, strict=True), start=1):
        out.append(
            _eq(
                "forward",
                f"Layer {l}: z",
                rf"z^{{[{l}]}} = W^{{[{l}]}} a^{{[{l - 1}]}} + b^{{[{l}]}} = {_matrix(W)} "
                rf"{_matrix(a_prev)} + {_matrix(b)} = {_matrix(layer.z)}",
            )
        )
        name = activations[l - 1].replace("_", r"\_")  # a bare _ starts a subscript
        g = {"softmax": r"\mathrm{softmax}", "sigmoid": r"\sigma"}.get(
            activations[l - 1], rf"\mathrm{{{name}}}"
        )
        out.append(
            _eq(
                "forward",
                f"Layer {l}: a",
                rf"a^{{[{l}]}} = {g}(z^{{[{l}]}}) = {_matrix(layer.a)}",
            )
        )
        a_prev = layer.a
    y = _num(r.label)
    loss = {
        "binary": rf"\mathcal{{L}} = -\left(y \log a + (1-y)\log(1-a)\right) = {_num(r.loss)}",
        "multiclass": rf"\mathcal{{L}} = -\log a_{{y}} = {_num(r.loss)}",
        "regression": rf"\mathcal{{L}} = \tfrac{{1}}{{2}}(a - y)^2 = {_num(r.loss)}",
    }[problem]
    out.append(_eq("loss", f"Loss (y = {y})", loss))
    for l in range(L, 0, -1):
        layer = r.layers[l - 1]
        a_prev = r.a0 if l == 1 else r.layers[l - 2].a
        if l == L:
            label = r"y\ \text{(one-hot)}" if problem == "multiclass" else "y"
            out.append(
                _eq(
                    "backward",
                    f"Layer {l}: dz",
                    rf"dz^{{[{l}]}} = a^{{[{l}]}} - {label} = {_matrix(layer.dz)}",
                )
            )
        else:
            out.append(
                _eq(
                    "backward",
                    f"Layer {l}: dz",
                    rf"dz^{{[{l}]}} = da^{{[{l}]}} * g^{{[{l}]\prime}}(z^{{[{l}]}}) = "
                    + _matrix(layer.dz),
                )
            )
        out.append(
            _eq(
                "backward",
                f"Layer {l}: dW",
                rf"dW^{{[{l}]}} = dz^{{[{l}]}} a^{{[{l - 1}]T}} = {_matrix(layer.dW)}",
            )
        )
        out.append(
            _eq("backward", f"Layer {l}: db", rf"db^{{[{l}]}} = dz^{{[{l}]}} = {_matrix(layer.db)}")
        )
        if l > 1:
            out.append(
                _eq(
                    "backward",
                    f"Layer {l - 1}: da",
                    rf"da^{{[{l - 1}]}} = W^{{[{l}]T}} dz^{{[{l}]}} = "
                    rf"{_matrix(r.layers[l - 2].da)}",
                )
            )
    return out
