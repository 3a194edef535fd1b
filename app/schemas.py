"""Pydantic models of every request and response, with their bounds.

Names of activations, problems, datasets, features, initializers and optimizers come from the
core's registries, so the schema (and the page, which reads /api/options) never holds a second
copy. Every number must be finite: JSON like 1e999 parses to infinity and is refused here.
Limits that a deployment may change come from the settings.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from nncore.activations import ACTIVATIONS
from nncore.datasets import DATASETS
from nncore.features import FEATURES
from nncore.initializers import INITIALIZERS
from nncore.losses import PROBLEMS
from nncore.network import MAX_HIDDEN_LAYERS, MAX_UNITS
from nncore.optimizers import OPTIMIZERS

from .settings import get_settings

_s = get_settings()

ActivationName = Literal[tuple(ACTIVATIONS)]  # type: ignore[valid-type]
ProblemName = Literal[tuple(PROBLEMS)]  # type: ignore[valid-type]
DatasetName = Literal[tuple(dict.fromkeys(n for p in DATASETS.values() for n in p))]  # type: ignore[valid-type]
FeatureName = Literal[tuple(FEATURES)]  # type: ignore[valid-type]
InitName = Literal[tuple(INITIALIZERS)]  # type: ignore[valid-type]
OptimizerName = Literal[tuple(OPTIMIZERS)]  # type: ignore[valid-type]

Finite = Annotated[float, Field(allow_inf_nan=False)]


class _Strict(BaseModel):
    # strict: no silent coercion (false is not 0, "3" is not 3); unknown fields are errors
    model_config = ConfigDict(extra="forbid", strict=True)


class HiddenLayer(_Strict):
    units: int = Field(4, ge=1, le=MAX_UNITS, description="Number of units n[l].")
    activation: ActivationName = Field("tanh", description="The layer's activation g[l].")


class Config(_Strict):
    """A session's configuration. In a create request every field is optional; defaults follow
    TensorFlow Playground's where it has one."""

    problem: ProblemName = Field("binary", description="The problem type.")
    dataset: DatasetName = Field(
        "circle", description="A dataset of the problem type (see /api/options)."
    )
    n_samples: int = Field(500, ge=10, le=_s.max_samples, description="Examples, train + test.")
    noise: Finite = Field(0.0, ge=0.0, le=1.0, description="Noise as a fraction; 0 is clean.")
    train_fraction: Finite = Field(0.5, ge=0.1, le=0.9, description="Share used for training.")
    classes: int = Field(3, ge=3, le=5, description="Classes of a multi-class dataset.")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="Seeds the data and initial weights.")
    features: list[FeatureName] = Field(
        ["x1", "x2"],
        min_length=1,
        max_length=len(FEATURES),
        json_schema_extra={"uniqueItems": True},
        description="Input features, each at most once.",
    )
    hidden: list[HiddenLayer] = Field(
        [HiddenLayer(units=4), HiddenLayer(units=2)],
        max_length=MAX_HIDDEN_LAYERS,
        description="Hidden layers, from the input to the output.",
    )
    init: InitName = Field("xavier", description="Weight initializer.")
    optimizer: OptimizerName = Field("sgd", description="Optimizer.")
    learning_rate: Finite = Field(0.03, gt=0.0, le=10.0, description="Learning rate alpha.")
    momentum: Finite = Field(0.9, ge=0.0, le=0.999, description="beta (momentum; Adam's beta1).")
    batch_size: int = Field(
        10, ge=1, le=_s.max_samples, description="Mini-batch size; above the set: full batch."
    )
    l1: Finite = Field(0.0, ge=0.0, le=10.0, description="L1 penalty rate.")
    l2: Finite = Field(0.0, ge=0.0, le=10.0, description="L2 penalty rate.")
    grid: int = Field(100, ge=10, le=_s.max_grid, description="Output map size G (G x G).")
    neuron_resolution: int = Field(
        32, ge=8, le=_s.max_neuron_resolution, description="Neuron map size R (R x R)."
    )


def _all_optional(model: type[BaseModel], name: str, doc: str) -> type[BaseModel]:
    """The model with every field optional and None by default, bounds kept."""
    fields: dict[str, Any] = {}
    for n, f in model.model_fields.items():
        typ = Annotated[f.annotation, *f.metadata] if f.metadata else f.annotation
        fields[n] = (typ | None, Field(None, description=f.description))
    return create_model(name, __base__=_Strict, __doc__=doc, **fields)


ConfigPatch = _all_optional(
    Config, "ConfigPatch", "Any subset of the configuration; a missing field stays as it is."
)


class StepRequest(_Strict):
    steps: int = Field(1, ge=1, le=_s.max_steps, description="How many units to run.")
    unit: Literal["batch", "epoch"] = Field(
        "batch", description="batch: mini-batch updates; epoch: whole passes over the data."
    )
    trace: bool = Field(False, description="Include Z, A, dZ, dA of the last mini-batch.")
    grids: Literal["none", "output", "all"] = Field(
        "none", description="Maps to include: none, the output's, or also every neuron's."
    )


class ResetRequest(_Strict):
    seed: int | None = Field(None, ge=0, le=2**31 - 1, description="New seed (default: same).")


Point = Annotated[list[Finite], Field(min_length=1, max_length=2)]


class PointSet(_Strict):
    X: list[Point] = Field(
        default_factory=list, max_length=_s.max_samples, description="Rows of 1 or 2 inputs."
    )
    y: list[Finite] = Field(
        default_factory=list,
        max_length=_s.max_samples,
        description="One label per row: 0/1, a class index, or a value.",
    )


class Scaling(_Strict):
    mean: list[Finite] = Field(min_length=1, max_length=2)
    std: list[Annotated[float, Field(gt=0, allow_inf_nan=False)]] = Field(
        min_length=1, max_length=2
    )
    factor: Finite = Field(gt=0, le=100)


class DataUpload(_Strict):
    """Points in plot coordinates; with no test points, the test numbers are the training
    set's."""

    train: PointSet
    test: PointSet = Field(default_factory=PointSet)
    scaling: Scaling | None = Field(None, description="Kept from an import, for the exports.")


class CsvUpload(_Strict):
    csv: str = Field(
        min_length=1,
        max_length=256_000,
        description="1 or 2 numeric input columns and a label column; a header row is optional.",
    )


class ModelLayer(_Strict):
    activation: str = Field(max_length=32)
    W: list[list[Finite]] = Field(max_length=MAX_UNITS, description="W[l], (n[l], n[l-1]).")
    b: list[list[Finite]] = Field(max_length=MAX_UNITS, description="b[l], (n[l], 1).")


class ModelFile(_Strict):
    """A trained network as Backprop Lab saves it: import it to continue training."""

    format: Literal["backprop-lab-model"]
    version: Literal[1]
    config: Config
    layers: list[ModelLayer] = Field(min_length=1, max_length=MAX_HIDDEN_LAYERS + 1)
    data: DataUpload | None = Field(None, description="The user's own points, if any.")
    step: int = Field(0, ge=0, description="Mini-batch updates so far: the count goes on from it.")
    epoch: int = Field(0, ge=0, description="Passes over the training set so far.")


class WeightEdit(_Strict):
    layer: int = Field(ge=1, le=MAX_HIDDEN_LAYERS + 1, description="Layer l, 1..L.")
    row: int = Field(ge=0, le=MAX_UNITS, description="Unit j of layer l (row of W[l]).")
    col: int | None = Field(
        None, ge=0, le=max(MAX_UNITS, len(FEATURES)), description="Column k; null edits b[l][j]."
    )
    value: Finite = Field(ge=-1e6, le=1e6, description="The new W[l][j, k] (or b[l][j]).")


# Responses -------------------------------------------------------------------------------

Matrix = list[list[float]]


class TypedArray(BaseModel):
    """A typed array as plotly.js 4 reads it: little-endian bytes in base64."""

    dtype: Literal["f4", "u1"] = Field(description="f4: float32; u1: 8-bit, see range.")
    bdata: str = Field(description="The bytes, base64.")
    shape: str = Field(description='Dimensions, e.g. "100,100" (row-major).')
    range: list[float] | None = Field(
        None, description="For u1: [lo, hi]; value = lo + (hi - lo) * q / 255."
    )


class Grid(BaseModel):
    resolution: int = Field(description="G: the output map is G x G (G points for 1 input).")
    x: list[float] = Field(description="Coordinates of the map's columns (input x1).")
    y: list[float] | None = Field(description="Coordinates of its rows (x2); null for 1 input.")
    output: TypedArray | list[TypedArray] | None = Field(
        description="f4 map of the output A[L] (one per class for multi-class)."
    )
    neuron_resolution: int = Field(description="R: each neuron's map is R x R.")
    neurons: list[TypedArray] | None = Field(
        description='Per layer 1..L, a u1 array of shape "n[l],R,R" (or "n[l],R"): A[l] maps.'
    )
    input_names: list[str] | None = Field(
        None, description="Every feature this data can feed (with neurons), in registry order."
    )
    inputs: TypedArray | None = Field(
        None, description='Their maps, u1 "k,R,R": the input features\' thumbnails.'
    )


class GradNorm(BaseModel):
    W: float = Field(description="||dW[l]|| (Frobenius).")
    b: float = Field(description="||db[l]||.")


class Layer(BaseModel):
    activation: str
    W: Matrix = Field(description="W[l] after the step, (n[l], n[l-1]).")
    b: Matrix = Field(description="b[l], (n[l], 1).")
    dW: Matrix = Field(description="dW[l] = (1/m) dZ[l] A[l-1]^T of the last mini-batch.")
    db: Matrix = Field(description="db[l] = (1/m) sum(dZ[l], axis=1).")
    grad_norm: GradNorm
    Z: Matrix | None = Field(None, description="Traced: Z[l], one column per traced example.")
    A: Matrix | None = Field(None, description="Traced: A[l].")
    dZ: Matrix | None = Field(None, description="Traced: dZ[l].")
    dA: Matrix | None = Field(None, description="Traced: dA[l], the gradient of A[l].")


class Loss(BaseModel):
    train: float | None = Field(description="Data loss on the whole training set (float32).")
    test: float | None = Field(description="Data loss on the test set.")
    penalty: float | None = Field(description="l1 sum|W| + l2/2 sum W^2.")


class Accuracy(BaseModel):
    train: float
    test: float


class Frame(BaseModel):
    step: int = Field(description="Mini-batch updates so far.")
    epoch: int = Field(description="Whole passes over the training set so far.")
    loss: Loss
    accuracy: Accuracy | None = Field(description="Null for regression.")
    layers: list[Layer]
    trace_indices: list[int] | None = Field(
        description="Training-set indices of the traced columns (at most 32)."
    )
    grid: Grid | None


class SplitData(BaseModel):
    X: Matrix = Field(description="Raw inputs, one row per example (before feature maps).")
    y: list[float] = Field(description="Labels: 0/1, class index, or value.")


class ScalingInfo(BaseModel):
    """How imported inputs map to the plot: (raw - mean) / std * factor, per input."""

    mean: list[float]
    std: list[float]
    factor: float


class Data(BaseModel):
    train: SplitData
    test: SplitData
    own: bool = Field(False, description="The user's own points (drawn or imported).")
    scaling: ScalingInfo | None = Field(None, description="Imported data's standardization.")


class HistoryEntry(BaseModel):
    step: int
    epoch: int
    loss_train: float | None
    loss_test: float | None
    accuracy_train: float | None
    accuracy_test: float | None
    grad_norm_W: list[float | None] = Field(description="||dW[l]|| per layer.")


class Session(BaseModel):
    id: str = Field(description="The session id (unguessable).")
    config: Config
    data: Data
    frame: Frame
    history: list[HistoryEntry] | None = Field(
        None, description="One entry per step request (GET and later)."
    )


class ExampleLayer(BaseModel):
    z: list[float]
    a: list[float]
    dz: list[float]
    da: list[float] = Field(description="da[l]: the gradient of a[l] (for l = L, of the loss).")
    dW: Matrix = Field(description="This example's own dW[l] = dz[l] a[l-1]^T.")
    db: list[float] = Field(description="db[l] = dz[l].")


class Equation(BaseModel):
    kind: Literal["forward", "loss", "backward"]
    title: str
    latex: str = Field(description="In the notes' notation, with this example's numbers.")
    mathml: str = Field(description="The same as MathML, for the browser to typeset.")


class Example(BaseModel):
    index: int
    x: list[float] = Field(description="The raw input.")
    a0: list[float] = Field(description="A[0]: the features of the input.")
    features: list[str]
    layers: list[ExampleLayer]
    loss: float | None
    prediction: float
    label: float
    equations: list[Equation] | None = Field(None, description="With ?equations=true.")


class GradcheckLayer(BaseModel):
    layer: int
    error: float | None = Field(description="Relative error of dW and db together.")
    error_W: float | None
    error_b: float | None
    dW: Matrix
    dW_numerical: list[list[float | None]] = Field(description="Null where not sampled.")
    db: Matrix
    db_numerical: Matrix


class Gradcheck(BaseModel):
    examples: int = Field(description="Training examples the loss was taken over.")
    layers: list[GradcheckLayer]


class FieldError(BaseModel):
    field: str
    message: str


class Error(BaseModel):
    detail: str
    errors: list[FieldError] | None = None
    step: int | None = None
    position: int | None = Field(None, description="Where in an expression (1-based column).")


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Named(BaseModel):
    name: str
    label: str
    latex: str


class ActivationInfo(Named):
    latex_derivative: str


class DatasetInfo(BaseModel):
    name: str
    description: str
    n_inputs: int


class ProblemInfo(BaseModel):
    name: str
    label: str
    output_activation: str
    loss: str
    loss_latex: str
    datasets: list[DatasetInfo]


class FeatureInfo(Named):
    inputs: list[int] = Field(description="Raw inputs it reads: 0 is x1, 1 is x2.")


class Options(BaseModel):
    activations: list[ActivationInfo] = Field(description="Hidden-layer activations.")
    problems: list[ProblemInfo]
    initializers: list[Named]
    optimizers: list[Named]
    features: list[FeatureInfo]
    defaults: Config
    limits: dict[str, float] = Field(description="Every bound a request must keep.")


class Text(BaseModel):
    """A string in every language of the page."""

    en: str
    zh: str


class Lesson(_Strict):
    id: str = Field(description="Stable name, used in the URL.")
    title: Text
    caption: Text = Field(description="What to watch and what to try.")
    config: ConfigPatch = Field(description="The session's configuration (missing: defaults).")
    view: dict[str, str] = Field(default_factory=dict, description="Page settings (speed, ...).")


class ActivationCurve(BaseModel):
    z: list[float]
    a: list[float] = Field(description="g(z)")
    derivative: list[float] = Field(description="g'(z)")


class MathRequest(_Strict):
    latex: str = Field(min_length=1, max_length=4000, description="A formula in LaTeX.")


class MathResponse(BaseModel):
    mathml: str


class CircuitRequest(_Strict):
    expression: str = Field(
        min_length=1,
        max_length=500,
        description="A formula: numbers, names, + - * / **, "
        "unary minus, exp log sqrt abs sin cos tanh sigmoid relu max min.",
    )
    values: dict[Annotated[str, Field(max_length=50)], Finite] = Field(
        default_factory=dict, max_length=100, description="A number for every name."
    )
    expand: bool = Field(False, description="Show sigmoid and tanh as their primitive gates.")


class CircuitPreset(_Strict):
    id: str = Field(description="Stable name, used in the URL.")
    title: Text
    caption: Text = Field(description="What the lecture computes here, with its numbers.")
    expression: str = Field(min_length=1, max_length=500)
    values: dict[str, float]
    expand: bool = False


class CircuitNode(BaseModel):
    id: int
    op: str = Field(description='"input", "const", or the gate: add, mul, exp, ...')
    label: str
    role: str = Field(description="What the gate does to the gradient, in the lecture's words.")
    value: float
    grad: float = Field(description="d(output)/d(this node), summed over its branches.")


class CircuitEdge(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: int = Field(alias="from", serialization_alias="from")
    to: int
    local: float = Field(description="The local gradient d(to)/d(from).")


class CircuitOutput(BaseModel):
    node: int
    value: float


class CircuitResponse(BaseModel):
    nodes: list[CircuitNode]
    edges: list[CircuitEdge]
    order: list[int] = Field(description="The forward order of the nodes.")
    output: CircuitOutput
