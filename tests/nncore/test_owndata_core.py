"""The own-data core: CSV parsing never fails but with a ValueError; scaling round-trips."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore.owndata import Scaling, from_csv, from_points
from nncore.trainer import Config, Trainer


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=300))
def test_any_text_is_data_or_a_clear_value_error(text):
    try:
        own = from_csv(text, "binary", 3, 0.5, 0)
    except ValueError as e:
        assert str(e).startswith("csv: ")
    else:
        assert len(own.y_train) >= 1 and set(own.y_train) <= {0, 1}


@settings(max_examples=50, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.floats(-1e5, 1e5, allow_nan=False), st.floats(-1e5, 1e5), st.integers(0, 1)),
        min_size=2,
        max_size=60,
    )
)
def test_imported_numbers_come_back_in_their_own_units(rows):
    text = "\n".join(f"{a!r},{b!r},{c}" for a, b, c in rows)
    own = from_csv(text, "binary", 3, 0.5, 7)
    back = np.loadtxt(own.to_csv().splitlines()[1:], delimiter=",", usecols=(0, 1, 2))
    want = np.array([[a, b, c] for a, b, c in rows], float)

    def rows_sorted(a):  # the split shuffles rows: compare them in one order (ties rounded)
        return a[np.lexsort(np.round(a, 3).T[::-1])]

    assert np.allclose(rows_sorted(back), rows_sorted(want), rtol=1e-9, atol=1e-6)
    assert np.abs(np.vstack([own.X_train, own.X_test])).max() <= 2 * np.sqrt(len(rows)) + 1e-9


def test_the_split_follows_the_seed_and_the_fraction():
    text = "\n".join(f"{i},{i % 7},{i % 2}" for i in range(20))
    a, b = from_csv(text, "binary", 3, 0.7, 1), from_csv(text, "binary", 3, 0.7, 1)
    assert len(a.y_train) == 14 and np.array_equal(a.X_train, b.X_train)
    assert not np.array_equal(from_csv(text, "binary", 3, 0.7, 2).X_train, a.X_train)


def test_drawn_points_keep_the_weights_and_a_bad_label_changes_nothing():
    t = Trainer(Config(dataset="xor"))
    W = t.net.layers[0].W.copy()
    t.set_data(from_points("binary", 3, np.array([[1.0, 2.0], [-1, -2]]), np.array([1, 0])))
    assert np.array_equal(t.net.layers[0].W, W) and t.m_train == 2
    assert t.split.X_test.shape == (2, 2)  # no test points: the test numbers are the training set's
    with pytest.raises(ValueError, match="train.y"):
        t.set_data(from_points("binary", 3, np.array([[0.0, 0.0]]), np.array([5])))
    assert t.m_train == 2
    t.step(3)
    t.apply(learning_rate=0.1)
    assert t.m_train == 2 and t.own is not None
    t.reset()
    assert t.m_train == 2  # a reset keeps the user's points; new data replaces them
    t.apply(seed=3)
    assert t.own is None and t.m_train == 250


def test_the_view_stays_put_while_points_are_drawn_inside_it():
    t = Trainer(Config(dataset="xor"))
    view = t.bounds  # the generated data's view, where the teacher clicks
    inside = np.array(view.lo) * 0.99, np.array(view.hi) * 0.99  # corners, at the very edge
    t.set_data(from_points("binary", 3, np.array([[0.5, 0.5], *inside]), np.array([1, 0, 1])))
    assert t.bounds == view
    t.set_data(from_points("binary", 3, np.array([[0.5, 0.5]]), np.array([1])))
    assert t.bounds == view
    t.reset()
    assert t.bounds == view
    # a point outside the view (an imported file, say) widens it to show every point
    t.set_data(from_points("binary", 3, np.array([[0.5, 0.5], [20.0, 0.0]]), np.array([1, 0])))
    assert t.bounds.hi[0] > 20 and t.bounds.lo[0] < view.lo[0]


@pytest.mark.parametrize(
    "text, column, what",
    [
        ("1e200,1,0\n2e200,2,1\n3,3,0\n", 1, "standard deviation"),  # its squares overflow
        ("1,1e200,0\n2,-1e200,1\n3,3,0\n", 2, "standard deviation"),
        ("1,1e306,0\n" * 1500 + "2,1e306,1\n", 2, "mean"),  # the sum overflows
        ("x,label\n1e300,0\n-1.7e308,1\n", 1, "standard deviation"),
    ],
    ids=["1e200", "-1e200", "mean", "1-input"],
)
def test_a_csv_that_cannot_be_standardized_names_its_column(text, column, what):
    with pytest.raises(ValueError) as e:
        from_csv(text, "binary", 2, 0.5, 0)
    assert str(e.value).startswith(f"csv: column {column}: ") and what in str(e.value)


def test_large_but_standardizable_values_round_trip_to_finite_numbers():
    own = from_csv("1,1e150,0\n2,-1e150,1\n3,3,0\n4,5e149,1\n", "binary", 2, 0.5, 0)
    X, _ = own.raw()
    assert np.isfinite(own.scaling.std).all() and np.isfinite(X).all()
    assert sorted(X[:, 1]) == pytest.approx([-1e150, 0, 5e149, 1e150], abs=1e140)


@pytest.mark.parametrize(
    "scaling, field",
    [
        (((0.0, 0.0), (1.7e308, 1.0)), "scaling.std"),  # 3 / 2 * 1.7e308 is inf
        (((1.7e308, 0.0), (1e308, 1.0)), "scaling.std"),
        (((0.0, 0.0), (0.0, 1.0)), "scaling.std"),
        (((float("nan"), 0.0), (1.0, 1.0)), "scaling.mean"),
        (((0.0,), (1.0,)), "scaling.mean"),  # one per input
    ],
)
def test_a_scaling_whose_raw_points_are_not_finite_is_refused(scaling, field):
    X, y = np.array([[3.0, 2.0], [-1.0, 1.0]]), np.array([0.0, 1.0])
    with pytest.raises(ValueError) as e:
        from_points("binary", 2, X, y, scaling=Scaling(*scaling))
    assert str(e.value).startswith(f"{field}: ")
