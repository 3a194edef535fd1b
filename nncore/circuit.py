"""Scalar computational graphs of gates, as in CS231n's backpropagation lecture.

An expression typed by a user ("(x + y) * z", "sigmoid(w0*x0 + w1*x1 + w2)") is parsed with
Python's `ast` against a whitelist (numbers, variables, + - * / **, unary minus and a few
functions) and never evaluated by Python. Each operation becomes a gate; a variable used twice
is one node with two outgoing edges, so its gradient accumulates (+=) from both branches.
forward: every node's value. backward: every edge's local gradient d(gate)/d(input), and every
node's gradient = sum over its outgoing edges of upstream gradient x local gradient.

A staged program, as the notes write one ("sigy = sigmoid(y)", "num = x + sigy", ...), is
several lines of `name = expression`: each line's gate keeps its name, and the last line is
the output (see circuit_program.py).
"""

from __future__ import annotations

import ast
import bisect
import math
import re
from dataclasses import dataclass, field

from .errors import MESSAGES
from .limits import LIMITS

MAX_LENGTH = LIMITS.max_expression_length
MAX_NODES = LIMITS.max_gates

FUNCTIONS = {  # name -> number of arguments
    "exp": 1,
    "log": 1,
    "sqrt": 1,
    "abs": 1,
    "sin": 1,
    "cos": 1,
    "tanh": 1,
    "sigmoid": 1,
    "relu": 1,
    "max": 2,
    "min": 2,
}
BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
SYMBOLS = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "pow": "^", "neg": "−x", "inv": "1/x"}
ROLES = {
    "add": "add gate: distributes the gradient to every input unchanged",
    "sub": "subtract gate: passes the gradient on, negated for the second input",
    "mul": "multiply gate: each input gets the gradient times the other input's value",
    "div": "divide gate: 1/b to the numerator, -a/b^2 to the denominator",
    "pow": "power gate: b a^(b-1) to the base",
    "neg": "negate gate: flips the gradient's sign",
    "inv": "1/x gate: local gradient -1/x^2",
    "max": "max gate: routes the gradient to the larger input (at a tie, to the first)",
    "min": "min gate: routes the gradient to the smaller input (at a tie, to the first)",
    "exp": "exp gate: local gradient e^x",
    "log": "log gate: local gradient 1/x",
    "sqrt": "sqrt gate: local gradient 1/(2 sqrt x)",
    "abs": "abs gate: local gradient sign(x)",
    "sin": "sin gate: local gradient cos x",
    "cos": "cos gate: local gradient -sin x",
    "tanh": "tanh gate: local gradient 1 - tanh^2 x",
    "sigmoid": "sigmoid gate: local gradient s(1 - s)",
    "relu": "ReLU gate: passes the gradient where x > 0",
    "input": "input",
    "const": "constant",
}


class CircuitError(ValueError):
    """A parse or evaluation error, with the 1-based column where it was found (if any).
    `code` and `params`: the reason as a template of nncore.errors.MESSAGES and its values,
    for a page to translate (see coded)."""

    def __init__(
        self,
        reason: str,
        position: int | None = None,
        gate: str | None = None,
        missing: tuple[str, ...] = (),
        code: str | None = None,
        params: dict | None = None,
    ):
        self.reason, self.position, self.gate = reason, position, gate
        self.missing = missing  # every input without a value, in order of appearance
        self.variable = missing[0] if missing else None
        self.code, self.params = code, params or {}
        where = f"position {position}: " if position is not None else ""
        super().__init__(f"{where}{reason}")

    line: int | None = None  # the line of a staged program it was found on

    def __str__(self) -> str:
        if self.line is None:
            return super().__str__()
        where = f", position {self.position}" if self.position is not None else ""
        return f"line {self.line}{where}: {self.reason}"

    @classmethod
    def coded(
        cls,
        code: str,
        position: int | None = None,
        gate: str | None = None,
        missing: tuple[str, ...] = (),
        **params,
    ) -> CircuitError:
        """The error whose reason is MESSAGES[code] filled with params."""
        return cls(MESSAGES[code].format(**params), position, gate, missing, code, params)


@dataclass
class Node:
    id: int
    op: str
    label: str
    inputs: list[int]
    value: float = 0.0
    grad: float = 0.0
    position: int | None = None  # 1-based column of its first appearance in the expression
    # (in a staged program: counted from the start of its text, see Circuit.place)
    name: str | None = None  # an input's label, or the name a staged program's line gives it

    @property
    def role(self) -> str:
        return ROLES[self.op]

    @property
    def gradient(self) -> float | None:
        """d(output)/d(this node); None for a constant, which is no variable to change."""
        return None if self.op == "const" else self.grad


@dataclass
class Edge:
    src: int
    dst: int
    local: float = 0.0  # d(dst)/d(src)


@dataclass
class Circuit:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    output: int = -1
    # a staged program's: where each line starts in its text (positions count from the text's
    # start), the values its `x = 3` lines give, and its named lines in order
    starts: list[int] | None = None
    defaults: dict[str, float] = field(default_factory=dict)
    stages: list[Stage] = field(default_factory=list)

    @property
    def order(self) -> list[int]:
        """Forward order: nodes are created after their inputs, so ids are topological."""
        return [n.id for n in self.nodes]

    def variables(self) -> list[str]:
        return [n.label for n in self.nodes if n.op == "input"]

    def place(self, position: int) -> tuple[int, int]:
        """(line, column) of a position in a staged program's text, both 1-based."""
        line = bisect.bisect_right(self.starts or [0], position - 1)
        return line, position - (self.starts or [0])[line - 1]


@dataclass
class Stage:
    """One line of a staged program: `name = text`, computed by gate `node`."""

    line: int
    name: str
    node: int
    text: str


def parse(expression: str, expand: bool = False) -> Circuit:
    """The gates of an expression; with expand, sigmoid and tanh become primitive gates."""
    if len(expression) > MAX_LENGTH:
        raise CircuitError.coded("circuit.too_long", max=MAX_LENGTH)
    try:
        tree = ast.parse(expression.strip() or " ", mode="eval")
    except SyntaxError as e:
        if staged(expression):
            from .circuit_program import parse_program

            return parse_program(expression, expand)
        raise CircuitError.coded("circuit.syntax", e.offset, reason=e.msg) from None
    except (RecursionError, MemoryError, ValueError):
        raise CircuitError.coded("circuit.nested") from None
    builder = _Builder(expand)
    try:
        builder.circuit.output = builder.visit(tree.body)
    except RecursionError:
        raise CircuitError.coded("circuit.nested") from None
    return builder.circuit


class _Builder:
    def __init__(self, expand: bool):
        self.expand = expand
        self.circuit = Circuit()
        self.names: dict[str, int] = {}

    def add(self, op: str, label: str, inputs: list[int], at: ast.AST | None = None) -> int:
        c = self.circuit
        if len(c.nodes) >= MAX_NODES:
            raise CircuitError.coded("circuit.gates", _pos(at), max=MAX_NODES)
        node = Node(len(c.nodes), op, label, inputs, position=self.where(at))
        node.name = label if op == "input" else None
        c.nodes.append(node)
        c.edges.extend(Edge(i, node.id) for i in inputs)
        return node.id

    def where(self, at: ast.AST | None) -> int | None:
        return _pos(at)

    def const(self, v: float, at: ast.AST | None = None) -> int:
        node = self.add("const", f"{v:g}", [], at)
        self.circuit.nodes[node].value = v  # the label is rounded for the drawing, not this
        return node

    def visit(self, n: ast.AST) -> int:
        if isinstance(n, ast.Constant):
            if isinstance(n.value, bool) or not isinstance(n.value, int | float):
                raise CircuitError.coded("circuit.constant", _pos(n))
            try:
                v = float(n.value)
            except OverflowError:  # an integer literal of hundreds of digits
                v = math.inf
            if not math.isfinite(v):
                raise CircuitError.coded("circuit.number", _pos(n))
            return self.const(v, n)
        if isinstance(n, ast.Name):
            if n.id in FUNCTIONS:
                raise CircuitError.coded("circuit.uncalled", _pos(n), name=n.id)
            if n.id not in self.names:
                self.names[n.id] = self.add("input", n.id, [], n)
            return self.names[n.id]
        if isinstance(n, ast.BinOp) and type(n.op) in BINARY:
            a, b = self.visit(n.left), self.visit(n.right)
            op = BINARY[type(n.op)]
            return self.add(op, SYMBOLS[op], [a, b], n)
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub | ast.UAdd):
            a = self.visit(n.operand)
            return a if isinstance(n.op, ast.UAdd) else self.add("neg", SYMBOLS["neg"], [a], n)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in FUNCTIONS:
            name = n.func.id
            if n.keywords or len(n.args) != FUNCTIONS[name]:
                raise CircuitError.coded(
                    "circuit.arguments", _pos(n), name=name, count=FUNCTIONS[name]
                )
            args = [self.visit(a) for a in n.args]
            if self.expand and name == "sigmoid":  # 1 / (1 + exp(-x)), as the lecture draws it
                e = self.add("exp", "exp", [self.add("neg", SYMBOLS["neg"], args, n)], n)
                one = self.const(1.0, n)
                return self.add(
                    "div", "1/x", [self.const(1.0, n), self.add("add", "+1", [e, one], n)], n
                )
            if self.expand and name == "tanh":  # (e^2x - 1) / (e^2x + 1)
                e = self.add(
                    "exp", "exp", [self.add("mul", "×", [self.const(2.0, n), args[0]], n)], n
                )
                top = self.add("sub", "−1", [e, self.const(1.0, n)], n)
                bottom = self.add("add", "+1", [e, self.const(1.0, n)], n)
                return self.add("div", "÷", [top, bottom], n)
            return self.add(name, name, args, n)
        code, params = _refusal(n)
        raise CircuitError.coded(code, _pos(n), **params)


def staged(text: str) -> bool:
    """Whether a text that is no single formula reads as a staged program: an assignment, or
    more than one line that is not blank."""
    lines = [x for x in text.splitlines() if x.strip()]
    return len(lines) > 1 or re.search(r"(?<![=!<>])=(?!=)", text) is not None


def _pos(n: ast.AST | None) -> int | None:
    return n.col_offset + 1 if n is not None and hasattr(n, "col_offset") else None


def _refusal(n: ast.AST) -> tuple[str, dict]:
    if isinstance(n, ast.Call):
        return "circuit.functions", {"names": ", ".join(FUNCTIONS)}
    if isinstance(n, ast.BinOp):
        return "circuit.operators", {}
    if isinstance(n, ast.Attribute):
        return "circuit.attribute", {}
    return "circuit.construct", {"kind": type(n).__name__}


def _forward(op: str, a: list[float]) -> float:
    x = a[0] if a else 0.0
    match op:
        case "add":
            return a[0] + a[1]
        case "sub":
            return a[0] - a[1]
        case "mul":
            return a[0] * a[1]
        case "div":
            return a[0] / a[1] if a[1] != 0 else math.copysign(math.inf, a[0]) if a[0] else math.nan
        case "pow":
            return _pow(a[0], a[1])
        case "neg":
            return -x
        case "inv":
            return 1.0 / x if x != 0 else math.inf
        case "exp":
            return math.exp(x) if x < 709.7 else math.inf
        case "log":
            return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)
        case "sqrt":
            return math.sqrt(x) if x >= 0 else math.nan
        case "abs":
            return abs(x)
        case "sin":
            return math.sin(x)
        case "cos":
            return math.cos(x)
        case "tanh":
            return math.tanh(x)
        case "sigmoid":
            return 1.0 / (1.0 + math.exp(-x)) if x > -709 else 0.0
        case "relu":
            return max(x, 0.0)
        case "max":
            return max(a[0], a[1])
        case "min":
            return min(a[0], a[1])
    raise AssertionError(op)


def _pow(a: float, b: float) -> float:
    try:
        r = a**b
    except OverflowError:
        return math.inf
    except ZeroDivisionError:
        return math.inf
    return r if isinstance(r, float) else math.nan  # a negative base to a fractional power


def _locals(op: str, a: list[float], out: float) -> list[float]:
    """d(out)/d(input) for each input of a gate."""
    x = a[0] if a else 0.0
    match op:
        case "add":
            return [1.0, 1.0]
        case "sub":
            return [1.0, -1.0]
        case "mul":
            return [a[1], a[0]]
        case "div":
            return [1.0 / a[1], -a[0] / (a[1] * a[1])]
        case "pow":
            base = a[1] * _pow(a[0], a[1] - 1) if a[0] != 0 or a[1] >= 1 else math.inf
            expo = out * math.log(a[0]) if a[0] > 0 else 0.0
            return [base, expo]
        case "neg":
            return [-1.0]
        case "inv":
            return [-1.0 / (x * x)]
        case "exp":
            return [out]
        case "log":
            return [1.0 / x if x != 0 else math.inf]
        case "sqrt":
            return [0.5 / out if out != 0 else math.inf]
        case "abs":
            return [math.copysign(1.0, x) if x != 0 else 0.0]
        case "sin":
            return [math.cos(x)]
        case "cos":
            return [-math.sin(x)]
        case "tanh":
            return [1.0 - out * out]
        case "sigmoid":
            return [out * (1.0 - out)]
        case "relu":
            return [1.0 if x > 0 else 0.0]
        case "max":
            return [1.0, 0.0] if a[0] >= a[1] else [0.0, 1.0]
        case "min":
            return [1.0, 0.0] if a[0] <= a[1] else [0.0, 1.0]
    raise AssertionError(op)


def _safely(fn, *args):
    # Python's floats raise where IEEE arithmetic gives inf or nan (1/y when y*y underflows
    # to 0, float() of a huge int): the same failure of the gate, reported the same way
    try:
        return fn(*args)
    except (ArithmeticError, ValueError):
        return math.nan


def run(circuit: Circuit, values: dict[str, float]) -> Circuit:
    """Forward then backward in place; CircuitError names a missing value or a gate gone
    non-finite, with the gate's position in the expression (and its line, in a program)."""
    try:
        return _run(circuit, {**circuit.defaults, **values})
    except CircuitError as e:
        if circuit.starts is not None and e.position is not None:
            e.line, e.position = circuit.place(e.position)
        raise


def _run(circuit: Circuit, values: dict[str, float]) -> Circuit:
    nodes = circuit.nodes
    missing = [n for n in nodes if n.op == "input" and n.label not in values]
    if missing:
        names = tuple(n.label for n in missing)
        raise CircuitError.coded(
            "circuit.missing", missing[0].position, missing=names, names=", ".join(names)
        )
    for n in nodes:
        if n.op == "input":
            n.value = _safely(float, values[n.label])
        elif n.op != "const":  # a constant keeps the value it was parsed with
            n.value = _safely(_forward, n.op, [nodes[i].value for i in n.inputs])
        if not math.isfinite(n.value):
            value, at = str(n.value), n.position
            if n.op == "input":
                raise CircuitError.coded("circuit.input_value", at, n.op, name=n.label, value=value)
            raise CircuitError.coded("circuit.gate_value", at, n.op, op=n.op, value=value)
        n.grad = 0.0
    incoming: dict[int, list[Edge]] = {}
    for e in circuit.edges:
        incoming.setdefault(e.dst, []).append(e)
    nodes[circuit.output].grad = 1.0
    for n in reversed(nodes):
        edges = incoming.get(n.id, [])
        if not edges:
            continue
        local = _safely(_locals, n.op, [nodes[e.src].value for e in edges], n.value)
        if not isinstance(local, list) or not all(math.isfinite(g) for g in local):
            raise CircuitError.coded("circuit.local_gradient", n.position, n.op, op=n.op)
        for e, g in zip(edges, local, strict=True):
            e.local = g
            nodes[e.src].grad += n.grad * g  # branches that meet add up
    for n in nodes:
        if not math.isfinite(n.grad):
            raise CircuitError.coded("circuit.gradient", n.position, n.op, op=n.op)
    return circuit
