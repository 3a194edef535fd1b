"""The vectorized gates' steps written out in LaTeX with their numbers and shapes (and as
MathML, through app/mathml.py): the circuit page's vectorized view, ||W x||^2 and max(0, x).

Each step is the notes' NumPy line, the shape of its result, its numbers, and the equation with
every matrix's shape written under it. A negative number raised to a power keeps its
parentheses: (-0.3)^2, never -0.3^2.
"""

from __future__ import annotations

import numpy as np

from nncore.circuit_vector import ReluJacobian, SquaredNorm

from .equations import _matrix, _num
from .mathml import to_mathml


def _shape(a: np.ndarray) -> str:
    rows, cols = a.shape
    return rf"[{rows} \times {cols}]"


def _under(a: np.ndarray) -> str:
    """A matrix with its shape below it."""
    return rf"\underset{{{_shape(a)}}}{{{_matrix(a)}}}"


def _square(v: float) -> str:
    text = _num(v)
    # a negative number, or one with its own power of ten (1.02 x 10^{3}), squared in parentheses
    return f"({text})^{{2}}" if v < 0 or "^" in text else f"{text}^{{2}}"


def _step(name: str, code: str, value: np.ndarray | float, latex: str) -> dict:
    shape = list(value.shape) if isinstance(value, np.ndarray) else []
    return {
        "name": name,
        "code": code,
        "shape": shape,
        "value": value,
        "latex": latex,
        "mathml": to_mathml(latex),
    }


def squared_norm_steps(s: SquaredNorm) -> dict:
    """Inputs, forward (q, f) and backward (dq, dW, dx) of f = ||W x||^2."""
    squares = " + ".join(_square(v) for v in s.q[:, 0])
    out = {
        "inputs": [
            _step("W", "W", s.W, rf"W = {_under(s.W)}"),
            _step("x", f"x.reshape(({len(s.x)}, 1))", s.x, rf"x = {_under(s.x)}"),
        ],
        "forward": [
            _step(
                "q", "q = W.dot(x)", s.q, rf"q = W x = {_under(s.W)}\,{_under(s.x)} = {_under(s.q)}"
            ),
            _step(
                "f",
                "f = np.sum(np.square(q))",
                s.f,
                rf"f = \lVert q \rVert^{{2}} = \sum_i q_i^{{2}} = {squares} = {_num(s.f)}",
            ),
        ],
        "backward": [
            _step(
                "dq",
                "dq = 2 * q",
                s.dq,
                rf"\frac{{\partial f}}{{\partial q}} = 2 q = 2\,{_under(s.q)} = {_under(s.dq)}",
            ),
            _step(
                "dW",
                "dW = dq.dot(x.T)",
                s.dW,
                rf"\frac{{\partial f}}{{\partial W}} = dq\, x^{{T}} = "
                rf"{_under(s.dq)}\,{_under(s.x.T)} = {_under(s.dW)}",
            ),
            _step(
                "dx",
                "dx = W.T.dot(dq)",
                s.dx,
                rf"\frac{{\partial f}}{{\partial x}} = W^{{T}} dq = "
                rf"{_under(s.W.T)}\,{_under(s.dq)} = {_under(s.dx)}",
            ),
        ],
        "wrong": None,
    }
    if s.wrong.size:
        out["wrong"] = _step(
            "x.T.dot(dq)",
            "x.T.dot(dq)",
            s.wrong,
            rf"x^{{T}} dq = {_under(s.x.T)}\,{_under(s.dq)} = {_under(s.wrong)}",
        )
    return out


def relu_jacobian_steps(r: ReluJacobian) -> dict:
    """Forward y = max(0, x), the diagonal Jacobian, and backward dx = J^T dy."""
    return {
        "inputs": [_step("x", "x", r.x, rf"x = {_under(r.x)}")],
        "forward": [
            _step("y", "y = np.maximum(0, x)", r.y, rf"y = \max(0, x) = {_under(r.y)}"),
        ],
        "backward": [
            _step(
                "J",
                "J = np.diag(x[:, 0] > 0)",
                r.J,
                rf"J = \frac{{\partial y}}{{\partial x}} = \mathrm{{diag}}"
                rf"\big(\mathbb{{1}}(x > 0)\big) = {_under(r.J)}",
            ),
            _step(
                "dx",
                "dx = J.T.dot(dy)  # the same as dy * (x > 0)",
                r.dx,
                rf"dx = J^{{T}} dy = {_under(r.J.T)}\,{_under(r.dy)} = {_under(r.dx)}",
            ),
        ],
    }
