"""Pydantic models of every request and response, with their bounds.

Names of activations, problems, datasets, features, initializers and optimizers come from the
core's registries, and every bound from the core's table of limits (nncore/limits.py), so the
schema (and the page, which reads /api/options) never holds a second copy. Request models are
built per app by `build(limits)`, for the limits that app was given (its settings may tighten
the core's). Every number must be finite: JSON like 1e999 parses to infinity and is refused.
Integer fields accept a whole-number float such as 222.0, which JSON Schema counts as an
integer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from nncore import modelfile
from nncore.activations import ACTIVATIONS
from nncore.datasets import DATASETS
from nncore.features import FEATURES
from nncore.initializers import INITIALIZERS
from nncore.limits import LIMITS, Limits, config_ranges
from nncore.losses import PROBLEMS
from nncore.optimizers import OPTIMIZERS
from nncore.trainer import Config as CoreConfig
from nncore.trainer import Hidden

ActivationName = Literal[tuple(ACTIVATIONS)]  # type: ignore[valid-type]
ProblemName = Literal[tuple(PROBLEMS)]  # type: ignore[valid-type]
DatasetName = Literal[tuple(dict.fromkeys(n for p in DATASETS.values() for n in p))]  # type: ignore[valid-type]
FeatureName = Literal[tuple(FEATURES)]  # type: ignore[valid-type]
InitName = Literal[tuple(INITIALIZERS)]  # type: ignore[valid-type]
OptimizerName = Literal[tuple(OPTIMIZERS)]  # type: ignore[valid-type]

Finite = Annotated[float, Field(allow_inf_nan=False)]


def _whole(v: Any) -> Any:
    # JSON Schema's "integer" includes 222.0; strict pydantic would refuse it
    return int(v) if type(v) is float and v.is_integer() and abs(v) < 2**63 else v


Int = Annotated[int, BeforeValidator(_whole)]


class _Strict(BaseModel):
    # strict: no silent coercion (false is not 0, "3" is not 3); unknown fields are errors
    model_config = ConfigDict(extra="forbid", strict=True)


def _bounded(name: str, lim: Limits, default: Any, description: str) -> Any:
    """A field of the configuration with its range from the core's table."""
    r = config_ranges(lim)[name]
    low = {"gt": r.lo} if r.open_low else {"ge": r.lo}
    typ = Int if r.integer else Finite
    return (typ, Field(default, **low, le=r.hi, description=description))


def _all_optional(model: type[BaseModel], name: str, doc: str) -> type[BaseModel]:
    """The model with every field optional and None by default, bounds kept."""
    fields: dict[str, Any] = {}
    for n, f in model.model_fields.items():
        typ = Annotated[f.annotation, *f.metadata] if f.metadata else f.annotation
        fields[n] = (typ | None, Field(None, description=f.description))
    return create_model(name, __base__=_Strict, __doc__=doc, **fields)


@dataclass(frozen=True)
class Schemas:
    """The request models (and the responses that embed them) for one set of limits."""

    limits: Limits
    HiddenLayer: type[BaseModel]
    Config: type[BaseModel]
    ConfigPatch: type[BaseModel]
    StepRequest: type[BaseModel]
    ResetRequest: type[BaseModel]
    RestoreRequest: type[BaseModel]
    RewindRequest: type[BaseModel]
    PointSet: type[BaseModel]
    Scaling: type[BaseModel]
    DataUpload: type[BaseModel]
    CsvUpload: type[BaseModel]
    ModelFile: type[BaseModel]
    WeightEdit: type[BaseModel]
    Session: type[BaseModel]
    Options: type[BaseModel]
    Lesson: type[BaseModel]
    MathRequest: type[BaseModel]
    CircuitRequest: type[BaseModel]


def build(lim: Limits = LIMITS) -> Schemas:
    """Every request model with the bounds of `lim` (defaults from the core's Config)."""
    d = CoreConfig()
    n_max = lim.max_samples

    class HiddenLayer(_Strict):
        units: Int = Field(
            Hidden().units, ge=1, le=lim.max_units, description="Number of units n[l]."
        )
        activation: ActivationName = Field(
            Hidden().activation, description="The layer's activation g[l]."
        )

    config_fields = {
        "problem": (ProblemName, Field(d.problem, description="The problem type.")),
        "dataset": (
            DatasetName,
            Field(d.dataset, description="A dataset of the problem type (see /api/options)."),
        ),
        "n_samples": _bounded("n_samples", lim, d.n_samples, "Examples, train + test."),
        "noise": _bounded("noise", lim, d.noise, "Noise as a fraction; 0 is clean."),
        "train_fraction": _bounded(
            "train_fraction", lim, d.train_fraction, "Share used for training."
        ),
        "classes": _bounded("classes", lim, d.classes, "Classes of a multi-class dataset."),
        "seed": _bounded("seed", lim, d.seed, "Seeds the data and initial weights."),
        "features": (
            list[FeatureName],
            Field(
                list(d.features),
                min_length=1,
                max_length=len(FEATURES),
                json_schema_extra={"uniqueItems": True},
                description="Input features, each at most once.",
            ),
        ),
        "hidden": (
            list[HiddenLayer],
            Field(
                [HiddenLayer(units=h.units, activation=h.activation) for h in d.hidden],
                max_length=lim.max_hidden_layers,
                description="Hidden layers, from the input to the output.",
            ),
        ),
        "init": (InitName, Field(d.init, description="Weight initializer.")),
        "optimizer": (OptimizerName, Field(d.optimizer, description="Optimizer.")),
        "learning_rate": _bounded("learning_rate", lim, d.learning_rate, "Learning rate alpha."),
        "momentum": _bounded("momentum", lim, d.momentum, "beta (momentum; Adam's beta1)."),
        "batch_size": _bounded(
            "batch_size", lim, d.batch_size, "Mini-batch size; above the set: full batch."
        ),
        "l1": _bounded("l1", lim, d.l1, "L1 penalty rate."),
        "l2": _bounded("l2", lim, d.l2, "L2 penalty rate."),
        "grid": _bounded("grid", lim, d.grid, "Output map size G (G x G)."),
        "neuron_resolution": _bounded(
            "neuron_resolution", lim, d.neuron_resolution, "Neuron map size R (R x R)."
        ),
        "input_scale": _bounded(
            "input_scale", lim, d.input_scale, "A generated dataset's inputs times this."
        ),
    }
    Config = create_model(
        "Config",
        __base__=_Strict,
        __doc__="A session's configuration. In a create request every field is optional; "
        "defaults follow TensorFlow Playground's where it has one.",
        **config_fields,
    )
    ConfigPatch = _all_optional(
        Config, "ConfigPatch", "Any subset of the configuration; a missing field stays as it is."
    )

    class StepRequest(_Strict):
        steps: Int = Field(
            1,
            ge=1,
            le=lim.max_steps,
            description="How many units to run (the work of one request is bounded too: "
            "a 422 names the most this network allows).",
        )
        unit: Literal["batch", "epoch"] = Field(
            "batch", description="batch: mini-batch updates; epoch: whole passes over the data."
        )
        trace: bool = Field(False, description="Include Z, A, dZ, dA of the last mini-batch.")
        grids: Literal["none", "output", "all"] = Field(
            "none", description="Maps to include: none, the output's, or also every neuron's."
        )

    class ResetRequest(_Strict):
        seed: Int | None = Field(
            None, ge=0, le=lim.max_seed, description="New seed (default: same)."
        )

    rate = config_ranges(lim)["learning_rate"]

    class RestoreRequest(_Strict):
        learning_rate: Finite | None = Field(
            None,
            gt=rate.lo,
            le=rate.hi,
            description="The learning rate to go on with (default: unchanged); the 409 of the "
            "divergence suggests one.",
        )

    # What a rewind may change on the way (the rest of the configuration is the record's):
    # the training settings of PATCH, bounds kept.
    rewind_changes = ("learning_rate", "momentum", "batch_size", "l1", "l2", "hidden", "optimizer")
    RewindRequest = create_model(
        "RewindRequest",
        __base__=_Strict,
        __doc__="Back to a recorded step, bit for bit, with these settings changed if given.",
        step=(
            Int,
            Field(
                ge=0,
                le=lim.max_step_count,
                description="A recorded step (the session's timeline.steps).",
            ),
        ),
        **{
            n: (ConfigPatch.model_fields[n].annotation, ConfigPatch.model_fields[n])
            for n in rewind_changes
        },
    )

    Point = Annotated[list[Finite], Field(min_length=1, max_length=2)]

    class PointSet(_Strict):
        X: list[Point] = Field(
            default_factory=list, max_length=n_max, description="Rows of 1 or 2 inputs."
        )
        y: list[Finite] = Field(
            default_factory=list,
            max_length=n_max,
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
            max_length=lim.max_csv_bytes,
            description="1 or 2 numeric input columns and a label column; a header row is "
            "optional.",
        )
        standardize: bool = Field(
            True,
            description="Standardize each input column into the plot (data.scaling keeps the "
            "mapping); false keeps the file's own numbers (each within ±1e6).",
        )

    Row = Annotated[list[Finite], Field(max_length=max(lim.max_units, len(FEATURES)))]

    class ModelLayer(_Strict):
        activation: str = Field(max_length=32)
        W: list[Row] = Field(max_length=lim.max_units, description="W[l], (n[l], n[l-1]).")
        b: list[Row] = Field(max_length=lim.max_units, description="b[l], (n[l], 1).")

    class ModelFile(_Strict):
        """A trained network as Backprop Lab saves it (nncore/modelfile.py): import it to
        continue training."""

        format: Literal[modelfile.FORMAT]  # type: ignore[valid-type]
        version: Literal[modelfile.VERSION]  # type: ignore[valid-type]
        config: Config
        layers: list[ModelLayer] = Field(min_length=1, max_length=lim.max_hidden_layers + 1)
        data: DataUpload | None = Field(None, description="The user's own points, if any.")
        step: Int = Field(
            0,
            ge=0,
            le=lim.max_step_count,
            description="Mini-batch updates so far: the count goes on from it.",
        )
        epoch: Int = Field(
            0, ge=0, le=lim.max_step_count, description="Passes over the training set so far."
        )

    class WeightEdit(_Strict):
        layer: Int = Field(ge=1, le=lim.max_hidden_layers + 1, description="Layer l, 1..L.")
        row: Int = Field(ge=0, le=lim.max_units - 1, description="Unit j of layer l (row of W[l]).")
        col: Int | None = Field(
            None,
            ge=0,
            le=max(lim.max_units, len(FEATURES)) - 1,
            description="Column k; null edits b[l][j].",
        )
        value: Finite = Field(
            ge=-lim.max_parameter,
            le=lim.max_parameter,
            description="The new W[l][j, k] (or b[l][j]).",
        )

    class Session(BaseModel):
        id: str = Field(description="The session id (unguessable).")
        config: Config
        data: Data
        frame: Frame
        history: list[HistoryEntry] | None = Field(
            None, description="One entry per step request (GET and later), thinned when long."
        )
        timeline: Timeline | None = Field(
            None, description="The recorded steps and the abandoned future (with the history)."
        )

    class Options(BaseModel):
        activations: list[ActivationInfo] = Field(description="Hidden-layer activations.")
        problems: list[ProblemInfo]
        initializers: list[Named]
        optimizers: list[Named]
        features: list[FeatureInfo]
        defaults: Config
        limits: dict[str, float] = Field(description="Every bound a request must keep.")
        ranges: dict[str, RangeInfo] = Field(description="The range of every numeric field.")
        choices: dict[str, list[float]] = Field(description="What the page's menus offer.")
        model_format: ModelFormat
        messages: dict[str, str] = Field(
            description="Error codes and their English templates: an error's `code` names one "
            "(its `params` fill it in), for a page to translate."
        )

    class Comparison(_Strict):
        vary: Literal["activation", "optimizer", "init", "depth", "learning_rate"] = Field(
            description="The setting the two runs differ in (the other settings: config)."
        )
        a: str | float = Field(description="Its value in run A (depth: hidden layers).")
        b: str | float = Field(description="Its value in run B.")

    class Lesson(_Strict):
        id: str = Field(description="Stable name, used in the URL.")
        title: Text
        caption: Text = Field(description="What to watch and what to try.")
        config: ConfigPatch = Field(description="The session's configuration (missing: defaults).")
        view: dict[str, str] = Field(
            default_factory=dict, description="Page settings (speed, ...)."
        )
        compare: Comparison | None = Field(
            None, description="A comparison: opens on /compare, two runs side by side."
        )

    class MathRequest(_Strict):
        latex: str = Field(
            min_length=1, max_length=lim.max_latex_length, description="A formula in LaTeX."
        )

    class CircuitRequest(_Strict):
        expression: str = Field(
            min_length=1,
            max_length=lim.max_expression_length,
            description="A formula: numbers, names, + - * / **, "
            "unary minus, exp log sqrt abs sin cos tanh sigmoid relu max min; or a staged "
            "program, lines of name = formula (the last line is the output).",
        )
        values: dict[Annotated[str, Field(max_length=50)], Finite] = Field(
            default_factory=dict,
            max_length=lim.max_circuit_values,
            description="A number for every name.",
        )
        expand: bool = Field(False, description="Show sigmoid and tanh as their primitive gates.")

    return Schemas(
        lim,
        HiddenLayer,
        Config,
        ConfigPatch,
        StepRequest,
        ResetRequest,
        RestoreRequest,
        RewindRequest,
        PointSet,
        Scaling,
        DataUpload,
        CsvUpload,
        ModelFile,
        WeightEdit,
        Session,
        Options,
        Lesson,
        MathRequest,
        CircuitRequest,
    )


class RangeInfo(BaseModel):
    min: float
    max: float
    integer: bool
    open_min: bool = Field(description="The minimum itself is excluded.")


class ModelFormat(BaseModel):
    format: str
    version: int


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
    batch: float | None = Field(
        None, description="With a trace: the traced mini-batch's loss before its update."
    )


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


class Timeline(BaseModel):
    steps: list[int] = Field(
        description="The recorded steps (GET .../frames/{step}), in order; step 0 or the "
        "state after the last new data, shape or optimizer first; thinned when long."
    )
    abandoned: list[HistoryEntry] = Field(
        description="The history a rewind left, from the step it went back to (empty before)."
    )


class ExampleLayer(BaseModel):
    z: list[float]
    a: list[float]
    dz: list[float]
    da: list[float] = Field(description="da[l]: the gradient of a[l] (for l = L, of the loss).")
    dW: Matrix = Field(description="This example's own dW[l] = dz[l] a[l-1]^T.")
    db: list[float] = Field(description="db[l] = dz[l].")


class Equation(BaseModel):
    kind: Literal["forward", "loss", "backward", "update"]
    title: str = Field(description="English; the page translates it, filled with params.")
    params: dict[str, int | float | str] = Field(
        default_factory=dict, description="The values the title names, as {name}."
    )
    latex: str = Field(description="In the notes' notation, with this example's numbers.")
    mathml: str = Field(description="The same as MathML, for the browser to typeset.")
    note: str | None = Field(
        None, description="English: where the course notes print this formula wrong."
    )


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


class Equations(BaseModel):
    equations: list[Equation]


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


class BatchEquation(Equation):
    name: str = Field(description="X, Z, A, Y, J, dZ, dW, db or dA.")
    layer: int | None = Field(description="Its layer l (dA: l - 1); null for X, Y and J.")
    symbol: str = Field(description='As the notes write it, e.g. "Z[1]".')
    shape: list[int] = Field(description="The matrix's shape, e.g. [4, 10]; [] for J.")
    shape_text: str = Field(description='The shape in the notes\' letters: "(n[1], m) = (4, 10)".')


class BatchView(BaseModel):
    step: int = Field(description="The step whose update this mini-batch was.")
    m: int = Field(description="Examples in the mini-batch (columns).")
    indices: list[int] = Field(description="Training-set index of each column.")
    columns: list[int] = Field(description="The columns the matrices show (0-based).")
    loss: float | None = Field(description="The mini-batch's data loss J before its update.")
    shapes: dict[str, list[int]] = Field(description="Every matrix's shape by its symbol.")
    equations: list[BatchEquation]


class LoopComparison(BaseModel):
    data: Literal["train", "batch"]
    examples: int = Field(description="m: the columns of X both forms ran on.")
    layers: int = Field(description="L: the loop over the layers that both keep.")
    repeats: int
    loop_seconds: float = Field(description="Median time of the per-example Python loop.")
    vectorized_seconds: float = Field(description="Median time of the matrix form.")
    speedup: float = Field(description="loop_seconds / vectorized_seconds.")
    loop_iterations: int = Field(description="Examples the loop took one at a time (m).")
    max_difference: float = Field(description="Largest |loop - matrix| over every dW, db.")


class Coded(BaseModel):
    code: str | None = Field(
        None, description="A key of /api/options `messages`: the message's English template."
    )
    params: dict[str, Any] | None = Field(None, description="The values the template names.")


class FieldError(Coded):
    field: str
    message: str


class Error(Coded):
    detail: str
    errors: list[FieldError] | None = None
    step: int | None = Field(None, description="409: the step that diverged (not taken).")
    last_good_step: int | None = Field(
        None, description="409: the step POST .../restore goes back to, before the run took off."
    )
    suggested_learning_rate: float | None = Field(
        None, description="409: a lower learning rate to go on with from there."
    )
    position: int | None = Field(None, description="Where in an expression (1-based column).")
    line: int | None = Field(None, description="The line of a staged program (1-based).")
    limit: float | None = Field(
        None, description="The most the field allows for this request (steps: by its work)."
    )


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Named(BaseModel):
    name: str
    label: str
    latex: str


Bounds = tuple[float, float] | None
PerClass = int | Literal["classes"]


class ActivationInfo(Named):
    latex_derivative: str
    range: Bounds = Field(description="The interval g maps into (open); null: unbounded.")


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
    output_range: Bounds = Field(description="The output activation's interval; null: unbounded.")
    outputs: PerClass = Field(description='Output units n[L]: "classes" is one per class.')
    label_classes: PerClass = Field(
        description='Classes a label takes: "classes" is the configured count, 0 a real value.'
    )
    datasets: list[DatasetInfo]


class FeatureInfo(Named):
    inputs: list[int] = Field(description="Raw inputs it reads: 0 is x1, 1 is x2.")


class Text(BaseModel):
    """A string in every language of the page."""

    en: str
    zh: str


class ActivationCurve(BaseModel):
    z: list[float]
    a: list[float] = Field(description="g(z)")
    derivative: list[float] = Field(description="g'(z)")


class MathResponse(BaseModel):
    mathml: str


class CircuitPreset(_Strict):
    id: str = Field(description="Stable name, used in the URL.")
    title: Text
    caption: Text = Field(description="What the lecture computes here, with its numbers.")
    expression: str = Field(min_length=1, max_length=500)
    values: dict[str, float]
    expand: bool = False


class CircuitNode(BaseModel):
    id: int
    op: str = Field(description='"input", "const", or the gate: add, mul, exp, inv, ...')
    label: str
    name: str | None = Field(
        description="An input's name, or the name a staged program's line gives its gate."
    )
    role: str = Field(description="What the gate does to the gradient, in the lecture's words.")
    value: float
    grad: float | None = Field(
        description="d(output)/d(this node), summed over its branches; null for a constant, "
        "which is no variable."
    )


class CircuitEdge(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: int = Field(alias="from", serialization_alias="from")
    to: int
    local: float | None = Field(
        description="The local gradient d(to)/d(from); null from a constant."
    )


class CircuitOutput(BaseModel):
    node: int
    value: float


class CircuitStage(BaseModel):
    line: int
    name: str
    node: int = Field(description="The gate that computes it.")
    text: str = Field(description="The line's formula as written.")


class CircuitResponse(BaseModel):
    nodes: list[CircuitNode]
    edges: list[CircuitEdge]
    order: list[int] = Field(description="The forward order of the nodes.")
    output: CircuitOutput
    stages: list[CircuitStage] = Field(description="A staged program's lines; [] for a formula.")
    defaults: dict[str, float] = Field(
        description="The values a program's lines such as x = 3 give (the request's win)."
    )
