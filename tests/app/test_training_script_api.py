"""GET /api/sessions/{id}/model.py?train=true: the training loop as a NumPy script, run."""

import json
import subprocess
import sys

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app

client = TestClient(create_app())
CONFIG = {
    "dataset": "circle",
    "n_samples": 200,
    "train_fraction": 0.5,
    "hidden": [{"units": 4, "activation": "tanh"}],
    "learning_rate": 0.3,
    "batch_size": 100,  # the whole training set: full-batch gradient descent
}


def run(text: str, tmp_path) -> list[float]:
    path = tmp_path / "training.py"
    path.write_text(text)
    r = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    tag, _, payload = r.stdout.splitlines()[-1].partition(" ")
    assert tag == "LOSSES"
    return json.loads(payload)


def test_the_scripts_epochs_give_the_sessions_losses(tmp_path):
    sid = client.post("/api/sessions?grids=none", json=CONFIG).json()["id"]
    client.post(f"/api/sessions/{sid}/step", json={"steps": 5})  # weights that have moved
    r = client.get(f"/api/sessions/{sid}/model.py?train=true&epochs=6")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/x-python")
    assert 'filename="backprop_lab_training.py"' in r.headers["content-disposition"]
    losses = run(r.text, tmp_path)
    assert len(losses) == 7
    session = client.get(f"/api/sessions/{sid}?grids=none").json()
    expected = [session["frame"]["loss"]["train"]]  # the frame's loss is float32
    for _ in range(6):
        f = client.post(f"/api/sessions/{sid}/step", json={"steps": 1, "unit": "epoch"}).json()
        expected.append(f["loss"]["train"])
    np.testing.assert_allclose(losses, expected, rtol=1e-6)
    assert losses[-1] < losses[0]


def test_without_the_flag_it_is_the_forward_script():
    sid = client.post("/api/sessions?grids=none", json=CONFIG).json()["id"]
    r = client.get(f"/api/sessions/{sid}/model.py")
    assert r.status_code == 200 and "PREDICTIONS" in r.text and "LOSSES" not in r.text
    r = client.get(f"/api/sessions/{sid}/model.py?train=true")
    assert "EPOCHS = 100" in r.text and "LEARNING_RATE = 0.3" in r.text


@pytest.mark.parametrize(
    "query, field",
    [
        ("train=maybe", "train"),
        ("train=true&epochs=0", "epochs"),
        ("train=true&epochs=ten", "epochs"),
        ("train=true&epochs=10001", "epochs"),
        ("epochs=5", "epochs"),
    ],
)
def test_bad_flags_are_422_naming_the_field(query, field):
    sid = client.post("/api/sessions?grids=none", json=CONFIG).json()["id"]
    r = client.get(f"/api/sessions/{sid}/model.py?{query}")
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]
