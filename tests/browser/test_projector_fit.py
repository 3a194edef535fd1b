"""Issue 12, projector mode's loose ends: the loss legend in one row, every lesson's caption
leaving the loss chart on a 1280 x 720 screen (English and Chinese), and six hidden layers'
controls never overlapping each other or a neuron (1920 x 1080, and 1280 x 720 projector)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from boxes import intersects

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
# a comparison lesson opens on /compare (tests/browser/test_compare_page.py checks its fit)
LESSONS = [
    lesson["id"]
    for lesson in json.loads((ROOT / "app/data/lessons.json").read_text())
    if "compare" not in lesson
]
PROJECTOR = (1280, 720)

RECTS = """(selector) => [...document.querySelectorAll(selector)].map((e) => {
  const b = e.getBoundingClientRect();
  return {x: b.left, y: b.top, right: b.right, bottom: b.bottom,
          name: e.getAttribute('aria-label') || e.textContent.trim().slice(0, 20)};
})"""


def rects(lab, selector: str) -> list[dict]:
    return lab.page.evaluate(RECTS, selector)


def open_at(lab, size: tuple[int, int], query: str) -> None:
    lab.page.set_viewport_size({"width": size[0], "height": size[1]})
    lab.open(query)


def step_once(lab) -> None:
    lab.page.locator("#step").click()
    lab.page.wait_for_function("() => window.backpropLab.frame().step === 1")
    lab.idle()
    lab.page.wait_for_selector("#loss-chart .legendtext")


def legend(lab) -> dict:
    return lab.page.evaluate("""() => {
      const box = (e) => e.getBoundingClientRect();
      const items = [...document.querySelectorAll('#loss-chart .legend .traces')];
      const bottom = Math.max(...items.map((i) => box(i).bottom));
      return {height: bottom - Math.min(...items.map((i) => box(i).top)),
              line: Math.max(...items.map((i) => box(i.querySelector('.legendtext')).height)),
              tops: items.map((i) => Math.round(box(i).top)),
              names: items.map((i) => i.querySelector('.legendtext').textContent),
              size: parseFloat(getComputedStyle(items[0].querySelector('.legendtext')).fontSize)};
    }""")


def assert_one_row(lab) -> None:
    lg = legend(lab)
    assert len(lg["tops"]) == 3 and len(set(lg["tops"])) == 1, lg  # every entry on one row
    assert lg["height"] <= 1.5 * lg["line"], lg  # the entries take one line of text
    assert lg["size"] >= 20, lg


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_loss_legend_takes_one_row_in_projector_mode(lab, lang):
    open_at(lab, PROJECTOR, f"?projector=1&settings=0&lang={lang}")
    step_once(lab)
    assert_one_row(lab)


def test_the_legend_follows_projector_mode_switched_on_and_off(lab):
    open_at(lab, PROJECTOR, "?settings=0")
    step_once(lab)
    assert legend(lab)["names"] == ["Train loss", "Test loss", "Test accuracy"]
    lab.page.get_by_role("button", name="Projector").click()
    lab.page.wait_for_function(
        "() => document.querySelector('#loss-chart .legendtext').textContent === 'Train'"
    )
    assert_one_row(lab)
    lab.page.get_by_role("button", name="Projector").click()
    lab.page.wait_for_function(
        "() => document.querySelector('#loss-chart .legendtext').textContent === 'Train loss'"
    )
    assert lab.errors == []


def assert_on_screen(lab, selector: str, size: tuple[int, int]) -> None:
    found = rects(lab, selector)
    assert found, selector
    for b in found:
        assert b["x"] >= 0 and b["y"] >= 0, (selector, b)
        assert b["right"] <= size[0] and b["bottom"] <= size[1], (selector, b)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_lesson_leaves_the_loss_chart_on_a_projector_screen(lab, lang):
    SHOTS.mkdir(exist_ok=True)
    for lesson in LESSONS:
        open_at(lab, PROJECTOR, f"?projector=1&settings=0&lang={lang}&lesson={lesson}")
        bar = lab.page.locator("#lesson-bar")
        bar.wait_for(state="visible")
        lab.page.wait_for_selector("#loss-chart .main-svg")
        for selector in ("#network", "#network :is(.neuron, .layer-head)", "#output-plot"):
            assert_on_screen(lab, selector, PROJECTOR)
        assert_on_screen(lab, "#loss-chart", PROJECTOR)
        # the caption is at most two lines; "more" shows the rest, and is there only then
        text = lab.page.locator("#lesson-bar .lesson-text")
        lines = text.evaluate("(e) => e.clientHeight / parseFloat(getComputedStyle(e).lineHeight)")
        assert lines <= 2.05, (lesson, lines)
        cut = text.evaluate("(e) => e.scrollHeight > e.clientHeight + 1")
        more = lab.page.locator("#lesson-bar .more")
        assert more.is_visible() == cut, lesson
        if cut:
            more.click()
            assert text.evaluate("(e) => e.scrollHeight <= e.clientHeight + 1"), lesson
            assert more.get_attribute("aria-expanded") == "true"
            more.click()
        if lesson == "vanishing-gradients":
            lab.page.screenshot(path=str(SHOTS / f"projector-1280x720-lesson-{lang}.png"))
    assert lab.errors == []


def test_closing_the_lesson_gives_the_output_plot_its_height_back(lab):
    open_at(lab, PROJECTOR, "?projector=1&settings=0&lesson=shallow-3-4-1")
    lab.page.wait_for_selector("#loss-chart .main-svg")
    before = rects(lab, "#output-plot")[0]
    lab.page.get_by_role("button", name="Close the lesson").click()
    lab.page.wait_for_function(
        f"() => document.querySelector('#output-plot .main-svg').getBoundingClientRect().width"
        f" > {before['right'] - before['x'] + 20}"
    )
    assert_on_screen(lab, "#loss-chart", PROJECTOR)
    assert lab.errors == []


def max_hidden_layers(live_server) -> int:
    with urllib.request.urlopen(f"{live_server}/api/options") as r:
        return int(json.load(r)["limits"]["max_hidden_layers"])


@pytest.mark.parametrize(
    "size, query",
    [((1920, 1080), ""), ((1920, 1080), "projector=1&"), (PROJECTOR, "projector=1&settings=0&")],
)
def test_six_and_the_most_hidden_layers_keep_their_controls_apart(lab, live_server, size, query):
    widest = ["8:leaky_relu", "8:sigmoid"]  # the longest names of the menu, side by side
    for layers in (6, max_hidden_layers(live_server)):
        hidden = ",".join(widest[i % 2] for i in range(layers))
        open_at(lab, size, f"?{query}hidden={hidden}")
        assert lab.page.locator("#network .layer-head").count() == layers
        controls = rects(lab, "#network .layer-head :is(button, select, span)")
        neurons = rects(lab, "#network .neuron")
        assert len(controls) == 4 * layers
        clashes = [(a["name"], b["name"]) for a, b in pairs(controls) if intersects(a, b)]
        assert clashes == [], (size, query, layers)
        on_neurons = [(c["name"], n["name"]) for c in controls for n in neurons if intersects(c, n)]
        assert on_neurons == [], (size, query, layers)
        touching = [(a["name"], b["name"]) for a, b in pairs(neurons) if intersects(a, b)]
        assert touching == [], (size, query, layers)
        net = rects(lab, "#network")[0]
        assert all(net["x"] <= c["x"] and c["right"] <= net["right"] for c in controls)
        if size == PROJECTOR:
            assert_on_screen(lab, "#network .neuron, #network .layer-head", PROJECTOR)
        # the menus show their whole names, not a cut-off "Le…"
        cut = lab.page.evaluate("""() => [...document.querySelectorAll('#network select')]
            .filter((s) => s.scrollWidth > s.clientWidth + 1).length""")
        assert cut == 0
        if layers == 6:
            SHOTS.mkdir(exist_ok=True)
            name = f"six-layers-{size[0]}x{size[1]}{'-projector' if query else ''}.png"
            lab.page.screenshot(path=str(SHOTS / name))
    assert lab.errors == []


def pairs(items: list) -> list[tuple]:
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1 :]]
