"""Health and options: what the page needs to build its controls, from the core's registries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Query

from nncore.activations import ACTIVATIONS
from nncore.datasets import DATASETS, make_dataset
from nncore.features import FEATURES
from nncore.initializers import INITIALIZERS
from nncore.losses import PROBLEMS
from nncore.network import MAX_HIDDEN_LAYERS, MAX_UNITS
from nncore.optimizers import OPTIMIZERS
from nncore.trainer import TRACE_LIMIT

from .. import __version__
from ..deps import SettingsDep
from ..mathml import to_mathml
from ..responses import ERRORS
from ..schemas import (
    ActivationCurve,
    ActivationName,
    Config,
    Health,
    Lesson,
    MathRequest,
    MathResponse,
    Options,
    ProblemName,
    SplitData,
)

router = APIRouter(prefix="/api", tags=["meta"])

# The lessons are data: one file, checked against the schema when the app starts.
LESSONS = [
    Lesson.model_validate(item, strict=False)
    for item in json.loads((Path(__file__).parents[1] / "data" / "lessons.json").read_text("utf-8"))
]


@router.get("/health")
def health() -> Health:
    """Liveness: the service answers and says its version."""
    return Health(status="ok", version=__version__)


@router.get("/options")
def options(settings: SettingsDep) -> Options:
    """Every name and limit the page needs to build its controls."""
    return Options(
        activations=[
            {
                "name": a.name,
                "label": a.label,
                "latex": a.latex,
                "latex_derivative": a.latex_derivative,
            }
            for a in ACTIVATIONS.values()
        ],
        problems=[
            {
                "name": p.name,
                "label": p.label,
                "output_activation": p.output_activation,
                "loss": p.loss_name,
                "loss_latex": p.loss_latex,
                "datasets": [
                    {"name": d.name, "description": d.description, "n_inputs": d.n_inputs}
                    for d in DATASETS[p.name].values()
                ],
            }
            for p in PROBLEMS.values()
        ],
        initializers=[
            {"name": i.name, "label": i.label, "latex": i.latex} for i in INITIALIZERS.values()
        ],
        optimizers=[
            {"name": o.name, "label": o.label, "latex": o.latex} for o in OPTIMIZERS.values()
        ],
        features=[
            {"name": f.name, "label": f.label, "latex": f.latex, "inputs": list(f.inputs)}
            for f in FEATURES.values()
        ],
        defaults=Config(),
        limits={
            "max_hidden_layers": MAX_HIDDEN_LAYERS,
            "max_units": MAX_UNITS,
            "min_samples": 10,
            "max_samples": settings.max_samples,
            "max_steps": settings.max_steps,
            "max_updates": settings.max_updates,
            "max_grid": settings.max_grid,
            "max_neuron_resolution": settings.max_neuron_resolution,
            "max_learning_rate": 10.0,
            "trace_examples": TRACE_LIMIT,
        },
    )


@router.get("/datasets/{problem}", responses={422: ERRORS[422]})
def dataset_previews(
    problem: ProblemName,
    classes: Annotated[int, Query(ge=3, le=5, description="Classes (multi-class).")] = 3,
) -> dict[str, SplitData]:
    """A small clean sample of every dataset of a problem type, for the dataset thumbnails."""
    out = {}
    for name in DATASETS[problem]:
        s = make_dataset(problem, name, 160, 0.0, 0.5, seed=0, classes=classes)
        X = np.vstack([s.X_train, s.X_test])
        y = np.concatenate([s.y_train, s.y_test]).astype(float)
        out[name] = SplitData(X=X.tolist(), y=y.tolist())
    return out


@router.get("/lessons", response_model_exclude_none=True)
def lessons() -> list[Lesson]:
    """The lesson menu: presets from the course notes, each with what to watch and try."""
    return LESSONS


@router.get("/activations/{name}/curve", responses={422: ERRORS[422]})
def activation_curve(
    name: ActivationName,
    points: Annotated[int, Query(ge=11, le=401, description="Samples over z in [-5, 5].")] = 101,
) -> ActivationCurve:
    """g(z) and g'(z) of an activation from the core's registry, for plotting."""
    act = ACTIVATIONS[name]
    z = np.linspace(-5.0, 5.0, points)
    a = act.forward(z)
    return ActivationCurve(z=z.tolist(), a=a.tolist(), derivative=act.derivative(z, a).tolist())


@router.post("/mathml", responses={400: ERRORS[400], 422: ERRORS[422]})
def mathml(request: MathRequest) -> MathResponse:
    """LaTeX (the page's own formulas with their numbers) as MathML for the browser: MathML
    elements and attributes only, every text escaped, so it is safe to insert."""
    try:
        return MathResponse(mathml=to_mathml(request.latex))
    except Exception as exc:  # latex2mathml raises many kinds of errors on bad input
        raise ValueError(f"latex: cannot be typeset ({type(exc).__name__})") from None
