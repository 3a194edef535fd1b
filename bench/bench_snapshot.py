"""Size and save/load time of a session snapshot (nncore/snapshot.py), run by hand:

    python3 bench/bench_snapshot.py | tee bench/results/snapshot.txt

Cases: the page's default session, and the largest the limits allow (nncore/limits.py):
8 hidden layers of 32 units on all seven features, 5 classes, Adam (two slots), 2000 own
points (stored, not regenerated), a full divergence ring and a full history. Medians over
repetitions; zlib's ratio is printed to show whether compressing would pay.
"""

from __future__ import annotations

import statistics
import sys
import time
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nncore import snapshot  # noqa: E402
from nncore.features import FEATURES  # noqa: E402
from nncore.limits import LIMITS  # noqa: E402
from nncore.owndata import from_points  # noqa: E402
from nncore.trainer import Config, Hidden, Trainer  # noqa: E402


def largest() -> Trainer:
    c = Config(
        problem="multiclass",
        dataset="blobs",
        classes=LIMITS.max_classes,
        n_samples=LIMITS.max_samples,
        features=tuple(FEATURES),
        hidden=(Hidden(LIMITS.max_units, "tanh"),) * LIMITS.max_hidden_layers,
        optimizer="adam",
        batch_size=10,
        learning_rate=0.001,
    )
    t = Trainer(c)
    rng = np.random.default_rng(0)
    n = LIMITS.max_samples
    X = rng.uniform(-5, 5, (n, 2))
    y = rng.integers(0, LIMITS.max_classes, n).astype(float)
    t.set_data(
        from_points(
            "multiclass", LIMITS.max_classes, X[: n // 2], y[: n // 2], X[n // 2 :], y[n // 2 :]
        )
    )
    for _ in range(LIMITS.max_history + 10):  # a full ring and a history about to be thinned
        t.step(1, trace=True)
    return t


def timed(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(name: str, t: Trainer, repeats: int) -> None:
    data = snapshot.dump(t)
    save = timed(lambda: snapshot.dump(t), repeats)
    load = timed(lambda: snapshot.load(data), repeats)
    packed = timed(lambda: zlib.compress(data, 1), repeats)
    ratio = len(zlib.compress(data, 1)) / len(data)
    print(
        f"{name}: {t.net.n_parameters()} parameters, {t.m_train} training points, "
        f"{len(t.history)} history entries, {len(t._snapshots)} kept states"
    )
    print(
        f"  size {len(data) / 1024:.1f} KiB; dump {save * 1e3:.2f} ms, load {load * 1e3:.2f} ms "
        f"(median of {repeats}); zlib level 1: {ratio:.2f} of the size in {packed * 1e3:.2f} ms"
    )


def main() -> None:
    default = Trainer()
    for _ in range(50):
        default.step(1, trace=True)
    report("default session (2-4-2-1, 250 points, SGD)", default, 200)
    report("largest session", largest(), 50)


if __name__ == "__main__":
    main()
