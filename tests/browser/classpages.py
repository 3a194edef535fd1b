"""What the class-mode browser tests share: the teacher starts a class and asks, a student
joins by the address shown (test_class_mode_pages.py, test_class_questions_page.py)."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SHOTS = Path("/tmp/shots-i14-pages")


def start_class(lab) -> tuple[str, str, str]:
    """Start class, as the teacher clicks it: (the class code and the join address the panel
    shows, the teacher token the server answered with, which no page shows)."""
    with lab.page.expect_response(lambda r: r.url.split("?")[0].endswith("/class")) as created:
        lab.page.get_by_role("button", name="Start class").click()
    token = created.value.json()["teacher_token"]
    lab.page.get_by_role("complementary", name="Class").wait_for(state="visible")
    lab.page.wait_for_selector(".class-code:not(:empty)")
    code = lab.page.locator(".class-code").inner_text()
    return code, lab.page.locator(".join-url").get_attribute("href"), token


def on_test_server(address: str, live_server: str) -> str:
    """The join address shown, on the test server's host (it is the same when the server is
    bound to 127.0.0.1, as here)."""
    shown, ours = urlsplit(address), urlsplit(live_server)
    return urlunsplit(shown._replace(netloc=ours.netloc))


def join(student, address: str) -> list:
    """Open the join address on a student's page, as scanned; what the page sends (every
    request's address, body and headers) is kept in the list returned."""
    sent: list = []
    student.page.on("request", lambda r: sent.append([r.url, r.post_data, r.headers]))
    student.page.goto(address)
    student.page.wait_for_selector("body[data-ready='1']")
    student.wait_steps(">= 0")  # the first frame has arrived
    return sent


def play_and_follow(lab, students: list, following: int) -> int:
    """Once the teacher's panel counts `following` students: Play until step 5 (a student at
    3 or more meanwhile), Pause; every student's counter then shows the teacher's step."""
    lab.page.wait_for_function(
        f"() => document.querySelector('.class-count .students').textContent === '{following}'"
    )
    lab.page.get_by_role("button", name="Play").click()
    lab.wait_steps(">= 5")
    students[-1].wait_steps(">= 3")
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    step = lab.steps()
    for student in students:
        student.wait_steps(f"=== {step}")
    return step


def ask(lab, kind: str | None = None) -> None:
    lab.page.get_by_role("button", name=re.compile(r"^Ask (a|another) question$")).click()
    if kind:
        lab.page.locator(".composer select[name=kind]").select_option(kind)


def storage(probe) -> str:
    return probe.page.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )


class Relay:
    """A TCP relay to the test server that can cut every connection through it and refuse new
    ones until restored: a classroom's Wi-Fi that drops out and comes back. Pages opened at
    http://127.0.0.1:<port> go through it."""

    def __init__(self, live_server: str):
        self.target = ("127.0.0.1", urlsplit(live_server).port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.down = threading.Event()
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if self.down.is_set():
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Drop every connection; refuse new ones until restore()."""
        self.down.set()
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def restore(self) -> None:
        self.down.clear()

    def close(self) -> None:
        self.cut()
        self.listener.close()
