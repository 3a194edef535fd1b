"""How good is the work estimate that bounds a request (nncore/cost.py)?

For networks from the smallest to the largest allowed, prints the estimated and the measured
seconds of a step request (median of a few runs) and their ratio. The budget (max_work_seconds)
is only as good as this ratio: near 1 the bound means what it says; the target is 0.5..2.

    python3 bench/bench_cost.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nncore.trainer import Config, Hidden, Trainer  # noqa: E402

CASES = [
    # (hidden layers, units, batch, examples, grid, neuron maps, grids, unit, steps)
    (1, 4, 10, 500, 100, 32, "none", "batch", 500),
    (2, 4, 10, 500, 100, 32, "all", "batch", 200),
    (2, 4, 10, 500, 100, 32, "all", "epoch", 5),
    (6, 8, 10, 500, 100, 32, "all", "batch", 200),
    (8, 32, 1, 2000, 100, 32, "all", "batch", 300),
    (8, 32, 10, 2000, 100, 32, "all", "epoch", 2),
    (8, 32, 100, 2000, 200, 64, "all", "batch", 200),
    (8, 32, 1000, 2000, 200, 64, "all", "batch", 50),
    (4, 16, 500, 2000, 200, 64, "output", "epoch", 20),
]


def main() -> None:
    print(f"{'network':<28}{'request':<22}{'estimate':>10}{'measured':>10}{'ratio':>8}")
    ratios = []
    for layers, units, batch, m, grid, res, grids, unit, steps in CASES:
        hidden = tuple(Hidden(units, "relu") for _ in range(layers))
        t = Trainer(
            Config(n_samples=m, batch_size=batch, grid=grid, neuron_resolution=res, hidden=hidden)
        )
        t.step(2, grids=grids)  # warm the buffers
        estimate = t.step_cost(steps, unit, grids)
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            t.step(steps, unit, grids=grids)
            runs.append(time.perf_counter() - t0)
        took = statistics.median(runs)
        ratios.append(took / estimate)
        net = f"{layers}x{units}, B={batch}, m={m}"
        req = f"{steps} {unit}, {grids} {grid}/{res}"
        print(
            f"{net:<28}{req:<22}{estimate * 1e3:>8.1f}ms{took * 1e3:>8.1f}ms{took / estimate:>8.2f}"
        )
    lo, hi = min(ratios), max(ratios)
    verdict = "PASS" if 0.5 <= lo and hi <= 2 else "MISS"
    print(
        f"measured / estimate: median {statistics.median(ratios):.2f}, "
        f"range {lo:.2f}..{hi:.2f} (target 0.5..2) {verdict}"
    )


if __name__ == "__main__":
    main()
