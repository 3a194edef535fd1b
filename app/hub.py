"""The class hub: one channel per class, fanning events out to the students' event streams.

Every event is encoded once, as the bytes of one server-sent event (id, name, JSON data), and
the same bytes object goes into every follower's mailbox. The teacher's session hands its
frames to `Channel.offer` from the request's worker thread: that only keeps the frame as the
pending one (the latest wins) and wakes the event loop, so the teacher never waits for a
student. The loop sends the pending frame at most `rate` times a second, reduced and encoded there
(app/student_frame.py; a fraction of a millisecond for the default network).

A follower's mailbox is bounded: a newer frame (or tally, view, setup) replaces the one still
waiting, so a slow device skips stale frames; one that still falls MAILBOX events behind is
dropped (its EventSource reconnects and resumes). Every event has an id, increasing per class:
a reconnecting stream gives the last it saw (Last-Event-ID) and starts with the latest setup,
view, frame, question and tally newer than that.

LocalHub is what the class routes use in one process; app/redis_hub.py's RedisHub does the
same across workers through Redis pub/sub.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.sse import format_sse_event
from orjson import Fragment

from nncore.trainer import Frame

from .classes import ClassCrowded
from .serialize import dumps
from .student_frame import sizes, student_frame, student_grid, student_maps

# Kinds where only the latest matters (replaced in a mailbox); the others are all delivered.
LATEST = ("setup", "view", "frame", "tally")
# What a (re)connecting stream starts with, in the order of their ids.
SNAPSHOT = ("setup", "view", "frame", "question", "tally", "end")
MAILBOX = 32
RETRY_MS = 2000  # EventSource waits this long before it reconnects


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    wire: bytes  # the whole server-sent event
    data: bytes  # its JSON


def encode(frame: Frame, last: tuple) -> tuple[bytes, bytes | None, tuple]:
    """The student frame's JSON, its setup maps' when it has the neurons' maps, and the sizes
    and grid to pass as `last` with the next frame. Without maps of its own (a step that asked
    none), the last maps stand in if the network still has their shape."""
    shape, g = sizes(frame), frame.grid
    if g is not None:
        grid = student_grid(g)
    else:
        grid = last[1] if last[0] == shape else None
    maps = dumps(student_maps(g)) if g is not None and g.neurons is not None else None
    return dumps(student_frame(frame, grid)), maps, (shape, grid)


class Follower:
    """One student's event stream: a bounded mailbox."""

    def __init__(self, client: str):
        self.client = client
        self.items: deque[Event] = deque()
        self.wake = asyncio.Event()
        self.dropped = False
        self.floor = 0  # events up to this id were in what its stream started with

    def put(self, event: Event) -> None:
        if event.kind in LATEST:
            for old in self.items:
                if old.kind == event.kind:
                    self.items.remove(old)
                    break
        if len(self.items) >= MAILBOX:
            self.dropped = True  # too far behind: it reconnects and resumes at the latest
        else:
            self.items.append(event)
        self.wake.set()


class Channel:
    def __init__(self, code: str, rate: float, clock: Callable[[], float] = time.monotonic):
        self.code, self.interval, self.clock = code, 1.0 / rate, clock
        self.loop = asyncio.get_running_loop()
        self.followers: set[Follower] = set()
        self.latest: dict[str, Event] = {}
        self.ended = False
        self._seq = 0
        self._lock = threading.Lock()
        self._frame: Frame | None = None  # pending, from the teacher's thread
        self._setup: dict[str, bytes] | None = None  # config and data, pending
        self._parts: dict[str, bytes] = {}  # the setup's parts: config, data, maps
        self._tally: Callable[[], dict] | None = None
        self._scheduled = False
        self._sent_at = -1e9
        self._grid: tuple[tuple[int, ...], dict | None] = ((), None)  # last sizes and grid

    # From any thread -----------------------------------------------------------------------

    def offer(self, frame: Frame, setup: dict[str, bytes] | None = None) -> None:
        """The teacher's newest frame (and setup, when it may have changed): sent soon."""
        with self._lock:
            if self.ended:
                return
            self._frame = frame
            if setup is not None:
                self._setup = setup
        self._schedule_threadsafe()

    def _schedule_threadsafe(self) -> None:
        try:
            self.loop.call_soon_threadsafe(self._schedule)
        except RuntimeError:  # the loop is closed: nobody follows any more
            pass

    def tally(self, make: Callable[[], dict]) -> None:
        """A new count of answers or followers: make() is sent with the next tick."""
        self._tally = make
        self._schedule_threadsafe()

    # On the event loop ---------------------------------------------------------------------

    def _schedule(self) -> None:
        if self._scheduled or self.ended:
            return
        self._scheduled = True
        delay = self._sent_at + self.interval - self.clock()
        if delay > 0:
            self.loop.call_later(delay, self._flush)
        else:
            self._flush()

    async def flush(self) -> None:
        """Send what is pending now: the setup if it changed, the frame, the tally."""
        self._flush()

    def _flush(self) -> None:
        self._scheduled = False
        if self.ended:
            return
        with self._lock:
            frame, setup, self._frame, self._setup = self._frame, self._setup, None, None
        self._parts.update(setup or {})
        data = None
        if frame is not None:
            data, maps = self._encode(frame)  # a fraction of a millisecond: on the loop
            if maps is not None:
                self._parts["maps"] = maps
        self._send_setup()
        if data is not None:
            self._sent_at = self.clock()
            self.send("frame", data)
        if self._tally is not None:
            make, self._tally = self._tally, None
            self.send("tally", dumps(make()))

    def _encode(self, frame: Frame) -> tuple[bytes, bytes | None]:
        data, maps, self._grid = encode(frame, self._grid)
        return data, maps

    def _send_setup(self) -> None:
        """A setup event if config, data or maps differ from the last one sent."""
        if "config" not in self._parts:
            return
        data = dumps({k: Fragment(v) for k, v in self._parts.items()})
        if data != getattr(self.latest.get("setup"), "data", None):
            self.send("setup", data)

    def send(self, kind: str, payload: bytes | dict) -> Event:
        """Encode one event once and put it in every mailbox."""
        data = payload if isinstance(payload, bytes) else dumps(payload)
        self._seq += 1
        wire = format_sse_event(data_str=data.decode(), event=kind, id=str(self._seq))
        event = Event(self._seq, kind, wire, data)
        if kind in SNAPSHOT:
            self.latest["question" if kind == "reveal" else kind] = event
        for f in self.followers:
            f.put(event)
        return event

    def subscribe(self, client: str, after: int | None) -> tuple[Follower, list[bytes]]:
        """A new follower, and what its stream starts with: the latest events newer than
        `after` (the Last-Event-ID it gives), oldest first."""
        f = Follower(client)
        self.followers.add(f)
        start = [b"retry: %d\n\n" % RETRY_MS]
        events = sorted(self.latest.values(), key=lambda e: e.id)
        start += [e.wire for e in events if after is None or e.id > after]
        return f, start

    def unsubscribe(self, f: Follower) -> None:
        self.followers.discard(f)

    def end(self) -> None:
        """The class is over: every stream gets `end` and closes."""
        if not self.ended:
            self.send("end", {"code": self.code})
            self.ended = True


class Hub:
    """The channels of this process, by class code."""

    def __init__(self, rate: float):
        self.rate = rate
        self.channels: dict[str, Channel] = {}

    def open(self, code: str) -> Channel:
        channel = self.channels[code] = Channel(code, self.rate)
        return channel

    def get(self, code: str) -> Channel:
        return self.channels[code]

    def close(self, code: str) -> None:
        channel = self.channels.pop(code, None)
        if channel is not None:
            channel.end()


def tally_of(klass, students: int) -> dict:
    """What `tally` says: the latest question, its answers so far, the students following."""
    q = klass.question
    answers = sum(q.counts) if q else 0
    return {"question": q.id if q else None, "answers": answers, "students": students}


class LocalHub(Hub):
    """The fan-out the class routes use (app/routes/classes.py), in this process's memory;
    app/redis_hub.py's RedisHub is the same through Redis."""

    remote = False

    def tally(self, klass) -> None:
        channel = self.channels.get(klass.code)
        if channel is not None:
            channel.tally(lambda: tally_of(klass, len(channel.followers)))

    async def send(self, klass, kind: str, payload: dict) -> None:
        self.get(klass.code).send(kind, payload)

    async def flush(self, code: str) -> None:
        await self.get(code).flush()

    async def latest(self, code: str) -> dict[str, bytes]:
        """The JSON of the latest event of each kind."""
        return {kind: e.data for kind, e in self.get(code).latest.items()}

    async def students(self, code: str) -> int:
        return len(self.get(code).followers)

    async def join(
        self, klass, client: str, after: int | None, cap: int, per_client: int
    ) -> tuple[Follower, list[bytes]]:
        """A new follower (ClassCrowded beyond `cap`, or `per_client` for one address) and
        what its stream starts with."""
        channel = self.get(klass.code)
        if len(channel.followers) >= cap:
            raise ClassCrowded(f"this class has {cap} students already", 503)
        mine = sum(1 for f in channel.followers if f.client == client)
        if mine >= per_client:
            raise ClassCrowded(f"this address follows this class {mine} times already", 429)
        follower, start = channel.subscribe(client, after)
        if channel.ended:
            follower.dropped = True
            follower.wake.set()
        self.tally(klass)
        return follower, start

    async def leave(self, klass, follower: Follower) -> None:
        channel = self.channels.get(klass.code)
        if channel is not None:
            channel.unsubscribe(follower)
            self.tally(klass)

    def gone(self, code: str) -> None:
        """The class ended while a stream waited (its store found it expired)."""
        self.close(code)
