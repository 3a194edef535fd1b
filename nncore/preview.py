"""What the next step will do, without doing it: the step run on a copy of the session.

The copy is the session's snapshot loaded back (nncore/snapshot.py), which continues bit for
bit: its step is the step the session would take next (the same mini-batch from the same batch
order and random state, the same optimizer slots), so the frame it returns is the frame the
next step request with the same arguments returns. The session itself is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import snapshot
from .errors import InputError
from .trainer import ExampleRecord, Frame, Trainer

# Tuning: seconds to copy a session through its snapshot, added to the step's estimate
# (bench/bench_snapshot.py: 1.1 ms for the page's default, 5.5 ms for the largest session).
COPY_SECONDS = 0.006


@dataclass
class Preview:
    before: tuple[float, float, float | None, float | None]  # Trainer.evaluate() now
    frame: Frame  # the frame the step would return
    example: int  # the traced example: the one asked for, else the step's first traced
    example_before: ExampleRecord
    example_after: ExampleRecord


def cost(t: Trainer, steps: int, unit: str, grids: str, limits=None) -> float:
    """Estimated seconds of preview(); InputError as Trainer.step_cost when too much work."""
    args = (steps, unit, grids) if limits is None else (steps, unit, grids, limits)
    return t.step_cost(*args) + COPY_SECONDS


def preview(
    t: Trainer,
    steps: int = 1,
    unit: str = "batch",
    trace: bool = False,
    grids: str = "none",
    example: int | None = None,
) -> Preview:
    """The step t.step(steps, unit, trace, grids) would take, taken on a copy of t; raises
    Diverged as that step would (t is left as it was either way)."""
    if example is not None and not 0 <= example < t.m_train:
        raise InputError("example", f"must be 0..{t.m_train - 1}, got {example}")
    before = t.evaluate()
    copy = snapshot.load(snapshot.dump(t))
    frame = copy.step(steps, unit, True, grids)  # traced, to name the example it traced
    index = int(frame.trace_indices[0]) if example is None else example
    if not trace:
        layers = [replace(lf, Z=None, A=None, dZ=None, dA=None) for lf in frame.layers]
        frame = replace(frame, layers=layers, trace_indices=None, loss_batch=None)
    return Preview(before, frame, index, t.example(index), copy.example(index))
