"""Training sessions: create, read, step, change live, reset, inspect, check, delete.

Handlers are plain `def` (NumPy work runs in FastAPI's thread pool) and hold the session's
lock for everything that reads or changes its trainer, so concurrent requests on one session
are whole steps, one after the other.
"""

from __future__ import annotations

import math
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query, Response

from nncore.trainer import Config as CoreConfig
from nncore.trainer import Hidden, Trainer

from ..deps import SettingsDep, Store
from ..equations import example_equations
from ..responses import ERRORS, json_response
from ..schemas import (
    Config,
    ConfigPatch,
    Error,
    Example,
    Frame,
    Gradcheck,
    ResetRequest,
    Session,
    StepRequest,
    WeightEdit,
)
from ..serialize import example_dict, frame_dict, gradcheck_dict, session_dict

router = APIRouter(prefix="/api/sessions", tags=["sessions"])

SessionId = Annotated[str, Path(max_length=64, description="The id from the create response.")]
Grids = Annotated[
    Literal["none", "output", "all"],
    Query(description="Maps to include in the returned frame."),
]


def _core_config(c: Config) -> CoreConfig:
    d = c.model_dump()
    d["features"] = tuple(d["features"])
    d["hidden"] = tuple(Hidden(**h) for h in d["hidden"])
    return CoreConfig(**d)


def _state(session_id: str, t: Trainer, grids: str, history: bool, status: int = 200):
    frame = t.frame(grids=grids)
    return json_response(session_dict(session_id, t, frame, history), status)


@router.post(
    "", status_code=201, responses={201: {"model": Session}, **ERRORS, 503: {"model": Error}}
)
def create_session(
    store: Store, config: Annotated[Config | None, Body()] = None, grids: Grids = "all"
) -> Response:
    """Create a training session from a configuration (every field optional)."""
    trainer = Trainer(_core_config(config or Config()))
    session = store.create(trainer)
    with session.lock:
        return _state(session.id, trainer, grids, history=False, status=201)


@router.get("/{session_id}", responses={200: {"model": Session}, **ERRORS})
def get_session(session_id: SessionId, store: Store, grids: Grids = "all") -> Response:
    """The session's current state, with its history (one entry per step request)."""
    session = store.get(session_id)
    with session.lock:
        return _state(session.id, session.trainer, grids, history=True)


@router.patch("/{session_id}", responses={200: {"model": Session}, **ERRORS})
def change_session(
    session_id: SessionId, patch: ConfigPatch, store: Store, grids: Grids = "all"
) -> Response:
    """Change any part of the configuration live; the weights are kept where they fit."""
    session = store.get(session_id)
    changes = patch.model_dump(exclude_none=True)
    with session.lock:
        session.trainer.apply(**changes)
        return _state(session.id, session.trainer, grids, history=True)


@router.post(
    "/{session_id}/step", responses={200: {"model": Frame}, **ERRORS, 409: {"model": Error}}
)
def step_session(
    session_id: SessionId,
    store: Store,
    settings: SettingsDep,
    request: Annotated[StepRequest | None, Body()] = None,
) -> Response:
    """Train: run mini-batch updates (or whole epochs) and return the frame after the last."""
    r = request or StepRequest()
    session = store.get(session_id)
    with session.lock:
        t = session.trainer
        if r.unit == "epoch":
            per_epoch = math.ceil(t.m_train / min(t.config.batch_size, t.m_train))
            if r.steps * per_epoch > settings.max_updates:
                raise ValueError(
                    f"steps: {r.steps} epochs of {per_epoch} mini-batches exceed the "
                    f"{settings.max_updates} updates one request may run; ask for at most "
                    f"{max(1, settings.max_updates // per_epoch)} epochs"
                )
        t0 = time.perf_counter()
        body = frame_dict(t.step(r.steps, r.unit, trace=r.trace, grids=r.grids))
        response = json_response(body)
        # how long the server spent, for the page's own measurements (bench/bench_page.py)
        ms = (time.perf_counter() - t0) * 1e3
        response.headers["Server-Timing"] = f"step;dur={ms:.2f}"
        return response


@router.post("/{session_id}/reset", responses={200: {"model": Session}, **ERRORS})
def reset_session(
    session_id: SessionId,
    store: Store,
    request: Annotated[ResetRequest | None, Body()] = None,
    grids: Grids = "all",
) -> Response:
    """Back to step 0: the seed's data and initial weights (the same seed gives the same)."""
    session = store.get(session_id)
    with session.lock:
        session.trainer.reset((request or ResetRequest()).seed)
        return _state(session.id, session.trainer, grids, history=True)


@router.put("/{session_id}/weights", responses={200: {"model": Frame}, **ERRORS})
def edit_weight(
    session_id: SessionId, edit: WeightEdit, store: Store, grids: Grids = "all"
) -> Response:
    """Set one weight W[l][j, k] (or bias b[l][j]) by hand; returns the frame at once."""
    session = store.get(session_id)
    with session.lock:
        session.trainer.set_parameter(edit.layer, edit.row, edit.col, edit.value)
        return json_response(frame_dict(session.trainer.frame(grids=grids)))


@router.get("/{session_id}/examples/{index}", responses={200: {"model": Example}, **ERRORS})
def example(
    session_id: SessionId,
    index: Annotated[int, Path(ge=0, le=10**6, description="Training-set index.")],
    store: Store,
    equations: Annotated[
        bool, Query(description="Also the notes' equations with these numbers (LaTeX, MathML).")
    ] = False,
) -> Response:
    """One training example's forward and backward record at the current weights."""
    session = store.get(session_id)
    with session.lock:
        t = session.trainer
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


@router.get("/{session_id}/gradcheck", responses={200: {"model": Gradcheck}, **ERRORS})
def gradcheck(session_id: SessionId, store: Store) -> Response:
    """Backprop's dW, db against centered differences, per layer, with the relative error."""
    session = store.get(session_id)
    with session.lock:
        t = session.trainer
        checks = t.gradcheck()
        return json_response(gradcheck_dict(checks, min(64, t.m_train)))


@router.delete("/{session_id}", status_code=204, responses=ERRORS)
def delete_session(session_id: SessionId, store: Store) -> Response:
    """Forget the session."""
    store.delete(session_id)
    return Response(status_code=204)
