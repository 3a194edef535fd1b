"""Training sessions: create, read, step, change live, reset, restore after a divergence,
scrub and rewind the timeline, inspect (an example, a neuron, a weight), check, delete.

Every handler's NumPy work runs in a worker thread under the session's lock (app/work.py), so
concurrent requests on one session are whole steps, one after the other, and a heavy request
waits for a compute slot without holding a thread. A step request's work is estimated before
it runs (nncore/cost.py): beyond the budget it is a 422 naming the most steps allowed.
"""

import time
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query, Response

from nncore import modelfile
from nncore.datasets import fitting
from nncore.errors import InputError
from nncore.features import FEATURES
from nncore.trainer import ExampleRecord, Frame, Trainer

from ..deps import Client, LimitsDep, Store, WorkDep
from ..equations import example_equations, neuron_equations, weight_equations
from ..responses import ERRORS, json_response
from ..schemas import Equations, Error, Example, Gradcheck, Schemas, Timeline
from ..schemas import Frame as FrameModel
from ..serialize import example_dict, frame_dict, gradcheck_dict, session_dict, timeline_dict
from ..sessions import Session
from ..work import Work

SessionId = Annotated[str, Path(max_length=64, description="The id from the create response.")]
Grids = Annotated[
    Literal["none", "output", "all"],
    Query(description="Maps to include in the returned frame."),
]


def shown(session: Session, t: Trainer, frame: Frame, changed: bool = False) -> Frame:
    """The frame, also handed to the class following the session, if any (app/hub.py);
    `changed`: the configuration or the data may have changed too."""
    if session.follow is not None:
        session.follow(t, frame, changed)
    return frame


def state(session: Session, t: Trainer, grids: str, history: bool, status: int = 200) -> Response:
    frame = shown(session, t, t.frame(grids=grids), changed=True)
    return json_response(session_dict(session.id, t, frame, history), status)


async def on_session(
    work: Work, session: Session, fn: Callable[[Trainer], Response], estimate=None
) -> Response:
    """fn(trainer) under the session's lock, the trainer loaded and saved back under it;
    estimate(trainer) its seconds (default: a frame with every map, the most a read or a
    change computes)."""

    def run(t: Trainer) -> Response:
        try:
            return fn(t)
        finally:  # a step that diverged midway keeps the updates before it, as in memory
            session.save(t)

    cost = estimate or (lambda t: t.frame_cost("all"))
    return await work.locked(session.lock, cost, run, session.load, session.remote)


async def new_session(
    work: Work, store: Store, client: str, build: Callable[[], Trainer], grids: str
) -> Response:
    """A session from build() (in a worker thread), stored for this client, as a 201."""
    t = await work.compute(0.0, build)
    session = store.create(t, client)
    return await on_session(
        work, session, lambda t: state(session, t, grids, history=False, status=201)
    )


def check_unit(t: Trainer, l: int, j: int, k: int | None = None) -> None:
    """InputError naming l, j or k when the network has no layer l, unit j or input k."""
    net = t.net
    if not 1 <= l <= net.L:
        raise InputError("l", f"must be 1..{net.L}, got {l}")
    for name, value, n in (("j", j, net.sizes[l]), ("k", k, net.sizes[l - 1])):
        if value is not None and not 0 <= value < n:
            raise InputError(name, f"must be 0..{n - 1}, got {value}")


def record_of(t: Trainer, example: int) -> ExampleRecord:
    if not 0 <= example < t.m_train:
        raise InputError("example", f"must be 0..{t.m_train - 1}, got {example}")
    return t.example(example)


def layer_input(r: ExampleRecord, l: int):
    """a[l-1] of the example: the features for layer 1."""
    return r.a0 if l == 1 else r.layers[l - 2].a


def router(S: Schemas) -> APIRouter:
    r = APIRouter(prefix="/api/sessions", tags=["sessions"])
    Config, ConfigPatch, StepRequest = S.Config, S.ConfigPatch, S.StepRequest
    lim = S.limits
    LayerNo = Annotated[int, Path(ge=1, le=lim.max_hidden_layers + 1, description="Layer l, 1..L.")]
    UnitNo = Annotated[int, Path(ge=0, le=lim.max_units - 1, description="Unit j, 0-based.")]
    InputNo = Annotated[
        int, Path(ge=0, le=max(lim.max_units, len(FEATURES)) - 1, description="Input k, 0-based.")
    ]
    ExampleNo = Annotated[
        int, Query(ge=0, le=lim.max_samples, description="The example, a training-set index.")
    ]

    @r.post("", status_code=201, responses={201: {"model": S.Session}, **ERRORS})
    async def create_session(
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        client: Client,
        config: Annotated[Config | None, Body()] = None,
        grids: Grids = "all",
    ) -> Response:
        """Create a training session from a configuration (every field optional)."""
        d = (config or Config()).model_dump()
        if config is None or "dataset" not in config.model_fields_set:
            d["dataset"] = fitting(d["problem"], d["dataset"])  # multiclass alone: its first
        return await new_session(
            work, store, client, lambda: Trainer(modelfile.config_from_dict(d, limits)), grids
        )

    @r.get("/{session_id}", responses={200: {"model": S.Session}, **ERRORS})
    async def get_session(
        session_id: SessionId, store: Store, work: WorkDep, grids: Grids = "all"
    ) -> Response:
        """The session's current state, with its history (one entry per step request)."""
        session = store.get(session_id)
        return await on_session(work, session, lambda t: state(session, t, grids, True))

    @r.patch("/{session_id}", responses={200: {"model": S.Session}, **ERRORS})
    async def change_session(
        session_id: SessionId,
        patch: ConfigPatch,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        grids: Grids = "all",
    ) -> Response:
        """Change any part of the configuration live; the weights are kept where they fit."""
        session = store.get(session_id)
        changes = patch.model_dump(exclude_none=True)

        def change(t: Trainer) -> Response:
            t.apply(limits=limits, **changes)
            return state(session, t, grids, history=True)

        return await on_session(work, session, change)

    @r.post(
        "/{session_id}/step",
        responses={200: {"model": FrameModel}, **ERRORS, 409: {"model": Error}},
    )
    async def step_session(
        session_id: SessionId,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        request: Annotated[StepRequest | None, Body()] = None,
    ) -> Response:
        """Train: run mini-batch updates (or whole epochs) and return the frame after the last.

        The work of one request is bounded: a 422 names the most steps this network allows."""
        q = request or StepRequest()

        def step(t: Trainer) -> Response:
            t0 = time.perf_counter()
            frame = shown(session, t, t.step(q.steps, q.unit, q.trace, q.grids))
            response = json_response(frame_dict(frame))
            # how long the server spent, for the page's own measurements (bench/bench_page.py)
            ms = (time.perf_counter() - t0) * 1e3
            response.headers["Server-Timing"] = f"step;dur={ms:.2f}"
            return response

        session = store.get(session_id)
        return await on_session(
            work, session, step, lambda t: t.step_cost(q.steps, q.unit, q.grids, limits)
        )

    @r.post("/{session_id}/reset", responses={200: {"model": S.Session}, **ERRORS})
    async def reset_session(
        session_id: SessionId,
        store: Store,
        work: WorkDep,
        request: Annotated[S.ResetRequest | None, Body()] = None,
        grids: Grids = "all",
    ) -> Response:
        """Back to step 0: the seed's data and initial weights (the same seed gives the same)."""
        seed = request.seed if request else None

        def reset(t: Trainer) -> Response:
            t.reset(seed)
            return state(session, t, grids, history=True)

        session = store.get(session_id)
        return await on_session(work, session, reset)

    @r.post("/{session_id}/restore", responses={200: {"model": S.Session}, **ERRORS})
    async def restore_session(
        session_id: SessionId,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        request: Annotated[S.RestoreRequest | None, Body()] = None,
        grids: Grids = "all",
    ) -> Response:
        """After a divergence (409): back to its last_good_step, bit for bit, with a new
        learning rate if given; a 422 if the session has not diverged since it last changed."""
        rate = request.learning_rate if request else None

        def restore(t: Trainer) -> Response:
            t.restore(rate, limits)
            return state(session, t, grids, history=True)

        session = store.get(session_id)
        return await on_session(work, session, restore)

    @r.get("/{session_id}/frames", responses={200: {"model": Timeline}, **ERRORS})
    async def recorded_frames(session_id: SessionId, store: Store, work: WorkDep) -> Response:
        """The recorded steps of the session's timeline, and the abandoned future's history."""
        session = store.get(session_id)
        return await on_session(
            work, session, lambda t: json_response(timeline_dict(t)), lambda t: 0.0
        )

    @r.get(
        "/{session_id}/frames/{step}",
        responses={200: {"model": FrameModel}, **ERRORS, 404: {"model": Error}},
    )
    async def recorded_frame(
        session_id: SessionId,
        step: Annotated[int, Path(ge=0, le=lim.max_step_count, description="A recorded step.")],
        store: Store,
        work: WorkDep,
        grids: Grids = "all",
    ) -> Response:
        """The frame of a recorded step (its W and b as its step response had them), the maps
        recomputed from its parameters; a class following the session is shown it too. A step
        not recorded is a 404 naming the nearest recorded ones."""

        def scrub(t: Trainer) -> Response:
            try:
                frame = t.frame_at(step, grids)
            except InputError as e:
                return json_response({"detail": e.message, "code": e.code, "params": e.params}, 404)
            return json_response(frame_dict(shown(session, t, frame)))

        session = store.get(session_id)
        return await on_session(work, session, scrub, lambda t: t.frame_cost(grids))

    @r.post("/{session_id}/rewind", responses={200: {"model": S.Session}, **ERRORS})
    async def rewind_session(
        session_id: SessionId,
        request: S.RewindRequest,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        grids: Grids = "all",
    ) -> Response:
        """Continue from a recorded step: back to its state bit for bit (stepping on without a
        change repeats the original run exactly), with the settings given changed; the run
        after it becomes the abandoned future (timeline.abandoned). 422 for a step not
        recorded, naming the nearest."""
        changes = request.model_dump(exclude_none=True)
        step = changes.pop("step")

        def rewind(t: Trainer) -> Response:
            t.rewind(step, limits, **changes)
            return state(session, t, grids, history=True)

        session = store.get(session_id)
        return await on_session(work, session, rewind)

    @r.put("/{session_id}/weights", responses={200: {"model": FrameModel}, **ERRORS})
    async def edit_weight(
        session_id: SessionId,
        edit: S.WeightEdit,
        store: Store,
        work: WorkDep,
        grids: Grids = "all",
    ) -> Response:
        """Set one weight W[l][j, k] (or bias b[l][j]) by hand; returns the frame at once."""

        def set_weight(t: Trainer) -> Response:
            t.set_parameter(edit.layer, edit.row, edit.col, edit.value)
            return json_response(frame_dict(shown(session, t, t.frame(grids=grids))))

        session = store.get(session_id)
        return await on_session(work, session, set_weight)

    @r.get("/{session_id}/examples/{index}", responses={200: {"model": Example}, **ERRORS})
    async def example(
        session_id: SessionId,
        index: Annotated[int, Path(ge=0, le=10**6, description="Training-set index.")],
        store: Store,
        work: WorkDep,
        equations: Annotated[
            bool,
            Query(description="Also the notes' equations with these numbers (LaTeX, MathML)."),
        ] = False,
    ) -> Response:
        """One training example's forward and backward record at the current weights."""

        def inspect(t: Trainer) -> Response:
            record = t.example(index)
            body = example_dict(record, t.config.features)
            if equations:
                net = t.net
                body["equations"] = example_equations(
                    record,
                    [layer.W for layer in net.layers],
                    [layer.b[:, 0] for layer in net.layers],
                    [layer.activation for layer in net.layers],
                    t.config.problem,
                )
            return json_response(body)

        session = store.get(session_id)
        return await on_session(work, session, inspect, lambda t: 0.0)

    @r.get("/{session_id}/neurons/{l}/{j}", responses={200: {"model": Equations}, **ERRORS})
    async def neuron(
        session_id: SessionId,
        l: LayerNo,
        j: UnitNo,
        store: Store,
        work: WorkDep,
        example: ExampleNo = 0,
    ) -> Response:
        """Unit j of layer l for one example, written out with its numbers: its weights and
        bias, z = w^T a + b, a = g(z) and the slope g'(z)."""

        def detail(t: Trainer) -> Response:
            check_unit(t, l, j)
            r = record_of(t, example)
            layer, here = t.net.layers[l - 1], r.layers[l - 1]
            equations = neuron_equations(
                l,
                j,
                layer.W,
                layer.b[:, 0],
                layer_input(r, l),
                here.z,
                here.a,
                layer.activation,
                r.index,
            )
            return json_response({"equations": equations})

        return await on_session(work, store.get(session_id), detail, lambda t: 0.0)

    @r.get("/{session_id}/weights/{l}/{j}/{k}", responses={200: {"model": Equations}, **ERRORS})
    async def weight(
        session_id: SessionId,
        l: LayerNo,
        j: UnitNo,
        k: InputNo,
        store: Store,
        work: WorkDep,
        example: ExampleNo = 0,
        before: Annotated[
            float | None,
            Query(
                ge=-lim.max_parameter,
                le=lim.max_parameter,
                allow_inf_nan=False,
                description="W[l][j, k] before the last update(s), to write out the update.",
            ),
        ] = None,
        updates: Annotated[
            int,
            Query(ge=1, le=lim.max_step_count, description="How many updates since before."),
        ] = 1,
    ) -> Response:
        """W[l][j, k] now, one example's dW, the last mini-batch's dW and, given the weight
        before, the update that made it (as W - alpha dW for one plain gradient descent step)."""

        def detail(t: Trainer) -> Response:
            check_unit(t, l, j, k)
            r = record_of(t, example)
            c = t.config
            plain = c.optimizer == "sgd" and not c.l1 and not c.l2
            equations = weight_equations(
                l,
                j,
                k,
                float(t.net.layers[l - 1].W[j, k]),
                float(r.layers[l - 1].dz[j]),
                float(layer_input(r, l)[k]),
                float(t.net.dW[l - 1][j, k]),
                r.index,
                before,
                updates,
                c.learning_rate if plain else None,
            )
            return json_response({"equations": equations})

        return await on_session(work, store.get(session_id), detail, lambda t: 0.0)

    @r.get("/{session_id}/gradcheck", responses={200: {"model": Gradcheck}, **ERRORS})
    async def gradcheck(session_id: SessionId, store: Store, work: WorkDep) -> Response:
        """Backprop's dW, db against centered differences, per layer, with the relative error."""

        def check(t: Trainer) -> Response:
            return json_response(gradcheck_dict(t.gradcheck(), min(64, t.m_train)))

        session = store.get(session_id)
        # at most 64 examples x (100 weights + every bias) x 2 passes per layer
        return await on_session(work, session, check, lambda t: t.gradcheck_cost())

    @r.delete("/{session_id}", status_code=204, responses=ERRORS)
    def delete_session(session_id: SessionId, store: Store) -> Response:
        """Forget the session."""
        store.delete(session_id)
        return Response(status_code=204)

    return r
