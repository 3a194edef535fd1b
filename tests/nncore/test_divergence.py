"""A divergence can be undone: the trainer keeps the last good state before a run took off,
says which step it is, and goes back to it bit for bit, with a lower rate if asked."""

import numpy as np
import pytest

from nncore.errors import InputError
from nncore.limits import LIMITS
from nncore.trainer import Config, Diverged, Hidden, Trainer

PLANE_AT_3 = Config(problem="regression", dataset="plane", learning_rate=3)
TANH6_AT_10 = Config(
    problem="regression", dataset="plane", hidden=(Hidden(8, "tanh"),) * 6, learning_rate=10
)


def diverge(t: Trainer, most: int = 200) -> Diverged:
    with pytest.raises(Diverged) as err:
        for _ in range(most):
            t.step(1)
    return err.value


@pytest.mark.parametrize("config", [PLANE_AT_3, TANH6_AT_10], ids=["plane-3", "tanh6-10"])
def test_going_back_and_lowering_the_rate_continues_and_the_loss_falls(config):
    t = Trainer(config)
    start = t.frame().loss_train
    e = diverge(t)
    # stopped early: the weights are still far from the old threshold of 1e6
    assert e.step < 12 and np.abs(t.net.params).max() < 1e3
    assert 0 <= e.last_good_step < e.step
    assert e.suggested_rate < config.learning_rate
    assert f"step {e.last_good_step}" in str(e)
    t.restore(e.suggested_rate)
    assert t.step_count == e.last_good_step and t.config.learning_rate == e.suggested_rate
    assert t.last_good is None
    assert all(h.step <= e.last_good_step for h in t.history)
    good = t.frame().loss_train
    assert good < 2 * start  # the state before the take-off, not one inside it
    f = t.step(300)
    assert f.step == e.last_good_step + 300 and f.loss_train < good / 3


def test_restoring_then_stepping_at_the_same_rate_is_bit_for_bit():
    # 50 training examples in batches of 10: the divergence comes epochs after the start, so the
    # mini-batch order and the batch RNG must come back too, and momentum's velocity
    config = Config(
        problem="regression", dataset="plane", n_samples=100, optimizer="momentum", momentum=0.5
    )

    def run_to(t: Trainer, step: int) -> None:
        t.step(min(step, 9))
        t.apply(learning_rate=10)
        if step > 9:
            t.step(step - 9)

    t = Trainer(config)
    run_to(t, 9)
    e = diverge(t)
    assert e.last_good_step >= 9
    t.restore()
    assert t.epoch >= 1 and t._pos != 0  # mid-epoch, after shuffles
    again = Trainer(config)
    run_to(again, e.last_good_step)
    np.testing.assert_array_equal(t.net.params, again.net.params)
    np.testing.assert_array_equal(t.optimizer.slots[0], again.optimizer.slots[0])
    assert (t.step_count, t.epoch, t._pos) == (again.step_count, again.epoch, again._pos)
    # both take the same steps from here: the same divergence at the same step...
    assert diverge(t).step == diverge(again).step == e.step
    np.testing.assert_array_equal(t.net.params, again.net.params)
    # ...and, back once more with a lower rate, the same training
    t.restore(0.3)
    again.restore(0.3)
    t.step(30)
    again.step(30)
    np.testing.assert_array_equal(t.net.params, again.net.params)


def test_a_restored_run_at_a_lower_rate_matches_one_that_never_diverged():
    t = Trainer(PLANE_AT_3)
    e = diverge(t)
    t.restore(0.3)
    t.step(25)
    other = Trainer(PLANE_AT_3)
    if e.last_good_step:
        other.step(e.last_good_step)
    other.apply(learning_rate=0.3)
    other.step(25)
    np.testing.assert_array_equal(t.net.params, other.net.params)


def test_restore_needs_a_divergence_and_a_rate_in_range():
    t = Trainer(PLANE_AT_3)
    t.step(1)
    with pytest.raises(InputError, match="not diverged"):
        t.restore()
    diverge(t)
    before = t.net.params.copy(), t.step_count
    for bad in (0.0, -1.0, LIMITS.max_learning_rate * 2, float("nan")):
        with pytest.raises(InputError, match="learning_rate"):
            t.restore(bad)
    np.testing.assert_array_equal(t.net.params, before[0])
    assert t.step_count == before[1] and t.last_good is not None
    t.restore(0.1)
    with pytest.raises(InputError):
        t.restore()  # once: the state it went back to is the run now


def test_a_change_of_shape_or_a_reset_forgets_the_kept_states():
    t = Trainer(PLANE_AT_3)
    diverge(t)
    t.apply(hidden=[{"units": 3, "activation": "tanh"}])
    with pytest.raises(InputError):
        t.restore()
    diverge(t)
    t.reset()
    with pytest.raises(InputError):
        t.restore()


@pytest.mark.parametrize(
    "config",
    [
        Config(learning_rate=10),  # oscillates between bounded, saturated states: no take-off
        Config(init="small", dataset="xor", learning_rate=3),  # x0.01 weights growing to 1
        Config(optimizer="adam", learning_rate=1),
        Config(optimizer="momentum", momentum=0.99, learning_rate=1),
        Config(dataset="spiral", hidden=(Hidden(8, "relu"),) * 3, optimizer="adam"),
    ],
    ids=["binary-10", "small-init", "adam-1", "momentum-0.99", "spiral-adam"],
)
def test_ordinary_or_merely_bouncing_training_is_not_a_take_off(config):
    Trainer(config).step(500)
