"""Nothing a formula or a URL carries runs in the page or stops it: typeset math is MathML
only, and names from the URL or a formula are looked up as own properties only."""

from __future__ import annotations

import pytest

# The payloads set a flag instead of alert(1): the test reads it.
LATEX = r"\text{<img/src/onerror=window.__pwned=1>}"
RAW = (
    '<math><mtext><img src=x onerror="window.__pwned=1"></mtext>'
    '<mi href="javascript:window.__pwned=2" onclick="window.__pwned=3">x</mi></math>'
)


def pwned(lab):
    lab.page.wait_for_timeout(300)  # an image error fires asynchronously
    return lab.page.evaluate("window.__pwned")


def test_latex_with_markup_in_text_typesets_as_text_in_a_neuron_detail(lab):
    lab.open("?hidden=3:tanh")
    # the server's MathML of the payload, in place of every equation of the neuron detail
    made = lab.page.evaluate(
        """(latex) => fetch('/api/mathml', {method: 'POST',
            headers: {'content-type': 'application/json'}, body: JSON.stringify({latex})})
            .then((r) => r.json()).then((r) => r.mathml)""",
        LATEX,
    )

    def payload(route):
        answer = route.fetch().json()
        for eq in answer["equations"]:
            eq["mathml"] = made
        route.fulfill(json=answer)

    lab.page.route("**/neurons/**", payload)
    lab.neuron_detail()
    assert pwned(lab) is None
    assert lab.page.locator("#inspector img").count() == 0
    texts = lab.page.locator("#inspector .eq mtext").all_text_contents()
    assert texts and all(t.replace("\xa0", " ") == LATEX[6:-1] for t in texts)
    assert lab.errors == []


def test_a_server_answer_with_markup_inserts_only_mathml(lab):
    # even MathML that a server got wrong cannot run: the page copies MathML elements only
    def tampered(route):
        record = route.fetch().json()
        for eq in record.get("equations", []):
            eq["mathml"] = RAW
        route.fulfill(json=record)

    for answer in ("**/examples/**", "**/neurons/**"):
        lab.page.route(answer, tampered)
    lab.open("?hidden=3:tanh")
    lab.neuron_detail()
    assert pwned(lab) is None
    lab.page.keyboard.press("Escape")
    lab.click_point(2)
    lab.page.wait_for_function("() => document.querySelectorAll('#inspector .eq math').length > 5")
    lab.idle()
    assert pwned(lab) is None
    assert lab.page.locator("#inspector img").count() == 0
    assert lab.page.locator("#inspector [href]").count() == 0
    assert lab.page.locator("#inspector [onclick]").count() == 0
    assert lab.page.locator("#inspector .eq mi").first.text_content() == "x"


def test_the_equations_are_the_same_elements_as_the_servers_markup(lab):
    lab.open("?problem=multiclass&dataset=spiral&classes=3&hidden=5:relu")
    lab.click_point(2)
    lab.page.get_by_role("complementary", name="Example inspector").wait_for(state="visible")
    lab.idle()
    # the copy made from MathML only, against the markup parsed as HTML (as innerHTML did):
    # the server's markup for the example shown, at the step shown (no step since)
    same = lab.page.evaluate(
        """async ({ index }) => {
        const sid = window.backpropLab.sessionId();
        const url = `/api/sessions/${sid}/examples/${index}?equations=true`;
        const record = await (await fetch(url)).json();
        const eqs = record.equations;
        const shown = [...document.querySelectorAll('#inspector .eq')];
        return shown.length === eqs.length && eqs.every((eq, i) => {
            const parsed = document.createElement('div');
            parsed.innerHTML = eq.mathml;
            parsed.firstChild.removeAttribute('xmlns');
            const maths = [...shown[i].querySelectorAll('math')];
            if (maths.length > 1) { // a wide equation broken at "=" into lines: the same nodes
                return maths.map((m) => m.firstElementChild.innerHTML).join('')
                    === parsed.firstChild.firstElementChild.innerHTML;
            }
            const copy = maths[0].cloneNode(true);
            copy.removeAttribute('style'); // the page sets a wide equation's font size
            return parsed.firstChild.outerHTML === copy.outerHTML;
        });
    }""",
        lab.hook("inspected"),
    )
    assert same
    assert lab.errors == []


@pytest.mark.parametrize("name", ["toString", "__proto__", "constructor", "hasOwnProperty"])
@pytest.mark.parametrize("page", ["", "circuit"])
def test_a_language_that_is_an_object_property_opens_the_page_in_english(
    lab, live_server, page, name
):
    lab.page.goto(f"{live_server}/{page}?lang={name}")
    lab.ready(timeout=10000)
    assert lab.page.evaluate("document.documentElement.lang") == "en"
    play = lab.page.get_by_role("button", name="Play")
    assert play.count() == 1
    assert lab.errors == []


def test_variables_named_like_object_properties_get_their_input_boxes(lab):
    lab.open("circuit?expr=toString*constructor%2B__proto__%2BhasOwnProperty")
    for name in ("toString", "constructor", "__proto__", "hasOwnProperty"):
        lab.page.wait_for_selector(f"input[data-name='{name}']")
        assert lab.page.get_by_label(f"Value of {name}").input_value() == "1"
    assert lab.page.locator("#output-value").inner_text() == "3"
    box = lab.page.get_by_label("Value of __proto__")
    box.fill("5")
    lab.page.wait_for_function("() => document.getElementById('output-value').textContent === '7'")
    assert "__proto__%3A5" in lab.page.url or "__proto__:5" in lab.page.url
    assert lab.page.locator("#expression-error").is_hidden()
    # the one refused request names the values to ask for
    assert all("422" in e for e in lab.errors)
