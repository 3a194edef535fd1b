"""The timeline under the charts, as a teacher uses it: train, drag back and see an earlier
boundary with a cursor on the charts, come back to now, continue from a past step with another
rate and see the run left behind faded; its keys; projector mode at 1280 x 720."""

from pathlib import Path

SHOTS = Path("/tmp/shots-timeline")
XOR = "?dataset=xor&learning_rate=0.1"
CORNER = (-4.0, -4.0)  # XOR's lower-left quarter: orange-ish at first, blue once learned

CURSORS = """(id) => document.querySelectorAll(`#${id} .shapelayer path`).length"""


def train(lab, query: str = XOR, steps: int = 500) -> int:
    lab.open(query)
    lab.page.get_by_role("button", name="Play").click()
    lab.wait_steps(f">= {steps}")
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    return lab.frame()["step"]


def drag_to(lab, share: float, drag: bool = False) -> None:
    """Click the timeline slider at this share of its width, or drag its thumb there from the
    right end (now), as a user would."""
    slider = lab.page.locator("#timeline-slider")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    x, y = box["x"] + box["width"] * share, box["y"] + box["height"] / 2
    if not drag:
        lab.page.mouse.click(x, y)
        return
    lab.page.mouse.move(box["x"] + box["width"] - 4, y)
    lab.page.mouse.down()
    lab.page.mouse.move(x, y, steps=8)
    lab.page.mouse.up()


def differ(a: list, b: list) -> bool:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) > 60


def test_scrubbing_back_shows_an_earlier_boundary_and_now_comes_back(lab):
    now = train(lab)
    live = lab.hook("outputPixel", *CORNER)
    drag_to(lab, 0.1)
    lab.wait_frame(f"f.step < {now // 3}")
    lab.idle()
    earlier = lab.frame()["step"]
    assert lab.steps() == earlier  # the counters show that moment
    assert differ(lab.hook("outputPixel", *CORNER), live)
    assert lab.page.evaluate(CURSORS, "loss-chart") == 1
    assert lab.page.evaluate(CURSORS, "grad-chart") == 1
    timeline = lab.page.get_by_role("group", name="Timeline")
    assert f"step {earlier} of {now}" in timeline.inner_text().replace(",", "")
    timeline.get_by_role("button", name="Now").click()
    lab.wait_frame(f"f.step === {now}")
    lab.idle()
    assert not differ(lab.hook("outputPixel", *CORNER), live)
    assert lab.page.evaluate(CURSORS, "loss-chart") == 0
    assert lab.errors == []


def test_continue_from_a_past_step_with_another_rate_leaves_the_old_run_faded(lab):
    now = train(lab)
    drag_to(lab, 0.3, drag=True)
    lab.wait_frame(f"f.step < {now * 0.5}")
    lab.idle()
    k = lab.frame()["step"]
    timeline = lab.page.get_by_role("group", name="Timeline")
    timeline.get_by_role("combobox", name="Rate to continue with").select_option("0.01")
    timeline.get_by_role("button", name="Continue from here").click()
    lab.idle()
    assert lab.config()["learning_rate"] == 0.01 and lab.frame()["step"] == k
    menu = lab.page.get_by_role("combobox", name="Learning rate", exact=True)
    assert menu.input_value() == "0.01"  # the settings row follows
    legend = lab.page.locator("#loss-chart .legendtext", has_text="Run left behind")
    legend.wait_for()
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps(f"=== {k + 1}")
    assert legend.is_visible()  # until the next branch
    SHOTS.mkdir(exist_ok=True)
    lab.page.screenshot(path=str(SHOTS / "test-branched-1280x800.png"))
    assert lab.errors == []


def test_play_while_scrubbed_goes_on_from_now(lab):
    now = train(lab)
    drag_to(lab, 0.2)
    lab.wait_frame(f"f.step < {now}")
    lab.idle()
    assert "Play goes on from now" in lab.page.get_by_role("group", name="Timeline").inner_text()
    lab.page.keyboard.press("Space")
    lab.wait_steps(f"> {now}")
    lab.page.keyboard.press("Space")
    lab.idle()
    assert lab.page.evaluate(CURSORS, "loss-chart") == 0
    assert lab.errors == []


def test_comma_and_period_step_through_the_recorded_steps_and_end_is_now(lab):
    lab.open("?speed=1")
    for _ in range(3):
        lab.page.get_by_role("button", name="Step", exact=True).click()
        lab.idle()
    assert lab.frame()["step"] == 3
    lab.page.keyboard.press(",")
    lab.wait_frame("f.step === 2")
    lab.page.keyboard.press(",")
    lab.wait_frame("f.step === 1")
    lab.page.keyboard.press(".")
    lab.wait_frame("f.step === 2")
    lab.page.keyboard.press("End")
    lab.wait_frame("f.step === 3")
    lab.idle()
    keys = dict(lab.hook("keys"))
    assert {",", ".", "End"} <= set(keys) and "Timeline" in keys[","]
    assert lab.errors == []


def test_the_timeline_fits_a_projector_at_1280x720(lab):
    lab.page.set_viewport_size({"width": 1280, "height": 720})
    now = train(lab, XOR + "&projector=1&settings=0", 300)
    drag_to(lab, 0.2)
    lab.wait_frame(f"f.step < {now}")
    lab.idle()
    timeline = lab.page.get_by_role("group", name="Timeline")
    for control in (
        timeline.get_by_role("slider"),
        timeline.get_by_role("button", name="Now"),
        timeline.get_by_role("button", name="Continue from here"),
        timeline.get_by_role("combobox"),
        lab.page.locator("#loss-chart"),
    ):
        box = control.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 720, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, box
    sizes = timeline.evaluate(
        "(e) => [...e.querySelectorAll('button, select')].filter((b) => b.offsetParent)"
        ".map((b) => parseFloat(getComputedStyle(b).fontSize))"
    )
    assert min(sizes) >= 20, sizes
    SHOTS.mkdir(exist_ok=True)
    lab.page.screenshot(path=str(SHOTS / "test-projector-1280x720-scrubbed.png"))
    assert lab.errors == []


def test_a_class_sees_the_moment_the_teacher_scrubs_to(lab, pages, live_server):
    from classpages import join, on_test_server, start_class

    now = train(lab, XOR, 200)
    _, address, _ = start_class(lab)
    student = pages(390, 844, phone=True)
    join(student, on_test_server(address, live_server))
    student.wait_steps(f"=== {now}")
    drag_to(lab, 0.1)
    lab.wait_frame(f"f.step < {now}")
    lab.idle()
    student.wait_steps(f"=== {lab.frame()['step']}")
    lab.page.keyboard.press("End")
    student.wait_steps(f"=== {now}")
    assert lab.errors == [] and student.errors == []
