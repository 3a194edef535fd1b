"""The class store: classes, their teacher tokens, questions and anonymous answers.

A class belongs to one teacher session. Its code (6 letters and digits without look-alikes,
upper case, unique among the live classes) is for reading; its teacher token (256 random bits,
compared in constant time) is for acting. The store never hands out the session id: only the
routes that act for the teacher look it up.

Bounds: at most `cap` classes (when full, the one idle longest goes if it has been idle
`evict_idle_seconds`, else StoreFull); a class ends after `idle_seconds` without a teacher
action or a frame of its session; it keeps its last `questions` questions; one question takes
at most `students` answers, `students_per_client` from one address. An answer is one per
student id, replaced until the reveal; a revealed (or superseded) question keeps its counts only.

The store is an interface (ClassStore): MemoryClassStore here is the default, RedisClassStore
(app/redis_classes.py) keeps the same bounds in Redis for several workers.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from .sessions import StoreFull

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH = 6


class ClassNotFound(LookupError):
    pass


class QuestionNotFound(LookupError):
    pass


class NotTeacher(PermissionError):
    """No teacher token (401) or a wrong one (403)."""

    def __init__(self, given: bool):
        self.status = 403 if given else 401
        super().__init__(
            "this teacher token does not act for this class"
            if given
            else "teacher actions need Authorization: Bearer <teacher_token>"
        )


class QuestionClosed(RuntimeError):
    """An answer or a reveal for a question that no longer takes it (409)."""


class ClassCrowded(RuntimeError):
    """As many students (or answers) as a class, or one address in it, may have."""

    def __init__(self, message: str, status: int, retry_after: int = 30):
        self.status, self.retry_after = status, retry_after
        super().__init__(message)


@dataclass
class Question:
    id: int
    kind: str
    prompt: str
    choices: list[str]
    target: dict | None
    steps: int
    unit: str
    asked_at_step: int
    before: Any = None  # what the question looks at, when it was asked (app/questions.py)
    answers: dict[str, tuple[int, str]] = field(default_factory=dict)  # student: choice, client
    counts: list[int] = field(default_factory=list)
    state: str = "open"  # open, closed (a newer question replaced it), revealed
    what_happened: dict | None = None

    def __post_init__(self) -> None:
        self.counts = self.counts or [0] * len(self.choices)

    def public(self, counts: bool) -> dict:
        """The question as students see it; its tally only when `counts`."""
        out = {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "choices": self.choices,
            "target": self.target,
            "steps": self.steps,
            "unit": self.unit,
            "asked_at_step": self.asked_at_step,
            "state": self.state,
            "answers": sum(self.counts),
        }
        if counts:
            out["counts"] = list(self.counts)
            out["what_happened"] = self.what_happened
        return out


@dataclass
class Class:
    code: str
    token: str
    session_id: str
    last_active: float
    join_url: str = ""
    questions: OrderedDict[int, Question] = field(default_factory=OrderedDict)
    next_question: int = 1
    view: dict = field(default_factory=dict)

    @property
    def question(self) -> Question | None:
        """The latest question (open, or revealed), if any."""
        return next(reversed(self.questions.values()), None)


class Bounds(NamedTuple):
    """A class store's bounds (this module's docstring), in MemoryClassStore's order."""

    idle_seconds: float
    cap: int
    questions: int
    students: int
    students_per_client: int
    evict_idle_seconds: float = 300.0


class ClassStore(Protocol):
    remote: bool  # in another process (Redis): its calls block, run them in a thread

    def create(self, session_id: str, join: Callable[[str], str] = ...) -> Class: ...
    def get(self, code: str) -> Class: ...
    def teacher(self, code: str, token: str | None) -> Class: ...
    def touch(self, klass: Class) -> None: ...
    def end(self, code: str) -> Class: ...
    def set_view(self, klass: Class, view: dict) -> None: ...
    def move(self, klass: Class, session_id: str) -> None: ...
    def ask(self, klass: Class, question: Question) -> Question: ...
    def question(self, klass: Class, qid: int) -> Question: ...
    def answer(self, klass: Class, qid: int, student: str, choice: int, client: str) -> None: ...
    def reveal(self, klass: Class, qid: int, what_happened: dict) -> Question: ...


def find_question(klass: Class, qid: int) -> Question:
    """The class's question `qid` (QuestionNotFound if it has none, or no longer)."""
    q = klass.questions.get(qid)
    if q is None:
        raise QuestionNotFound(qid)
    return q


def normal_code(code: str) -> str:
    """A typed code as stored: upper case, without spaces or dashes."""
    return code.upper().replace("-", "").replace(" ", "")


class MemoryClassStore:
    remote = False

    def __init__(
        self,
        idle_seconds: float,
        cap: int,
        questions: int,
        students: int,
        students_per_client: int,
        evict_idle_seconds: float = 300.0,
        on_end: Callable[[Class], None] = lambda klass: None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.idle, self.cap, self.keep = idle_seconds, cap, questions
        self.students, self.per_client = students, students_per_client
        self.evict_idle, self.on_end, self.clock = evict_idle_seconds, on_end, clock
        self._classes: dict[str, Class] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._classes)

    def _expire(self, now: float) -> None:
        for klass in [c for c in self._classes.values() if now - c.last_active > self.idle]:
            self._forget(klass)

    def _forget(self, klass: Class) -> None:
        del self._classes[klass.code]
        self.on_end(klass)

    def _new_code(self) -> str:
        while True:  # 31^6 codes: a collision is rare, and checked
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self._classes:
                return code

    def create(self, session_id: str, join: Callable[[str], str] = lambda code: "") -> Class:
        """A new class of this session (ending the one it had); join(code): its address."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            for old in [c for c in self._classes.values() if c.session_id == session_id]:
                self._forget(old)
            if len(self._classes) >= self.cap:
                oldest = min(self._classes.values(), key=lambda c: c.last_active)
                if now - oldest.last_active < self.evict_idle:
                    raise StoreFull(round(self.evict_idle - (now - oldest.last_active)) + 1)
                self._forget(oldest)
            klass = Class(self._new_code(), secrets.token_urlsafe(32), session_id, now)
            klass.join_url = join(klass.code)
            self._classes[klass.code] = klass
            return klass

    def get(self, code: str) -> Class:
        now = self.clock()
        with self._lock:
            self._expire(now)
            klass = self._classes.get(normal_code(code))
            if klass is None:
                raise ClassNotFound(code)
            return klass

    def teacher(self, code: str, token: str | None) -> Class:
        """The class, if `token` is its teacher's (NotTeacher otherwise); counts as activity."""
        klass = self.get(code)
        if not token:
            raise NotTeacher(given=False)
        if not secrets.compare_digest(token.encode(), klass.token.encode()):
            raise NotTeacher(given=True)
        self.touch(klass)
        return klass

    def touch(self, klass: Class) -> None:
        klass.last_active = self.clock()

    def end(self, code: str) -> Class:
        with self._lock:
            klass = self.get(code)
            self._forget(klass)
            return klass

    def set_view(self, klass: Class, view: dict) -> None:
        klass.view = view

    def move(self, klass: Class, session_id: str) -> None:
        klass.session_id = session_id

    def ask(self, klass: Class, question: Question) -> Question:
        """Open `question` (its id is given here); the open one is closed, keeping its counts."""
        with self._lock:
            for q in klass.questions.values():
                if q.state == "open":
                    q.state, q.answers = "closed", {}
            question.id = klass.next_question
            klass.next_question += 1
            klass.questions[question.id] = question
            while len(klass.questions) > self.keep:
                klass.questions.popitem(last=False)
            return question

    question = staticmethod(find_question)

    def answer(self, klass: Class, qid: int, student: str, choice: int, client: str) -> None:
        """Record (or replace) this student's answer."""
        with self._lock:
            q = self.question(klass, qid)
            if q.state != "open":
                raise QuestionClosed(f"question {qid} is {q.state}: it takes no more answers")
            old = q.answers.get(student)
            if old is None:
                if len(q.answers) >= self.students:
                    raise ClassCrowded(f"question {qid} has {self.students} answers already", 503)
                mine = Counter(c for _, c in q.answers.values())[client]
                if mine >= self.per_client:
                    raise ClassCrowded(
                        f"this address has given {mine} answers to question {qid}, as many "
                        "as one may",
                        429,
                    )
            else:
                q.counts[old[0]] -= 1
            q.answers[student] = (choice, old[1] if old else client)
            q.counts[choice] += 1

    def reveal(self, klass: Class, qid: int, what_happened: dict) -> Question:
        with self._lock:
            q = self.question(klass, qid)
            if q.state == "revealed":
                raise QuestionClosed(f"question {qid} is revealed already")
            q.state, q.answers, q.what_happened = "revealed", {}, what_happened
            return q
