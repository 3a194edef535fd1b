"""compose.yaml cannot be run here (no Docker engine): it is parsed and checked instead."""

import os
from pathlib import Path

import yaml

from app.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_the_app_on_several_workers_with_a_persistent_redis():
    spec = yaml.safe_load((ROOT / "compose.yaml").read_text())
    app, store = spec["services"]["app"], spec["services"]["redis"]
    assert app["build"] == "." and (ROOT / "Dockerfile").exists()
    command = app["command"]
    workers = int(command[command.index("--workers") + 1])
    url = command[command.index("--redis") + 1]
    assert workers > 1 and url.startswith("redis://redis:")
    assert "redis" in app["depends_on"] and "8000:8000" in app["ports"]
    assert app["environment"]["BACKPROP_HOST"] == "0.0.0.0"
    assert "--appendonly" in store["command"] and "yes" in store["command"]
    assert any(v.endswith(":/data") for v in store["volumes"]) and "redis-data" in spec["volumes"]


def test_the_compose_command_is_one_backprop_lab_accepts(monkeypatch):
    spec = yaml.safe_load((ROOT / "compose.yaml").read_text())
    command = spec["services"]["app"]["command"]
    assert command[0] == "backprop-lab"
    seen = {}
    monkeypatch.setattr(os, "environ", dict(os.environ))  # the workers' settings stay here
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: seen.update(kw, app=app))
    main(command[1:])
    assert seen["workers"] == 2 and seen["app"] == "app.main:create_app" and seen["factory"]
    assert os.environ["BACKPROP_REDIS_URL"] == "redis://redis:6379/0"  # what each worker reads
    assert os.environ["BACKPROP_WORKERS"] == "2"
