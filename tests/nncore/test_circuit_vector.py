"""The vectorized gates against the notes' numbers and against centered differences."""

import numpy as np
import pytest

from nncore.circuit_vector import jacobian_size, relu_jacobian, squared_norm
from nncore.errors import InputError

# the notes' W and x
W = [[0.1, 0.5], [-0.3, 0.8]]
X = [0.2, 0.4]


def f_of(W, x):
    return float(np.sum(np.square(np.array(W) @ np.array(x))))


def numeric(fn, a, h=1e-6):
    """d fn / d a by centered differences, entry by entry."""
    a = np.array(a, dtype=float)
    out = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        up, down = a.copy(), a.copy()
        up[i] += h
        down[i] -= h
        out[i] = (fn(up) - fn(down)) / (2 * h)
    return out


def test_the_notes_squared_norm_forward():
    s = squared_norm(W, X)
    assert s.q.shape == (2, 1) and np.round(s.q[:, 0], 4).tolist() == [0.22, 0.26]
    assert round(s.f, 4) == 0.116


def test_the_notes_squared_norm_backward_with_every_shape():
    s = squared_norm(W, X)
    assert np.allclose(s.dq, 2 * s.q) and s.dq.shape == (2, 1)
    assert s.dW.shape == (2, 2) and np.round(s.dW, 4).tolist() == [[0.088, 0.176], [0.104, 0.208]]
    assert s.dx.shape == (2, 1) and np.round(s.dx[:, 0], 4).tolist() == [-0.112, 0.636]
    # the gradients are the real ones: each entry of W and x nudged
    assert np.allclose(s.dW, numeric(lambda w: f_of(w, X), W), atol=1e-8)
    assert np.allclose(s.dx[:, 0], numeric(lambda x: f_of(W, x), X), atol=1e-8)
    # the order the notes warn about is a 1 x 1, not W's 2 x 2
    assert s.wrong.shape == (1, 1) and s.wrong[0, 0] == pytest.approx(0.2 * 0.44 + 0.4 * 0.52)


def test_a_rectangular_w_keeps_its_shapes():
    s = squared_norm([[1.0, 2.0, 3.0]], [1.0, 0.0, -1.0])
    assert (s.q.shape, s.dW.shape, s.dx.shape, s.wrong.size) == ((1, 1), (1, 3), (3, 1), 0)


@pytest.mark.parametrize(
    "W, x, field",
    [
        ([[1.0, 2.0]], [1.0], "x"),
        ([[1.0, 2.0], [3.0]], [1.0, 2.0], "W"),
        ([], [1.0], "W"),
        ([[1.0] * 7], [1.0] * 7, "W"),
        ([[1.0]], [], "x"),
    ],
)
def test_bad_shapes_name_the_field(W, x, field):
    with pytest.raises(InputError) as e:
        squared_norm(W, x)
    assert e.value.field == field


def test_the_jacobian_of_relu_is_diagonal_with_one_where_x_is_positive():
    x, dy = [0.5, -1.2, 2.0, -0.3], [1.0, 2.0, -1.0, 0.5]
    r = relu_jacobian(x, dy)
    assert r.J.tolist() == np.diag([1.0, 0.0, 1.0, 0.0]).tolist()
    J = np.array([numeric(lambda v, i=i: np.maximum(0, v)[i], x) for i in range(4)])
    assert np.allclose(r.J, J)
    assert r.dx[:, 0].tolist() == [1.0, 0.0, -1.0, 0.0]  # dy where x > 0
    assert r.y[:, 0].tolist() == [0.5, 0.0, 2.0, 0.0]
    with pytest.raises(InputError) as e:
        relu_jacobian(x, dy[:3])
    assert e.value.field == "dy"


def test_the_notes_jacobian_is_4096_by_4096():
    size = jacobian_size()
    assert size["entries"] == 4096 * 4096 == 16_777_216 and size["diagonal"] == 4096
    assert size["batch_width"] == 409_600 and size["batch_entries"] == 409_600**2
