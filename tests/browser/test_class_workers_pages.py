"""Class mode's pages on two servers sharing one Redis: the teacher's page on one, a student's
phone on the other (as behind a load balancer). The student follows Play, answers, and sees
the reveal; screenshots go to /tmp/shots-redisclass/."""

from __future__ import annotations

from pathlib import Path

import pytest
from classpages import ask, join, on_test_server, play_and_follow, start_class

from tests.conftest import serving

SHOTS = Path("/tmp/shots-redisclass")


@pytest.fixture(scope="module")
def two(redis_server):
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    args = ("--redis", redis_server)
    with serving(args=args) as a, serving(args=args) as b:
        yield a, b


def test_a_student_on_another_server_follows_answers_and_sees_the_reveal(two, pages):
    a, b = two
    SHOTS.mkdir(parents=True, exist_ok=True)
    teacher = pages(1280, 720)
    teacher.page.goto(f"{a}/?projector=1&settings=0")
    teacher.ready()
    code, address, _ = start_class(teacher)
    phone = pages(390, 844, phone=True)
    join(phone, on_test_server(address, b))  # the join address, reached on the other server
    play_and_follow(teacher, [phone], 1)  # its steps computed on the teacher's server
    phone.page.screenshot(path=SHOTS / "phone-following.png")

    ask(teacher)
    teacher.page.get_by_role("button", name="Ask the class").click()
    phone.page.locator("#answer-card").get_by_role("button", name="down").tap()
    teacher.page.wait_for_function(
        "() => document.querySelector('.q-tally').textContent === '1 of 1 answered'"
    )
    step = teacher.steps()
    teacher.page.get_by_role("button", name="Reveal").click()
    teacher.wait_steps(f"=== {step + 1}")
    happened = teacher.page.locator(".class-panel .q-results .happened")
    happened.wait_for()
    phone.wait_steps(f"=== {step + 1}")  # the reveal's step, computed on the teacher's server
    phone.page.locator("#answer-card .verdict").wait_for()
    assert phone.page.locator("#answer-card .happened").inner_text() == happened.inner_text()
    phone.page.screenshot(path=SHOTS / "phone-390x844-revealed.png")
    teacher.page.screenshot(path=SHOTS / "teacher-1280x720-revealed.png")
    assert teacher.page.locator(".class-code").inner_text() == code
