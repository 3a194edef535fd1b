"""The notes' NumPy code panel, CSV import without standardizing, and the input-scale lesson,
in a real browser, as a teacher would use them."""

from __future__ import annotations

from test_i18n_table import zh_table

from nncore.notes_code import side_by_side

SUMMARY = "() => document.querySelector('#notes-summary')?.dataset.maxRelativeDifference"


def test_the_notes_lesson_opens_the_panel_with_both_curves_and_the_code(lab):
    lab.open("?lesson=notes-two-layer")
    page = lab.page
    page.wait_for_function(SUMMARY)
    assert page.locator("#notes-code-panel").evaluate("(d) => d.open")
    assert (
        float(page.locator("#notes-summary").get_attribute("data-max-relative-difference")) < 1e-9
    )
    page.wait_for_function("() => document.querySelector('#notes-chart')?.data?.length === 2")
    names = page.evaluate("() => document.querySelector('#notes-chart').data.map((d) => d.name)")
    assert names == ["The notes' code (rows)", "The core's Network (columns)"]
    rows = page.locator("table.notes-lines tbody tr")
    assert rows.count() == 22
    assert "x.T.dot(grad_h*h*(1-h))" in rows.nth(18).inner_text()
    assert "dW1 = (1 / m) * dZ1 @ X.T" in rows.nth(18).inner_text()
    # the inputs hold the server's defaults; a run of 20 iterations redraws with 20 points
    assert page.get_by_label("Iterations").input_value() == "1000"
    page.get_by_label("Iterations").fill("20")
    page.get_by_role("button", name="Run both").click()
    page.wait_for_function("() => document.querySelector('#notes-chart').data[0].x.length === 20")
    assert page.locator("#notes-summary").inner_text().startswith("20 iterations, m = 64:")
    # too much work: the server's 422 is shown, naming the most iterations allowed
    page.get_by_label("D_in (inputs)").fill("1000")
    page.get_by_label("Iterations").fill("10000")
    page.get_by_role("button", name="Run both").click()
    page.wait_for_function(
        "() => document.querySelector('#status').textContent.includes('at most')"
    )
    assert [e for e in lab.errors if "status of 422" not in e] == []  # the browser logs the 422


def test_the_panel_in_chinese(lab):
    lab.open("?lesson=notes-two-layer&lang=zh")
    lab.page.wait_for_function(SUMMARY)
    assert "最大相对差" in lab.page.locator("#notes-summary").inner_text()
    assert lab.page.locator("#notes-code-panel summary").inner_text() == "讲义的 NumPy 代码"


def test_a_csv_imported_without_standardizing_keeps_its_numbers(lab):
    lab.open()
    page = lab.page
    csv = "x1,x2,label\n" + "".join(f"{100 + i},{-50 * i},{i % 2}\n" for i in range(12))
    page.get_by_label("Standardize").uncheck()
    page.locator("#import-csv").set_input_files(
        files=[{"name": "raw.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.wait_for_function("() => window.backpropLab.data().own")
    lab.idle()
    data = page.evaluate("() => window.backpropLab.data()")
    assert data["scaling"] is None
    xs = sorted(p[0] for p in data["train"]["X"] + data["test"]["X"])
    assert xs == [100.0 + i for i in range(12)]
    assert page.locator("#scaling").inner_text() == ""
    page.get_by_label("Standardize").check()  # standardized: the mapping is shown
    page.locator("#import-csv").set_input_files(
        files=[{"name": "raw.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.wait_for_function("() => window.backpropLab.data().scaling")
    assert page.locator("#scaling").inner_text().startswith("Standardized:")
    assert lab.errors == []


def test_the_input_scale_lesson_diverges_and_the_training_script_link(lab):
    lab.open("?lesson=input-scale")
    page = lab.page
    assert page.locator("#input-scale").input_value() == "100"
    assert lab.config()["input_scale"] == 100 and "input_scale=100" in page.url
    href = page.locator("#export-train-script").get_attribute("href")
    assert href.endswith("/model.py?train=true")
    page.get_by_role("button", name="Step", exact=True).click()
    page.locator("#divergence").wait_for(state="visible")  # the rate that suits x1 diverges
    page.locator("#input-scale").select_option("1")  # the same points, x1
    page.wait_for_function("() => window.backpropLab.config().input_scale === 1")
    assert "input_scale=" not in page.url  # the default again: the link is short
    assert [e for e in lab.errors if "status of 409" not in e] == []  # the browser logs the 409


def test_every_remark_beside_the_cores_lines_has_its_chinese():
    table = zh_table()
    assert [
        r["comment"] for r in side_by_side() if r["comment"] and r["comment"] not in table
    ] == []
