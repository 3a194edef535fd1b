"""Health and options: what the page needs to build its controls, from the core's registries."""

import json
from collections.abc import Callable
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from nncore.activations import ACTIVATIONS, get_activation
from nncore.datasets import DATASETS, make_dataset, n_classes
from nncore.errors import MESSAGES, InputError
from nncore.features import FEATURES
from nncore.initializers import INITIALIZERS
from nncore.limits import CHOICES, LIMITS, config_ranges
from nncore.losses import PROBLEMS
from nncore.modelfile import FORMAT, VERSION
from nncore.optimizers import OPTIMIZERS

from .. import __version__
from ..mathml import to_mathml
from ..paths import DATA
from ..responses import BODY_ERRORS, ERRORS, json_response
from ..schemas import (
    ActivationCurve,
    ActivationName,
    Health,
    MathResponse,
    ProblemName,
    Schemas,
    SplitData,
    build,
)

# The lessons are data: one file, checked against the core's limits when the app starts.
_LESSONS = json.loads((DATA / "lessons.json").read_text("utf-8"))
LESSONS = [build(LIMITS).Lesson.model_validate(item, strict=False) for item in _LESSONS]


def describe(S: Schemas) -> BaseModel:
    """Every name and limit the page needs to build its controls, for these schemas' limits."""
    return S.Options(
        activations=[
            {
                "name": a.name,
                "label": a.label,
                "latex": a.latex,
                "latex_derivative": a.latex_derivative,
                "range": a.bounds,
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
                "output_range": get_activation(p.output_activation).bounds,
                "outputs": per_class(p.n_outputs, S),
                "label_classes": per_class(lambda k, p=p: n_classes(p.name, k), S),
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
        defaults=S.Config(),
        limits=S.limits.as_dict(),
        ranges={k: r.as_dict() for k, r in config_ranges(S.limits).items()},
        choices=CHOICES,
        model_format={"format": FORMAT, "version": VERSION},
        messages=MESSAGES,
    )


def per_class(count: Callable[[int], int], S: Schemas) -> int | str:
    """A problem's count (outputs, label classes) as the page needs it: "classes" when the
    core gives the configured number of classes, else the one number it always gives."""
    r = config_ranges(S.limits)["classes"]
    ks = range(int(r.lo), int(r.hi) + 1)
    if all(count(k) == k for k in ks):
        return "classes"
    (n,) = {count(k) for k in ks}
    return n


def router(S: Schemas) -> APIRouter:
    r = APIRouter(prefix="/api", tags=["meta"])
    described = describe(S)

    @r.get("/health")
    async def health() -> Health:
        """Liveness: the service answers and says its version (on the event loop: it answers
        while every worker thread trains)."""
        return Health(status="ok", version=__version__)

    @r.get("/options", response_model=S.Options)
    def options() -> Response:
        """Every name and limit the page needs to build its controls."""
        return json_response(described.model_dump())

    @r.get("/lessons", responses={200: {"model": list[S.Lesson]}})
    def lessons() -> Response:
        """The lesson menu: presets from the course notes, each with what to watch and try."""
        return json_response([lesson.model_dump(exclude_none=True) for lesson in LESSONS])

    @r.post("/mathml", responses=BODY_ERRORS)
    def mathml(request: S.MathRequest) -> MathResponse:
        """LaTeX (the page's own formulas with their numbers) as MathML for the browser."""
        return typeset(request.latex)

    r.add_api_route(
        "/datasets/{problem}", dataset_previews, methods=["GET"], responses={422: ERRORS[422]}
    )
    r.add_api_route(
        "/activations/{name}/curve", activation_curve, methods=["GET"], responses={422: ERRORS[422]}
    )
    return r


def dataset_previews(
    problem: ProblemName,
    classes: Annotated[
        int, Query(ge=LIMITS.min_classes, le=LIMITS.max_classes, description="Classes.")
    ] = 3,
) -> dict[str, SplitData]:
    """A small clean sample of every dataset of a problem type, for the dataset thumbnails."""
    out = {}
    for name in DATASETS[problem]:
        s = make_dataset(problem, name, 160, 0.0, 0.5, seed=0, classes=classes)
        X = np.vstack([s.X_train, s.X_test])
        y = np.concatenate([s.y_train, s.y_test]).astype(float)
        out[name] = SplitData(X=X.tolist(), y=y.tolist())
    return out


def activation_curve(
    name: ActivationName,
    points: Annotated[int, Query(ge=11, le=401, description="Samples over z in [-5, 5].")] = 101,
) -> ActivationCurve:
    """g(z) and g'(z) of an activation from the core's registry, for plotting."""
    act = ACTIVATIONS[name]
    z = np.linspace(-5.0, 5.0, points)
    a = act.forward(z)
    return ActivationCurve(z=z.tolist(), a=a.tolist(), derivative=act.derivative(z, a).tolist())


def typeset(latex: str) -> MathResponse:
    """LaTeX as MathML elements and attributes only, every text escaped (safe to insert);
    InputError when it cannot be typeset."""
    try:
        return MathResponse(mathml=to_mathml(latex))
    except Exception as exc:  # latex2mathml raises many kinds of errors on bad input
        raise InputError("latex", f"cannot be typeset ({type(exc).__name__})") from None
