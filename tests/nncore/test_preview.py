"""The preview of the next step (nncore/preview.py): it is the step that follows, bit for bit,
and it changes nothing in the session."""

import numpy as np
import pytest

from nncore import snapshot
from nncore.errors import InputError
from nncore.preview import preview
from nncore.trainer import Config, Diverged, Hidden, Trainer

CASES = {
    "sgd": (Config(n_samples=120, batch_size=7), 1, "batch"),
    "momentum-l2": (Config(n_samples=120, optimizer="momentum", l2=0.01), 3, "batch"),
    "adam-epoch": (
        Config(problem="multiclass", dataset="blobs", n_samples=90, optimizer="adam"),
        2,
        "epoch",
    ),
    "regression-whole": (
        Config(problem="regression", dataset="plane", n_samples=80, batch_size=2000),
        1,
        "batch",
    ),
}


def params(frame) -> list[bytes]:
    return [lf.W.tobytes() + lf.b.tobytes() for lf in frame.layers]


@pytest.mark.parametrize("name", CASES)
def test_a_preview_is_the_step_that_follows_bit_for_bit(name):
    config, steps, unit = CASES[name]
    t = Trainer(config)
    t.step(5)  # mid-epoch: the batch order and its random state matter
    for _ in range(3):
        before = snapshot.dump(t)
        p = preview(t, steps, unit, trace=True, grids="output")
        assert snapshot.dump(t) == before  # nothing changed: weights, slots, order, history
        frame = t.step(steps, unit, trace=True, grids="output")
        assert params(p.frame) == params(frame)
        assert (p.frame.step, p.frame.epoch) == (frame.step, frame.epoch)
        assert (p.frame.loss_train, p.frame.loss_test) == (frame.loss_train, frame.loss_test)
        assert p.frame.accuracy_test == frame.accuracy_test
        assert np.array_equal(p.frame.trace_indices, frame.trace_indices)
        assert np.array_equal(p.frame.grid.output, frame.grid.output)
        # the traced example: its loss after is the one the step gave it
        i = p.example
        assert i == frame.trace_indices[0]
        assert p.example_after.loss == t.example(i).loss
        assert np.array_equal(p.example_after.layers[-1].a, t.example(i).layers[-1].a)


def test_the_example_asked_for_and_the_losses_now():
    t = Trainer(Config(n_samples=100))
    t.step(2)
    now = t.example(17)
    p = preview(t, example=17)
    assert p.example == 17
    assert p.example_before.loss == now.loss
    assert p.before == t.evaluate()
    assert p.frame.trace_indices is None and p.frame.layers[0].Z is None  # no trace asked
    with pytest.raises(InputError) as e:
        preview(t, example=t.m_train)
    assert e.value.field == "example"


def test_a_step_that_would_diverge_is_said_and_the_session_is_left_as_it_was():
    t = Trainer(Config(learning_rate=10.0, hidden=(Hidden(8, "relu"),) * 4, init="he"))
    for _ in range(200):
        before = snapshot.dump(t)
        try:
            preview(t, 1, "epoch")
        except Diverged:
            break
        t.step(1, "epoch")
    else:
        pytest.fail("the run did not diverge")
    assert snapshot.dump(t) == before
    with pytest.raises(Diverged):  # the real step does what the preview said
        t.step(1, "epoch")
