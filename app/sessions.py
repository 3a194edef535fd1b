"""The session store: ids, expiry, a cap, quotas per client, and one lock per session.

A session is a Trainer with its lock. The store is an interface (SessionStore) so that another
backend can replace the in-memory default (app/redis_store.py); the routes only see `create`,
`get` and `delete`, and a session's `lock`, `load()` and `save()` (app/routes/sessions.py).

The cap cannot be used to lock others out: a client address may hold at most
`sessions_per_client` sessions and create at most `creates_per_minute` a minute (a token
bucket, full at the start); when the store is full, the session idle longest is forgotten if it
has been idle `evict_idle_seconds` (the page rebuilds a forgotten session by itself), else the
least recently used session of the address holding the most, so that a newcomer is never
locked out by one address. Expired sessions are swept by a background thread, not only when
the next one is created.
"""

from __future__ import annotations

import secrets
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from nncore.trainer import Frame, Trainer


class SessionNotFound(LookupError):
    pass


class StoreFull(RuntimeError):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__("the server holds as many sessions as it may; try again later")


class TooManySessions(RuntimeError):
    """One client address asked for more sessions (or faster) than its share."""

    def __init__(self, message: str, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)


@dataclass
class Session:
    id: str
    trainer: Trainer
    client: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_used: float = field(default_factory=time.monotonic)
    # Set while a class follows this session: called (in the request's worker thread, under
    # the lock) with the trainer, each frame it computes, and whether its setup may have
    # changed (app/routes/classes.py).
    follow: Callable[[Trainer, Frame, bool], None] | None = None
    remote = False  # the trainer is here: load() is free (app/redis_store.py's is not)

    def load(self) -> Trainer:
        return self.trainer

    def save(self, t: Trainer) -> None:
        pass  # changed in place


class SessionStore(Protocol):
    def create(self, trainer: Trainer, client: str = "") -> Session: ...
    def get(self, session_id: str) -> Session: ...
    def delete(self, session_id: str) -> None: ...


@dataclass(frozen=True)
class Quota:
    sessions_per_client: int = 250
    creates_per_minute: float = 250.0
    evict_idle_seconds: float = 300.0

    def check_held(self, mine: int) -> None:
        """TooManySessions when an address holding `mine` sessions may not make another."""
        if mine >= self.sessions_per_client:
            raise TooManySessions(
                f"this address holds {mine} sessions, as many as one may "
                f"({self.sessions_per_client}); close some or try again later",
                retry_after=60,
            )

    def check_rate(self, wait: float) -> None:
        """TooManySessions when the address's bucket had no token (wait: seconds until one)."""
        if wait:
            raise TooManySessions(
                f"this address creates sessions faster than {self.creates_per_minute:g} a "
                "minute; try again shortly",
                retry_after=max(1, round(wait)),
            )


class Bucket:
    """A token bucket: `rate` creations a minute, at most `rate` at once."""

    def __init__(self, rate: float, now: float):
        self.rate, self.tokens, self.at = rate, rate, now

    def take(self, now: float) -> float:
        """0 when a token was taken, else the seconds until one is there."""
        self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate / 60.0)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) * 60.0 / self.rate


class MemoryStore:
    """Sessions in this process's memory; idle ones expire after `ttl` seconds."""

    def __init__(
        self,
        ttl: float,
        cap: int,
        clock: Callable[[], float] = time.monotonic,
        quota: Quota | None = None,
        sweep: bool = False,
    ):
        self.ttl, self.cap, self.clock = ttl, cap, clock
        self.quota = quota or Quota()
        self._sessions: dict[str, Session] = {}  # least recently used first
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()
        if sweep:
            _start_sweeper(self, max(0.5, min(ttl / 4, 30.0)))

    def __len__(self) -> int:
        return len(self._sessions)

    def sweep(self) -> int:
        """Forget every expired session (and idle buckets); how many were forgotten."""
        with self._lock:
            return self._expire(self.clock())

    def _expire(self, now: float) -> int:
        old = [s.id for s in self._sessions.values() if now - s.last_used > self.ttl]
        for sid in old:
            del self._sessions[sid]
        for client in [c for c, b in self._buckets.items() if now - b.at > 60.0]:
            del self._buckets[client]
        return len(old)

    def create(self, trainer: Trainer, client: str = "") -> Session:
        now = self.clock()
        q = self.quota
        with self._lock:
            self._expire(now)
            mine = sum(1 for s in self._sessions.values() if s.client == client)
            q.check_held(mine)
            bucket = self._buckets.setdefault(client, Bucket(q.creates_per_minute, now))
            q.check_rate(bucket.take(now))
            if len(self._sessions) >= self.cap:
                victim = self._victim(client, mine, now)
                if victim is None:
                    bucket.tokens += 1  # nothing was created: give the token back
                    oldest = next(iter(self._sessions.values()))
                    wait = q.evict_idle_seconds - (now - oldest.last_used)
                    raise StoreFull(retry_after=max(1, round(wait)))
                del self._sessions[victim.id]
            session = Session(secrets.token_urlsafe(24), trainer, client, last_used=now)
            self._sessions[session.id] = session  # 192 bits
            return session

    def _victim(self, client: str, mine: int, now: float) -> Session | None:
        """Whom a full store forgets for a new session of `client` (holding `mine`): the
        session idle longest, if idle long enough; else, so that no address can lock the
        others out, the least recently used session of the address holding the most, if that
        is more than the newcomer will."""
        oldest = next(iter(self._sessions.values()))
        if now - oldest.last_used >= self.quota.evict_idle_seconds:
            return oldest
        held = Counter(s.client for s in self._sessions.values())
        hog, most = held.most_common(1)[0]
        if hog == client or most <= mine + 1:
            return None
        return next(s for s in self._sessions.values() if s.client == hog)

    def get(self, session_id: str) -> Session:
        now = self.clock()
        with self._lock:
            session = self._sessions.pop(session_id, None)
            if session is None or now - session.last_used > self.ttl:
                raise SessionNotFound(session_id)
            session.last_used = now
            self._sessions[session_id] = session  # the most recently used goes last
            return session

    def delete(self, session_id: str) -> None:
        with self._lock:
            if self._sessions.pop(session_id, None) is None:
                raise SessionNotFound(session_id)


def _start_sweeper(store: MemoryStore, every: float) -> None:
    # A daemon thread holding only a weak reference: it ends when the store is gone.
    ref = weakref.ref(store)

    def run() -> None:
        while True:
            time.sleep(every)
            s = ref()
            if s is None:
                return
            s.sweep()
            del s

    threading.Thread(target=run, name="session-sweeper", daemon=True).start()
