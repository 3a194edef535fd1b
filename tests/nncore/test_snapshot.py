"""A session saved and loaded between every step continues bit for bit (nncore/snapshot.py)."""

import numpy as np
import pytest

from nncore import snapshot
from nncore.owndata import Scaling, from_points
from nncore.trainer import Config, Diverged, Hidden, Trainer


def own_data(t: Trainer) -> None:
    rng = np.random.default_rng(7)
    X = rng.uniform(-5, 5, (80, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    t.set_data(
        from_points("binary", 2, X[:60], y[:60], X[60:], y[60:], Scaling((1.0, 2.0), (3.0, 4.0)))
    )


CASES = {
    "sgd-batches": (Config(batch_size=7), False),
    "momentum-batches": (Config(optimizer="momentum", batch_size=10, l2=0.01), False),
    "adam-batches": (Config(optimizer="adam", dataset="spiral", classes=3, l1=0.001), False),
    "adam-whole": (Config(optimizer="adam", batch_size=2000), False),
    "sgd-own-batches": (Config(batch_size=9), True),
    "momentum-own-whole": (Config(optimizer="momentum", batch_size=2000), True),
    "multiclass": (
        Config(problem="multiclass", dataset="blobs", hidden=(Hidden(5, "relu"),)),
        False,
    ),
    "regression": (Config(problem="regression", dataset="plane", optimizer="adam"), False),
}


def state(t: Trainer, frame) -> tuple:
    return (
        t.net.params.tobytes(),
        t.net.grads.tobytes(),
        [s.tobytes() for s in t.optimizer.slots],
        t.optimizer.t,
        t.step_count,
        t.epoch,
        t._pos,
        t._order.tobytes(),
        t._batch_rng.bit_generator.state,
        frame.loss_train,
        frame.loss_test,
        frame.accuracy_train,
        [(h.step, h.loss_train, h.accuracy_test, h.grad_norm_W) for h in t.history],
        None if frame.trace_indices is None else frame.trace_indices.tobytes(),
        [None if lf.dZ is None else lf.dZ.tobytes() for lf in frame.layers],
        t.bounds,
    )


def make(config: Config, own: bool) -> Trainer:
    t = Trainer(config)
    if own:
        own_data(t)
    return t


@pytest.mark.parametrize("case", CASES)
def test_a_dump_and_load_between_every_step_is_bit_for_bit(case):
    config, own = CASES[case]
    straight, saved = make(config, own), make(config, own)
    for i in range(100):
        saved = snapshot.load(snapshot.dump(saved))
        unit = "epoch" if i % 10 == 9 else "batch"
        a = straight.step(1, unit, trace=True)
        b = saved.step(1, unit, trace=True)
        assert state(straight, a) == state(saved, b), f"step {i}"
    assert straight.last_batch().loss == snapshot.load(snapshot.dump(saved)).last_batch().loss


def step_or_diverge(t: Trainer) -> tuple:
    try:
        return state(t, t.step(1))
    except Diverged as e:
        return ("diverged", e.step, e.last_good_step, e.suggested_rate)


def test_the_divergence_ring_and_the_state_to_go_back_to_survive():
    config = Config(problem="regression", dataset="plane", learning_rate=3)
    straight, saved = Trainer(config), Trainer(config)
    outcomes = []
    for _ in range(30):
        saved = snapshot.load(snapshot.dump(saved))
        outcomes.append(step_or_diverge(straight))
        assert step_or_diverge(saved) == outcomes[-1]
    assert any(o[0] == "diverged" and o[2] is not None for o in outcomes)
    saved = snapshot.load(snapshot.dump(saved))
    straight.restore(0.01)
    saved.restore(0.01)
    for _ in range(20):
        saved = snapshot.load(snapshot.dump(saved))
        assert step_or_diverge(straight) == step_or_diverge(saved)


def test_a_history_thinned_and_accuracies_of_none_survive():
    t = Trainer(Config(problem="regression", dataset="plane"))
    for _ in range(1100):
        t.frame(record=True)
    back = snapshot.load(snapshot.dump(t))
    assert back.history == t.history
    assert back.history[0].accuracy_train is None


def test_unknown_versions_and_damaged_bytes_are_refused():
    data = snapshot.dump(Trainer())
    with pytest.raises(snapshot.SnapshotError, match="not a session snapshot"):
        snapshot.load(data[:100])
    with pytest.raises(snapshot.SnapshotError, match="not a session snapshot"):
        snapshot.load(b"hello")
    old = snapshot.VERSION
    try:
        snapshot.VERSION = old + 1
        newer = snapshot.dump(Trainer())
    finally:
        snapshot.VERSION = old
    with pytest.raises(snapshot.SnapshotError, match=f"version {old + 1} is not supported"):
        snapshot.load(newer)
