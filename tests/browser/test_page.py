"""The page in a real browser: controls, training live, live changes, the URL, slow motion."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def play_until(lab, steps: int) -> dict:
    lab.page.get_by_role("button", name="Play").click()
    lab.wait_steps(f">= {steps}", timeout=30000)
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    return lab.frame()


def test_loads_clean_and_offline(lab):
    lab.open()
    lab.page.wait_for_timeout(300)
    assert lab.errors == []
    assert lab.outside() == [], "the page asked for something outside its own server"
    assert any("/vendor/plotly" in u and u.endswith(".min.js") for u in lab.requests)
    for name in ["Play", "Step", "Step one epoch", "Reset"]:
        assert lab.page.get_by_role("button", name=name, exact=True).count() == 1
    assert lab.page.get_by_label("Step count").inner_text() == "0"
    # controls come from the options: every activation is offered per layer
    acts = lab.page.get_by_label("Activation of layer 1").locator("option").all_inner_texts()
    assert acts == ["Sigmoid", "Tanh", "ReLU", "Leaky ReLU", "Linear"]


def test_play_trains_and_the_loss_falls_on_circle(lab):
    lab.open("?dataset=circle&learning_rate=0.1&speed=1e")
    start = lab.loss("train")  # the loss the page shows
    f = play_until(lab, 400)
    assert lab.steps() >= 400 and lab.epochs() >= 16
    assert (lab.steps(), lab.epochs()) == (f["step"], f["epoch"])
    assert lab.loss("train") < 0.6 * start
    # once paused, the loss chart ends at the step shown, with the loss shown
    train = lab.page.evaluate("document.getElementById('loss-chart').data[0]")
    assert train["x"][-1] == f["step"]
    assert train["y"][-1] == pytest.approx(f["loss"]["train"], rel=1e-6)
    assert lab.errors == []


def test_a_session_the_server_forgot_is_rebuilt_from_the_page(lab):
    lab.open("?dataset=xor&learning_rate=0.3&speed=1e")
    f = play_until(lab, 100)

    def forget() -> str:  # what an idle hour does: the server forgets the session
        sid = lab.session_id()
        lab.page.evaluate(f"fetch('/api/sessions/{sid}', {{method: 'DELETE'}})")
        return sid

    sid = forget()
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.page.wait_for_function(f"() => window.backpropLab.sessionId() !== {sid!r}")
    lab.idle()
    g = lab.frame()  # the page's weights and step count, now the server's
    assert [x["W"] for x in g["layers"]] == [x["W"] for x in f["layers"]]
    assert (g["step"], g["epoch"], g["loss"]) == (f["step"], f["epoch"], f["loss"])
    assert "rebuilt" in lab.page.locator("#status").inner_text()
    # while playing: rebuilt, and it plays on
    sid = forget()
    lab.page.get_by_role("button", name="Play").click()
    lab.page.wait_for_function(f"() => window.backpropLab.sessionId() !== {sid!r}")
    lab.wait_steps(f"> {f['step'] + 25}")
    lab.page.get_by_role("button", name="Pause").click()
    assert [e for e in lab.errors if "404" not in e] == []


def test_step_advances_exactly_one(lab):
    lab.open()
    for k in (1, 2, 3):
        lab.page.get_by_role("button", name="Step", exact=True).click()
        lab.wait_steps(f"=== {k}")
    lab.idle()
    assert lab.steps() == 3
    lab.page.get_by_role("button", name="Step one epoch").click()
    lab.wait_epochs("=== 1")
    assert lab.steps() == 25  # 250 training examples in batches of 10


def test_live_changes_keep_training_without_a_reset(lab):
    lab.open("?speed=5")
    lab.page.get_by_role("button", name="Play").click()
    lab.wait_steps(">= 50")
    lab.page.get_by_label("Activation of layer 1").select_option("relu")
    lab.page.wait_for_function("() => window.backpropLab.config().hidden[0].activation === 'relu'")
    at_change = lab.steps()
    lab.page.get_by_role("button", name="More units in layer 2").click()
    lab.page.wait_for_function("() => window.backpropLab.config().hidden[1].units === 3")
    lab.wait_steps(f">= {at_change + 50}")
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    f = lab.frame()
    assert lab.steps() == f["step"] > at_change  # went on counting: no reset
    assert [len(layer["W"]) for layer in f["layers"]] == [4, 3, 1]
    assert f["layers"][0]["activation"] == "relu"
    assert lab.errors == []


def test_editing_a_weight_changes_the_frame(lab):
    lab.open()
    before = lab.frame()["grid"]["output"]["bdata"]
    lab.click_edge(2, 1, 3)
    lab.page.get_by_label("New weight").fill("1.5")
    lab.page.get_by_label("New weight").press("Enter")
    lab.page.wait_for_function("() => window.backpropLab.frame().layers[1].W[1][3] === 1.5")
    assert lab.frame()["grid"]["output"]["bdata"] != before  # the boundary moved with it
    width = lab.hook("edgePoint", 2, 1, 3)["width"]
    assert width > 3  # |1.5| draws a wide edge


def test_the_url_round_trips_the_state(lab):
    lab.open()
    lab.page.get_by_label("Learning rate").select_option("0.1")
    lab.page.get_by_role("button", name="Add hidden layer").click()
    lab.page.get_by_role("switch", name="Feature x₁²").click()
    lab.page.get_by_role("radio", name="Dataset xor").click()
    lab.page.wait_for_function("() => window.backpropLab.config().dataset === 'xor'")
    lab.idle()
    url = lab.page.url
    assert "learning_rate=0.1" in url and "dataset=xor" in url and "x1_squared" in url
    config = lab.config()
    lab.open(url.split("/", 3)[3])  # the same link, loaded afresh
    assert lab.config() == config
    # same seed, same start: the reloaded session's initial weights are the reset weights
    fresh = lab.frame()
    lab.page.get_by_role("button", name="Reset").click()
    lab.wait_steps("=== 0")
    lab.idle()
    assert [la["W"] for la in lab.frame()["layers"]] == [la["W"] for la in fresh["layers"]]


def test_slow_motion_plays_the_four_phases_in_order(lab):
    lab.open("?slow=1")
    seen = []
    lab.page.expose_function("notePhase", lambda p: seen.append(p))
    lab.page.evaluate("""() => {
        const bar = document.getElementById('phases');
        new MutationObserver(() => bar.dataset.phase && window.notePhase(bar.dataset.phase))
            .observe(bar, {attributes: true, attributeFilter: ['data-phase']});
    }""")
    lab.page.get_by_role("button", name="Step", exact=True).click()
    next_phase = lab.page.get_by_role("button", name="Next phase")
    for _ in range(12):  # forward per layer, loss, backward per layer, update
        lab.page.wait_for_timeout(120)
        if next_phase.is_disabled():
            break
        next_phase.click()
    lab.wait_frame("f.step === 1")
    order = [p for i, p in enumerate(seen) if i == 0 or p != seen[i - 1]]
    assert order == ["forward", "loss", "backward", "update"]
    caption = lab.page.locator("#phase-caption").inner_text()
    assert "W := W − α dW" in caption


# What a screenshot's pixels hold in a box: the share of non-white pixels ("ink"), of the
# palette's orange (negative, class 0) and blue (positive, class 1) hues, and how many
# distinct colours (4 bits a channel). The PNG is decoded by the browser itself.
PIXELS = """async ([png, box]) => {
    const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
    const image = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
    const canvas = new OffscreenCanvas(image.width, image.height);
    const g = canvas.getContext('2d');
    g.drawImage(image, 0, 0);
    const d = g.getImageData(box.x, box.y, box.width, box.height).data;
    let ink = 0, orange = 0, blue = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
        const [r, gr, b] = [d[i], d[i + 1], d[i + 2]];
        if (r < 240 || gr < 240 || b < 240) ink++;
        if (r > b + 60 && r > gr + 20) orange++;
        if (b > r + 60 && b > gr + 20) blue++;
        colours.add((r >> 4) << 8 | (gr >> 4) << 4 | (b >> 4));
    }
    const n = d.length / 4;
    return {ink: ink / n, orange: orange / n, blue: blue / n, colours: colours.size};
}"""


@pytest.mark.parametrize(
    "size, projector", [((1920, 1080), False), ((1280, 720), False), ((1920, 1080), True)]
)
def test_screenshots(lab, size, projector):
    """Screenshots to look at (written to screenshots/): what a user sees is on them."""
    lab.page.set_viewport_size({"width": size[0], "height": size[1]})
    lab.open(
        "?dataset=spiral&features=x1,x2,x1_squared,x2_squared,sin_x1,sin_x2"
        "&hidden=8:tanh,8:tanh,6:tanh&speed=1e&learning_rate=0.03"
        + ("&projector=1&lesson=hyperparameters" if projector else "")
    )
    play_until(lab, 300)
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"page-{size[0]}x{size[1]}{'-projector' if projector else ''}.png"
    png = lab.page.screenshot(path=str(path))
    # the controls, the network and the output are all on the screen, whole
    shown = ["#play", "#step-count", "#network", "#output-plot"]
    if size == (1920, 1080) and not projector:
        shown.append("#loss-chart")  # on a smaller screen it is below the fold
    for selector in shown + (["#lesson-bar"] if projector else []):
        box = lab.page.locator(selector).bounding_box()
        assert lab.page.locator(selector).is_visible() and box, selector
        assert box["x"] >= 0 and box["y"] >= 0, selector
        assert box["x"] + box["width"] <= size[0] and box["y"] + box["height"] <= size[1], selector
    assert lab.steps() >= 300
    # the network's maps and edges and the output's boundary and points are drawn, in both
    # of the palette's hues and many shades of them
    for selector, ink in (("#network", 0.15), ("#output-plot", 0.3)):
        box = {k: round(v) for k, v in lab.page.locator(selector).bounding_box().items()}
        px = lab.page.evaluate(PIXELS, [base64.b64encode(png).decode(), box])
        assert px["ink"] > ink and px["colours"] > 40, (selector, px)
        assert px["orange"] > 0.02 and px["blue"] > 0.02, (selector, px)
    assert lab.errors == []


def test_a_lesson_loads_with_its_caption_and_its_network(lab):
    lab.open()
    lab.page.get_by_label("Lessons").select_option("deep-3-5-5-3-1")
    lab.page.wait_for_url("**lesson=deep-3-5-5-3-1**")
    lab.ready()
    assert "dimension check" in lab.page.locator("#lesson-bar").inner_text()
    assert [len(la["W"]) for la in lab.frame()["layers"]] == [5, 5, 3, 1]
    lab.page.locator("#shapes-panel summary").click()
    shapes = lab.page.locator("#shapes").inner_text()
    assert "W[1] (5, 3)" in shapes and "W[4] (1, 3)" in shapes
    total = lab.page.get_by_label("Parameter count").inner_text()
    assert int(total) == 5 * 3 + 5 + 5 * 5 + 5 + 3 * 5 + 3 + 3 + 1
    # the bare link a teacher would write by hand sets up the same network
    menu_link = lab.frame()
    lab.open("?lesson=deep-3-5-5-3-1&lang=en")
    assert "dimension check" in lab.page.locator("#lesson-bar").inner_text()
    assert [la["W"] for la in lab.frame()["layers"]] == [la["W"] for la in menu_link["layers"]]
    # and a lesson link with settings of its own keeps them
    lab.open("?lesson=deep-3-5-5-3-1&hidden=2:relu")
    assert [len(la["W"]) for la in lab.frame()["layers"]] == [2, 1]


def test_too_large_a_rate_stops_with_a_message_and_recovers(lab):
    lab.open("?problem=regression&dataset=plane&hidden=&learning_rate=1&batch_size=50")
    lab.page.get_by_role("button", name="Play").click()
    notice = lab.page.locator("#divergence")
    notice.wait_for(state="visible")
    assert "diverged at step" in notice.inner_text()
    assert lab.page.get_by_role("button", name="Play").count() == 1  # paused by itself
    lab.page.get_by_label("Learning rate").select_option("0.03")
    lab.idle()
    before = lab.loss("train")
    play_until(lab, lab.steps() + 100)
    assert lab.loss("train") < before


def test_keys_projector_help_and_gradient_check(lab):
    lab.open()
    lab.page.keyboard.press("ArrowRight")
    lab.wait_steps("=== 1")
    lab.page.keyboard.press("Space")
    lab.wait_steps("> 3")
    lab.page.keyboard.press("Space")
    lab.idle()
    lab.page.keyboard.press("r")
    lab.wait_steps("=== 0")
    lab.page.keyboard.press("p")
    assert "projector" in lab.page.evaluate("document.body.className")
    size = lab.page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.feature-label')).fontSize)"
    )
    assert size >= 24
    assert "projector=1" in lab.page.url
    # S folds the settings row away (a 1280 x 720 projector has little height) and back
    lab.page.set_viewport_size({"width": 1280, "height": 720})
    learning_rate = lab.page.get_by_label("Learning rate")
    top = lab.page.locator(".topbar").bounding_box()["height"]
    lab.page.keyboard.press("s")
    assert not learning_rate.is_visible() and "settings=0" in lab.page.url
    assert lab.page.locator(".topbar").bounding_box()["height"] < top - 60
    assert lab.page.get_by_role("button", name="Settings").get_attribute("aria-pressed") == "false"
    lab.page.get_by_role("button", name="Settings").click()
    assert learning_rate.is_visible() and "settings=0" not in lab.page.url
    lab.page.keyboard.press("?")
    assert lab.page.get_by_role("dialog", name="Keyboard help").is_visible()
    lab.page.keyboard.press("Escape")
    lab.page.locator("#gradcheck-panel summary").click()
    lab.page.get_by_role("button", name="Check the gradients").click()
    lab.page.wait_for_selector("#gradcheck-result td.good")
    assert lab.page.locator("#gradcheck-result td.bad").count() == 0
    assert lab.errors == []


def example(lab, index: int) -> dict:
    """The server's record of training example `index` (its forward and backward pass)."""
    return lab.page.evaluate(
        "([sid, i]) => fetch(`/api/sessions/${sid}/examples/${i}`).then((r) => r.json())",
        [lab.session_id(), index],
    )


def shows_every_z(lab, record: dict) -> bool:
    """The inspector shows every z of the record (each as MathML prints it: three digits)."""
    text = lab.page.locator("#inspector-body").inner_text().replace("−", "-")
    zs = [z for layer in record["layers"] for z in layer["z"] if 1e-3 <= abs(z) < 1e3]
    return bool(zs) and all(f"{abs(z):.3g}" in text for z in zs)


def test_clicking_a_point_shows_its_numbers_in_typeset_math(lab):
    lab.open("?hidden=3:tanh")
    lab.click_point(5)
    inspector = lab.page.get_by_role("complementary", name="Example inspector")
    inspector.wait_for(state="visible")
    assert lab.hook("inspected") == {"index": 5, "step": 0}
    assert "#5:" in lab.page.locator("#inspector-title").inner_text()
    api = example(lab, 5)
    assert shows_every_z(lab, api)  # the page shows the API's record
    assert lab.page.locator("#inspector math").count() >= 10
    first = lab.page.locator("#inspector .eq").first.inner_text().replace("−", "-")
    z = api["layers"][0]["z"][0]
    assert f"{abs(z):.3g}" in first
    labels = [t.title() for t in lab.page.locator("#inspector h3").all_inner_texts()]
    assert labels == ["Forward", "Loss", "Backward"]
    # the numbers follow training: a step shows the new weights' pass at once ...
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.page.wait_for_function("() => window.backpropLab.inspected()?.step === 1")
    lab.idle()
    after = example(lab, 5)
    assert after["layers"] != api["layers"]
    assert shows_every_z(lab, after)
    z = after["layers"][0]["z"][0]
    first = lab.page.locator("#inspector .eq").first.inner_text()
    assert f"{abs(z):.3g}" in first
    # ... and while playing, a few times a second; closed, it rests
    lab.page.get_by_role("button", name="Play").click()
    lab.page.wait_for_function("() => window.backpropLab.inspected().step > 20", timeout=15000)
    lab.page.get_by_role("button", name="Pause").click()
    lab.page.get_by_role("button", name="Close").click()
    lab.idle()
    shown = lab.hook("inspected")["step"]
    asked = len([u for u in lab.requests if "/examples/" in u])
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps(f"> {shown}")
    lab.page.wait_for_timeout(300)
    assert lab.hook("inspected")["step"] == shown
    assert len([u for u in lab.requests if "/examples/" in u]) == asked
    assert lab.errors == []


def test_wide_equations_fit_the_inspector(lab):
    lab.open("?problem=multiclass&dataset=spiral&classes=3&hidden=5:relu")
    lab.click_point(2)
    lab.page.get_by_role("complementary", name="Example inspector").wait_for(state="visible")
    lab.idle()
    overflow = lab.page.evaluate("""[...document.querySelectorAll('#inspector .eq')].map((d) =>
        d.querySelector('math').getBoundingClientRect().width - d.clientWidth)""")
    # 6 per layer, the loss, and the hidden layer's g'(z): W[2] is 3 x 5, it used to run off
    assert len(overflow) == 13 and max(overflow) <= 1
    index = lab.hook("inspected")["index"]  # point 2, or one Plotly found under it
    label = lab.data()["train"]["y"][index]
    assert f"Label {label}" in lab.page.locator("#inspector-title").inner_text().title()


def test_neuron_and_weight_details_show_the_examples_numbers(lab):
    lab.open("?hidden=3:tanh")
    lab.neuron_detail()
    lab.page.wait_for_selector("#inspector .curve .main-svg")
    inspected = lab.hook("inspected")
    assert inspected == {"index": 0, "step": 1}  # no example clicked: the first, at this step
    record = example(lab, inspected["index"])
    text = lab.page.locator("#inspector-body").inner_text().replace("−", "-")  # MathML minus
    z = record["layers"][0]["z"][1]
    assert f"{abs(z):.3g}" in text  # MathML sets the sign apart from the digits
    # a weight: this example's dW = dz * a_prev, with its numbers
    at = lab.hook("edgePoint", 2, 0, 1)
    lab.page.keyboard.press("Escape")
    lab.click_at(at)
    lab.page.wait_for_function(
        "() => document.querySelector('#inspector-title').textContent.startsWith('Weight')"
    )
    lab.idle()
    text = lab.page.locator("#inspector-body").inner_text().replace("−", "-")
    dz, a_prev = record["layers"][1]["dz"][0], record["layers"][0]["a"][1]
    assert f"{abs(dz * a_prev):.3g}" in text
    assert lab.errors == []


def test_both_languages(lab):
    lab.open("?lang=zh&lesson=zero-init&init=zeros&dataset=xor&hidden=4:tanh")
    assert lab.page.get_by_role("button", name="播放").count() == 1
    assert lab.page.get_by_role("button", name="单步", exact=True).count() == 1
    assert "零初始化" in lab.page.locator("#lesson-bar").inner_text()
    assert lab.page.get_by_role("heading", name="数据", exact=True).count() == 1
    assert "学习率" in lab.page.locator("#hyper").inner_text()
    lab.page.get_by_role("button", name="播放").click()
    lab.wait_steps("> 20")
    lab.page.get_by_role("button", name="暂停").click()
    lab.page.get_by_label("语言").select_option("en")
    lab.ready()
    assert lab.page.get_by_role("button", name="Play").count() == 1
    assert "lang=" not in lab.page.url
    assert lab.errors == []


def test_every_lesson_loads_in_the_page(lab):
    lab.open()
    menu = lab.page.get_by_label("Lessons").locator("option")
    menu.nth(1).wait_for(state="attached")
    ids = [i for i in menu.evaluate_all("(os) => os.map((o) => o.value)") if i]
    assert len(ids) >= 10
    # a comparison lesson opens on /compare: tests/browser/test_compare_page.py opens those
    table = Path(__file__).resolve().parents[2] / "app/data/lessons.json"
    lessons = json.loads(table.read_text())
    comparisons = {lesson["id"] for lesson in lessons if "compare" in lesson}
    assert comparisons and comparisons <= set(ids)
    for lesson_id in [i for i in ids if i not in comparisons]:
        lab.page.get_by_label("Lessons").select_option(lesson_id)
        lab.page.wait_for_url(f"**lesson={lesson_id}**")
        lab.ready()
        assert lab.page.locator("#lesson-bar").is_visible()
        lab.page.get_by_role("button", name="Step", exact=True).click()
        if "diverge" in lab.page.locator("#lesson-bar").inner_text():  # it may at once
            lab.page.wait_for_function(
                "() => window.backpropLab.frame().step >= 1"
                " || !document.getElementById('divergence').hidden"
            )
        else:
            lab.wait_frame("f.step >= 1")
    assert [e for e in lab.errors if "status of 409" not in e] == []  # the browser logs a 409
