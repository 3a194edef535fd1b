"""Classes in Redis (BACKPROP_REDIS_URL): a class made on one worker is read, answered and
revealed on any other.

Everything a worker needs is in Redis, nothing in its memory. A class is a hash (its code's
key): the teacher token's SHA-256 (compared in constant time), the session id, the join
address, the view, and its questions (fields q<id> the question as JSON, s<id> its state,
w<id> what happened, n<id>:<choice> its counts, c<id> how many choices). The open question's
answers (student -> "choice client") and the answers per address are two more hashes, emptied
when it closes; the events (app/redis_hub.py) and the followers are two more. All of them
expire together `idle_seconds` after the last teacher action or frame, refreshed by both; a
sorted set of codes by last activity holds the cap. A session's class is found from its id
(`followed`), so a teacher's step landing on any worker feeds the class.

Answers, asks and reveals are Lua scripts: atomic in Redis, so answers sent to two workers
are counted together, one per student id, within the question's bounds. Creating and ending
classes are rare: they run under one store-wide Redis lock, as sessions do (app/redis_store.py).
Scripts name keys they build themselves: one Redis, not a cluster.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

import orjson
import redis
from redis.lock import Lock

from .classes import (
    ALPHABET,
    CODE_LENGTH,
    Bounds,
    Class,
    ClassCrowded,
    ClassNotFound,
    NotTeacher,
    Question,
    QuestionClosed,
    QuestionNotFound,
    find_question,
    normal_code,
)
from .ratelimit import RateLimited
from .sessions import StoreFull

P = "bp:"
CLASSES = P + "classes"  # sorted set: code -> last activity (seconds since the epoch)
PARTS = ("", ":a", ":p", ":e", ":f")  # the class, answers, per address, events, followers


def class_key(code: str) -> str:
    return f"{P}c:{code}"


def session_key(sid: str) -> str:
    return f"{P}sc:{sid}"  # the code of the class following this session


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Refresh every key of the class (KEYS[1], its hash) and its session's; with ARGV[3] == "1"
# also count one more frame offered (the frame's sequence number, app/redis_hub.py).
_TOUCH = """
local k = KEYS[1]
if redis.call('EXISTS', k) == 0 then return nil end
local seq = 0
if ARGV[3] == '1' then seq = redis.call('HINCRBY', k .. ':e', 'fseq', 1) end
local ttl = ARGV[1]
for _, part in ipairs({'', ':a', ':p', ':e', ':f'}) do redis.call('PEXPIRE', k .. part, ttl) end
redis.call('PEXPIRE', ARGV[4] .. redis.call('HGET', k, 'sid'), ttl)
redis.call('ZADD', ARGV[5], 'XX', ARGV[2], ARGV[6])
return seq
"""

# KEYS: the class, its answers, its answers per address.
# ARGV: question id, student, choice, client, answers a question takes, per address.
_ANSWER = """
local s = redis.call('HGET', KEYS[1], 's' .. ARGV[1])
if not s then return {'missing'} end
if s ~= 'open' then return {'closed', s} end
local old = redis.call('HGET', KEYS[2], ARGV[2])
local client = ARGV[4]
if old then
  local sp = string.find(old, ' ', 1, true)
  redis.call('HINCRBY', KEYS[1], 'n' .. ARGV[1] .. ':' .. string.sub(old, 1, sp - 1), -1)
  client = string.sub(old, sp + 1)
else
  if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then return {'full'} end
  local mine = tonumber(redis.call('HGET', KEYS[3], client) or '0')
  if mine >= tonumber(ARGV[6]) then return {'mine', tostring(mine)} end
  redis.call('HINCRBY', KEYS[3], client, 1)
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3] .. ' ' .. client)
redis.call('HINCRBY', KEYS[1], 'n' .. ARGV[1] .. ':' .. ARGV[3], 1)
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl); redis.call('PEXPIRE', KEYS[3], ttl) end
return {'ok'}
"""

# KEYS: the class, its answers, per address. ARGV: the question's JSON, how many questions a
# class keeps, its number of choices. The open question closes (keeping its counts).
_ASK = """
local k = KEYS[1]
if redis.call('EXISTS', k) == 0 then return nil end
local ids = {}
for id in string.gmatch(redis.call('HGET', k, 'qs') or '', '%d+') do
  table.insert(ids, id)
  if redis.call('HGET', k, 's' .. id) == 'open' then redis.call('HSET', k, 's' .. id, 'closed') end
end
redis.call('DEL', KEYS[2], KEYS[3])
local id = redis.call('HINCRBY', k, 'nq', 1)
table.insert(ids, tostring(id))
local n = tonumber(ARGV[3])
local fields = {'q' .. id, ARGV[1], 's' .. id, 'open', 'c' .. id, n}
for c = 0, n - 1 do
  table.insert(fields, 'n' .. id .. ':' .. c)
  table.insert(fields, 0)
end
redis.call('HSET', k, unpack(fields))
while #ids > tonumber(ARGV[2]) do
  local old = table.remove(ids, 1)
  local gone = {'q' .. old, 's' .. old, 'w' .. old, 'c' .. old}
  for c = 0, tonumber(redis.call('HGET', k, 'c' .. old) or '0') - 1 do
    table.insert(gone, 'n' .. old .. ':' .. c)
  end
  redis.call('HDEL', k, unpack(gone))
end
redis.call('HSET', k, 'qs', table.concat(ids, ' '))
return id
"""

# KEYS: the class, its answers, per address. ARGV: question id, what happened (JSON).
_REVEAL = """
local s = redis.call('HGET', KEYS[1], 's' .. ARGV[1])
if not s then return 'missing' end
if s == 'revealed' then return s end
redis.call('HSET', KEYS[1], 's' .. ARGV[1], 'revealed', 'w' .. ARGV[1], ARGV[2])
if s == 'open' then redis.call('DEL', KEYS[2], KEYS[3]) end
return 'ok'
"""

# KEYS: the class. ARGV: its code, the channel. `end` goes to every follower (it is not kept:
# the class is gone), then every key of the class goes.
_END = """
local k = KEYS[1]
local id = tonumber(redis.call('HGET', k .. ':e', 'ids') or '0') + 1
local data = '{"code":"' .. ARGV[1] .. '"}'
local wire = 'event: end\\ndata: ' .. data .. '\\nid: ' .. id .. '\\n\\n'
redis.call('PUBLISH', ARGV[2], id .. ' end\\n' .. wire)
local sid = redis.call('HGET', k, 'sid')
if sid and redis.call('GET', ARGV[3] .. sid) == ARGV[1] then redis.call('DEL', ARGV[3] .. sid) end
for _, part in ipairs({'', ':a', ':p', ':e', ':f'}) do redis.call('DEL', k .. part) end
redis.call('ZREM', ARGV[4], ARGV[1])
return id
"""


def scripts(r: redis.Redis, *sources: str) -> list:
    """The Lua sources as redis-py Scripts (sent once, then called by their SHA)."""
    return [r.register_script(source) for source in sources]


# KEYS: the bucket. ARGV: its rate a minute. app/sessions.py's Bucket, on Redis's clock.
_TAKE = """
local rate = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local at = tonumber(b[2]) or now
local tokens = math.min(rate, (tonumber(b[1]) or rate) + (now - at) * rate / 60)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) * 60 / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], 120)
return tostring(wait)
"""


class RedisPerClient:
    """app/ratelimit.py's PerClient with its buckets in Redis: one rate for every worker.
    (A full bucket is forgotten after two idle minutes: key expiry.)"""

    remote = True

    def __init__(self, r: redis.Redis, what: str, rate: float):
        self.what, self.rate = what, rate
        (self._take,) = scripts(r, _TAKE)

    def take(self, client: str) -> None:
        """One token of this client's bucket, or RateLimited with the seconds to wait."""
        wait = float(self._take(keys=[f"{P}rate:{self.what}:{client}"], args=[self.rate]))
        if wait:
            raise RateLimited(self.what, self.rate, max(1, round(wait)))


def channel_name(code: str) -> str:
    return f"{P}ev:{code}"  # the pub/sub channel of a class's events


class RedisClassStore:
    """The ClassStore of app/classes.py in Redis (same bounds, same errors)."""

    remote = True

    def __init__(
        self,
        url: str,
        bounds: Bounds,
        clock: Callable[[], float] = time.time,
    ):
        self.redis = redis.Redis.from_url(url)
        self.idle, self.cap, self.keep, self.students, self.per_client, self.evict_idle = bounds
        self.clock = clock
        self._touch_script, self._answer, self._ask, self._reveal, self._end = scripts(
            self.redis, _TOUCH, _ANSWER, _ASK, _REVEAL, _END
        )

    def __len__(self) -> int:
        return self.redis.zcount(CLASSES, self.clock() - self.idle, "+inf")

    def _ttl_ms(self) -> int:
        return max(1, round(self.idle * 1000))

    def _keys(self, code: str) -> list[str]:
        return [class_key(code) + part for part in PARTS[:3]]

    def _store_lock(self) -> Lock:
        return Lock(self.redis, P + "lock:classes", timeout=10, blocking_timeout=10)

    def _forget(self, code: str) -> None:
        """End the class: its followers get `end`, its keys go."""
        self._end(keys=[class_key(code)], args=[code, channel_name(code), session_key(""), CLASSES])

    def create(self, session_id: str, join: Callable[[str], str] = lambda code: "") -> Class:
        """A new class of this session (ending the one it had); join(code): its address."""
        with self._store_lock():
            now = self.clock()
            self.redis.zremrangebyscore(CLASSES, "-inf", now - self.idle)  # expired by then
            old = self.redis.get(session_key(session_id))
            if old is not None:
                self._forget(old.decode())
            if self.redis.zcard(CLASSES) >= self.cap:
                ((oldest, last),) = self.redis.zrange(CLASSES, 0, 0, withscores=True)
                if now - last < self.evict_idle:
                    raise StoreFull(round(self.evict_idle - (now - last)) + 1)
                self._forget(oldest.decode())
            while True:  # 31^6 codes: a collision is rare, and checked
                code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
                if not self.redis.exists(class_key(code)):
                    break
            token, url = secrets.token_urlsafe(32), join(code)
            k, ttl = class_key(code), self._ttl_ms()
            pipe = self.redis.pipeline()
            pipe.delete(*(k + part for part in PARTS))
            fields = {"th": _hash(token), "sid": session_id, "join": url, "view": "", "nq": 0}
            pipe.hset(k, mapping={**fields, "qs": ""})
            pipe.pexpire(k, ttl)
            pipe.set(session_key(session_id), code, px=ttl)
            pipe.zadd(CLASSES, {code: now})
            pipe.execute()
        return Class(code, token, session_id, now, url)

    def _load(self, code: str) -> tuple[Class, str]:
        code = normal_code(code)
        if len(code) != CODE_LENGTH:
            raise ClassNotFound(code)
        h = {k.decode(): v for k, v in self.redis.hgetall(class_key(code)).items()}
        if "th" not in h:
            raise ClassNotFound(code)
        questions: OrderedDict[int, Question] = OrderedDict()
        for qid in h["qs"].split():
            q = Question(**orjson.loads(h[f"q{int(qid)}"]))
            q.id = int(qid)
            q.state = h[f"s{q.id}"].decode()
            q.counts = [int(h[f"n{q.id}:{c}"]) for c in range(len(q.choices))]
            w = h.get(f"w{q.id}")
            q.what_happened = orjson.loads(w) if w else None
            questions[q.id] = q
        view = orjson.loads(h["view"]) if h["view"] else {}
        sid = h["sid"].decode()
        klass = Class(code, "", sid, 0.0, h["join"].decode(), questions, int(h["nq"]) + 1, view)
        return klass, h["th"].decode()

    def get(self, code: str) -> Class:
        return self._load(code)[0]

    def teacher(self, code: str, token: str | None) -> Class:
        """The class, if `token` is its teacher's (NotTeacher otherwise); counts as activity."""
        klass, hashed = self._load(code)
        if not token:
            raise NotTeacher(given=False)
        if not secrets.compare_digest(_hash(token), hashed):
            raise NotTeacher(given=True)
        self.touch(klass)
        return klass

    def _refresh(self, code: str, frame: bool) -> int | None:
        args = [self._ttl_ms(), self.clock(), "1" if frame else "0", session_key(""), CLASSES, code]
        return self._touch_script(keys=[class_key(code)], args=args)

    def touch(self, klass: Class) -> None:
        self._refresh(klass.code, frame=False)

    def followed(self, session_id: str) -> tuple[str, int] | None:
        """The code of the class following this session, and the sequence number of the frame
        about to be offered to it (the class counts it as activity); None without a class."""
        code = self.redis.get(session_key(session_id))
        if code is None:
            return None
        seq = self._refresh(code.decode(), frame=True)
        return None if seq is None else (code.decode(), seq)

    def end(self, code: str) -> Class:
        with self._store_lock():
            klass = self.get(code)
            self._forget(klass.code)
            return klass

    def set_view(self, klass: Class, view: dict) -> None:
        klass.view = view
        self.redis.hset(class_key(klass.code), "view", orjson.dumps(view))

    def move(self, klass: Class, session_id: str) -> None:
        """The class follows another session from now on."""
        k, old = class_key(klass.code), klass.session_id
        pipe = self.redis.pipeline()
        pipe.hset(k, "sid", session_id)
        pipe.set(session_key(session_id), klass.code, px=self._ttl_ms())
        pipe.execute()
        if old != session_id and self.redis.get(session_key(old)) == klass.code.encode():
            self.redis.delete(session_key(old))  # unless the old one has a class of its own
        klass.session_id = session_id

    def ask(self, klass: Class, question: Question) -> Question:
        """Open `question` (its id is given here); the open one is closed, keeping its counts."""
        fields = ("kind", "prompt", "choices", "target", "steps", "unit", "asked_at_step")
        data = {f: getattr(question, f) for f in fields} | {"id": 0, "before": question.before}
        qid = self._ask(
            keys=self._keys(klass.code),
            args=[
                orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY),
                self.keep,
                len(question.choices),
            ],
        )
        if qid is None:
            raise ClassNotFound(klass.code)
        question.id = int(qid)
        klass.questions[question.id] = question
        return question

    question = staticmethod(find_question)

    def answer(self, klass: Class, qid: int, student: str, choice: int, client: str) -> None:
        """Record (or replace) this student's answer."""
        args = [qid, student, choice, client, self.students, self.per_client]
        got = [v.decode() for v in self._answer(keys=self._keys(klass.code), args=args)]
        if got[0] == "missing":
            raise QuestionNotFound(qid)
        if got[0] == "closed":
            raise QuestionClosed(f"question {qid} is {got[1]}: it takes no more answers")
        if got[0] == "full":
            raise ClassCrowded(f"question {qid} has {self.students} answers already", 503)
        if got[0] == "mine":
            raise ClassCrowded(
                f"this address has given {got[1]} answers to question {qid}, as many as one may",
                429,
            )

    def reveal(self, klass: Class, qid: int, what_happened: dict) -> Question:
        data = orjson.dumps(what_happened, option=orjson.OPT_SERIALIZE_NUMPY)
        got = self._reveal(keys=self._keys(klass.code), args=[qid, data]).decode()
        if got == "missing":
            raise QuestionNotFound(qid)
        if got == "revealed":
            raise QuestionClosed(f"question {qid} is revealed already")
        return self.get(klass.code).questions[qid]
