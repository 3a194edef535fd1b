"""nncore.notes_code: the notes' code, run from its own printed text, against run()."""

import contextlib
import io

import numpy as np
import pytest

from nncore.errors import InputError
from nncore.limits import LIMITS
from nncore.notes_code import NOTES_CODE, POINTS, run, run_seconds, side_by_side


def the_notes_printed_code(N, D_in, H, D_out, iterations, seed) -> list[float]:
    """NOTES_CODE itself, run with these sizes and default_rng(seed) in place of randn; the
    losses it prints."""
    rng = np.random.default_rng(seed)
    text = NOTES_CODE.replace("from numpy.random import randn\n", "")
    text = text.replace("= 64, 1000, 100, 10", f"= {N}, {D_in}, {H}, {D_out}")
    text = text.replace("range(10000)", f"range({iterations})")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), np.errstate(over="ignore"):
        exec(text, {"randn": lambda *shape: rng.standard_normal(shape)})
    return [float(line.split(": ")[1]) for line in out.getvalue().splitlines()]


def test_the_notes_code_as_printed_and_the_core_give_the_same_losses():
    r = run(N=32, D_in=50, H=40, D_out=5, iterations=300, seed=7)
    printed = the_notes_printed_code(32, 50, 40, 5, 300, 7)
    assert len(printed) == 300
    np.testing.assert_array_equal(r.notes, np.array(printed)[r.iterations])
    np.testing.assert_allclose(r.core, r.notes, rtol=1e-9)
    assert r.max_relative_difference < 1e-9
    assert r.notes[-1] < r.notes[0] / 10  # it trains


def test_the_default_run_trains_and_is_thinned():
    r = run()
    assert r.sizes == (64, 50, 50, 10)
    assert len(r.iterations) == POINTS
    assert r.iterations[0] == 0 and r.iterations[-1] == 999
    assert np.all(np.diff(r.iterations) > 0)
    assert r.notes[0] > 1000 and r.notes[-1] < r.notes[0] / 50
    assert r.max_relative_difference < 1e-9


def test_a_short_run_keeps_every_iteration():
    r = run(N=8, D_in=4, H=3, D_out=2, iterations=5)
    assert r.iterations.tolist() == [0, 1, 2, 3, 4]


def test_each_line_of_the_notes_has_the_cores_counterpart_beside_it():
    rows = {r["notes"].strip(): (r["product"].strip(), r["comment"]) for r in side_by_side()}
    assert rows["grad_w1 = x.T.dot(grad_h*h*(1-h))"] == (
        "dW1 = (1 / m) * dZ1 @ X.T",
        "= grad_w1.T / 2m",
    )
    assert rows["grad_y_pred = 2.0 * (y_pred - y)"][0] == "dZ2 = A2 - Y"
    assert rows["w1 -= 1e-4 * grad_w1"][0] == "W1 -= alpha * dW1"
    assert rows["# 學習率是0.0001"][0] == "alpha = 2 * m * 1e-4"


@pytest.mark.parametrize(
    "field, value",
    [("N", 0), ("D_in", 1001), ("H", 201), ("D_out", 0), ("iterations", 10_001), ("seed", -1)],
)
def test_out_of_range_sizes_name_their_field(field, value):
    args = {"N": 8, "D_in": 4, "H": 3, "D_out": 2, "iterations": 5, "seed": 0, field: value}
    with pytest.raises(InputError) as e:
        run(**args)
    assert e.value.field == field


def test_the_work_budget_names_the_most_iterations():
    with pytest.raises(InputError) as e:
        run_seconds(256, 1000, 200, 20, 10_000)
    assert e.value.field == "iterations" and 1 <= e.value.limit < 10_000
    assert run_seconds(256, 1000, 200, 20, int(e.value.limit)) <= LIMITS.max_work_seconds
    assert run_seconds(64, 50, 50, 10, 1000) < 0.5  # the defaults: well under a second
