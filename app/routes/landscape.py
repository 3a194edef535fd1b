"""The loss landscape over two weights of a session, with the optimizer's path through it
(nncore/landscape.py). Read under the session's lock; the session does not change."""

import re
import time
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from nncore.errors import InputError
from nncore.landscape import DEFAULT_N, Landscape, Pick, check, landscape
from nncore.trainer import Trainer

from ..deps import LimitsDep, Store, WorkDep
from ..responses import ERRORS, json_response
from ..schemas import Schemas
from .sessions import SessionId, check_unit, on_session

WEIGHT = re.compile(r"(\d{1,4}),(\d{1,4}),(\d{1,4})")


class Axis(BaseModel):
    l: int = Field(description="The weight W[l][j, k]: layer l from 1 ...")
    j: int = Field(description="... unit j of layer l from 0 ...")
    k: int = Field(description="... unit k of layer l - 1 from 0.")
    values: list[float] = Field(description="Its n values on the grid, evenly spaced.")


class PathPoint(BaseModel):
    step: int
    a: float = Field(description="W[a] at that step.")
    b: float = Field(description="W[b] at that step.")
    loss: float | None = Field(
        description="The training loss the run had there, with every weight as it was then "
        "(not the surface's, whose other weights are today's)."
    )


class LandscapeResponse(BaseModel):
    a: Axis
    b: Axis
    loss: list[list[float | None]] = Field(
        description="n x n: loss[i][q] is the training set's data loss at W[a] = a.values[i], "
        "W[b] = b.values[q], every other parameter at its current value (null: overflowed)."
    )
    path: list[PathPoint] = Field(description="The recorded states, in step order.")
    current: PathPoint = Field(description="Now.")
    seconds: float = Field(description="The server's time to compute it.")


def parse(field: str, text: str) -> Pick:
    m = WEIGHT.fullmatch(text.replace(" ", ""))
    if not m:
        raise InputError(field, f"must be l,j,k (the weight W[l][j, k]), got {text[:20]!r}")
    return Pick(*(int(g) for g in m.groups()))


def picked(t: Trainer, field: str, pick: Pick) -> None:
    """InputError naming the field (a or b) when the network has no weight W[l][j, k]."""
    try:
        check_unit(t, pick.l, pick.j, pick.k)
    except InputError as e:
        raise InputError(field, f"{e.field} {e.message}") from None


def landscape_dict(s: Landscape, step: int, seconds: float) -> dict:
    def axis(p: Pick, values) -> dict:
        return {"l": p.l, "j": p.j, "k": p.k, "values": values}

    path = zip(s.path_steps.tolist(), s.path_a, s.path_b, s.path_loss, strict=True)
    return {
        "a": axis(s.a, s.values_a),
        "b": axis(s.b, s.values_b),
        "loss": s.loss,  # non-finite numbers are written as null
        "path": [{"step": k, "a": a, "b": b, "loss": loss} for k, a, b, loss in path],
        "current": dict(zip(("step", "a", "b", "loss"), (step, *s.current), strict=True)),
        "seconds": seconds,
    }


def router(S: Schemas) -> APIRouter:
    r = APIRouter(prefix="/api/sessions", tags=["sessions"])
    lim = S.limits
    Weight = Annotated[
        str,
        Query(
            max_length=20,
            description="A weight W[l][j, k] as l,j,k (layer from 1, units from 0), e.g. 2,0,1.",
        ),
    ]

    @r.get("/{session_id}/landscape", responses={200: {"model": LandscapeResponse}, **ERRORS})
    async def loss_landscape(
        session_id: SessionId,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        a: Weight,
        b: Weight,
        n: Annotated[
            int,
            Query(
                ge=lim.min_landscape_grid,
                le=lim.max_landscape_grid,
                description="The grid's side: n x n values of the two weights (a large network "
                "allows fewer: a 422 names the most).",
            ),
        ] = DEFAULT_N,
    ) -> Response:
        """The training loss over an n x n grid of two weights, every other parameter fixed
        at its current value, with the optimizer's path through the recorded states."""
        wa, wb = parse("a", a), parse("b", b)

        def estimate(t: Trainer) -> float:
            picked(t, "a", wa)
            picked(t, "b", wb)
            return check(t, wa, wb, n, limits)

        def run(t: Trainer) -> Response:
            t0 = time.perf_counter()
            s = landscape(t, wa, wb, n)
            return json_response(landscape_dict(s, t.step_count, time.perf_counter() - t0))

        session = store.get(session_id)
        return await on_session(work, session, run, estimate)

    return r
