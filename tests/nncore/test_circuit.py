"""Circuits of gates against the CS231n lecture's numbers and against centered differences."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore.circuit import FUNCTIONS, MAX_NODES, CircuitError, parse, run


def grads(expr, values, expand=False):
    c = run(parse(expr, expand), values)
    return c.nodes[c.output].value, {n.label: n.grad for n in c.nodes if n.op == "input"}


def numeric(expr, values, h=1e-6):
    out = {}
    for k in values:
        up, down = dict(values), dict(values)
        up[k] += h
        down[k] -= h
        out[k] = (grads(expr, up)[0] - grads(expr, down)[0]) / (2 * h)
    return out


def test_the_lectures_first_circuit():
    f, g = grads("(x + y) * z", {"x": -2, "y": 5, "z": -4})
    assert f == -12 and g == {"x": -4, "y": -4, "z": 3}


@pytest.mark.parametrize("expand", [False, True])
def test_the_sigmoid_neuron(expand):
    values = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}
    f, g = grads("sigmoid(w0*x0 + w1*x1 + w2)", values, expand)
    assert round(f, 2) == 0.73
    assert [round(g[k], 2) for k in ("x0", "x1")] == [0.39, -0.59]
    assert [round(g[k], 2) for k in ("w0", "w1", "w2")] == [-0.2, -0.39, 0.2]


def test_expanded_gates_agree_with_the_composite_ones():
    for expr in ["sigmoid(a*b + c)", "tanh(a - b*c)"]:
        values = {"a": 0.7, "b": -1.3, "c": 0.4}
        f1, g1 = grads(expr, values)
        f2, g2 = grads(expr, values, expand=True)
        assert f1 == pytest.approx(f2, abs=1e-12)
        assert all(g1[k] == pytest.approx(g2[k], abs=1e-12) for k in values)
    assert len(parse("sigmoid(x)", expand=True).nodes) > len(parse("sigmoid(x)").nodes)


def test_the_staged_example_matches_centered_differences():
    expr = "(x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
    values = {"x": 3.0, "y": -4.0}
    _, g = grads(expr, values)
    num = numeric(expr, values)
    assert all(abs(g[k] - num[k]) < 1e-7 for k in values)


def test_a_variable_used_twice_accumulates_from_both_branches():
    c = run(parse("x * x + x"), {"x": 3.0})
    x = c.nodes[0]
    assert x.grad == 7.0  # 2x + 1
    assert sum(1 for e in c.edges if e.src == x.id) == 3


def test_gate_roles_use_the_lectures_words():
    c = parse("max(a, b) * c + d")
    roles = {n.op: n.role for n in c.nodes}
    assert "distributes" in roles["add"] and "other input" in roles["mul"]
    assert "routes" in roles["max"]
    c = run(c, {"a": 1, "b": 2, "c": 3, "d": 4})
    assert [n.grad for n in c.nodes if n.op == "input"] == [0.0, 3.0, 2.0, 1.0]


leaf = st.sampled_from(["a", "b", "c", "0.5", "2", "1.5"])


def expressions():
    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(st.sampled_from(["sin", "cos", "tanh", "sigmoid", "exp"]), inner).map(
                lambda t: f"{t[0]}({t[1]} * 0.3)"
            ),
            inner.map(lambda e: f"(-{e})"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]}) / (2 + ({t[1]})**2)"),
        )

    return st.recursive(leaf, extend, max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(expr=expressions(), a=st.floats(-2, 2), b=st.floats(-2, 2), c=st.floats(-2, 2))
def test_random_expressions_match_centered_differences(expr, a, b, c):
    values = {"a": a, "b": b, "c": c}
    f, g = grads(expr, values)
    num = numeric(expr, values)
    for k in g:
        assert abs(g[k] - num[k]) <= 1e-5 * max(1.0, abs(num[k])), (expr, k)


@pytest.mark.parametrize(
    "expr",
    [
        "__import__('os').system('echo owned')",
        "x.__class__",
        "(lambda: 1)()",
        "[x for x in y]",
        "open('f')",
        "eval('1')",
        "x if y else z",
        "x == y",
        "'text'",
        "x[0]",
        "f(x)",
        "exp(x, y)",
        "max(x)",
        "sigmoid",
        "x; y",
        "x = 1",
        "1 +",
        "",
        "True",
        "1j",
        "{}",
        "exp(x=1)",
        "(" * 300 + "x" + ")" * 300,
        "+".join(["x"] * 300),
        "x" * 600,
    ],
)
def test_anything_else_is_refused_and_never_run(expr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CircuitError):
        run(parse(expr), {"x": 1, "y": 2, "z": 3})
    assert list(tmp_path.iterdir()) == []


def test_limits_and_errors_say_where_and_why():
    with pytest.raises(CircuitError) as e:
        parse("a + b.c")
    assert e.value.position == 5 and "attributes" in str(e.value)
    with pytest.raises(CircuitError, match=str(MAX_NODES)):
        parse("+".join(["x"] * (MAX_NODES + 1)))  # one input and 200 add gates, 401 chars
    with pytest.raises(CircuitError, match="no value given for b") as e:
        run(parse("a + b"), {"a": 1})
    assert e.value.variable == "b" and e.value.position == 5
    with pytest.raises(CircuitError, match="no value given for w, x, b") as e:
        run(parse("w*x + b*x"), {})
    assert e.value.missing == ("w", "x", "b") and e.value.position == 1
    for expr, gate in [
        ("exp(1000)", "exp"),
        ("log(-1)", "log"),
        ("1/0", "div"),
        ("10**1000", "pow"),
        ("sqrt(0)", "sqrt"),
    ]:
        with pytest.raises(CircuitError) as e:
            run(parse(expr), {})
        assert e.value.gate == gate, expr
    assert set(FUNCTIONS) == {
        "exp",
        "log",
        "sqrt",
        "abs",
        "sin",
        "cos",
        "tanh",
        "sigmoid",
        "relu",
        "max",
        "min",
    }
    assert math.isclose(grads("relu(x) + abs(y)", {"x": -1, "y": -2})[1]["y"], -1)


@pytest.mark.parametrize(
    "expression, values, gate, position",
    [
        ("1" * 400 + " + x", {"x": 1}, None, 1),  # float() of the literal overflows
        ("1/1e-200", {}, "div", 1),  # the gradient -1/y^2 divides by y*y == 0.0
        ("x + y/z", {"x": 1, "y": 1, "z": 1e-170}, "div", 5),
        ("x", {"x": 10**400}, "input", 1),  # a caller's huge int
        ("2**10000", {}, "pow", 1),
        ("(-8)**(1/3)", {}, "pow", 1),  # complex in Python
        ("x**0.5", {"x": 0}, "pow", 1),  # an infinite slope at 0
        ("sqrt(x)", {"x": -1}, "sqrt", 1),
        ("log(x)", {"x": 5e-324}, "log", 1),  # 1/x overflows
        ("exp(x)", {"x": 710}, "exp", 1),
        ("x*x*x", {"x": 1e150}, "mul", 1),
    ],
)
def test_arithmetic_that_fails_is_a_circuit_error_naming_the_gate_and_where(
    expression, values, gate, position
):
    with pytest.raises(CircuitError) as e:
        run(parse(expression), values)
    assert e.value.gate == gate and e.value.position == position
    assert str(e.value).startswith(f"position {position}: ")


def test_a_constant_keeps_its_digits_though_its_label_is_rounded():
    c = run(parse("x * 3.14159265"), {"x": 1.0})
    const = next(n for n in c.nodes if n.op == "const")
    assert const.label == "3.14159" and c.nodes[c.output].value == 3.14159265
