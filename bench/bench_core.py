"""Speed of the network core, printed beside the targets of issue 2 (run by hand, not in CI).

    python3 bench/bench_core.py

Measured (medians over many repetitions after a warm-up; p10/p90 beside):
1. one training step (forward, backward, SGD update; full batch, float64) of a
   2-4-1 network (tanh, sigmoid output) on 500 examples            target <= 60 us
2. the same for 2-6x8-1 (six tanh layers of 8) on 500 examples      target <= 250 us
   (and with ReLU layers, for comparison)
3. Trainer.step(1) of that network, full batch of 500: the session path with its divergence
   checks and the whole-set losses a frame reports                  (informational)
4. a full frame of the 2-6x8-1 network on spiral with all seven features, mini-batch 10:
   step + trace + 100x100 output map + 32x32 maps of all neurons + serialization to the bytes
   the API sends                                                     target <= 3 ms
5. a 784-256-256-10 softmax step (ReLU) on a batch of 256: achieved GFLOP/s against the
   float64 matmul peak measured in the same run                      target >= 50% of peak
6. where PyTorch is installed (pip install torch==2.13.0), the same steps 1, 2 and 5 in
   PyTorch eager on the CPU, and the ratio; target for 2: NumPy at least 2x faster.
Thread settings are left as the environment has them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.serialize import dumps, frame_dict  # noqa: E402
from nncore.features import FEATURES  # noqa: E402
from nncore.network import Network  # noqa: E402
from nncore.optimizers import SGD  # noqa: E402
from nncore.trainer import Config, Hidden, Trainer  # noqa: E402

rows: list[tuple[str, str, str, str]] = []


def timeit(fn, seconds: float = 1.0, warmup: int = 20) -> np.ndarray:
    """Per-call times in microseconds, repeated for about `seconds`."""
    for _ in range(warmup):
        fn()
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 30:
        t0 = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - t0)
    return np.array(times) / 1e3


def report(name: str, us: np.ndarray, target_us: float | None = None) -> float:
    med = float(np.median(us))
    p10, p90 = np.percentile(us, [10, 90])
    verdict = "" if target_us is None else ("PASS" if med <= target_us else "MISS")
    target = "" if target_us is None else f"<= {target_us:g} us"
    print(f"{name:58s} median {med:9.1f} us  (p10 {p10:8.1f}, p90 {p90:8.1f})  {target} {verdict}")
    rows.append((name, f"{med:.1f} us", target, verdict))
    return med


def numpy_step(sizes: list[int], act: str, problem: str, m: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    net = Network.initialized(sizes, [act] * (len(sizes) - 2), problem, "xavier", rng)
    X = rng.standard_normal((sizes[0], m))
    if problem == "multiclass":
        Y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]
    else:
        Y = (rng.random((1, m)) > 0.5).astype(float)
    opt = SGD(net.n_parameters())

    def step() -> None:
        caches = net.forward(X)
        net.backward(Y, caches)
        opt.update(net.params, net.grads, 0.01)

    return step


def torch_step(sizes: list[int], act: str, problem: str, m: int):
    import torch

    torch.manual_seed(0)
    Ws = [
        (torch.randn(n, k, dtype=torch.float64) * (1 / k) ** 0.5).requires_grad_()
        for k, n in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    bs = [torch.zeros(n, 1, dtype=torch.float64, requires_grad=True) for n in sizes[1:]]
    X = torch.randn(sizes[0], m, dtype=torch.float64)
    g = {"tanh": torch.tanh, "relu": torch.relu}[act]
    if problem == "multiclass":
        y = torch.randint(0, sizes[-1], (m,))
    else:
        y = (torch.rand(1, m) > 0.5).double()

    def step() -> None:
        A = X
        for W, b in zip(Ws[:-1], bs[:-1], strict=True):
            A = g(W @ A + b)
        Z = Ws[-1] @ A + bs[-1]
        if problem == "multiclass":
            loss = torch.nn.functional.cross_entropy(Z.T, y)
        else:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(Z, y)
        for p in (*Ws, *bs):
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in (*Ws, *bs):
                p -= 0.01 * p.grad

    return step


def main() -> None:
    print(f"NumPy {np.__version__}, Python {sys.version.split()[0]}\n")
    small = report(
        "1. step 2-4-1 tanh, m=500", timeit(numpy_step([2, 4, 1], "tanh", "binary", 500)), 60
    )
    deep = [2, *[8] * 6, 1]
    deep_tanh = report(
        "2. step 2-6x8-1 tanh, m=500", timeit(numpy_step(deep, "tanh", "binary", 500)), 250
    )
    deep_relu = report(
        "   step 2-6x8-1 relu, m=500", timeit(numpy_step(deep, "relu", "binary", 500)), 250
    )

    t = Trainer(Config(hidden=(Hidden(8),) * 6, n_samples=1000, train_fraction=0.5, batch_size=500))
    report(
        "3. Trainer.step(1) 2-6x8-1 tanh, batch 500 (+ whole-set loss)", timeit(lambda: t.step(1))
    )

    t = Trainer(
        Config(
            dataset="spiral",
            features=tuple(FEATURES),
            hidden=(Hidden(8),) * 6,
            n_samples=1000,
            train_fraction=0.5,
            batch_size=10,
            grid=100,
            neuron_resolution=32,
        )
    )
    frame_bytes = b""

    def full_frame() -> None:
        nonlocal frame_bytes
        frame_bytes = dumps(frame_dict(t.step(1, trace=True, grids="all")))

    report("4. full frame 2-6x8-1, 7 features, G=100, 48 maps 32x32", timeit(full_frame, 2.0), 3000)
    report("   of which: step(1) with whole-set losses, no trace/grids", timeit(lambda: t.step(1)))
    report(
        "   of which: output map 100x100",
        timeit(lambda: t.grids.evaluate(t.net, t.config.features, t.bounds, 100, 32, True, False)),
    )
    report(
        "   of which: all neurons' maps 32x32",
        timeit(lambda: t.grids.evaluate(t.net, t.config.features, t.bounds, 100, 32, False, True)),
    )
    f = t.step(1, trace=True, grids="all")
    report("   of which: serialization to bytes", timeit(lambda: dumps(frame_dict(f))))
    print(f"   frame size: {len(frame_bytes) / 1024:.0f} KB")

    # 5. the big step and the matmul peak
    n = 1024
    rng = np.random.default_rng(0)
    A, B = rng.random((n, n)), rng.random((n, n))
    peak = max(2 * n**3 / (t_us * 1e3) for t_us in timeit(lambda: A @ B, 1.0, 3))
    sizes, m = [784, 256, 256, 10], 256
    big = report(
        "5. step 784-256-256-10 softmax relu, batch 256",
        timeit(numpy_step(sizes, "relu", "multiclass", m), 2.0),
    )
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    # forward: one matmul per layer; backward: dW per layer and dA_prev for layers 2..L
    flops = sum(2 * m * k * nn for k, nn in pairs) * 2 + sum(2 * m * k * nn for k, nn in pairs[1:])
    gflops = flops / (big * 1e3)
    verdict = "PASS" if gflops >= 0.5 * peak else "MISS"
    print(
        f"   {gflops:.1f} GFLOP/s = {100 * gflops / peak:.0f}% of the matmul peak "
        f"{peak:.1f} GFLOP/s (float64 {n}x{n})  target >= 50% {verdict}"
    )
    rows.append(
        ("5. 784-256-256-10 share of matmul peak", f"{100 * gflops / peak:.0f}%", ">= 50%", verdict)
    )

    try:
        import torch
    except ImportError:
        print("\n6. PyTorch not installed (pip install torch==2.13.0): skipped")
    else:
        threads = torch.get_num_threads()
        print(f"\n6. PyTorch {torch.__version__} eager, CPU, float64 ({threads} threads)")
        for name, args, ours in [
            ("2-4-1 tanh", ([2, 4, 1], "tanh", "binary", 500), small),
            ("2-6x8-1 tanh", (deep, "tanh", "binary", 500), deep_tanh),
            ("2-6x8-1 relu", (deep, "relu", "binary", 500), deep_relu),
            ("784-256-256-10", (sizes, "relu", "multiclass", m), big),
        ]:
            theirs = report(f"   torch step {name}", timeit(torch_step(*args)))
            ratio = theirs / ours
            target = ">= 2x" if name.startswith("2-6x8-1") else ""
            verdict = ("PASS" if ratio >= 2 else "MISS") if target else ""
            print(
                f"   NumPy is {ratio:.2f}x faster than PyTorch eager on {name} {target} {verdict}"
            )
            rows.append((f"6. NumPy / PyTorch speed, {name}", f"{ratio:.2f}x", target, verdict))

    print("\nSummary")
    for name, value, target, verdict in rows:
        print(f"  {name:58s} {value:>12s}  {target:>10s} {verdict}")


if __name__ == "__main__":
    main()
