"""Running a request's NumPy work without letting one client stall the others.

Every session request runs in a worker thread under its session's lock, waited for at most
`lock_wait_seconds` (then 429 with Retry-After). Work estimated above `light_seconds`
(nncore.cost) also needs one of `compute_slots` slots, one per core, waited for at most
`queue_wait_seconds` (then 503 with Retry-After), first come first served: the cores are
shared by a few heavy requests at a time while light ones (a step of a classroom network, a
read) go straight through. The waits are asynchronous, so a waiting request holds no thread:
the thread pool stays free for the cheap requests and the event loop for /api/health and the
static files.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol, TypeVar

import anyio
from anyio import to_thread

T = TypeVar("T")
S = TypeVar("S")


class Lock(Protocol):  # threading.Lock, or redis-py's Lock for a session in Redis
    def acquire(self, blocking: bool = ...) -> bool: ...
    def release(self) -> None: ...


class Busy(RuntimeError):
    """The session is busy with another request for longer than a request may wait."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__("the session is busy with another request; try again shortly")


class Overloaded(RuntimeError):
    """Every compute slot stayed taken for longer than a request may wait."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__("the server is busy with other training; try again shortly")


async def _poll(take: Callable[[], bool], timeout: float) -> bool:
    """Call take() until it succeeds, within timeout seconds, sleeping between tries (from 1 ms
    up to 20 ms) without blocking the event loop or a thread."""
    deadline = time.monotonic() + timeout
    delay = 0.001
    while not take():
        if time.monotonic() >= deadline:
            return False
        await anyio.sleep(delay)
        delay = min(delay * 2, 0.02)
    return True


class Work:
    def __init__(self, slots: int, light_seconds: float, queue_wait: float, lock_wait: float):
        self.n_slots = slots
        self.slots = threading.BoundedSemaphore(slots)
        self.light, self.queue_wait, self.lock_wait = light_seconds, queue_wait, lock_wait
        self._queue: deque[tuple[object, float]] = deque()  # heavy requests waiting, in order

    async def _take_slot(self, seconds: float) -> None:
        """A compute slot, first come first served (every heavy client gets its turn), or
        Overloaded after queue_wait seconds with the time the queue ahead needs."""
        ticket = (object(), seconds)
        self._queue.append(ticket)
        try:

            def first() -> bool:  # only the head of the queue may take a slot
                return self._queue[0] is ticket and self.slots.acquire(blocking=False)

            if not await _poll(first, self.queue_wait):
                ahead = sum(s for _, s in self._queue)
                raise Overloaded(retry_after=max(1, round(ahead / self.n_slots)))
        finally:
            self._queue.remove(ticket)

    async def compute(self, seconds: float, fn: Callable[[], T]) -> T:
        """fn() in a worker thread; in a compute slot when its estimate is heavy."""
        if seconds <= self.light:
            return await to_thread.run_sync(fn)
        await self._take_slot(seconds)
        try:
            return await to_thread.run_sync(fn)
        finally:
            self.slots.release()

    async def locked(
        self,
        lock: Lock,
        estimate: Callable[[S], float],
        fn: Callable[[S], T],
        load: Callable[[], S],
        remote: bool = False,
    ) -> T:
        """fn(load()) under the session's lock: estimate(state) (which may refuse the request
        with an InputError) decides whether it needs a compute slot. A remote load (from
        Redis) runs in a worker thread."""
        if not await _poll(lambda: lock.acquire(blocking=False), self.lock_wait):
            raise Busy(retry_after=1)
        try:
            state = await to_thread.run_sync(load) if remote else load()
            return await self.compute(estimate(state), lambda: fn(state))
        finally:
            lock.release()
