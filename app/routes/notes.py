"""The notes' own code run by the server: stateless, one request per run (nncore/notes_code.py)."""

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from nncore import notes_code
from nncore.limits import Limits

from ..deps import LimitsDep, WorkDep
from ..responses import BODY_ERRORS, json_response
from ..schemas import Int, _Strict


def request_model(lim: Limits) -> type[BaseModel]:
    """The two-layer run's body: the notes' sizes, bounded by the limits (defaults: a run of
    a few tenths of a second)."""

    def size(default: int, most: int, text: str):
        return Field(default, ge=1, le=most, description=text)

    d = notes_code.DEFAULTS

    class TwoLayerRequest(_Strict):
        N: Int = size(d["N"], lim.max_notes_examples, "Examples (the notes: 64).")
        D_in: Int = size(d["D_in"], lim.max_notes_inputs, "Inputs (the notes: 1000).")
        H: Int = size(d["H"], lim.max_notes_hidden, "Sigmoid hidden units (the notes: 100).")
        D_out: Int = size(d["D_out"], lim.max_notes_outputs, "Linear outputs (the notes: 10).")
        iterations: Int = size(
            d["iterations"],
            lim.max_notes_iterations,
            "Steps of each (the notes: 10000; the work of one request is bounded).",
        )
        seed: Int = Field(d["seed"], ge=0, le=lim.max_seed, description="Seeds x, y, w1, w2.")

    return TwoLayerRequest


class CodeLine(BaseModel):
    notes: str = Field(description="A line of the notes' code, as printed there.")
    product: str = Field(description="What the core computes for it; empty for none.")
    comment: str = Field(description="A remark on the core's line (English; the page translates).")


class TwoLayerRun(BaseModel):
    sizes: dict[str, int] = Field(description="N, D_in, H, D_out.")
    iterations: int
    seed: int
    rate: float = Field(description="The notes' learning rate.")
    alpha: float = Field(description="The core's rate for the same step: 2m times the notes'.")
    steps: list[int] = Field(description="The iterations kept (at most 200, first and last).")
    notes: list[float] = Field(description="The notes' loss sum((y_pred - y)^2) at each.")
    core: list[float] = Field(description="The core's loss at each, times 2m (notes' units).")
    max_relative_difference: float = Field(description="Over every iteration.")
    code: list[CodeLine]


def router(lim: Limits) -> APIRouter:
    r = APIRouter(prefix="/api/notes", tags=["notes"])
    Request = request_model(lim)

    @r.post("/two-layer", responses={200: {"model": TwoLayerRun}, **BODY_ERRORS})
    async def two_layer(request: Request, work: WorkDep, limits: LimitsDep) -> Response:
        """The CS231n notes' two-layer training code run as written (examples in rows) and by
        the core's Network (examples in columns), from the same data and weights: both loss
        sequences and their largest relative difference, and the code side by side."""
        q = request.model_dump()
        seconds = notes_code.run_seconds(
            q["N"], q["D_in"], q["H"], q["D_out"], q["iterations"], limits
        )
        result = await work.compute(seconds, lambda: notes_code.run(**q, lim=limits))
        N = q["N"]
        return json_response(
            {
                "sizes": dict(zip(("N", "D_in", "H", "D_out"), result.sizes, strict=True)),
                "iterations": q["iterations"],
                "seed": q["seed"],
                "rate": notes_code.RATE,
                "alpha": 2 * N * notes_code.RATE,
                "steps": result.iterations,
                "notes": result.notes,
                "core": result.core,
                "max_relative_difference": result.max_relative_difference,
                "code": notes_code.side_by_side(),
            }
        )

    return r
