"""Issue 12.9 in a real browser: one key table per page (Space plays even on a focused
checkbox), the loss chart after one step and where the data changed, and the notes on what a
link and the gradient check leave out."""

STEPS = "() => Number(document.getElementById('step-count').textContent.replace(/,/g, ''))"


def steps(lab) -> int:
    return lab.page.evaluate(STEPS)


def help_list(lab) -> list[tuple[str, str]]:
    return lab.page.evaluate(
        """() => [...document.querySelectorAll('#help-keys dt')]
             .map((dt) => [dt.textContent, dt.nextElementSibling.textContent])"""
    )


def circuit_table(lab) -> list[tuple[str, str]]:
    return lab.page.evaluate("() => window.circuitLab.keys.rows.map((r) => [r.label, r.help])")


def test_space_plays_on_a_focused_checkbox_and_the_help_is_the_key_table(lab):
    lab.open()
    for box in ("#slow", "#draw"):
        lab.page.focus(box)
        before = steps(lab)
        lab.page.keyboard.press("Space")
        lab.page.wait_for_function(f"() => ({STEPS})() > {before + 2}")
        lab.page.keyboard.press("Space")
        lab.page.get_by_role("button", name="Play").wait_for()
        lab.idle()
        assert not lab.page.locator(box).is_checked()  # the checkbox kept its state
    # a focused Play button: Space plays once (no click on release pausing it again)
    lab.page.focus("#play")
    lab.page.keyboard.press("Space")
    lab.page.get_by_role("button", name="Pause").wait_for()
    lab.page.wait_for_timeout(300)
    assert lab.page.get_by_role("button", name="Pause").count() == 1
    lab.page.keyboard.press("Space")
    lab.page.get_by_role("button", name="Play").wait_for()
    lab.idle()
    # in a select the keys are the select's: R does not reset the run
    shown = steps(lab)
    lab.page.get_by_label("Learning rate").focus()
    lab.page.keyboard.press("r")
    lab.page.wait_for_timeout(200)
    lab.idle()
    assert steps(lab) == shown > 0
    lab.page.locator("#step-count").click()
    rows = lab.hook("keys")  # the rows that drive the key handler
    keys = ["Space", "→", "Shift + →", "R", "P", "S", "L", "Q", "V", "W", ",", ".", "End"]
    keys += ["?", "Esc"]
    assert [k for k, _ in rows] == keys
    lab.page.keyboard.press("?")
    assert lab.page.get_by_role("dialog", name="Keyboard help").is_visible()
    assert help_list(lab) == rows
    lab.page.keyboard.press("Escape")
    assert not lab.page.get_by_role("dialog", name="Keyboard help").is_visible()
    assert lab.errors == []


def test_the_circuit_page_uses_its_own_key_table(lab):
    lab.open("circuit?preset=add-multiply")
    lab.page.wait_for_function("() => window.circuitLab.tl")
    lab.page.focus("#expand")
    lab.page.keyboard.press("Space")
    lab.page.get_by_role("button", name="Pause").wait_for()
    assert not lab.page.locator("#expand").is_checked()
    lab.page.keyboard.press("Space")
    lab.page.get_by_role("button", name="Play").wait_for()
    rows = circuit_table(lab)
    assert [k for k, _ in rows] == ["Space", "→", "Shift + →", "←", "R", "P", "?", "Esc"]
    assert help_list(lab) == rows
    assert lab.errors == []


def loss_chart(lab) -> dict:
    return lab.page.evaluate(
        """() => {
          const c = document.getElementById('loss-chart');
          return { x: c.data[0].x, shapes: c.layout.shapes || [],
                   labels: (c.layout.annotations || []).map((a) => a.text) };
        }"""
    )


def test_one_epoch_draws_the_loss_up_to_the_step_shown(lab):
    lab.open()
    lab.page.get_by_role("button", name="Step one epoch").click()
    lab.page.wait_for_function(f"() => ({STEPS})() > 0")
    lab.idle()
    shown = steps(lab)
    lab.page.wait_for_function(
        f"() => document.getElementById('loss-chart').data[0].x.includes({shown})"
    )
    chart = loss_chart(lab)
    assert chart["x"] == [0, shown]  # from the start to the step shown: a line, not nothing
    lab.page.wait_for_function(
        "() => (document.querySelector('#loss-chart .scatterlayer .trace path.js-line')"
        "?.getAttribute('d') || '').includes('L')"
    )


def test_switching_the_dataset_marks_the_loss_chart(lab):
    lab.open()
    for _ in range(3):
        lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.page.wait_for_function(f"() => ({STEPS})() === 3")
    lab.idle()
    weights = lab.frame()["layers"][0]["W"]
    lab.page.get_by_role("radio", name="Dataset xor").click()
    lab.page.wait_for_function(
        "() => (document.getElementById('loss-chart').layout.shapes || []).length === 1"
    )
    lab.idle()
    chart = loss_chart(lab)
    assert chart["shapes"][0]["x0"] == 3 == steps(lab)  # at the step where the data changed
    assert chart["labels"] == ["New data"]
    assert lab.frame()["layers"][0]["W"] == weights
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.page.wait_for_function(f"() => ({STEPS})() === 4")
    lab.idle()
    assert len(loss_chart(lab)["shapes"]) == 1  # a step is no new data
    lab.page.get_by_role("button", name="Reset").click()  # the run undone: its mark too
    lab.page.wait_for_function(
        "() => (document.getElementById('loss-chart').layout.shapes || []).length === 0"
    )
    assert lab.errors == []


def test_own_points_say_a_link_does_not_carry_them(lab):
    lab.open()
    note = lab.page.locator("#own-link-note")
    assert not note.is_visible()
    lab.page.get_by_role("button", name="Clear").click()
    box = lab.page.locator("#output-plot .nsewdrag").first.bounding_box()
    lab.page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    note.wait_for(state="visible")
    assert "does not carry your own points" in note.inner_text()
    assert "Data (CSV)" in note.inner_text() and "Model (JSON)" in note.inner_text()
    lab.page.get_by_role("button", name="Reset").click()  # the points stay: so does the note
    lab.idle()
    assert note.is_visible()
    assert lab.errors == []


def test_the_gradient_check_says_it_leaves_out_the_penalty(lab):
    lab.open("?l2=0.01")
    lab.page.locator("#gradcheck-panel summary").click()
    note = lab.page.locator("#gradcheck-penalty")
    assert note.is_visible() and "without the penalty" in note.inner_text()
    lab.page.get_by_role("button", name="Check the gradients").click()
    lab.page.wait_for_selector("#gradcheck-result td.good")
    lab.page.get_by_label("L2 rate").select_option("0")
    lab.idle()
    assert not note.is_visible()
    assert lab.errors == []
