"""Datasets and feature maps: every registry entry, seeded, shaped and labelled as documented."""

import numpy as np
import pytest

from nncore.datasets import DATASETS, make_dataset
from nncore.errors import InputError
from nncore.features import FEATURES, available_features, transform, validate_features
from nncore.limits import LIMITS

ALL = [(p, n) for p, names in DATASETS.items() for n in names]


@pytest.mark.parametrize("problem, name", ALL)
def test_every_dataset_is_seeded_shaped_and_split(problem, name):
    s = make_dataset(problem, name, 301, 0.2, 0.7, seed=11, classes=4)
    d = DATASETS[problem][name].n_inputs
    assert s.X_train.shape == (211, d) and s.X_test.shape == (90, d)
    assert s.y_train.shape == (211,) and s.y_test.shape == (90,)
    assert np.all(np.isfinite(s.X_train)) and np.abs(s.X_train).max() < 12
    again = make_dataset(problem, name, 301, 0.2, 0.7, seed=11, classes=4)
    np.testing.assert_array_equal(s.X_train, again.X_train)
    np.testing.assert_array_equal(s.y_test, again.y_test)
    other = make_dataset(problem, name, 301, 0.2, 0.7, seed=12, classes=4)
    assert not np.array_equal(s.X_train, other.X_train)
    clean = make_dataset(problem, name, 301, 0.0, 0.7, seed=11, classes=4)
    noisy = make_dataset(problem, name, 301, 0.5, 0.7, seed=11, classes=4)
    assert not np.array_equal(clean.X_train, noisy.X_train) or not np.array_equal(
        clean.y_train, noisy.y_train
    )
    y = np.concatenate([s.y_train, s.y_test])
    if problem != "regression":
        k = 2 if problem == "binary" else 4
        assert s.classes == k and y.dtype == np.int64
        counts = np.bincount(y, minlength=k)
        assert counts.size == k and counts.max() - counts.min() <= 1  # balanced


def test_clean_data_follows_its_rule():
    s = make_dataset("binary", "circle", 400, 0.0, 0.5, seed=1)
    X, y = s.X_train, s.y_train
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all((r < 3) == (y == 1))
    s = make_dataset("binary", "xor", 400, 0.0, 0.5, seed=1)
    np.testing.assert_array_equal(s.y_train, (s.X_train[:, 0] * s.X_train[:, 1] > 0))
    s = make_dataset("binary", "gauss", 400, 0.0, 0.5, seed=1)
    np.testing.assert_array_equal(s.y_train, s.X_train.sum(axis=1) > 0)
    s = make_dataset("regression", "sine", 100, 0.0, 0.5, seed=1)
    np.testing.assert_allclose(s.y_train, np.sin(s.X_train[:, 0]))
    s = make_dataset("regression", "plane", 100, 0.0, 0.5, seed=1)
    np.testing.assert_allclose(s.y_train, s.X_train.sum(axis=1) / 12)


@pytest.mark.parametrize(
    "args, field",
    [
        (("binary", "sine", 100, 0.0, 0.5, 0), "dataset"),
        (("ranking", "circle", 100, 0.0, 0.5, 0), "problem"),
        (("binary", "circle", 1, 0.0, 0.5, 0), "n_samples"),
        (("binary", "circle", 100, 1.5, 0.5, 0), "noise"),
        (("binary", "circle", 100, 0.0, 1.0, 0), "train_fraction"),
        (("multiclass", "blobs", 100, 0.0, 0.5, 0, 7), "classes"),
    ],
)
def test_bad_arguments_name_the_argument(args, field):
    with pytest.raises(ValueError, match=field):
        make_dataset(*args)


def test_split_keeps_at_least_one_example_each_side():
    s = make_dataset("binary", "circle", 10, 0.0, 0.9, seed=0)
    assert len(s.y_train) == 9 and len(s.y_test) == 1


def test_a_dataset_outside_the_limits_table_names_the_field():
    # the same bounds as the service's schema: one table (nncore/limits.py)
    with pytest.raises(InputError, match="train_fraction"):
        make_dataset("binary", "circle", 10, 0.0, 0.99, seed=0)
    with pytest.raises(InputError, match="n_samples"):
        make_dataset("binary", "circle", LIMITS.min_samples - 1, 0.0, 0.5, seed=0)


def test_feature_values():
    X = np.array([[2.0, 0.5], [-1.0, 3.0]])  # two examples: (2, -1) and (0.5, 3)
    out = transform(list(FEATURES), X)
    expected = [
        [2.0, 0.5],
        [-1.0, 3.0],
        [4.0, 0.25],
        [1.0, 9.0],
        [-2.0, 1.5],
        [np.sin(2.0), np.sin(0.5)],
        [np.sin(-1.0), np.sin(3.0)],
    ]
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(transform(["x1_times_x2", "x1"], X), [[-2.0, 1.5], [2.0, 0.5]])
    f32 = transform(["sin_x1"], X.astype(np.float32))
    assert f32.dtype == np.float32
    buf = np.empty((1, 2))
    assert transform(["x2_squared"], X, out=buf) is buf


def test_features_for_one_input_and_validation():
    assert available_features(1) == ["x1", "x1_squared", "sin_x1"]
    assert available_features(2) == list(FEATURES)
    assert validate_features(["sin_x2", "x1"], 2) == ("x1", "sin_x2")
    for bad, msg in [
        ([], "at least one"),
        (["x1", "x1"], "twice"),
        (["x2"], "x2"),
        (["cube"], "cube"),
    ]:
        with pytest.raises(ValueError, match=msg):
            validate_features(bad, 1)
