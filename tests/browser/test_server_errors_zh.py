"""With lang=zh, the server's 422s read in Chinese: a bad value in a hand-edited link or a
PATCH (request validation: a string for a number, an unknown name, an extra field, a list too
long) and the circuit view's parse and evaluation errors."""

from __future__ import annotations

import re

import pytest

# The page's own API client (the module instance the page runs, so in the page's language):
# a PATCH of the session with `changes`, and the message the page would show for its error.
PATCH = """async (changes) => {
  const main = document.querySelector('script[type=module]').src;
  const { api } = await import(main.replace(/main\\.js$/, 'api.js'));
  try { await api.patch(window.backpropLab.sessionId(), changes); return null; }
  catch (e) { return e.message; }
}"""

ENGLISH = re.compile(r"\b(Input|should|not|permitted|items|formula|value|given|gate)\b")


@pytest.mark.parametrize(
    "changes, chinese",
    [
        ({"learning_rate": "abc"}, "learning_rate: 输入应是有效的数字"),
        ({"batch_size": 2.5}, "batch_size: 输入应是有效的整数"),
        ({"problem": "foo"}, "problem: 输入应是以下之一：'binary', 'multiclass', 'regression'"),
        ({"colour": "red"}, "colour: 不允许多余的字段"),
        (
            {"hidden": [{"units": 2, "activation": "tanh"}] * 9},
            "hidden: 最多只能有 8 项，实际有 9 项",
        ),
    ],
    ids=["string-for-number", "fraction-for-integer", "unknown-name", "extra-field", "too-long"],
)
def test_a_bad_patch_reads_in_chinese(lab, changes, chinese):
    lab.open("?lang=zh")
    assert lab.page.evaluate(PATCH, changes) == chinese


def test_a_bad_value_in_a_link_says_so_in_chinese_and_starts_from_the_defaults(lab):
    lab.open("?lang=zh&hidden=3:foo")
    status = lab.page.locator("#status")
    status.wait_for(state="visible")
    text = status.inner_text()
    assert text.startswith("hidden.0.activation: 输入应是以下之一：'sigmoid'"), text
    assert not ENGLISH.search(text), text
    assert all(h["activation"] != "foo" for h in lab.config()["hidden"])


def error_text(lab, expression: str) -> str:
    """The error shown under the formula once the page has the server's answer for it."""
    lab.page.get_by_label("公式").fill(expression)
    lab.page.wait_for_function("(x) => window.circuitLab.expression === x", arg=expression)
    lab.page.evaluate("() => window.circuitLab.pending")
    box = lab.page.locator("#expression-error")
    assert box.is_visible(), expression
    return box.inner_text()


def test_the_circuits_errors_read_in_chinese(lab):
    lab.open("circuit?lang=zh&preset=add-multiply")
    for expression, chinese in [
        ("(x + y", "不是一个公式（'(' 没有闭合）"),
        ("x +", "不是一个公式（语法错误）"),
        ("exp", "exp 是函数：请调用它，写成 exp(...)"),
        ("x % y", "项与项之间只能用 + - * / **"),
        ("log(x - x)", "log 门的值不是有限的数（-inf）"),
    ]:
        text = error_text(lab, expression)
        message = text.splitlines()[-1]  # under the expression and its caret
        assert message == chinese, (expression, text)
        assert not ENGLISH.search(message), message
    lab.page.get_by_label("公式").fill("x * y")
    lab.page.locator("#expression-error").wait_for(state="hidden")
    assert lab.errors == [] or all("422" in e for e in lab.errors)
