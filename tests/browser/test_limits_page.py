"""The page takes every menu and range from /api/options, and plays within the work budget."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


def post(url: str, body: dict) -> tuple[int, dict]:
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data, {"content-type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def options(live_server) -> dict:
    with urllib.request.urlopen(f"{live_server}/api/options", timeout=10) as r:
        return json.loads(r.read())


def test_menus_and_sliders_span_what_the_server_allows(lab, live_server):
    o = options(live_server)
    lab.open()
    page = lab.page
    rates = (
        page.get_by_label("Learning rate")
        .locator("option")
        .evaluate_all("els => els.map(e => Number(e.value))")
    )
    assert rates == o["choices"]["learning_rate"]
    assert max(rates) <= o["ranges"]["learning_rate"]["max"]
    for label, field in [("Noise", "noise"), ("Training data", "train_fraction")]:
        slider = page.locator(f"input[type=range][aria-label='{label}']")
        assert float(slider.get_attribute("max")) == o["ranges"][field]["max"]
        assert float(slider.get_attribute("min")) == o["ranges"][field]["min"]
    examples = page.locator("input[type=range][aria-label='Examples']")
    assert float(examples.get_attribute("max")) == o["ranges"]["n_samples"]["max"]
    seed = page.locator("input[type=number][aria-label='Seed']")
    assert float(seed.get_attribute("max")) == o["ranges"]["seed"]["max"]


def test_a_network_too_large_for_the_speed_plays_at_the_most_it_allows(lab, live_server):
    # 8 x 32 units, 1,800 training examples, batch 1: five epochs (9,000 updates) are more work
    # than one request may do, so the server names the most and the page plays that many
    config = {
        "hidden": [{"units": 32, "activation": "relu"}] * 8,
        "n_samples": 2000,
        "train_fraction": 0.9,
        "batch_size": 1,
        "learning_rate": 0.001,
    }
    sid = post(f"{live_server}/api/sessions?grids=none", config)[1]["id"]
    status, refused = post(f"{live_server}/api/sessions/{sid}/step", {"steps": 5, "unit": "epoch"})
    assert status == 422 and 1 <= refused["limit"] < 5  # the premise, from the server
    hidden = ",".join(["32:relu"] * 8)
    lab.open(
        f"?hidden={hidden}&n_samples=2000&train_fraction=0.9&batch_size=1&speed=5e"
        "&learning_rate=0.001"
    )
    lab.page.get_by_role("button", name="Play").click()
    lab.wait_epochs(">= 2", timeout=60000)
    lab.page.get_by_role("button", name="Pause").click()
    lab.idle()
    status = lab.page.locator("#status").inner_text()
    assert "at a time" in status, status
    assert lab.epochs() >= 2 and lab.steps() == lab.epochs() * 1800
    # the refused requests (at most one per request in flight) are the only console errors
    refused = [e for e in lab.errors if "status of 422" in e]
    assert len(refused) <= 2 and len(refused) == len(lab.errors), lab.errors
