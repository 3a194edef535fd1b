"""Requests and responses of the vectorized gates (/api/circuits/vectorized/...), with their
bounds from the app's limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from nncore.limits import Limits

from .schemas import Text, _Strict

# entries stay small enough that every product and square is finite
Entry = Annotated[float, Field(allow_inf_nan=False, ge=-1e6, le=1e6)]


@dataclass(frozen=True)
class VectorRequests:
    SquaredNorm: type[BaseModel]
    ReluJacobian: type[BaseModel]


def build(lim: Limits) -> VectorRequests:
    side = lim.max_matrix_side
    Vector = Annotated[list[Entry], Field(min_length=1, max_length=side)]

    class SquaredNormRequest(_Strict):
        W: list[Vector] = Field(min_length=1, max_length=side, description="W, row by row.")
        x: Vector = Field(description="x, a column: one entry per column of W.")

    class ReluJacobianRequest(_Strict):
        x: Vector = Field(description="The input of y = max(0, x).")
        dy: Vector = Field(description="The gradient arriving from above, as long as x.")

    return VectorRequests(SquaredNormRequest, ReluJacobianRequest)


class VectorStep(BaseModel):
    name: str
    code: str = Field(description="The notes' NumPy line.")
    shape: list[int] = Field(description="[rows, columns]; [] for a number.")
    value: list[list[float]] | float
    latex: str
    mathml: str


class SquaredNormResponse(BaseModel):
    inputs: list[VectorStep]
    forward: list[VectorStep]
    backward: list[VectorStep]
    wrong: VectorStep | None = Field(
        description="x.T.dot(dq), the order whose shape is not W's (for a square W)."
    )


class JacobianSize(BaseModel):
    width: int = Field(description="The notes' input: a vector of 4096.")
    entries: int = Field(description="Entries of its Jacobian, width x width.")
    diagonal: int = Field(description="How many of them can be other than 0.")
    batch: int
    batch_width: int
    batch_entries: int


class ReluJacobianResponse(BaseModel):
    inputs: list[VectorStep]
    forward: list[VectorStep]
    backward: list[VectorStep]
    notes: JacobianSize


class VectorPreset(_Strict):
    id: str
    kind: Literal["squared-norm", "relu-jacobian"]
    title: Text
    caption: Text
    values: dict[str, list[list[float]] | list[float]]
