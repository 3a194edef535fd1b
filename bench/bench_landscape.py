"""The loss landscape's time (nncore/landscape.py): a 41 x 41 grid on the 6 x 8 network.

The spiral dataset at the page's default size (500 examples, half for training: m = 250), six
hidden layers of 8 tanh units, trained 200 mini-batch steps. For four pairs of weights (both in
layer 1, the worst: every layer runs on all 1,681 points; layers 1 and 4; 3 and 4; both in the
output layer) it prints the median seconds of landscape() (float32 passes, as served, with
the path), of the grid alone in float64, and of the plain loop (one forward pass per point,
float64) with the largest difference from it, beside the target; then the cost model's
estimate (landscape.seconds, which sizes a request's compute slot) beside the time taken.
Timings depend on the machine and its load: printed, never asserted in tests.

    python3 bench/bench_landscape.py    (results: bench/results/landscape.txt)
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_snapshot import timed  # noqa: E402  (median seconds, after a warm-up run)

from nncore.landscape import (  # noqa: E402
    Pick,
    grid_loss,
    landscape,
    loop_loss,
    recorded,
    seconds,
    states_loss,
)
from nncore.trainer import Config, Hidden, Trainer  # noqa: E402

N = 41
REPEATS = 9
LOOP_REPEATS = 3
TARGET_MS = 100.0
PATH_STATES = 1000  # a long timeline's records (LIMITS.max_history)
PAIRS = {
    "layer 1, layer 1": (Pick(1, 0, 0), Pick(1, 1, 1)),
    "layer 1, layer 4": (Pick(1, 0, 0), Pick(4, 2, 3)),
    "layer 3, layer 4": (Pick(3, 1, 0), Pick(4, 2, 3)),
    "output, output": (Pick(7, 0, 0), Pick(7, 0, 5)),
}


def main() -> None:
    t = Trainer(Config(dataset="spiral", hidden=tuple(Hidden(8, "tanh") for _ in range(6))))
    t.step(200)
    net, X, Y = t.net, t.X_train, t.Y_train
    cpu = platform.processor() or platform.machine()
    print(f"{cpu}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    states = len(recorded(t))
    print(f"network {net.sizes}, m = {t.m_train}, grid {N} x {N}, states on the path: {states}")
    print(
        f"{'weights':<18}{'served ms':>10}{'f64 grid ms':>12}{'loop ms':>10}{'loop/f64':>9}"
        f"{'loop/served':>12}{'max diff':>10}{'estimate ms':>12}  target {TARGET_MS:.0f} ms"
    )
    values = np.linspace(-1.0, 1.0, N)
    for name, (a, b) in PAIRS.items():
        grid = (a, b, values, values)
        served = timed(lambda a=a, b=b: landscape(t, a, b, N), REPEATS)
        exact = timed(lambda g=grid: grid_loss(net, X, Y, *g), REPEATS)
        slow = timed(lambda g=grid: loop_loss(net, X, Y, *g), LOOP_REPEATS)
        diff = np.abs(grid_loss(net, X, Y, *grid) - loop_loss(net, X, Y, *grid)).max()
        estimate = seconds(net.sizes, t.m_train, a, b, N, states)
        verdict = "ok" if served * 1e3 <= TARGET_MS else "over"
        print(
            f"{name:<18}{served * 1e3:>10.1f}{exact * 1e3:>12.1f}{slow * 1e3:>10.0f}"
            f"{slow / exact:>9.1f}{slow / served:>12.1f}{diff:>10.1e}{estimate * 1e3:>12.1f}"
            f"  {verdict}"
        )
    # the path of a long run: every recorded state's loss, each with all its weights
    rng = np.random.default_rng(0)
    P = net.params + rng.normal(0, 0.1, (PATH_STATES, net.params.size))
    path = timed(lambda: states_loss(net, X, Y, P, np.float32), REPEATS)
    print(f"the path's losses for {PATH_STATES} recorded states: {path * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
