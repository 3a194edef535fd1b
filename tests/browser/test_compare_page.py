"""Compare mode (issue 16), as a teacher uses it: a comparison opened from its link, from the
lesson menu and from the network page's Compare link, both runs played in lockstep, both
curves on one chart, and the whole comparison legible on a 1280 x 720 projector.

What no text shows is read through the comparison page's test hook, window.backpropCompare
(static/js/compare.js documents its members)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from boxes import intersects

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
COMPARISONS = [
    lesson["id"]
    for lesson in json.loads((ROOT / "app/data/lessons.json").read_text())
    if "compare" in lesson
]
PROJECTOR = (1280, 720)


def hook(lab, member: str, *args):
    return lab.page.evaluate(
        "([member, args]) => window.backpropCompare[member](...args)", [member, list(args)]
    )


def shown(lab, element_id: str) -> str:
    return lab.page.locator(f"#{element_id}").inner_text().strip()


def count(lab, element_id: str) -> int:
    return int(shown(lab, element_id).replace(",", ""))


def pause(lab) -> None:
    lab.page.get_by_role("button", name="Pause").click()
    hook(lab, "idle")


def test_a_comparison_lesson_plays_both_runs_in_lockstep_on_one_chart(lab):
    lab.open("compare?lesson=compare-relu-tanh&speed=5e")
    assert lab.page.locator("#lesson-bar").is_visible()
    assert "ReLU against tanh" in shown(lab, "lesson-bar")
    assert (shown(lab, "what-a"), shown(lab, "what-b")) == ("ReLU", "Tanh")
    a, b = hook(lab, "sides")
    assert a["id"] != b["id"]
    for key in ("dataset", "seed", "noise", "n_samples", "train_fraction", "learning_rate"):
        assert a["config"][key] == b["config"][key]
    assert count(lab, "step-a") == count(lab, "step-b") == 0

    lab.page.get_by_role("button", name="Play").click()
    lab.wait_steps(">= 1000")
    # drawn together: the two counters, read at one moment while playing, agree
    both = lab.page.evaluate(
        "() => ['step-a', 'step-b'].map((id) => document.getElementById(id).textContent)"
    )
    assert both[0] == both[1], both
    pause(lab)
    step = count(lab, "step-count")
    assert count(lab, "step-a") == count(lab, "step-b") == step >= 1000
    a, b = hook(lab, "sides")
    assert a["step"] == b["step"] == step and a["loss"] != b["loss"]

    curves = hook(lab, "curves")
    assert [c["name"].split(" ")[:2] for c in curves] == [
        ["A", "Train"],
        ["A", "Test"],
        ["B", "Train"],
        ["B", "Test"],
    ]
    assert all(c["points"] > 3 for c in curves)
    # one colour a run, training solid and test dotted; the legend ends on the losses shown
    assert curves[0]["color"] == curves[1]["color"] != curves[2]["color"] == curves[3]["color"]
    assert [c["dash"] for c in curves] == ["solid", "dot", "solid", "dot"]
    for c, side in zip(curves, ["train-a", "test-a", "train-b", "test-b"], strict=True):
        assert c["name"].endswith(shown(lab, side))
    legend = lab.page.locator("#compare-chart .legendtext").all_text_contents()
    assert legend == [c["name"] for c in curves]

    # the same start, another activation: after training the two maps differ
    grid = [(x / 2, y / 2) for x in range(-10, 11, 2) for y in range(-10, 11, 2)]
    maps = [[hook(lab, "outputPixel", i, x, y) for x, y in grid] for i in (0, 1)]
    assert None not in maps[0] and None not in maps[1]
    apart = sum(
        max(abs(p - q) for p, q in zip(u, v, strict=True)) > 40 for u, v in zip(*maps, strict=True)
    )
    assert apart > len(grid) // 5, apart
    assert lab.errors == []


def test_keys_step_both_runs_and_reset_brings_both_back(lab):
    lab.open("compare?dataset=xor&vary=optimizer&a=sgd&b=adam")
    assert (shown(lab, "what-a"), shown(lab, "what-b")) == ("Gradient descent", "Adam")
    lab.page.keyboard.press("ArrowRight")
    lab.wait_steps("=== 1")
    hook(lab, "idle")
    assert count(lab, "step-a") == count(lab, "step-b") == 1
    assert [c["points"] for c in hook(lab, "curves")] == [2, 2, 2, 2]
    lab.page.keyboard.press("r")
    lab.wait_steps("=== 0")
    hook(lab, "idle")
    assert count(lab, "step-a") == count(lab, "step-b") == 0
    assert [c["points"] for c in hook(lab, "curves")] == [1, 1, 1, 1]
    assert lab.errors == []


def test_choosing_what_differs_makes_two_new_runs_and_keeps_it_in_the_url(lab):
    lab.open("compare?dataset=circle")
    assert (shown(lab, "what-a"), shown(lab, "what-b")) == ("Tanh", "ReLU")
    first = [s["id"] for s in hook(lab, "sides")]
    lab.page.get_by_label("The setting that differs").select_option("depth")
    lab.page.wait_for_function("() => document.getElementById('what-b').textContent !== 'ReLU'")
    hook(lab, "idle")
    a, b = hook(lab, "sides")
    assert {a["id"], b["id"]}.isdisjoint(first)
    # A keeps the network page's two layers; B has one
    assert len(a["config"]["hidden"]) == 2 and len(b["config"]["hidden"]) == 1
    assert (shown(lab, "what-a"), shown(lab, "what-b")) == ("2 hidden layers", "1 hidden layer")
    lab.page.get_by_label("Run B's value").select_option("3")
    lab.page.wait_for_function(
        "() => document.getElementById('what-b').textContent === '3 hidden layers'"
    )
    hook(lab, "idle")
    assert lab.page.locator("#network-b .layer-head").count() == 3
    assert "vary=depth" in lab.page.url and "b=3" in lab.page.url
    lab.page.reload()
    lab.ready()
    assert (shown(lab, "what-a"), shown(lab, "what-b")) == ("2 hidden layers", "3 hidden layers")
    assert lab.errors == []


def test_the_network_page_opens_its_settings_and_its_comparison_lessons_in_compare_mode(lab):
    lab.open("?dataset=xor&hidden=3:relu&learning_rate=0.1")
    lab.page.get_by_role("link", name="Compare").click()
    lab.page.wait_for_url("**/compare?**")
    lab.ready()
    a, b = hook(lab, "sides")
    assert a["config"]["dataset"] == "xor" and a["config"]["learning_rate"] == 0.1
    assert a["config"]["hidden"] == [{"units": 3, "activation": "relu"}]
    assert b["config"]["hidden"] == [{"units": 3, "activation": "tanh"}]
    # and back: the network page with the shared settings
    lab.page.get_by_role("link", name="Network").click()
    lab.page.wait_for_url("**/?**")
    lab.ready()
    assert lab.config()["dataset"] == "xor"
    lessons = lab.page.locator("#lessons")
    lessons.locator("option[value='compare-sgd-adam']").wait_for(state="attached")
    lessons.select_option("compare-sgd-adam")
    lab.page.wait_for_url("**/compare?lesson=compare-sgd-adam")
    lab.ready()
    assert (shown(lab, "what-a"), shown(lab, "what-b")) == ("Gradient descent", "Adam")
    # a comparison lesson's bare link on the network page opens it here, projector mode kept
    lab.page.goto(lab.page.url.split("/compare")[0] + "/?lesson=compare-zero-xavier&projector=1")
    lab.page.wait_for_url("**/compare?lesson=compare-zero-xavier&projector=1*")
    lab.ready()
    assert (shown(lab, "what-a"), shown(lab, "what-b")) == ("Zeros (symmetric)", "Xavier")
    assert lab.errors == []


SMALL_TEXT = """() => {
  const small = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const e = walk.currentNode.parentElement;
    if (!walk.currentNode.textContent.trim() || e.closest('option, #tooltip, .overlay')) continue;
    const b = e.getBoundingClientRect();
    if (!b.width || !b.height) continue;
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (size < 20) small.push([walk.currentNode.textContent.trim().slice(0, 20), size]);
  }
  for (const s of document.querySelectorAll('select')) {
    const size = parseFloat(getComputedStyle(s).fontSize);
    if (size < 20 && s.getBoundingClientRect().width) small.push([s.id, size]);
  }
  return small;
}"""

BOXES = """(selector) => [...document.querySelectorAll(selector)].map((e) => {
  const b = e.getBoundingClientRect();
  return {x: b.left, y: b.top, right: b.right, bottom: b.bottom, name: selector};
})"""


def boxes(lab, selector: str) -> list[dict]:
    found = lab.page.evaluate(BOXES, selector)
    assert found, selector
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_comparison_fits_a_projector_screen_in_large_type(lab, lang):
    SHOTS.mkdir(exist_ok=True)
    lab.page.set_viewport_size({"width": PROJECTOR[0], "height": PROJECTOR[1]})
    for lesson in COMPARISONS:
        lab.open(f"compare?lesson={lesson}&projector=1&lang={lang}")
        lab.page.wait_for_selector("#compare-chart .legendtext")
        lab.page.wait_for_selector("#output-b .main-svg")
        parts = {}
        for side in ("a", "b"):
            for part in (
                f"#network-{side} :is(.neuron, .layer-head, .feature-label)",
                f"#output-{side}",
            ):
                parts[part] = boxes(lab, part)
        parts["chart"] = boxes(lab, "#compare-chart")
        for found in parts.values():
            for b in found:
                assert b["x"] >= 0 and b["y"] >= 0, (lesson, b)
                assert b["right"] <= PROJECTOR[0] and b["bottom"] <= PROJECTOR[1], (lesson, b)
        for side in ("a", "b"):  # a network beside its map, both above the chart
            for n in parts[f"#network-{side} :is(.neuron, .layer-head, .feature-label)"]:
                assert not intersects(n, parts[f"#output-{side}"][0]), (lesson, n)
                assert not intersects(n, parts["chart"][0]), (lesson, n)
            assert not intersects(parts[f"#output-{side}"][0], parts["chart"][0]), lesson
        for side in ("a", "b"):  # a run's header stays within its column
            column = boxes(lab, f"#side-{side}")[0]
            for b in boxes(
                lab, f"#side-{side} .side-head :is(h2, .side-stats > span:not([hidden]))"
            ):
                if b["right"] > b["x"]:  # shown
                    assert column["x"] - 1 <= b["x"] and b["right"] <= column["right"] + 1, (
                        lesson,
                        b,
                    )
        assert lab.page.evaluate(SMALL_TEXT) == [], lesson
        if lesson == "compare-relu-tanh":
            lab.page.screenshot(path=str(SHOTS / f"compare-projector-1280x720-{lang}.png"))
    assert lab.errors == []


def test_a_run_that_diverges_says_so_and_stops_both(lab):
    lab.open(
        "compare?problem=regression&dataset=plane&hidden=&batch_size=50"
        "&vary=learning_rate&a=0.03&b=1"
    )
    assert (shown(lab, "what-a"), shown(lab, "what-b")) == ("rate 0.03", "rate 1")
    assert lab.page.get_by_label("Learning rate", exact=True).is_disabled()  # it is what differs
    lab.page.get_by_role("button", name="Play").click()
    lab.page.get_by_role("status").filter(has_text="Run B diverged at step").wait_for()
    lab.page.get_by_role("button", name="Play").wait_for()  # paused
    hook(lab, "idle")
    assert lab.page.locator("#status-a").is_hidden()
    # the browser logs the 409 answers themselves; nothing else went wrong
    assert [e for e in lab.errors if "409 (Conflict)" not in e] == []


def test_the_help_lists_the_keys_that_work_and_p_switches_projector_mode(lab):
    lab.open("compare")
    lab.page.keyboard.press("?")
    help_box = lab.page.get_by_role("dialog", name="Keyboard help")
    help_box.wait_for(state="visible")
    listed = [
        [dt, dd]
        for dt, dd in zip(
            help_box.locator("dt").all_inner_texts(),
            help_box.locator("dd").all_inner_texts(),
            strict=True,
        )
    ]
    assert listed == hook(lab, "keys") and ["P", "Projector mode"] in listed
    lab.page.keyboard.press("Escape")
    help_box.wait_for(state="hidden")
    lab.page.keyboard.press("p")
    lab.page.wait_for_function("() => document.body.classList.contains('projector')")
    assert lab.page.get_by_role("button", name="Projector").get_attribute("aria-pressed") == "true"
    assert "projector=1" in lab.page.url
    lab.page.keyboard.press("p")
    lab.page.wait_for_function("() => !document.body.classList.contains('projector')")
    assert lab.errors == []
