"""A staged program: the notes' way of writing a circuit as lines of `name = expression`.

    sigy = sigmoid(y)
    num = x + sigy
    ...
    invden = 1.0 / den
    f = num * invden

Each line's expression is parsed as a single formula is (circuit.py), and the gate it ends in
takes the line's name; later lines use earlier names, and the last line is the output. A name
no line assigns is an input. Written as in the notes' Python: `1/expr` (or `1.0/expr`) is the
1/x gate, `math.exp` (np.exp) is exp, `x = 3` gives the input x a value, and comments and blank
lines are skipped. Every refusal names its line; a name used before the line that assigns it
(an input assigned later, or a line out of order) is refused on the line that uses it.
"""

from __future__ import annotations

import ast

from .circuit import FUNCTIONS, SYMBOLS, Circuit, CircuitError, Stage, _Builder
from .errors import MESSAGES
from .limits import LIMITS

MAX_LINES = LIMITS.max_program_lines
MODULES = ("math", "np", "numpy")  # math.exp(x) and np.exp(x) are exp(x)


def refusal(code: str, line: int, position: int | None = None, **params) -> CircuitError:
    """The error whose message is MESSAGES[code], on a line of the program."""
    e = CircuitError(MESSAGES[code].format(**params), position)
    e.line, e.code, e.params = line, code, {"line": line, **params}
    return e


def parse_program(text: str, expand: bool = False) -> Circuit:
    """The circuit of a staged program; CircuitError (with its line) for a bad one."""
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as e:
        error = CircuitError.coded("circuit.syntax", e.offset, reason=e.msg)
        error.line = e.lineno
        raise error from None
    except (RecursionError, MemoryError, ValueError):
        raise CircuitError.coded("circuit.nested") from None
    lines = tree.body
    if not lines:
        raise refusal("circuit.empty", 1)
    if len(lines) > MAX_LINES:
        raise refusal("circuit.lines", lines[MAX_LINES].lineno, max=MAX_LINES, lines=len(lines))
    program = _Program(text, expand)
    for s in reversed(lines):  # each assigned name's first line, for a use before it
        if isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Name):
            program.targets[s.targets[0].id] = s.lineno
    for s in lines:
        try:
            program.line(s)
        except RecursionError:
            raise refusal("circuit.line.nested", s.lineno) from None
        except CircuitError as e:
            if e.line is None:
                e.line = s.lineno
            raise
    return program.finish(lines[-1])


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _number(n: ast.AST) -> float | None:
    """The value of a line that only gives a number (`x = 3`, `y = -4`), else None."""
    sign = 1.0
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub | ast.UAdd):
        sign, n = (-1.0 if isinstance(n.op, ast.USub) else 1.0), n.operand
    if isinstance(n, ast.Constant) and type(n.value) in (int, float):
        return sign * float(n.value)
    return None


class _Program(_Builder):
    def __init__(self, text: str, expand: bool):
        super().__init__(expand)
        self.text = text
        self.circuit.starts = _line_starts(text)
        self.assigned: dict[str, int] = {}  # name -> the line that gives it (a gate or a number)
        self.targets: dict[str, int] = {}  # every assigned name -> its first line

    def where(self, at: ast.AST | None) -> int | None:
        # from the start of the text: unique, so a run's error finds its line again
        if at is None or not hasattr(at, "lineno"):
            return None
        return self.circuit.starts[at.lineno - 1] + at.col_offset + 1

    def visit(self, n: ast.AST) -> int:
        one = isinstance(n, ast.BinOp) and isinstance(n.left, ast.Constant) and _number(n.left) == 1
        if one and isinstance(n.op, ast.Div):  # 1/den, 1.0/den: the notes' 1/x gate
            return self.add("inv", SYMBOLS["inv"], [self.visit(n.right)], n)
        if (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and isinstance(n.func.value, ast.Name)
            and n.func.value.id in MODULES
            and n.func.attr in FUNCTIONS
        ):
            call = ast.Call(ast.Name(n.func.attr, ast.Load()), n.args, n.keywords)
            return super().visit(ast.copy_location(call, n))
        return super().visit(n)

    def line(self, s: ast.stmt) -> None:
        at = s.lineno
        if not (
            isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
        ):
            raise refusal("circuit.line.form", at, s.col_offset + 1)
        name, value = s.targets[0].id, s.value
        self._check_name(name, at, s.col_offset + 1)
        for use in ast.walk(value):
            if isinstance(use, ast.Name) and use.id in self.targets and use.id not in self.assigned:
                later, column = self.targets[use.id], use.col_offset + 1
                raise refusal("circuit.line.before", at, column, name=use.id, later=later)
        number = _number(value)
        if number is not None:
            self.circuit.defaults[name] = number
            self.assigned[name] = at
            return
        node = self.visit(value)
        gate = self.circuit.nodes[node]
        if gate.name is not None:
            raise refusal("circuit.line.alias", at, s.col_offset + 1, name=name, other=gate.name)
        gate.name = name
        self.names[name] = node
        self.assigned[name] = at
        text = ast.get_source_segment(self.text, value) or ast.unparse(value)
        self.circuit.stages.append(Stage(at, name, node, " ".join(text.split())))

    def _check_name(self, name: str, at: int, column: int) -> None:
        if name in FUNCTIONS or name in MODULES:
            raise refusal("circuit.line.reserved", at, column, name=name)
        if name in self.assigned:
            raise refusal("circuit.line.twice", at, column, name=name, first=self.assigned[name])

    def finish(self, last: ast.stmt) -> Circuit:
        c = self.circuit
        name = last.targets[0].id  # every line is `name = ...` by now
        if name not in self.names or c.nodes[self.names[name]].op == "input":
            raise refusal("circuit.last", last.lineno, name=name)
        c.output = self.names[name]
        used = {c.output}
        for n in reversed(c.nodes):
            if n.id in used:
                used.update(n.inputs)
        for stage in c.stages:
            if stage.node not in used:
                raise refusal("circuit.line.unused", stage.line, name=stage.name)
        for given, at in self.assigned.items():
            if given in c.defaults and given not in self.names:
                raise refusal("circuit.line.unused", at, name=given)
        return c
