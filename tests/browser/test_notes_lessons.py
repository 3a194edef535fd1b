"""The notes' lessons on the page, with the notes' own numbers (issue 13)."""


def test_the_3_4_2_network_counts_its_neurons_weights_and_biases_apart(lab):
    lab.open("?lesson=cs231n-3-4-2")
    assert "26 parameters" in lab.page.locator("#lesson-bar").inner_text()
    lab.page.locator("#shapes-panel summary").click()
    shapes = lab.page.locator("#shapes").inner_text()
    assert "W[1] (4, 3)" in shapes and "W[2] (2, 4)" in shapes
    counts = {
        name: int(lab.page.get_by_label(name, exact=True).inner_text())
        for name in ("Neuron count", "Weight count", "Bias count", "Parameter count")
    }
    assert counts == {
        "Neuron count": 6,
        "Weight count": 20,
        "Bias count": 6,
        "Parameter count": 26,
    }
    # two output units, coloured as two classes: the output layer is a softmax of two
    assert lab.page.locator(".neuron[aria-label$='of layer 2']").count() == 2
    assert lab.errors == []


def test_the_3_4_2_lesson_in_chinese(lab):
    lab.open("?lesson=cs231n-3-4-2&lang=zh")
    assert "26 个参数" in lab.page.locator("#lesson-bar").inner_text()
    lab.page.locator("#shapes-panel summary").click()
    assert lab.page.get_by_label("神经元个数", exact=True).inner_text() == "6"
    assert lab.errors == []
