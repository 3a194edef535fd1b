"""The notes' `for i = 1 to m` against the matrix form (nncore/vectorize.py), as m grows.

For a few networks and batch sizes m, prints the median seconds of the per-example Python loop
and of the matrix form, their ratio, the loop's seconds per example and layer (the constant
behind vectorize.PER_EXAMPLE_LAYER, which sizes a request's compute slot), and the largest
difference between their gradients. Expected: the loop grows about linearly with m while the
matrix form stays nearly flat, and the difference stays near 1e-16. Timings depend on the
machine and its load: they are printed, never asserted in tests.

    python3 bench/bench_vectorize.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nncore.limits import Limits  # noqa: E402
from nncore.trainer import Config, Hidden, Trainer  # noqa: E402
from nncore.vectorize import PER_EXAMPLE_LAYER, compare  # noqa: E402

NETWORKS = [(2, 4), (6, 8), (8, 32)]  # (hidden layers, units)
SIZES = [1, 10, 100, 1000]  # m
REPEATS = 5
UNBOUNDED = Limits(max_loop_examples=10**9)  # a bench, not a request


def main() -> None:
    print(
        f"{'network':<12}{'m':>6}{'loop ms':>11}{'matrix ms':>11}{'ratio':>9}"
        f"{'us/ex/layer':>13}{'max diff':>11}"
    )
    per = []
    for layers, units in NETWORKS:
        hidden = tuple(Hidden(units, "tanh") for _ in range(layers))
        t = Trainer(Config(hidden=hidden, n_samples=2000, train_fraction=0.9))
        for m in SIZES:
            X, Y = t.X_train[:, :m], t.Y_train[:, :m]
            c = compare(t.net, X, Y, REPEATS, UNBOUNDED)
            each = c.loop_seconds / (m * c.layers) * 1e6
            per.append(each)
            print(
                f"{layers}x{units:<10}{m:>6}{c.loop_seconds * 1e3:>11.3f}"
                f"{c.vectorized_seconds * 1e3:>11.3f}{c.speedup:>9.1f}{each:>13.1f}"
                f"{c.max_difference:>11.1e}"
            )
    per.sort()
    print(
        f"loop: median {per[len(per) // 2]:.1f} us per example and layer "
        f"(vectorize.PER_EXAMPLE_LAYER = {PER_EXAMPLE_LAYER * 1e6:.0f} us)"
    )


if __name__ == "__main__":
    main()
