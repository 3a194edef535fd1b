"""One Chromium for every browser test (Playwright driving Debian's /usr/bin/chromium).

Without Chromium the browser tests skip, saying why; with BACKPROP_REQUIRE_BROWSER=1 (as
.ci/run sets it) they fail instead, so CI cannot pass without running them.

The pages' Content-Security-Policy forbids eval: give `page.wait_for_function` a function
("() => window.x === 1"), not a bare expression, which Playwright would run through eval.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    missing = None
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "Playwright for Python is not installed (pip install playwright)"
    if missing:
        if os.environ.get("BACKPROP_REQUIRE_BROWSER") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class PageProbe:
    """A page with its console errors and every request it made."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def outside(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlparse(u).hostname not in ("127.0.0.1",) and not u.startswith(("data:", "blob:"))
        ]

    def frame(self) -> dict:
        return self.page.evaluate("window.backpropLab.frame")

    def config(self) -> dict:
        return self.page.evaluate("window.backpropLab.session.config")

    def ready(self, timeout: float = 20000) -> None:
        self.page.wait_for_selector("body[data-ready='1']", timeout=timeout)

    def idle(self) -> None:
        """Wait until every queued server call has finished."""
        self.page.evaluate("window.backpropLab.queue")

    def neuron_detail(self, name: str = "Neuron 2 of layer 1") -> None:
        """One step, then a click on a neuron: the inspector shows its typeset numbers."""
        self.page.get_by_role("button", name="Step", exact=True).click()
        self.page.wait_for_function("() => window.backpropLab.frame.step === 1")
        self.idle()
        self.page.locator(f".neuron[aria-label='{name}']").click()
        self.page.get_by_role("complementary", name="Example inspector").wait_for(state="visible")
        self.page.wait_for_selector("#inspector .eq math")
        self.idle()


@pytest.fixture
def lab(chromium, live_server):
    """A fresh page at 1280x800 on the live server; a function to open a URL on it."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20000)
    probe = PageProbe(page)

    def open(query: str = "") -> PageProbe:
        page.goto(f"{live_server}/{query}")
        probe.ready()
        return probe

    probe.open = open
    yield probe
    context.close()
