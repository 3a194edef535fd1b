"""The last mini-batch written out as the notes write it: X (n[0], m) with one column per
example, Z[l] = W[l] A[l-1] + b[l] with b added to every column, and the backward pass with
dW = (1/m) dZ A^T, db = (1/m) np.sum(dZ, axis=1, keepdims=True), dA[l-1] = W[l]^T dZ[l].

A batch matrix shows its first COLUMNS columns, then dots and its last one; rows are elided as
in app/equations.py. Each equation carries its symbol and its shape, in the notes' letters and
in numbers, for the page to title it.
"""

from __future__ import annotations

import numpy as np

from nncore.trainer import BatchRecord

from .equations import MAX_SHOWN, _eq, _matrix, _num

COLUMNS = 3  # a batch matrix shows columns 1..COLUMNS, then \cdots and column m


def _shown(n: int, keep: int) -> list[int]:
    """Indices shown of a side of length n: all, or the first `keep` and the last."""
    return list(range(n)) if n <= keep + 1 else [*range(keep), n - 1]


def _columns(M: np.ndarray) -> str:
    """A batch matrix (n, m): its first columns, \\cdots, its last; long columns elided."""
    rows, cols = M.shape
    r_idx, c_idx = _shown(rows, MAX_SHOWN - 1), _shown(cols, COLUMNS)
    lines = []
    for i, r in enumerate(r_idx):
        cells = [_num(M[r, c]) for c in c_idx]
        if len(c_idx) < cols:
            cells.insert(COLUMNS, r"\cdots")
        lines.append(" & ".join(cells))
        if len(r_idx) < rows and i == len(r_idx) - 2:
            lines.append(" & ".join([r"\vdots"] * len(cells)))
    return r"\begin{pmatrix}" + r" \\ ".join(lines) + r"\end{pmatrix}"


def _examples(m: int) -> str:
    """The notes' row of column names: x^{(1)} x^{(2)} x^{(3)} ... x^{(m)}."""
    names = [rf"x^{{({i + 1})}}" for i in _shown(m, COLUMNS)]
    if m > COLUMNS + 1:
        names.insert(COLUMNS, r"\cdots")
    return r"\begin{pmatrix}" + " & ".join(names) + r"\end{pmatrix}"


def _g(activation: str) -> str:
    name = activation.replace("_", r"\_")  # a bare _ starts a subscript
    return {"softmax": r"\mathrm{softmax}", "sigmoid": r"\sigma"}.get(
        activation, rf"\mathrm{{{name}}}"
    )


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ")"


def _entry(
    kind: str, name: str, layer: int | None, letters: str, shape, latex: str, note=None
) -> dict:
    """An equation with what the page titles it by: its symbol (Z[1]), layer and shape, in the
    notes' letters and in numbers: "(n[1], m) = (4, 10)"."""
    symbol = name if layer is None else f"{name}[{layer}]"
    title = symbol if layer is None else f"Layer {layer}: {name}"
    eq = _eq(kind, title, latex, note=note)
    eq.update(name=name, layer=layer, symbol=symbol, shape=list(shape))
    eq["shape_text"] = f"{letters} = {_shape(shape)}" if letters else ""
    return eq


def _forward(b: BatchRecord) -> list[dict]:
    m, out = b.X.shape[1], []
    X = rf"X = A^{{[0]}} = {_examples(m)} = {_columns(b.X)}"
    out.append(_entry("forward", "X", None, "(n[0], m)", b.X.shape, X))
    for l, (layer, c) in enumerate(zip(b.net.layers, b.caches, strict=True), start=1):
        W = layer.W
        bias = np.repeat(layer.b, m, axis=1)  # b (n[l], 1) added to each of the m columns
        # W A first, then b added to every column: one "=" each, so a line breaks between
        Z = (
            rf"Z^{{[{l}]}} = W^{{[{l}]}} A^{{[{l - 1}]}} + b^{{[{l}]}} = {_matrix(W)} "
            rf"{_columns(c.A_prev)} + b^{{[{l}]}} = {_columns(W @ c.A_prev)} + {_columns(bias)} "
            rf"= {_columns(c.Z)}"
        )
        product = (
            f"(n[{l}], m) = {_shape(W.shape)} {_shape(c.A_prev.shape)} + {_shape(layer.b.shape)}"
        )
        out.append(_entry("forward", "Z", l, product, c.Z.shape, Z))
        A = rf"A^{{[{l}]}} = {_g(layer.activation)}(Z^{{[{l}]}}) = {_columns(c.A)}"
        out.append(_entry("forward", "A", l, f"(n[{l}], m)", c.A.shape, A))
    return out


def _loss(b: BatchRecord, problem: str) -> list[dict]:
    L = b.net.L
    label = r"Y\ \text{(one-hot)}" if problem == "multiclass" else "Y"
    J = (
        rf"J = \frac{{1}}{{m}} \sum_{{i=1}}^{{m}} \mathcal{{L}}(a^{{[{L}](i)}}, y^{{(i)}}) = "
        + _num(b.loss)
    )
    return [
        _entry("loss", "Y", None, f"(n[{L}], m)", b.Y.shape, rf"{label} = {_columns(b.Y)}"),
        _entry("loss", "J", None, "", (), J),
    ]


def _backward(b: BatchRecord) -> list[dict]:
    m, L, out = b.X.shape[1], b.net.L, []
    frac = rf"\frac{{1}}{{{m}}}"
    for l in range(L, 0, -1):
        c, g, W = b.caches[l - 1], b.grads[l - 1], b.net.layers[l - 1].W
        if l == L:
            dZ = rf"dZ^{{[{l}]}} = A^{{[{l}]}} - Y = {_columns(g.dZ)}"
        else:
            dZ = rf"dZ^{{[{l}]}} = dA^{{[{l}]}} * g^{{[{l}]\prime}}(Z^{{[{l}]}}) = {_columns(g.dZ)}"
        out.append(_entry("backward", "dZ", l, f"(n[{l}], m)", g.dZ.shape, dZ))
        dW = (
            rf"dW^{{[{l}]}} = \frac{{1}}{{m}} dZ^{{[{l}]}} A^{{[{l - 1}]T}} = "
            rf"{frac} {_matrix(g.dZ @ c.A_prev.T)} = {_matrix(g.dW)}"
        )
        out.append(_entry("backward", "dW", l, f"(n[{l}], n[{l - 1}])", g.dW.shape, dW))
        db = (
            rf"db^{{[{l}]}} = \frac{{1}}{{m}} \texttt{{np.sum(}}dZ^{{[{l}]}}"
            rf"\texttt{{, axis=1, keepdims=True)}} = "
            rf"{frac} {_matrix(np.sum(g.dZ, axis=1, keepdims=True))} = {_matrix(g.db)}"
        )
        out.append(_entry("backward", "db", l, f"(n[{l}], 1)", g.db.shape, db, note="db"))
        if l > 1:
            dA = (
                rf"dA^{{[{l - 1}]}} = W^{{[{l}]T}} dZ^{{[{l}]}} = {_matrix(W.T)} "
                rf"{_columns(g.dZ)} = {_columns(g.dA_prev)}"
            )
            out.append(_entry("backward", "dA", l - 1, f"(n[{l - 1}], m)", g.dA_prev.shape, dA))
    return out


def batch_equations(b: BatchRecord, problem: str) -> list[dict]:
    """Forward (X, then Z and A per layer), the loss, backward (dZ, dW, db, dA per layer)."""
    return [*_forward(b), *_loss(b, problem), *_backward(b)]


def batch_view(b: BatchRecord, problem: str) -> dict:
    """The response: the equations, every matrix's shape, and which columns are shown."""
    eqs = batch_equations(b, problem)
    m = b.X.shape[1]
    return {
        "step": b.step,
        "m": m,
        "indices": b.indices,
        "columns": _shown(m, COLUMNS),
        "loss": b.loss,
        "shapes": {eq["symbol"]: eq["shape"] for eq in eqs if eq["shape"]},
        "equations": eqs,
    }
