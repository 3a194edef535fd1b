"""What a teacher hits in front of a class (issue 12): the default learns, Chinese stays
Chinese, slow motion shows the step it traces, and the details show the numbers of the step.

Read what the page shows (texts, pixels) rather than the server's JSON where a user would.
"""

from __future__ import annotations

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
    step = int(lab.page.get_by_label("Step count").inner_text().replace(",", ""))
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.page.wait_for_function(f"() => window.backpropLab.frame.step === {step + 1}")
    assert lab.page.get_by_label("Step count").inner_text().replace(",", "") == str(step + 1)
    assert lab.errors == []
