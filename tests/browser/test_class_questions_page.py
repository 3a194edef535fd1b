"""Issue 14, class mode's pages beyond the main run: questions whose target the teacher picks
on the page (a weight on the network, a point on the output), a lesson opened in class, slow
motion's phase on the students' pages, a Chinese teacher's class, a dropped stream, a code
that is no class. Read off the pages, as the users see them."""

from __future__ import annotations

import json
import math
import re
import urllib.request

from classpages import Relay, ask, join, on_test_server, start_class


def teacher_and_student(lab, pages, live_server, query: str = "", phone: bool = False):
    lab.open(query)
    code, address, _ = start_class(lab)
    lab.page.get_by_role("button", name="Hide the QR code").click()  # the network in view
    student = pages(390, 844, phone=True) if phone else pages(1280, 800)
    join(student, on_test_server(address, live_server))
    return code, student


def reveal(lab) -> str:
    """Reveal, as the teacher clicks it: what happened, as the panel says it."""
    lab.page.get_by_role("button", name="Reveal").click()
    happened = lab.page.locator(".class-panel .q-results .happened")
    happened.wait_for()
    return happened.inner_text()


def test_a_weight_question_picked_on_the_network_is_revealed_against_the_weight(
    lab, pages, live_server
):
    _, student = teacher_and_student(lab, pages, live_server)
    ask(lab, "weight")
    before = lab.frame()["layers"][1]["W"][1][3]
    lab.click_edge(2, 1, 3)  # the composer takes the click: no weight editor opens
    assert lab.page.locator("#weight-editor").is_hidden()
    fields = [
        lab.page.locator(f".composer input[name={n}]").input_value()
        for n in ("layer", "row", "col")
    ]
    assert fields == ["2", "2", "4"]  # W[2] row 2, column 4, as the tooltips count
    prompt = lab.page.locator(".composer textarea[name=prompt]").input_value()
    assert prompt == "Will the weight W[2] 2,4 grow or shrink in size after the next step?"
    lab.page.get_by_role("button", name="Ask the class").click()
    card = student.page.locator("#answer-card")
    card.get_by_role("button", name="grow").click()
    assert card.locator(".prompt").inner_text() == f"{prompt} (W[2] 2,4)"
    lab.page.wait_for_function(
        "() => document.querySelector('.q-tally').textContent === '1 of 1 answered'"
    )
    happened = reveal(lab)
    after = lab.frame()["layers"][1]["W"][1][3]
    grew = abs(after) > abs(before)
    word = "grew" if grew else "shrank"
    m = re.fullmatch(rf"W\[2\] 2,4 {word} in size: (\S+) → (\S+)\.", happened)
    assert m, (happened, before, after)
    assert float(m.group(2).replace("−", "-")) == float(f"{after:.3g}")
    right = lab.page.locator(".class-panel .result.right .choice").inner_text()
    assert right == ("✓ grow" if grew else "✓ shrink")
    student.page.locator("#answer-card .verdict").wait_for()
    assert student.page.locator("#answer-card .happened").inner_text() == happened
    assert lab.errors == [] and student.errors == []


def loneliest(X: list) -> int:
    """The training point farthest from its nearest neighbour."""

    def gap(i: int) -> float:
        return min(math.dist(X[i], p) for k, p in enumerate(X) if k != i)

    return max(range(len(X)), key=gap)


def test_a_point_question_picked_on_the_output_names_the_networks_class(lab, pages, live_server):
    _, student = teacher_and_student(lab, pages, live_server, phone=True)
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps("=== 1")
    lab.idle()
    ask(lab, "point")
    i = loneliest(lab.data()["train"]["X"])  # no other point under the pointer
    lab.click_point(i)  # taken by the composer, not the inspector
    assert lab.page.locator(".composer input[name=index]").input_value() == str(i)
    assert lab.page.locator("#inspector").is_hidden()
    lab.page.get_by_role("button", name="Ask the class").click()
    card = student.page.locator("#answer-card")
    card.get_by_role("button", name="class 1 (blue)").tap()
    assert card.locator(".target").inner_text().strip() == f"(point #{i})"
    happened = reveal(lab)
    sid = lab.session_id()
    with urllib.request.urlopen(f"{live_server}/api/sessions/{sid}/examples/{i}") as r:
        predicted = 1 if json.load(r)["prediction"] > 0.5 else 0
    name = ["class 0 (orange)", "class 1 (blue)"][predicted]
    assert happened == f"The network gives point #{i}: {name}."
    assert lab.page.locator(".class-panel .result.right .choice").inner_text() == f"✓ {name}"
    verdict = student.page.locator("#answer-card .verdict")
    verdict.wait_for()
    assert verdict.inner_text() == (
        "Your answer, class 1 (blue), was right."
        if predicted == 1
        else "Your answer was class 1 (blue): not this time."
    )
    assert lab.errors == [] and student.errors == []


def test_a_lesson_opened_in_class_reaches_the_students_and_keeps_the_class(lab, pages, live_server):
    code, student = teacher_and_student(lab, pages, live_server)
    before = lab.session_id()
    lessons = lab.page.locator("#lessons")
    lessons.locator("option[value='shallow-3-4-1']").wait_for(state="attached")
    lessons.select_option("shallow-3-4-1")  # no reload: the class and its token stay
    lab.page.wait_for_function("() => window.backpropLab.config().hidden.length === 1")
    lab.idle()
    assert lab.session_id() != before and "lesson=shallow-3-4-1" in lab.page.url
    assert lab.page.locator(".class-code").inner_text() == code
    bar = student.page.locator("#lesson-bar")
    bar.get_by_text("A shallow network, vectorized").wait_for()
    student.page.wait_for_function(
        "() => [...document.querySelectorAll('#network .layer-head')].map((h) => h.textContent)"
        ".join('|') === '4 · Tanh'"
    )
    # the class follows the new session: a step there reaches the student
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps("=== 1")
    student.wait_steps("=== 1")
    assert lab.errors == [] and student.errors == []


def test_slow_motion_shows_its_phase_on_the_students_pages(lab, pages, live_server):
    _, student = teacher_and_student(lab, pages, live_server, phone=True)
    row = student.page.locator("#phase-row")
    assert row.is_hidden()
    lab.page.locator("#slow").check()
    row.wait_for(state="visible")
    # a Step in slow motion: the teacher walks it phase by phase with Next phase
    lab.page.get_by_role("button", name="Step", exact=True).click()
    student.page.wait_for_selector("#phases span.active[data-phase=forward]")
    while lab.page.locator("#phases").get_attribute("data-phase") != "backward":
        lab.page.get_by_role("button", name="Next phase").click()
    student.page.wait_for_selector("#phases span.active[data-phase=backward]")
    caption = student.page.locator("#phase-caption").inner_text()
    assert caption == "Backward: the gradients flow right to left; the edges show dW."
    assert student.page.locator("#phases span.done").count() == 2  # forward and loss
    while lab.hook("phasesRunning"):
        lab.page.get_by_role("button", name="Next phase").click()
        lab.page.wait_for_timeout(100)
    student.page.wait_for_function("() => !document.querySelector('#phases span.active')")
    student.wait_steps("=== 1")
    lab.page.locator("#slow").uncheck()
    row.wait_for(state="hidden")
    assert lab.errors == [] and student.errors == []


def test_q_shows_and_hides_the_qr_code_of_a_class(lab):
    lab.open()
    lab.page.keyboard.press("q")  # no class: nothing happens
    assert lab.page.locator("#class-panel").is_hidden()
    start_class(lab)
    qr = lab.page.get_by_role("img", name="QR code of the join address")
    assert qr.is_visible()
    lab.page.locator("#step-count").click()  # the keys are the page's, not a button's
    lab.page.keyboard.press("q")
    qr.wait_for(state="hidden")
    assert lab.page.get_by_role("button", name="Show the QR code").is_visible()
    lab.page.keyboard.press("Q")
    qr.wait_for(state="visible")
    assert lab.errors == []


def test_a_chinese_teachers_students_read_chinese(lab, pages, live_server):
    lab.open("?lang=zh")
    lab.page.get_by_role("button", name="开始课堂").click()
    lab.page.wait_for_selector(".class-code:not(:empty)")
    address = lab.page.locator(".join-url").get_attribute("href")
    assert address.endswith("?lang=zh")
    student = pages(390, 844, phone=True)
    join(student, on_test_server(address, live_server))
    assert student.page.get_by_role("button", name="自己探索").is_visible()
    lab.page.get_by_role("button", name="提问").click()
    lab.page.get_by_role("button", name="向全班提问").click()
    card = student.page.locator("#answer-card")
    card.get_by_role("button", name="下降").tap()
    assert card.locator(".prompt").inner_text() == "下一步之后，训练损失会上升还是下降？"
    lab.page.get_by_role("button", name="结束课堂").click()
    student.page.get_by_text("课堂已经结束。").wait_for()
    assert lab.errors == [] and student.errors == []


def test_a_dropped_stream_says_reconnecting_and_resumes(lab, pages, live_server):
    lab.open()
    _, address, _ = start_class(lab)
    relay = Relay(live_server)  # the phone reaches the server through it
    try:
        student = pages(390, 844, phone=True)
        join(student, on_test_server(address, relay.url))
        note = student.page.locator("#connection")
        assert note.is_hidden()
        relay.cut()  # the Wi-Fi drops out
        note.get_by_text("Reconnecting…").wait_for()
        lab.page.get_by_role("button", name="Step", exact=True).click()
        lab.wait_steps("=== 1")
        assert student.steps() == 0 and note.is_visible()
        relay.restore()  # and comes back: EventSource reconnects, the stream resumes
        note.wait_for(state="hidden")
        student.wait_steps("=== 1")
        assert student.page.locator("#ended").is_hidden()
    finally:
        relay.close()


def test_a_code_that_is_no_class_says_so_and_offers_another(pages, live_server):
    student = pages(390, 844, phone=True)
    student.page.goto(f"{live_server}/join/ZZZZZZ")
    student.page.get_by_text("No such class: it may have ended.").wait_for()
    assert student.page.locator("#student").is_hidden()
    student.page.get_by_label("Class code").fill("abc")
    with student.page.expect_navigation():
        student.page.get_by_role("button", name="Join").click()
    assert student.page.url.endswith("/join/abc")
