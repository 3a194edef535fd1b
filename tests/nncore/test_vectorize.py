"""The notes' loop over examples and the matrix form give the same gradients; the loop really
takes one column at a time; the last mini-batch recomputed whole is the frame's."""

from dataclasses import replace

import numpy as np
import pytest

from nncore import vectorize
from nncore.activations import ACTIVATIONS, get_activation
from nncore.errors import InputError
from nncore.limits import LIMITS
from nncore.trainer import TRACE_LIMIT, Config, Hidden, Trainer
from nncore.vectorize import check_work, compare, per_example, vectorized

PROBLEMS = [
    {"problem": "binary", "dataset": "xor"},
    {"problem": "multiclass", "dataset": "spiral", "classes": 3},
    {"problem": "regression", "dataset": "plane"},
]


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p["problem"])
def test_the_loop_and_the_matrix_form_give_the_products_gradients(activation, problem):
    hidden = (Hidden(5, activation), Hidden(3, activation))
    t = Trainer(Config(hidden=hidden, n_samples=60, **problem))
    t.step(3)
    net = t.net.copy()
    net.backward(t.Y_train, net.forward(t.X_train))  # the product's own backward pass
    for grads in (
        per_example(t.net, t.X_train, t.Y_train),
        vectorized(t.net, t.X_train, t.Y_train),
    ):
        for l in range(net.L):
            np.testing.assert_allclose(grads.dW[l], net.dW[l], rtol=0, atol=1e-14)
            np.testing.assert_allclose(grads.db[l], net.db[l], rtol=0, atol=1e-14)


def test_the_loop_takes_one_column_at_a_time_and_the_matrix_form_all_at_once(monkeypatch):
    """Every activation call is recorded: the loop makes m x L of them on (n, 1) columns, the
    matrix form L on (n, m) matrices; both go through the layers one by one."""
    shapes = []

    def recording(name):
        g = get_activation(name)

        def forward(Z, out=None):
            shapes.append(Z.shape)
            return g.forward(Z, out)

        return replace(g, forward=forward)

    monkeypatch.setattr(vectorize, "get_activation", recording)
    t = Trainer(Config(hidden=(Hidden(4), Hidden(3)), n_samples=40))
    m, sizes = t.m_train, t.net.sizes
    loop = per_example(t.net, t.X_train, t.Y_train)
    assert loop.examples == m
    assert shapes == [(n, 1) for _ in range(m) for n in sizes[1:]]
    shapes.clear()
    vectorized(t.net, t.X_train, t.Y_train)
    assert shapes == [(n, m) for n in sizes[1:]]


def test_compare_reports_both_medians_the_count_and_a_tiny_difference():
    t = Trainer(Config(n_samples=100))
    c = compare(t.net, t.X_train, t.Y_train, repeats=3)
    assert (c.examples, c.layers, c.repeats, c.loop_iterations) == (t.m_train, 3, 3, t.m_train)
    assert c.loop_seconds > 0 and c.vectorized_seconds > 0
    assert c.speedup == pytest.approx(c.loop_seconds / c.vectorized_seconds)
    assert 0 <= c.max_difference < 1e-14


def test_examples_times_repeats_is_bounded_by_the_limits_table():
    most = LIMITS.max_loop_examples
    check_work(most // 10, 10)
    with pytest.raises(InputError) as e:
        check_work(most // 10, 11)
    assert e.value.field == "repeats" and e.value.limit == 10 and e.value.code == "loop.work"
    tight = LIMITS.tightened(max_loop_examples=100)
    with pytest.raises(InputError):
        check_work(101, 1, tight)


def test_the_last_batch_recomputed_whole_has_the_frames_gradients():
    t = Trainer(Config(batch_size=3 * TRACE_LIMIT))  # more columns than a frame traces
    assert t.last_batch() is None
    t.step(2)
    f = t.frame()
    b = t.last_batch()
    assert b.X.shape == (2, 3 * TRACE_LIMIT) and b.indices.size == 3 * TRACE_LIMIT
    for g, lf in zip(b.grads, f.layers, strict=True):
        np.testing.assert_array_equal(g.dW, lf.dW)
        np.testing.assert_array_equal(g.db, lf.db)
    np.testing.assert_array_equal(b.X, t.X_train[:, b.indices])
    t.apply(noise=0.2)  # new data: the batch is gone
    assert t.last_batch() is None


def test_a_full_batch_after_smaller_ones_traces_the_columns_it_computed():
    t = Trainer(Config(batch_size=10))
    t.step(1)  # shuffles the batch order
    t.apply(batch_size=1000)  # now the whole set, in its own order
    before = t.net.copy()
    f = t.step(1, trace=True)
    Z = before.forward(t.X_train[:, f.trace_indices])[0].Z
    np.testing.assert_allclose(f.layers[0].Z, Z, rtol=0, atol=1e-12)


def test_an_activation_changed_after_the_step_leaves_the_batch_as_it_was():
    t = Trainer(Config(hidden=(Hidden(4, "tanh"),), batch_size=20))
    t.step(1)
    dW = t.frame().layers[0].dW
    t.apply(hidden=(Hidden(4, "relu"),))
    np.testing.assert_array_equal(t.last_batch().grads[0].dW, dW)
