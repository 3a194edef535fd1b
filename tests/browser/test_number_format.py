"""One number format for the whole page (issue 12.2): the page's format.js writes a number as
the server's equations do, and the same z reads the same in a tooltip and in an equation."""

import re

from app.equations import _num

# fixed and exponent form, both thresholds, a carry into the next power, ties at the third
# digit (Python rounds them to even, toPrecision up), -0 and the non-finite values
# fmt: off
NUMBERS = [0.0, -0.0, 1.0, -1.5, 0.124, -0.12449, 2.7e-5, -2.7e-5, 0.001, 0.00099996, 9.995e-4,
           999.4, 999.7, 1000.0, 1200.0, 12345.0, -3.2e10, 1.125, 0.5625, 0.0625, 2.675, 100.0,
           10.0, 0.5, 1e-300, 5e-324, 1.7e308, float("inf"), float("-inf"), float("nan")]
# fmt: on

SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "−0123456789")


def test_the_page_writes_numbers_in_latex_as_the_server_does(lab):
    lab.open()
    shown = lab.page.evaluate(
        """async (xs) => {
            const format = await import('/static/js/format.js');
            return xs.map((x) => format.texValue(x));
        }""",
        NUMBERS,
    )
    assert shown == [_num(x) for x in NUMBERS]
    assert lab.errors == []


def flat(text: str) -> str:
    """Text as MathML reads: no spaces, the exponent's superscripts as plain digits."""
    return re.sub(r"\s+", "", text).translate(SUPERSCRIPTS)


def hover(lab, name: str) -> None:
    box = lab.page.locator(f".neuron[aria-label='{name}']").bounding_box()
    lab.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 1, steps=2)
    lab.page.locator("#tooltip").wait_for(state="visible")


def test_a_number_reads_the_same_in_a_tooltip_and_an_equation(lab):
    # the bias: the tooltip's z is the traced mini-batch's (before its update), the detail's
    # the inspected example's (after it), two numbers; b is one number shown in both
    lab.open("?hidden=3:tanh")
    lab.page.get_by_role("button", name="Step", exact=True).click()
    lab.wait_steps("=== 1")
    lab.idle()
    hover(lab, "Neuron 2 of layer 1")
    tip = lab.page.locator("#tooltip").inner_text()
    b = re.search(r"\bb = (.+?)\s+db = ", tip)
    assert b, tip
    lab.page.locator(".neuron[aria-label='Neuron 2 of layer 1']").click()
    lab.page.wait_for_selector("#inspector .eq math")
    lab.idle()
    first = flat(lab.page.locator("#inspector-body .eq").first.inner_text())
    assert first.endswith("=" + flat(b.group(1))), (first, tip)  # the bias b_2 of layer 1
    assert lab.errors == []
