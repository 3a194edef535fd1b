"""Issue 12, items 3, 4 and 6: the page in front of a class (projector at 1280 x 720, the
example inspector beside the output, a gradient-norm chart that can be read)."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from boxes import intersects

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"

# Every visible element with text of its own (Plotly's SVG text included) under the selectors:
# [selector, text, font-size in px].
TEXT_SIZES = """(selectors) => {
  const out = [];
  for (const root of selectors.map((s) => document.querySelector(s))) {
    for (const e of root.querySelectorAll('*')) {
      if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
      const b = e.getBoundingClientRect();
      const cs = getComputedStyle(e);
      if (!b.width || !b.height || cs.visibility === 'hidden' || cs.display === 'none') continue;
      if (e.closest('.legendtoggle, [hidden]')) continue;
      out.push([e.tagName, e.textContent.trim().slice(0, 30), parseFloat(cs.fontSize)]);
    }
  }
  return out;
}"""

BOXES = """(selector) => [...document.querySelectorAll(selector)].map((e) => {
  const b = e.getBoundingClientRect();
  return {x: b.left, y: b.top, right: b.right, bottom: b.bottom};
})"""


def box(lab, selector: str) -> dict:
    return lab.page.evaluate(BOXES, selector)[0]


def open_at(lab, size: tuple[int, int], query: str) -> None:
    lab.page.set_viewport_size({"width": size[0], "height": size[1]})
    lab.open(query)


def test_projector_at_1280x720_fits_one_screen_in_large_type(lab):
    open_at(lab, (1280, 720), "?projector=1&settings=0")
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps("=== 1")
    lab.page.wait_for_selector("#loss-chart .legendtext")  # the chart has a point and its legend
    for selector in ("#network", "#output-plot", "#loss-chart"):
        b = box(lab, selector)
        assert b["x"] >= 0 and b["y"] >= 0, selector
        assert b["right"] <= 1280 and b["bottom"] <= 720, (selector, b)
    # every neuron and layer control is inside the diagram's box, on the screen
    for b in lab.page.evaluate(BOXES, "#network .neuron, #network .layer-head"):
        assert b["bottom"] <= 720, b
    texts = lab.page.evaluate(TEXT_SIZES, [".topbar", "#network", "#output-plot", "#loss-chart"])
    assert len(texts) > 40
    assert any(tag == "text" for tag, _, _ in texts)  # Plotly's ticks and legends are in
    small = [t for t in texts if t[2] < 20]
    assert small == []
    SHOTS.mkdir(exist_ok=True)
    lab.page.screenshot(path=str(SHOTS / "projector-1280x720.png"))
    # Chinese, with slow motion's phases in the top bar: still one screen
    open_at(lab, (1280, 720), "?projector=1&settings=0&lang=zh&slow=1")
    for selector in ("#network", "#output-plot", "#loss-chart"):
        assert box(lab, selector)["bottom"] <= 720, selector
    lab.page.screenshot(path=str(SHOTS / "projector-1280x720-zh.png"))
    assert lab.errors == []


def test_the_activation_select_leaves_the_neurons_free(lab):
    for query in ("", "?projector=1", "?lesson=vanishing-gradients"):
        open_at(lab, (1920, 1080), query)
        selects = lab.page.evaluate(BOXES, "#network .layer-head")
        neurons = lab.page.evaluate(BOXES, "#network .neuron")
        assert selects and neurons
        hits = [(s, n) for s in selects for n in neurons if intersects(s, n)]
        assert hits == [], query


def test_the_inspector_sits_beside_the_output_and_follows_a_second_click(lab):
    open_at(lab, (1920, 1080), "?slow=1")
    lab.click_point(3)
    inspector = lab.page.get_by_role("complementary", name="Example inspector")
    inspector.wait_for(state="visible")
    lab.page.wait_for_function(
        "() => document.querySelector('#inspector-title').textContent.includes('#3')"
    )
    drawer = box(lab, "#inspector")
    for selector in ("#output-plot", "#slow", ".switch", "#phases", "#next-phase", ".topbar"):
        assert not intersects(drawer, box(lab, selector)), selector
    SHOTS.mkdir(exist_ok=True)
    lab.page.screenshot(path=str(SHOTS / "inspector-1920x1080.png"))
    # another point while it is open: the inspector shows that one
    lab.idle()
    lab.click_point(17)
    lab.page.wait_for_function("() => window.backpropLab.inspected().index !== 3")
    lab.idle()
    index = lab.hook("inspected")["index"]
    assert f"#{index}:" in lab.page.locator("#inspector-title").inner_text()
    # the point clicked (Plotly picks the nearest, which may overlap point 17)
    X = lab.data()["train"]["X"]
    assert math.dist(X[index], X[17]) < 0.3
    assert lab.errors == []


def test_wide_equations_fit_the_drawer_in_projector_mode(lab):
    open_at(
        lab, (1280, 720), "?projector=1&problem=multiclass&dataset=spiral&classes=3&hidden=5:relu"
    )
    lab.click_point(2)
    lab.page.get_by_role("complementary", name="Example inspector").wait_for(state="visible")
    lab.idle()
    lab.page.wait_for_selector("#inspector .eq math")
    drawer = box(lab, "#inspector")
    assert not intersects(drawer, box(lab, "#output-plot"))
    maths = lab.page.evaluate(BOXES, "#inspector .eq math")
    assert len(maths) >= 12
    assert max(m["right"] for m in maths) <= drawer["right"] + 0.5
    # broken at "=" rather than shrunk: W[1] with its numbers stays at least 20 px type
    sizes = lab.page.evaluate(
        """[...document.querySelectorAll('#inspector .eq math')]
            .map((m) => parseFloat(getComputedStyle(m).fontSize))"""
    )
    assert min(sizes) >= 20
    lab.page.screenshot(path=str(SHOTS / "inspector-1280x720-projector.png"))
    assert lab.errors == []


def lab_colour(rgb: str) -> tuple[float, float, float]:
    """CIE L*a*b* of "rgb(r,g,b)" (sRGB, D65)."""
    r, g, b = (int(v) / 255 for v in rgb[rgb.index("(") + 1 : -1].split(","))

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = lin(r), lin(g), lin(b)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


GRAD_AXIS = """() => ({
  ticks: [...document.querySelectorAll('#grad-chart .ytick text')]
    .filter((t) => t.getBoundingClientRect().height > 0).map((t) => t.textContent),
  colours: [...document.querySelectorAll('#grad-chart .scatterlayer .trace .js-line')]
    .map((p) => p.style.stroke),
  legend: [...document.querySelectorAll('#grad-chart .legendtext')].map((t) => t.textContent),
})"""


def test_the_gradient_norm_chart_reads_at_a_large_rate_and_in_a_deep_net(lab):
    for query, layers in (
        ("?lesson=vanishing-gradients", 7),
        ("?learning_rate=10&hidden=4:tanh,4:tanh,4:tanh", 4),
    ):
        lab.open(query)
        lab.page.get_by_role("button", name="Play").click()
        lab.wait_steps(">= 60", timeout=30000)
        lab.page.get_by_role("button", name="Pause").click()
        lab.idle()
        lab.page.wait_for_timeout(900)  # the chart's batched redraw
        axis = lab.page.evaluate(GRAD_AXIS)
        assert 2 <= len(axis["ticks"]) <= 6, (query, axis["ticks"])
        assert len(axis["colours"]) == layers and len(set(axis["colours"])) == layers
        worst = min(
            math.dist(lab_colour(a), lab_colour(b))
            for a, b in itertools.combinations(axis["colours"], 2)
        )
        assert worst >= 10, (query, axis["colours"])  # CIE76 delta E: clearly apart side by side
        assert axis["legend"] == [f"‖dW[{l}]‖" for l in range(1, layers + 1)]
    assert lab.errors == []
