"""The notes' point on input scale (CS231n: multiply every input by 100 and the weight
gradients grow 100 times), in the core: Config.input_scale and CSV import without
standardizing."""

from dataclasses import replace

import numpy as np
import pytest

from nncore.errors import InputError
from nncore.owndata import LIMIT, from_csv
from nncore.trainer import Config, Hidden, Trainer

CONFIG = Config(dataset="gauss", hidden=(Hidden(4, "tanh"),), features=("x1", "x2"))


def gradients(t: Trainer):
    net = t.net
    caches = net.forward(t.X_train)
    grads = net.backward(t.Y_train, caches)
    return caches, [(g.dW.copy(), g.db.copy()) for g in grads]


def test_inputs_times_100_at_the_same_z_give_first_layer_gradients_times_100():
    plain = Trainer(CONFIG)
    scaled = Trainer(replace(CONFIG, input_scale=100))
    np.testing.assert_array_equal(scaled.split.X_train, 100 * plain.split.X_train)
    np.testing.assert_array_equal(scaled.split.y_train, plain.split.y_train)
    np.testing.assert_array_equal(scaled.net.params, plain.net.params)  # the same start
    scaled.net.layers[0].W[...] = plain.net.layers[0].W / 100  # W[1] / 100: the same Z[1]

    caches, (g1, g2) = gradients(plain)
    caches100, (h1, h2) = gradients(scaled)
    np.testing.assert_allclose(caches100[0].Z, caches[0].Z, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(h1[0], 100 * g1[0], rtol=1e-12)  # dW[1] = (1/m) dZ[1] X^T
    np.testing.assert_allclose(h1[1], g1[1], rtol=1e-12)  # db[1] does not see X
    np.testing.assert_allclose(h2[0], g2[0], rtol=1e-12)  # nor does the next layer
    assert np.linalg.norm(h1[0]) == pytest.approx(100 * np.linalg.norm(g1[0]), rel=1e-12)


@pytest.mark.parametrize("scale", [0, 0.001, 101, float("nan")])
def test_the_input_scale_is_bounded(scale):
    with pytest.raises(InputError) as e:
        Config(input_scale=scale).validated()
    assert e.value.field == "input_scale"


def test_changing_the_scale_live_regenerates_the_points():
    t = Trainer(CONFIG)
    X = t.split.X_train.copy()
    t.apply(input_scale=10)
    np.testing.assert_allclose(t.split.X_train, 10 * X)
    assert t.bounds.hi[0] > 10 * X[:, 0].max()  # the plot follows the points


CSV = "x1,x2,label\n" + "".join(f"{50 + i},{-1000 * i},{i % 2}\n" for i in range(10))


def test_an_unstandardized_csv_keeps_the_files_numbers():
    own = from_csv(CSV, "binary", 2, 0.5, 0, standardize=False)
    assert own.scaling is None
    X, _ = own.raw()
    assert sorted(map(tuple, X)) == [(50.0 + i, -1000.0 * i) for i in range(10)]
    standardized = from_csv(CSV, "binary", 2, 0.5, 0)
    assert standardized.scaling is not None and np.abs(standardized.X_train).max() < 6


def test_an_input_beyond_the_limit_names_its_row_and_column():
    text = CSV + f"1,{2 * LIMIT:g},0\n"
    with pytest.raises(InputError) as e:
        from_csv(text, "binary", 2, 0.5, 0, standardize=False)
    assert e.value.code == "csv.input_beyond"
    assert e.value.message.startswith("row 12, column 2: '2e+06' is beyond ±1e+06")
    from_csv(text, "binary", 2, 0.5, 0)  # standardized, it is fine
