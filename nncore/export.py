"""Export a trained network as a short standalone Python script that needs only NumPy.

numpy_script(model) returns the script's text: the weights as np.array literals (every float
written with repr, so it reads back bit for bit), a forward(X) in the course's notation
(examples are columns; Z[l] = W[l] @ A[l-1] + b[l], A[l] = g[l](Z[l])), a few raw input points,
and one printed line per point with its prediction. The last line it prints is
`PREDICTIONS <json list>`: per point, the output column A[L][:, i] as a list of floats.

numpy_training_script(model, epochs) returns a script that trains from those weights: the
training set, forward, the problem's loss, backward in the course's notation, and plain
gradient-descent updates at the session's rate and batch size, printing the loss of the whole
training set before the first epoch and after each. Its last line is `LOSSES <json list>`.
Mini-batches are shuffled each epoch by default_rng([seed, 2]), as a fresh session of the lab
draws them (so from step 0 the script's epochs are the lab's); a full batch is not shuffled.
Momentum, Adam and the L1/L2 penalties are left out, and the header says so.

The model is a plain dict:
    config:  {"problem": ..., "features": [...], "classes": K, ...}
    scaling: {"mean": [...], "std": [...], "factor": f} or None; the network reads
             (raw - mean) / std * factor, per raw input row
    layers:  [{"activation": name, "W": (n[l], n[l-1]) rows, "b": (n[l], 1) rows}, ...]
    points:  raw input points, one row each (1 or 2 numbers)
    train:   (training script) {"X": raw input rows, "y": labels}: the training set
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .activations import ACTIVATIONS, LEAKY_SLOPE
from .errors import InputError
from .features import FEATURES
from .losses import PROBLEMS

WIDTH = 100  # the script's line length, where it can be kept

# Every feature as NumPy source, in the scaled raw inputs x1 = X[0] and x2 = X[1] (1-D rows).
FEATURE_SOURCE: dict[str, str] = {
    "x1": "x1",
    "x2": "x2",
    "x1_squared": "x1 * x1",
    "x2_squared": "x2 * x2",
    "x1_times_x2": "x1 * x2",
    "sin_x1": "np.sin(x1)",
    "sin_x2": "np.sin(x2)",
}

# Every activation as the body of `def <name>(Z):`, Z of shape (n[l], m). The first line is
# the docstring the student reads; softmax normalizes each column (one example) separately.
ACTIVATION_SOURCE: dict[str, tuple[str, ...]] = {
    "sigmoid": ('"""sigma(z) = 1 / (1 + e^-z), elementwise."""', "return 1.0 / (1.0 + np.exp(-Z))"),
    "tanh": ('"""tanh(z), elementwise."""', "return np.tanh(Z)"),
    "relu": ('"""ReLU(z) = max(0, z), elementwise."""', "return np.maximum(Z, 0.0)"),
    "leaky_relu": (
        f'"""Leaky ReLU(z) = max({LEAKY_SLOPE!r} z, z), elementwise."""',
        f"return np.maximum(Z, {LEAKY_SLOPE!r} * Z)",
    ),
    "linear": ('"""g(z) = z: the identity."""', "return Z"),
    "softmax": (
        '"""softmax(z)_k = e^(z_k) / sum_j e^(z_j), per column (shifted by its max)."""',
        "E = np.exp(Z - Z.max(axis=0, keepdims=True))",
        "return E / E.sum(axis=0, keepdims=True)",
    ),
}

# What the script prints per point, by problem: `x` is the raw point as text, `a` its output
# column A[L][:, i].
_PRINT_SOURCE: dict[str, tuple[str, ...]] = {
    "binary": ('print(f"x = {x}  p(class 1) = {a[0]:.4f}  class = {int(a[0] >= 0.5)}")',),
    "multiclass": (
        'p = ", ".join(f"{v:.4f}" for v in a)',
        'print(f"x = {x}  p = [{p}]  class = {int(a.argmax())}")',
    ),
    "regression": ('print(f"x = {x}  y = {a[0]:.6g}")',),
}

# Every hidden activation's derivative as the body of `def <name>_prime(Z, A):`, A = g(Z), as
# the core computes it (nncore/activations.py).
DERIVATIVE_SOURCE: dict[str, tuple[str, ...]] = {
    "sigmoid": ('"""sigma\'(z) = sigma(z) (1 - sigma(z)), from A."""', "return A * (1.0 - A)"),
    "tanh": ('"""tanh\'(z) = 1 - tanh(z)^2, from A."""', "return 1.0 - A * A"),
    "relu": ('"""ReLU\'(z) = 1 where z > 0, else 0."""', "return (Z > 0).astype(Z.dtype)"),
    "leaky_relu": (
        f'"""Leaky ReLU\'(z) = 1 where z > 0, else {LEAKY_SLOPE!r}."""',
        f"return np.where(Z > 0, 1.0, {LEAKY_SLOPE!r})",
    ),
    "linear": ('"""g\'(z) = 1."""', "return np.ones_like(Z)"),
}

# Every problem's loss as the body of `def cost(ZL, Y):`, mean over the m columns, computed
# from Z[L] as the core does (nncore/losses.py), so that it stays finite when A saturates.
LOSS_SOURCE: dict[str, tuple[str, ...]] = {
    "binary": (
        '"""Cross-entropy -(1/m) sum(Y log A + (1 - Y) log(1 - A)), A = sigmoid(ZL)."""',
        "return float(np.mean(np.logaddexp(0.0, ZL) - Y * ZL))",
    ),
    "multiclass": (
        '"""Cross-entropy -(1/m) sum_i sum_k Y_k log A_k, A = softmax(ZL) per column."""',
        "zmax = ZL.max(axis=0)",
        "lse = zmax + np.log(np.exp(ZL - zmax).sum(axis=0))  # log sum_k e^(z_k)",
        "return float(np.mean(lse - (Y * ZL).sum(axis=0)))",
    ),
    "regression": (
        '"""Half the mean squared error (1/2m) sum (A - Y)^2, A = ZL."""',
        "D = ZL - Y",
        "return float(0.5 * np.vdot(D, D) / ZL.shape[1])",
    ),
}

# The labels (Y_LABELS, one per example) as the targets Y (n[L], m), by problem.
_TARGET_SOURCE = {
    "binary": "Y_TRAIN = Y_LABELS.reshape(1, -1).astype(float)  # (1, m): 0 or 1",
    "multiclass": "Y_TRAIN = np.eye(CLASSES)[Y_LABELS].T  # (K, m): one-hot columns",
    "regression": "Y_TRAIN = Y_LABELS.reshape(1, -1)  # (1, m): the values",
}

_PREDICTION_TEXT = {
    "binary": "the probability of class 1 (the predicted class is 1 when it is >= 0.5)",
    "multiclass": "one probability per class (the predicted class is the most probable one)",
    "regression": "the predicted value",
}


@dataclass(frozen=True)
class _Model:
    """A model dict's parts, checked: the float texts the script writes."""

    problem: str
    features: list[str]
    reads: list[int]  # the raw inputs the features read (0: x1, 1: x2)
    layers: list[tuple[str, list[list[str]], list[str]]]  # (activation, W rows, b)
    scaling: dict | None


def _parts(model: dict) -> _Model:
    config = model["config"]
    problem = config.get("problem")
    if problem not in PROBLEMS:
        raise InputError("problem", f"unknown {problem!r}; allowed: {', '.join(PROBLEMS)}")
    features = list(config["features"])
    if not features:
        raise InputError("features", "at least one is needed")
    for name in features:
        if name not in FEATURE_SOURCE:
            raise InputError("features", f"unknown {name!r}; allowed: {', '.join(FEATURE_SOURCE)}")
    reads = sorted({i for name in features for i in FEATURES[name].inputs})
    layers = [_layer(l, layer) for l, layer in enumerate(model["layers"], start=1)]
    _check_layers(layers, len(features), problem, config.get("classes"))
    return _Model(problem, features, reads, layers, model.get("scaling"))


def _weights(m: _Model) -> list[str]:
    """`import numpy as np`, every W[l] and b[l], and the scaling, as assignments."""
    lines = ["import numpy as np", ""]
    for l, (act, W, b) in enumerate(m.layers, start=1):
        kind = "output" if l == len(m.layers) else "hidden"
        units = "unit" if len(W) == 1 else "units"
        lines.append(
            f"# Layer {l} ({kind}): {len(W)} {act} {units}. "
            f"W{l}: ({len(W)}, {len(W[0])}), b{l}: ({len(b)}, 1)"
        )
        lines += _array(f"W{l}", W)
        lines += _array(f"b{l}", [[v] for v in b])
        lines.append("")
    if m.scaling is not None:
        scaling = m.scaling
        lines.append("# Input scaling: columns, one entry per raw input (row of X)")
        lines += _array("MEAN", [[v] for v in _floats(scaling["mean"], "scaling.mean")])
        lines += _array("STD", [[v] for v in _floats(scaling["std"], "scaling.std")])
        lines.append(f"FACTOR = {_num(scaling.get('factor', 1.0), 'scaling.factor')}")
        lines.append("")
    return lines


def _activations(acts) -> list[str]:
    """`def <name>(Z):` for each activation named, once each (two blank lines before each)."""
    lines = []
    for act in dict.fromkeys(acts):
        lines += ["", "", f"def {act}(Z):"]
        lines += [f"    {s}" for s in ACTIVATION_SOURCE[act]]
    return lines


def numpy_script(model: dict) -> str:
    """The text of a standalone script (NumPy only) that runs the model's forward pass on
    model["points"] and prints the predictions. ValueError names what is inconsistent."""
    m = _parts(model)
    problem, features, reads, layers, scaling = m.problem, m.features, m.reads, m.layers, m.scaling
    points = [_floats(p, f"points[{i}]") for i, p in enumerate(model.get("points") or [])]
    n_inputs = _n_inputs(points, scaling, reads)

    lines = _header(problem, features, scaling, layers)
    lines += _weights(m)
    lines.pop()  # the blank line after the last block: two come before each def
    lines += _activations(act for act, _, _ in layers)
    lines += ["", ""]
    lines += _forward(features, reads, scaling is not None, [act for act, _, _ in layers])
    lines += ["", ""]

    names = ", ".join(f"x{i + 1}" for i in range(n_inputs))
    lines.append(f"# The points to predict, one per row: raw inputs ({names}).")
    if points:
        lines += _array("POINTS", points)
    else:
        lines.append(f"POINTS = np.zeros((0, {n_inputs}))")
    lines += [
        "",
        "A = forward(POINTS.T)  # examples are columns: column i is the output for point i",
        "for point, a in zip(POINTS, A.T):",
        '    x = "(" + ", ".join(f"{v:g}" for v in point) + ")"',
        *(f"    {s}" for s in _PRINT_SOURCE[problem]),
        "# The same outputs for programs: per point, its output column as a list of floats.",
        'print("PREDICTIONS", A.T.tolist())',
    ]
    return "\n".join(lines) + "\n"


def numpy_training_script(model: dict, epochs: int) -> str:
    """The text of a standalone script (NumPy only) that trains the model from its weights on
    model["train"] for `epochs` epochs of plain gradient descent, printing the loss.
    ValueError names what is inconsistent."""
    m = _parts(model)
    config = model["config"]
    rate = _num(config["learning_rate"], "learning_rate")
    batch, seed = int(config["batch_size"]), int(config["seed"])
    if batch < 1:
        raise InputError("batch_size", f"must be at least 1, got {batch}")
    if not 1 <= int(epochs):
        raise InputError("epochs", f"must be at least 1, got {epochs}")
    train = model["train"]
    X = [_floats(p, f"train.X[{i}]") for i, p in enumerate(train["X"])]
    if not X:
        raise InputError("train", "at least one training example is needed")
    if len(train["y"]) != len(X):
        raise InputError("train.y", f"one label per example ({len(X)} examples)")
    _n_inputs(X, m.scaling, m.reads)
    if m.problem == "regression":
        labels = _floats(train["y"], "train.y")
    else:
        labels = [str(int(v)) for v in train["y"]]
    acts = [act for act, _, _ in m.layers]

    lines = _training_header(m, config, batch, epochs)
    lines += _weights(m)
    lines += [
        "# Training: plain gradient descent",
        f"LEARNING_RATE = {rate}",
        f"BATCH_SIZE = {batch}",
        f"EPOCHS = {int(epochs)}",
        f"SEED = {seed}  # the mini-batch order: default_rng([SEED, 2]), as the lab's",
    ]
    if m.problem == "multiclass":
        lines.append(f"CLASSES = {len(m.layers[-1][1])}")
    lines += ["", "# The training set: raw inputs, one example per row, and one label each."]
    lines += _array("X_TRAIN", X)
    lines.append("Y_LABELS = np.array([")
    lines += [f"    {s}" for s in _pack(labels, WIDTH - 4)]
    lines.append("])")
    lines += _activations(acts)
    for act in dict.fromkeys(acts[:-1]):  # the hidden layers' derivatives
        lines += ["", "", f"def {act}_prime(Z, A):"]
        lines += [f"    {s}" for s in DERIVATIVE_SOURCE[act]]
    lines += ["", "", "def features(X):"]
    lines.append('    """Raw inputs X (n_inputs, m), one example per column -> A[0] (n[0], m)."""')
    lines += _feature_map(m.features, m.reads, m.scaling is not None)
    lines.append("    return A0")
    lines += ["", "", "def forward(A0):"]
    lines.append('    """A[0] -> Z[l], A[l] for l = 1..L: Z[l] = W[l] @ A[l-1] + b[l]."""')
    for l, act in enumerate(acts, start=1):
        lines.append(f"    Z{l} = W{l} @ A{l - 1} + b{l}")
        lines.append(f"    A{l} = {act}(Z{l})")
    lines.append(f"    return {_caches(len(acts))}")
    lines += ["", "", "def cost(ZL, Y):"]
    lines += [f"    {s}" for s in LOSS_SOURCE[m.problem]]
    lines += ["", ""]
    lines += _training_loop(acts, m.problem)
    return "\n".join(lines) + "\n"


def _caches(L: int) -> str:
    return ", ".join(f"Z{l}, A{l}" for l in range(1, L + 1))


def _training_loop(acts: list[str], problem: str) -> list[str]:
    L = len(acts)
    body = [f"{_caches(L)} = forward(A0)", "", f"dZ{L} = A{L} - Y  # the output with its loss"]
    for l in range(L, 0, -1):
        body += [
            f"dW{l} = (1 / m) * dZ{l} @ A{l - 1}.T",
            f"db{l} = (1 / m) * np.sum(dZ{l}, axis=1, keepdims=True)",
        ]
        if l > 1:
            body += [
                f"dA{l - 1} = W{l}.T @ dZ{l}",
                f"dZ{l - 1} = dA{l - 1} * {acts[l - 2]}_prime(Z{l - 1}, A{l - 1})",
            ]
    body.append("")
    for l in range(1, L + 1):
        body += [f"W{l} -= LEARNING_RATE * dW{l}", f"b{l} -= LEARNING_RATE * db{l}"]
    return [
        "def loss_of_the_training_set():",
        f"    ZL = forward(A0_TRAIN)[{2 * L - 2}]",
        "    return cost(ZL, Y_TRAIN)",
        "",
        "",
        "A0_TRAIN = features(X_TRAIN.T)  # examples are columns from here on",
        _TARGET_SOURCE[problem],
        "m_train = A0_TRAIN.shape[1]",
        "order = np.arange(m_train)",
        "rng = np.random.default_rng([SEED, 2])",
        "losses = [loss_of_the_training_set()]",
        'print(f"epoch 0: loss {losses[0]:.6g}")',
        "for epoch in range(1, EPOCHS + 1):",
        "    if BATCH_SIZE < m_train:  # a new order of the examples every epoch",
        "        rng.shuffle(order)",
        "    for start in range(0, m_train, BATCH_SIZE):",
        "        batch = order[start : start + BATCH_SIZE]",
        "        A0, Y = A0_TRAIN[:, batch], Y_TRAIN[:, batch]",
        "        m = A0.shape[1]",
        *(f"        {s}" if s else "" for s in body),
        "    losses.append(loss_of_the_training_set())",
        '    print(f"epoch {epoch}: loss {losses[-1]:.6g}")',
        "# The same losses for programs: before the first epoch, then after each.",
        'print("LOSSES", [float(v) for v in losses])',
    ]


def _training_header(m: _Model, config: dict, batch: int, epochs: int) -> list[str]:
    spec = PROBLEMS[m.problem]
    sizes = [f"{len(m.features)} features"] + [f"{len(W)} {act}" for act, W, _ in m.layers]
    L = len(m.layers)
    left_out = []
    if config.get("optimizer", "sgd") != "sgd":
        left_out.append(f"the {config['optimizer']} optimizer")
    for name in ("l1", "l2"):
        if config.get(name):
            left_out.append(f"the {name.upper()} penalty ({config[name]:g})")
    lines = [
        "# Backprop Lab: a network's training loop, exported as a standalone NumPy script.",
        "# Run it with `python3 <this file>`; it needs nothing but NumPy.",
        "#",
        f"# Problem: {spec.label.lower()}; loss: {spec.loss_name}",
        f"# Network: {' -> '.join(sizes)} (output)",
        f"# Features (the rows of A[0], in order): {', '.join(m.features)}",
        f"# Training: {epochs} epochs of plain gradient descent from the weights below,",
        f"# mini-batches of {batch} (shuffled each epoch, as a fresh session of the lab draws",
        "# them; one full batch, unshuffled, when that is the whole training set).",
    ]
    if left_out:
        lines.append(f"# The lab trains this session with {' and '.join(left_out)}: this script")
        lines.append("# leaves them out.")
    lines += [
        "#",
        "# Notation (as in the course): examples are columns, m of them in a batch.",
        "#     forward   Z[l] = W[l] @ A[l-1] + b[l], A[l] = g[l](Z[l])     for l = 1..L",
        f"#     backward  dZ[L] = A[L] - Y                               (L = {L})",
        "#               dW[l] = (1/m) dZ[l] @ A[l-1].T",
        "#               db[l] = (1/m) np.sum(dZ[l], axis=1, keepdims=True)",
        "#               dA[l-1] = W[l].T @ dZ[l],  dZ[l-1] = dA[l-1] * g[l-1]'(Z[l-1])",
        "#     update    W[l] -= LEARNING_RATE * dW[l],  b[l] -= LEARNING_RATE * db[l]",
        "",
    ]
    return lines


# Validation -------------------------------------------------------------------------------


def _num(v, where: str) -> str:
    """repr of float(v): the shortest text that reads back as the same float."""
    x = float(v)
    if not math.isfinite(x):
        raise InputError(f"{where}", f"must be finite, got {x!r}")
    return repr(x)


def _floats(values, where: str) -> list[str]:
    return [_num(v, f"{where}[{j}]") for j, v in enumerate(values)]


def _layer(l: int, layer: dict) -> tuple[str, list[list[str]], list[str]]:
    """(activation, W rows as float texts, b as float texts) of layer l; b may be flat or (n, 1)."""
    act = layer["activation"]
    if act not in ACTIVATION_SOURCE:
        raise InputError(f"layers[{l}].activation", f"unknown {act!r}")
    W = [_floats(row, f"W[{l}][{i}]") for i, row in enumerate(layer["W"])]
    if not W or not W[0] or any(len(row) != len(W[0]) for row in W):
        raise InputError(f"W[{l}]", "must be a non-empty rectangular matrix")
    b = []
    for i, entry in enumerate(layer["b"]):
        if hasattr(entry, "__len__"):  # a row [v] of the column
            if len(entry) != 1:
                raise InputError(f"b[{l}]", "must be a column (n[l], 1)")
            entry = entry[0]
        b.append(_num(entry, f"b[{l}][{i}]"))
    if len(b) != len(W):
        raise InputError(f"b[{l}]", f"has {len(b)} entries, W[{l}] has {len(W)} rows")
    return act, W, b


def _check_layers(layers: list, n0: int, problem: str, classes) -> None:
    if not layers:
        raise InputError("layers", "at least the output layer is needed")
    n_prev = n0
    for l, (act, W, _) in enumerate(layers, start=1):
        if len(W[0]) != n_prev:
            raise InputError(f"W[{l}]", f"has {len(W[0])} columns, layer {l - 1} has {n_prev} rows")
        if l < len(layers) and act not in ACTIVATIONS:
            raise InputError(f"layers[{l}].activation", f"{act!r} is not a hidden activation")
        n_prev = len(W)
    spec = PROBLEMS[problem]
    if layers[-1][0] != spec.output_activation:
        raise InputError(
            "layers",
            f"the output activation of {problem} is {spec.output_activation!r}, "
            f"not {layers[-1][0]!r}",
        )
    if problem != "multiclass" or classes is not None:
        n_out = spec.n_outputs(int(classes or 0))
        if n_prev != n_out:
            raise InputError(
                "layers", f"the output layer has {n_prev} units; {problem} needs {n_out}"
            )


def _n_inputs(points: list[list[str]], scaling, reads: list[int]) -> int:
    sizes = {len(p) for p in points}
    if scaling is not None:
        if len(scaling["mean"]) != len(scaling["std"]):
            raise InputError("scaling", "mean and std must have one entry per raw input each")
        sizes.add(len(scaling["mean"]))
    if len(sizes) > 1:
        raise InputError(
            "points", f"points and scaling disagree on the number of inputs: {sorted(sizes)}"
        )
    n = sizes.pop() if sizes else max(reads) + 1
    if not 1 <= n <= 2:
        raise InputError("points", f"1 or 2 raw inputs per point, got {n}")
    if max(reads) >= n:
        raise InputError("features", f"x{max(reads) + 1} is read but the data has {n} input(s)")
    return n


# Source text ------------------------------------------------------------------------------


def _header(problem: str, features: list[str], scaling, layers: list) -> list[str]:
    spec = PROBLEMS[problem]
    sizes = [f"{len(features)} features"] + [f"{len(W)} {act}" for act, W, _ in layers]
    scale = (
        "x -> (x - MEAN) / STD * FACTOR for each raw input, before the features"
        if scaling is not None
        else "none (the features read the raw inputs)"
    )
    return [
        "# Backprop Lab: a trained neural network, exported as a standalone NumPy script.",
        "# Run it with `python3 <this file>`; it needs nothing but NumPy.",
        "#",
        f"# Problem: {spec.label.lower()}",
        f"# Output A[L]: {_PREDICTION_TEXT[problem]}",
        f"# Network: {' -> '.join(sizes)} (output)",
        f"# Features (the rows of A[0], in order): {', '.join(features)}",
        f"# Input scaling: {scale}",
        "#",
        "# Notation (as in the course): examples are columns. X holds the raw inputs, one example",
        "# per column, (n_inputs, m); A[0] is the feature map of X, one row per feature; and for",
        "# l = 1..L:",
        "#     Z[l] = W[l] @ A[l-1] + b[l]      W[l]: (n[l], n[l-1]), b[l]: (n[l], 1)",
        "#     A[l] = g[l](Z[l])                Z[l], A[l]: (n[l], m)",
        "# A[L] is the output.",
        "",
    ]


def _feature_map(features: list[str], reads: list[int], scaled: bool) -> list[str]:
    """The body lines that turn raw inputs X (n_inputs, m) into A0, one row per feature."""
    lines = []
    if scaled:
        lines.append("    X = (X - MEAN) / STD * FACTOR  # the scaling used in training")
    used = [f"x{i + 1}" for i in reads]
    lines.append(f"    {', '.join(used)} = {', '.join(f'X[{i}]' for i in reads)}  # rows: 1-D")
    lines.append("    A0 = np.vstack([  # the feature map: one row per feature")
    for name in features:
        lines.append(f"        {FEATURE_SOURCE[name]},  # {name}")
    lines.append("    ])")
    return lines


def _forward(features: list[str], reads: list[int], scaled: bool, acts: list[str]) -> list[str]:
    L = len(acts)
    lines = [
        "def forward(X):",
        '    """Raw inputs X (n_inputs, m), one example per column -> the output A[L] (n[L], m).'
        '"""',
    ]
    lines += _feature_map(features, reads, scaled)
    for l, act in enumerate(acts, start=1):
        lines.append(f"    Z{l} = W{l} @ A{l - 1} + b{l}")
        lines.append(f"    A{l} = {act}(Z{l})")
    lines.append(f"    return A{L}")
    return lines


def _pack(items: list[str], width: int) -> list[str]:
    """Items joined by ", " into lines of at most width characters (longer items alone)."""
    lines, cur = [], ""
    for item in items:
        piece = item + ","
        if cur and len(cur) + 1 + len(piece) > width:
            lines.append(cur)
            cur = piece
        else:
            cur = f"{cur} {piece}" if cur else piece
    if cur:
        lines.append(cur)
    return lines


def _array(name: str, rows: list[list[str]]) -> list[str]:
    """`name = np.array([...])` of the rows (float texts): one line when it fits, else one row
    per line (long rows wrapped), or a column packed several entries a line."""
    flat = f"{name} = np.array([{', '.join('[' + ', '.join(r) + ']' for r in rows)}])"
    if len(flat) <= WIDTH:
        return [flat]
    lines = [f"{name} = np.array(["]
    if all(len(r) == 1 for r in rows):
        lines += [f"    {s}" for s in _pack([f"[{r[0]}]" for r in rows], WIDTH - 4)]
    else:
        for r in rows:
            one = f"    [{', '.join(r)}],"
            if len(one) <= WIDTH:
                lines.append(one)
            else:
                lines.append("    [")
                lines += [f"        {s}" for s in _pack(r, WIDTH - 8)]
                lines.append("    ],")
    lines.append("])")
    return lines
