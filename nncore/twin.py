"""A twin: a second session with the same data and seed as the first and a few settings of its
own, for comparing two runs side by side (relu against tanh, SGD against Adam, zeros against
Xavier, one hidden layer against three).

The twin starts from the first session's state at step 0 (its seed's data, own points and
initial weights), then takes its changes as a live change would (Trainer.apply), before its
first step. So two sessions that differ in an activation, the optimizer or the rate start with
the same W and b; a deeper twin keeps the first layer and the output layer where their shapes
are the same; a twin with another initializer draws its weights with it from the same random
stream (zeros against Xavier: all zeros against the first session's Xavier draw).
"""

from __future__ import annotations

from dataclasses import replace

from . import snapshot
from .errors import InputError
from .limits import LIMITS, Limits
from .trainer import Trainer

# What makes the data and the seed: a twin shares them, so it may not change them.
SHARED = ("problem", "dataset", "n_samples", "noise", "train_fraction", "classes", "seed")
SHARED += ("input_scale",)


def twin(t: Trainer, changes: dict, limits: Limits = LIMITS) -> Trainer:
    """A new Trainer at step 0 with t's data, seed and initial weights and `changes` (config
    fields, as Trainer.apply takes them) applied; InputError naming a field that would change
    the data or the seed, or one out of its bounds. t is left as it was."""
    for name in SHARED:
        if name in changes and changes[name] != getattr(t.config, name):
            raise InputError(name, "a twin shares the first session's data and seed")
    rest = {k: v for k, v in changes.items() if k not in SHARED}
    u = snapshot.load(snapshot.dump(t))  # a copy with its own points and view
    init = rest.pop("init", u.config.init)
    if init != u.config.init:
        u.config = replace(u.config, init=init).validated(limits)
    u.reset()  # step 0: the seed's data and initial weights (drawn with the twin's initializer)
    if rest:
        u.apply(limits=limits, **rest)
    return u
