"""What a request will cost, estimated before it runs, so that no request does unbounded work.

A mini-batch update costs a fixed overhead (Python-level NumPy calls, per update and per
layer) plus its multiply-adds (batch x parameters, forward and backward, float64); a frame
costs the float32 passes over the whole data set and the maps. The constants are fitted
to medians measured on the development machine (2 vCPU, AVX-512; `python3 bench/bench_cost.py`
prints the estimate beside the time taken, 0.82..1.13 of it there): an estimate, within a
factor of about two on machines of that kind.
"""

from __future__ import annotations

import math

from .errors import InputError
from .limits import LIMITS, Limits

PER_UPDATE = 30e-6  # seconds: the fixed cost of one mini-batch update
PER_LAYER = 14e-6  # ... and of each of its layers
PER_MAC = 0.2e-9  # one multiply-add of a training update (float64, forward + backward)
PER_MAP_MAC = 0.08e-9  # one multiply-add of a float32 pass (whole-set losses, maps)
PER_MAP_VALUE = 1e-9  # one activation value of a float32 pass
PER_FRAME = 1e-3  # serializing a frame


def updates_per_unit(m_train: int, batch_size: int, unit: str) -> int:
    """Mini-batch updates in one "batch" (1) or one "epoch" (ceil(m / B))."""
    return math.ceil(m_train / min(batch_size, m_train)) if unit == "epoch" else 1


def update_seconds(sizes: list[int], batch: int) -> float:
    """One mini-batch update of a network of these layer sizes on `batch` examples."""
    macs = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)) * batch
    return PER_UPDATE + PER_LAYER * (len(sizes) - 1) + PER_MAC * macs


def pass_seconds(sizes: list[int], points: int) -> float:
    """One float32 forward pass over `points` inputs (losses of the whole set, or a map)."""
    macs = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    return points * (PER_MAP_MAC * macs + PER_MAP_VALUE * sum(sizes[1:]))


def frame_seconds(
    sizes: list[int], m_total: int, grid: int, neuron_resolution: int, n_inputs: int, grids: str
) -> float:
    """A frame: the whole-set losses, and the maps asked for (grids none/output/all)."""
    t = PER_FRAME + pass_seconds(sizes, m_total)
    if grids != "none":
        t += pass_seconds(sizes, grid**n_inputs)
    if grids == "all":
        t += pass_seconds(sizes, neuron_resolution**n_inputs)
    return t


def gradcheck_seconds(sizes: list[int], examples: int, entries: int) -> float:
    """Centred differences: two forward passes (about half an update each) per entry."""
    return entries * update_seconds(sizes, examples)


def check_step(
    sizes: list[int],
    m_train: int,
    m_total: int,
    batch_size: int,
    grid: int,
    neuron_resolution: int,
    n_inputs: int,
    steps: int,
    unit: str,
    grids: str,
    limits: Limits = LIMITS,
) -> float:
    """The estimated seconds of a step request; InputError naming the most steps allowed when
    it would run more updates than `max_updates` or more work than `max_work_seconds`."""
    per_unit = updates_per_unit(m_train, batch_size, unit)
    frame = frame_seconds(sizes, m_total, grid, neuron_resolution, n_inputs, grids)
    per_step = per_unit * update_seconds(sizes, min(batch_size, m_train))
    by_updates = limits.max_updates // per_unit
    by_work = math.floor((limits.max_work_seconds - frame) / per_step)
    allowed = min(by_updates, by_work, limits.max_steps)
    what = "epochs" if unit == "epoch" else "mini-batch updates"
    if steps > allowed:
        if allowed < 1:
            raise InputError.coded(
                "steps",
                "steps.one_unit",
                unit=unit,
                seconds=f"{frame + per_step:.2g}",
                budget=f"{limits.max_work_seconds:g}",
            )
        if by_updates <= by_work:
            raise InputError.coded(
                "steps",
                "steps.updates",
                allowed,
                steps=steps,
                what=what,
                updates=steps * per_unit,
                max_updates=limits.max_updates,
                allowed=allowed,
            )
        raise InputError.coded(
            "steps",
            "steps.work",
            allowed,
            steps=steps,
            what=what,
            seconds=f"{frame + steps * per_step:.2g}",
            budget=f"{limits.max_work_seconds:g}",
            allowed=allowed,
        )
    return frame + steps * per_step
