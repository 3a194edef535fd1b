"""The timeline of a session (Trainer.timeline): every step request's state recorded, thinned
when long; a rewind goes back to one bit for bit and may branch with another setting."""

import numpy as np
import pytest

from nncore import snapshot
from nncore.errors import InputError
from nncore.features import FEATURES
from nncore.limits import LIMITS
from nncore.trainer import Config, Diverged, Hidden, Trainer

SIX_BY_EIGHT = Config(
    dataset="spiral", features=tuple(FEATURES), hidden=(Hidden(8, "tanh"),) * 6, noise=0.1
)


def requests(t: Trainer, n: int) -> list[tuple[int, np.ndarray]]:
    """n step requests of varied sizes (one an epoch); each resulting step and parameters."""
    out = []
    for i in range(n):
        f = t.step(1, "epoch") if i % 7 == 6 else t.step(1 + i % 3)
        out.append((f.step, t.net.params.copy()))
    return out


def test_step_zero_and_every_step_request_are_recorded():
    t = Trainer()
    assert t.recorded_steps() == [0]
    t.step(5)
    t.step(1, "epoch")
    assert t.recorded_steps() == [0, 5, 25]  # the epoch ends at 25
    assert [h.step for h in t.history] == [5, 25]  # step 0 has its frame, not a history entry
    r = t.record_at(5)
    assert r.step == 5 and r.epoch == 0 and r.params.dtype == np.float64
    assert r.params.shape == t.net.params.shape and r.config == t.config
    t.reset()
    assert t.recorded_steps() == [0] and t.abandoned == []


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_rewinding_and_stepping_again_repeats_the_run_bitwise(optimizer):
    t = Trainer(Config(optimizer=optimizer, batch_size=7, l2=0.001))
    original = requests(t, 30)
    k = original[9][0]
    t.rewind(k)
    assert t.step_count == k and np.array_equal(t.net.params, original[9][1])
    again = [(f.step, t.net.params.copy()) for f in (t.step(1 + i % 3) for i in range(10, 30))]
    # the same requests as the original's 11th to 30th, but without its epoch ones
    t2 = Trainer(Config(optimizer=optimizer, batch_size=7, l2=0.001))
    requests(t2, 10)
    expected = [(f.step, t2.net.params.copy()) for f in (t2.step(1 + i % 3) for i in range(10, 30))]
    for (s, p), (s2, p2) in zip(again, expected, strict=True):
        assert s == s2 and p.tobytes() == p2.tobytes(), s


def test_rewinding_then_the_same_requests_gives_every_w_and_b_of_the_original():
    t = Trainer(SIX_BY_EIGHT)
    original = [t.step(2) for _ in range(30)]
    t.rewind(original[9].step)
    for f in original[10:]:
        g = t.step(2)
        assert g.step == f.step
        for a, b in zip(f.layers, g.layers, strict=True):
            assert a.W.tobytes() == b.W.tobytes() and a.b.tobytes() == b.b.tobytes()


def test_a_branch_with_another_rate_starts_from_the_same_state_and_differs():
    t = Trainer()
    requests(t, 12)
    k = t.recorded_steps()[5]
    before = t.record_at(k).params.copy()
    t.rewind(k)
    t.step(3)
    original = t.net.params.copy()
    t.rewind(k)
    t.step(3)
    assert np.array_equal(t.net.params, original)
    t.rewind(k, learning_rate=0.3)
    assert np.array_equal(t.net.params, before) and t.config.learning_rate == 0.3
    t.step(3)
    assert not np.allclose(t.net.params, original)


def test_records_keep_their_configuration_and_a_rewind_brings_it_back():
    t = Trainer(Config(hidden=(Hidden(4, "tanh"),)))
    t.step(10)
    t.apply(hidden=[{"units": 4, "activation": "relu"}], learning_rate=0.1)
    t.step(10)
    assert t.recorded_steps() == [0, 10, 20]  # an activation or a rate keeps the timeline
    assert t.record_at(10).config.hidden[0].activation == "tanh"
    assert t.record_at(20).config.hidden[0].activation == "relu"
    relu = t.frame_at(20)
    t.rewind(10)
    assert t.net.layers[0].activation == "tanh" and t.config.learning_rate == 0.03
    assert t.frame_at(10).layers[0].activation == "tanh"
    assert relu.layers[0].activation == "relu"


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.apply(noise=0.2),
        lambda t: t.apply(hidden=[{"units": 5, "activation": "tanh"}]),
        lambda t: t.apply(optimizer="adam"),
        lambda t: t.reset(),
    ],
    ids=["new data", "another shape", "another optimizer", "reset"],
)
def test_new_data_a_new_shape_or_optimizer_and_a_reset_start_a_new_timeline(change):
    t = Trainer()
    t.step(5)
    t.step(5)
    change(t)
    assert t.recorded_steps() == [t.step_count]
    assert np.array_equal(t.timeline[0].params, t.net.params)


def test_a_hand_set_weight_keeps_the_timeline_and_a_rewind_undoes_it():
    t = Trainer()
    t.step(5)
    kept = t.net.params.copy()
    t.set_parameter(1, 0, 0, 3.0)
    t.step(5)
    assert t.recorded_steps() == [0, 5, 10]
    t.rewind(5)
    assert np.array_equal(t.net.params, kept)


def test_a_long_run_is_thinned_spans_the_whole_run_and_keeps_its_history_entries():
    t = Trainer(Config(n_samples=50))
    n = 3 * LIMITS.timeline_entries + 7
    for _ in range(n):
        t.step(1)
    steps = t.recorded_steps()
    assert len(steps) <= LIMITS.timeline_entries
    assert steps[0] == 0 and steps[-1] == n and steps == sorted(steps)
    assert max(np.diff(steps)) <= 4 * n / LIMITS.timeline_entries  # evenly over the run
    history = {h.step for h in t.history}
    assert set(steps[1:]) <= history


def test_history_thinning_keeps_the_recorded_steps():
    t = Trainer(Config(n_samples=50))
    for _ in range(LIMITS.max_history + 300):
        t.step(1)
    assert len(t.history) <= LIMITS.max_history
    assert set(t.recorded_steps()[1:]) <= {h.step for h in t.history}


def test_the_largest_network_keeps_fewer_records_within_the_byte_bound():
    c = Config(
        features=tuple(FEATURES),
        hidden=(Hidden(LIMITS.max_units),) * LIMITS.max_hidden_layers,
        optimizer="adam",
        n_samples=50,
    )
    t = Trainer(c)
    for _ in range(60):
        t.step(1)
    held = sum(r.nbytes() for r in t.timeline)
    assert held <= LIMITS.timeline_bytes and len(t.timeline) >= 3
    assert t.recorded_steps()[0] == 0 and t.recorded_steps()[-1] == 60


def test_an_unrecorded_step_is_refused_naming_the_nearest_and_nothing_changes():
    t = Trainer()
    t.step(5)
    t.step(5)
    with pytest.raises(InputError) as e:
        t.rewind(7)
    assert e.value.field == "step" and "5, 10" in e.value.message
    with pytest.raises(InputError) as e:
        t.rewind(5, learning_rate=99.0)
    assert e.value.field == "learning_rate"
    assert t.step_count == 10 and t.recorded_steps() == [0, 5, 10]


def test_the_abandoned_future_is_kept_until_the_next_rewind():
    t = Trainer()
    for _ in range(6):
        t.step(5)
    t.rewind(10)
    assert [h.step for h in t.abandoned] == [10, 15, 20, 25, 30]
    assert [h.step for h in t.history] == [5, 10] and t.recorded_steps() == [0, 5, 10]
    t.step(5)
    t.step(5)
    assert len(t.abandoned) == 5  # stepping keeps it
    t.rewind(15)
    assert [h.step for h in t.abandoned] == [15, 20]


def test_the_timeline_and_the_abandoned_future_survive_a_snapshot_bit_for_bit():
    t = Trainer(Config(optimizer="adam", batch_size=7))
    requests(t, 20)
    t.apply(hidden=[{"units": 4, "activation": "relu"}, {"units": 2, "activation": "tanh"}])
    requests(t, 5)
    t.rewind(t.recorded_steps()[8])
    requests(t, 3)
    data = snapshot.dump(t)
    back = snapshot.load(data)
    assert snapshot.dump(back) == data
    assert back.recorded_steps() == t.recorded_steps() and back.abandoned == t.abandoned
    assert [r.config for r in back.timeline] == [r.config for r in t.timeline]
    k = t.recorded_steps()[-2]
    t.rewind(k)
    back.rewind(k)
    assert t.step(4).layers[0].W.tobytes() == back.step(4).layers[0].W.tobytes()


def test_back_to_step_n_after_a_divergence_is_a_rewind():
    t = Trainer(Config(problem="regression", dataset="plane", learning_rate=3))
    for _ in range(5):
        t.step(1)
    with pytest.raises(Diverged) as e:
        t.step(100)
    good = e.value.last_good_step
    t.restore(0.01)
    assert t.step_count == good and t.recorded_steps()[-1] == good
    assert t.abandoned and all(h.step >= good for h in t.abandoned)
    t.step(10)
    t.rewind(good)  # the state it went back to is on the timeline
    assert t.step_count == good
