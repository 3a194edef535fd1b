"""Every equation the page typesets, written out as the notes write it, with its numbers: one
example's forward and backward pass, one neuron's, and one weight's gradient and update.

Each equation is LaTeX (the notation of the course) and MathML made from it by latex2mathml
(through app/mathml.py, which makes it safe to insert); browsers render it natively: the page
shows real typeset math and needs no script for it.
Matrices larger than MAX_SHOWN in a dimension are elided with dots. Titles are English keys the
page translates (static/js/lang/zh.js), with their {name}s filled from the equation's params;
the formulas themselves hold no words.
"""

from __future__ import annotations

import numpy as np

from nncore.activations import get_activation
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


def _factor(v: float) -> str:
    """A number as an operand: in parentheses when negative or a power of ten."""
    s = _num(v)
    return f"({s})" if s.startswith("-") or r"\times" in s else s


def _g(activation: str) -> str:
    """The activation's symbol: sigma, tanh, or its name upright (a bare _ is a subscript)."""
    name = activation.replace("_", r"\_")
    return {"sigmoid": r"\sigma", "tanh": r"\tanh"}.get(activation, rf"\mathrm{{{name}}}")


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


# Where the notes print a formula wrong, the page says so under the right one (English keys,
# translated on the page), so that a student holding the notes is not left wondering.
NOTES_PRINT = {
    "tanh": "The notes (000) print (1 − A)² here; the slope of tanh is 1 − A².",
    "softmax": "The notes (002) write softmax as x_i / Σ x_j, without the exponentials; "
    "it is e^(z_i) / Σ_k e^(z_k).",
    "db": "The notes (003) print 1/n here; the mean is over the m examples of the mini-batch: 1/m.",
}


def _eq(kind: str, title: str, latex: str, note: str | None = None, **params: float | str) -> dict:
    eq = {"kind": kind, "title": title, "params": params, "latex": latex}
    eq["mathml"] = to_mathml(latex)
    if note:
        eq["note"] = NOTES_PRINT[note]
    return eq


def _slope_vector(activation: str, l: int, z: np.ndarray, a: np.ndarray) -> tuple[str, str | None]:
    """g'(z[l]) of a hidden layer for one example, in closed form with its numbers, and the
    notes' misprint to point out (if any)."""
    value = get_activation(activation).derivative(z, a)
    sup = f"^{{[{l}]}}"
    head = rf"g^{{[{l}]\prime}}(z{sup}) = "
    closed = {
        "sigmoid": rf"a{sup} * (1 - a{sup}) = {_matrix(a)} * (1 - {_matrix(a)}) = ",
        "tanh": rf"1 - (a{sup})^{{2}} = 1 - {_matrix(a)}^{{2}} = ",
        "relu": r"\begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases} = ",
        "leaky_relu": r"\begin{cases} 1 & z > 0 \\ 0.01 & z \le 0 \end{cases} = ",
    }.get(activation, "")  # linear: 1
    return head + closed + _matrix(value), "tanh" if activation == "tanh" else None


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
        g = _g(activations[l - 1])
        if activations[l - 1] == "softmax":  # written out: the notes drop the exponentials
            sup = f"^{{[{l}]}}"
            latex = (
                rf"a_{{k}}{sup} = \frac{{e^{{z_{{k}}{sup}}}}}{{\sum_{{j}} e^{{z_{{j}}{sup}}}}} = "
                rf"{_matrix(layer.a)}"
            )
            out.append(_eq("forward", f"Layer {l}: a", latex, note="softmax"))
        else:
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
            slope, note = _slope_vector(activations[l - 1], l, layer.z, layer.a)
            out.append(_eq("backward", f"Layer {l}: g′(z)", slope, note=note))
            slopes = get_activation(activations[l - 1]).derivative(layer.z, layer.a)
            out.append(
                _eq(
                    "backward",
                    f"Layer {l}: dz",
                    rf"dz^{{[{l}]}} = da^{{[{l}]}} * g^{{[{l}]\prime}}(z^{{[{l}]}}) = "
                    rf"{_matrix(layer.da)} * {_matrix(slopes)} = {_matrix(layer.dz)}",
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


# The titles of a neuron's and a weight's equations: English keys the page translates.
NEURON_TITLES = {
    "weights": "Its weights and bias",
    "z": "Its weighted input, example #{i}",
    "a": "Its activation",
    "slope": "Its slope g′ at this z",
    "softmax": "softmax: each output depends on every z of the layer",
}
WEIGHT_TITLES = {
    "now": "The weight now",
    "example": "Example #{i}'s gradient",
    "batch": "The last mini-batch's gradient (the mean over its examples)",
    "sgd": "The last update (gradient descent)",
    "one": "The last update",
    "many": "The last {n} updates",
}
TITLES = (*NEURON_TITLES.values(), *WEIGHT_TITLES.values())


def _slope(
    activation: str, l: int, j: int, z: np.ndarray, a: np.ndarray
) -> tuple[str, str, str | None]:
    """The title and the derivative of unit j's activation at its z, in closed form with its
    numbers. z, a: the whole layer's (softmax couples them: a column of its Jacobian)."""
    g, s, sup = _g(activation), f"_{{{j + 1}}}^{{[{l}]}}", f"^{{[{l}]}}"
    zj, aj = float(z[j]), float(a[j])
    if activation == "softmax":
        column = a * ((np.arange(a.size) == j) - aj)  # d a_k / d z_j = a_k (delta_kj - a_j)
        latex = (
            rf"\frac{{\partial a_{{k}}{sup}}}{{\partial z{s}}} = "
            rf"a_{{k}}{sup}\left(\delta_{{k{j + 1}}} - a{s}\right) = {_matrix(column)}"
        )
        return NEURON_TITLES["softmax"], latex, None
    value = float(get_activation(activation).derivative(z[j : j + 1], a[j : j + 1])[0])
    head = rf"{g}'(z{s}) = "
    if activation in ("relu", "leaky_relu"):
        side = "z > 0" if zj > 0 else r"z \le 0"
        latex = rf"{head}{g}'({_num(zj)}) = {_num(value)} \quad ({side})"
        return NEURON_TITLES["slope"], latex, None
    body = {
        "sigmoid": rf"\sigma\left(1 - \sigma\right) = {_factor(aj)} \times (1 - {_num(aj)}) = ",
        "tanh": rf"1 - \tanh^{{2}} z{s} = 1 - {_factor(aj)}^{{2}} = ",
    }.get(activation, "")  # linear: g' = 1
    note = "tanh" if activation == "tanh" else None
    return NEURON_TITLES["slope"], head + body + _num(value), note


def neuron_equations(
    l: int,
    j: int,
    W: np.ndarray,
    b: np.ndarray,
    a_prev: np.ndarray,
    z: np.ndarray,
    a: np.ndarray,
    activation: str,
    index: int,
) -> list[dict]:
    """Unit j (0-based) of layer l for one example: its weights w_j (row j of W) and bias,
    z_j = w_j^T a^[l-1] + b_j, a_j = g(z_j), and g'(z_j). z, a: the layer's, for this example."""
    sub, sup = f"_{{{j + 1}}}", f"^{{[{l}]}}"
    s = sub + sup
    w, bj, zj = W[j], float(b[j]), float(z[j])
    return [
        _eq(
            "forward",
            NEURON_TITLES["weights"],
            rf"w{s} = {_matrix(w)}, \quad b{s} = {_num(bj)}",
        ),
        _eq(
            "forward",
            NEURON_TITLES["z"],
            rf"z{s} = w{sub}^{{[{l}]T}} a^{{[{l - 1}]}} + b{s} = {_matrix(w[None, :])} "
            rf"{_matrix(a_prev)} + {_factor(bj)} = {_num(zj)}",
            i=index,
        ),
        _eq(
            "forward",
            NEURON_TITLES["a"],
            (
                rf"a{s} = \mathrm{{softmax}}(z^{{[{l}]}})_{{{j + 1}}} = {_num(float(a[j]))}"
                if activation == "softmax"
                else rf"a{s} = {_g(activation)}(z{s}) = {_g(activation)}({_num(zj)}) = "
                + _num(float(a[j]))
            ),
        ),
        _eq("backward", *_slope(activation, l, j, z, a)),
    ]


def weight_equations(
    l: int,
    j: int,
    k: int,
    w: float,
    dz: float,
    a_prev: float,
    dW: float,
    index: int,
    before: float | None = None,
    updates: int = 1,
    sgd_rate: float | None = None,
) -> list[dict]:
    """W[l][j, k] now, one example's dW = dz_j a_k, the last mini-batch's dW (the frame's), and,
    given the value before, the last update(s). sgd_rate: the learning rate when the update was
    plain gradient descent (no momentum, Adam or penalty); then one update is written out as
    W - alpha dW, if that is what gave w."""
    s = f"_{{{j + 1},{k + 1}}}^{{[{l}]}}"
    out = [
        _eq("forward", WEIGHT_TITLES["now"], rf"W{s} = {_num(w)}"),
        _eq(
            "backward",
            WEIGHT_TITLES["example"],
            rf"dW{s} = dz_{{{j + 1}}}^{{[{l}]}}\, a_{{{k + 1}}}^{{[{l - 1}]}} = "
            rf"{_factor(dz)} \times {_factor(a_prev)} = {_num(dz * a_prev)}",
            i=index,
        ),
        _eq(
            "backward",
            WEIGHT_TITLES["batch"],
            rf"dW{s} = \frac{{1}}{{m}} \sum_{{i}} dz_{{{j + 1}}}^{{[{l}](i)}}\, "
            rf"a_{{{k + 1}}}^{{[{l - 1}](i)}} = {_num(dW)}",
        ),
    ]
    if before is None:
        return out
    stepped = sgd_rate is not None and updates == 1
    if stepped and abs(before - sgd_rate * dW - w) <= 1e-12 * max(1.0, abs(w)):
        latex = (
            rf"W{s} \coloneqq W{s} - \alpha\, dW{s} = {_num(before)} - {_factor(sgd_rate)} \times "
            rf"{_factor(dW)} = {_num(w)}"
        )
        out.append(_eq("update", WEIGHT_TITLES["sgd"], latex))
    else:
        title = WEIGHT_TITLES["one" if updates == 1 else "many"]
        out.append(_eq("update", title, rf"W{s}: {_num(before)} \to {_num(w)}", n=updates))
    return out
