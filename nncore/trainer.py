"""A training session: data + network + optimizer + history. step() returns a Frame.

The trainer owns every random stream, each derived from the seed, so that creating a session
and resetting it with the same seed give bit-identical data and initial weights:
    data: default_rng(seed)  (in datasets.make_dataset)
    initial weights: default_rng([seed, 1])
    mini-batch order: default_rng([seed, 2])
    weights of units added live: default_rng([seed, 3, k]) for the k-th change
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from .activations import ACTIVATIONS
from .cost import check_step, frame_seconds, gradcheck_seconds
from .datasets import DATASETS, Split, fitting, make_dataset
from .errors import MESSAGES, InputError
from .features import available_features, transform, validate_features
from .gradcheck import LayerCheck, check_network
from .grid import Bounds, GridEvaluator, GridMaps
from .initializers import get_initializer
from .limits import CHOICES, LIMITS, Limits, config_ranges
from .losses import get_problem
from .network import Buffers, Cache, LayerGrads, Network
from .optimizers import OPTIMIZERS, Penalty, make_optimizer
from .owndata import OwnData

TRACE_LIMIT = LIMITS.trace_examples  # traced examples per frame: the last mini-batch's first
# A weight beyond this has run away: calling it divergence while it is still finite leaves a
# state from which a lower learning rate can recover (an overflowed one would not).
MAX_PARAMETER = LIMITS.max_parameter
# A run takes off when the parameters' norm grows this many times over the kept recent states
# (LIMITS.divergence_snapshots of them). Tuning: the plane at rate 3 and a 6-layer tanh net at
# rate 10 grow 10-100x in one or two updates once they take off, while ordinary training, even
# Adam at a large rate, grows its norm by a few percent an update.
TAKE_OFF_GROWTH = 8.0
# Tuning: below this root-mean-square weight growth is learning, not a take-off (weights
# initialized small, x0.01, or zeros, grow by far more than TAKE_OFF_GROWTH as they learn; a
# binary tanh net at rate 10 saturates near an RMS weight of 2: it oscillates, it does not
# run away, and the page says the rate may be too large).
TAKE_OFF_FLOOR_RMS = 3.0
# The suggested rate after a divergence: this many times lower, rounded down to a menu choice.
RATE_SUGGESTION_FACTOR = 10.0


@dataclass(frozen=True)
class Hidden:
    units: int = 4
    activation: str = "tanh"


@dataclass(frozen=True)
class Config:
    """Everything that defines a session. Defaults follow TensorFlow Playground's."""

    problem: str = "binary"
    dataset: str = "circle"
    n_samples: int = 500
    noise: float = 0.0
    train_fraction: float = 0.5
    classes: int = 3
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[Hidden, ...] = (Hidden(4), Hidden(2))
    init: str = "xavier"
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    momentum: float = 0.9
    batch_size: int = 10
    l1: float = 0.0
    l2: float = 0.0
    grid: int = 100
    neuron_resolution: int = 32
    input_scale: float = 1.0  # a generated dataset's inputs times this (the notes' x100)

    def validated(self, limits: Limits = LIMITS) -> Config:
        """Self with features normalized; InputError naming the field and its bound."""
        get_problem(self.problem)
        get_initializer(self.init)
        if self.optimizer not in OPTIMIZERS:
            raise InputError(
                "optimizer", f"unknown {self.optimizer!r}; allowed: {list(OPTIMIZERS)}"
            )
        if len(self.hidden) > limits.max_hidden_layers:
            raise InputError("hidden", f"at most {limits.max_hidden_layers} layers")
        ranges = config_ranges(limits)
        for i, h in enumerate(self.hidden):
            ranges["units"].check(f"hidden.{i}.units", h.units)
            if h.activation not in ACTIVATIONS:
                raise InputError(f"hidden.{i}.activation", f"unknown {h.activation!r}")
        for name, r in ranges.items():
            if name != "units":
                r.check(name, getattr(self, name))
        return self

    def to_dict(self) -> dict:
        d = asdict(self)
        d["features"] = list(self.features)
        d["hidden"] = [asdict(h) for h in self.hidden]
        return d


class Diverged(Exception):
    """A step made the loss or the parameters non-finite, or the parameters took off; the
    state before it was restored. `last_good_step` is the step Trainer.restore() goes back
    to (the last state before the run took off), `suggested_rate` a lower learning rate."""

    def __init__(self, step: int, last_good_step: int | None = None, suggested_rate=None):
        self.step, self.last_good_step, self.suggested_rate = step, last_good_step, suggested_rate
        self.code = "diverged" if last_good_step is None else "diverged.back"
        self.params = {
            "step": step,
            "max_parameter": f"{MAX_PARAMETER:g}",
            "growth": f"{TAKE_OFF_GROWTH:g}",
        }
        if last_good_step is not None:
            rate = "" if suggested_rate is None else f"{suggested_rate:g}"
            self.params |= {"last_good_step": last_good_step, "rate": rate}
        super().__init__(MESSAGES[self.code].format(**self.params))


@dataclass
class LayerFrame:
    activation: str
    W: np.ndarray
    b: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    grad_norm_W: float
    grad_norm_b: float
    # The traced examples of the last mini-batch (columns), when asked for:
    Z: np.ndarray | None = None
    A: np.ndarray | None = None
    dZ: np.ndarray | None = None
    dA: np.ndarray | None = None  # dA[l], the gradient of this layer's output A[l]


@dataclass
class Frame:
    """The record of one step: what moved forward, what flowed back (DESIGN.md)."""

    step: int
    epoch: int
    loss_train: float
    loss_test: float
    penalty: float
    accuracy_train: float | None
    accuracy_test: float | None
    layers: list[LayerFrame]
    trace_indices: np.ndarray | None = None  # indices into the training set
    grid: GridMaps | None = None
    # with a trace: the traced mini-batch's loss before the update (its forward pass's)
    loss_batch: float | None = None


@dataclass
class ExampleLayer:
    z: np.ndarray  # (n[l],)
    a: np.ndarray
    dz: np.ndarray
    da: np.ndarray  # dA[l] for this one example
    dW: np.ndarray  # dz a_prev^T, this example's own contribution (n[l], n[l-1])
    db: np.ndarray  # dz


@dataclass
class ExampleRecord:
    index: int
    x: np.ndarray  # raw input
    a0: np.ndarray  # the features, A[0]
    layers: list[ExampleLayer]
    loss: float
    prediction: float
    label: float


@dataclass
class BatchRecord:
    """The last mini-batch whole, as matrices: one column per example (Trainer.last_batch)."""

    step: int  # the step this batch was the update of
    indices: np.ndarray  # (m,) training-set index of each column
    X: np.ndarray  # A[0], (n[0], m)
    Y: np.ndarray  # (n[L], m)
    net: Network  # with the weights the batch was computed with (before its update)
    caches: list[Cache]  # Z[l], A[l] and A[l-1] per layer
    grads: list[LayerGrads]  # dZ[l], dW[l], db[l], dA[l-1] per layer
    loss: float  # the batch's data loss


@dataclass
class _Last:
    """The last mini-batch's caches and gradients, kept for tracing, and what recomputes it
    whole (Trainer.last_batch): its indices and the parameters before its update."""

    indices: np.ndarray
    caches: list[Cache]
    grads: list[LayerGrads]
    Y: np.ndarray
    loss: float | None = None  # the whole mini-batch's data loss, before its update
    params: np.ndarray | None = None  # the flat parameters it was computed with (not to write)
    activations: tuple[str, ...] = ()  # the hidden activations it was computed with

    def first(self, k: int) -> _Last:
        """Only the first k columns (the traced examples), as copies; every index is kept."""
        if self.indices.size <= k:
            return replace(self, indices=self.indices.copy())

        def cols(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else a[:, :k].copy()

        return _Last(
            self.indices.copy(),
            [Cache(cols(c.A_prev), cols(c.Z), cols(c.A)) for c in self.caches],
            [LayerGrads(cols(g.dZ), g.dW, g.db, cols(g.dA_prev)) for g in self.grads],
            cols(self.Y),
            self.loss,
            self.params,
            self.activations,
        )


@dataclass(frozen=True)
class _Order:
    """The mini-batch order of one epoch and the batch RNG's state after shuffling it."""

    order: np.ndarray
    rng_state: dict


def _order_copy(order: np.ndarray) -> np.ndarray:
    """A kept copy of a batch order: 16-bit (4x smaller) when the training set allows it."""
    small = order.size <= np.iinfo(np.int16).max + 1
    return order.astype(np.int16) if small else order.copy()


@dataclass(slots=True)  # not frozen: one is made every update, and frozen ones build slowly
class _Snapshot:
    """Everything needed to continue bit for bit from the state after `step` updates.

    A record of the timeline (Trainer.timeline) is one of these with the configuration it was
    recorded under; `params` and `grads` are flat float64 copies in Network.params' layout."""

    step: int
    epoch: int
    pos: int
    order: _Order  # shared by the snapshots of one epoch
    params: np.ndarray
    grads: np.ndarray
    optimizer: tuple
    norm: float  # ||params||, to see a take-off
    config: Config | None = None  # a timeline record's (the divergence ring's have none)
    seq: int = 0  # a timeline record's: step requests since the timeline began

    def nbytes(self) -> int:
        slots = sum(a.nbytes for a in self.optimizer[1])
        return self.params.nbytes + self.grads.nbytes + slots + self.order.order.nbytes


Record = _Snapshot  # a timeline record: .step, .epoch, .params, .grads, .config, ...


@dataclass
class HistoryEntry:
    step: int
    epoch: int
    loss_train: float
    loss_test: float
    accuracy_train: float | None
    accuracy_test: float | None
    grad_norm_W: list[float] = field(default_factory=list)


class Trainer:
    def __init__(self, config: Config | None = None):
        self.config = (config or Config()).validated()
        self.own: OwnData | None = None  # the user's own points, in place of the dataset
        self.grids = GridEvaluator()
        self._buffers = Buffers()
        self.reset()

    def reset(self, seed: int | None = None) -> None:
        """New data and initial weights from the seed (the config's live changes are kept)."""
        if seed is not None:
            self.config = replace(self.config, seed=seed)
        c = self.config
        self._load_data()
        self.net = Network.initialized(
            self._sizes(c),
            [h.activation for h in c.hidden],
            c.problem,
            c.init,
            np.random.default_rng([c.seed, 1]),
        )
        self.optimizer = make_optimizer(c.optimizer, self.net.n_parameters(), c.momentum)
        self.penalty = Penalty(c.l1, c.l2)
        self.step_count = 0
        self.epoch = 0
        self._changes = 0
        self._batch_rng = np.random.default_rng([c.seed, 2])
        self._order = np.arange(self.m_train)
        self._pos = 0
        self._last: _Last | None = None
        self.history: list[HistoryEntry] = []
        self._forget_snapshots()
        self._new_timeline()

    # The timeline --------------------------------------------------------------------------
    #
    # Every step request's resulting state is recorded (and step 0, where a timeline starts),
    # in step order, with the configuration it ran under. A change of activation, rate,
    # momentum, penalty or batch size, and a hand-set weight, keep the timeline: its records
    # keep their own configuration, and going back to one before the change undoes it. New
    # data, another shape or another optimizer, loaded weights and a reset start a new one
    # (the records before could not be continued on this data and network), from the state
    # after the change. Long timelines are thinned: every second record between the first and
    # the newest is dropped and from then on only every second request is kept (besides the
    # newest), so the records stay evenly spread over the whole run, however long; the
    # history keeps the entries of the steps recorded. `abandoned`: the history from the step
    # a rewind went back to (the future it left), until the next rewind or a new timeline.

    def _new_timeline(self) -> None:
        self.timeline: list[_Snapshot] = []
        self.abandoned: list[HistoryEntry] = []
        self.timeline_stride = 1  # the requests between two kept records (the newest aside)
        self._record()

    def _record(self) -> None:
        """The current state into the timeline (replacing a record of the same step)."""
        snap = self._snapshot()
        tl = self.timeline
        while tl and tl[-1].step >= snap.step:
            tl.pop()
        self._append(snap, self.config)
        most = max(3, min(LIMITS.timeline_entries, LIMITS.timeline_bytes // snap.nbytes()))
        while len(tl) > most:
            self.timeline_stride *= 2
            tl[:-1] = [r for r in tl[:-1] if r.seq % self.timeline_stride == 0]

    def _append(self, snap: _Snapshot, config: Config) -> None:
        tl = self.timeline
        seq = tl[-1].seq + 1 if tl else 0
        if len(tl) > 1 and tl[-1].seq % self.timeline_stride:
            tl.pop()  # kept only as the newest
        snap.seq, snap.config = seq, config
        tl.append(snap)

    def recorded_steps(self) -> list[int]:
        return [r.step for r in self.timeline]

    def record_at(self, step: int) -> _Snapshot:
        """The record of this step; InputError (field "step") naming the nearest recorded."""
        steps = self.recorded_steps()
        i = bisect.bisect_left(steps, step)
        if i < len(steps) and steps[i] == step:
            return self.timeline[i]
        nearest = ", ".join(str(s) for s in steps[max(0, i - 1) : i + 1])
        raise InputError.coded(
            "step",
            "timeline.not_recorded",
            step=step,
            nearest=nearest,
            first=steps[0],
            last=steps[-1],
        )

    def frame_at(self, step: int, grids: str = "none") -> Frame:
        """The frame of a recorded step, recomputed from its parameters (InputError if none)."""
        r = self.record_at(step)
        net = Network(self.net.sizes, [h.activation for h in r.config.hidden], self.net.problem)
        net.params[...], net.grads[...] = r.params, r.grads
        penalty = Penalty(r.config.l1, r.config.l2)
        return self._frame_of(net, r.step, r.epoch, penalty, False, grids)

    def rewind(self, step: int, limits: Limits = LIMITS, **changes) -> None:
        """Back to the recorded state of `step`, bit for bit (parameters, gradients, optimizer
        slots, counters, batch order and its random state, the configuration it ran under),
        then `changes` applied as apply() does. The history and the timeline after it are
        dropped; the history from it on becomes `abandoned`. InputError (the session as it
        was) for a step not recorded or a bad change."""
        r = self.record_at(step)
        if "hidden" in changes:
            changes["hidden"] = tuple(
                h if isinstance(h, Hidden) else Hidden(**h) for h in changes["hidden"]
            )
        replace(r.config, **changes).validated(limits)
        c = self.config
        self._go_back(r, replace(r.config, grid=c.grid, neuron_resolution=c.neuron_resolution))
        abandoned = self.abandoned
        if changes:
            self.apply(limits=limits, **changes)
        self.abandoned = abandoned

    def _go_back(self, s: _Snapshot, config: Config) -> None:
        """To the state s, under config (of the same data, shape and optimizer)."""
        self.abandoned = [h for h in self.history if h.step >= s.step]
        self.history = [h for h in self.history if h.step <= s.step]
        recorded = any(r is s for r in self.timeline)
        self.timeline = [r for r in self.timeline if r.step < s.step]
        ring = [x for x in self._snapshots if x.step <= s.step]  # the states that led here
        self._forget_snapshots()
        self._snapshots.extend(ring)
        self.config = config
        for l, act in enumerate((h.activation for h in config.hidden), start=1):
            if self.net.layers[l - 1].activation != act:
                self.net.set_activation(l, act)
        self.optimizer.momentum = config.momentum
        self.penalty = Penalty(config.l1, config.l2)
        self._load_snapshot(s)
        self._last = None
        if recorded:
            self.timeline.append(s)
            s.config = config
        else:  # a state of the divergence ring
            self._append(s, config)

    def _forget_snapshots(self) -> None:
        """The kept states no longer fit (new data, shape, optimizer, weights): start afresh."""
        self._snapshots: deque[_Snapshot] = deque(maxlen=LIMITS.divergence_snapshots)
        self._order_kept: _Order | None = None
        self._norm: float | None = None  # ||params|| after the last update (None: not known)
        self.last_good: _Snapshot | None = None  # set by a divergence, for restore()

    def _load_data(self) -> None:
        c = self.config
        if self.own is not None:
            self.split: Split = self.own.split()
        else:
            self.split = make_dataset(
                c.problem, c.dataset, c.n_samples, c.noise, c.train_fraction, c.seed, c.classes
            )
            if c.input_scale != 1.0:  # the same points, every input multiplied
                s = self.split
                X_train, X_test = s.X_train * c.input_scale, s.X_test * c.input_scale
                self.split = replace(s, X_train=X_train, X_test=X_test)
        self.problem = get_problem(c.problem)
        features = validate_features(c.features, self.split.n_inputs)
        if features != c.features:
            self.config = replace(c, features=features)
        points = np.vstack([self.split.X_train, self.split.X_test])
        view = getattr(self, "bounds", None)
        self.bounds = Bounds.around(points)
        if self.own is not None:
            # Own points keep the view they were drawn in (the previous data's, else the
            # generated datasets' [-6, 6] widened) as long as they lie in it: the axes stay put
            # while a teacher draws, even at the edge. Points outside widen it.
            if view is None or len(view.lo) != self.split.n_inputs:
                box = np.full((2, self.split.n_inputs), 6.0)
                box[0] *= -1
                view = Bounds.around(box)
            inside = np.all((points >= view.lo) & (points <= view.hi))
            self.bounds = view if inside else Bounds.around(np.vstack([points, view.lo, view.hi]))
        self.X_train = transform(self.config.features, self.split.X_train.T.copy())
        self.X_test = transform(self.config.features, self.split.X_test.T.copy())
        k = self.split.classes
        self.Y_train = self.problem.encode(self.split.y_train, k)
        self.Y_test = self.problem.encode(self.split.y_test, k)
        self.m_train = self.X_train.shape[1]
        self._X_eval = np.hstack([self.X_train, self.X_test]).astype(np.float32)

    def _sizes(self, c: Config) -> list[int]:
        return [len(c.features), *(h.units for h in c.hidden), self.problem.n_outputs(c.classes)]

    def step(
        self, n: int = 1, unit: str = "batch", trace: bool = False, grids: str = "none"
    ) -> Frame:
        """Run n mini-batch updates (unit "batch") or n whole epochs (unit "epoch").

        Raises Diverged (state restored to before the failing step) if a step goes non-finite.
        """
        # Overflow is detected and reported as Diverged: NumPy's warnings would only repeat it.
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                if unit == "epoch":
                    target = self.epoch + n
                    while self.epoch < target:
                        self._one_batch()
                else:
                    for _ in range(n):
                        self._one_batch()
            finally:
                if self._last is not None:  # a full batch's caches are megabytes: keep the traced
                    last = self._last
                    if last.loss is None:  # once a step, not per update
                        last.loss = float(self.problem.loss(last.caches[-1].Z, last.Y))
                        last.activations = tuple(self.net.hidden_activations)
                    self._last = last.first(TRACE_LIMIT)
        self._record()
        return self.frame(trace=trace, grids=grids, record=True)

    def step_cost(self, n: int, unit: str, grids: str, limits: Limits = LIMITS) -> float:
        """Estimated seconds of step(n, unit, grids=grids); InputError naming the most steps
        allowed when that is more than the limits let one request do (nncore.cost)."""
        c = self.config
        m = self.m_train + len(self.split.y_test)
        n_in = self.split.n_inputs
        args = (c.batch_size, c.grid, c.neuron_resolution, n_in, n, unit, grids, limits)
        return check_step(self.net.sizes, self.m_train, m, *args)

    def frame_cost(self, grids: str) -> float:
        """Estimated seconds of frame(grids=grids)."""
        c = self.config
        m = self.m_train + len(self.split.y_test)
        n_in = self.split.n_inputs
        return frame_seconds(self.net.sizes, m, c.grid, c.neuron_resolution, n_in, grids)

    def _snapshot(self) -> _Snapshot:
        """The current state, kept in the ring of recent ones (once per step)."""
        ring = self._snapshots
        if ring and ring[-1].step == self.step_count:  # the same state (after a divergence)
            return ring[-1]
        if self._order_kept is None:
            self._order_kept = _Order(_order_copy(self._order), self._batch_rng.bit_generator.state)
        p = self.net.params
        snap = _Snapshot(
            self.step_count,
            self.epoch,
            self._pos,
            self._order_kept,
            p.copy(),
            self.net.grads.copy(),
            self.optimizer.snapshot(),
            self._norm if self._norm is not None else math.sqrt(float(p @ p)),
        )
        ring.append(snap)
        return snap

    def _load_snapshot(self, s: _Snapshot) -> None:
        self.net.params[...] = s.params
        self.net.grads[...] = s.grads
        self.optimizer.restore(s.optimizer)
        self.step_count, self.epoch, self._pos = s.step, s.epoch, s.pos
        self._order[...] = s.order.order
        self._batch_rng.bit_generator.state = s.order.rng_state
        self._order_kept = s.order
        self._norm = s.norm

    def _took_off(self, norm: float) -> bool:
        """The parameters' norm grew TAKE_OFF_GROWTH-fold over the kept states (above a floor)."""
        floor = TAKE_OFF_FLOOR_RMS * math.sqrt(self.net.params.size)
        if norm <= TAKE_OFF_GROWTH * floor:
            return False
        return norm > TAKE_OFF_GROWTH * min([s.norm for s in self._snapshots])

    def _settled(self) -> _Snapshot:
        """The kept state with the smallest weights: from before the growth began (a state a
        step into the take-off may diverge again at a 10 times lower rate: 6 tanh layers at 10)."""
        return min(reversed(self._snapshots), key=lambda s: s.norm)

    def suggested_rate(self) -> float:
        """A learning rate RATE_SUGGESTION_FACTOR times lower, rounded down to a menu choice."""
        target = self.config.learning_rate / RATE_SUGGESTION_FACTOR
        lower = [c for c in CHOICES["learning_rate"] if c <= target * (1 + 1e-9)]
        return max(lower) if lower else target

    def restore(self, learning_rate: float | None = None, limits: Limits = LIMITS) -> None:
        """Go back to the last good state before the run took off (named by the last Diverged),
        bit for bit, optionally with a new learning rate; the history after it is dropped (it
        becomes the abandoned future, as after a rewind) and the state joins the timeline.
        InputError if the session has not diverged since its last structural change, or for
        a bad rate (the session stays as it was)."""
        good = self.last_good
        if good is None:
            raise InputError("session", "has not diverged: there is no state to go back to")
        config = self.config
        if learning_rate is not None:
            config = replace(config, learning_rate=learning_rate).validated(limits)
        self._go_back(good, config)  # a rewind to a state of the ring (the timeline keeps it)

    def _one_batch(self) -> None:
        snap = self._snapshot()
        B = self.config.batch_size
        if B >= self.m_train:
            # the columns in their own order (a smaller batch earlier may have shuffled _order)
            idx, Xb, Yb = np.arange(self.m_train), self.X_train, self.Y_train
            self._pos = self.m_train
        else:
            if self._pos == 0:
                self._batch_rng.shuffle(self._order)
                self._order_kept = None
            idx = self._order[self._pos : self._pos + B]
            Xb, Yb = self.X_train[:, idx], self.Y_train[:, idx]
            self._pos += idx.size
        net = self.net
        caches = net.forward(Xb)
        grads = net.backward(Yb, caches)
        # Z[L] finite <=> the loss is finite (losses are computed from Z); then the gradients.
        ok = np.isfinite(caches[-1].Z.sum() + net.grads.sum())
        if ok:
            g = net.grads
            if self.penalty.active:
                g = self.penalty.total_gradient(g, net.params, net.n_weights)
            self.optimizer.update(net.params, g, self.config.learning_rate)
            p = net.params
            norm = math.sqrt(float(p @ p))
            # false for NaN too
            ok = np.abs(p).max() <= MAX_PARAMETER and not self._took_off(norm)
            self._norm = norm  # the next step's snapshot reuses it
        if not ok:
            self._load_snapshot(snap)
            self.last_good = self._settled()
            raise Diverged(self.step_count + 1, self.last_good.step, self.suggested_rate())
        self.step_count += 1
        if self._pos >= self.m_train:
            self._pos = 0
            self.epoch += 1
        self._last = _Last(idx, caches, grads, Yb, params=snap.params)

    def evaluate(
        self, net: Network | None = None
    ) -> tuple[float, float, float | None, float | None]:
        """Data loss and accuracy on the whole training and test sets, at the current weights
        (or net's).

        One float32 pass over both sets, like the maps: these numbers feed the loss curve every
        frame (about 7 significant digits). Training steps, gradients, traces, example records
        and gradient checks are all float64.
        """
        X = self._X_eval
        net = net or self.net
        ZL = net.activations(X, self._buffers.get(net, X.shape[1]), output_z=True)[-1]
        ZL = ZL.astype(np.float64)
        AL = net.output_activation(ZL)
        out = []
        m = self.m_train
        for cols, Y, y in (
            (slice(0, m), self.Y_train, self.split.y_train),
            (slice(m, None), self.Y_test, self.split.y_test),
        ):
            loss = self.problem.loss(ZL[:, cols], Y)
            acc = None
            if self.problem.has_accuracy:
                acc = float(np.mean(self.problem.predict(AL[:, cols]) == y))
            out.append((loss, acc))
        return out[0][0], out[1][0], out[0][1], out[1][1]

    def frame(self, trace: bool = False, grids: str = "none", record: bool = False) -> Frame:
        """The current state as a Frame; record=True also appends it to the history."""
        f = self._frame_of(self.net, self.step_count, self.epoch, self.penalty, trace, grids)
        if record:
            norm_W = [lf.grad_norm_W for lf in f.layers]
            self.history.append(
                HistoryEntry(
                    f.step,
                    f.epoch,
                    f.loss_train,
                    f.loss_test,
                    f.accuracy_train,
                    f.accuracy_test,
                    norm_W,
                )
            )
            if len(self.history) > LIMITS.max_history:
                # thinned, not cut: every second entry (the newest kept), so the curve still
                # spans the whole run; the steps of the timeline keep theirs
                keep = set(self.recorded_steps())
                last = len(self.history) - 1
                self.history = [
                    h for i, h in enumerate(self.history) if (last - i) % 2 == 0 or h.step in keep
                ]
        return f

    def _frame_of(
        self, net: Network, step: int, epoch: int, penalty: Penalty, trace: bool, grids: str
    ) -> Frame:
        params, grads = net.params.copy(), net.grads.copy()
        copy = Network(net.sizes, net.hidden_activations, net.problem)
        copy.params[...], copy.grads[...] = params, grads
        norm_W, norm_b = copy.grad_norms()
        with np.errstate(over="ignore", invalid="ignore"):  # extreme weights: reported as null
            loss_train, loss_test, acc_train, acc_test = self.evaluate(net)
        layers = [
            LayerFrame(
                layer.activation,
                layer.W,
                layer.b,
                dW,
                db,
                float(norm_W[i]),
                float(norm_b[i]),
            )
            for i, (layer, dW, db) in enumerate(zip(copy.layers, copy.dW, copy.db, strict=True))
        ]
        trace_indices = None
        if trace and self._last is not None:
            trace_indices = self._trace_into(layers)
        grid = None
        if grids != "none":
            c = self.config
            with np.errstate(over="ignore", invalid="ignore"):  # extreme weights: clipped maps
                grid = self.grids.evaluate(
                    net,
                    c.features,
                    self.bounds,
                    c.grid,
                    c.neuron_resolution,
                    output=True,
                    neurons=grids == "all",
                )
        return Frame(
            step,
            epoch,
            loss_train,
            loss_test,
            penalty.value(params[: net.n_weights]),
            acc_train,
            acc_test,
            layers,
            trace_indices,
            grid,
            self._last.loss if trace_indices is not None else None,
        )

    def _trace_into(self, layers: list[LayerFrame]) -> np.ndarray:
        last = self._last
        k = min(TRACE_LIMIT, last.indices.size)
        L = len(layers)
        for l, (lf, c, g) in enumerate(zip(layers, last.caches, last.grads, strict=True), start=1):
            lf.Z, lf.A, lf.dZ = c.Z[:, :k].copy(), c.A[:, :k].copy(), g.dZ[:, :k].copy()
            if l < L:
                lf.dA = last.grads[l].dA_prev[:, :k].copy()
            else:
                lf.dA = self.problem.output_dA(c.A[:, :k], last.Y[:, :k])
        return last.indices[:k].copy()

    # Live changes ------------------------------------------------------------------------

    def apply(self, limits: Limits = LIMITS, **changes) -> None:
        """Change any config fields while training; keep every weight that still fits.

        Data fields regenerate the data; hidden, features, problem or classes reshape the
        network, keeping the overlapping rows and columns of each W[l] (input columns matched
        by feature name) and initializing only the new entries; optimizer fields keep the
        optimizer's state where they can. Raises ValueError, leaving the session as it was.
        """
        if "hidden" in changes:
            changes["hidden"] = tuple(
                h if isinstance(h, Hidden) else Hidden(**h) for h in changes["hidden"]
            )
        if "features" in changes:
            changes["features"] = tuple(changes["features"])
        old_config, old_net = self.config, self.net
        problem = changes.get("problem", old_config.problem)
        if problem != old_config.problem and "dataset" not in changes:
            # a new problem type without a dataset: its first one, if the old one does not fit
            changes["dataset"] = fitting(problem, old_config.dataset)
        dataset = DATASETS.get(problem, {}).get(changes.get("dataset", old_config.dataset))
        if dataset is not None and "features" not in changes:
            # keep the features this data can feed (sine has only x1)
            usable = tuple(
                f for f in old_config.features if f in available_features(dataset.n_inputs)
            )
            changes["features"] = usable or ("x1",)
        new_config = replace(old_config, **changes).validated(limits)
        old_own = self.own
        generated = ("problem", "dataset", "n_samples", "noise", "classes", "seed", "input_scale")
        if any(getattr(old_config, f) != getattr(new_config, f) for f in generated):
            self.own = None  # new generated data replaces the user's own
        data_fields = {
            "problem",
            "dataset",
            "n_samples",
            "noise",
            "train_fraction",
            "classes",
            "seed",
            "features",
            "input_scale",
        }
        fresh = any(getattr(old_config, f) != getattr(new_config, f) for f in data_fields)
        try:
            self.config = new_config
            if fresh:
                self._load_data()
                self._order = np.arange(self.m_train)
                self._pos = 0
                self._last = None
                self._forget_snapshots()
        except ValueError:
            self.config, self.own = old_config, old_own
            self._load_data()
            raise
        c = self.config
        new_sizes = self._sizes(c)
        new_hidden = [h.activation for h in c.hidden]
        if new_sizes != old_net.sizes or c.problem != old_config.problem:
            self._reshape(old_config, new_sizes, new_hidden)
            fresh = True
        else:
            for l, act in enumerate(new_hidden, start=1):
                if act != old_net.layers[l - 1].activation:
                    old_net.set_activation(l, act)
                    self._forget_snapshots()
        if c.optimizer != old_config.optimizer:
            self.optimizer = make_optimizer(c.optimizer, self.net.n_parameters(), c.momentum)
            self._forget_snapshots()
            fresh = True
        self.optimizer.momentum = c.momentum
        self.penalty = Penalty(c.l1, c.l2)
        if fresh:  # new data, shape or optimizer: a new timeline
            self._new_timeline()

    def set_data(self, own: OwnData) -> None:
        """Train on the user's own points from now on, keeping the weights where the inputs
        still fit (a change from 2 inputs to 1 drops the x2 features). ValueError leaves the
        session as it was."""
        if own.classes != self.split.classes:
            raise InputError("data", "labels do not fit this problem's classes")
        old, old_bounds = self.own, self.bounds
        self.own = own
        usable = available_features(own.n_inputs)
        features = tuple(f for f in self.config.features if f in usable) or ("x1",)
        try:
            if features != self.config.features:
                self.apply(features=features)
            else:
                self._load_data()
                self._order = np.arange(self.m_train)
                self._pos = 0
                self._last = None
                self._forget_snapshots()
                self._new_timeline()
        except ValueError:
            self.own = old
            self._load_data()
            self.bounds = old_bounds
            raise

    def _reshape(self, old_config: Config, sizes: list[int], hidden: list[str]) -> None:
        old = self.net
        self._changes += 1
        rng = np.random.default_rng([self.config.seed, 3, self._changes])
        new = Network.initialized(sizes, hidden, self.config.problem, self.config.init, rng)
        index = np.full(new.n_parameters(), -1)
        old_index = np.arange(old.n_parameters())
        same_output = old.problem.name == new.problem.name
        n_old_hidden, n_new_hidden = old.L - 1, new.L - 1
        for l in range(1, new.L + 1):
            # hidden layer l matches hidden layer l, output matches output (if same problem)
            if l <= n_new_hidden:
                lo = l if l <= n_old_hidden else None
            else:
                lo = old.L if same_output else None
            if lo is None:
                continue
            ow = old._view(old_index, lo, "W")
            ob = old._view(old_index, lo, "b")
            nw = new._view(index, l, "W")
            nb = new._view(index, l, "b")
            rows = min(nw.shape[0], ow.shape[0])
            if l == 1 and lo == 1:  # both read the features: match input columns by name
                for j, f in enumerate(self.config.features):
                    if f in old_config.features:
                        nw[:rows, j] = ow[:rows, old_config.features.index(f)]
            elif l > 1 and lo > 1:  # both read hidden units: the overlapping block
                cols = min(nw.shape[1], ow.shape[1])
                nw[:rows, :cols] = ow[:rows, :cols]
            nb[:rows] = ob[:rows]
        keep = index >= 0
        new.params[keep] = old.params[index[keep]]
        self.net = new
        self.optimizer.remap(index)
        self._last = None
        self._forget_snapshots()

    def set_parameter(self, layer: int, row: int, col: int | None, value: float) -> None:
        """Set W[layer][row, col] (or b[layer][row] when col is None) to value."""
        if not 1 <= layer <= self.net.L:
            raise InputError("layer", f"must be 1..{self.net.L}, got {layer}")
        target = self.net.layers[layer - 1].W if col is not None else self.net.layers[layer - 1].b
        n, k = target.shape
        if not 0 <= row < n:
            raise InputError("row", f"must be 0..{n - 1}, got {row}")
        if col is not None and not 0 <= col < k:
            raise InputError("col", f"must be 0..{k - 1}, got {col}")
        if not math.isfinite(value):
            raise InputError.coded("value", "value.finite")
        target[row, 0 if col is None else col] = value
        self._forget_snapshots()  # a hand-set weight starts a new run (a rewind undoes it)

    def set_weights(self, layers: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
        """Every layer's (activation, W, b) at once, as a saved model has them; ValueError
        naming the layer and the expected shape leaves the weights as they were."""
        net = self.net
        if len(layers) != net.L:
            raise InputError("layers", f"this architecture has {net.L} layers, got {len(layers)}")
        for l, (activation, W, b) in enumerate(layers, start=1):
            layer = net.layers[l - 1]
            if activation != layer.activation:
                raise InputError(
                    f"layers.{l}.activation",
                    f"the configuration gives {layer.activation!r}, got {activation!r}",
                )
            for name, got, want in (("W", W, layer.W), ("b", b, layer.b)):
                if got.shape != want.shape:
                    raise InputError(
                        f"layers.{l}.{name}",
                        f"must be {want.shape[0]}x{want.shape[1]}, "
                        f"got {'x'.join(map(str, got.shape))}",
                    )
                if not np.all(np.isfinite(got)) or np.any(np.abs(got) > MAX_PARAMETER):
                    raise InputError(
                        f"layers.{l}.{name}", f"values must be within ±{MAX_PARAMETER:g}"
                    )
        for layer, (_, W, b) in zip(net.layers, layers, strict=True):
            layer.W[...] = W
            layer.b[...] = b
        self._last = None
        self._forget_snapshots()
        self._new_timeline()

    def set_counters(self, step: int, epoch: int) -> None:
        """Go on counting from these (a loaded model's): its timeline starts there."""
        self.step_count, self.epoch = step, epoch
        self._forget_snapshots()
        self._new_timeline()

    # Inspection -------------------------------------------------------------------------

    def example(self, index: int) -> ExampleRecord:
        """One training example's full forward and backward record at the current weights."""
        if not 0 <= index < self.m_train:
            raise InputError("index", f"must be 0..{self.m_train - 1}, got {index}")
        net = self.net.copy()  # its own gradient buffer: the session's frame stays intact
        x = self.X_train[:, index : index + 1]
        y = self.Y_train[:, index : index + 1]
        caches = net.forward(x)
        grads = net.backward(y, caches, input_grad=True)
        layers = []
        for l, (c, g) in enumerate(zip(caches, grads, strict=True), start=1):
            da = grads[l].dA_prev if l < net.L else self.problem.output_dA(c.A, y)
            layers.append(
                ExampleLayer(c.Z[:, 0], c.A[:, 0], g.dZ[:, 0], da[:, 0], g.dW.copy(), g.db[:, 0])
            )
        pred = self.problem.predict(caches[-1].A)[0]
        return ExampleRecord(
            index,
            self.split.X_train[index].copy(),
            x[:, 0].copy(),
            layers,
            net.loss(y, caches),
            float(pred),
            float(self.split.y_train[index]),
        )

    def last_batch(self) -> BatchRecord | None:
        """The last mini-batch's forward and backward pass over all its columns, at the weights
        it saw before its update: its dW and db are the frame's. None before any step, and
        after new data, a new shape or weights loaded (a restore or a reset too)."""
        last = self._last
        if last is None or last.params is None:
            return None
        net = Network(self.net.sizes, last.activations, self.net.problem)
        net.params[...] = last.params
        X, Y = self.X_train[:, last.indices], self.Y_train[:, last.indices]
        caches = net.forward(X)
        grads = net.backward(Y, caches)
        return BatchRecord(
            self.step_count, last.indices, X, Y, net, caches, grads, net.loss(Y, caches)
        )

    def gradcheck_cost(self, max_examples: int = 64, max_entries: int = 100) -> float:
        """Estimated seconds of gradcheck(max_examples, max_entries)."""
        sizes = self.net.sizes
        entries = sum(
            min(a * b, max_entries) + b for a, b in zip(sizes[:-1], sizes[1:], strict=True)
        )
        return gradcheck_seconds(sizes, min(max_examples, self.m_train), entries)

    def gradcheck(self, max_examples: int = 64, max_entries: int = 100) -> list[LayerCheck]:
        """Backprop against centered differences on (up to) the first training examples,
        for at most max_entries weights of each layer and every bias."""
        k = min(max_examples, self.m_train)
        X, Y = self.X_train[:, :k], self.Y_train[:, :k]
        return check_network(self.net.copy(), X, Y, max_entries=max_entries)
