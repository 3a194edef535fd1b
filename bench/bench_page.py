"""Frames per second of the page, in headless Chromium, beside the targets of issue 4.

    python3 bench/bench_page.py [seconds]

Starts `python -m app` and Debian's Chromium (Playwright), opens
1. the heaviest setup: spiral, all seven features, 6 hidden tanh layers of 8, a 100x100 output
   map and every neuron's 32x32 map, playing one epoch per frame;
2. the same at two epochs per frame;
3. the default page as a teacher opens it (circle, 2 features, 4-2), playing at the page's
   default speed (static/js/speeds.js DEFAULT_SPEED, read off the page's Speed menu);
and prints for each: rendered frames per second (drawn frames, each a new training step),
epochs per second, the server's time per frame (Server-Timing), and the first meaningful
paint (navigation to the page drawn with its maps).
Targets: heaviest >= 60 frames/s (30 the floor) and >= 60 epochs/s; default 60 frames/s;
first paint < 1.5 s. TensorFlow Playground on this kind of machine: ~55 frames/s default,
~15 frames/s (15.7 epochs/s) heaviest.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HEAVY = (
    "?dataset=spiral&features=x1,x2,x1_squared,x2_squared,x1_times_x2,sin_x1,sin_x2"
    "&hidden=8:tanh,8:tanh,8:tanh,8:tanh,8:tanh,8:tanh&speed=1e"
)
DEFAULT = ""  # no speed in the URL: the page's own default
# Frames drawn, the epoch and step shown, now: through the page's test hook (static/js/testhook.js).
COUNTS = """() => { const lab = window.backpropLab, f = lab.frame();
    return {d: lab.draws(), e: f.epoch, s: f.step, t: performance.now()}; }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(page, url: str, seconds: float) -> dict:
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    paint_ms = page.evaluate("window.backpropLab.readyAt()")
    load_s = time.perf_counter() - t0
    speed = page.locator("#speed").evaluate("(s) => s.selectedOptions[0].textContent")
    page.evaluate(
        "performance.clearResourceTimings(); performance.setResourceTimingBufferSize(100000)"
    )
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(1000)  # warm up
    a = page.evaluate(COUNTS)
    page.evaluate("performance.clearResourceTimings()")
    page.wait_for_timeout(seconds * 1000)
    b = page.evaluate(COUNTS)
    server = page.evaluate("""performance.getEntriesByType('resource')
        .filter(e => e.name.endsWith('/step'))
        .map(e => [(e.serverTiming.find(s => s.name === 'step') || {}).duration, e.duration])""")
    page.get_by_role("button", name="Pause").click()
    dt = (b["t"] - a["t"]) / 1000
    server_ms = sorted(s for s, _ in server if s is not None)
    fetch_ms = sorted(d for _, d in server)
    return {
        "fps": (b["d"] - a["d"]) / dt,
        "epochs": (b["e"] - a["e"]) / dt,
        "steps": (b["s"] - a["s"]) / dt,
        "server_ms": server_ms[len(server_ms) // 2] if server_ms else float("nan"),
        "fetch_ms": fetch_ms[len(fetch_ms) // 2] if fetch_ms else float("nan"),
        "paint_ms": paint_ms,
        "load_s": load_s,
        "speed": speed,
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            for name, query, fps_target, epoch_target in [
                ("heaviest (spiral, 7 features, 6x8, 1 epoch/frame)", HEAVY, 60, 60),
                ("heaviest, 2 epochs/frame", HEAVY.replace("speed=1e", "speed=2e"), 30, 60),
                ("default (circle, 2 features, 4-2, {speed}/frame)", DEFAULT, 60, None),
            ]:
                r = measure(page, base + query, seconds)
                print(name.format(speed=r["speed"]))
                verdict = (
                    "PASS" if r["fps"] >= fps_target else "floor ok" if r["fps"] >= 30 else "MISS"
                )
                print(
                    f"  rendered frames/s {r['fps']:6.1f}   target >= {fps_target} (floor 30) "
                    f"{verdict}"
                )
                if epoch_target:
                    print(
                        f"  epochs/s          {r['epochs']:6.1f}   target >= {epoch_target} "
                        f"{'PASS' if r['epochs'] >= epoch_target else 'MISS'}"
                    )
                else:
                    print(f"  epochs/s          {r['epochs']:6.1f}")
                print(f"  mini-batch steps/s {r['steps']:6.0f}")
                print(
                    f"  server time per frame (median) {r['server_ms']:.2f} ms; "
                    f"request round trip (median) {r['fetch_ms']:.2f} ms"
                )
                print(
                    f"  first meaningful paint {r['paint_ms']:.0f} ms   target < 1500 ms "
                    f"{'PASS' if r['paint_ms'] < 1500 else 'MISS'}"
                )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
