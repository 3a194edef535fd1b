"""One table of limits (nncore/limits.py), honoured by the app that was given it."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from nncore import modelfile
from nncore.errors import InputError
from nncore.limits import LIMITS, config_ranges
from nncore.trainer import Config, Trainer


def session(client, **config):
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_a_tightened_limit_is_the_apps_bound_and_what_options_say():
    client = TestClient(create_app(Settings(max_steps=7)))
    sid = session(client)
    assert client.get("/api/options").json()["limits"]["max_steps"] == 7
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": 8})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "steps" and "7" in r.json()["detail"]
    assert client.post(f"/api/sessions/{sid}/step", json={"steps": 7}).json()["step"] == 7
    schema = client.get("/openapi.json").json()["components"]["schemas"]["StepRequest"]
    assert schema["properties"]["steps"]["maximum"] == 7


def test_the_environment_tightens_the_limits(monkeypatch):
    monkeypatch.setenv("BACKPROP_MAX_STEPS", "7")
    monkeypatch.setenv("BACKPROP_MAX_SAMPLES", "300")
    client = TestClient(create_app(Settings()))
    options = client.get("/api/options").json()
    assert options["limits"]["max_steps"] == 7 and options["ranges"]["n_samples"]["max"] == 300
    assert client.post("/api/sessions", json={"n_samples": 301}).status_code == 422
    assert client.post("/api/sessions", json={"n_samples": 300}).status_code == 201


def test_a_setting_cannot_widen_the_cores_limits():
    with pytest.raises(InputError, match="max_steps"):
        create_app(Settings(max_steps=LIMITS.max_steps + 1))


def test_the_schema_the_core_and_the_page_share_every_range():
    client = TestClient(create_app(Settings()))
    options = client.get("/api/options").json()
    props = client.get("/openapi.json").json()["components"]["schemas"]["Config"]["properties"]
    for name, r in config_ranges().items():
        assert options["ranges"][name]["max"] == r.hi
        if name == "units":
            continue
        assert props[name]["maximum"] == r.hi
        assert props[name].get("minimum", props[name].get("exclusiveMinimum")) == r.lo
        assert options["defaults"][name] == getattr(Config(), name)
    # below the table's minimum: refused alike by the service and by the core
    r = client.post("/api/sessions", json={"n_samples": LIMITS.min_samples - 1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "n_samples"
    with pytest.raises(InputError, match="n_samples"):
        Trainer(Config(n_samples=LIMITS.min_samples - 1))


def test_the_page_menus_come_from_the_api():
    options = TestClient(create_app(Settings())).get("/api/options").json()
    assert options["choices"]["learning_rate"][-1] <= options["ranges"]["learning_rate"]["max"]
    assert options["model_format"] == {"format": modelfile.FORMAT, "version": modelfile.VERSION}


@pytest.mark.parametrize("steps, ok", [(222.0, True), (3, True), (2.5, False), (True, False)])
def test_whole_number_floats_are_integers_as_json_schema_says(steps, ok):
    client = TestClient(create_app(Settings()))
    sid = session(client)
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": steps})
    assert (r.status_code == 200) == ok, r.text
    if ok:
        assert r.json()["step"] == int(steps)


def test_only_the_cores_input_error_is_a_422_any_other_error_is_a_500(monkeypatch):
    client = TestClient(create_app(Settings()), raise_server_exceptions=False)
    sid = session(client)

    def broken(self, *args, **kwargs):
        raise ValueError("steps: looks like a field, but is a bug")

    monkeypatch.setattr(Trainer, "step", broken)
    r = client.post(f"/api/sessions/{sid}/step", json={})
    assert r.status_code == 500 and "bug" not in r.text

    def refused(self, *args, **kwargs):
        raise InputError("steps", "refused by the core")

    monkeypatch.setattr(Trainer, "step", refused)
    r = client.post(f"/api/sessions/{sid}/step", json={})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "steps", "message": "refused by the core"}]


def test_the_model_file_has_one_reader_and_one_writer():
    t = Trainer(Config(dataset="xor"))
    t.step(30)
    saved = modelfile.write(t)
    again = modelfile.read(saved)
    assert (again.net.params == t.net.params).all() and again.step_count == 30
    for bad, field in [
        ({**saved, "format": "other"}, "format"),
        ({**saved, "step": 2**53}, "step"),
        ({**saved, "epoch": -1}, "epoch"),
        ({**saved, "layers": saved["layers"][:1]}, "layers"),
    ]:
        with pytest.raises(InputError) as e:
            modelfile.read(bad)
        assert e.value.field == field


@pytest.mark.parametrize("name", ["step", "epoch"])
@pytest.mark.parametrize("value", [2**53, 2**64 - 1, 2**64, 10**30])
def test_importing_counters_too_large_for_json_is_a_422_and_takes_no_slot(name, value):
    client = TestClient(create_app(Settings(max_sessions=3)))
    sid = session(client)
    model = client.get(f"/api/sessions/{sid}/model").json()
    for _ in range(5):
        r = client.post("/api/sessions/import", json={**model, name: value})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == name
    # the refused imports took no slot: the two left are still there
    r = client.post("/api/sessions/import", json={**model, name: LIMITS.max_step_count})
    assert r.status_code == 201
    new = r.json()["id"]
    assert client.get(f"/api/sessions/{new}").json()["frame"][name] == LIMITS.max_step_count
    assert client.get(f"/api/sessions/{new}/model").status_code == 200
    session(client)
