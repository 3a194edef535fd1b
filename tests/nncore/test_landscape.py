"""The loss landscape over two weights (nncore/landscape.py): the vectorized grid equals one
forward pass per point, its centre is the loss the curve shows, and the path goes through the
recorded states."""

import numpy as np
import pytest

from nncore.errors import InputError
from nncore.landscape import (
    MIN_HALF_SPAN,
    Pick,
    axis_values,
    check,
    grid_loss,
    landscape,
    loop_loss,
    recorded,
    states_loss,
)
from nncore.limits import LIMITS
from nncore.network import Network
from nncore.trainer import Config, Hidden, Trainer

CONFIGS = {
    "binary-tanh": Config(n_samples=80, hidden=(Hidden(4, "tanh"), Hidden(3, "relu"))),
    "multiclass": Config(
        problem="multiclass", dataset="blobs", n_samples=90, hidden=(Hidden(5, "sigmoid"),)
    ),
    "regression": Config(
        problem="regression", dataset="plane", n_samples=80, hidden=(Hidden(3, "leaky_relu"),)
    ),
}


def trained(config: Config, steps: int = 15) -> Trainer:
    t = Trainer(config)
    t.step(steps)
    return t


def pairs(net: Network) -> list[tuple[Pick, Pick]]:
    """Both in layer 1, one shallow and one deep (either order), both in the output layer."""
    L = net.L
    last = Pick(L, 0, net.sizes[L - 1] - 1)
    return [
        (Pick(1, 0, 0), Pick(1, 1, 1)),
        (Pick(1, 0, 1), Pick(1, 0, 0)),  # one row of W[1]: both move Z[1][0]
        (Pick(1, 1, 0), last),
        (last, Pick(1, 1, 0)),
        (Pick(L, 0, 0), last),
    ]


@pytest.mark.parametrize("name", CONFIGS)
def test_the_vectorized_grid_equals_one_forward_pass_per_point(name):
    t = trained(CONFIGS[name])
    va, vb = np.linspace(-2.0, 1.5, 6), np.linspace(-1.0, 2.5, 5)
    for a, b in pairs(t.net):
        fast = grid_loss(t.net, t.X_train, t.Y_train, a, b, va, vb)
        slow = loop_loss(t.net, t.X_train, t.Y_train, a, b, va, vb)
        assert fast.shape == (6, 5)
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12, err_msg=f"{a} {b}")
        # chunked into single values of the deeper weight: the same numbers
        tiny = grid_loss(t.net, t.X_train, t.Y_train, a, b, va, vb, chunk_values=1)
        np.testing.assert_allclose(tiny, slow, rtol=1e-12, atol=1e-12)
    # the weights of the network are untouched
    assert np.array_equal(t.net.params, trained(CONFIGS[name]).net.params)


def test_float32_passes_stay_within_float32_precision_of_float64():
    t = trained(CONFIGS["binary-tanh"])
    va = vb = np.linspace(-1.0, 1.0, 7)
    a, b = Pick(1, 0, 0), Pick(2, 1, 2)
    exact = grid_loss(t.net, t.X_train, t.Y_train, a, b, va, vb)
    single = grid_loss(t.net, t.X_train, t.Y_train, a, b, va, vb, np.float32)
    np.testing.assert_allclose(single, exact, rtol=2e-6)


@pytest.mark.parametrize("name", CONFIGS)
def test_the_grid_point_at_the_current_weights_is_the_training_loss_shown(name):
    t = trained(CONFIGS[name])
    frame = t.frame()
    a, b = Pick(1, 0, 0), Pick(t.net.L, 0, 0)
    s = landscape(t, a, b, 21)
    assert s.values_a[10] == t.net.layers[0].W[0, 0]  # the centre is exactly the weight now
    assert s.values_b[10] == t.net.layers[-1].W[0, 0]
    assert s.loss[10, 10] == pytest.approx(frame.loss_train, rel=1e-6)
    assert s.current == (s.values_a[10], s.values_b[10], frame.loss_train)
    # elsewhere the surface is not flat: the weights matter
    assert np.ptp(s.loss) > 1e-3


def test_the_path_passes_through_the_recorded_parameters():
    t = trained(CONFIGS["binary-tanh"], steps=1)
    for _ in range(5):
        t.step(3)
    a, b = Pick(1, 1, 0), Pick(2, 2, 3)
    s = landscape(t, a, b, 11)
    states = recorded(t)
    if not hasattr(t, "timeline"):  # until the timeline is merged: the current state alone
        assert [step for step, _ in states] == [t.step_count]
    P = np.stack([p for _, p in states])
    assert s.path_steps.tolist() == [step for step, _ in states]
    assert np.array_equal(s.path_a, P[:, a.index(t.net)])
    assert np.array_equal(s.path_b, P[:, b.index(t.net)])
    assert s.path_steps[-1] == t.step_count
    assert s.path_a[-1] == t.net.layers[0].W[1, 0] and s.path_b[-1] == t.net.layers[1].W[2, 3]
    # each point's loss is that state's own, every weight as it was then
    for (_, p), loss in zip(states, s.path_loss, strict=True):
        net = t.net.copy()
        net.params[...] = p
        assert loss == pytest.approx(net.loss(t.Y_train, net.forward(t.X_train)), rel=1e-6)
    # the grid covers the path
    for values, visited in ((s.values_a, s.path_a), (s.values_b, s.path_b)):
        assert values[0] < visited.min() and visited.max() < values[-1]


def test_states_are_evaluated_together_as_one_at_a_time():
    t = trained(CONFIGS["multiclass"])
    rng = np.random.default_rng(3)
    P = t.net.params + rng.normal(0, 0.5, (4, t.net.params.size))
    together = states_loss(t.net, t.X_train, t.Y_train, P)
    one = states_loss(t.net, t.X_train, t.Y_train, P, chunk_values=1)
    for p, loss, again in zip(P, together, one, strict=True):
        net = t.net.copy()
        net.params[...] = p
        expected = net.loss(t.Y_train, net.forward(t.X_train))
        assert loss == pytest.approx(expected, rel=1e-12) and again == pytest.approx(expected)


def test_the_axes_centre_on_the_weight_and_reach_past_the_path():
    v = axis_values(0.5, np.array([0.4, 0.6]), 11)
    assert v[5] == 0.5 and v[0] == 0.5 - MIN_HALF_SPAN and v[-1] == 0.5 + MIN_HALF_SPAN
    w = axis_values(0.0, np.array([-3.0, 0.0]), 41)
    assert w[20] == 0.0 and w[0] < -3.0 and w[-1] > 3.0
    assert np.allclose(np.diff(w), np.diff(w)[0])  # evenly spaced
    assert axis_values(1.0, np.array([]), 12).size == 12


def test_bad_requests_name_their_field_and_bound():
    t = trained(CONFIGS["binary-tanh"], steps=1)
    a, b = Pick(1, 0, 0), Pick(2, 0, 0)
    assert check(t, a, b, 41) > 0
    with pytest.raises(InputError) as e:
        check(t, a, a, 41)
    assert e.value.field == "b"
    for n in (LIMITS.min_landscape_grid - 1, LIMITS.max_landscape_grid + 1):
        with pytest.raises(InputError) as e:
            check(t, a, b, n)
        assert e.value.field == "n" and str(LIMITS.max_landscape_grid) in e.value.message


def test_a_grid_beyond_the_work_budget_names_the_most_allowed():
    big = Config(n_samples=2000, train_fraction=0.9, hidden=tuple(Hidden(32) for _ in range(8)))
    t = Trainer(big)
    a, b = Pick(1, 0, 0), Pick(1, 1, 1)  # both in layer 1: every layer runs on every point
    with pytest.raises(InputError) as e:
        check(t, a, b, LIMITS.max_landscape_grid)
    assert e.value.field == "n"
    if e.value.limit is not None:  # a smaller grid fits: it is named, and it passes
        assert LIMITS.min_landscape_grid <= e.value.limit < LIMITS.max_landscape_grid
        assert check(t, a, b, int(e.value.limit)) <= LIMITS.max_work_seconds
