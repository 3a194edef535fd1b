"""Class events across workers: Redis pub/sub, one subscriber connection per worker process.

The worker where a teacher's frame is produced (a step, a patch, a reset... on any worker)
reduces and encodes it once (app/student_frame.py) on its event loop, and a Lua script
publishes it on the class's channel: the script gives the event its id (one counter per class
in Redis, so ids increase across workers), writes the server-sent event's bytes, keeps them as
the latest of their kind, and publishes them. Every worker with followers of that class
subscribes to its channel and puts the same bytes into its followers' mailboxes (app/hub.py's
Follower: bounded, the latest wins). A (re)connecting stream on any worker starts with the
latest setup, view, frame, question and tally from Redis, newer than its Last-Event-ID.

Frames go out at most `rate` a second per class, whichever workers produce them: the script
keeps the time of the last one and tells a worker how long to wait; a frame older than one
already sent (by another worker) is dropped, so students see the teacher's frames in order.
The teacher's request only leaves its frame as this worker's pending one (the latest wins)
and wakes the loop: it never waits for students, nor for Redis's publication.

The scripts' Redis calls block: they run in a worker thread (anyio), never on the event loop;
only the subscriber is asynchronous (redis.asyncio's PubSub, on the loop). The followers of
each worker are counted in Redis (for the caps and the tallies) under the worker's id, whose
key expires unless the worker's subscriber renews it: a killed worker's followers stop
counting within HEARTBEAT_SECONDS * 3.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from functools import partial

import redis
import redis.asyncio as aredis
from anyio import from_thread, to_thread

from nncore.trainer import Frame

from .classes import Class, ClassCrowded
from .hub import LATEST, RETRY_MS, SNAPSHOT, Event, Follower, encode
from .redis_classes import P, RedisClassStore, channel_name, class_key, scripts
from .serialize import dumps
from .student_frame import setup_parts

WORKER = P + "w:"  # a live worker's key, renewed by its subscriber
HEARTBEAT_SECONDS = 10.0

# emit(events key, channel, kind, data, slot): the event's id, its bytes kept as the latest of
# `slot` (unless ''), published. count(followers key, client): the followers of live workers,
# and those of `client`.
_LIB = """
local function emit(e, channel, kind, data, slot)
  local id = redis.call('HINCRBY', e, 'ids', 1)
  local wire = 'event: ' .. kind .. '\\ndata: ' .. data .. '\\nid: ' .. id .. '\\n\\n'
  if slot ~= '' then redis.call('HSET', e, 'l:' .. slot, id .. ' ' .. wire) end
  redis.call('PUBLISH', channel, id .. ' ' .. kind .. '\\n' .. wire)
  return id
end
local function count(f, client)
  local all = redis.call('HGETALL', f)
  local total, mine, live = 0, 0, {}
  for i = 1, #all, 2 do
    local field = all[i]
    local sp = string.find(field, ' ', 1, true)
    local w = sp and string.sub(field, 1, sp - 1) or field
    if live[w] == nil then live[w] = redis.call('EXISTS', '{W}' .. w) == 1 end
    if live[w] then
      if not sp then total = total + tonumber(all[i + 1])
      elseif string.sub(field, sp + 1) == client then mine = mine + tonumber(all[i + 1]) end
    end
  end
  return total, mine
end
local function keep(key, class)
  local ttl = redis.call('PTTL', class)
  if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
end
""".replace("{W}", WORKER)

# KEYS: class, events. ARGV: channel, force ('1': no wait), interval ms, frame seq, frame
# JSON ('' none), setup seq, config, data, maps ('' each when not given).
_FLUSH = (
    _LIB
    + """
local e = KEYS[2]
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local frame = ARGV[5]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if frame ~= '' and ARGV[2] ~= '1' then
  local wait = tonumber(redis.call('HGET', e, 'at') or '0') + tonumber(ARGV[3]) - now
  if wait > 0 then return {'wait', tostring(wait)} end
end
local parts = {{'config', ARGV[7], ARGV[6]}, {'data', ARGV[8], ARGV[6]}, {'maps', ARGV[9], ARGV[4]}}
for _, p in ipairs(parts) do
  if p[2] ~= '' and tonumber(p[3]) > tonumber(redis.call('HGET', e, 'v:' .. p[1]) or '0') then
    redis.call('HSET', e, 'p:' .. p[1], p[2], 'v:' .. p[1], p[3])
  end
end
local config = redis.call('HGET', e, 'p:config')
if config then
  local maps = redis.call('HGET', e, 'p:maps')
  local setup = '{"config":' .. config .. ',"data":' .. redis.call('HGET', e, 'p:data')
    .. (maps and (',"maps":' .. maps) or '') .. '}'
  if setup ~= redis.call('HGET', e, 'd:setup') then
    redis.call('HSET', e, 'd:setup', setup)
    emit(e, ARGV[1], 'setup', setup, 'setup')
  end
end
if frame ~= '' and tonumber(ARGV[4]) > tonumber(redis.call('HGET', e, 'pseq') or '0') then
  redis.call('HSET', e, 'pseq', ARGV[4], 'at', now)
  emit(e, ARGV[1], 'frame', frame, 'frame')
end
keep(e, KEYS[1])
return {'ok'}
"""
)

# KEYS: class, events, followers. ARGV: channel, kind, data, slot. A tally's data is made
# here, from the counts in Redis at this moment: a later tally never says less.
_SEND = (
    _LIB
    + """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local data = ARGV[3]
if ARGV[2] == 'tally' then
  local last = string.match(redis.call('HGET', KEYS[1], 'qs') or '', '(%d+)$')
  local answers = 0
  if last then
    for c = 0, tonumber(redis.call('HGET', KEYS[1], 'c' .. last)) - 1 do
      answers = answers + tonumber(redis.call('HGET', KEYS[1], 'n' .. last .. ':' .. c))
    end
  end
  local students = count(KEYS[3], '')
  data = '{"question":' .. (last or 'null') .. ',"answers":' .. answers
    .. ',"students":' .. students .. '}'
end
local id = emit(KEYS[2], ARGV[1], ARGV[2], data, ARGV[4])
keep(KEYS[2], KEYS[1])
return id
"""
)

# KEYS: class, followers. ARGV: worker, client, cap, per client, heartbeat ms.
_JOIN = (
    _LIB
    + """
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
redis.call('SET', '{W}' .. ARGV[1], 1, 'PX', ARGV[5])
local total, mine = count(KEYS[2], ARGV[2])
if total >= tonumber(ARGV[3]) then return {'full', tostring(total)} end
if mine >= tonumber(ARGV[4]) then return {'mine', tostring(mine)} end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('HINCRBY', KEYS[2], ARGV[1] .. ' ' .. ARGV[2], 1)
keep(KEYS[2], KEYS[1])
return {'ok'}
""".replace("{W}", WORKER)
)

# KEYS: followers. ARGV: worker, client.
_LEAVE = """
for _, field in ipairs({ARGV[1], ARGV[1] .. ' ' .. ARGV[2]}) do
  if redis.call('HINCRBY', KEYS[1], field, -1) <= 0 then redis.call('HDEL', KEYS[1], field) end
end
"""

_STUDENTS = _LIB + "local total = count(KEYS[1], '')\nreturn total"


def data_of(wire: bytes) -> bytes:
    """The JSON of one server-sent event's bytes (event:, data:, id: lines)."""
    start = wire.index(b"\ndata: ") + 7
    return wire[start : wire.rindex(b"\nid: ")]


class _Local:
    """This worker's part of one class: its followers, the frame pending from the teacher's
    requests served here, and its subscription."""

    def __init__(self, code: str):
        self.code, self.name = code, channel_name(code)
        self.followers: set[Follower] = set()
        self.lock = threading.Lock()
        self.frame: Frame | None = None
        self.frame_seq = 0
        self.setup: dict[str, bytes] | None = None
        self.setup_seq = 0
        self.scheduled = False
        self.tally_wanted = False
        self.tally_at = -1e9
        self.sent_at = -1e9  # when this worker last sent a frame (monotonic)
        self.grid: tuple = ((), None)
        self.asked = False  # SUBSCRIBE sent
        self.ready = asyncio.Event()  # and confirmed
        self.sending = asyncio.Lock()


class RedisHub:
    """The class routes' fan-out (app/hub.py's LocalHub) through Redis."""

    remote = True

    def __init__(self, url: str, rate: float, classes: RedisClassStore):
        self.url, self.interval = url, 1.0 / rate
        self.redis: redis.Redis = classes.redis
        self.worker = secrets.token_hex(8)
        self.channels: dict[str, _Local] = {}
        self._lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._bound: asyncio.AbstractEventLoop | None = None  # the channels' and pubsub's
        self._pubsub = None
        self._reader: asyncio.Task | None = None
        self._changing = asyncio.Lock()  # one subscription change at a time
        self._tasks: set[asyncio.Task] = set()
        (
            self._flush_script,
            self._send_script,
            self._join_script,
            self._leave_script,
            self._students_script,
        ) = scripts(self.redis, _FLUSH, _SEND, _JOIN, _LEAVE, _STUDENTS)

    # Any thread ----------------------------------------------------------------------------

    def _local(self, code: str) -> _Local:
        with self._lock:
            ch = self.channels.get(code)
            if ch is None:
                ch = self.channels[code] = _Local(code)
            return ch

    def open(self, code: str) -> None:
        """A class started: its channel opens with the first follower or frame here."""

    def offer(self, code: str, frame: Frame, setup: dict[str, bytes] | None, seq: int) -> None:
        """A teacher's frame (seq: its number in the class, from followed()): sent soon."""
        ch = self._local(code)
        with ch.lock:
            if seq > ch.frame_seq:
                ch.frame, ch.frame_seq = frame, seq
            if setup is not None and seq > ch.setup_seq:
                ch.setup, ch.setup_seq = setup, seq
        for _ in range(2):
            if self.loop is None or self.loop.is_closed():
                try:  # a request's worker thread knows its loop
                    self.loop = from_thread.run_sync(asyncio.get_running_loop)
                except RuntimeError:
                    return
            with contextlib.suppress(RuntimeError):  # closed meanwhile: ask again
                self.loop.call_soon_threadsafe(self._schedule, ch)
                return

    def feed(self, classes: RedisClassStore) -> Callable:
        """What a Redis session calls with each frame (app/redis_store.py): its class, if any,
        gets the frame."""

        def told(session_id: str, t, frame: Frame, changed: bool) -> None:
            found = classes.followed(session_id)
            if found is not None:
                code, seq = found
                self.offer(code, frame, setup_parts(t) if changed else None, seq)

        return told

    # On the event loop ---------------------------------------------------------------------

    def _bind(self) -> None:
        """This loop's: a new loop (a test's new client) starts without the old one's state."""
        loop = self.loop = asyncio.get_running_loop()
        if self._bound is None:
            self._bound = loop
        elif loop is not self._bound:
            self._bound, self._pubsub, self._reader = loop, None, None
            self._changing = asyncio.Lock()
            with self._lock:
                self.channels = {}

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)  # kept until done: the loop holds tasks weakly
        task.add_done_callback(self._tasks.discard)

    def _schedule(self, ch: _Local) -> None:
        if not ch.scheduled:  # this worker's own last frame sets the first wait, as in memory
            ch.scheduled = True
            delay = ch.sent_at + self.interval - time.monotonic()
            self.loop.call_later(max(0.0, delay), lambda: self._spawn(self._flush(ch, False)))

    async def _flush(self, ch: _Local, force: bool) -> None:
        async with ch.sending:
            if not force:
                ch.scheduled = False
            with ch.lock:
                frame, fseq, setup, sseq = ch.frame, ch.frame_seq, ch.setup, ch.setup_seq
                ch.frame = ch.setup = None
            if frame is None and setup is None:
                return
            data, maps = b"", None
            if frame is not None:
                data, maps, ch.grid = encode(frame, ch.grid)  # a fraction of a millisecond
            s = setup or {}
            args = [ch.name, "1" if force else "0", round(self.interval * 1000), fseq, data]
            args += [sseq, s.get("config", b""), s.get("data", b""), maps or b""]
            keys = [class_key(ch.code), class_key(ch.code) + ":e"]
            got = await self._run(lambda: self._flush_script(keys=keys, args=args))
            if got[0] == b"wait":  # another worker sent one just now: this one goes later
                with ch.lock:
                    if ch.frame is None:
                        ch.frame = frame
                    if ch.setup is None and setup is not None:
                        ch.setup, ch.setup_seq = setup, sseq
                ch.scheduled = True
                later = int(got[1]) / 1000
                self.loop.call_later(later, lambda: self._spawn(self._flush(ch, force=False)))
            elif got[0] == b"ok" and frame is not None:
                ch.sent_at = time.monotonic()
            elif got[0] == b"gone" and not ch.followers:
                with self._lock:
                    self.channels.pop(ch.code, None)

    async def flush(self, code: str) -> None:
        """Send this worker's pending frame (and setup) now, whatever the rate."""
        self._bind()
        await self._flush(self._local(code), force=True)

    async def _run(self, fn, *args):
        return await to_thread.run_sync(lambda: fn(*args))

    async def send(self, klass: Class, kind: str, payload: dict | bytes) -> None:
        data = payload if isinstance(payload, bytes) else dumps(payload)
        slot = "question" if kind == "reveal" else kind if kind in SNAPSHOT else ""
        k = class_key(klass.code)
        keys = [k, k + ":e", k + ":f"]
        args = [channel_name(klass.code), kind, data, slot]
        await self._run(lambda: self._send_script(keys=keys, args=args))

    def tally(self, klass: Class) -> None:
        """A tally soon (at most `rate` a second from this worker), counted when it is sent."""
        self._bind()
        ch = self._local(klass.code)
        if ch.tally_wanted:
            return
        ch.tally_wanted = True

        async def later() -> None:
            await asyncio.sleep(max(0.0, ch.tally_at + self.interval - time.monotonic()))
            ch.tally_wanted, ch.tally_at = False, time.monotonic()
            await self.send(klass, "tally", b"")

        self._spawn(later())

    async def latest(self, code: str) -> dict[str, bytes]:
        """The JSON of the latest setup and frame."""
        got = await self._run(self.redis.hmget, class_key(code) + ":e", "l:setup", "l:frame")
        return {
            kind: data_of(v.split(b" ", 1)[1])
            for kind, v in zip(("setup", "frame"), got, strict=True)
            if v is not None
        }

    async def students(self, code: str) -> int:
        return int(await self._run(lambda: self._students_script(keys=[class_key(code) + ":f"])))

    async def join(
        self, klass: Class, client: str, after: int | None, cap: int, per_client: int
    ) -> tuple[Follower, list[bytes]]:
        """A new follower on this worker (ClassCrowded beyond `cap` in all workers, or
        `per_client` for one address), subscribed, and what its stream starts with."""
        self._bind()
        k = class_key(klass.code)
        args = [self.worker, client, cap, per_client, round(HEARTBEAT_SECONDS * 3000)]
        got = await self._run(lambda: self._join_script(keys=[k, k + ":f"], args=args))
        if got[0] == b"full":
            raise ClassCrowded(f"this class has {cap} students already", 503)
        if got[0] == b"mine":
            raise ClassCrowded(f"this address follows this class {int(got[1])} times already", 429)
        ch = self._local(klass.code)
        follower = Follower(client)
        ch.followers.add(follower)
        try:
            await self._subscribe(ch)
            slots = [b"l:" + kind.encode() for kind in SNAPSHOT]
            kept = await self._run(self.redis.hmget, k + ":e", slots)
        except BaseException:
            await self.leave(klass, follower)
            raise
        events = []
        for v in filter(None, kept):
            eid, wire = v.split(b" ", 1)
            events.append((int(eid), wire))
        events.sort()
        start = [b"retry: %d\n\n" % RETRY_MS]
        start += [wire for eid, wire in events if after is None or eid > after]
        follower.floor = events[-1][0] if events else 0
        follower.items = deque(e for e in follower.items if e.id > follower.floor)
        if got[0] == b"gone":
            follower.dropped = True
            follower.wake.set()
        self.tally(klass)
        return follower, start

    async def leave(self, klass: Class, follower: Follower) -> None:
        ch = self.channels.get(klass.code)
        if ch is None or follower not in ch.followers:
            return
        ch.followers.discard(follower)
        keys = [class_key(klass.code) + ":f"]
        await self._run(lambda: self._leave_script(keys=keys, args=[self.worker, follower.client]))
        if not ch.followers:
            await self._unsubscribe(ch)
        self.tally(klass)

    def gone(self, code: str) -> None:
        """The class expired while a stream waited: this worker's followers get `end`."""
        ch = self.channels.get(code)
        if ch is None:
            return
        data = dumps({"code": code})
        wire = b"event: end\ndata: " + data + b"\nid: 0\n\n"
        for f in list(ch.followers):
            f.put(Event(0, "end", wire, data))

    async def _subscribe(self, ch: _Local) -> None:
        # Under a lock: redis-py's PubSub would open a connection per concurrent first call.
        async with self._changing:
            if self._pubsub is None:
                self._pubsub = aredis.Redis.from_url(self.url).pubsub()
            if not ch.asked:
                ch.asked = True
                await self._pubsub.subscribe(ch.name)
            if self._reader is None:
                self._reader = asyncio.ensure_future(self._read(self._pubsub))
        async with asyncio.timeout(10):
            await ch.ready.wait()

    async def _unsubscribe(self, ch: _Local) -> None:
        async with self._changing:
            if ch.asked and not ch.followers and self._pubsub is not None:
                ch.asked = False
                ch.ready.clear()
                await self._pubsub.unsubscribe(ch.name)

    async def _read(self, pubsub) -> None:
        """The worker's one subscriber: each message's bytes into the local mailboxes."""
        beat = time.monotonic()
        while pubsub is self._pubsub:
            try:
                msg = await pubsub.get_message(timeout=1.0)
            except (redis.RedisError, OSError):
                await asyncio.sleep(0.5)  # redis-py reconnects and subscribes again
                continue
            if time.monotonic() - beat > HEARTBEAT_SECONDS:
                beat = time.monotonic()
                key, ms = WORKER + self.worker, round(HEARTBEAT_SECONDS * 3000)
                await self._run(partial(self.redis.set, key, 1, px=ms))
            if msg is None:
                continue
            code = msg["channel"].decode()[len(P + "ev:") :]
            ch = self.channels.get(code)
            if ch is None:
                continue
            if msg["type"] == "subscribe":
                ch.ready.set()
            elif msg["type"] == "message":
                head, wire = msg["data"].split(b"\n", 1)
                eid, kind = head.split(b" ")
                event = Event(int(eid), kind.decode(), wire, b"")
                for f in list(ch.followers):
                    if event.id > f.floor:
                        f.put(event)
                if event.kind == "end":  # the class is gone: so is this worker's part of it
                    with self._lock:
                        self.channels.pop(code, None)
                    ch.followers.clear()
                    self._spawn(self._unsubscribe(ch))


assert set(LATEST) <= set(SNAPSHOT)  # what a mailbox replaces, a stream starts with
