"""Where the app's files are: the installed package's copies, or the checkout's own folders.

A wheel ships `static/` and `templates/` inside the `app` package (see pyproject.toml); a
source checkout (`python -m app` from the repository root, or an editable install) keeps them
at the top of the repository. Everything that reads these files takes its path from here.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# StaticFiles, Jinja2 and FileResponse read from disk: the package must be a folder, not a zip.
PACKAGE = Path(str(resources.files("app")))


def _folder(name: str) -> Path:
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / name


STATIC = _folder("static")
TEMPLATES = _folder("templates")
DATA = PACKAGE / "data"
