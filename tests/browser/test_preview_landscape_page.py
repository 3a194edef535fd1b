"""Issue 16 on the page, as a user clicks: "Preview next step" shows the ghost of the next step
(a dashed boundary, a hollow point on the loss chart, the numbers) and the step then gives the
previewed loss; "Loss landscape" with two edges clicked shows the loss over those two weights
with the path and the point now, and follows a step."""

from __future__ import annotations

import re

GHOSTS = """(selector) => (document.querySelector(selector).data || [])
  .filter((d) => d.meta === 'ghost').map((d) => ({type: d.type, x: d.x, y: d.y}))"""
OUTPUT = "#output-plot .js-plotly-plot"
LANDSCAPE = """() => { const d = document.querySelector('.landscape-plot').data;
  return d && d.length >= 3 ? d.map((t) => ({type: t.type, x: t.x, y: t.y, z: t.z})) : null; }"""


def ghosts(lab, selector: str) -> list[dict]:
    return lab.page.evaluate(GHOSTS, selector)


def test_a_preview_shows_the_next_step_and_the_step_gives_its_loss(lab):
    lab.open()
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps("=== 1")
    lab.idle()
    lab.page.get_by_role("button", name="Preview next step").click()
    line = lab.page.locator(".preview-line")
    line.wait_for(state="visible")
    lab.idle()
    text = line.inner_text()
    m = re.search(r"Next step: training loss ([\d.]+) → ([\d.]+)", text)
    assert m, text
    assert float(m.group(1)) == lab.loss("train")  # the loss shown now
    assert re.search(r"example #\d+: loss [\d.]+ → [\d.]+", text), text
    # the ghost: the next boundary dashed over the map, a hollow point at the next step
    (boundary,) = ghosts(lab, OUTPUT)
    assert boundary["type"] == "contour"
    (point,) = ghosts(lab, "#loss-chart")
    assert point["x"] == [1, 2]
    assert lab.steps() == 1  # nothing was taken
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps("=== 2")
    lab.idle()
    assert lab.frame()["loss"]["train"] == point["y"][1]  # the previewed loss, to the last bit
    assert lab.page.locator("#loss-train").inner_text() == m.group(2)
    # the step taken, the ghost is gone
    assert line.is_hidden()
    assert ghosts(lab, OUTPUT) == [] and ghosts(lab, "#loss-chart") == []
    # V previews again; V again hides it
    lab.page.keyboard.press("v")
    line.wait_for(state="visible")
    lab.idle()
    lab.page.keyboard.press("v")
    line.wait_for(state="hidden")
    # while playing, V pauses (the next step is a moving target); V again previews from there
    lab.page.get_by_role("button", name="Play").click()
    lab.wait_steps("> 2")
    lab.page.keyboard.press("v")
    lab.page.get_by_role("button", name="Play").wait_for()
    assert "Paused" in line.inner_text()
    lab.idle()
    lab.page.keyboard.press("v")
    lab.page.wait_for_function(
        "() => document.querySelector('.preview-line').textContent.startsWith('Next step')"
    )
    lab.idle()
    (point,) = ghosts(lab, "#loss-chart")
    assert point["x"] == [lab.steps(), lab.steps() + 1]
    assert lab.errors == []


def test_two_edges_picked_show_the_landscape_with_its_path(lab):
    lab.open()
    for _ in range(3):
        lab.page.get_by_role("button", name="Step one epoch", exact=True).click()
    lab.wait_steps("=== 75")
    lab.idle()
    lab.page.get_by_text("Loss landscape", exact=True).click()
    hint = lab.page.locator(".landscape-hint")
    assert "Click two edges" in hint.inner_text()
    lab.click_edge(1, 0, 0)
    lab.page.wait_for_function(
        "() => document.querySelector('.landscape-hint').textContent.includes('picked')"
    )
    lab.click_edge(3, 0, 1)  # the output layer's second weight
    assert lab.page.locator("#weight-editor").is_hidden()  # picked, not typed
    lab.page.wait_for_function(LANDSCAPE)
    assert "W[1]₁₁ and W[3]₁₂" in hint.inner_text()
    surface, path, now = lab.page.evaluate(LANDSCAPE)[:3]
    assert surface["type"] == "contour" and len(surface["z"]) == len(surface["z"][0]) == 41
    f = lab.frame()
    wa, wb = f["layers"][0]["W"][0][0], f["layers"][2]["W"][0][1]
    assert (now["x"], now["y"]) == ([wa], [wb])
    assert (path["x"][-1], path["y"][-1]) == (wa, wb)
    assert surface["x"][20] == wa and surface["y"][20] == wb  # centred on the weights now
    # the axes are named after the weights
    titles = lab.page.evaluate(
        "() => ['xtitle', 'ytitle'].map((c) => document.querySelector(`.landscape-plot .${c}`)"
        ".textContent)"
    )
    assert titles == ["W[1]₁₁", "W[3]₁₂"]
    # a step: the point now follows
    lab.page.get_by_role("button", name="Step one epoch", exact=True).click()
    lab.wait_steps("=== 100")
    f = lab.frame()
    wa = f["layers"][0]["W"][0][0]
    lab.page.wait_for_function(
        f"() => document.querySelector('.landscape-plot').data[2].x[0] === {wa!r}"
    )
    # the panel closed, a click on an edge types a weight again
    lab.page.get_by_text("Loss landscape", exact=True).click()
    lab.click_edge(3, 0, 1)
    lab.page.locator("#weight-editor").wait_for(state="visible")
    assert lab.errors == []
