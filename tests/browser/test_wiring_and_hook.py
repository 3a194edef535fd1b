"""The network page is built from panels (main.js only wires them) and tests reach it through
one small documented hook, window.backpropLab (static/js/testhook.js), plus what it shows:
the counters' text and the output map's pixels."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[2] / "static" / "js"


def documented_members() -> list[str]:
    """The members the hook's header comment lists ("//   name(args)  what it is")."""
    header = JS.joinpath("testhook.js").read_text().split("\nexport ")[0]
    return re.findall(r"^//   (\w+)\(", header, re.M)


def test_main_js_only_wires():
    text = JS.joinpath("main.js").read_text()
    lines = text.splitlines()
    assert len(lines) < 140, len(lines)
    assert not re.search(r"^\s*(export\s+)?class\s", text, re.M)  # the work is in the modules
    # each controller lives in a module of its own, with its options documented above it
    for module, name in [
        ("session.js", "Session"),
        ("player.js", "Player"),
        ("inspector.js", "Inspector"),
        ("weighteditor.js", "WeightEditor"),
        ("toggles.js", "Toggles"),
    ]:
        source = JS.joinpath(module).read_text()
        assert f"export class {name}" in source, module
        above = source.split("  constructor(")[0].rsplit(f"export class {name}", 1)[1]
        assert "// options:" in above or "// elements:" in above, module
        assert f'from "./{module}"' in text, module


def test_the_hook_has_only_its_documented_members_and_changes_nothing(lab):
    lab.open()
    members = documented_members()
    assert len(members) >= 10
    assert sorted(lab.page.evaluate("() => Object.keys(window.backpropLab)")) == sorted(members)
    assert lab.page.evaluate("() => Object.isFrozen(window.backpropLab)")
    # what it returns are copies: changing them changes nothing on the page
    changed = lab.page.evaluate("""() => {
        const lab = window.backpropLab;
        const f = lab.frame(), d = lab.data(), c = lab.config();
        f.step = 99; f.layers[0].W[0][0] = 42; d.train.X.length = 0; c.hidden = [];
        return [lab.frame().step, lab.frame().layers[0].W[0][0], lab.data().train.X.length,
                lab.config().hidden.length];
    }""")
    assert changed[0] == 0 and changed[1] != 42 and changed[2] > 0 and changed[3] == 2
    assert lab.steps() == 0
    # a neuron to point at: its tooltip, and a click opens its detail
    at = lab.hook("neuronPoint", 1, 0)
    lab.page.mouse.move(at["x"], at["y"])
    lab.page.locator("#tooltip").wait_for(state="visible")
    lab.page.mouse.click(at["x"], at["y"])
    lab.page.wait_for_function(
        "() => document.getElementById('inspector-title').textContent === 'Neuron 1 of layer 1'"
    )
    lab.idle()
    assert lab.hook("inspected") == {"index": 0, "step": 0}
    assert lab.errors == []


# The page's rules for its counters (static/js/format.js): thousands separators; losses with
# four decimals; the accuracy in percent with one.
def shown_number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


def test_the_counters_shown_are_the_frame_drawn(lab):
    lab.open("?dataset=xor&speed=5")
    lab.page.get_by_role("button", name="Play").click()
    lab.wait_steps(">= 120", timeout=30000)
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    f = lab.frame()
    text = {
        k: lab.page.locator(f"#{k}").inner_text()
        for k in ("step-count", "epoch-count", "loss-train", "loss-test", "acc-test")
    }
    assert text["step-count"] == f"{f['step']:,}" and f["step"] >= 120
    assert text["epoch-count"] == f"{f['epoch']:,}" and f["epoch"] >= 4
    for key, value in (("loss-train", f["loss"]["train"]), ("loss-test", f["loss"]["test"])):
        assert re.fullmatch(r"\d+\.\d{4}", text[key]), text
        assert shown_number(text[key]) == pytest.approx(value, abs=5.01e-5), key
    assert re.fullmatch(r"\d+\.\d%", text["acc-test"]), text
    assert shown_number(text["acc-test"]) == pytest.approx(100 * f["accuracy"]["test"], abs=0.0501)


PALETTE = """async () => {
    const src = document.querySelector('script[type=module]').src;
    const { NEGATIVE, POSITIVE } = await import(src.replace(/main\\.js$/, 'palette.js'));
    return [NEGATIVE, POSITIVE];
}"""


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def shade_of(pixel: list[int], colour: tuple[int, int, int]) -> float:
    """How far along white -> colour the pixel lies (1: the colour itself), or -1 if it is off
    that line by more than a few levels a channel (another hue)."""
    white = (255, 255, 255)
    d = [c - w for c, w in zip(colour, white, strict=True)]
    p = [x - w for x, w in zip(pixel, white, strict=True)]
    u = sum(a * b for a, b in zip(p, d, strict=True)) / sum(a * a for a in d)
    off = math.dist(p, [u * a for a in d])
    return u if off < 12 else -1.0


def nearest_label(data: dict, x: float, y: float) -> int:
    X, labels = data["train"]["X"], data["train"]["y"]
    i = min(range(len(X)), key=lambda i: math.dist(X[i], (x, y)))
    return labels[i]


def test_the_output_map_shows_the_two_classes_colours_once_the_circle_is_learnt(lab):
    lab.open()  # the default: circle, two features, 4-2 tanh
    lab.page.get_by_role("button", name="Play").click()
    lab.page.wait_for_function(
        "() => parseFloat(document.getElementById('acc-test').textContent) >= 95", timeout=30000
    )
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    colours = [rgb(c) for c in lab.page.evaluate(PALETTE)]  # class 0, class 1
    grid, data = lab.frame()["grid"], lab.data()
    (x0, x1), (y0, y1) = (grid["x"][0], grid["x"][-1]), (grid["y"][0], grid["y"][-1])
    corner = (x0 + 0.05 * (x1 - x0), y1 - 0.05 * (y1 - y0))  # top left, inside the map
    seen = {}
    for name, (x, y) in (("centre", (0.0, 0.0)), ("corner", corner)):
        pixel = lab.hook("outputPixel", x, y)
        label = nearest_label(data, x, y)  # the class of the data there
        mine, other = colours[label], colours[1 - label]
        assert shade_of(pixel, mine) >= 0.5, (name, pixel, mine)  # a clear shade of its colour
        assert shade_of(pixel, other) < 0, (name, pixel, other)
        seen[name] = label
    assert seen["centre"] != seen["corner"]  # the circle inside, the ring outside
    assert lab.hook("outputPixel", x1 + 1, 0) is None  # off the map
    assert lab.errors == []
