"""The own-data core: CSV parsing never fails but with a ValueError; scaling round-trips."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore.owndata import from_csv, from_points
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
