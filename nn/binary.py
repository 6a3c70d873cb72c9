"""Binary numbers as the network sees them: bits in, a target in [0, 1] out.

A number written "00101" is the input x = [0, 0, 1, 0, 1] (most significant
bit first) and has the value 5. The notebook's target for it is
t = value / (2^width - 1) = 5 / 31, so a trained output y reads back as
y * 31, which is about 5.

Error messages are shown to learners as they are: each says what was wrong
and what is expected, in the language in use (``nn.i18n``; English unless asked).
"""

from __future__ import annotations

from collections.abc import Sequence

from nn.i18n import text as text_of
from nn.validation import char_shown, plural, shown

MAX_WIDTH = 16  # the most bits a number has on the page


def default_bits(width: int) -> str:
    """5 (the notebook's 00101) written with ``width`` bits, cut to its last
    bits when 5 does not fit: "00101" for 5 bits, "01" for 2, "1" for 1."""
    check_width(width)
    return format(5 % 2**width, f"0{width}b")


def read_bits(text: str, width: int | None = None) -> str:
    """``text`` stripped, if it is a binary number: " 00101 " -> "00101".

    ValueError, saying what is wrong and what is expected, if the text is
    empty, has a character other than 0 or 1 (naming it and its 1-based
    position), or, when ``width`` is given, does not have exactly ``width`` bits.
    """
    if width is not None:
        check_width(width)
    bits = text.strip()
    if not bits:
        if width is None:
            raise ValueError(text_of("bits.empty"))
        raise ValueError(
            text_of(
                "bits.empty_width", bits=text_of("count.bit", n=width), example=default_bits(width)
            )
        )
    if bits.strip("01"):  # a character that is not a bit: find it for the message
        position, char = next((i, c) for i, c in enumerate(bits, start=1) if c not in "01")
        raise ValueError(
            text_of("bits.not_binary", text=shown(bits), char=char_shown(char), position=position)
        )
    if width is None or len(bits) == width:
        return bits
    have = text_of("bits.has", text=shown(bits), bits=text_of("count.bit", n=len(bits)))
    expected = text_of("bits.expected", bits=text_of("count.bit", n=width))
    if len(bits) < width:
        raise ValueError(text_of("bits.pad", has=have, expected=expected, padded=bits.zfill(width)))
    if len(bits) > MAX_WIDTH:
        raise ValueError(text_of("bits.too_long", has=have, expected=expected, max=MAX_WIDTH))
    raise ValueError(text_of("bits.change_width", has=have, expected=expected, n=len(bits)))


def parse_bits(text: str, width: int | None = None) -> list[int]:
    """The bits x of ``text``, e.g. "00101" -> [0, 0, 1, 0, 1].

    Surrounding whitespace is ignored. ValueError as for ``read_bits``.
    """
    return [int(char) for char in read_bits(text, width)]


def check_width(width: int) -> None:
    """ValueError unless ``width`` (the number of bits) is at least 1."""
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(text_of("bits.width", got=repr(width)))


def max_value(width: int) -> int:
    """The largest value ``width`` bits can hold: 2^width - 1."""
    check_width(width)
    top: int = 2**width - 1  # int ** int is typed Any (a negative power is a float)
    return top


def check_value(value: int, width: int) -> None:
    """ValueError unless ``value`` is a whole number that fits in ``width`` bits."""
    top = max_value(width)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise ValueError(
            text_of("bits.value", value=repr(value), bits=plural(width, "bit"), top=top)
        )


def encode_bits(value: int, width: int) -> str:
    """``value`` written with ``width`` bits, e.g. (5, 5) -> "00101"."""
    check_value(value, width)
    return format(value, f"0{width}b")


def bits_to_int(bits: Sequence[int]) -> int:
    """The value of ``bits`` (most significant first): [0, 0, 1, 0, 1] -> 5.

    An empty list is 0. ValueError if a bit is not 0 or 1.
    """
    value = 0
    for position, bit in enumerate(bits, start=1):
        if isinstance(bit, bool) or bit not in (0, 1):
            raise ValueError(f"bit {position} is {bit!r}; expected 0 or 1")
        value = 2 * value + int(bit)
    return value


def value_to_target(value: int, width: int) -> float:
    """t = value / (2^width - 1), the notebook's target in [0, 1] (5/31 for 5)."""
    check_value(value, width)
    return value / max_value(width)


def target_to_value(target: float, width: int) -> float:
    """target * (2^width - 1): reads an output y back as a value (y*31 for 5 bits).

    Not rounded, so the page can show how close the network got.
    """
    return target * max_value(width)
