"""The charts' hover labels are written by the page's number format (static/js/format.js): a
loss reads the same in the hover as in the counter beside the plot."""

from __future__ import annotations

import re

# The client coordinates of the last point of a chart's n-th line (where its path ends).
LINE_END = """([chart, n]) => {
  const path = document.querySelectorAll(`${chart} .scatterlayer .trace .js-line`)[n];
  const end = path.getPointAtLength(path.getTotalLength());
  const p = new DOMPoint(end.x, end.y).matrixTransform(path.getScreenCTM());
  return [p.x, p.y];
}"""
HOVER_TEXT = """() => [...document.querySelectorAll('.hoverlayer .hovertext tspan.line')]
  .map((t) => t.textContent)"""


def hover_end(lab, chart: str, n: int) -> list[str]:
    """Hover the end of a chart's n-th line: the lines of its hover label."""
    lab.page.mouse.move(0, 0)
    lab.page.wait_for_function("() => !document.querySelector('.hoverlayer .hovertext')")
    lab.page.mouse.move(*lab.page.evaluate(LINE_END, [chart, n]))
    lab.page.wait_for_selector(".hoverlayer .hovertext")
    return lab.page.evaluate(HOVER_TEXT)


def steps(lab, n: int) -> None:
    for i in range(1, n + 1):
        lab.page.locator("#step").click()
        lab.page.wait_for_function(f"() => window.backpropLab.frame().step === {i}")
        lab.idle()


def counters(lab) -> dict[str, str]:
    """The numbers beside the output plot, by their labels as the page shows them."""
    return lab.page.evaluate("""() => Object.fromEntries(
      [...document.querySelectorAll('.losses > div')].map((row) =>
        [row.querySelector('span').textContent, row.querySelector('output').textContent]))""")


def hovered(lab) -> dict[str, list[str]]:
    """Each loss chart line's hover label, by the name it starts with. (Lines whose ends lie a
    pixel apart may show the same label: where two meet, the nearest point wins.)"""
    out = {}
    for n in range(3):
        first, *rest = hover_end(lab, "#loss-chart", n)
        name, number = first.rsplit(" ", 1)
        out[name] = [number, *rest]
    return out


def test_a_loss_reads_in_the_hover_as_in_its_counter(lab):
    lab.page.set_viewport_size({"width": 1920, "height": 1080})
    lab.open("?learning_rate=0.3")
    steps(lab, 3)
    shown = counters(lab)
    assert set(shown) == {"Test loss", "Training loss", "Test accuracy"}
    assert re.fullmatch(r"\d\.\d{4}", shown["Training loss"]), shown
    labels = hovered(lab)
    assert "Test accuracy" in labels and {"Training loss", "Test loss"} & set(labels)
    for name, (number, step) in labels.items():
        assert number == shown[name] and step == "step 3", (name, number, shown)
    assert lab.errors == []


def test_a_step_count_and_a_loss_read_as_the_counters_do_in_chinese(lab):
    lab.page.set_viewport_size({"width": 1920, "height": 1080})
    lab.open("?lang=zh&learning_rate=0.3")
    steps(lab, 3)
    shown = counters(lab)
    labels = hovered(lab)
    assert "测试准确率" in labels and {"训练损失", "测试损失"} & set(labels)
    for name, (number, step) in labels.items():
        assert number == shown[name] and step == "步数 3", (name, number, shown)


def test_a_gradient_norm_reads_in_the_pages_format(lab):
    lab.page.set_viewport_size({"width": 1920, "height": 1080})
    lab.open("?hidden=4:sigmoid,4:sigmoid,4:sigmoid,4:sigmoid&learning_rate=0.01")
    steps(lab, 2)
    lines = hover_end(lab, "#grad-chart", 0)
    norm = lab.page.evaluate("() => window.backpropLab.frame().layers[0].grad_norm.W")
    assert lines[1] == "step 2"
    name, shown = lines[0].split(" ", 1)
    assert name == "‖dW[1]‖"
    # three significant digits, "× 10⁻⁵" rather than Plotly's "1.23e-5"
    m = re.fullmatch(r"(\d\.\d\d) × 10⁻([⁰¹²³⁴⁵⁶⁷⁸⁹]+)|(0\.\d+|\d\.\d*|\d+)", shown)
    assert m, shown
    digits = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    value = float(m[1]) * 10 ** -int(m[2].translate(digits)) if m[1] else float(m[3])
    assert abs(value - norm) <= 0.006 * norm, (shown, norm)
