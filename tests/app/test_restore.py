"""The 409 of a divergence names the step to go back to and a lower rate; POST .../restore
goes back there."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app

PLANE_AT_3 = {"problem": "regression", "dataset": "plane", "learning_rate": 3}


@pytest.fixture
def client():
    return TestClient(create_app())


def diverged(client, config=PLANE_AT_3):
    s = client.post("/api/sessions?grids=none", json=config).json()
    r = client.post(f"/api/sessions/{s['id']}/step", json={"steps": 100})
    assert r.status_code == 409, r.text
    return s["id"], r.json()


def test_the_409_names_the_last_good_step_and_a_lower_rate(client):
    sid, e = diverged(client)
    assert 0 <= e["last_good_step"] < e["step"]
    assert 0 < e["suggested_learning_rate"] < 3
    assert f"step {e['last_good_step']}" in e["detail"] and "learning rate" in e["detail"]


def test_restore_goes_back_with_the_lower_rate_and_training_goes_on(client):
    sid, e = diverged(client)
    rate = e["suggested_learning_rate"]
    r = client.post(f"/api/sessions/{sid}/restore?grids=output", json={"learning_rate": rate})
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["frame"]["step"] == e["last_good_step"] and s["config"]["learning_rate"] == rate
    assert s["frame"]["grid"]["neurons"] is None  # the grids asked for, like reset
    assert all(h["step"] <= e["last_good_step"] for h in s["history"])
    f = client.post(f"/api/sessions/{sid}/step", json={"steps": 300}).json()
    assert f["loss"]["train"] < s["frame"]["loss"]["train"] / 3


def test_restore_without_a_body_keeps_the_rate_and_diverges_again(client):
    sid, e = diverged(client)
    r = client.post(f"/api/sessions/{sid}/restore", json={})
    assert r.status_code == 200 and r.json()["config"]["learning_rate"] == 3
    again = client.post(f"/api/sessions/{sid}/step", json={"steps": 100}).json()
    assert again["step"] == e["step"]  # bit for bit: the same run


@pytest.mark.parametrize(
    "body, field",
    [
        ({"learning_rate": 0}, "learning_rate"),
        ({"learning_rate": -0.1}, "learning_rate"),
        ({"learning_rate": 11}, "learning_rate"),
        ({"learning_rate": "0.1"}, "learning_rate"),
        ({"rate": 0.1}, "rate"),
    ],
)
def test_bad_restore_is_a_422_and_changes_nothing(client, body, field):
    sid, e = diverged(client)
    r = client.post(f"/api/sessions/{sid}/restore", json=body)
    assert r.status_code == 422 and field in r.json()["detail"]
    r = client.post(f"/api/sessions/{sid}/restore", json={"learning_rate": 0.3})
    assert r.status_code == 200 and r.json()["frame"]["step"] == e["last_good_step"]


def test_restore_without_a_divergence_is_a_422(client):
    s = client.post("/api/sessions?grids=none", json={}).json()
    client.post(f"/api/sessions/{s['id']}/step", json={"steps": 3})
    r = client.post(f"/api/sessions/{s['id']}/restore", json={})
    assert r.status_code == 422 and "not diverged" in r.json()["detail"]


def test_restore_of_an_unknown_session_is_a_404(client):
    r = client.post("/api/sessions/nope/restore", json={})
    assert r.status_code == 404


def test_restore_is_in_the_schema(client):
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/sessions/{session_id}/restore"]["post"]
    assert "last_good_step" in op["description"]
    error = spec["components"]["schemas"]["Error"]["properties"]
    assert "last_good_step" in error and "suggested_learning_rate" in error
    rate = spec["components"]["schemas"]["RestoreRequest"]["properties"]["learning_rate"]
    assert "anyOf" in rate or "exclusiveMinimum" in rate
