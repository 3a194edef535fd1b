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


class Follower:
    """One student's event stream: a bounded mailbox."""

    def __init__(self, client: str):
        self.client = client
        self.items: deque[Event] = deque()
        self.wake = asyncio.Event()
        self.dropped = False

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
        """The student frame's JSON, and its setup maps' when it has the neurons' maps.
        Without maps of its own (a step that asked none), the last maps stand in if the
        network still has their shape."""
        shape, g = sizes(frame), frame.grid
        if g is not None:
            grid = student_grid(g)
        else:
            grid = self._grid[1] if self._grid[0] == shape else None
        self._grid = (shape, grid)
        maps = dumps(student_maps(g)) if g is not None and g.neurons is not None else None
        return dumps(student_frame(frame, grid)), maps

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
