"""Numbers in the written-out equations read as a teacher writes them."""

from latex2mathml.converter import convert

from app.equations import _num


def test_small_and_large_numbers_are_written_with_powers_of_ten():
    assert _num(0.5) == "0.5" and _num(-0.00123) == "-0.00123" and _num(0.0) == "0"
    assert _num(2.7e-5) == r"2.70 \times 10^{-5}"
    assert _num(-1.31e-7) == r"-1.31 \times 10^{-7}"
    assert _num(12345.0) == r"1.23 \times 10^{4}"
    mathml = convert(_num(2.7e-5))
    assert "<msup>" in mathml and "<mn>2.70</mn>" in mathml and "e-" not in mathml
