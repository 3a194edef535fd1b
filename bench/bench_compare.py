"""Compare mode's speed (issue 16), beside its targets.

    python3 bench/bench_compare.py [seconds]

Starts `python -m app` and Debian's Chromium (Playwright) and measures
1. POST /api/sessions/{id}/twin of the ReLU-against-tanh lesson's session (spiral, three
   layers of 8, every map), end to end over one keep-alive connection: the median of 20
                                                                    target <= 50 ms
2. the comparison page playing both runs in lockstep, one epoch a frame: lockstep frames per
   second (a frame: both runs stepped and drawn; counted off the chart's points through
   window.backpropCompare) and epochs per second of each run, for
   a. the ReLU-against-tanh lesson at 1920 x 1080,
   b. the same in projector mode at 1280 x 720,
   c. the heaviest: all seven features, 6 hidden layers of 8, ReLU against tanh.
   Targets: >= 30 frames/s (the network page's floor for its heaviest setup, which trains one
   session, not two); TensorFlow Playground manages ~15 frames/s on its heaviest, alone.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench_page import ARGS  # noqa: E402  (Chromium's flags, as the page's bench runs it)

from tests.conftest import serving  # noqa: E402  (python -m app on a free port, stopped after)

LESSON = "compare?lesson=compare-relu-tanh"
HEAVY = (
    "compare?dataset=spiral&features=x1,x2,x1_squared,x2_squared,x1_times_x2,sin_x1,sin_x2"
    "&hidden=8:tanh,8:tanh,8:tanh,8:tanh,8:tanh,8:tanh&vary=activation&a=relu&b=tanh&speed=1e"
)
COUNTS = """async () => { const c = await window.backpropCompare.curves();
    const s = window.backpropCompare.sides();
    return {frames: c[0].points, epoch: s[0].epoch, t: performance.now()}; }"""


def call(conn: http.client.HTTPConnection, method: str, path: str, body=None) -> dict:
    conn.request(method, path, json.dumps(body) if body is not None else None, JSON)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        raise RuntimeError(f"{method} {path}: {r.status} {data[:200]!r}")
    return json.loads(data) if data else {}


JSON = {"content-type": "application/json"}


def twin_times(port: int) -> list[float]:
    lessons = {x["id"]: x for x in json.load(open(ROOT / "app/data/lessons.json"))}
    config = lessons["compare-relu-tanh"]["config"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    a = call(conn, "POST", "/api/sessions?grids=none", config)
    changes = {"hidden": [{**h, "activation": "tanh"} for h in config["hidden"]]}
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        b = call(conn, "POST", f"/api/sessions/{a['id']}/twin?grids=all", {"changes": changes})
        times.append((time.perf_counter() - t0) * 1e3)
        call(conn, "DELETE", f"/api/sessions/{b['id']}")
    call(conn, "DELETE", f"/api/sessions/{a['id']}")
    return times


def play(browser, base: str, query: str, size: tuple[int, int], seconds: float) -> dict:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{base}/{query}")
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    page.wait_for_selector("#compare-chart .main-svg", timeout=30000)
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(1500)  # past the first frames
    start = page.evaluate(COUNTS)
    page.wait_for_timeout(seconds * 1000)
    end = page.evaluate(COUNTS)
    page.get_by_role("button", name="Pause").click()
    page.close()
    dt = (end["t"] - start["t"]) / 1000
    return {
        "frames/s": (end["frames"] - start["frames"]) / dt,
        "epochs/s": (end["epoch"] - start["epoch"]) / dt,
    }


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 8.0
    with serving() as base:
        times = twin_times(urlparse(base).port)
        median = statistics.median(times)
        print(f"twin request (the lesson's network, every map): {median:.1f} ms (target <= 50 ms)")
        from playwright.sync_api import sync_playwright

        runs = [
            ("ReLU vs tanh lesson, 1920x1080", LESSON, (1920, 1080)),
            ("ReLU vs tanh lesson, projector 1280x720", LESSON + "&projector=1", (1280, 720)),
            ("heaviest: 7 features, 6x8, 1920x1080", HEAVY, (1920, 1080)),
        ]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for name, query, size in runs:
                r = play(browser, base, query, size, seconds)
                print(
                    f"{name}: {r['frames/s']:.1f} lockstep frames/s (target >= 30), "
                    f"{r['epochs/s']:.1f} epochs/s per run"
                )
            browser.close()


if __name__ == "__main__":
    main()
