"""Your own data and your own results: drawn or imported points, CSV and model exports, a
NumPy script of the trained network, and importing a saved model to continue training."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter, Response

from nncore.export import numpy_script
from nncore.owndata import OwnData, Scaling, from_csv, from_points, write_csv
from nncore.trainer import Trainer

from ..deps import Store
from ..responses import ERRORS, json_response
from ..schemas import CsvUpload, DataUpload, ModelFile, Session
from ..serialize import config_dict
from .sessions import Grids, SessionId, _core_config, _state

router = APIRouter(prefix="/api/sessions", tags=["data"])
SCRIPT_POINTS = 10


def _points(upload: DataUpload, problem: str, classes: int) -> OwnData:
    def rows(points, name):
        widths = {len(r) for r in points.X}
        if len(widths) > 1:
            raise ValueError(f"{name}.X: every point needs the same number of inputs")
        width = len(points.X[0]) if points.X else 0
        return np.array(points.X, float).reshape(len(points.X), width), np.array(points.y, float)

    X_train, y_train = rows(upload.train, "train")
    X_test, y_test = rows(upload.test, "test")
    scaling = None
    if upload.scaling is not None:
        s = upload.scaling
        if len(s.mean) != len(s.std) or len(s.mean) != X_train.shape[1]:
            raise ValueError("scaling.mean: one mean and one std per input")
        scaling = Scaling(tuple(s.mean), tuple(s.std), s.factor)
    return from_points(problem, classes, X_train, y_train, X_test, y_test, scaling)


@router.put("/{session_id}/data", responses={200: {"model": Session}, **ERRORS})
def put_data(session_id: SessionId, upload: DataUpload, store: Store, grids: Grids = "all"):
    """Train on these points (drawn, or edited) from now on; the weights are kept."""
    session = store.get(session_id)
    with session.lock:
        t = session.trainer
        t.set_data(_points(upload, t.config.problem, t.config.classes))
        return _state(session.id, t, grids, history=True)


@router.post("/{session_id}/data/csv", responses={200: {"model": Session}, **ERRORS})
def import_csv(session_id: SessionId, upload: CsvUpload, store: Store, grids: Grids = "all"):
    """Train on a CSV file's rows, standardized into the plot (the mapping is in data.scaling)."""
    session = store.get(session_id)
    with session.lock:
        t = session.trainer
        c = t.config
        t.set_data(from_csv(upload.csv, c.problem, c.classes, c.train_fraction, c.seed))
        return _state(session.id, t, grids, history=True)


@router.get("/{session_id}/data.csv", responses={200: {"content": {"text/csv": {}}}, **ERRORS})
def export_csv(session_id: SessionId, store: Store) -> Response:
    """The data as CSV (imported data in its own units): x1[,x2],label,split."""
    session = store.get(session_id)
    with session.lock:
        t = session.trainer
        if t.own is not None:
            text = t.own.to_csv()
        else:
            s = t.split
            X, y = np.vstack([s.X_train, s.X_test]), np.concatenate([s.y_train, s.y_test])
            text = write_csv(X, y, len(s.y_train), s.classes)
    return Response(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="backprop-lab-data.csv"'},
    )


def model_dict(t: Trainer) -> dict:
    own = t.own
    data = None
    if own is not None:
        data = {
            "train": {"X": own.X_train.tolist(), "y": own.y_train.astype(float).tolist()},
            "test": {"X": own.X_test.tolist(), "y": own.y_test.astype(float).tolist()},
            "scaling": own.scaling.as_dict() if own.scaling else None,
        }
    return {
        "format": "backprop-lab-model",
        "version": 1,
        "config": config_dict(t.config),
        "layers": [
            {"activation": layer.activation, "W": layer.W.tolist(), "b": layer.b.tolist()}
            for layer in t.net.layers
        ],
        "data": data,
        "step": t.step_count,
        "epoch": t.epoch,
    }


@router.get("/{session_id}/model", responses={200: {"model": ModelFile}, **ERRORS})
def export_model(session_id: SessionId, store: Store) -> Response:
    """The trained network: configuration, activations, weights (and own points). POST it
    to /api/sessions/import to continue."""
    session = store.get(session_id)
    with session.lock:
        body = model_dict(session.trainer)
    return json_response(
        body, headers={"Content-Disposition": 'attachment; filename="backprop-lab-model.json"'}
    )


@router.post("/import", status_code=201, responses={201: {"model": Session}, **ERRORS})
def import_model(model: ModelFile, store: Store, grids: Grids = "all") -> Response:
    """A new session from a saved model: its configuration, data, weights and step count."""
    t = Trainer(_core_config(model.config))
    if model.data is not None:
        t.set_data(_points(model.data, t.config.problem, t.config.classes))
    t.set_weights(
        [
            (layer.activation, np.array(layer.W, float), np.array(layer.b, float))
            for layer in model.layers
        ]
    )
    t.step_count, t.epoch = model.step, model.epoch  # training continues, and so does the count
    session = store.create(t)
    with session.lock:
        return _state(session.id, t, grids, history=False, status=201)


@router.get("/{session_id}/model.py", responses={200: {"content": {"text/x-python": {}}}, **ERRORS})
def export_script(session_id: SessionId, store: Store) -> Response:
    """A short NumPy script: the trained network's forward pass, printing its predictions."""
    session = store.get(session_id)
    with session.lock:
        t = session.trainer
        model = model_dict(t)
        X = t.split.X_train[:SCRIPT_POINTS]
        scaling = t.own.scaling if t.own is not None else None
        model["scaling"] = scaling.as_dict() if scaling else None
        model["points"] = (scaling.to_raw(X) if scaling else X).tolist()
    return Response(
        numpy_script(model),
        media_type="text/x-python",
        headers={"Content-Disposition": 'attachment; filename="backprop_lab_model.py"'},
    )
