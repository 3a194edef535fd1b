"""Issue 14, the pages of class mode, as a teacher and students use them: one teacher page
(the projector), students on a laptop and on a phone (390x844, touch). Start class, join by
the address the panel shows, follow Play, a question answered by tapping, the reveal on the
projector and on the phones, Explore on my own and Back, End class; a student's page never
holds the teacher's session id or token.

What is asserted is read off the pages (texts, what is shown); the screenshots go to
/tmp/shots-i14-pages/.
"""

from __future__ import annotations

import json
import re

from classpages import SHOTS, ask, join, on_test_server, play_and_follow, start_class, storage


def test_a_class_follows_the_teacher_answers_and_sees_the_reveal(lab, pages, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    lab.page.set_viewport_size({"width": 1280, "height": 720})
    lab.open("?projector=1&settings=0")
    teacher_session = lab.session_id()
    code, address, token = start_class(lab)
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert address.endswith(f"/join/{code}") and "127.0.0.1" in address
    # the QR code: an inert <svg>, at least 300 px on a 1280 x 720 projector
    qr = lab.page.locator(".class-join .qr svg")
    box = qr.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 300, box
    assert lab.page.locator(".class-join .qr script, .class-join .qr foreignObject").count() == 0
    # the teacher token: in the page's memory only (not its address, markup or storage)
    assert token not in lab.page.url + lab.page.content() + storage(lab)

    laptop, phone = pages(1280, 800), pages(390, 844, phone=True)
    sent = {}
    for student in (laptop, phone):
        sent[student] = join(student, on_test_server(address, live_server))
        assert student.steps() == 0

    # Play on the projector: the students' counters follow the teacher's step
    step = play_and_follow(lab, [laptop, phone], 2)

    # a loss question, answered by a tap on the phone and a click on the laptop
    ask(lab)
    prompt = lab.page.locator(".composer textarea[name=prompt]").input_value()
    assert prompt == "Will the training loss go up or down after the next step?"
    lab.page.get_by_role("button", name="Ask the class").click()
    card = phone.page.locator("#answer-card")
    card.get_by_role("button", name="down").wait_for()
    assert card.locator(".prompt").inner_text() == prompt
    phone.page.screenshot(path=str(SHOTS / "phone-390x844-question-before.png"))
    card.get_by_role("button", name="up").tap()
    card.get_by_role("button", name="down").tap()  # changed before the reveal: this one counts
    phone.page.wait_for_selector("#answer-card button[aria-pressed=true]:text-is('down')")
    laptop.page.locator("#answer-card").get_by_role("button", name="up").click()
    lab.page.wait_for_function(
        "() => document.querySelector('.q-tally').textContent === '2 of 2 answered'"
    )
    phone.page.wait_for_selector("#answer-card .note:text('Sent')")
    phone.page.screenshot(path=str(SHOTS / "phone-390x844-question.png"))

    # Reveal: the step runs on the teacher's session, its frame is drawn like a Step's
    lab.page.get_by_role("button", name="Reveal").click()
    lab.wait_steps(f"=== {step + 1}")
    results = lab.page.locator(".class-panel .q-results")
    results.locator(".happened").wait_for()
    rows = results.locator(".result")
    assert rows.count() == 2
    assert [rows.nth(i).locator(".count").inner_text() for i in range(2)] == ["1", "1"]
    happened = results.locator(".happened").inner_text()
    m = re.fullmatch(r"The training loss went (up|down): ([\d.]+) → ([\d.]+)\.", happened)
    assert m, happened
    before, after = float(m.group(2)), float(m.group(3))
    assert (after > before) == (m.group(1) == "up")
    assert after == lab.loss("train")  # the loss the page now shows is the reveal's "after"
    right = results.locator(".result.right .choice").inner_text()
    assert right == f"✓ {m.group(1)}"
    lab.page.screenshot(path=str(SHOTS / "teacher-projector-1280x720-qr-and-results.png"))

    for student, mine in ((phone, "down"), (laptop, "up")):
        student.wait_steps(f"=== {step + 1}")
        verdict = student.page.locator("#answer-card .verdict")
        verdict.wait_for()
        text = student.page.locator("#answer-card .happened").inner_text()
        assert text == happened
        won = mine == m.group(1)
        expected = (
            f"Your answer, {mine}, was right." if won else f"Your answer was {mine}: not this time."
        )
        assert verdict.inner_text() == expected
        assert (
            student.page.locator("#answer-card .result.mine .choice")
            .inner_text()
            .startswith(("✓ " if won else "") + mine)
        )
    phone.page.screenshot(path=str(SHOTS / "phone-390x844-revealed.png"))

    # the teacher at 1920 x 1080
    lab.page.set_viewport_size({"width": 1920, "height": 1080})
    lab.page.wait_for_timeout(400)
    lab.page.screenshot(path=str(SHOTS / "teacher-1920x1080.png"))

    # Explore on my own: the lab on a copy of the teacher's network; Back follows again
    laptop.page.get_by_role("button", name="Explore on my own").click()
    frame = laptop.page.frame_locator("#explore-frame")
    frame.locator("body[data-ready='1']").wait_for()
    inner = laptop.page.frames[1]
    own = inner.evaluate("() => window.backpropLab.sessionId()")
    assert own and own != teacher_session
    assert inner.evaluate("() => window.backpropLab.frame().step") == step + 1
    assert inner.evaluate("() => window.backpropLab.config()") == lab.config()
    assert frame.locator("#step-count").inner_text() == f"{step + 1:,}"
    assert frame.locator("#start-class").is_hidden()  # no class of one's own from there
    laptop.page.get_by_role("button", name="Back to the teacher").click()
    laptop.page.locator("#following").wait_for(state="visible")
    assert laptop.page.locator("#exploring").is_hidden()
    lab.page.get_by_role("button", name="Step", exact=True).click()
    for student in (laptop, phone):
        student.wait_steps(f"=== {step + 2}")

    # End class: the students are told
    lab.page.get_by_role("button", name="End class").click()
    for student in (laptop, phone):
        student.page.get_by_text("The class has ended.").wait_for()
    assert lab.page.get_by_role("button", name="Start class").is_visible()

    # nothing a student's page holds or sent names the teacher's session or token
    for student in (laptop, phone):
        held = student.page.content() + json.dumps(sent[student]) + storage(student)
        assert teacher_session not in held and token not in held
        assert any("/api/classes/" in url for url, _, _ in sent[student])  # it did follow
    assert lab.errors == [] and laptop.errors == [] and phone.errors == []
