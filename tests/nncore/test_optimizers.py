"""Optimizers and penalties: the update formulas, and the penalty's gradient."""

import numpy as np
import pytest

from nncore.gradcheck import numerical_gradient, relative_error
from nncore.initializers import INITIALIZERS, get_initializer
from nncore.optimizers import OPTIMIZERS, Penalty, make_optimizer


def test_sgd_is_w_minus_alpha_dw():
    p, g = np.array([1.0, -2.0, 0.5]), np.array([0.1, 0.2, -0.4])
    make_optimizer("sgd", 3).update(p, g, 0.5)
    np.testing.assert_allclose(p, [0.95, -2.1, 0.7])


def test_momentum_is_an_exponentially_weighted_average():
    opt = make_optimizer("momentum", 2, momentum=0.9)
    p = np.zeros(2)
    g1, g2 = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    opt.update(p, g1, 1.0)
    v1 = 0.1 * g1
    np.testing.assert_allclose(p, -v1)
    opt.update(p, g2, 1.0)
    v2 = 0.9 * v1 + 0.1 * g2
    np.testing.assert_allclose(p, -v1 - v2)


def test_adam_matches_its_formula():
    opt = make_optimizer("adam", 2, momentum=0.9)
    p = np.array([0.3, -0.2])
    grads = [np.array([0.5, -1.0]), np.array([0.1, 0.3]), np.array([-0.2, 0.05])]
    v = s = np.zeros(2)
    ref = p.copy()
    for t, g in enumerate(grads, start=1):
        opt.update(p, g, 0.01)
        v = 0.9 * v + 0.1 * g
        s = 0.999 * s + 0.001 * g * g
        v_hat, s_hat = v / (1 - 0.9**t), s / (1 - 0.999**t)
        ref = ref - 0.01 * v_hat / (np.sqrt(s_hat) + 1e-8)
        np.testing.assert_allclose(p, ref, rtol=1e-10)


def test_snapshot_and_restore_undo_a_step():
    for name in OPTIMIZERS:
        opt = make_optimizer(name, 3)
        p = np.ones(3)
        opt.update(p, np.ones(3), 0.1)
        snap, saved = opt.snapshot(), p.copy()
        opt.update(p, np.full(3, 5.0), 0.1)
        opt.restore(snap)
        p[...] = saved
        q = p.copy()
        opt.update(p, np.ones(3), 0.1)
        other = make_optimizer(name, 3)
        r = np.ones(3)
        other.update(r, np.ones(3), 0.1)
        other.update(r, np.ones(3), 0.1)
        np.testing.assert_allclose(p, r)
        assert not np.array_equal(q, p)


def test_penalty_gradient_is_the_derivative_of_its_value():
    rng = np.random.default_rng(0)
    params = rng.standard_normal(10)
    pen = Penalty(l1=0.3, l2=0.7)
    n_weights = 6  # the last 4 entries are biases: never penalized
    g = pen.total_gradient(np.zeros(10), params, n_weights)
    num = numerical_gradient(lambda: pen.value(params[:n_weights]), params)
    assert relative_error(g, num) < 1e-8
    assert np.all(g[n_weights:] == 0)
    assert pen.value(params[:n_weights]) == pytest.approx(
        0.3 * np.abs(params[:6]).sum() + 0.35 * (params[:6] ** 2).sum()
    )
    assert not Penalty().active


@pytest.mark.parametrize("name", list(INITIALIZERS))
def test_initializers_are_seeded_and_scaled(name):
    make = get_initializer(name).make
    a = make(np.random.default_rng(3), 200, 50)
    b = make(np.random.default_rng(3), 200, 50)
    assert a.shape == (200, 50)
    np.testing.assert_array_equal(a, b)
    expected = {"zeros": 0.0, "small": 0.01, "xavier": np.sqrt(1 / 50), "he": np.sqrt(2 / 50)}
    assert a.std() == pytest.approx(expected[name], rel=0.05, abs=1e-12)


def test_unknown_names_list_the_allowed_ones():
    with pytest.raises(ValueError, match="sgd, momentum, adam"):
        make_optimizer("rmsprop", 3)
    with pytest.raises(ValueError, match="zeros, small, xavier, he"):
        get_initializer("orthogonal")
