"""The wheel is the product: built from a copy of the tree, installed in a fresh venv, run.

The build runs on a copy because setuptools writes build/ and *.egg-info into the folder it
builds, and without build isolation, with the setuptools the test extra installs: the test
itself reaches nothing beyond this machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.conftest import ROOT, _free_port

# What the Dockerfile copies: everything the wheel is built from.
SOURCES = ["pyproject.toml", "README.md", "nncore", "app", "static", "templates"]
JS_IMPORT = re.compile(
    r"""(?:\bimport|\bexport)\s[^;"'`]*?\bfrom\s*(["'])(.+?)\1"""  # import x from "./a.js"
    r"""|\bimport\s*(["'])(.+?)\3"""  # import "./a.js"
    r"""|\bimport\(\s*(["'`])(.+?)\5\s*\)"""  # import("./a.js"), import(`./lang/${x}.js`)
)


class _Assets(HTMLParser):
    """The URLs of the scripts and stylesheets (and icons) a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href") and not a["href"].startswith("data:"):
            self.urls.append(a["href"])


def _get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _assets(base: str, html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return [urljoin(base, u) for u in parser.urls]


def _imports(url: str, js: str, static: Path) -> list[str]:
    """The modules a JS file imports; a template import names every shipped file that fits."""
    found = []
    for m in JS_IMPORT.finditer(js):
        spec = m.group(2) or m.group(4) or m.group(6)
        if "${" not in spec:
            found.append(urljoin(url, spec))
            continue
        # ./lang/${language}.js: every file the wheel ships in lang/ ending in .js
        head, tail = spec.split("${")[0], spec.rsplit("}", 1)[1]
        path = urlparse(url).path
        here = next(
            f for f in static.rglob("*.js") if path.endswith("/" + f.relative_to(static).as_posix())
        )
        for f in sorted((here.parent / head).glob("*" + tail)):
            found.append(urljoin(url, head + f.name))
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv python, the installed app package folder) for a wheel built from a copy."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    subprocess.run([*build, "-w", str(tmp / "dist"), str(src)], check=True)
    (wheel,) = (tmp / "dist").glob("backprop_lab-*.whl")
    venv = tmp / "venv"
    # The venv sees this interpreter's packages (no network for the dependencies) but gets
    # its own copy of backprop-lab; pip runs from outside it, so the venv needs no pip.
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        check=True,
    )
    python = venv / "bin" / "python"
    # --ignore-installed: a backprop-lab already installed outside the venv must not count
    install = [
        *pip,
        "--python",
        str(python),
        "install",
        "--no-deps",
        "--no-index",
        "--ignore-installed",
    ]
    subprocess.run([*install, str(wheel)], check=True)
    empty = tmp / "empty"
    empty.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import app; print(app.__file__)"],
        cwd=empty,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    package = Path(where).parent
    assert package.is_relative_to(venv), f"app was imported from {where}, not the venv"
    return venv, package, empty


def _env() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


@pytest.fixture(scope="module")
def server(installed):
    venv, package, empty = installed
    port = _free_port()
    proc = subprocess.Popen(
        [str(venv / "bin" / "backprop-lab"), "--port", str(port)],
        cwd=empty,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while _poll(url) is None:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"backprop-lab from the wheel did not start: {proc.stdout.read()}")
        time.sleep(0.1)
    yield url, package
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _poll(url: str) -> int | None:
    try:
        return _get(f"{url}/api/health", timeout=1)[0]
    except OSError:
        return None


def test_the_wheel_ships_the_page_and_the_data(installed):
    _, package, _ = installed
    for name in ("static/js/main.js", "static/css/app.css", "templates/index.html"):
        assert (package / name).is_file(), name
    assert (package / "data" / "circuits.json").is_file()
    assert (package / "data" / "lessons.json").is_file()


def test_the_installed_server_serves_every_page_and_what_it_loads(server):
    url, package = server
    fetched: dict[str, int] = {}
    todo: list[str] = []
    for path in ("/", "/circuit", "/compare", "/docs", "/redoc"):
        status, body = _get(url + path)
        fetched[path] = status
        todo += _assets(url + path, body.decode())
    for path in ("/openapi.json", "/vendor/plotly.min.js", "/api/options", "/api/lessons"):
        todo.append(url + path)
    todo.append(url + "/api/circuits/presets")
    seen: set[str] = set()
    while todo:
        asset = todo.pop()
        if asset in seen:
            continue
        seen.add(asset)
        assert urlparse(asset).netloc == urlparse(url).netloc, f"loaded from elsewhere: {asset}"
        status, body = _get(asset)
        fetched[urlparse(asset).path] = status
        if urlparse(asset).path.startswith("/static/") and asset.endswith(".js"):
            todo += _imports(asset, body.decode(), package / "static")
    assert {p: s for p, s in fetched.items() if s != 200} == {}
    scripts = [p for p in fetched if p.endswith(".js")]
    for name in ("main.js", "circuit.js", "lang/zh.js", "plotly.min.js", "redoc.standalone.js"):
        assert any(p.endswith("/" + name) for p in scripts), (name, scripts)
