"""A rate per client address: one token bucket (app/sessions.py's Bucket) per address.

Buckets idle for a minute are full again, so they are forgotten; at most `most` addresses are
remembered (the longest idle are forgotten first), so many addresses cannot exhaust memory.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from .sessions import Bucket


class RateLimited(RuntimeError):
    def __init__(self, what: str, rate: float, retry_after: int):
        self.retry_after = retry_after
        super().__init__(
            f"this address sends {what} faster than {rate:g} a minute; try again shortly"
        )


class PerClient:
    remote = False  # app/redis_classes.py's RedisPerClient is

    def __init__(
        self, what: str, rate: float, clock: Callable[[], float] = time.monotonic, most=10_000
    ):
        self.what, self.rate, self.clock, self.most = what, rate, clock, most
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()  # least recently used first
        self._lock = threading.Lock()

    def take(self, client: str) -> None:
        """One token of this client's bucket, or RateLimited with the seconds to wait."""
        now = self.clock()
        with self._lock:
            while self._buckets and (
                len(self._buckets) >= self.most or now - next(iter(self._buckets.values())).at > 60
            ):
                self._buckets.popitem(last=False)
            bucket = self._buckets.pop(client, None) or Bucket(self.rate, now)
            self._buckets[client] = bucket
            wait = bucket.take(now)
        if wait:
            raise RateLimited(self.what, self.rate, max(1, round(wait)))
