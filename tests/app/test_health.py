from fastapi.testclient import TestClient

from app import __version__
from app.main import create_app


def test_health_says_ok_and_the_version():
    r = TestClient(create_app()).get("/api/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": __version__}


def test_every_405_names_the_methods_the_path_takes():
    c = TestClient(create_app())
    sid = c.post("/api/sessions", json={"n_samples": 20}).json()["id"]
    cases = {
        ("PUT", "/api/health"): "GET",
        ("DELETE", "/api/circuits"): "POST",
        ("GET", f"/api/sessions/{sid}/step"): "POST",
        ("POST", f"/api/sessions/{sid}"): "DELETE, GET, PATCH",  # three routes, one path
        ("OPTIONS", "/api/sessions/import"): "POST",  # not also /api/sessions/{session_id}
        ("PUT", "/api/circuits/presets"): "GET",
        ("POST", "/circuit"): "GET",
        ("PUT", "/static/js/api.js"): "GET, HEAD",  # the static files' own answer
    }
    for (method, path), allow in cases.items():
        r = c.request(method, path)
        assert r.status_code == 405 and r.headers["allow"] == allow, (method, path)
