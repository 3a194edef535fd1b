"""POST /api/notes/two-layer: the notes' two-layer code and the core, run by the server."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from nncore.notes_code import NOTES_CODE, the_notes_step

client = TestClient(create_app())
URL = "/api/notes/two-layer"


def test_the_default_run_matches_iteration_by_iteration():
    r = client.post(URL, json={})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["sizes"] == {"N": 64, "D_in": 50, "H": 50, "D_out": 10}
    assert body["iterations"] == 1000 and body["seed"] == 0 and body["rate"] == 1e-4
    assert body["alpha"] == pytest.approx(2 * 64 * 1e-4)
    assert len(body["steps"]) == len(body["notes"]) == len(body["core"]) <= 200
    assert body["steps"][0] == 0 and body["steps"][-1] == 999
    np.testing.assert_allclose(body["core"], body["notes"], rtol=1e-9)
    assert 0 <= body["max_relative_difference"] < 1e-9
    assert body["notes"][-1] < body["notes"][0] / 50  # the loss falls as the notes say
    assert "\n".join(row["notes"] for row in body["code"]) == NOTES_CODE


def test_the_first_loss_is_the_notes_step_on_the_seeds_data():
    r = client.post(
        URL, json={"N": 16, "D_in": 30, "H": 20, "D_out": 3, "iterations": 2, "seed": 5}
    )
    assert r.status_code == 200, r.text
    rng = np.random.default_rng(5)
    x, y = rng.standard_normal((16, 30)), rng.standard_normal((16, 3))
    w1, w2 = rng.standard_normal((30, 20)), rng.standard_normal((20, 3))
    first = the_notes_step(x, y, w1, w2)
    second = the_notes_step(x, y, w1, w2)
    assert r.json()["notes"] == [first, second]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"N": 0}, "N"),
        ({"D_in": 1001}, "D_in"),
        ({"H": 2.5}, "H"),
        ({"D_out": "10"}, "D_out"),
        ({"iterations": 10_001}, "iterations"),
        ({"seed": -1}, "seed"),
        ({"rate": 0.1}, "rate"),
    ],
)
def test_bad_fields_are_named(body, field):
    r = client.post(URL, json=body)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]


def test_too_much_work_names_the_most_iterations_allowed():
    r = client.post(URL, json={"N": 256, "D_in": 1000, "H": 200, "iterations": 10_000})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["errors"][0]["field"] == "iterations"
    assert 1 <= body["limit"] < 10_000
