"""Sessions in Redis (BACKPROP_REDIS_URL): any worker, on any machine, serves any session.

A session is its snapshot (nncore/snapshot.py) under a key that expires `ttl` seconds after
its last use. A request takes the session's Redis lock (redis-py's Lock, with an expiry so
that a killed worker cannot hold it for ever), loads the snapshot, runs, saves it back (only
if the session still exists) and releases the lock.

The cap and the per-client quotas are MemoryStore's, kept in Redis so every worker sees them:
a sorted set of session ids by last use, one per client, the token buckets, the owner of each
session. Creating and deleting sessions are rare next to steps: they run under one store-wide
Redis lock, so the counts never race.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import partial

import redis
from redis.lock import Lock

from nncore import snapshot
from nncore.trainer import Frame, Trainer

from .sessions import Bucket, Quota, SessionNotFound, StoreFull
from .work import Overloaded

P = "bp:"  # every key of ours starts so
SESSIONS = P + "sessions"  # sorted set: id -> last use (seconds since the epoch)
OWNERS = P + "owners"  # hash: id -> client address


def _data(sid: str) -> str:
    return f"{P}s:{sid}"


def _mine(client: str) -> str:
    return f"{P}client:{client}"  # sorted set: this client's ids -> last use


def _bucket(client: str) -> str:
    return f"{P}bucket:{client}"  # hash: tokens, at


# The new snapshot is written only while the request still holds the session's lock: a request
# that outlived the lock's expiry (another may have taken it since) must not overwrite.
_SAVE_IF_LOCKED = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return -1 end
return redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3], 'XX') and 1 or 0
"""


class LockExpired(Overloaded):
    """The request ran longer than the session's lock lasts: its result was not kept (503)."""

    def __init__(self, seconds: float):
        super().__init__(retry_after=1)
        self.args = (
            f"the request ran longer than its session lock lasts ({seconds:g} s, "
            "redis_lock_seconds) and its result was not kept; try again",
        )


class _SessionLock(Lock):
    """redis-py's Lock, whose release after its expiry is no error: save() already refused."""

    def do_release(self, expected_token) -> None:
        self.lua_release(keys=[self.name], args=[expected_token], client=self.redis)


class RedisSession:
    """A handle on one stored session: its lock, and its trainer loaded and saved under it."""

    remote = True

    def __init__(self, store: RedisStore, sid: str, client: str = "", trainer=None):
        self.id, self.client, self.store = sid, client, store
        self.lock = _SessionLock(
            store.redis,
            f"{P}lock:{sid}",
            timeout=store.lock_seconds,
            blocking=False,
            thread_local=False,  # taken and released by the request, whatever the thread
            raise_on_release_error=False,  # expired under a stalled request: nothing to free
        )
        self._trainer = trainer  # the one just created: no need to read it back

    def load(self) -> Trainer:
        if self._trainer is not None:
            return self._trainer
        data = self.store.redis.get(_data(self.id))
        if data is None:
            raise SessionNotFound(self.id)
        try:
            self._trainer = snapshot.load(data)
        except snapshot.SnapshotError:
            # damaged, or from another version of the app: gone, as after expiry (the page
            # rebuilds its session)
            self.store.forget(self.id, self.client)
            raise SessionNotFound(self.id) from None
        return self._trainer

    def save(self, t: Trainer) -> None:
        self.store.save(self.id, t, self.lock)

    @property
    def follow(self) -> Callable[[Trainer, Frame, bool], None] | None:
        """The class routes' feed (app/redis_hub.py): it looks the session's class up in
        Redis with each frame, so a class follows its session on every worker."""
        feed = self.store.feed
        return None if feed is None else partial(feed, self.id)


class RedisStore:
    def __init__(
        self,
        url: str,
        ttl: float,
        cap: int,
        quota: Quota | None = None,
        lock_seconds: float = 30.0,
        clock: Callable[[], float] = time.time,
    ):
        self.redis = redis.Redis.from_url(url)
        self.ttl, self.cap, self.clock = ttl, cap, clock
        self.quota = quota or Quota()
        self.lock_seconds = lock_seconds
        # Set by the class routes (app/routes/classes.py): called with a session id, the
        # trainer, a frame and whether the setup may have changed.
        self.feed: Callable[[str, Trainer, Frame, bool], None] | None = None
        self._save_if_locked = self.redis.register_script(_SAVE_IF_LOCKED)

    def _store_lock(self) -> Lock:
        return Lock(self.redis, P + "lock:store", timeout=10, blocking_timeout=10)

    def __len__(self) -> int:
        return self.redis.zcount(SESSIONS, self.clock() - self.ttl, "+inf")

    def _forget(self, pipe, sid: str, client: str) -> None:
        pipe.delete(_data(sid))
        pipe.zrem(SESSIONS, sid)
        pipe.zrem(_mine(client), sid)
        pipe.hdel(OWNERS, sid)

    def _expire(self, now: float) -> None:
        old = self.redis.zrangebyscore(SESSIONS, "-inf", now - self.ttl)
        if not old:
            return
        owners = self.redis.hmget(OWNERS, old)
        pipe = self.redis.pipeline()
        for sid, client in zip(old, owners, strict=True):
            self._forget(pipe, sid.decode(), (client or b"").decode())
        pipe.execute()

    def create(self, trainer: Trainer, client: str = "") -> RedisSession:
        data = snapshot.dump(trainer)
        q = self.quota
        with self._store_lock():
            now = self.clock()
            self._expire(now)
            mine = self.redis.zcard(_mine(client))
            q.check_held(mine)
            bucket = self._read_bucket(client, now)
            q.check_rate(bucket.take(now))
            if self.redis.zcard(SESSIONS) >= self.cap:
                victim = self._victim(client, mine, now)
                if victim is None:
                    oldest = self.redis.zrange(SESSIONS, 0, 0, withscores=True)[0][1]
                    wait = q.evict_idle_seconds - (now - oldest)
                    raise StoreFull(retry_after=max(1, round(wait)))
                self.forget(*victim)
            self._write_bucket(client, bucket)
            sid = secrets.token_urlsafe(24)  # 192 bits
            pipe = self.redis.pipeline()
            pipe.set(_data(sid), data, px=self._ttl_ms())
            pipe.zadd(SESSIONS, {sid: now})
            pipe.zadd(_mine(client), {sid: now})
            pipe.hset(OWNERS, sid, client)
            pipe.execute()
        return RedisSession(self, sid, client, trainer)

    def _read_bucket(self, client: str, now: float) -> Bucket:
        b = Bucket(self.quota.creates_per_minute, now)
        saved = self.redis.hmget(_bucket(client), "tokens", "at")
        if saved[0] is not None:
            b.tokens, b.at = float(saved[0]), float(saved[1])
        return b

    def _write_bucket(self, client: str, b: Bucket) -> None:
        # taken only when a session is made (as MemoryStore does); a full one is forgotten
        pipe = self.redis.pipeline()
        pipe.hset(_bucket(client), mapping={"tokens": b.tokens, "at": b.at})
        pipe.expire(_bucket(client), 120)
        pipe.execute()

    def _victim(self, client: str, mine: int, now: float) -> tuple[str, str] | None:
        """MemoryStore._victim's rule: the session idle longest if idle long enough, else the
        least recently used of the address holding the most, if it holds more than `mine`+1."""
        ((sid, last),) = self.redis.zrange(SESSIONS, 0, 0, withscores=True)
        sid = sid.decode()
        if now - last >= self.quota.evict_idle_seconds:
            return sid, (self.redis.hget(OWNERS, sid) or b"").decode()
        held: dict[str, int] = {}
        for owner in self.redis.hvals(OWNERS):
            held[owner.decode()] = held.get(owner.decode(), 0) + 1
        hog, most = max(held.items(), key=lambda kv: kv[1])
        if hog == client or most <= mine + 1:
            return None
        oldest = self.redis.zrange(_mine(hog), 0, 0)[0].decode()
        return oldest, hog

    def _ttl_ms(self) -> int:
        return max(1, round(self.ttl * 1000))

    def _touch(self, pipe, sid: str, client: str, now: float) -> None:
        pipe.zadd(SESSIONS, {sid: now}, xx=True)
        pipe.zadd(_mine(client), {sid: now}, xx=True)

    def get(self, session_id: str) -> RedisSession:
        now = self.clock()
        pipe = self.redis.pipeline()
        pipe.pexpire(_data(session_id), self._ttl_ms())
        pipe.hget(OWNERS, session_id)
        alive, owner = pipe.execute()
        if not alive:
            raise SessionNotFound(session_id)
        client = (owner or b"").decode()
        pipe = self.redis.pipeline()
        self._touch(pipe, session_id, client, now)
        pipe.execute()
        return RedisSession(self, session_id, client)

    def save(self, sid: str, t: Trainer, lock: Lock) -> None:
        """The session's new state, unless it was deleted or forgotten meanwhile; LockExpired
        if the lock (held by this request) expired before, when nothing is written."""
        data = snapshot.dump(t)
        keys = [lock.name, _data(sid)]
        if self._save_if_locked(keys, [lock.local.token or b"", data, self._ttl_ms()]) < 0:
            raise LockExpired(self.lock_seconds)
        # its last use was stamped by get(), a request's length ago: one round trip fewer

    def forget(self, sid: str, client: str) -> None:
        pipe = self.redis.pipeline()
        self._forget(pipe, sid, client)
        pipe.execute()

    def delete(self, session_id: str) -> None:
        with self._store_lock():
            owner = self.redis.hget(OWNERS, session_id)
            if owner is None or not self.redis.exists(_data(session_id)):
                raise SessionNotFound(session_id)
            self.forget(session_id, owner.decode())
