"""Staged programs (lines of name = expression) against the notes' own forward and backward
code, the 1/x gate, the max gate's tie, and a constant's gradient."""

import math

import pytest

from nncore.circuit import CircuitError, parse, run
from nncore.limits import LIMITS

# The notes' staged computation of f(x, y) = (x + sigmoid(y)) / (sigmoid(x) + (x + y)^2)
PROGRAM = """sigy = sigmoid(y)
num = x + sigy
sigx = sigmoid(x)
xpy = x + y
xpysqr = xpy**2
den = sigx + xpysqr
invden = 1.0 / den
f = num * invden"""

# ... and the notes' forward code as they print it, comments and all
NOTES_CODE = """x = 3 # 例子數值
y = -4
# 前向傳播
sigy = 1.0 / (1 + math.exp(-y)) # 分子中的sigmoid #(1)
num = x + sigy # 分子 #(2)
sigx = 1.0 / (1 + math.exp(-x)) # 分母中的sigmoid #(3)
xpy = x + y #(4)
xpysqr = xpy**2 #(5)
den = sigx + xpysqr # 分母 #(6)
invden = 1.0 / den #(7)
f = num * invden
"""


def notes_backward(x=3.0, y=-4.0):
    """The notes' backward code, line for line: the numbers the product must give."""
    sigy = 1.0 / (1 + math.exp(-y))
    num = x + sigy
    sigx = 1.0 / (1 + math.exp(-x))
    xpy = x + y
    xpysqr = xpy**2
    den = sigx + xpysqr
    invden = 1.0 / den
    f = num * invden
    dnum = invden
    dinvden = num
    dden = (-1.0 / (den**2)) * dinvden
    dsigx = (1) * dden
    dxpysqr = (1) * dden
    dxpy = (2 * xpy) * dxpysqr
    dx = (1) * dxpy
    dy = (1) * dxpy
    dx += ((1 - sigx) * sigx) * dsigx
    dx += (1) * dnum
    dsigy = (1) * dnum
    dy += ((1 - sigy) * sigy) * dsigy
    values = dict(sigy=sigy, num=num, sigx=sigx, xpy=xpy, xpysqr=xpysqr, den=den)
    values.update(invden=invden, f=f, x=x, y=y)
    grads = dict(sigy=dsigy, num=dnum, sigx=dsigx, xpy=dxpy, xpysqr=dxpysqr, den=dden)
    grads.update(invden=dinvden, f=1.0, x=dx, y=dy)
    return values, grads


def named(c):
    return {n.name: n for n in c.nodes if n.name}


def test_the_staged_program_gives_the_notes_numbers_under_the_notes_names():
    c = run(parse(PROGRAM), {"x": 3, "y": -4})
    gates = [n.name for n in c.nodes if n.op not in ("input", "const")]
    assert gates == ["sigy", "num", "sigx", "xpy", "xpysqr", "den", "invden", "f"]
    by = named(c)
    assert round(by["invden"].grad, 3) == 3.018  # dinvden = num
    assert round(by["den"].grad, 3) == -0.792  # dden
    assert round(c.nodes[c.output].value, 4) == 1.5456 and c.nodes[c.output].name == "f"
    values, grads = notes_backward()
    for name, node in by.items():
        assert node.value == pytest.approx(values[name], abs=1e-15), name
        assert node.grad == pytest.approx(grads[name], abs=1e-15), name
    assert by["invden"].op == "inv" and by["invden"].role.startswith("1/x gate")
    assert [(s.line, s.name, s.text) for s in c.stages][6] == (7, "invden", "1.0 / den")


def test_the_notes_code_as_printed_runs_with_its_own_values():
    c = run(parse(NOTES_CODE), {})
    assert c.defaults == {"x": 3.0, "y": -4.0}
    values, grads = notes_backward()
    by = named(c)
    assert set(by) == set(values)
    for name, node in by.items():
        assert node.value == pytest.approx(values[name], abs=1e-15), name
        assert node.grad == pytest.approx(grads[name], abs=1e-15), name
    # each sigmoid is the lecture's gates: -x, exp, +1, and the 1/x gate named sigy
    assert by["sigy"].op == "inv" and by["sigx"].op == "inv"
    assert sum(n.op == "exp" for n in c.nodes) == 2
    # a value given with the request wins over the program's own
    moved = run(parse(NOTES_CODE), {"x": 1.0})
    assert named(moved)["f"].value == pytest.approx(notes_backward(x=1.0)[0]["f"])


def test_a_single_formula_still_parses_as_before():
    formula = "(x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
    c = run(parse(formula), {"x": 3, "y": -4})
    assert c.stages == [] and c.starts is None
    assert [n.op for n in c.nodes if n.op not in ("input", "const")] == [
        "sigmoid",
        "add",
        "sigmoid",
        "add",
        "pow",
        "add",
        "div",
    ]
    assert all(n.name is None for n in c.nodes if n.op != "input")
    assert c.nodes[c.output].value == run(parse(PROGRAM), {"x": 3, "y": -4}).nodes[-1].value
    assert parse("1/x").nodes[-1].op == "div"  # 1/x is a 1/x gate in a program only


def test_the_inverse_gate_has_local_gradient_minus_one_over_x_squared():
    c = run(parse("d = x + 1\ni = 1/d"), {"x": 1.5})
    edge = next(e for e in c.edges if e.dst == c.output)
    assert edge.local == pytest.approx(-1 / 2.5**2) and c.nodes[c.output].value == 0.4
    h = 1e-6
    up, down = (run(parse("d = x + 1\ni = 1/d"), {"x": 1.5 + s}).nodes[-1].value for s in (h, -h))
    assert named(c)["x"].grad == pytest.approx((up - down) / (2 * h), rel=1e-8)
    assert parse("a = x*2\nb = -1/a").nodes[-1].op == "div"  # -1/a is not 1/a


@pytest.mark.parametrize(
    "program, code, line",
    [
        ("a = x + b\nb = 2*x", "circuit.line.before", 1),  # undefined (yet)
        ("a = x * 2\nx = a + 1", "circuit.line.before", 1),
        ("a = x * 2\nb = a + 1\nx = b", "circuit.line.before", 1),
        ("a = x * 2\nb = a + x\nx = 3", "circuit.line.before", 1),
        ("y = x + 1\nx = 2\nz = y * 2", "circuit.line.before", 1),
        ("a = 2 * x\nb = x * 3\nx = 4", "circuit.line.before", 1),
        ("a = x * 2\na = a + 1", "circuit.line.twice", 2),
        ("x = 3\nx = 4\nf = x * 2", "circuit.line.twice", 2),
        ("a = x\nf = a * 2", "circuit.line.alias", 1),
        ("a = x * 2\nb = x * 3", "circuit.line.unused", 1),
        ("c = 5\nf = x * 2", "circuit.line.unused", 1),
        ("a = x * 2\nb = 3", "circuit.last", 2),
        ("x + 1\nf = x", "circuit.line.form", 1),
        ("a = x * 2\nb, c = a, a", "circuit.line.form", 2),
        ("a = x * 2\nb += a", "circuit.line.form", 2),
        ("a = b = x * 2", "circuit.line.form", 1),
        ("exp = x * 2\nf = exp + 1", "circuit.line.reserved", 1),
        ("# a comment\n\n# and another", "circuit.empty", 1),
    ],
)
def test_a_bad_program_is_refused_naming_its_line(program, code, line):
    with pytest.raises(CircuitError) as e:
        run(parse(program), {"x": 1.0})
    assert (e.value.code, e.value.line) == (code, line)
    assert str(e.value).startswith(f"line {line}")


def test_an_input_assigned_later_is_refused_where_it_is_used():
    with pytest.raises(CircuitError) as e:
        parse("a = x * 2\nf = a + 1\nx = 5")
    assert (e.value.code, e.value.line, e.value.position) == ("circuit.line.before", 1, 5)
    assert e.value.params == {"line": 1, "name": "x", "later": 3}
    assert "x is used before line 3 assigns it" in str(e.value)
    c = parse("a = x * 2\nf = a + x")  # an input used on two lines is one node
    assert [n.name for n in c.nodes] == ["x", None, "a", "f"]


def test_syntax_errors_and_failures_at_run_time_name_the_line_and_the_column():
    with pytest.raises(CircuitError) as e:
        parse("a = x * 2\nb = a +\nf = b")
    assert e.value.line == 2 and "not a formula" in str(e.value)
    with pytest.raises(CircuitError) as e:
        run(parse("a = x * 2\nb = a / y\nf = b + 1"), {"x": 1, "y": 0})
    assert (e.value.line, e.value.position, e.value.gate) == (2, 5, "div")
    assert str(e.value).startswith("line 2, position 5: the div gate")
    with pytest.raises(CircuitError) as e:
        run(parse("a = x * 2\nb = a + q\nf = b * q"), {"x": 1})
    assert e.value.missing == ("q",) and (e.value.line, e.value.position) == (2, 9)
    with pytest.raises(CircuitError) as e:
        parse("a = x * 2\nb = a.real\nf = b")
    assert e.value.line == 2 and "attributes" in str(e.value)


def test_blank_lines_and_comments_are_skipped_but_counted():
    text = "# the notes' example\n\na = x * 2  # a gate\n\nf = a + q\n"
    with pytest.raises(CircuitError) as e:
        run(parse(text), {"x": 1})
    assert e.value.missing == ("q",) and (e.value.line, e.value.position) == (5, 9)
    c = run(parse(text), {"x": 1, "q": 2})
    assert [(s.line, s.name, s.text) for s in c.stages] == [(3, "a", "x * 2"), (5, "f", "a + q")]


def test_the_bounds_of_a_program_come_from_the_limits():
    lines = LIMITS.max_program_lines
    ok = "\n".join(
        [f"a{i} = x + {i}" for i in range(lines - 1)]
        + ["f = " + "+".join(f"a{i}" for i in range(lines - 1))]
    )
    assert len(run(parse(ok), {"x": 1}).stages) == lines
    too_many = "\n".join(f"a{i} = a{i - 1} + 1" if i else "a0 = x + 1" for i in range(lines + 1))
    with pytest.raises(CircuitError) as e:
        parse(too_many)
    assert e.value.code == "circuit.lines" and e.value.line == lines + 1
    assert e.value.params == {"line": lines + 1, "max": lines, "lines": lines + 1}
    with pytest.raises(CircuitError, match=f"more than {LIMITS.max_gates} gates") as e:
        parse("a = x * 2\nf = " + "+".join(["a"] * (LIMITS.max_gates + 1)))
    assert e.value.line == 2


@pytest.mark.parametrize("op, first, second", [("max", 1.0, 0.0), ("min", 1.0, 0.0)])
def test_a_tie_routes_the_whole_gradient_to_one_input(op, first, second):
    # the notes' rule 1(x >= y), 1(y >= x) would give 1 to both at x == y: a gradient of 2
    # along (1, 1), where raising both inputs by h raises max (and min) by exactly h
    c = run(parse(f"3 * {op}(x, y)"), {"x": 2.0, "y": 2.0})
    g = named(c)
    assert (g["x"].grad, g["y"].grad) == (3 * first, 3 * second)
    h = 1e-3
    up = run(parse(f"3 * {op}(x, y)"), {"x": 2.0 + h, "y": 2.0 + h}).nodes[-1].value
    assert (up - c.nodes[-1].value) / h == pytest.approx(g["x"].grad + g["y"].grad)
    assert "at a tie, to the first" in next(n.role for n in c.nodes if n.op == op)


def test_a_constant_has_no_gradient():
    c = run(parse("x**2 + 3 * x"), {"x": -1.0})
    consts = [n for n in c.nodes if n.op == "const"]
    assert [n.label for n in consts] == ["2", "3"]
    assert all(n.gradient is None for n in consts)
    assert named(c)["x"].gradient == -2 + 3
