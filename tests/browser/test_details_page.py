"""A neuron's and a weight's detail in the inspector (issue 12.1.8): the equations the server
writes, with the numbers the page shows, and the update that really happened."""

from __future__ import annotations

import re
import unicodedata

from app.equations import _num


def flat(text: str) -> str:
    """MathML's text as plain characters: no spaces, italic letters and minus signs plain."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("−", "-")


def shown(v: float, operand: bool = False) -> str:
    """A number as the equation shows it (the server's rule); an operand in parentheses when
    negative or a power of ten."""
    s = _num(v).replace(r"\times", "×").replace(" ", "")
    s = re.sub(r"10\^\{(-?\d+)\}", r"10\1", s)
    return f"({s})" if operand and (s.startswith("-") or "×" in s) else s


def session_get(lab, path: str) -> dict:
    return lab.page.evaluate(
        "(p) => fetch(`/api/sessions/${window.backpropLab.sessionId()}/${p}`).then(r => r.json())",
        path,
    )


def weight_detail(lab, l: int, j: int, k: int) -> list[str]:
    at = lab.hook("edgePoint", l, j, k)
    lab.page.keyboard.press("Escape")
    lab.page.mouse.click(at["x"], at["y"])
    lab.page.wait_for_function(
        "() => document.querySelector('#inspector-title').textContent.startsWith('Weight')"
    )
    lab.idle()
    return [
        flat(e)
        for e in lab.page.locator("#inspector-body > div").first.locator(".eq").all_inner_texts()
    ]


def test_a_tanh_neuron_shows_its_z_and_its_slope_with_the_examples_numbers(lab):
    lab.open("?hidden=3:tanh")
    lab.neuron_detail()
    record = session_get(lab, "examples/0")
    z, a = record["layers"][0]["z"][1], record["layers"][0]["a"][1]
    eqs = [flat(e) for e in lab.page.locator("#inspector .eq").all_inner_texts()]
    assert len(eqs) == 4
    assert eqs[1].startswith("Itsweightedinput,example#0") and eqs[1].endswith(f"={shown(z)}")
    assert eqs[2].endswith(f"=tanh({shown(z)})={shown(a)}")
    assert eqs[3].startswith("Itsslopeg′atthisz")
    slope, misprint = eqs[3].split("Thenotes(000)")  # a remark for a student with the notes
    assert slope.endswith(
        f"tanh′(z2[1])=1-tanh2z2[1]=1-{shown(a, operand=True)}2={shown(1 - a * a)}"
    ), eqs[3]
    assert misprint == "print(1-A)2here;theslopeoftanhis1-A2."
    assert lab.errors == []


def test_after_one_step_the_weight_shows_the_update_from_before_to_after(lab):
    lab.open("?hidden=3:tanh&learning_rate=0.03")
    before = lab.frame()["layers"][1]["W"][0][1]
    lab.neuron_detail()  # one Step, then a neuron
    frame = lab.frame()
    after, dW = frame["layers"][1]["W"][0][1], frame["layers"][1]["dW"][0][1]
    assert after != before and abs(before - 0.03 * dW - after) < 1e-15  # the real step
    record = session_get(lab, "examples/0")
    dz, a_prev = record["layers"][1]["dz"][0], record["layers"][0]["a"][1]
    now, mine, batch, update = weight_detail(lab, 2, 0, 1)
    assert now == f"Theweightnow W1,2[2]={shown(after)}".replace(" ", "")
    assert mine.endswith(f"={shown(dz, True)}×{shown(a_prev, True)}={shown(dz * a_prev)}")
    assert batch.endswith(f"={shown(dW)}")
    # the update that happened: the weight before it, not the one it gave
    assert update == (
        "Thelastupdate(gradientdescent)"
        f"W1,2[2]≔W1,2[2]-αdW1,2[2]={shown(before)}-0.03×{shown(dW, True)}={shown(after)}"
    )
    assert lab.errors == []


def test_with_momentum_the_update_is_before_and_after(lab):
    lab.open("?hidden=3:tanh&optimizer=momentum")
    before = lab.frame()["layers"][1]["W"][0][1]
    lab.neuron_detail()
    after = lab.frame()["layers"][1]["W"][0][1]
    update = weight_detail(lab, 2, 0, 1)[-1]
    assert update == f"ThelastupdateW1,2[2]:{shown(before)}→{shown(after)}"
    assert lab.errors == []


def test_the_details_titles_are_in_the_pages_language(lab):
    lab.open("?lang=zh&hidden=3:tanh")
    lab.page.get_by_role("button", name="单步", exact=True).click()
    lab.wait_steps("=== 1")
    lab.idle()
    lab.page.locator(".neuron[aria-label='第 1 层第 2 个神经元']").click()
    lab.page.wait_for_selector("#inspector .eq math")
    lab.idle()
    titles = lab.page.locator("#inspector .eq .title").all_inner_texts()
    assert titles == [
        "它的权重与偏置",
        "它的加权输入，样本 #0",
        "它的激活值",
        "它在该 z 处的斜率 g′",
    ]
    assert lab.errors == []
