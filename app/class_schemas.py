"""Pydantic models of class mode's requests (bounded by the core's table) and responses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from nncore.limits import Limits

from .questions import KINDS
from .schemas import Accuracy, Data, Frame, GradNorm, Int, Loss, TypedArray, _Strict

KindName = Literal[KINDS]  # type: ignore[valid-type]
PHASES = ("forward", "loss", "backward", "update")  # static/js/phases.js


@dataclass(frozen=True)
class ClassSchemas:
    QuestionRequest: type[BaseModel]
    RevealRequest: type[BaseModel]
    AnswerRequest: type[BaseModel]
    ViewRequest: type[BaseModel]


def build(lim: Limits, lessons: tuple[str, ...]) -> ClassSchemas:
    class Target(_Strict):
        """What a weight or point question is about."""

        layer: Int | None = Field(None, ge=1, le=lim.max_hidden_layers + 1, description="l")
        row: Int | None = Field(None, ge=0, le=lim.max_units - 1, description="j: W[l][j, k]")
        col: Int | None = Field(None, ge=0, le=63, description="k; null: the bias b[l][j]")
        index: Int | None = Field(
            None, ge=0, le=lim.max_samples - 1, description="A training example (point)."
        )

    Choice = Annotated[str, Field(min_length=1, max_length=lim.max_choice_length)]

    class QuestionRequest(_Strict):
        kind: KindName = Field(description="loss, gradient, weight, point, faster or choice.")
        prompt: str = Field(min_length=1, max_length=lim.max_prompt_length)
        choices: list[Choice] | None = Field(
            None,
            max_length=lim.max_choices,
            description="The labels (the page's language). loss: [up, down]; weight: [grow, "
            "shrink]; gradient: one per layer; point: one per class (those are the defaults "
            "when null); faster: the two settings; choice: 2..max_choices.",
        )
        target: Target | None = Field(
            None, description="weight: {layer, row, col}; point: {index}; else null."
        )
        steps: Int = Field(
            1, ge=1, le=lim.max_steps, description="What the reveal's step runs (loss: N)."
        )
        unit: Literal["batch", "epoch"] = "batch"

    class RevealRequest(_Strict):
        step: bool | None = Field(
            None,
            description="Run the question's steps on the teacher's session first (default: "
            "yes for loss, gradient, weight and point; no for faster and choice).",
        )
        answer: Int | None = Field(
            None,
            ge=0,
            le=lim.max_choices - 1,
            description="The right choice, for faster and choice (the others are observed).",
        )

    class AnswerRequest(_Strict):
        student: str = Field(
            min_length=1,
            max_length=lim.max_student_id_length,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="An id the device made for itself (kept on it): one answer per id.",
        )
        choice: Int = Field(ge=0, le=lim.max_choices - 1, description="Index into choices.")

    class ViewRequest(_Strict):
        lesson: Literal[lessons] | None = Field(  # type: ignore[valid-type]
            None, description="The lesson shown (its caption is in /api/lessons)."
        )
        phase: Literal[PHASES] | None = Field(  # type: ignore[valid-type]
            None, description="The slow-motion phase being shown."
        )
        slow: bool = Field(False, description="Slow motion is on.")

    return ClassSchemas(QuestionRequest, RevealRequest, AnswerRequest, ViewRequest)


class AttachRequest(_Strict):
    session_id: str = Field(max_length=64, description="The teacher's new session.")


# Responses -------------------------------------------------------------------------------


class ClassCreated(BaseModel):
    code: str = Field(description="The class code: for reading only.")
    teacher_token: str = Field(description="Authorization: Bearer <it> for teacher actions.")
    join_url: str = Field(description="Where students join (/join/{code}).")
    qr_svg: str = Field(description="An inline <svg> QR code of join_url.")


class StudentLayer(BaseModel):
    activation: str
    W: list[list[float | None]] = Field(description="W[l] (float32 digits).")
    b: list[list[float | None]]
    dW: list[list[float | None]]
    db: list[list[float | None]]
    grad_norm: GradNorm


class StudentFrame(BaseModel):
    """The teacher's frame reduced: maps at most 50 (output) and 16 (neurons) a side, all
    u1 typed arrays with their range, drawn over the setup's maps; no traces."""

    step: int = Field(description="The teacher's step counter.")
    epoch: int
    loss: Loss
    accuracy: Accuracy | None
    layers: list[StudentLayer]
    grid: StudentGrid | None = Field(description="null if no maps were computed yet.")


class StudentMaps(BaseModel):
    """What the student frames' maps are drawn over (they change with the data)."""

    resolution: int = Field(description="The output map is G x G (G points for 1 input).")
    x: list[float] = Field(description="Coordinates of the maps' columns (x1).")
    y: list[float] | None = Field(description="Of their rows (x2); null for 1 input.")
    neuron_resolution: int = Field(description="Each neuron's map is R x R.")
    input_names: list[str] | None
    inputs: TypedArray | None = Field(description="The input features' maps, u1 k,R,R.")


class StudentGrid(BaseModel):
    output: TypedArray | list[TypedArray] | None = Field(
        description="u1 map of A[L] over setup.maps (one per class for multi-class)."
    )
    neurons: list[TypedArray] | None = Field(description="Per layer, u1 n[l],R,R.")


class Setup(BaseModel):
    config: dict = Field(description="The session's configuration, as in GET /api/sessions/{id}.")
    data: Data
    maps: StudentMaps | None = Field(None, description="null until a frame with maps.")


class WhatHappened(BaseModel):
    answer: int | None = Field(description="The right choice's index; null: none or unknown.")
    before: float | None = Field(description="loss, weight: the value before; point: class.")
    after: float | None = Field(description="... and after.")
    values: list[float] | None = Field(description="gradient: ||dW[l]|| per layer after.")
    step: int = Field(description="The teacher's step counter at the reveal.")
    epoch: int


class QuestionInfo(BaseModel):
    id: int
    kind: KindName
    prompt: str
    choices: list[str]
    target: dict | None
    steps: int
    unit: str
    asked_at_step: int
    state: Literal["open", "closed", "revealed"] = Field(
        description="closed: a newer question replaced it before its reveal."
    )
    answers: int = Field(description="How many students answered.")
    counts: list[int] | None = Field(None, description="After the reveal (or for the teacher).")
    what_happened: WhatHappened | None = None


class QuestionCreated(BaseModel):
    id: int


class Results(BaseModel):
    counts: list[int] = Field(description="Answers per choice.")
    answers: int
    state: Literal["open", "closed", "revealed"]
    what_happened: WhatHappened | None


class Revealed(BaseModel):
    question: QuestionInfo
    frame: Frame | None = Field(description="The teacher's frame after the step (if run).")


class View(BaseModel):
    lesson: str | None = None
    phase: str | None = None
    slow: bool = False


class Tally(BaseModel):
    question: int | None = Field(description="The latest question's id.")
    answers: int = Field(description="Answers to it.")
    students: int = Field(description="Event streams following the class now.")


class ClassState(BaseModel):
    code: str
    join_url: str
    setup: Setup | None = Field(description="Configuration and data (null before a frame).")
    frame: StudentFrame | None
    question: QuestionInfo | None = Field(description="The latest question.")
    view: View
    students: int
