"""The pages and the API docs render offline under their Content-Security-Policy, unviolated."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PageProbe

# Every violation the browser reports, whether or not it also logs it.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture
def probe(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield PageProbe(page)
    context.close()


def clean(probe: PageProbe) -> None:
    assert probe.page.evaluate("window.__csp") == []
    assert probe.errors == []
    assert probe.outside() == [], "the page asked for something outside its own server"


def test_swagger_ui_renders_every_operation_offline(probe, live_server):
    probe.page.goto(f"{live_server}/docs")
    probe.page.wait_for_selector(".opblock")
    assert probe.page.locator(".opblock").count() >= 10
    assert probe.page.get_by_text("/api/sessions/{session_id}/step").first.is_visible()
    probe.page.locator(".opblock-summary").first.click()  # expanding one draws its schemas
    probe.page.wait_for_selector(".opblock-body")
    clean(probe)


def test_redoc_renders_the_reference_offline(probe, live_server):
    probe.page.goto(f"{live_server}/redoc")
    probe.page.wait_for_selector("h1")
    probe.page.wait_for_function("() => document.body.innerText.includes('/api/sessions')")
    assert "Backprop Lab" in probe.page.locator("h1").first.inner_text()
    probe.page.wait_for_load_state("networkidle")
    clean(probe)


def test_the_main_page_trains_and_exports_under_the_policy(probe, live_server):
    probe.page.goto(f"{live_server}/")
    probe.ready()
    probe.page.wait_for_selector("#output-plot .nsewdrag")  # plotly.js has drawn the plot
    probe.page.get_by_label("Step", exact=True).click()
    probe.idle()
    probe.page.wait_for_selector("#loss-chart .main-svg")
    clean(probe)


def test_the_circuit_page_runs_under_the_policy(probe, live_server):
    probe.page.goto(f"{live_server}/circuit")
    probe.ready()
    probe.page.locator("#circuit").click()
    probe.page.keyboard.press("ArrowRight")
    clean(probe)


def test_the_compare_page_trains_under_the_policy(probe, live_server):
    probe.page.goto(f"{live_server}/compare?dataset=xor")
    probe.ready()
    probe.page.keyboard.press("ArrowRight")
    probe.page.wait_for_function("() => document.getElementById('step-b').textContent === '1'")
    probe.page.wait_for_selector("#compare-chart .main-svg")
    clean(probe)
