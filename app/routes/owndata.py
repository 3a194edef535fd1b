"""Your own data and your own results: drawn or imported points, CSV and model exports, a
NumPy script of the trained network, and importing a saved model to continue training."""

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Query, Response

from nncore import modelfile
from nncore.errors import InputError
from nncore.export import numpy_script, numpy_training_script
from nncore.owndata import from_csv, write_csv
from nncore.trainer import Trainer

from ..deps import Client, LimitsDep, Store, WorkDep
from ..responses import ERRORS, json_response
from ..schemas import Schemas
from .sessions import Grids, SessionId, new_session, on_session, state

SCRIPT_POINTS = 10
SCRIPT_EPOCHS = 100  # epochs of the training script when none are asked for


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def router(S: Schemas) -> APIRouter:
    r = APIRouter(prefix="/api/sessions", tags=["data"])

    @r.put("/{session_id}/data", responses={200: {"model": S.Session}, **ERRORS})
    async def put_data(
        session_id: SessionId,
        upload: S.DataUpload,
        store: Store,
        work: WorkDep,
        grids: Grids = "all",
    ) -> Response:
        """Train on these points (drawn, or edited) from now on; the weights are kept."""
        points = upload.model_dump()

        def put(t: Trainer) -> Response:
            t.set_data(modelfile.read_data(points, t.config.problem, t.config.classes))
            return state(session, t, grids, history=True)

        session = store.get(session_id)
        return await on_session(work, session, put)

    @r.post("/{session_id}/data/csv", responses={200: {"model": S.Session}, **ERRORS})
    async def import_csv(
        session_id: SessionId,
        upload: S.CsvUpload,
        store: Store,
        work: WorkDep,
        grids: Grids = "all",
    ) -> Response:
        """Train on a CSV file's rows, standardized into the plot (the mapping is in
        data.scaling), or in their own numbers with standardize false."""

        def load(t: Trainer) -> Response:
            c = t.config
            args = (c.problem, c.classes, c.train_fraction, c.seed, upload.standardize)
            t.set_data(from_csv(upload.csv, *args))
            return state(session, t, grids, history=True)

        session = store.get(session_id)
        return await on_session(work, session, load)

    @r.get("/{session_id}/data.csv", responses={200: {"content": {"text/csv": {}}}, **ERRORS})
    async def export_csv(session_id: SessionId, store: Store, work: WorkDep) -> Response:
        """The data as CSV (imported data in its own units): x1[,x2],label,split."""

        def write(t: Trainer) -> Response:
            if t.own is not None:
                text = t.own.to_csv()
            else:
                s = t.split
                X, y = np.vstack([s.X_train, s.X_test]), np.concatenate([s.y_train, s.y_test])
                text = write_csv(X, y, len(s.y_train), s.classes)
            return Response(
                text, media_type="text/csv", headers=_attachment("backprop-lab-data.csv")
            )

        return await on_session(work, store.get(session_id), write, lambda t: 0.0)

    @r.get("/{session_id}/model", responses={200: {"model": S.ModelFile}, **ERRORS})
    async def export_model(session_id: SessionId, store: Store, work: WorkDep) -> Response:
        """The trained network: configuration, activations, weights (and own points). POST it
        to /api/sessions/import to continue."""

        def write(t: Trainer) -> Response:
            return json_response(modelfile.write(t), headers=_attachment("backprop-lab-model.json"))

        return await on_session(work, store.get(session_id), write, lambda t: 0.0)

    @r.post("/import", status_code=201, responses={201: {"model": S.Session}, **ERRORS})
    async def import_model(
        model: S.ModelFile,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        client: Client,
        grids: Grids = "all",
    ) -> Response:
        """A new session from a saved model: its configuration, data, weights and step count."""
        d = model.model_dump()
        return await new_session(work, store, client, lambda: modelfile.read(d, limits), grids)

    @r.get(
        "/{session_id}/model.py",
        responses={200: {"content": {"text/x-python": {}}}, **ERRORS},
    )
    async def export_script(
        session_id: SessionId,
        store: Store,
        work: WorkDep,
        train: Annotated[
            bool, Query(description="The training loop too: data, forward, loss, backward.")
        ] = False,
        epochs: Annotated[
            int | None,
            Query(
                ge=1,
                le=S.limits.max_script_epochs,
                description=f"Epochs the training script runs (default {SCRIPT_EPOCHS}).",
            ),
        ] = None,
    ) -> Response:
        """A short NumPy script: the trained network's forward pass, printing its
        predictions; with train=true, its training loop from these weights (plain gradient
        descent at the session's rate and batch size), printing the loss per epoch."""
        if epochs is not None and not train:
            raise InputError("epochs", "is for the training script: ask with train=true")

        def write(t: Trainer) -> Response:
            model = modelfile.write(t)
            scaling = t.own.scaling if t.own is not None else None
            model["scaling"] = scaling.as_dict() if scaling else None
            raw = scaling.to_raw if scaling else (lambda X: X)
            if train:
                model["train"] = {"X": raw(t.split.X_train).tolist(), "y": t.split.y_train.tolist()}
                text = numpy_training_script(model, epochs or SCRIPT_EPOCHS)
                name = "backprop_lab_training.py"
            else:
                model["points"] = raw(t.split.X_train[:SCRIPT_POINTS]).tolist()
                text, name = numpy_script(model), "backprop_lab_model.py"
            return Response(text, media_type="text/x-python", headers=_attachment(name))

        return await on_session(work, store.get(session_id), write, lambda t: 0.0)

    return r
