"""The session store: ids, expiry, a cap, and one lock per session.

A session is a Trainer with its lock. The store is an interface (SessionStore) so that another
backend can replace the in-memory default; the routes only see `create`, `get` and `delete`.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from nncore.trainer import Trainer


class SessionNotFound(LookupError):
    pass


class StoreFull(RuntimeError):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__("the server holds as many sessions as it may; try again later")


@dataclass
class Session:
    id: str
    trainer: Trainer
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_used: float = field(default_factory=time.monotonic)


class SessionStore(Protocol):
    def create(self, trainer: Trainer) -> Session: ...
    def get(self, session_id: str) -> Session: ...
    def delete(self, session_id: str) -> None: ...


class MemoryStore:
    """Sessions in this process's memory; idle ones expire after `ttl` seconds."""

    def __init__(self, ttl: float, cap: int, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.cap, self.clock = ttl, cap, clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    def _expire(self, now: float) -> None:
        for sid in [s.id for s in self._sessions.values() if now - s.last_used > self.ttl]:
            del self._sessions[sid]

    def create(self, trainer: Trainer) -> Session:
        now = self.clock()
        with self._lock:
            self._expire(now)
            if len(self._sessions) >= self.cap:
                oldest = min(s.last_used for s in self._sessions.values())
                raise StoreFull(retry_after=max(1, int(oldest + self.ttl - now) + 1))
            session = Session(secrets.token_urlsafe(24), trainer, last_used=now)  # 192 bits
            self._sessions[session.id] = session
            return session

    def get(self, session_id: str) -> Session:
        now = self.clock()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None or now - session.last_used > self.ttl:
                self._sessions.pop(session_id, None)
                raise SessionNotFound(session_id)
            session.last_used = now
            return session

    def delete(self, session_id: str) -> None:
        with self._lock:
            if self._sessions.pop(session_id, None) is None:
                raise SessionNotFound(session_id)
