"""End to end: the real `python -m app` under uvicorn, over HTTP on 127.0.0.1."""

import json
import urllib.request


def call(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data, {"content-type": "application/json"}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_a_session_over_real_http(live_server):
    status, health = call("GET", f"{live_server}/api/health")
    assert status == 200 and health["status"] == "ok"
    status, s = call("POST", f"{live_server}/api/sessions", {"dataset": "gauss"})
    assert status == 201
    sid = s["id"]
    status, f = call(
        "POST",
        f"{live_server}/api/sessions/{sid}/step",
        {"steps": 200, "trace": True, "grids": "all"},
    )
    assert status == 200 and f["step"] == 200 and f["accuracy"]["test"] > 0.9
    assert f["grid"]["output"]["dtype"] == "f4"
    status, e = call("PATCH", f"{live_server}/api/sessions/{sid}", {"learning_rate": 99})
    assert status == 422 and e["errors"][0]["field"] == "learning_rate"
    status, _ = call("DELETE", f"{live_server}/api/sessions/{sid}")
    assert status == 204
    assert call("GET", f"{live_server}/api/sessions/{sid}")[0] == 404
