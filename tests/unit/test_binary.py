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
    quoted = f"'{bad}'" if bad.isprintable() else repr(bad)
    assert f"character {quoted} at position {len(good) + 1} is not 0 or 1." in message
    assert message.startswith("'")
    assert " is not a binary number: " in message


@SETTINGS
@given(bit_strings, widths)
def test_a_number_of_the_wrong_width_is_rejected_saying_both_widths(bits: str, width: int) -> None:
    assume(len(bits) != width)
    with pytest.raises(ValueError) as error:
        nn.parse_bits(bits, width=width)
    message = str(error.value)
    unit = "bit" if len(bits) == 1 else "bits"
    assert f" has {len(bits)} {unit}; " in message
    expected_unit = "bit" if width == 1 else "bits"
    assert f"this data set uses {width} {expected_unit} (the width)" in message
    if len(bits) < width:
        assert message.endswith(f"Pad it with zeros on the left, like {bits.zfill(width)}.")
    elif len(bits) > nn.MAX_WIDTH:
        assert message.endswith(", and numbers have at most 16 bits.")
    else:
        assert message.endswith(f"To use {len(bits)}-bit numbers, change the width.")


@SETTINGS
@given(bit_strings, st.text(alphabet=" \t\n", max_size=3), st.one_of(st.none(), widths))
def test_read_bits_gives_the_stripped_text_and_parse_bits_its_digits(
    bits: str, space: str, width: int | None
) -> None:
    if width is not None:
        assume(len(bits) == width)
    assert nn.read_bits(space + bits + space, width) == bits
    assert nn.parse_bits(space + bits + space, width) == [int(c) for c in bits]


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
    cases = [
        (("00201", None), "'00201' is not a binary number: "
                          "character '2' at position 3 is not 0 or 1."),
        (("0\x001", 3), "'0?1' is not a binary number: "
                        "character '\\x00' at position 2 is not 0 or 1."),
        (("0101", 5), "'0101' has 4 bits; this data set uses 5 bits (the width). "
                      "Pad it with zeros on the left, like 00101."),
        (("1", 5), "'1' has 1 bit; this data set uses 5 bits (the width). "
                   "Pad it with zeros on the left, like 00001."),
        (("001010", 5), "'001010' has 6 bits; this data set uses 5 bits (the width). "
                        "To use 6-bit numbers, change the width."),
        (("1" * 40, 5), "'" + "1" * 29 + "…' has 40 bits; this data set uses 5 bits (the width), "
                        "and numbers have at most 16 bits."),
        (("", 5), "Type a binary number of 5 bits, like 00101."),
        (("", 1), "Type a binary number of 1 bit, like 1."),
        ((" ", None), "Type a binary number, like 00101."),
    ]  # fmt: skip
    for (text, width), message in cases:
        with pytest.raises(ValueError) as error:
            nn.read_bits(text, width)
        assert str(error.value) == message
        with pytest.raises(ValueError) as error:
            nn.parse_bits(text, width)
        assert str(error.value) == message


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_number_is_rejected_saying_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match="Type a binary number of 5 bits, like 00101"):
        nn.parse_bits(text, width=5)
    with pytest.raises(ValueError, match="Type a binary number of 2 bits, like 01"):
        nn.parse_bits(text, width=2)
    with pytest.raises(ValueError, match="Type a binary number, like 00101"):
        nn.parse_bits(text)


def test_a_space_inside_the_number_is_rejected_at_its_position() -> None:
    with pytest.raises(ValueError, match="character ' ' at position 3 is not 0 or 1"):
        nn.parse_bits(" 00 101 ")


@pytest.mark.parametrize(
    ("width", "bits"), [(1, "1"), (2, "01"), (3, "101"), (5, "00101"), (16, "0" * 13 + "101")]
)
def test_default_bits_is_the_notebooks_5_cut_to_its_last_bits_when_it_does_not_fit(
    width: int, bits: str
) -> None:
    assert nn.default_bits(width) == bits
    assert nn.read_bits(bits, width) == bits


def test_a_long_number_is_shown_cut_to_30_characters() -> None:
    with pytest.raises(ValueError) as error:
        nn.parse_bits("0" * 20 + "2" + "0" * 20)
    assert str(error.value).startswith("'" + "0" * 20 + "2" + "0" * 8 + "…' is not")


@pytest.mark.parametrize("width", [0, -1, True, 2.0])
def test_a_width_below_1_or_not_whole_is_rejected(width: object) -> None:
    with pytest.raises(ValueError, match="number of bits must be 1 or more"):
        nn.encode_bits(0, width)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="number of bits must be 1 or more"):
        nn.parse_bits("0", width=width)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="number of bits must be 1 or more"):
        nn.default_bits(width)  # type: ignore[arg-type]


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
