"""What the next step will do: the step request's frame, computed on a copy of the session.

The session is read under its lock (app/routes/sessions.py's on_session) and left exactly as it
was: its weights, optimizer slots, counters, batch order and history. The step request that
follows with the same arguments returns the previewed frame, bit for bit.
"""

from typing import Annotated

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, Field

from nncore.preview import Preview, cost, preview
from nncore.trainer import ExampleRecord, Trainer

from ..deps import LimitsDep, Store, WorkDep
from ..responses import ERRORS, json_response
from ..schemas import Error, Frame, Schemas
from ..serialize import finite_or_none, frame_dict
from .sessions import SessionId, on_session


class ExampleState(BaseModel):
    loss: float | None = Field(description="Its loss.")
    output: list[float] = Field(description="The network's output A[L] for it, (n[L],).")
    prediction: float = Field(description="The class (or value) it is given.")


class PreviewExample(BaseModel):
    index: int = Field(
        description="Training-set index: the one asked for, else the step's first traced example."
    )
    label: float
    before: ExampleState = Field(description="At the current weights.")
    after: ExampleState = Field(description="After the step.")


class Scores(BaseModel):
    train: float | None
    test: float | None


class Now(BaseModel):
    step: int
    loss: Scores = Field(description="The whole sets' data losses now (as the frame's).")
    accuracy: Scores | None = Field(description="Null for regression.")


class PreviewResponse(BaseModel):
    frame: Frame = Field(description="The frame the step request would return.")
    now: Now
    example: PreviewExample


def example_state(r: ExampleRecord) -> dict:
    return {"loss": finite_or_none(r.loss), "output": r.layers[-1].a, "prediction": r.prediction}


def preview_dict(t: Trainer, p: Preview) -> dict:
    train, test, acc_train, acc_test = p.before
    return {
        "frame": frame_dict(p.frame),
        "now": {
            "step": t.step_count,
            "loss": {"train": finite_or_none(train), "test": finite_or_none(test)},
            "accuracy": None if acc_train is None else {"train": acc_train, "test": acc_test},
        },
        "example": {
            "index": p.example,
            "label": p.example_before.label,
            "before": example_state(p.example_before),
            "after": example_state(p.example_after),
        },
    }


def router(S: Schemas) -> APIRouter:
    r = APIRouter(prefix="/api/sessions", tags=["sessions"])

    class PreviewRequest(S.StepRequest):
        example: int | None = Field(
            None,
            ge=0,
            le=S.limits.max_samples,
            description="The example to follow (a training-set index; default: the step's "
            "first traced example).",
        )

    @r.post(
        "/{session_id}/preview",
        responses={200: {"model": PreviewResponse}, **ERRORS, 409: {"model": Error}},
    )
    async def preview_step(
        session_id: SessionId,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        request: Annotated[PreviewRequest | None, Body()] = None,
    ) -> Response:
        """The next step without taking it: the frame a step request with these arguments
        would return, the losses now, and one example's loss and output before and after.
        The session does not change. A step that would diverge is a 409, as the step's."""
        q = request or PreviewRequest()

        def run(t: Trainer) -> Response:
            p = preview(t, q.steps, q.unit, q.trace, q.grids, q.example)
            return json_response(preview_dict(t, p))

        session = store.get(session_id)
        return await on_session(
            work, session, run, lambda t: cost(t, q.steps, q.unit, q.grids, limits)
        )

    return r
