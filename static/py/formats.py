"""Numbers as the page writes them: one format everywhere, so the diagram, the math and the
stats agree to the digit."""

from __future__ import annotations

import math

SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def fmt(value: float, digits: int = 4) -> str:
    """A number as learners read it: fixed decimals, scientific when tiny or huge."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    text = f"{value:.{digits}f}" if 0.001 <= abs(value) < 100000.0 else f"{value:.{digits - 1}e}"
    return text.replace("-", "−")


def tex(value: float, digits: int = 4) -> str:
    """``fmt`` for TeX: a plain minus sign, and ×10ⁿ for scientific notation."""
    text = fmt(value, digits).replace("−", "-")
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text.replace("∞", r"\infty").replace("NaN", r"\text{NaN}")


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
