from fastapi.testclient import TestClient

from app import __version__
from app.main import create_app


def test_health_says_ok_and_the_version():
    r = TestClient(create_app()).get("/api/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": __version__}
