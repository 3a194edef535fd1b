"""Security headers on every answer, and the Host check against DNS rebinding."""

from __future__ import annotations

import http.client
import socket
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.middleware import allowed_hosts
from app.settings import Settings

client = TestClient(create_app())
PAGES = ["/", "/circuit", "/compare", "/docs", "/redoc"]


def directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", PAGES)
def test_pages_allow_only_this_server(path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = directives(r.headers["content-security-policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    # inline scripts only by hash (Swagger UI's start-up call), never eval
    assert all(s == "'self'" or s.startswith("'sha256-") for s in csp["script-src"])
    for sources in csp.values():
        assert not any(s.startswith("http") or s == "*" for s in sources), csp
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-cache"


def test_swagger_uis_inline_script_is_allowed_by_its_hash():
    csp = directives(client.get("/docs").headers["content-security-policy"])
    assert len([s for s in csp["script-src"] if s.startswith("'sha256-")]) == 1
    csp = directives(client.get("/").headers["content-security-policy"])
    assert csp["script-src"] == ["'self'"]


@pytest.mark.parametrize("path", ["/api/health", "/api/options", "/favicon.ico", "/nothing"])
def test_every_answer_is_nosniff_and_only_pages_carry_a_policy(path):
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "content-security-policy" not in r.headers


def test_frame_ancestors_come_from_the_settings():
    course = TestClient(create_app(Settings(frame_ancestors="'self' https://course.example")))
    for path in PAGES:
        csp = directives(course.get(path).headers["content-security-policy"])
        assert csp["frame-ancestors"] == ["'self'", "https://course.example"]


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "localhost:9", "[::1]:8000"])
def test_loopback_names_are_answered(host):
    r = client.get("/api/health", headers={"Host": host})
    assert r.status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_a_foreign_host_gets_a_400(host):
    r = client.get("/", headers={"Host": host})
    assert r.status_code == 400
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.post("/api/sessions", json={}, headers={"Host": host}).status_code == 400


def test_the_setting_adds_hosts_and_a_star_turns_the_check_off():
    lab = TestClient(create_app(Settings(allowed_hosts=["lab.school.example"])))
    assert lab.get("/api/health", headers={"Host": "lab.school.example"}).status_code == 200
    assert lab.get("/api/health", headers={"Host": "127.0.0.1"}).status_code == 200
    assert lab.get("/api/health", headers={"Host": "evil.example"}).status_code == 400
    anyone = TestClient(create_app(Settings(allowed_hosts=["*"])))
    assert anyone.get("/api/health", headers={"Host": "evil.example"}).status_code == 200


def test_the_environment_lists_hosts_separated_by_commas(monkeypatch):
    monkeypatch.setenv("BACKPROP_ALLOWED_HOSTS", "a.example, b.example")
    assert Settings().allowed_hosts == ["a.example", "b.example"]


def test_the_bound_address_is_allowed():
    assert "192.168.1.5" in allowed_hosts(Settings(host="192.168.1.5", allowed_hosts=[]))
    assert "[fe80::1]" in allowed_hosts(Settings(host="fe80::1", allowed_hosts=[]))
    hosts = allowed_hosts(Settings(host="127.0.0.1", allowed_hosts=[]))
    assert hosts == ["127.0.0.1", "[::1]", "localhost"]


def test_every_interface_allows_this_machines_names_and_addresses():
    hosts = allowed_hosts(Settings(host="0.0.0.0", allowed_hosts=[]))
    assert {"127.0.0.1", "localhost", "[::1]", socket.gethostname().lower()} <= set(hosts)
    assert "evil.example" not in hosts


def test_the_real_server_refuses_a_rebound_name(live_server):
    # A browser at http://evil.example:PORT/ whose DNS now says 127.0.0.1 sends this request.
    conn = http.client.HTTPConnection(urlparse(live_server).hostname, urlparse(live_server).port)
    conn.request(
        "GET", "/api/health", headers={"Host": f"evil.example:{urlparse(live_server).port}"}
    )
    assert conn.getresponse().status == 400
    conn.close()
