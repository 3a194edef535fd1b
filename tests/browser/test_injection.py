"""Nothing a formula or a URL carries runs in the page or stops it: typeset math is MathML
only, and names from the URL or a formula are looked up as own properties only."""

from __future__ import annotations

import json

# The payloads set a flag instead of alert(1): the test reads it.
LATEX = r"\text{<img/src/onerror=window.__pwned=1>}"
RAW = (
    '<math><mtext><img src=x onerror="window.__pwned=1"></mtext>'
    '<mi href="javascript:window.__pwned=2" onclick="window.__pwned=3">x</mi></math>'
)


def pwned(lab):
    lab.page.wait_for_timeout(300)  # an image error fires asynchronously
    return lab.page.evaluate("window.__pwned")


def test_latex_with_markup_in_text_typesets_as_text_through_the_pages_own_path(lab):
    lab.open("?hidden=3:tanh")
    # every formula the page asks for becomes the payload, on its way to the real server
    lab.page.route(
        "**/api/mathml",
        lambda route: route.continue_(post_data=json.dumps({"latex": LATEX})),
    )
    lab.neuron_detail()
    assert pwned(lab) is None
    assert lab.page.locator("#inspector img").count() == 0
    texts = lab.page.locator("#inspector .eq mtext").all_text_contents()
    assert texts and all(t.replace("\xa0", " ") == LATEX[6:-1] for t in texts)
    assert lab.errors == []


def test_a_server_answer_with_markup_inserts_only_mathml(lab):
    # even MathML that a server got wrong cannot run: the page copies MathML elements only
    lab.page.route(
        "**/api/mathml",
        lambda route: route.fulfill(json={"mathml": RAW}),
    )

    def tampered(route):
        record = route.fetch().json()
        for eq in record.get("equations", []):
            eq["mathml"] = RAW
        route.fulfill(json=record)

    lab.page.route("**/examples/**", tampered)
    lab.open("?hidden=3:tanh")
    lab.neuron_detail()
    assert pwned(lab) is None
    lab.page.keyboard.press("Escape")
    lab.page.evaluate("window.backpropLab.inspect(2)")
    lab.page.wait_for_function("document.querySelectorAll('#inspector .eq math').length > 5")
    lab.idle()
    assert pwned(lab) is None
    assert lab.page.locator("#inspector img").count() == 0
    assert lab.page.locator("#inspector [href]").count() == 0
    assert lab.page.locator("#inspector [onclick]").count() == 0
    assert lab.page.locator("#inspector .eq mi").first.text_content() == "x"


def test_the_equations_are_the_same_elements_as_the_servers_markup(lab):
    lab.open("?problem=multiclass&dataset=spiral&classes=3&hidden=5:relu")
    lab.page.evaluate("window.backpropLab.inspect(2)")
    lab.page.get_by_role("complementary", name="Example inspector").wait_for(state="visible")
    lab.idle()
    # the copy made from MathML only, against the markup parsed as HTML (as innerHTML did)
    same = lab.page.evaluate("""() => {
        const eqs = window.backpropLab.inspected.equations;
        const shown = [...document.querySelectorAll('#inspector .eq math')];
        return shown.length === eqs.length && eqs.every((eq, i) => {
            const parsed = document.createElement('div');
            parsed.innerHTML = eq.mathml;
            parsed.firstChild.removeAttribute('xmlns');
            const copy = shown[i].cloneNode(true);
            copy.removeAttribute('style'); // the page sets a wide equation's font size
            return parsed.firstChild.outerHTML === copy.outerHTML;
        });
    }""")
    assert same
    assert lab.errors == []
