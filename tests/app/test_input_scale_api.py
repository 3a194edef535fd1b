"""Input scale over the API: CSV import without standardizing, and the lesson of the notes'
x100 (the inputs times 100 need a learning rate 10,000 times lower)."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.routes.meta import LESSONS

client = TestClient(create_app())
RAW = "x1,x2,label\n" + "".join(
    f"{100 + 3 * i},{-0.5 * i},{i % 2}\n" for i in range(20)
)  # inputs far from the plot's [-6, 6]


def session(**config) -> str:
    r = client.post("/api/sessions?grids=none", json=config)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_an_unstandardized_csv_keeps_its_own_numbers():
    sid = session()
    r = client.post(
        f"/api/sessions/{sid}/data/csv?grids=none", json={"csv": RAW, "standardize": False}
    )
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["own"] and data["scaling"] is None
    rows = sorted(map(tuple, data["train"]["X"] + data["test"]["X"]))
    assert rows == sorted((100.0 + 3 * i, -0.5 * i) for i in range(20))
    # standardized (the default), the same file lands in the plot's range
    r = client.post(f"/api/sessions/{sid}/data/csv?grids=none", json={"csv": RAW})
    X = np.array(r.json()["data"]["train"]["X"])
    assert r.json()["data"]["scaling"] is not None and np.abs(X).max() < 6


def test_an_unstandardized_value_beyond_the_limit_names_its_row_and_column():
    sid = session()
    text = "x1,x2,label\n1,2,0\n3,4,1\n5,-2e7,0\n"
    r = client.post(f"/api/sessions/{sid}/data/csv", json={"csv": text, "standardize": False})
    assert r.status_code == 422, r.text
    e = r.json()["errors"][0]
    assert e["field"] == "csv" and e["code"] == "csv.input_beyond"
    assert e["message"].startswith("row 4, column 2: '-2e7' is beyond ±1e+06")
    assert e["params"] == {"row": 4, "col": 2, "cell": "'-2e7'", "bound": "1e+06"}
    # standardized, the same file is fine
    assert client.post(f"/api/sessions/{sid}/data/csv", json={"csv": text}).status_code == 200


def test_a_regression_label_beyond_the_limit_is_a_422_not_a_500():
    sid = session(problem="regression", dataset="plane")
    r = client.post(f"/api/sessions/{sid}/data/csv", json={"csv": "1,2,0.5\n3,4,5e7\n"})
    assert r.status_code == 422, r.text
    e = r.json()["errors"][0]
    assert e["code"] == "csv.beyond" and e["message"] == "row 2, column 3: beyond ±1e+06"


@pytest.mark.parametrize("flag", ["no", 0, None])
def test_the_standardize_flag_is_a_boolean(flag):
    sid = session()
    r = client.post(f"/api/sessions/{sid}/data/csv", json={"csv": RAW, "standardize": flag})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "standardize"


def test_input_scale_is_a_bounded_published_field():
    options = client.get("/api/options").json()
    assert options["ranges"]["input_scale"] == {
        "min": 0.01,
        "max": 100.0,
        "integer": False,
        "open_min": False,
    }
    assert options["defaults"]["input_scale"] == 1.0
    assert 100 in options["choices"]["input_scale"]
    for bad in (0, 1000, "x"):
        r = client.post("/api/sessions", json={"input_scale": bad})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "input_scale"
    sid = session()
    r = client.patch(f"/api/sessions/{sid}?grids=none", json={"input_scale": 101})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "input_scale"


def test_the_scaled_data_is_the_same_points_times_the_scale():
    plain = client.post("/api/sessions?grids=none", json={"dataset": "gauss"}).json()
    scaled = client.post(
        "/api/sessions?grids=none", json={"dataset": "gauss", "input_scale": 100}
    ).json()
    np.testing.assert_allclose(
        np.array(scaled["data"]["train"]["X"]), 100 * np.array(plain["data"]["train"]["X"])
    )
    assert scaled["data"]["train"]["y"] == plain["data"]["train"]["y"]


LESSON = next(lesson for lesson in LESSONS if lesson.id == "input-scale")


def lesson_session(**changes) -> str:
    return session(**{**LESSON.config.model_dump(exclude_none=True), **changes})


def epochs(sid: str, n: int):
    return client.post(f"/api/sessions/{sid}/step", json={"steps": n, "unit": "epoch"})


def test_the_lesson_diverges_at_its_rate_and_trains_at_the_smaller_one():
    config = LESSON.config
    assert config.input_scale == 100
    sid = lesson_session()
    r = epochs(sid, 5)
    assert r.status_code == 409, r.text  # inputs x100 at the rate that suits x1: it diverges
    # the rate the caption suggests: 10,000 times lower
    small = config.learning_rate / 100**2
    assert "0.00001" in LESSON.caption.en and small == pytest.approx(1e-5)
    sid = lesson_session(learning_rate=1e-5)
    start = client.get(f"/api/sessions/{sid}?grids=none").json()["frame"]["loss"]["train"]
    r = epochs(sid, 20)
    assert r.status_code == 200, r.text
    assert r.json()["loss"]["train"] < start / 1000
    # and the unscaled data trains at the lesson's own rate
    sid = lesson_session(input_scale=1)
    start = client.get(f"/api/sessions/{sid}?grids=none").json()["frame"]["loss"]["train"]
    r = epochs(sid, 20)
    assert r.status_code == 200 and r.json()["loss"]["train"] < start / 1000
