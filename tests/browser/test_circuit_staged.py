"""The circuit page with the notes' staged program and the vectorized view, in a browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_circuit_page import number, press

SHOTS = Path("/tmp/shots-i13-circuit")
NAMES = ["sigy", "num", "sigx", "xpy", "xpysqr", "den", "invden", "f"]


def stage(lab, name: str) -> tuple[str, str, str]:
    """The row of the stages table for a name: its line, its value and its gradient."""
    row = lab.page.locator(f"#stages tr[data-name='{name}']")
    return tuple(row.locator(f"td.{c}").inner_text() for c in ("code", "value", "grad"))


def svg_texts(lab, selector: str) -> list[str]:
    """The text drawn by each SVG <text> (not its <title>, the tooltip)."""
    return lab.page.eval_on_selector_all(selector, "els => els.map(e => e.firstChild.textContent)")


def caption(lab) -> str:
    return lab.page.locator("#step-caption").inner_text()


def test_the_staged_program_shows_the_notes_names_and_numbers(lab):
    lab.open("circuit?preset=staged")
    assert lab.errors == []
    assert lab.page.get_by_label("Formula").input_value().splitlines()[6] == "invden = 1.0 / den"
    tags = svg_texts(lab, "#circuit text.tag.named")
    assert sorted(tags) == sorted(NAMES)  # each gate carries its line's name
    assert stage(lab, "invden") == ("invden = 1.0 / den", "", "")  # nothing computed yet
    press(lab, "ArrowRight", 5)  # sigy, num, sigx, xpy, then xpysqr = (-1)^2
    assert "xpysqr = xpy ^ 2 = (−1) ^ 2 = 1" in caption(lab)
    press(lab, "Shift+ArrowRight")  # the rest of the forward pass
    assert stage(lab, "f")[1] == "1.546" and stage(lab, "invden")[2] == ""
    press(lab, "ArrowRight", 2)  # df = 1, then back through f = num * invden
    assert stage(lab, "invden")[2] == "dinvden = 3.018"
    assert stage(lab, "num")[2] == "dnum = 0.5121"
    press(lab, "ArrowRight")  # invden = 1.0 / den: the 1/x gate
    assert stage(lab, "den")[2] == "dden = −0.7916"
    assert "∂f/∂den = ∂f/∂invden · ∂invden/∂den = 3.02 · (−0.262) = −0.792" in caption(lab)
    press(lab, "Shift+ArrowRight")
    assert stage(lab, "x")[2] == "dx = 2.06" and stage(lab, "y")[2] == "dy = 1.592"
    # the constant 2 of xpy**2 has no gradient: not applicable, not a number
    assert svg_texts(lab, "#circuit text.na") == ["n/a"]
    assert lab.page.locator("small[data-sign-of='x']").inner_text() == "2.06: raising x raises f"
    assert lab.errors == []


def test_a_typed_program_names_its_nodes_and_a_bad_one_names_its_line(lab):
    lab.open("circuit?preset=add-multiply")
    formula = lab.page.get_by_label("Formula")
    formula.fill("q = x + y\nf = q * z")
    lab.page.wait_for_selector("#circuit text.tag.named[data-name='q']")
    assert lab.page.locator("#output-value").inner_text() == "−12"  # the preset's values stay
    press(lab, "r")  # back to the inputs: no gradient yet, nothing to say about its sign
    assert "raises f" not in lab.page.locator("#inputs").inner_text()
    press(lab, "Shift+ArrowRight", 2)
    assert lab.page.locator("small[data-sign-of='x']").inner_text() == "−4: lowering x raises f"
    assert stage(lab, "q")[2] == "dq = −4"
    formula.fill("q = x + y\nq = q * z")
    error = lab.page.locator("#expression-error")
    error.wait_for(state="visible")
    assert error.inner_text().startswith(
        "2 | q = q * z\n    ^\nline 2, position 1: q is assigned twice"
    )
    formula.fill("x = 3\ny = -4\nq = x + y\nf = q * 2")
    error.wait_for(state="hidden")
    assert lab.page.get_by_label("Value of x").input_value() == "3"  # the program's own value
    assert lab.page.locator("#output-value").inner_text() == "−2"


def test_a_tie_at_the_max_gate_says_where_the_gradient_goes(lab):
    lab.open("circuit?expr=max(x%2C+y)&values=x%3A2%2Cy%3A2")
    press(lab, "ArrowRight", 3)  # forward, df = 1, then the max gate backward
    text = caption(lab)
    assert "A tie, max(2, 2)" in text and "to one input: the first" in text
    assert number(lab.page.locator("output[data-grad-of='x']").inner_text()) == 1
    assert number(lab.page.locator("output[data-grad-of='y']").inner_text()) == 0


def test_the_vectorized_view_shows_each_matrix_with_its_shape(lab):
    lab.open("circuit?preset=add-multiply")
    lab.page.get_by_label("Examples").select_option("vectorized-norm")
    lab.page.wait_for_selector("#matrix-view[data-ready='1'] [data-step='dW']")
    assert "preset=vectorized-norm" in lab.page.url
    assert lab.page.locator(".topbar .transport").is_hidden()

    def step(name):
        card = lab.page.locator(f"#matrix-view [data-step='{name}']")
        return card.locator(".shape").inner_text(), card.locator(".eq").inner_text()

    shape, math = step("q")
    assert shape == "2 × 1" and "0.22" in math and "0.26" in math
    assert "0.116" in step("f")[1] and step("f")[0] == "a number"
    shape, math = step("dW")
    assert shape == "2 × 2" and all(v in math for v in ("0.088", "0.176", "0.104", "0.208"))
    assert "0.636" in step("dx")[1] and step("x.T.dot(dq)")[0] == "1 × 1"
    # an edited entry is computed again on the server
    lab.page.get_by_label("x, row 1, column 1").fill("0.4")
    q = "#matrix-view [data-step='q'] math"
    lab.page.wait_for_function(f"() => document.querySelector({q!r}).textContent.includes('0.24')")
    assert "0.24" in step("q")[1]  # 0.1 * 0.4 + 0.5 * 0.4
    lab.page.get_by_label("Examples").select_option("relu-jacobian")
    lab.page.wait_for_selector("#matrix-view [data-step='J']")
    assert step("J")[0] == "4 × 4"
    notes = lab.page.locator("#matrix-view [data-notes='jacobian']").inner_text()
    assert "4,096 × 4,096 = 16,777,216" in notes and "409,600 × 409,600" in notes
    lab.page.get_by_label("Examples").select_option("staged")
    lab.page.wait_for_selector("#circuit text.tag.named[data-name='invden']")
    assert lab.page.locator(".topbar .transport").is_visible() and lab.errors == []


def test_the_chinese_page_translates_the_new_words(lab):
    lab.open("circuit?preset=staged&lang=zh")
    press(lab, "Shift+ArrowRight", 2)
    assert lab.page.locator("#stages caption").inner_text() == "程序中的变量名，与讲义相同"
    assert "增大" in lab.page.locator("small[data-sign-of='x']").inner_text()
    assert svg_texts(lab, "#circuit text.na") == ["不适用"]


@pytest.mark.parametrize(
    "query, name",
    [
        ("preset=staged", "staged-1920x1080"),
        ("preset=staged&projector=1", "staged-1280x720-projector"),
        ("preset=vectorized-norm", "vectorized-1920x1080"),
        ("preset=vectorized-norm&projector=1", "vectorized-1280x720-projector"),
        ("preset=relu-jacobian", "relu-jacobian-1920x1080"),
    ],
)
def test_screenshots_of_the_staged_circuit_and_the_vectorized_view(lab, query, name):
    """Screenshots to look at (not compared)."""
    small = "projector" in query
    lab.page.set_viewport_size(
        {"width": 1280, "height": 720} if small else {"width": 1920, "height": 1080}
    )
    lab.open(f"circuit?{query}")
    if "staged" in query:
        press(lab, "Shift+ArrowRight", 2)
    else:
        lab.page.wait_for_selector("#matrix-view[data-ready='1']")
    SHOTS.mkdir(parents=True, exist_ok=True)
    lab.page.screenshot(path=str(SHOTS / f"{name}.png"))
    assert lab.errors == []
