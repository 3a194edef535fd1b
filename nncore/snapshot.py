"""A session's whole state as bytes, to store it outside the process and continue bit for bit.

dump(trainer) writes b"BPSN", the header's length (4 bytes, little-endian), a JSON header
(format version,
configuration, counters, the batch RNG's state, the view, the history's shape) and raw arrays
(parameters, gradients, optimizer slots, the epoch's batch order, own data, the last
mini-batch's traced columns, the divergence ring, the history, the timeline's records with
their configurations, the abandoned future's history), each named in the header by
its type, shape and place in the raw bytes that follow. load(data) builds the Trainer
back: the generated data are made again from the configuration's seed, own data are read.
Unknown versions are refused (SnapshotError): a snapshot is data, never code.
"""

from __future__ import annotations

import json
import math
from collections import deque
from dataclasses import asdict

import numpy as np

from .grid import Bounds, GridEvaluator
from .limits import LIMITS
from .network import Buffers, Cache, LayerGrads, Network
from .optimizers import Penalty, make_optimizer
from .owndata import OwnData, Scaling
from .trainer import Config, Hidden, HistoryEntry, Trainer, _Last, _Order, _Snapshot

VERSION = 2  # 2: the timeline and the abandoned history


class SnapshotError(ValueError):
    """Bytes that are not a snapshot this build can read."""


MAGIC = b"BPSN"
DTYPES = ("<f8", "<f4", "<i8", "<i2", "|b1")  # the only types a snapshot holds (no objects)


class _Writer:
    """Arrays laid end to end; the header refers to each by [dtype, shape, offset]."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.size = 0

    def put(self, a: np.ndarray | None) -> list | None:
        if a is None:
            return None
        a = np.ascontiguousarray(a)
        if a.dtype.str not in DTYPES:
            a = a.astype(np.float64 if a.dtype.kind == "f" else np.int64)
        ref = [a.dtype.str, list(a.shape), self.size]
        self.chunks.append(a.tobytes())
        self.size += a.nbytes
        return ref

    def bytes(self, header: dict) -> bytes:
        head = json.dumps(header, separators=(",", ":")).encode()
        return b"".join([MAGIC, len(head).to_bytes(4, "little"), head, *self.chunks])


def _orders(t: Trainer) -> list[_Order]:
    """The distinct batch orders the kept states refer to (one per epoch), in order."""
    seen: list[_Order] = []
    states = [*t._snapshots, *([t.last_good] if t.last_good else []), *t.timeline]
    for s in states:
        if not any(s.order is o for o in seen):
            seen.append(s.order)
    return seen


def _dump_state(w: _Writer, s: _Snapshot, orders: list[_Order]) -> dict:
    order = next(i for i, o in enumerate(orders) if s.order is o)
    t, slots = s.optimizer
    return {
        "step": s.step,
        "epoch": s.epoch,
        "pos": s.pos,
        "order": order,
        "params": w.put(s.params),
        "grads": w.put(s.grads),
        "t": t,
        "slots": [w.put(a) for a in slots],
        "norm": s.norm,
    }


def _dump_last(w: _Writer, last: _Last | None) -> dict | None:
    if last is None:
        return None
    return {
        "indices": w.put(last.indices),
        "caches": [[w.put(c.A_prev), w.put(c.Z), w.put(c.A)] for c in last.caches],
        "grads": [[w.put(g.dZ), w.put(g.dA_prev)] for g in last.grads],
        "Y": w.put(last.Y),
        "loss": last.loss,
        "params": w.put(last.params),
        "activations": list(last.activations),
    }


def _dump_own(w: _Writer, own: OwnData | None) -> dict | None:
    if own is None:
        return None
    return {
        "X_train": w.put(own.X_train),
        "y_train": w.put(own.y_train),
        "X_test": w.put(own.X_test),
        "y_test": w.put(own.y_test),
        "classes": own.classes,
        "scaling": None if own.scaling is None else asdict(own.scaling),
    }


def _dump_history(w: _Writer, history: list[HistoryEntry]) -> dict:
    nan = float("nan")
    return {
        "n": len(history),
        "counts": w.put(np.array([[h.step, h.epoch] for h in history], np.int64).reshape(-1, 2)),
        "losses": w.put(np.array([[h.loss_train, h.loss_test] for h in history]).reshape(-1, 2)),
        "accuracy": w.put(
            np.array(
                [
                    [nan if a is None else a for a in (h.accuracy_train, h.accuracy_test)]
                    for h in history
                ]
            ).reshape(-1, 2)
        ),
        "has_accuracy": w.put(
            np.array(
                [[h.accuracy_train is not None, h.accuracy_test is not None] for h in history], bool
            ).reshape(-1, 2)
        ),
        "norms": w.put(np.array([v for h in history for v in h.grad_norm_W], np.float64)),
        "norm_counts": w.put(np.array([len(h.grad_norm_W) for h in history], np.int64)),
    }


def dump(t: Trainer) -> bytes:
    """The trainer's complete state as bytes (see the module's docstring)."""
    w = _Writer()
    orders = _orders(t)
    ring = list(t._snapshots)
    good = t.last_good
    header = {
        "version": VERSION,
        "config": t.config.to_dict(),
        "step": t.step_count,
        "epoch": t.epoch,
        "changes": t._changes,
        "pos": t._pos,
        "order": w.put(t._order),
        "rng": t._batch_rng.bit_generator.state,
        "bounds": [list(t.bounds.lo), list(t.bounds.hi)],
        "params": w.put(t.net.params),
        "grads": w.put(t.net.grads),
        "optimizer": {"t": t.optimizer.t, "slots": [w.put(s) for s in t.optimizer.slots]},
        "norm": t._norm,
        "orders": [{"order": w.put(o.order), "rng": o.rng_state} for o in orders],
        "ring": [_dump_state(w, s, orders) for s in ring],
        # the state a restore goes back to: one of the ring's, else kept on its own
        "good": None if good is None else _ring_index(ring, good),
        "good_state": None
        if good is None or _ring_index(ring, good) is not None
        else _dump_state(w, good, orders),
        "last": _dump_last(w, t._last),
        "own": _dump_own(w, t.own),
        "history": _dump_history(w, t.history),
        "timeline": _dump_timeline(w, t, orders),
        "abandoned": _dump_history(w, t.abandoned),
    }
    return w.bytes(header)


def _dump_timeline(w: _Writer, t: Trainer, orders: list[_Order]) -> dict:
    """The records, each with the index of its configuration (few distinct ones) in configs."""
    configs: list = []
    records = []
    for r in t.timeline:
        if r.config not in configs:
            configs.append(r.config)
        records.append(
            {**_dump_state(w, r, orders), "config": configs.index(r.config), "seq": r.seq}
        )
    configs = [c.to_dict() for c in configs]
    return {"configs": configs, "records": records, "stride": t.timeline_stride}


def _ring_index(ring: list[_Snapshot], s: _Snapshot) -> int | None:
    return next((i for i, r in enumerate(ring) if r is s), None)


class _Reader:
    def __init__(self, data: bytes):
        n = int.from_bytes(data[4:8], "little")
        try:
            if data[:4] != MAGIC:
                raise ValueError
            self.header = json.loads(data[8 : 8 + n])
        except ValueError:
            raise SnapshotError("not a session snapshot") from None
        self.body = memoryview(data)[8 + n :]
        version = self.header.get("version") if isinstance(self.header, dict) else None
        if version != VERSION:
            raise SnapshotError(
                f"snapshot version {version!r} is not supported (this build reads {VERSION})"
            )

    def get(self, ref: list | None) -> np.ndarray | None:
        a = self.view(ref)
        return None if a is None else a.copy()

    def view(self, ref: list | None) -> np.ndarray | None:
        """The array read-only, in the snapshot's bytes (no copy): for kept states, which are
        only ever read (they are copied into the network when gone back to)."""
        if ref is None:
            return None
        dtype, shape, offset = ref
        if dtype not in DTYPES:
            raise SnapshotError(f"not a session snapshot (type {dtype!r})")
        count = math.prod(shape)
        try:
            a = np.frombuffer(self.body, dtype, count, offset)
        except ValueError:
            raise SnapshotError("not a session snapshot (cut short)") from None
        return a.reshape(shape)


def _config(d: dict) -> Config:
    d = dict(d)
    d["features"] = tuple(d["features"])
    d["hidden"] = tuple(Hidden(**h) for h in d["hidden"])
    return Config(**d)


def _load_state(r: _Reader, d: dict, orders: list[_Order]) -> _Snapshot:
    slots = [r.view(a) for a in d["slots"]]
    return _Snapshot(
        d["step"],
        d["epoch"],
        d["pos"],
        orders[d["order"]],
        r.view(d["params"]),
        r.view(d["grads"]),
        (d["t"], slots),
        d["norm"],
    )


def _load_last(r: _Reader, d: dict | None, net: Network) -> _Last | None:
    if d is None:
        return None
    caches = [Cache(r.get(a), r.get(z), r.get(y)) for a, z, y in d["caches"]]
    grads = [
        LayerGrads(r.get(dz), net.dW[l], net.db[l], r.get(da))
        for l, (dz, da) in enumerate(d["grads"])
    ]
    return _Last(
        r.get(d["indices"]),
        caches,
        grads,
        r.get(d["Y"]),
        d["loss"],
        r.get(d["params"]),
        tuple(d["activations"]),
    )


def _load_own(r: _Reader, d: dict | None) -> OwnData | None:
    if d is None:
        return None
    s = d["scaling"]
    scaling = None if s is None else Scaling(tuple(s["mean"]), tuple(s["std"]), s["factor"])
    return OwnData(
        r.get(d["X_train"]),
        r.get(d["y_train"]),
        r.get(d["X_test"]),
        r.get(d["y_test"]),
        d["classes"],
        scaling,
    )


def _load_history(r: _Reader, d: dict) -> list[HistoryEntry]:
    # Python lists first (one C call each), then the entries: a few times faster than indexing
    # the arrays entry by entry, and the numbers are the same Python floats and ints.
    counts, losses = r.get(d["counts"]).tolist(), r.get(d["losses"]).tolist()
    acc, has = r.get(d["accuracy"]).tolist(), r.get(d["has_accuracy"]).tolist()
    norms, ends = r.get(d["norms"]).tolist(), np.cumsum(r.get(d["norm_counts"])).tolist()
    starts = [0, *ends][: len(ends)]
    return [
        HistoryEntry(
            c[0],
            c[1],
            loss[0],
            loss[1],
            a[0] if h[0] else None,
            a[1] if h[1] else None,
            norms[start:end],
        )
        for c, loss, a, h, start, end in zip(counts, losses, acc, has, starts, ends, strict=True)
    ]


def load(data: bytes) -> Trainer:
    """The Trainer a dump() wrote; SnapshotError for anything else."""
    r = _Reader(data)
    h = r.header
    t = Trainer.__new__(Trainer)  # no reset(): every field comes from the snapshot
    t.config = _config(h["config"]).validated()
    t.own = _load_own(r, h["own"])
    t.grids, t._buffers = GridEvaluator(), Buffers()
    t._load_data()
    t.bounds = Bounds(tuple(h["bounds"][0]), tuple(h["bounds"][1]))
    c = t.config
    t.net = Network(t._sizes(c), [x.activation for x in c.hidden], c.problem)
    t.net.params[...] = r.get(h["params"])
    t.net.grads[...] = r.get(h["grads"])
    t.optimizer = make_optimizer(c.optimizer, t.net.n_parameters(), c.momentum)
    t.optimizer.restore((h["optimizer"]["t"], [r.get(a) for a in h["optimizer"]["slots"]]))
    t.penalty = Penalty(c.l1, c.l2)
    t.step_count, t.epoch, t._changes, t._pos = h["step"], h["epoch"], h["changes"], h["pos"]
    t._batch_rng = np.random.default_rng()
    t._batch_rng.bit_generator.state = h["rng"]
    t._order = r.get(h["order"]).copy()
    t._last = _load_last(r, h["last"], t.net)
    t.history = _load_history(r, h["history"])
    t.abandoned = _load_history(r, h["abandoned"])
    orders = [_Order(r.view(o["order"]), o["rng"]) for o in h["orders"]]
    ring = [_load_state(r, s, orders) for s in h["ring"]]
    configs = [_config(c) for c in h["timeline"]["configs"]]
    t.timeline = []
    for d in h["timeline"]["records"]:
        record = _load_state(r, d, orders)
        record.config, record.seq = configs[d["config"]], d["seq"]
        t.timeline.append(record)
    t.timeline_stride = h["timeline"]["stride"]
    t._snapshots = deque(ring, maxlen=LIMITS.divergence_snapshots)
    t._order_kept = None  # the next kept state copies the order afresh (the same numbers)
    t._norm = h["norm"]
    if h["good"] is not None:
        t.last_good = ring[h["good"]]
    elif h["good_state"] is not None:
        t.last_good = _load_state(r, h["good_state"], orders)
    else:
        t.last_good = None
    return t
