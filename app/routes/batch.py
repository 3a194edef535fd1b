"""The last mini-batch as matrices, and the notes' loop over examples beside the matrix form.

Both read a session under its lock (app/routes/sessions.py's on_session). Before any step, and
after a change that drops the last mini-batch (new data, a new shape, loaded weights), there is
no mini-batch to show: a 409 whose code is "batch.none".
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from nncore.errors import MESSAGES
from nncore.trainer import Trainer
from nncore.vectorize import check_work, compare, estimate_seconds

from ..batch_equations import batch_view
from ..deps import LimitsDep, Store, WorkDep
from ..responses import ERRORS, json_response
from ..schemas import BatchView, Error, LoopComparison, Schemas
from .sessions import SessionId, on_session

# Tuning: seconds to recompute a mini-batch and typeset one of its equations (latex2mathml)
PER_EQUATION = 3e-3


def no_batch() -> Response:
    code = "batch.none"
    return json_response({"detail": MESSAGES[code], "code": code, "params": {}}, 409)


def router(S: Schemas) -> APIRouter:
    r = APIRouter(prefix="/api/sessions", tags=["sessions"])
    responses = {**ERRORS, 409: {"model": Error, "description": "No mini-batch yet."}}

    @r.get("/{session_id}/batch", responses={200: {"model": BatchView}, **responses})
    async def batch(session_id: SessionId, store: Store, work: WorkDep) -> Response:
        """The last mini-batch's step as matrices with its numbers: X (n[0], m), Z[l] = W[l]
        A[l-1] + b[l] with b added to every column, A[l], the loss, dZ[l], dW[l], db[l],
        dA[l-1]; at the weights before its update, so its dW and db are the frame's."""

        def view(t: Trainer) -> Response:
            b = t.last_batch()
            return no_batch() if b is None else json_response(batch_view(b, t.config.problem))

        session = store.get(session_id)
        # 6 L + 2 equations: X, Y, J, and Z, A, dZ, dW, db, dA of every layer (no dA[0])
        return await on_session(work, session, view, lambda t: PER_EQUATION * (6 * t.net.L + 2))

    @r.get("/{session_id}/vectorize", responses={200: {"model": LoopComparison}, **responses})
    async def vectorize(
        session_id: SessionId,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        data: Annotated[
            Literal["train", "batch"],
            Query(description="The whole training set, or the last mini-batch (its weights)."),
        ] = "train",
        repeats: Annotated[
            int,
            Query(
                ge=1,
                le=S.limits.max_loop_examples,
                description="Timed runs of each form (the median is returned); examples x "
                "repeats is bounded by max_loop_examples: a 422 names the most allowed.",
            ),
        ] = 5,
    ) -> Response:
        """The notes' `for i = 1 to m` (one column of X at a time, in Python) beside the
        matrix form on the same data and weights: both timed, and how far apart their dW and
        db are. Both keep the loop over the layers."""

        def examples(t: Trainer) -> int:
            return min(t.config.batch_size, t.m_train) if data == "batch" else t.m_train

        def estimate(t: Trainer) -> float:
            check_work(examples(t), repeats, limits)  # a 422 before any work
            return estimate_seconds(t.net.sizes, examples(t), repeats)

        def run(t: Trainer) -> Response:
            if data == "batch":
                b = t.last_batch()
                if b is None:
                    return no_batch()
                net, X, Y = b.net, b.X, b.Y
            else:
                net, X, Y = t.net, t.X_train, t.Y_train
            c = compare(net, X, Y, repeats, limits)
            return json_response(
                {
                    "data": data,
                    "examples": c.examples,
                    "layers": c.layers,
                    "repeats": c.repeats,
                    "loop_seconds": c.loop_seconds,
                    "vectorized_seconds": c.vectorized_seconds,
                    "speedup": c.speedup,
                    "loop_iterations": c.loop_iterations,
                    "max_difference": c.max_difference,
                }
            )

        session = store.get(session_id)
        return await on_session(work, session, run, estimate)

    return r
