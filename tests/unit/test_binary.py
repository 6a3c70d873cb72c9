"""Binary numbers: parsing the learner's text, encoding, values and targets."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nn

SETTINGS = settings(max_examples=300, deadline=None)

widths = st.integers(min_value=1, max_value=64)
bit_strings = st.text(alphabet="01", min_size=1, max_size=40)
# A character that is neither 0 nor 1 and that strip() would not remove.
bad_chars = st.characters(exclude_characters="01").filter(lambda c: not c.isspace())


@st.composite
def value_and_width(draw: st.DrawFn) -> tuple[int, int]:
    width = draw(widths)
    return draw(st.integers(min_value=0, max_value=2**width - 1)), width


@SETTINGS
@given(value_and_width())
def test_encode_then_parse_then_bits_to_int_gives_the_value_back(case: tuple[int, int]) -> None:
    value, width = case
    text = nn.encode_bits(value, width)
    bits = nn.parse_bits(text, width=width)
    assert len(text) == len(bits) == width
    assert nn.bits_to_int(bits) == value
    assert text == format(value, "b").zfill(width)


@SETTINGS
@given(bit_strings, st.text(alphabet=" \t\n", max_size=3), st.text(alphabet=" \t\n", max_size=3))
def test_surrounding_whitespace_is_ignored(bits: str, before: str, after: str) -> None:
    assert nn.parse_bits(before + bits + after) == [int(c) for c in bits]


@SETTINGS
@given(
    st.text(alphabet="01", max_size=20),
    bad_chars,
    st.text(max_size=20),
    st.text(alphabet=" \t", max_size=3),
)
def test_a_character_other_than_0_or_1_is_rejected_naming_it_and_its_position(
    good: str, bad: str, rest: str, leading: str
) -> None:
    text = leading + good + bad + rest
    with pytest.raises(ValueError) as error:
        nn.parse_bits(text)
    message = str(error.value)
    assert f'character "{bad}" at position {len(good) + 1} is not 0 or 1' in message
    assert message.startswith(f'"{text.strip()}" is not a binary number')


@SETTINGS
@given(bit_strings, widths)
def test_a_number_of_the_wrong_width_is_rejected_saying_both_widths(bits: str, width: int) -> None:
    assume(len(bits) != width)
    with pytest.raises(ValueError) as error:
        nn.parse_bits(bits, width=width)
    unit = "bit" if len(bits) == 1 else "bits"
    assert str(error.value) == f'"{bits}" has {len(bits)} {unit}; expected {width}'


@SETTINGS
@given(value_and_width())
def test_value_to_target_lies_in_0_1_and_reads_back_to_the_value(case: tuple[int, int]) -> None:
    value, width = case
    target = nn.value_to_target(value, width)
    assert 0.0 <= target <= 1.0
    back = nn.target_to_value(target, width)
    assert math.isclose(back, value, rel_tol=1e-12, abs_tol=1e-12)
    if width <= 52:  # beyond that a float cannot hold every whole number
        assert round(back) == value


@SETTINGS
@given(widths, st.integers())
def test_values_outside_0_to_2_to_the_width_minus_1_are_rejected(width: int, value: int) -> None:
    assume(not 0 <= value < 2**width)
    with pytest.raises(ValueError, match=f"expected a whole number from 0 to {2**width - 1}"):
        nn.encode_bits(value, width)
    with pytest.raises(ValueError):
        nn.value_to_target(value, width)


def test_the_notebooks_example_00101_is_5_with_target_5_over_31() -> None:
    bits = nn.parse_bits("00101")
    assert bits == [0, 0, 1, 0, 1]
    assert nn.bits_to_int(bits) == 5
    assert nn.value_to_target(5, 5) == 5 / 31
    assert nn.target_to_value(5 / 31, 5) == 5 / 31 * 31
    assert nn.encode_bits(5, 5) == "00101"


def test_the_example_messages_read_as_specified() -> None:
    with pytest.raises(ValueError) as error:
        nn.parse_bits("00201")
    assert str(error.value) == (
        '"00201" is not a binary number: character "2" at position 3 is not 0 or 1'
    )
    with pytest.raises(ValueError) as error:
        nn.parse_bits("0101", width=5)
    assert str(error.value) == '"0101" has 4 bits; expected 5'
    with pytest.raises(ValueError) as error:
        nn.parse_bits("1", width=5)
    assert str(error.value) == '"1" has 1 bit; expected 5'


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_number_is_rejected_saying_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match="empty: expected 5 bits, each 0 or 1"):
        nn.parse_bits(text, width=5)
    with pytest.raises(ValueError, match="empty: expected one or more bits"):
        nn.parse_bits(text)


def test_a_space_inside_the_number_is_rejected_at_its_position() -> None:
    with pytest.raises(ValueError, match='character " " at position 3 is not 0 or 1'):
        nn.parse_bits(" 00 101 ")


@pytest.mark.parametrize("width", [0, -1, True, 2.0])
def test_a_width_below_1_or_not_whole_is_rejected(width: object) -> None:
    with pytest.raises(ValueError, match="number of bits must be 1 or more"):
        nn.encode_bits(0, width)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="number of bits must be 1 or more"):
        nn.parse_bits("0", width=width)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, 2.0, "3", None])
def test_a_value_that_is_not_a_whole_number_is_rejected(value: object) -> None:
    with pytest.raises(ValueError, match="does not fit in 5 bits"):
        nn.encode_bits(value, 5)  # type: ignore[arg-type]


@pytest.mark.parametrize("bits", [[0, 2], [1, -1], ["1"], [0.5]])
def test_bits_to_int_rejects_anything_but_0_and_1(bits: list[object]) -> None:
    with pytest.raises(ValueError, match="expected 0 or 1"):
        nn.bits_to_int(bits)  # type: ignore[arg-type]


def test_bits_to_int_reads_the_most_significant_bit_first() -> None:
    assert nn.bits_to_int([1, 0, 0]) == 4
    assert nn.bits_to_int([0, 0, 1]) == 1
    assert nn.bits_to_int([]) == 0
