"""The circuit view in a real browser: the lecture's circuits stepped gate by gate."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def number(text: str) -> float:
    return float(text.replace("−", "-").split("=")[-1].strip())


def api(live_server, expression, values, expand=False):
    body = json.dumps({"expression": expression, "values": values, "expand": expand}).encode()
    req = urllib.request.Request(
        f"{live_server}/api/circuits", body, {"content-type": "application/json"}
    )
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def labels(lab, kind: str) -> dict[str, float]:
    """The numbers on the wires: kind "value" (green, above) or "grad" (red, below)."""
    pairs = lab.page.eval_on_selector_all(
        f"#circuit text.{kind}[data-edge]", "els => els.map(e => [e.dataset.edge, e.textContent])"
    )
    return {edge: number(text) for edge, text in pairs}


def gradient_of(lab, name: str) -> str:
    return lab.page.locator(f"output[data-grad-of='{name}']").inner_text()


def position(lab) -> int:
    return int(lab.page.get_by_label("Position").inner_text().split("/")[0])


def press(lab, key: str, times: int = 1) -> None:
    lab.page.locator("#circuit").click()
    for _ in range(times):
        lab.page.keyboard.press(key)


def wait_for_error(lab, words: str) -> None:
    lab.page.wait_for_function(
        f"() => document.getElementById('expression-error').textContent.includes({words!r})"
    )


def test_the_lectures_circuit_forward_then_backward(lab, live_server):
    lab.open("circuit?preset=add-multiply")
    assert lab.errors == [] and lab.outside() == []
    assert lab.page.get_by_label("Formula").input_value() == "(x + y) * z"
    # at the start only the inputs' values are on their wires; no gradient anywhere
    assert sorted(labels(lab, "value").values()) == [-4, -2, 5]
    assert labels(lab, "grad") == {}
    press(lab, "ArrowRight", 2)  # q = x + y, then f = q z
    assert labels(lab, "value")["output"] == -12
    assert labels(lab, "grad") == {}
    assert "−12" in lab.page.locator("#step-caption").inner_text()
    press(lab, "ArrowRight")  # df/df = 1
    assert labels(lab, "grad") == {"output": 1}
    press(lab, "ArrowRight")  # the multiply gate swaps its inputs' values
    assert sorted(labels(lab, "grad").values()) == [-4, 1, 3]
    assert "multiply gate" in lab.page.locator("#step-caption").inner_text()
    press(lab, "ArrowRight")  # the add gate distributes
    c = api(live_server, "(x + y) * z", {"x": -2, "y": 5, "z": -4})
    truth = {n["label"]: n["grad"] for n in c["nodes"] if n["op"] == "input"}
    assert {k: number(gradient_of(lab, k)) for k in "xyz"} == truth == {"x": -4, "y": -4, "z": 3}
    assert lab.page.get_by_role("button", name="Step", exact=True).is_disabled()
    press(lab, "ArrowLeft")
    assert gradient_of(lab, "x") == ""  # one step back: the add gate has not run backward yet
    press(lab, "r")
    assert position(lab) == 0 and labels(lab, "grad") == {}


def test_gradients_from_several_branches_add_up(lab, live_server):
    lab.open("circuit?preset=staged")
    press(lab, "Shift+ArrowRight")  # the whole forward pass
    c = api(live_server, "(x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", {"x": 3, "y": -4})
    assert labels(lab, "value")["output"] == pytest.approx(c["output"]["value"], rel=5e-3)
    seen, captions = [], []
    while not lab.page.get_by_role("button", name="Step", exact=True).is_disabled():
        press(lab, "ArrowRight")
        seen.append(gradient_of(lab, "x"))
        captions.append(lab.page.locator("#step-caption").inner_text())
    shown = [s for s in dict.fromkeys(seen) if s]
    assert len(shown) == 3, shown  # x feeds three gates: its gradient grows three times
    x = next(n for n in c["nodes"] if n["label"] == "x")
    assert number(shown[-1]) == pytest.approx(x["grad"], rel=5e-3)
    assert any("∂f/∂x +=" in s for s in captions)
    assert any("all 3 branches in" in s for s in captions)


def test_editing_an_input_recomputes_at_once(lab):
    lab.open("circuit?preset=add-multiply")
    press(lab, "Shift+ArrowRight", 2)
    lab.page.get_by_label("Value of x").fill("1")
    lab.page.wait_for_function(
        "() => document.getElementById('output-value').textContent === '−24'"
    )
    assert labels(lab, "value")["output"] == -24
    assert number(gradient_of(lab, "z")) == 6  # df/dz = x + y, at the new x
    assert "values=x%3A1" in lab.page.url or "x:1" in lab.page.url.replace("%3A", ":")
    # the link opens the same circuit with the edited value
    lab.page.goto(lab.page.url)
    lab.page.wait_for_selector("body[data-ready='1']")
    assert lab.page.get_by_label("Value of x").input_value() == "1"
    assert lab.page.locator("#output-value").inner_text() == "−24"


def test_expanding_the_sigmoid_gives_the_same_numbers(lab):
    lab.open("circuit?preset=sigmoid-neuron")
    press(lab, "Shift+ArrowRight", 2)
    gates = lab.page.locator("#circuit g.node.gate").count()
    before = {k: gradient_of(lab, k) for k in ("w0", "x0", "w1", "x1", "w2")}
    assert lab.page.locator("#output-value").inner_text() == "0.731"
    lab.page.get_by_label("Expand sigmoid and tanh into gates").check()
    lab.page.wait_for_function(
        f"() => document.querySelectorAll('#circuit .gate').length > {gates}"
    )
    assert lab.page.locator("#output-value").inner_text() == "0.731"
    assert {k: gradient_of(lab, k) for k in before} == before
    assert number(before["w0"]) == pytest.approx(-0.2, abs=0.005)  # the lecture's -0.2
    assert number(before["x1"]) == pytest.approx(-0.59, abs=0.005)
    expanded = lab.page.locator("#circuit g.node.gate").count()
    lab.page.goto(lab.page.url)  # the link keeps the expanded gates
    lab.page.wait_for_selector("body[data-ready='1']")
    assert lab.page.get_by_label("Expand sigmoid and tanh into gates").is_checked()
    assert lab.page.locator("#circuit g.node.gate").count() == expanded


def test_a_typed_formula_gets_inputs_and_errors_say_where(lab):
    lab.open("circuit?preset=add-multiply")
    formula = lab.page.get_by_label("Formula")
    formula.fill("a * b + a")
    lab.page.wait_for_selector("input[data-name='a']")
    assert lab.page.locator("#output-value").inner_text() == "2"  # new names start at 1
    assert lab.page.get_by_label("Value of b").input_value() == "1"
    # five new names at once: one refused request names them all, the next computes
    asked = len([u for u in lab.requests if u.endswith("/api/circuits")])
    formula.fill("p*q + r*s + t")
    lab.page.wait_for_selector("input[data-name='t']")
    assert lab.page.locator("#output-value").inner_text() == "3"
    assert len([u for u in lab.requests if u.endswith("/api/circuits")]) - asked == 2
    formula.fill("(a + b")
    error = lab.page.locator("#expression-error")
    error.wait_for(state="visible")
    assert "position" in error.inner_text() and "^" in error.inner_text()
    formula.fill("exp(1000 * a)")
    wait_for_error(lab, "exp gate")
    formula.fill("__import__('os')")
    wait_for_error(lab, "only these functions")
    formula.fill("a - b")
    error.wait_for(state="hidden")
    assert lab.page.locator("#output-value").inner_text() == "0"
    assert "a+-+b" in lab.page.url or "a%20-%20b" in lab.page.url
    assert lab.errors == [] or all("422" in e for e in lab.errors)


def test_play_runs_both_passes_and_the_keys_work(lab):
    lab.open("circuit?preset=add-multiply")
    lab.page.get_by_role("button", name="Play").click()
    lab.page.wait_for_function(
        "() => window.circuitLab.t === window.circuitLab.tl.end", timeout=15000
    )
    assert lab.page.get_by_role("button", name="Play").count() == 1  # stopped by itself
    press(lab, "?")
    assert lab.page.get_by_role("dialog", name="Keyboard help").is_visible()
    lab.page.keyboard.press("Escape")
    assert not lab.page.get_by_role("dialog", name="Keyboard help").is_visible()
    press(lab, "p")
    assert lab.page.locator("body.projector").count() == 1 and "projector=1" in lab.page.url
    size = lab.page.eval_on_selector("#circuit text.value", "e => e.getBoundingClientRect().height")
    assert size >= 20  # readable from the back of the room


def test_the_network_view_links_to_the_circuits_and_back(lab):
    lab.open("?lang=zh")
    lab.page.locator("#to-circuit").click()
    lab.ready()
    assert "/circuit" in lab.page.url and "lang=zh" in lab.page.url
    assert lab.page.locator("#presets option").count() >= 6
    assert lab.page.get_by_role("button", name="播放").count() == 1
    press(lab, "Shift+ArrowRight", 2)
    assert "加法门" in lab.page.locator("#step-caption").inner_text()  # the last gate backward
    lab.page.locator("#to-network").click()
    lab.ready()
    assert lab.page.url.rstrip("/").endswith("?lang=zh")


@pytest.mark.parametrize("projector", [False, True])
def test_circuit_screenshots(lab, projector):
    """Screenshots to look at (written to screenshots/, not compared)."""
    lab.page.set_viewport_size({"width": 1920, "height": 1080})
    lab.open("circuit?preset=staged" + ("&projector=1" if projector else ""))
    press(lab, "ArrowRight", 11)
    SHOTS.mkdir(exist_ok=True)
    name = f"circuit-1920x1080{'-projector' if projector else ''}.png"
    lab.page.screenshot(path=str(SHOTS / name))
    assert lab.errors == []
