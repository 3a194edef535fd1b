"""The mini-batch as matrices on the page: after a Step the panel shows X (n[0], m), the db line
with the frame's numbers, and Loop vs vectorized runs on the server."""

from app.equations import _num


def as_mathml_text(latex_number: str) -> str:
    """A number as the browser's MathML reads it: _num's "-2.96 \\times 10^{-4}" -> "−2.96×10−4"."""
    s = latex_number.replace(r" \times ", "×").replace("^{", "").replace("}", "")
    return s.replace("-", "\u2212")


def open_panel(lab, query: str) -> None:
    lab.open(query)
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps("=== 1")
    lab.idle()
    lab.page.locator("#batch-panel summary").click()
    lab.page.wait_for_selector("#batch-view .eq math")


def test_the_panel_shows_the_batch_and_times_the_loop(lab):
    open_panel(lab, "?lesson=mini-batch-matrices")
    titles = lab.page.locator("#batch-view .eq .title").all_inner_texts()
    assert "X (n[0], m) = (2, 4)" in titles
    assert "Z[1] (n[1], m) = (3, 2) (2, 4) + (3, 1) = (3, 4)" in titles
    frame = lab.frame()
    for l, layer in enumerate(frame["layers"], start=1):
        title = f"db[{l}] (n[{l}], 1) = ({len(layer['db'])}, 1)"
        eq = lab.page.locator(f"#batch-view .eq[data-name=db]:has(.title:text-is('{title}'))")
        text = eq.inner_text().replace("\xa0", " ")  # MathML's spaces are no-break spaces
        assert "np.sum(" in text and "axis=1, keepdims=True)" in text
        shown = eq.locator("mtable").last.locator("mtd").all_text_contents()
        assert shown == [as_mathml_text(_num(row[0])) for row in layer["db"]]
    assert "added to every one of the m columns" in lab.page.locator("#batch-view").inner_text()

    lab.page.get_by_role("button", name="Loop vs vectorized").click()
    result = lab.page.locator("#batch-panel .loop-result")
    result.locator("td[data-name=speedup]").wait_for()
    assert result.locator("td[data-name=loop]").inner_text().endswith(" ms")
    assert result.locator("td[data-name=speedup]").inner_text().endswith("×")
    difference = result.locator("td[data-name=difference]").inner_text()
    assert difference == "0" or "10⁻" in difference  # about 1e-16
    m = len(lab.data()["train"]["X"])
    text = result.inner_text()
    assert f"m = {m} examples" in text and "for l = 1 to 2" in text

    # open, the panel follows training: another step, and then a few while playing
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps("=== 2")
    lab.page.get_by_text("The mini-batch of step 2:").wait_for()
    lab.page.get_by_role("button", name="Play").click()
    lab.wait_steps(">= 20")
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    step = lab.frame()["step"]
    lab.page.get_by_text(f"The mini-batch of step {step}:").wait_for()
    assert lab.errors == []


def test_before_a_step_the_panel_says_to_take_one_and_speaks_chinese(lab):
    lab.open("?lesson=mini-batch-matrices&lang=zh")
    lab.page.locator("#batch-panel summary").click()
    assert lab.page.locator("#batch-panel summary").inner_text() == "矩阵形式的小批量"
    assert "运行一步" in lab.page.locator("#batch-view").inner_text()
    lab.page.get_by_role("button", name="循环与向量化").click()
    lab.page.locator("#batch-panel td[data-name=speedup]").wait_for()
    assert "两种写法都保留了对层的循环" in lab.page.locator("#batch-panel").inner_text()
    assert lab.errors == []
