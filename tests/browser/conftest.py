"""One Chromium for every browser test (Playwright driving Debian's /usr/bin/chromium).

Without Chromium the browser tests skip, saying why; with BACKPROP_REQUIRE_BROWSER=1 (as
.ci/run sets it) they fail instead, so CI cannot pass without running them.

The pages' Content-Security-Policy forbids eval: give `page.wait_for_function` a function
("() => window.x === 1"), not a bare expression, which Playwright would run through eval.
"""

from __future__ import annotations

import os
import re
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


# A counter as the page shows it ("12,345"), as a number, in the page.
def shown_count(element_id: str) -> str:
    return f"Number(document.getElementById('{element_id}').textContent.replace(/,/g, ''))"


class PageProbe:
    """A page with its console errors and every request it made.

    It talks to the page as a user would (clicks, the texts shown) and through the page's
    documented test hook, window.backpropLab (static/js/testhook.js), for what no text shows.
    """

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

    def hook(self, member: str, *args):
        """window.backpropLab.<member>(*args), awaited if it is a promise."""
        return self.page.evaluate(
            "([member, args]) => window.backpropLab[member](...args)", [member, list(args)]
        )

    def frame(self) -> dict:
        return self.hook("frame")

    def config(self) -> dict:
        return self.hook("config")

    def data(self) -> dict:
        return self.hook("data")

    def session_id(self) -> str:
        return self.hook("sessionId")

    def ready(self, timeout: float = 20000) -> None:
        self.page.wait_for_selector("body[data-ready='1']", timeout=timeout)

    def idle(self) -> None:
        """Wait until every queued server call has finished."""
        self.hook("idle")

    def steps(self) -> int:
        """The step counter as the page shows it."""
        return self.page.evaluate(f"() => {shown_count('step-count')}")

    def epochs(self) -> int:
        return self.page.evaluate(f"() => {shown_count('epoch-count')}")

    def loss(self, which: str = "train") -> float | None:
        """The training or test loss as the page shows it ("0.1234", "3.000 × 10¹⁰", "–")."""
        text = self.page.locator(f"#loss-{which}").inner_text().strip()
        if text == "–":
            return None
        m = re.fullmatch(r"(−?[\d.]+)(?: × 10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", text)
        assert m, text
        digits = m.group(2) or "⁰"
        exponent = int(digits.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
        return float(m.group(1).replace("−", "-")) * 10.0**exponent

    def wait_steps(self, condition: str, timeout: float = 20000) -> None:
        """Wait until the step counter shown meets the condition (say ">= 400")."""
        self.page.wait_for_function(
            f"() => {shown_count('step-count')} {condition}", timeout=timeout
        )

    def wait_epochs(self, condition: str, timeout: float = 20000) -> None:
        self.page.wait_for_function(
            f"() => {shown_count('epoch-count')} {condition}", timeout=timeout
        )

    def wait_frame(self, condition: str, timeout: float = 20000) -> None:
        """Wait until the frame drawn meets the condition on `f` (say "f.step === 1"): in slow
        motion the step counter shows a step before its phases have played and it is drawn."""
        self.page.wait_for_function(
            f"() => {{ const f = window.backpropLab.frame(); return {condition}; }}",
            timeout=timeout,
        )

    def click_at(self, at: dict) -> None:
        """Hover, then click: Plotly picks the point under the pointer on hover."""
        self.page.mouse.move(at["x"], at["y"])
        self.page.wait_for_timeout(150)
        self.page.mouse.click(at["x"], at["y"])

    def click_point(self, index: int) -> None:
        """Click training point `index` on the output plot, as a user would."""
        self.page.wait_for_function(
            "() => document.querySelector('#output-plot .scatterlayer .point')"
        )
        self.click_at(self.hook("pointAt", index))

    def click_edge(self, l: int, j: int, k: int) -> dict:
        at = self.hook("edgePoint", l, j, k)
        self.click_at(at)
        return at

    def neuron_detail(self, name: str = "Neuron 2 of layer 1") -> None:
        """One step, then a click on a neuron: the inspector shows its typeset numbers."""
        self.page.get_by_role("button", name="Step", exact=True).click()
        self.wait_steps("=== 1")
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


@pytest.fixture
def pages(chromium):
    """More pages on the shared browser, each in a context of its own (its own storage, as
    another device): pages(width, height, phone=False) -> a PageProbe; phone: touch, mobile,
    a device pixel ratio of 2 (a phone at 390x844)."""
    contexts = []

    def make(width: int = 1280, height: int = 800, phone: bool = False) -> PageProbe:
        extra = {"has_touch": True, "is_mobile": True, "device_scale_factor": 2} if phone else {}
        context = chromium.new_context(viewport={"width": width, "height": height}, **extra)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        return PageProbe(page)

    yield make
    for context in contexts:
        context.close()
