"""Own data in a real browser: draw points, import a CSV, export and re-import a model, the
NumPy script and the PNGs, each as a teacher would do it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

CSV = "hours,sleep,passed\n" + "\n".join(
    f"{h},{s},{int(h + s > 14)}" for h in range(2, 12) for s in (4, 6, 8, 10)
)


RANGES = (
    "['xaxis', 'yaxis'].map((a) =>"
    " document.querySelector('#output-plot .js-plotly-plot')._fullLayout[a].range)"
)


def plot_area(lab) -> dict:
    return lab.page.locator("#output-plot .nsewdrag").first.bounding_box()


def click_plot(lab, fx: float, fy: float, modifier: str | None = None, box=None) -> None:
    """Click the output plot's area at a fraction of its width and height (of `box`, the area
    where it was when the drawing began, if given)."""
    box = box or plot_area(lab)
    if modifier:
        lab.page.keyboard.down(modifier)
    lab.page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    if modifier:
        lab.page.keyboard.up(modifier)


def train_points(lab) -> tuple[list, list]:
    lab.idle()
    d = lab.data()["train"]
    return d["X"], d["y"]


# A slow classroom network: every PUT of drawn points is answered 300 ms late, so the clicks
# below land while earlier ones are still on their way (none may be lost).
SLOW_PUTS = """() => {
  const fetch0 = window.fetch;
  window.fetch = async (url, init) => {
    const r = await fetch0(url, init);
    if (init?.method === "PUT" && String(url).includes("/data")) {
      await new Promise((ok) => setTimeout(ok, 300));
    }
    return r;
  };
}"""


def test_draw_points_then_training_goes_on_on_them(lab):
    lab.open("?dataset=circle&learning_rate=0.3&hidden=4:tanh")
    lab.page.wait_for_selector("#output-plot .nsewdrag")
    lab.page.evaluate(SLOW_PUTS)
    (x0, x1), (y0, y1) = shown = lab.page.evaluate(RANGES)
    lab.page.get_by_role("button", name="Clear").click()
    assert lab.page.locator("#draw").is_checked()
    lab.page.get_by_role("button", name="Play").click()
    assert "Draw a point first" in lab.page.locator("#status").inner_text()
    lab.page.get_by_role("radio", name="Class 1").click()
    # the clicks aim where the plot was when drawing began: nothing may move it meanwhile
    box = plot_area(lab)
    for fx, fy in [(0.2, 0.2), (0.25, 0.3), (0.8, 0.8), (0.75, 0.7)]:
        click_plot(lab, fx, fy, box=box)
    for fx, fy in [(0.8, 0.2), (0.75, 0.3), (0.2, 0.8), (0.25, 0.7)]:
        click_plot(lab, fx, fy, "Shift", box=box)
    # drawn at once, before the server has answered
    assert lab.page.locator("#output-plot .scatterlayer .point").count() == 8
    X, y = train_points(lab)
    assert len(X) == 8 and y == [1, 1, 1, 1, 0, 0, 0, 0]
    assert lab.page.locator("#no-test").is_visible()  # drawn points are all training points
    # the axes stayed put, and every point is where it was clicked
    assert lab.page.evaluate(RANGES) == shown
    assert plot_area(lab) == box
    assert X[2] == pytest.approx([x0 + 0.8 * (x1 - x0), y1 - 0.8 * (y1 - y0)], abs=0.1)
    assert X[7] == pytest.approx([x0 + 0.25 * (x1 - x0), y1 - 0.7 * (y1 - y0)], abs=0.1)
    # the plot's coordinates: top-left is negative x1, positive x2
    assert X[0][0] < -2 and X[0][1] > 2 and X[2][0] > 2 and X[2][1] < -2
    click_plot(lab, 0.21, 0.21, "Alt")  # removes the nearest point, the first one
    X2, y2 = train_points(lab)
    assert len(X2) == 7 and X2 == X[1:] and y2 == y[1:]
    assert lab.page.locator("#output-plot .scatterlayer .point").count() == 7
    lab.page.get_by_role("button", name="Play").click()
    lab.wait_steps(">= 300", timeout=30000)
    # no test points: the accuracy shown is the training set's
    lab.page.wait_for_function(
        "() => document.getElementById('acc-test').textContent === '100.0%'", timeout=30000
    )
    lab.page.get_by_role("button", name="Pause").click()
    assert train_points(lab)[0] == X2  # training did not touch the data
    assert lab.errors == []


def test_draw_targets_for_one_input_regression(lab):
    lab.open("?problem=regression&dataset=sine&features=x1&hidden=8:tanh&learning_rate=0.1")
    lab.page.wait_for_selector("#output-plot .nsewdrag")
    lab.page.get_by_role("button", name="Clear").click()
    box = plot_area(lab)
    (x0, x1), (y0, y1) = lab.page.evaluate(RANGES)
    clicks = [(0.1, 0.2), (0.5, 0.5), (0.9, 0.8)]
    for fx, fy in clicks:
        click_plot(lab, fx, fy, box=box)  # a click is an input and its target
    X, y = train_points(lab)
    assert [x for (x,) in X] == pytest.approx([x0 + fx * (x1 - x0) for fx, _ in clicks], abs=0.1)
    assert y == pytest.approx([y1 - fy * (y1 - y0) for _, fy in clicks], abs=0.05)
    # the value axis held still while drawing; training fits the curve through the points
    assert plot_area(lab) == box and lab.page.evaluate(RANGES) == [[x0, x1], [y0, y1]]
    lab.page.get_by_role("button", name="Play").click()
    lab.page.wait_for_function(
        "() => Number(document.getElementById('loss-train').textContent) < 0.002", timeout=30000
    )
    lab.page.get_by_role("button", name="Pause").click()
    assert lab.errors == []


def test_import_a_csv_and_see_its_scaling(lab, tmp_path):
    lab.open()
    path = tmp_path / "exam.csv"
    path.write_text(CSV)
    lab.page.locator("#import-csv").set_input_files(str(path))
    lab.page.wait_for_function("() => window.backpropLab.data().own === true")
    # no generated dataset is in use: the menu's choice is marked as not in use
    assert "own" in lab.page.locator("#datasets").get_attribute("class").split()
    s = lab.data()
    assert len(s["train"]["X"]) + len(s["test"]["X"]) == 40
    assert s["scaling"]["mean"] == pytest.approx([6.5, 7.0])
    shown = lab.page.locator("#scaling").inner_text()
    assert "x₁ = (raw − 6.5) / 2.87 × 2" in shown and "x₂ = (raw − 7) / 2.24 × 2" in shown
    # a bad file: the status line names the row and column; the data stays
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n1,2,0\n3,four,1\n")
    lab.page.locator("#import-csv").set_input_files(str(bad))
    lab.page.wait_for_function(
        "() => document.getElementById('status').textContent.includes('row 3')"
    )
    assert "column 2" in lab.page.locator("#status").inner_text()
    assert lab.data()["scaling"]["mean"][0] == 6.5


def test_export_the_model_and_import_it_again_to_the_same_predictions(lab, tmp_path):
    lab.open("?dataset=xor&learning_rate=0.3")
    lab.page.locator("#import-csv").set_input_files(
        files=[{"name": "exam.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    lab.page.wait_for_function("() => window.backpropLab.data().own === true")
    lab.page.get_by_role("button", name="Step one epoch").click()
    lab.wait_epochs("=== 1")
    lab.idle()
    before = lab.frame()
    first_id = lab.session_id()
    with lab.page.expect_download() as d:
        lab.page.get_by_role("link", name="Model (JSON)").click()
    saved = tmp_path / "model.json"
    d.value.save_as(saved)
    model = json.loads(saved.read_text())
    assert model["format"] == "backprop-lab-model" and model["step"] == before["step"]
    # a fresh page, another dataset: the import brings back the data and the weights
    lab.open("?dataset=circle")
    lab.page.locator("#import-model").set_input_files(str(saved))
    lab.page.wait_for_function(
        f"() => window.backpropLab.sessionId() !== {first_id!r} && "
        "window.backpropLab.data().own === true"
    )
    lab.idle()
    after = lab.frame()
    assert [x["W"] for x in after["layers"]] == [x["W"] for x in before["layers"]]
    # the same losses (a traced step's frame also has its mini-batch's, before the update)
    assert after["loss"] == {**before["loss"], "batch": None}
    assert after["grid"]["output"] == before["grid"]["output"]  # the same predictions, map and all
    assert "Model imported" in lab.page.locator("#status").inner_text()
    assert (lab.steps(), lab.epochs()) == (before["step"], before["epoch"])
    lab.page.get_by_role("button", name="Step", exact=True).click()  # and it trains on
    lab.wait_steps(f"=== {before['step'] + 1}")


def test_the_numpy_script_and_the_data_csv_download_and_run(lab, live_server, tmp_path):
    lab.open("?dataset=gauss")
    lab.page.get_by_role("button", name="Step one epoch").click()
    lab.wait_epochs("=== 1")
    lab.idle()
    with lab.page.expect_download() as d:
        lab.page.get_by_role("link", name="NumPy script").click()
    script = tmp_path / "model.py"
    d.value.save_as(script)
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    printed = json.loads(re.search(r"^PREDICTIONS (.*)$", run.stdout, re.M).group(1))
    sid = lab.session_id()
    for i, out in enumerate(printed[:3]):
        record = lab.page.evaluate(f"fetch('/api/sessions/{sid}/examples/{i}').then(r => r.json())")
        assert out == pytest.approx(record["layers"][-1]["a"], rel=1e-9)
    with lab.page.expect_download() as d:
        lab.page.get_by_role("link", name="Data (CSV)").click()
    rows = d.value.path().read_text().splitlines()
    assert rows[0] == "x1,x2,label,split" and len(rows) == 501


def test_plots_export_as_png(lab, tmp_path):
    lab.open("?dataset=circle")
    lab.page.wait_for_selector("#output-plot .nsewdrag")
    downloads = []
    lab.page.on("download", lambda d: downloads.append(d))
    lab.page.get_by_role("button", name="Plots (PNG)").click()
    lab.page.wait_for_timeout(200)
    deadline = 50
    while len(downloads) < 2 and deadline:
        lab.page.wait_for_timeout(100)
        deadline -= 1
    names = sorted(d.suggested_filename for d in downloads)
    assert names == ["backprop-lab-loss.png", "backprop-lab-output.png"]
    for d in downloads:
        data = d.path().read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        d.save_as(tmp_path / d.suggested_filename)
    # the output image carries the map: far more than the points on white
    output = (tmp_path / "backprop-lab-output.png").stat().st_size
    assert output > 30_000
