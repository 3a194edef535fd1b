"""The training session: learning, live changes, reset, divergence, frames and records."""

import numpy as np
import pytest

from nncore.features import FEATURES
from nncore.network import Network
from nncore.trainer import TRACE_LIMIT, Config, Diverged, Hidden, Trainer


def params_of(t: Trainer) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(layer.W.copy(), layer.b.copy()) for layer in t.net.layers]


@pytest.mark.parametrize(
    "config, steps, check",
    [
        # tanh 2-4-1 on xor: the classic non-linear problem a line cannot solve
        (
            Config(
                dataset="xor",
                hidden=(Hidden(4, "tanh"),),
                learning_rate=0.1,
                batch_size=10,
                n_samples=400,
            ),
            3000,
            lambda f: f.accuracy_test >= 0.95,
        ),
        (
            Config(
                dataset="circle",
                hidden=(Hidden(6, "relu"), Hidden(4, "relu")),
                learning_rate=0.03,
                batch_size=10,
            ),
            3000,
            lambda f: f.accuracy_test >= 0.95,
        ),
        (
            Config(
                problem="multiclass",
                dataset="spiral",
                classes=3,
                n_samples=600,
                hidden=(Hidden(16, "tanh"), Hidden(16, "tanh")),
                optimizer="adam",
                learning_rate=0.01,
                batch_size=30,
            ),
            4000,
            lambda f: f.accuracy_train >= 0.9,
        ),
        (
            Config(
                problem="regression",
                dataset="sine",
                features=("x1",),
                hidden=(Hidden(16, "tanh"), Hidden(8, "tanh")),
                optimizer="adam",
                learning_rate=0.01,
                batch_size=20,
            ),
            3000,
            lambda f: f.loss_test <= 0.01,
        ),
    ],
    ids=["tanh-xor", "relu-circle", "softmax-spiral3", "mse-sine"],
)
def test_learning_reaches_its_goal(config, steps, check):
    t = Trainer(config)
    start = t.frame()
    frame = t.step(steps)
    assert frame.loss_train < start.loss_train
    assert check(frame), (
        frame.loss_train,
        frame.loss_test,
        frame.accuracy_train,
        frame.accuracy_test,
    )


def test_step_counts_batches_and_epochs():
    t = Trainer(Config(n_samples=100, train_fraction=0.5, batch_size=10))
    assert t.m_train == 50
    f = t.step(3)
    assert (f.step, f.epoch) == (3, 0)
    f = t.step(1, unit="epoch")  # finishes the current epoch: 2 more batches
    assert (f.step, f.epoch) == (5, 1)
    f = t.step(2, unit="epoch")
    assert (f.step, f.epoch) == (15, 3)
    assert [h.step for h in t.history] == [3, 5, 15]


def test_full_batch_when_batch_exceeds_the_training_set():
    t = Trainer(Config(n_samples=60, batch_size=2000))
    f = t.step(1, trace=True)
    assert (f.step, f.epoch) == (1, 1)
    assert f.trace_indices.size == min(TRACE_LIMIT, t.m_train)


def test_reset_gives_the_same_start_and_a_new_seed_another():
    t = Trainer(Config(seed=7, noise=0.2))
    start, data = params_of(t), t.split.X_train.copy()
    t.step(50)
    assert not np.array_equal(params_of(t)[0][0], start[0][0])
    t.reset()
    assert all(
        np.array_equal(a, b)
        for p, q in zip(params_of(t), start, strict=True)
        for a, b in zip(p, q, strict=True)
    )
    np.testing.assert_array_equal(t.split.X_train, data)
    assert t.step_count == 0 and t.history == []
    other = Trainer(Config(seed=7, noise=0.2))
    np.testing.assert_array_equal(other.net.params, t.net.params)
    t.reset(seed=8)
    assert not np.array_equal(t.split.X_train, data)
    assert t.config.seed == 8


def test_frame_holds_the_weights_after_and_the_gradient_of_the_step():
    t = Trainer(Config(n_samples=200, batch_size=2000, learning_rate=0.1, noise=0.1))
    before = t.net.copy()
    f = t.step(1, trace=True)
    # dW of the frame is backprop on the whole training set at the weights before the step
    grads = before.backward(t.Y_train, before.forward(t.X_train))
    for lf, g, layer in zip(f.layers, grads, t.net.layers, strict=True):
        np.testing.assert_allclose(lf.dW, g.dW, rtol=1e-12)
        np.testing.assert_allclose(lf.db, g.db, rtol=1e-12)
        np.testing.assert_array_equal(lf.W, layer.W)
        assert lf.grad_norm_W == pytest.approx(np.linalg.norm(g.dW))
    # and the update is W := W - alpha dW
    for lf, old in zip(f.layers, before.layers, strict=True):
        np.testing.assert_allclose(lf.W, old.W - 0.1 * lf.dW, rtol=1e-12)


def test_trace_columns_are_the_traced_examples():
    t = Trainer(Config(batch_size=10, hidden=(Hidden(3, "relu"),)))
    f = t.step(4, trace=True)
    assert f.trace_indices.shape == (10,)
    x = t.X_train[:, f.trace_indices]
    # the trace is of the last batch, before its update: recompute it with the frame's
    # weights minus the update
    prev = t.net.copy()
    for layer, lf in zip(prev.layers, f.layers, strict=True):
        layer.W[...] = lf.W + t.config.learning_rate * lf.dW
        layer.b[...] = lf.b + t.config.learning_rate * lf.db
    caches = prev.forward(x)
    for lf, c in zip(f.layers, caches, strict=True):
        np.testing.assert_allclose(lf.Z, c.Z, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(lf.A, c.A, rtol=1e-10, atol=1e-12)
        assert lf.dZ.shape == lf.dA.shape == c.Z.shape
    # dA of the hidden layer is W[2]^T dZ[2]
    np.testing.assert_allclose(
        f.layers[0].dA, prev.layers[1].W.T @ f.layers[1].dZ, rtol=1e-10, atol=1e-15
    )


def test_grids_cover_output_and_every_neuron():
    t = Trainer(Config(hidden=(Hidden(4), Hidden(2)), grid=50, neuron_resolution=16))
    assert t.step(1).grid is None
    g = t.step(1, grids="output").grid
    assert g.output.shape == (50, 50) and g.neurons is None
    assert np.all((g.output >= 0) & (g.output <= 1))
    g = t.step(1, grids="all").grid
    assert [n.shape for n in g.neurons] == [(4, 16, 16), (2, 16, 16), (1, 16, 16)]
    # the grid spans the data
    X = np.vstack([t.split.X_train, t.split.X_test])
    assert g.axes[0][0] < X[:, 0].min() and g.axes[0][-1] > X[:, 0].max()
    # and the output map is the network's output at the grid points (row i is y[i])
    i, j = 7, 31
    point = np.array([[g.axes[0][j]], [g.axes[1][i]]])
    assert g.output[i, j] == pytest.approx(t.net.forward(point)[-1].A[0, 0], abs=1e-5)


def test_grids_for_multiclass_and_one_input():
    t = Trainer(Config(problem="multiclass", dataset="blobs", classes=4, grid=20))
    assert t.step(1, grids="output").grid.output.shape == (4, 20, 20)
    t = Trainer(
        Config(problem="regression", dataset="sine", features=("x1",), grid=30, neuron_resolution=8)
    )
    g = t.step(1, grids="all").grid
    assert g.output.shape == (30,) and g.neurons[0].shape == (4, 8)


def test_activation_change_keeps_the_weights_and_training_goes_on():
    t = Trainer(Config(hidden=(Hidden(4, "tanh"), Hidden(2, "tanh"))))
    f0 = t.step(20)
    before = params_of(t)
    t.apply(hidden=[{"units": 4, "activation": "relu"}, {"units": 2, "activation": "tanh"}])
    assert [layer.activation for layer in t.net.layers] == ["relu", "tanh", "sigmoid"]
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(params_of(t), before, strict=True))
    f1 = t.step(5)
    assert f1.step == f0.step + 5


def test_more_units_keep_the_overlap_and_initialize_only_the_new_ones():
    t = Trainer(Config(hidden=(Hidden(3), Hidden(2))))
    t.step(10)
    (W1, b1), (W2, b2), (W3, b3) = params_of(t)
    t.apply(hidden=[{"units": 5}, {"units": 2}])
    (N1, c1), (N2, c2), (N3, c3) = params_of(t)
    assert N1.shape == (5, 2) and N2.shape == (2, 5)
    np.testing.assert_array_equal(N1[:3], W1)
    np.testing.assert_array_equal(N2[:, :3], W2)
    np.testing.assert_array_equal(N3, W3)
    assert np.all(N1[3:] != 0)  # xavier-initialized, not zeros
    np.testing.assert_array_equal(c1[3:], 0)
    t.apply(hidden=[{"units": 2}, {"units": 2}])
    (M1, _), (M2, _), _ = params_of(t)
    np.testing.assert_array_equal(M1, W1[:2])
    np.testing.assert_array_equal(M2, W2[:, :2])


def test_adding_and_removing_layers_keeps_what_fits():
    t = Trainer(Config(hidden=(Hidden(3),)))
    t.step(10)
    (W1, _), (W2, _) = params_of(t)
    t.apply(hidden=[{"units": 3}, {"units": 4}])
    assert t.net.sizes == [2, 3, 4, 1]
    np.testing.assert_array_equal(t.net.layers[0].W, W1)
    np.testing.assert_array_equal(t.net.layers[2].W[:, :3], W2)
    t.step(3)
    t.apply(hidden=[])
    assert t.net.sizes == [2, 1]
    t.step(3)


def test_feature_columns_follow_their_names():
    t = Trainer(Config(features=("x1", "x2")))
    t.step(5)
    W1 = t.net.layers[0].W.copy()
    t.apply(features=["x2", "x1_squared", "x1"])
    assert t.config.features == ("x1", "x2", "x1_squared")  # kept in registry order
    N1 = t.net.layers[0].W
    np.testing.assert_array_equal(N1[:, :2], W1)
    assert np.all(N1[:, 2] != 0)
    assert t.X_train.shape[0] == 3
    t.apply(features=["x2"])
    np.testing.assert_array_equal(t.net.layers[0].W[:, 0], W1[:, 1])


def test_optimizer_state_follows_the_reshape():
    t = Trainer(Config(optimizer="momentum", hidden=(Hidden(3),)))
    t.step(5)
    v = t.optimizer.slots[0].copy()
    old_W1 = t.net.w_spans[0]
    t.apply(hidden=[{"units": 4}])
    new_v = t.optimizer.slots[0]
    assert new_v.size == t.net.n_parameters()
    # W[1] rows 0..2 keep their velocity; row 3 starts at rest
    np.testing.assert_array_equal(new_v[:6], v[old_W1[0] : old_W1[0] + 6])
    np.testing.assert_array_equal(new_v[6:8], 0)


def test_other_live_changes():
    t = Trainer(Config())
    t.step(5)
    start = t.net.params.copy()
    t.apply(learning_rate=0.1, batch_size=25, optimizer="adam", l2=0.01)
    np.testing.assert_array_equal(t.net.params, start)
    f = t.step(2)
    assert f.penalty > 0
    trained = t.net.params.copy()
    assert not np.array_equal(trained, start)
    t.apply(dataset="gauss", noise=0.3)  # new data, the same features: the weights stay
    np.testing.assert_array_equal(t.net.params, trained)
    assert t.config.dataset == "gauss"
    t.step(1)
    with pytest.raises(ValueError, match="learning_rate"):
        t.apply(learning_rate=0)
    with pytest.raises(ValueError, match="dataset"):
        t.apply(dataset="nope")
    assert t.config.dataset == "gauss" and t.config.learning_rate == 0.1
    t.step(1)


def test_divergence_restores_the_state_and_names_the_step():
    # Linear regression with alpha far above 2 / (largest curvature): the loss grows every step.
    t = Trainer(
        Config(problem="regression", dataset="plane", hidden=(), learning_rate=1.0, batch_size=500)
    )
    t.step(1)
    with pytest.raises(Diverged) as err:
        for _ in range(200):
            before, steps = t.net.params.copy(), t.step_count
            t.step(1)
    assert err.value.step == steps + 1
    assert f"step {steps + 1}" in str(err.value) and "learning rate" in str(err.value)
    np.testing.assert_array_equal(t.net.params, before)
    assert t.step_count == steps
    t.apply(learning_rate=0.01)
    f0 = t.frame()
    f = t.step(5)
    assert f.step == steps + 5 and f.loss_train < f0.loss_train


def test_a_deep_relu_net_with_a_huge_rate_diverges_cleanly():
    t = Trainer(
        Config(
            problem="regression",
            dataset="plane",
            hidden=(Hidden(8, "relu"),) * 3,
            init="he",
            learning_rate=10.0,
            batch_size=500,
        )
    )
    with pytest.raises(Diverged):
        for _ in range(10):
            before = t.net.params.copy()
            t.step(1)
    np.testing.assert_array_equal(t.net.params, before)
    assert np.isfinite(t.frame().loss_train)


def test_example_record_is_the_notes_for_one_example():
    t = Trainer(Config(hidden=(Hidden(3, "tanh"),), noise=0.1))
    t.step(30)
    r = t.example(4)
    W1, b1 = t.net.layers[0].W, t.net.layers[0].b[:, 0]
    W2 = t.net.layers[1].W
    x = t.X_train[:, 4]
    np.testing.assert_allclose(r.layers[0].z, W1 @ x + b1)
    np.testing.assert_allclose(r.layers[0].a, np.tanh(W1 @ x + b1))
    a2 = r.layers[1].a
    np.testing.assert_allclose(r.layers[1].dz, a2 - r.label)  # dz[2] = a[2] - y
    np.testing.assert_allclose(r.layers[1].dW, np.outer(r.layers[1].dz, r.layers[0].a))
    np.testing.assert_allclose(r.layers[0].da, W2.T @ r.layers[1].dz)  # da[1] = W2^T dz[2]
    np.testing.assert_allclose(r.layers[0].dz, r.layers[0].da * (1 - r.layers[0].a ** 2))
    assert r.prediction == float(a2[0] >= 0.5)
    assert r.label == t.split.y_train[4]
    np.testing.assert_array_equal(r.x, t.split.X_train[4])
    # the average of every example's own dW is the full-batch dW
    full = t.net.copy()
    grads = full.backward(t.Y_train, full.forward(t.X_train))
    mean_dW = np.mean([t.example(i).layers[0].dW for i in range(t.m_train)], axis=0)
    np.testing.assert_allclose(mean_dW, grads[0].dW, rtol=1e-10, atol=1e-14)
    with pytest.raises(ValueError, match="index"):
        t.example(t.m_train)


def test_gradcheck_of_a_session():
    for problem, dataset in [
        ("binary", "moons"),
        ("multiclass", "spiral"),
        ("regression", "plane"),
    ]:
        t = Trainer(Config(problem=problem, dataset=dataset, hidden=(Hidden(5), Hidden(3))))
        t.step(10)
        checks = t.gradcheck()
        assert len(checks) == 3 and max(c.error for c in checks) < 1e-7


def test_set_parameter_changes_the_next_frame():
    t = Trainer(Config())
    t.set_parameter(1, 2, 1, 0.75)
    assert t.frame().layers[0].W[2, 1] == 0.75
    t.set_parameter(2, 0, None, -0.5)
    assert t.net.layers[1].b[0, 0] == -0.5
    with pytest.raises(ValueError, match="row"):
        t.set_parameter(1, 9, 0, 1.0)


def test_every_feature_can_train():
    t = Trainer(Config(features=tuple(FEATURES), hidden=(Hidden(8),) * 2))
    f = t.step(10, grids="all")
    assert t.net.sizes[0] == len(FEATURES) and np.isfinite(f.loss_train)
    assert isinstance(t.net, Network)


def test_whole_set_losses_agree_with_float64():
    for problem, dataset in [("binary", "circle"), ("multiclass", "blobs"), ("regression", "sine")]:
        features = ("x1",) if dataset == "sine" else ("x1", "x2")
        t = Trainer(Config(problem=problem, dataset=dataset, features=features, noise=0.2))
        f = t.step(20)
        caches = t.net.forward(t.X_test)
        assert f.loss_test == pytest.approx(t.net.loss(t.Y_test, caches), rel=1e-5)
        if problem != "regression":
            pred = t.problem.predict(caches[-1].A)
            assert f.accuracy_test == pytest.approx(np.mean(pred == t.split.y_test), abs=0.01)


def test_a_new_problem_type_brings_a_fitting_dataset_and_features():
    t = Trainer(Config(features=("x1", "x2", "x1_squared")))
    t.step(3)
    t.apply(problem="regression", dataset="sine")
    assert t.config.features == ("x1", "x1_squared") and t.net.sizes[0] == 2
    t.step(3)
    t.apply(problem="multiclass")
    assert t.config.dataset == "spiral" and t.net.sizes[-1] == 3
    t.step(3)
    t.apply(problem="binary", dataset="moons", features=["x1", "x2"])
    assert t.net.sizes[0] == 2 and t.net.sizes[-1] == 1
