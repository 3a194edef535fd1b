"""A divergence in the page: the message covers no control, and "Back to step N" with the lower
rate goes on training; a loss that only bounces at a large rate gets a hint."""

import re
from pathlib import Path

import pytest

SHOTS = Path("/tmp/backprop-divergence-shots")


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


STEPS_SHOWN = "Number(document.getElementById('step-count').textContent.replace(/,/g, ''))"


def shown_number(page, selector: str) -> float:
    return float(page.locator(selector).inner_text().replace(",", ""))


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_back_to_the_last_good_step_with_a_lower_rate_trains_on(
    chromium, live_server, width, height
):
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{live_server}/?problem=regression&dataset=plane&learning_rate=3")
        page.wait_for_selector("body[data-ready='1']")
        page.get_by_role("button", name="Play").click()
        notice = page.locator("#divergence")
        notice.wait_for(state="visible")
        assert re.search(r"diverged at step \d+", notice.inner_text())
        page.get_by_role("button", name="Play").wait_for()  # paused by itself
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"diverged-{width}x{height}.png"))
        box = notice.bounding_box()
        for control in ("#speed", "#learning-rate", "#step-count", "#epoch-count", "#play"):
            other = page.locator(control).bounding_box()
            assert other is not None and not overlap(box, other), control
        # in the page's flow, not laid over it: it pushes the page down
        position = "getComputedStyle(document.getElementById('divergence')).position"
        assert page.evaluate(position) in ("static", "relative")
        back = notice.get_by_role("button", name=re.compile(r"Back to step \d+"))
        label = back.inner_text()
        step, rate = re.search(r"step (\d+) with learning rate ([\d.]+)", label).groups()
        assert float(rate) < 3
        back.click()
        page.wait_for_function(f"() => {STEPS_SHOWN} > {int(step) + 150}")
        page.get_by_role("button", name="Pause").click()
        page.evaluate("window.backpropLab.idle()")
        assert notice.is_hidden()
        assert page.locator("#learning-rate").input_value() == rate
        trained = shown_number(page, "#loss-train")
        assert shown_number(page, "#step-count") > int(step) + 150
        assert trained < 0.05, trained  # from ~0.15 at the start: it fell, not took off again
        assert errors == []
    finally:
        context.close()


def test_a_bouncing_loss_at_rate_10_says_the_rate_may_be_too_large(lab):
    lab.open("?learning_rate=10")
    lab.page.get_by_role("button", name="Play").click()
    hint = lab.page.locator("#divergence[data-kind=hint]")
    hint.wait_for(state="visible", timeout=30000)
    assert "may be too large" in hint.inner_text()
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    hint.get_by_role("button", name="Use 1").click()
    lab.idle()
    assert lab.page.locator("#learning-rate").input_value() == "1"
    assert hint.count() == 0
    assert lab.errors == []
