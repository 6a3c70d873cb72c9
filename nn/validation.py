"""Small checks shared by the model's modules, with plain error messages."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Sized
from typing import Any


def plural(count: int, word: str) -> str:
    """'1 input', '2 inputs'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def shown(text: str, limit: int = 30) -> str:
    """``text`` quoted for a message: stripped, cut to ``limit`` characters,
    with unprintable characters shown as '?'."""
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "'" + "".join(c if c.isprintable() else "?" for c in text) + "'"


def char_shown(char: str) -> str:
    """One character quoted for a message ('\\x00' for unprintable ones)."""
    return f"'{char}'" if char.isprintable() else repr(char)


def lookup(registry: Mapping[str, Any], name: object, what: str) -> Any:
    """``registry[name]``; ValueError "unknown <what> 'x': expected one of a, b" otherwise."""
    try:
        return registry[name]  # type: ignore[index]
    except (KeyError, TypeError):
        known = ", ".join(registry)
        raise ValueError(f"unknown {what} {name!r}: expected one of {known}") from None


def check_length(values: Sized, expected: int, word: str) -> None:
    """ValueError 'expected 5 inputs, got 4' unless len(values) == expected."""
    if len(values) != expected:
        raise ValueError(f"expected {plural(expected, word)}, got {len(values)}")


def is_count(value: object) -> bool:
    """True for an int (not a bool) of at least 1."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def finite_float(value: object, what: str) -> float:
    """``value`` as a float; ValueError unless it is a finite int or float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return number


def check_keys(data: object, keys: set[str], what: str) -> Mapping[str, Any]:
    """``data`` as a mapping with exactly ``keys``; ValueError otherwise."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{what} must be a dict, got {type(data).__name__}")
    missing = sorted(keys - set(data))
    unknown = sorted(str(k) for k in set(data) - keys)
    if missing:
        raise ValueError(f"{what} is missing {', '.join(missing)}")
    if unknown:
        raise ValueError(f"{what} has unknown keys {', '.join(unknown)}")
    return data


def check_parameters(
    values: Sequence[float], isizes: Sequence[int], names: Sequence[str]
) -> list[float]:
    """``values`` as floats, for neurons with these input sizes (w then b each).

    ``names[k]`` names neuron k in the message for a value that is not a finite
    number; ValueError too if the count is not sum(isize + 1).
    """
    values = list(values)
    expected = sum(isize + 1 for isize in isizes)
    if len(values) != expected:
        raise ValueError(f"expected {expected} weights and biases, got {len(values)}")
    numbers: list[float] = []
    for isize, name in zip(isizes, names, strict=True):
        for i in range(isize + 1):
            what = f"{name}: weight {i}" if i < isize else f"{name}: bias"
            numbers.append(finite_float(values[len(numbers)], what))
    return numbers
