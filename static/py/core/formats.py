"""Numbers as the page writes them: one format everywhere, so the diagram, the math and the
stats agree to the digit, with the language's decimal separator (0,5 in German and Spanish;
``core.i18n``). What a link, a file or the autosave holds never passes through here."""

from __future__ import annotations

import math

from core.i18n import decimal, shown_count, shown_number

SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


OVERFLOW = "overflow"  # what the page writes for ±inf: a number too large for a float
LARGE = 100000.0  # from here on, scientific notation: a diverged run's 10^154 stays short


def fmt(value: float, digits: int = 4) -> str:
    """A number as learners read it: fixed decimals, scientific when tiny or huge, "overflow"
    for ±inf; never longer than about ``digits`` + 7 characters."""
    return shown_number(_fmt(value, digits))


def _fmt(value: float, digits: int) -> str:
    """``fmt`` with a decimal point, whatever the language."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return OVERFLOW if value > 0 else f"−{OVERFLOW}"
    if value == 0:
        return "0"
    text = f"{value:.{digits}f}" if 0.001 <= abs(value) < LARGE else f"{value:.{digits - 1}e}"
    return text.replace("-", "−")


def compact(value: float, decimals: int = 2) -> str:
    """A readout with ``decimals`` fixed decimals and a plain "-" (it reads back with
    float()), in scientific notation from 100,000 on (-9.20e+153, not 154 digits), and
    "overflow" for ±inf: the prediction and the outputs table's decoded values."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return OVERFLOW if value > 0 else f"-{OVERFLOW}"
    text = f"{value:.{decimals}f}" if abs(value) < LARGE else f"{value:.{decimals}e}"
    return shown_number(text)


def axis_tick(value: float) -> str:
    """A number on the chart's axis: three significant digits at most, in scientific notation
    for huge and tiny ones (1e+307, 1.23e-05), as short as the lab's other readouts."""
    if math.isinf(value):
        return OVERFLOW if value > 0 else f"-{OVERFLOW}"
    return shown_number(f"{value:.3g}".replace("-", "−"))


def epoch_tick(value: float) -> str:
    """An epoch on the chart's axis: a whole number grouped as the language groups it (1,000 in
    English, 1.000 in German); a fraction, which the axis does not ask for, as ``axis_tick``."""
    return shown_count(int(value)) if float(value).is_integer() else axis_tick(value)


def tex(value: float, digits: int = 4) -> str:
    """``fmt`` for TeX: a plain minus sign, ×10ⁿ for scientific notation, and a decimal
    comma as TeX writes one, ``0{,}5``, where the language has one."""
    text = _fmt(value, digits).replace("−", "-")
    if "e" in text and math.isfinite(value):
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    if decimal() != ".":
        text = text.replace(".", "{" + decimal() + "}")
    return text.replace(OVERFLOW, rf"\text{{{OVERFLOW}}}").replace("NaN", r"\text{NaN}")


def paren(value: float) -> str:
    """A factor in a product: negative numbers in parentheses."""
    text = tex(value)
    return f"({text})" if text.startswith("-") else text


def sub(number: int) -> str:
    """1-based subscript digits, as in w₁, x₂."""
    return str(number).translate(SUBSCRIPT_DIGITS)


def factor(value: float) -> str:
    """An input in a product: a bit as 0 or 1, anything else as a number."""
    return str(int(value)) if value in (0, 1) else paren(value)
