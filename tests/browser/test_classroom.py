"""What a teacher hits in front of a class (issue 12): the default learns, Chinese stays
Chinese, slow motion shows the step it traces, and the details show the numbers of the step.

Read what the page shows (texts, pixels) rather than the server's JSON where a user would.
"""

from __future__ import annotations

import re

OUTPUT_PIXELS = """() => {
    const c = document.querySelector('#output-plot canvas.map');
    return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
}"""


def shown_accuracy(lab) -> float:
    text = lab.page.locator("#acc-test").inner_text()
    return float(text.rstrip("%")) / 100


def test_the_default_page_learns_the_circle_within_seconds_of_play(lab):
    lab.open()
    before = lab.page.evaluate(OUTPUT_PIXELS)
    lab.page.get_by_role("button", name="Play").click()
    lab.page.wait_for_timeout(5000)
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    assert shown_accuracy(lab) >= 0.9, lab.page.locator("#acc-test").inner_text()
    after = lab.page.evaluate(OUTPUT_PIXELS)
    changed = sum(a != b for a, b in zip(before, after, strict=True)) / len(after)
    assert changed > 0.2, f"only {changed:.0%} of the output map's bytes changed"
    # Step is still one mini-batch
    step = lab.steps()
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps(f"=== {step + 1}")
    lab.idle()
    assert lab.steps() == step + 1
    assert lab.errors == []


def test_a_lesson_picked_in_chinese_stays_chinese(lab):
    lab.open("?lang=zh")
    lessons = lab.page.locator("#lessons")
    lessons.locator("option").nth(1).wait_for(state="attached")
    with lab.page.expect_navigation():
        lessons.select_option(index=1)
    lab.ready()
    assert "lang=zh" in lab.page.url and "lesson=" in lab.page.url
    assert lab.page.locator("#play").get_attribute("aria-label") == "播放"
    assert not lab.page.locator("#lesson-bar").is_hidden()


def test_the_servers_errors_show_in_chinese(lab):
    lab.open("?lang=zh")
    status = lab.page.locator("#status")
    # a CSV with a bad cell: named by row and column, in Chinese
    lab.page.locator("#import-csv").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"x1,x2,y\n1,2,0\n1,abc,1\n"}]
    )
    lab.page.wait_for_function("() => document.getElementById('status').textContent.length > 0")
    assert "第 3 行第 2 列：'abc' 不是数字" in status.inner_text()
    # a typed weight beyond the bound
    lab.click_edge(2, 1, 3)
    lab.page.locator("#weight-editor-input").fill("1e9")
    lab.page.locator("#weight-editor-input").press("Enter")
    lab.page.wait_for_function(
        "() => document.getElementById('status').textContent.includes('输入应')"
    )
    assert "value: 输入应小于或等于 1000000" in status.inner_text()
    # a step beyond the work budget, as the page reports it
    text = lab.page.evaluate("""async () => {
        const src = document.querySelector('script[type=module]').src;
        const { api } = await import(src.replace(/main\\.js$/, 'api.js'));
        try { await api.step(window.backpropLab.sessionId(), { steps: 1000, unit: 'epoch' }); }
        catch (e) { return e.message; }
    }""")
    assert re.fullmatch(
        r"steps: 这个网络的 1000 轮约需 [\d.]+ 秒计算，超过一次请求可用的 1 秒；最多请求 \d+", text
    )
    # a divergence
    lab.open("?lang=zh&problem=regression&dataset=plane&hidden=&learning_rate=1&batch_size=50")
    lab.page.locator("#play").click()
    # (the divergence notice under the top bar, static/js/divergence.js, says it)
    lab.page.wait_for_function(
        "() => document.getElementById('divergence').textContent.includes('发散')"
    )
    notice = lab.page.locator("#divergence").inner_text()
    assert re.search(r"训练在第 \d+ 步发散", notice) and "diverged" not in notice


def phase_is(lab, phase: str) -> None:
    lab.page.wait_for_function(
        f"() => document.getElementById('phases').dataset.phase === {phase!r}", timeout=15000
    )


def test_slow_motion_marks_its_example_shows_the_losses_before_the_update_and_resumes(lab):
    lab.open("?slow=1&hidden=")
    ring = lab.page.locator("#output-plot .shapelayer path")
    play = lab.page.locator("#play")
    play.click()
    phase_is(lab, "loss")
    assert ring.count() == 1  # the traced example, ringed on the output plot
    caption = lab.page.locator("#phase-caption").inner_text()
    shown = lab.page.locator("#loss-train").inner_text()  # the panel, before the update
    m = re.search(r"this mini-batch's loss ([\d.]+), the training set's ([\d.]+)", caption)
    assert m and m.group(2) == shown, (caption, shown)
    # Pause, and Play again 0.8 s later while the step's phases still play: it plays on
    play.click()
    lab.page.wait_for_timeout(800)
    play.click()
    assert play.get_attribute("aria-label") == "Pause"
    step = lab.frame()["step"]
    lab.wait_frame(f"f.step >= {step + 2}", timeout=20000)
    assert play.get_attribute("aria-label") == "Pause"
    play.click()
    lab.page.wait_for_function("() => !window.backpropLab.phasesRunning()", timeout=15000)
    lab.page.wait_for_timeout(300)
    assert ring.count() == 0
    assert lab.errors == []


def test_the_weight_detail_shows_the_update_that_happened_and_follows_a_typed_weight(lab):
    lab.open()
    step = lab.page.get_by_role("button", name="Step", exact=True)
    step.click()
    lab.wait_steps("=== 1")
    before = lab.frame()["layers"][1]["W"][1][3]
    step.click()
    lab.wait_steps("=== 2")
    lab.idle()
    after = lab.frame()["layers"][1]["W"][1][3]
    at = lab.click_edge(2, 1, 3)
    lab.page.wait_for_selector("#inspector .eq math")
    lab.idle()
    eqs = lab.page.locator("#inspector-body .eq").all_inner_texts()
    assert not any("\\" in e for e in eqs), eqs  # "(example #0)", no backslash
    update = re.sub(r"\s+", "", eqs[3])
    assert f"={float(f'{before:.3g}'):g}−0.03" in update.replace("-", "−"), update
    assert update.endswith(f"={float(f'{after:.3g}'):g}"), update
    lab.page.locator("#weight-editor-input").fill("1.5")
    lab.page.locator("#weight-editor-input").press("Enter")
    lab.page.wait_for_function(
        "() => document.querySelector('#inspector-body .eq').textContent.includes('1.5')"
    )
    lab.idle()
    assert lab.page.locator("#inspector-body .eq").count() == 3  # rewritten in place
    lab.page.keyboard.press("Escape")
    lab.page.mouse.move(at["x"] + 1, at["y"])
    assert "= 1.5" in lab.page.locator("#tooltip").inner_text()
    assert lab.errors == []


def test_a_features_tooltip_says_on_once_it_is_switched_on(lab):
    lab.open()
    square = lab.page.locator(".neuron").nth(2)  # x1², off by default
    box = square.bounding_box()
    lab.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = lab.page.locator("#tooltip")
    assert "off" in tip.inner_text()
    lab.page.mouse.down()
    lab.page.mouse.up()
    lab.page.wait_for_function("() => window.backpropLab.config().features.length === 3")
    lab.idle()
    assert " on " in tip.inner_text(), tip.inner_text()  # without moving the mouse
