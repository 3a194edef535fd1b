"""Numbers in the written-out equations read as a teacher writes them."""

from xml.etree import ElementTree

import numpy as np
import pytest
from fastapi.testclient import TestClient
from latex2mathml.converter import convert

from app.equations import _matrix as _matrix_text
from app.equations import _num
from app.main import create_app
from app.mathml import ATTRIBUTES, ELEMENTS, NAMESPACE, to_mathml


def test_small_and_large_numbers_are_written_with_powers_of_ten():
    assert _num(0.5) == "0.5" and _num(-0.00123) == "-0.00123" and _num(0.0) == "0"
    assert _num(2.7e-5) == r"2.70 \times 10^{-5}"
    assert _num(-1.31e-7) == r"-1.31 \times 10^{-7}"
    assert _num(12345.0) == r"1.23 \times 10^{4}"
    mathml = convert(_num(2.7e-5))
    assert "<msup>" in mathml and "<mn>2.70</mn>" in mathml and "e-" not in mathml


PAYLOADS = [
    r"\text{<img src=x onerror=alert(1)>}",
    r"\mbox{<script>alert(1)</script>}",
    r"x_{\text{</mtext><img src=x onerror=alert(1)>}}",
    r"\href{javascript:alert(1)}{x} + \style{position:fixed}{y}",
    r"\color{red\" onmouseover=\"alert(1)}{x}",
    r"\text{&lt;img src=x onerror=alert(1)&gt;}",
]


@pytest.mark.parametrize("latex", PAYLOADS)
def test_mathml_is_only_mathml_elements_and_attributes_with_text_as_text(latex):
    r = TestClient(create_app()).post("/api/mathml", json={"latex": latex})
    assert r.status_code == 200
    mathml = r.json()["mathml"]
    assert "<img" not in mathml and "<script" not in mathml and "javascript:" not in mathml
    root = ElementTree.fromstring(mathml)  # well-formed: the text cannot close a tag
    for e in root.iter():
        assert e.tag.removeprefix(f"{{{NAMESPACE}}}") in ELEMENTS
        assert set(e.attrib) <= ATTRIBUTES, e.attrib  # no href, style, on...
    texts = "".join(root.itertext()).replace("\xa0", " ")
    if latex.startswith(r"\text{<img"):
        assert texts == "<img src=x onerror=alert(1)>"  # shown as the characters typed


def _own_latex() -> list[str]:
    """Every formula the app typesets itself: the options', the examples', the neurons' and
    the weights' equations."""
    c = TestClient(create_app())
    found = []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if "latex" in k and isinstance(v, str):
                    found.append(v)
                else:
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(c.get("/api/options").json())
    for config in ({}, {"problem": "multiclass", "dataset": "spiral", "classes": 3}):
        sid = c.post("/api/sessions?grids=none", json=config).json()["id"]
        walk(c.get(f"/api/sessions/{sid}/examples/0?equations=true").json()["equations"])
        for path in ("neurons/1/0", "neurons/3/0", "weights/2/0/1?before=0.1&updates=3"):
            walk(c.get(f"/api/sessions/{sid}/{path}").json()["equations"])
    return found


def test_the_apps_own_formulas_come_out_byte_for_byte_as_latex2mathml_writes_them():
    formulas = _own_latex()
    assert len(formulas) > 40
    for latex in formulas:
        assert to_mathml(latex) == convert(latex), latex


def test_an_activation_with_an_underscore_is_upright_not_a_subscript():
    from app.equations import example_equations
    from nncore.trainer import Config, Hidden, Trainer

    t = Trainer(Config(hidden=(Hidden(2, "leaky_relu"),)))
    r = t.example(0)
    layers = t.net.layers
    eqs = example_equations(
        r, [x.W for x in layers], [x.b for x in layers], [x.activation for x in layers], "binary"
    )
    a = next(e for e in eqs if e["title"] == "Layer 1: a")
    assert r"\mathrm{leaky\_relu}" in a["latex"] and "<msub" not in a["mathml"].split("=")[0]


def _example(client: TestClient, config: dict) -> list[dict]:
    s = client.post("/api/sessions?grids=none", json=config).json()
    client.post(f"/api/sessions/{s['id']}/step", json={"steps": 1, "grids": "none"})
    return client.get(f"/api/sessions/{s['id']}/examples/3?equations=true").json()


def test_the_hidden_slope_is_written_in_closed_form_with_its_numbers_and_the_notes_typo():
    client = TestClient(create_app())
    r = _example(client, {"hidden": [{"units": 3, "activation": "tanh"}]})
    by_title = {e["title"]: e for e in r["equations"]}
    slope = by_title["Layer 1: g′(z)"]
    a = np.array(r["layers"][0]["a"])
    expected = 1 - a**2  # tanh' = 1 - tanh^2 = 1 - a^2, at this example's z
    assert r"1 - (a^{[1]})^{2}" in slope["latex"]
    assert slope["latex"].endswith(_matrix_text(expected))
    assert "(1 − A)²" in slope["note"]  # the notes (000) misprint it
    dz = by_title["Layer 1: dz"]["latex"]
    assert _matrix_text(np.array(r["layers"][0]["da"])) in dz and _matrix_text(expected) in dz
    assert np.allclose(r["layers"][0]["dz"], np.array(r["layers"][0]["da"]) * expected)


def test_softmax_is_written_with_its_exponentials():
    client = TestClient(create_app())
    r = _example(
        client,
        {"problem": "multiclass", "classes": 3, "hidden": [{"units": 4, "activation": "relu"}]},
    )
    out = [e for e in r["equations"] if e["title"] == f"Layer {len(r['layers'])}: a"][0]
    assert r"\frac{e^{z_{k}" in out["latex"] and r"\sum_{j}" in out["latex"]
    assert "without the exponentials" in out["note"]
    assert [e for e in r["equations"] if e.get("note")] == [out]  # no tanh hidden layer here
