"""Small checks shared by the model's modules, with plain error messages in the language in use
(``nn.i18n``): a word a caller names (``"input"``, ``"activation"``) is said through its own
key in nn's catalogue (``count.input``, ``word.activation``) when it has one, else as given."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Sized
from typing import Any

from nn.i18n import MESSAGES
from nn.i18n import text as text_of


def plural(count: int, word: str) -> str:
    """'1 input', '2 inputs': the catalogue's ``count.<word>`` (spaces as _) if it has one."""
    key = "count." + word.replace(" ", "_")
    if key in MESSAGES.messages():
        return text_of(key, n=count)
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def said(what: str) -> str:
    """A thing a message names (``"activation"``) in the language in use: the catalogue's
    ``word.<what>`` (spaces as _) if it has one, else ``what`` as it is (a name, "l2")."""
    key = "word." + what.replace(" ", "_")
    return text_of(key) if key in MESSAGES.messages() else what


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
        raise ValueError(
            text_of("check.unknown", what=said(what), name=repr(name), known=known)
        ) from None


def check_length(values: Sized, expected: int, word: str) -> None:
    """ValueError 'expected 5 inputs, got 4' unless len(values) == expected."""
    if len(values) != expected:
        raise ValueError(text_of("check.length", expected=plural(expected, word), got=len(values)))


def is_count(value: object) -> bool:
    """True for an int (not a bool) of at least 1."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def finite_float(value: object, what: str) -> float:
    """``value`` as a float; ValueError unless it is a finite int or float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(text_of("check.number", what=said(what), value=repr(value)))
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(text_of("check.finite", what=said(what), value=repr(value)))
    return number


def check_keys(data: object, keys: set[str], what: str) -> Mapping[str, Any]:
    """``data`` as a mapping with exactly ``keys``; ValueError otherwise."""
    if not isinstance(data, Mapping):
        raise ValueError(text_of("check.mapping", what=said(what), kind=type(data).__name__))
    missing = sorted(keys - set(data))
    unknown = sorted(str(k) for k in set(data) - keys)
    if missing:
        raise ValueError(text_of("check.missing", what=said(what), keys=", ".join(missing)))
    if unknown:
        raise ValueError(text_of("check.unknown_keys", what=said(what), keys=", ".join(unknown)))
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
        raise ValueError(text_of("check.parameters", n=expected, got=len(values)))
    numbers: list[float] = []
    for isize, name in zip(isizes, names, strict=True):
        for i in range(isize + 1):
            named = said(name)
            what = (
                text_of("check.weight", name=named, i=i)
                if i < isize
                else text_of("check.bias", name=named)
            )
            numbers.append(finite_float(values[len(numbers)], what))
    return numbers
