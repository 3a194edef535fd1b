"""Class mode: students follow the teacher's session on their own devices, answer questions
before a step, and see the reveal.

The teacher starts a class from a session (POST /api/sessions/{id}/class) and gets its code,
the teacher token, the join address and its QR code. Students read the class by its code: its
state, and its event stream (`setup`, `view`, `frame`, `question`, `tally`, `reveal`, `end`;
app/hub.py). Teacher actions carry `Authorization: Bearer <teacher_token>` (401 without it, 403
with another). Nothing a student receives holds the session id. Joins (state, events, the join
page, results) and answers are rate-limited per client address (settings class_*).
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Annotated, Literal

import anyio
import segno
from fastapi import APIRouter, Body, FastAPI, Header, Path, Query, Request, Response, Security
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.sse import KEEPALIVE_COMMENT, EventSourceResponse
from orjson import Fragment

from nncore import modelfile
from nncore.errors import InputError
from nncore.trainer import Trainer

from .. import class_schemas as cs
from .. import questions
from ..classes import (
    Bounds,
    Class,
    ClassCrowded,
    ClassNotFound,
    MemoryClassStore,
    NotTeacher,
    Question,
    QuestionClosed,
    QuestionNotFound,
    normal_code,
)
from ..deps import Client, LimitsDep, Store, WorkDep
from ..hub import Channel, LocalHub
from ..lan import join_base
from ..ratelimit import PerClient, RateLimited
from ..responses import ERRORS, json_response
from ..schemas import Error, Schemas
from ..serialize import frame_dict
from ..sessions import Session
from ..settings import Settings
from ..student_frame import setup_parts
from .meta import LESSONS
from .pages import TEMPLATES
from .sessions import Grids, SessionId, new_session, on_session, shown

Code = Annotated[str, Path(max_length=16, description="The class code (any case).")]
QuestionId = Annotated[int, Path(ge=1, le=2**31, description="From the ask response.")]
bearer = HTTPBearer(auto_error=False, description="The teacher_token of the class.")
Token = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


_E = {
    401: {"model": Error, "description": "No teacher token."},
    403: {"model": Error, "description": "Not this class's teacher token."},
    404: {"model": Error, "description": "No such class (or question), or it ended."},
    409: {"model": Error, "description": "The question takes no more answers or reveals."},
    429: {"model": Error, "description": "This address is too fast or holds its share."},
    503: {"model": Error, "description": "The class (or server) is full: see Retry-After."},
}
READ = {**{k: _E[k] for k in (404, 429)}, 422: ERRORS[422]}
BODY = {k: ERRORS[k] for k in (400, 413, 415, 422)}
TEACHER = {**{k: _E[k] for k in (401, 403, 404)}, 422: ERRORS[422]}


def _token(creds: HTTPAuthorizationCredentials | None) -> str | None:
    return creds.credentials if creds else None


def _qr(url: str) -> str:
    # error level M survives a projector's glare; the page scales the SVG (a quiet zone of 4)
    return segno.make(url, error="m").svg_inline(scale=10, border=4, dark="#000", light="#fff")


def join_url(request: Request, code: str, lang: str | None = None) -> str:
    """Where students join: the teacher's page in Chinese gives the students' pages Chinese."""
    s = request.app.state.settings
    base = join_base(s.public_url, s.host, s.port, request.headers.get("host", ""))
    return f"{base}/join/{code}" + (f"?lang={lang}" if lang and lang != "en" else "")


async def act(classes, fn: Callable, *args):
    """fn(*args) of the class store: in a worker thread when it is Redis (its calls block)."""
    if classes.remote:
        return await anyio.to_thread.run_sync(lambda: fn(*args))
    return fn(*args)


async def take(rate: PerClient, client: str) -> None:
    """A token of this client's bucket of `rate` (RateLimited without)."""
    await act(rate, rate.take, client)


def router(S: Schemas) -> APIRouter:
    C = cs.build(S.limits, tuple(lesson.id for lesson in LESSONS))
    r = APIRouter(tags=["classes"])

    def app_state(request: Request):
        st = request.app.state
        return st.classes, st.hub

    def follow(session: Session, klass: Class, channel: Channel, classes) -> None:
        """The session's frames go to this class's students from now on."""

        def told(t: Trainer, frame, changed: bool) -> None:
            if channel.ended or klass.session_id != session.id:
                if session.follow is told:
                    session.follow = None  # the class ended or follows another session
                return
            classes.touch(klass)
            channel.offer(frame, setup_parts(t) if changed else None)

        session.follow = told

    def attach(session: Session, klass: Class, classes, hub) -> None:
        """In memory, the session's hook feeds this class's channel; in Redis the session
        finds its class there by itself (app/redis_store.py)."""
        if not hub.remote:
            follow(session, klass, hub.get(klass.code), classes)

    async def publish_now(work, session: Session, hub, code: str) -> None:
        """The session's current frame and setup, sent to the students before returning."""
        await on_session(work, session, lambda t: shown(session, t, t.frame(grids="all"), True))
        await hub.flush(code)

    @r.post(
        "/api/sessions/{session_id}/class",
        status_code=201,
        responses={201: {"model": cs.ClassCreated}, **ERRORS},
    )
    async def start_class(
        session_id: SessionId,
        request: Request,
        store: Store,
        work: WorkDep,
        lang: Annotated[
            Literal["en", "zh"] | None,
            Query(description="The students' pages' language (the teacher's): in join_url."),
        ] = None,
    ) -> Response:
        """Start a class following this session (a session has one class: a new one ends the
        one before). Keep teacher_token: it is shown once. Show join_url and qr_svg."""
        classes, hub = app_state(request)
        session = store.get(session_id)
        klass = await act(classes, classes.create, session.id, lambda c: join_url(request, c, lang))
        hub.open(klass.code)
        attach(session, klass, classes, hub)
        await publish_now(work, session, hub, klass.code)
        body = {
            "code": klass.code,
            "teacher_token": klass.token,
            "join_url": klass.join_url,
            "qr_svg": _qr(klass.join_url),
        }
        return json_response(body, 201)

    @r.get("/api/classes/{code}", responses={200: {"model": cs.ClassState}, **READ})
    async def class_state(code: Code, request: Request, client: Client) -> Response:
        """The class as a student sees it: setup (configuration and data), the latest student
        frame, the latest question (its counts only after the reveal), the teacher's view."""
        classes, hub = app_state(request)
        await take(request.app.state.joins, client)
        klass = await act(classes, classes.get, code)
        latest = await hub.latest(klass.code)
        q = klass.question
        body = {
            "code": klass.code,
            "join_url": klass.join_url,
            "setup": Fragment(latest["setup"]) if "setup" in latest else None,
            "frame": Fragment(latest["frame"]) if "frame" in latest else None,
            "question": q.public(counts=q.state == "revealed") if q else None,
            "view": klass.view or {"lesson": None, "phase": None, "slow": False},
            "students": await hub.students(klass.code),
        }
        return json_response(body)

    @r.get(
        "/api/classes/{code}/events",
        # Not response_class=EventSourceResponse: FastAPI would then encode what a generator
        # yields for each follower; this route returns one with the events' ready bytes.
        responses={
            200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
            **READ,
            503: _E[503],
        },
    )
    async def class_events(
        code: Code,
        request: Request,
        client: Client,
        last_event_id: Annotated[
            str | None, Header(description="The last event id seen (not a number: none).")
        ] = None,
    ) -> Response:
        """Server-sent events: `setup` {config, data}, `view` {lesson, phase, slow}, `frame`
        (a student frame: its `step` is the teacher's), `question` (a question opened),
        `tally` {question, answers, students}, `reveal` (the question with counts and
        what_happened), `end`. Each has an id; the stream starts with the latest of each newer
        than Last-Event-ID (all of them without it), so a reconnection resumes at the latest
        frame. Comment lines keep an idle stream open."""
        classes, hub = app_state(request)
        await take(request.app.state.joins, client)
        klass = await act(classes, classes.get, code)
        s = request.app.state.settings
        given = last_event_id or ""
        after = int(given) if given.isdigit() and len(given) <= 18 else None
        cap, per_client = s.class_students, s.class_students_per_client
        follower, start = await hub.join(klass, client, after, cap, per_client)

        async def stream() -> AsyncIterator[bytes]:
            try:
                yield b"".join(start)
                while True:
                    try:
                        async with asyncio.timeout(s.class_ping_seconds):  # no task per wait
                            await follower.wake.wait()
                    except TimeoutError:
                        try:
                            await act(classes, classes.get, klass.code)  # an idle class ends
                        except ClassNotFound:
                            hub.gone(klass.code)  # its streams get `end`
                        if not follower.items:
                            yield KEEPALIVE_COMMENT
                            continue
                    follower.wake.clear()
                    if follower.dropped:
                        return
                    batch = list(follower.items)
                    follower.items.clear()
                    yield b"".join(e.wire for e in batch)
                    if any(e.kind == "end" for e in batch):
                        return
            finally:
                with anyio.CancelScope(shield=True):  # a closed stream still leaves
                    await hub.leave(klass, follower)

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return EventSourceResponse(stream(), headers=headers)

    @r.post(
        "/api/classes/{code}/questions",
        status_code=201,
        responses={201: {"model": cs.QuestionCreated}, **TEACHER, **BODY, **ERRORS},
    )
    async def ask(
        code: Code,
        body: C.QuestionRequest,
        token: Token,
        request: Request,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
    ) -> Response:
        """Open a question (the teacher): its kind's choices are checked against the session
        (a 422 names the field); the question open before is closed. Students get `question`."""
        classes, hub = app_state(request)
        klass = await act(classes, classes.teacher, code, _token(token))
        session = store.get(klass.session_id)
        target = body.target.model_dump() if body.target else None

        def prepare(t: Trainer):
            choices, aim = questions.check(body.kind, body.choices, target, t, limits)
            return choices, aim, questions.observe(body.kind, aim, t), t.step_count

        choices, aim, before, step = await on_session(work, session, prepare, lambda t: 0.0)
        q = Question(0, body.kind, body.prompt, choices, aim, body.steps, body.unit, step, before)
        q = await act(classes, classes.ask, klass, q)
        await hub.send(klass, "question", q.public(counts=False))
        hub.tally(klass)
        return json_response({"id": q.id}, 201)

    @r.post(
        "/api/classes/{code}/questions/{qid}/answers",
        status_code=204,
        responses={**READ, **BODY, 409: _E[409], 503: _E[503]},
    )
    async def answer(
        code: Code, qid: QuestionId, body: C.AnswerRequest, request: Request, client: Client
    ) -> Response:
        """A student's answer: one per student id, a later one replacing it until the reveal."""
        classes, hub = app_state(request)
        await take(request.app.state.answers, client)
        klass = await act(classes, classes.get, code)
        q = classes.question(klass, qid)
        if body.choice >= len(q.choices):
            raise InputError("choice", f"must be 0..{len(q.choices) - 1}, got {body.choice}")
        await act(classes, classes.answer, klass, qid, body.student, body.choice, client)
        hub.tally(klass)
        return Response(status_code=204)

    @r.get(
        "/api/classes/{code}/questions/{qid}",
        responses={200: {"model": cs.Results}, **READ, **TEACHER},
    )
    async def results(
        code: Code, qid: QuestionId, token: Token, request: Request, client: Client
    ) -> Response:
        """The answers' counts per choice: after the reveal to anyone, before it only with the
        teacher token."""
        classes, _ = app_state(request)
        await take(request.app.state.joins, client)
        klass = await act(classes, classes.get, code)
        q = classes.question(klass, qid)
        if q.state != "revealed":
            await act(classes, classes.teacher, code, _token(token))
        body = {
            "counts": q.counts,
            "answers": sum(q.counts),
            "state": q.state,
            "what_happened": q.what_happened,
        }
        return json_response(body)

    @r.post(
        "/api/classes/{code}/questions/{qid}/reveal",
        responses={200: {"model": cs.Revealed}, **TEACHER, **BODY, **ERRORS, 409: _E[409]},
    )
    async def reveal(
        code: Code,
        qid: QuestionId,
        token: Token,
        request: Request,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        body: Annotated[C.RevealRequest | None, Body()] = None,
    ) -> Response:
        """Close the answers and show what happened (the teacher). With step (the default
        for the observed kinds) the question's steps run on the teacher's session first, and
        what_happened compares the state just before them with the state after; without,
        it compares the state when the question was asked with now. Students get the step's
        frame, then `reveal`; the response has the teacher's full frame of the step."""
        classes, hub = app_state(request)
        klass = await act(classes, classes.teacher, code, _token(token))
        q = classes.question(klass, qid)
        if q.state == "revealed":
            raise QuestionClosed(f"question {qid} is revealed already")
        ask = body or C.RevealRequest()
        run = ask.step if ask.step is not None else q.kind in questions.OBSERVED
        session = store.get(klass.session_id)

        def go(t: Trainer):
            before, frame = q.before, None
            if run:
                before = questions.observe(q.kind, q.target, t)
                frame = frame_dict(shown(session, t, t.step(q.steps, q.unit, grids="all")))
            after = questions.observe(q.kind, q.target, t)
            n = len(q.choices)
            return questions.what_happened(q.kind, before, after, n, ask.answer, t), frame

        def cost(t: Trainer) -> float:
            return t.step_cost(q.steps, q.unit, "all", limits) if run else 0.0

        what, frame = await on_session(work, session, go, cost)
        q = await act(classes, classes.reveal, klass, qid, what)
        await hub.flush(klass.code)  # the step's frame reaches the students before the reveal
        await hub.send(klass, "reveal", q.public(counts=True))
        return json_response({"question": q.public(counts=True), "frame": frame})

    @r.put("/api/classes/{code}/view", status_code=204, responses={**TEACHER, **BODY})
    async def set_view(code: Code, body: C.ViewRequest, token: Token, request: Request):
        """What the teacher's page shows besides the network: the lesson and the slow-motion
        phase. Students get `view`."""
        classes, hub = app_state(request)
        klass = await act(classes, classes.teacher, code, _token(token))
        await act(classes, classes.set_view, klass, body.model_dump())
        await hub.send(klass, "view", klass.view)
        return Response(status_code=204)

    @r.put("/api/classes/{code}/session", status_code=204, responses={**TEACHER, **BODY, **ERRORS})
    async def move_class(
        code: Code,
        body: cs.AttachRequest,
        token: Token,
        request: Request,
        store: Store,
        work: WorkDep,
    ) -> Response:
        """Follow another session of the teacher (the page rebuilt its session): same code,
        same token, the students stay."""
        classes, hub = app_state(request)
        klass = await act(classes, classes.teacher, code, _token(token))
        session = store.get(body.session_id)
        await act(classes, classes.move, klass, session.id)
        attach(session, klass, classes, hub)
        await publish_now(work, session, hub, klass.code)
        return Response(status_code=204)

    @r.delete("/api/classes/{code}", status_code=204, responses=TEACHER)
    async def end_class(code: Code, token: Token, request: Request) -> Response:
        """End the class (the teacher): every student's stream gets `end`; the code is gone."""
        classes, _ = app_state(request)
        await act(classes, classes.teacher, code, _token(token))
        await act(classes, classes.end, code)
        return Response(status_code=204)

    @r.post(
        "/api/classes/{code}/explore",
        status_code=201,
        responses={201: {"model": S.Session}, **READ, **ERRORS},
    )
    async def explore(
        code: Code,
        request: Request,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        client: Client,
        grids: Grids = "all",
    ) -> Response:
        """Explore on my own: a new session of the student's, a copy of the teacher's now
        (configuration, data, weights, counters), which the student then changes freely."""
        classes, _ = app_state(request)
        klass = await act(classes, classes.get, code)
        teacher = store.get(klass.session_id)
        model = await on_session(work, teacher, modelfile.write, lambda t: 0.0)
        return await new_session(work, store, client, lambda: modelfile.read(model, limits), grids)

    return r


pages = APIRouter(include_in_schema=False)


@pages.get("/join/{code}", response_class=HTMLResponse)
async def join_page(code: Code, request: Request, client: Client) -> HTMLResponse:
    """The student page of a class: it follows the class's event stream (static/js/student.js).
    The options the network view is drawn with are embedded in it, as in the main page."""
    await take(request.app.state.joins, client)
    classes = request.app.state.classes
    try:
        found = (await act(classes, classes.get, code)).code
    except ClassNotFound:
        found = None
    context = {
        "code": found or normal_code(code),
        "found": found is not None,
        "options": request.app.state.options.model_dump(),
    }
    return TEMPLATES.TemplateResponse(
        request, "join.html", context, status_code=200 if found else 404
    )


def _answer(status: int):
    def handler(request: Request, exc: Exception) -> Response:
        code = getattr(exc, "status", status)
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else {}
        if hasattr(exc, "retry_after"):
            headers["Retry-After"] = str(exc.retry_after)
        return json_response({"detail": str(exc)}, code, headers)

    return handler


def install(app: FastAPI, S: Schemas, settings: Settings) -> None:
    """The class store, the hub, the rates, the routes and their errors: in memory, or in
    Redis with the sessions (BACKPROP_REDIS_URL), so that any worker serves any class."""
    bounds = Bounds(
        settings.class_idle_hours * 3600,
        settings.class_cap,
        settings.class_questions,
        settings.class_students,
        settings.class_students_per_client,
        settings.evict_idle_seconds,
    )
    rate = settings.class_frames_per_second
    if settings.redis_url:
        from ..redis_classes import RedisClassStore, RedisPerClient  # only with Redis
        from ..redis_hub import RedisHub

        app.state.classes = RedisClassStore(settings.redis_url, bounds)
        app.state.hub = RedisHub(settings.redis_url, rate, app.state.classes)
        app.state.store.feed = app.state.hub.feed(app.state.classes)
        per_client = partial(RedisPerClient, app.state.classes.redis)
    else:
        hub = app.state.hub = LocalHub(rate)
        app.state.classes = MemoryClassStore(*bounds, on_end=lambda klass: hub.close(klass.code))
        per_client = PerClient
    app.state.joins = per_client("joins", settings.class_joins_per_minute)
    app.state.answers = per_client("answers", settings.class_answers_per_minute)
    app.include_router(router(S))
    app.include_router(pages)
    not_found = {"detail": "no such class (it may have ended)"}
    app.add_exception_handler(ClassNotFound, lambda r, e: json_response(not_found, 404))
    app.add_exception_handler(
        QuestionNotFound, lambda r, e: json_response({"detail": "no such question"}, 404)
    )
    app.add_exception_handler(NotTeacher, _answer(401))
    app.add_exception_handler(QuestionClosed, _answer(409))
    app.add_exception_handler(ClassCrowded, _answer(503))
    app.add_exception_handler(RateLimited, _answer(429))
