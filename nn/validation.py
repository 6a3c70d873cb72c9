"""Small checks shared by the model's modules, with plain error messages."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sized
from typing import Any


def plural(count: int, word: str) -> str:
    """'1 input', '2 inputs'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


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
