"""POST /api/sessions/{id}/preview (the next step, not taken) and GET .../landscape (the loss
over two weights with the path), against the memory store and a real Redis."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from nncore import snapshot
from nncore.limits import LIMITS

APP = create_app()
CLIENT = TestClient(APP)


@pytest.fixture(params=["memory", "redis"])
def app_client(request):
    if request.param == "memory":
        return APP, CLIENT
    app = create_app(Settings(redis_url=request.getfixturevalue("redis_url")))
    return app, TestClient(app)


def create(client, **config) -> str:
    r = client.post("/api/sessions?grids=none", json={"n_samples": 120, **config})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def stored(app, sid: str) -> bytes:
    """The session's whole state as the store holds it, as snapshot bytes."""
    return snapshot.dump(app.state.store.get(sid).load())


def weights(frame: dict) -> list:
    return [(layer["W"], layer["b"]) for layer in frame["layers"]]


def test_a_preview_is_the_next_step_and_leaves_the_session_as_it_was(app_client):
    app, client = app_client
    sid = create(client, optimizer="adam", batch_size=8)
    assert client.post(f"/api/sessions/{sid}/step", json={"steps": 4}).status_code == 200
    body = {"steps": 1, "unit": "batch", "trace": True, "grids": "output"}
    for _ in range(2):
        before = stored(app, sid)
        shown = client.get(f"/api/sessions/{sid}?grids=none").json()
        r = client.post(f"/api/sessions/{sid}/preview", json=body)
        assert r.status_code == 200, r.text
        p = r.json()
        assert stored(app, sid) == before
        assert client.get(f"/api/sessions/{sid}?grids=none").json() == shown
        assert p["now"]["step"] == shown["frame"]["step"]
        assert p["now"]["loss"]["train"] == shown["frame"]["loss"]["train"]
        step = client.post(f"/api/sessions/{sid}/step", json=body).json()
        assert weights(p["frame"]) == weights(step)  # JSON numbers: float64, round-tripped
        assert p["frame"]["loss"] == step["loss"] and p["frame"]["step"] == step["step"]
        assert p["frame"]["grid"]["output"] == step["grid"]["output"]
        assert p["frame"]["trace_indices"] == step["trace_indices"]
        ex = p["example"]
        assert ex["index"] == step["trace_indices"][0]
        after = client.get(f"/api/sessions/{sid}/examples/{ex['index']}").json()
        assert ex["after"]["loss"] == after["loss"]
        assert ex["after"]["output"] == after["layers"][-1]["a"]


def test_a_preview_follows_the_example_asked_for(app_client):
    _, client = app_client
    sid = create(client)
    now = client.get(f"/api/sessions/{sid}/examples/7").json()
    p = client.post(f"/api/sessions/{sid}/preview", json={"example": 7}).json()
    assert p["example"]["index"] == 7 and p["example"]["before"]["loss"] == now["loss"]
    assert p["example"]["label"] == now["label"]
    assert "Z" not in p["frame"]["layers"][0] and p["frame"]["grid"] is None  # asked for none
    r = client.post(f"/api/sessions/{sid}/preview", json={"example": 60})  # 60 training points
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "example"
    r = client.post(f"/api/sessions/{sid}/preview", json={"steps": LIMITS.max_steps + 1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "steps"


def test_a_preview_of_a_diverging_step_is_a_409_and_changes_nothing():
    app, client = APP, CLIENT
    sid = create(
        client, learning_rate=10.0, init="he", hidden=[{"units": 8, "activation": "relu"}] * 4
    )
    for _ in range(200):
        before = stored(app, sid)
        r = client.post(f"/api/sessions/{sid}/preview", json={"unit": "epoch"})
        if r.status_code == 409:
            break
        client.post(f"/api/sessions/{sid}/step", json={"unit": "epoch"})
    assert r.status_code == 409 and r.json()["code"].startswith("diverged")
    assert stored(app, sid) == before


def test_the_landscape_has_its_grid_path_and_current_point(app_client):
    _, client = app_client
    sid = create(client)
    frame = client.post(f"/api/sessions/{sid}/step", json={"steps": 20}).json()
    r = client.get(f"/api/sessions/{sid}/landscape?a=1,2,1&b=2,1,3&n=21")
    assert r.status_code == 200, r.text
    s = r.json()
    assert (s["a"]["l"], s["a"]["j"], s["a"]["k"]) == (1, 2, 1)
    assert len(s["a"]["values"]) == len(s["b"]["values"]) == 21
    loss = np.array(s["loss"], dtype=float)
    assert loss.shape == (21, 21) and np.isfinite(loss).all()
    W1, W2 = frame["layers"][0]["W"], frame["layers"][1]["W"]
    now = s["current"]
    assert (now["step"], now["a"], now["b"]) == (20, W1[2][1], W2[1][3])
    assert now["loss"] == frame["loss"]["train"]
    assert s["a"]["values"][10] == now["a"] and s["b"]["values"][10] == now["b"]
    assert loss[10, 10] == pytest.approx(frame["loss"]["train"], rel=1e-6)
    path = s["path"]
    assert path and path[-1]["step"] == 20
    assert (path[-1]["a"], path[-1]["b"]) == (now["a"], now["b"])
    assert [p["step"] for p in path] == sorted(p["step"] for p in path)
    assert 0 < s["seconds"] < 1
    # the default grid's side
    assert len(client.get(f"/api/sessions/{sid}/landscape?a=1,0,0&b=3,0,1").json()["loss"]) == 41


@pytest.mark.parametrize(
    "query, field, says",
    [
        ("a=1,0,0&b=1,0,0", "b", "another weight"),
        ("a=4,0,0&b=1,0,0", "a", "1..3"),  # 2 hidden layers: L = 3
        ("a=1,4,0&b=1,0,0", "a", "0..3"),  # 4 units in layer 1
        ("a=1,0,0&b=2,0,4", "b", "0..3"),
        ("a=1;0;0&b=1,0,0", "a", "l,j,k"),
        ("b=1,0,0", "a", ""),
        (f"a=1,0,0&b=2,0,0&n={LIMITS.min_landscape_grid - 1}", "n", str(LIMITS.min_landscape_grid)),
        (f"a=1,0,0&b=2,0,0&n={LIMITS.max_landscape_grid + 1}", "n", str(LIMITS.max_landscape_grid)),
    ],
)
def test_a_bad_landscape_request_is_a_422_naming_the_field_and_bound(query, field, says):
    client = CLIENT
    sid = create(client)
    r = client.get(f"/api/sessions/{sid}/landscape?{query}")
    assert r.status_code == 422, r.text
    error = r.json()["errors"][0]
    assert error["field"] == field and says in r.json()["detail"]


def test_a_deployment_may_lower_the_grid_and_the_work_names_the_most():
    client = TestClient(create_app(Settings(max_landscape_grid=21)))
    sid = create(client)
    assert client.get("/api/options").json()["limits"]["max_landscape_grid"] == 21
    r = client.get(f"/api/sessions/{sid}/landscape?a=1,0,0&b=2,0,0&n=31")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "n"
    # the full bounds: the work budget decides (both weights in layer 1 of the largest net)
    big = {"n_samples": 2000, "train_fraction": 0.9, "hidden": [{"units": 32}] * 8}
    client = CLIENT
    sid = client.post("/api/sessions?grids=none", json=big).json()["id"]
    r = client.get(f"/api/sessions/{sid}/landscape?a=1,0,0&b=1,1,1&n={LIMITS.max_landscape_grid}")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "n"
    most = r.json().get("limit")
    assert most is None or LIMITS.min_landscape_grid <= most < LIMITS.max_landscape_grid
