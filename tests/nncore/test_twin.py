"""nncore.twin: a second trainer with the first one's data, seed and start, and its own changes."""

import numpy as np
import pytest

from nncore.errors import InputError
from nncore.trainer import Config, Hidden, Trainer
from nncore.twin import SHARED, twin


def test_the_twin_starts_where_the_first_started_and_leaves_it_as_it_was():
    t = Trainer(Config(dataset="moons", noise=0.2, seed=5, hidden=(Hidden(5), Hidden(3))))
    start = t.net.params.copy()
    t.step(40)
    now = t.net.params.copy()
    u = twin(
        t, {"hidden": [{"units": 5, "activation": "relu"}, {"units": 3, "activation": "relu"}]}
    )
    assert np.array_equal(t.net.params, now) and t.step_count == 40  # untouched
    assert u.step_count == 0 and u.history == []
    assert np.array_equal(u.net.params, start)
    assert np.array_equal(u.X_train, t.X_train) and np.array_equal(u.Y_test, t.Y_test)
    assert [layer.activation for layer in u.net.layers] == ["relu", "relu", "sigmoid"]


def test_the_twins_then_train_bit_for_bit_alike_when_nothing_differs():
    t = Trainer(Config(dataset="xor"))
    u = twin(t, {})
    for _ in range(3):
        ft, fu = t.step(7), u.step(7)
        assert ft.loss_train == fu.loss_train
    assert np.array_equal(t.net.params, u.net.params)


@pytest.mark.parametrize("field", SHARED)
def test_a_twin_may_not_change_the_data_or_the_seed(field):
    t = Trainer(Config())
    value = {"problem": "regression", "dataset": "xor", "n_samples": 100, "noise": 0.3}.get(
        field, {"train_fraction": 0.8, "classes": 4, "seed": 9, "input_scale": 10.0}.get(field)
    )
    with pytest.raises(InputError) as e:
        twin(t, {field: value})
    assert e.value.field == field
