"""What the network learns: tasks that give each binary number a target t.

Each task's rule is a pure function from the bits x (most significant first)
to a target t in [0, 1]. "value" is the notebook's task (t = value / (2^n - 1));
the 0/1 tasks are classifications, for which accuracy makes sense. "custom"
has no rule: the learner types each target.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nn.binary import bits_to_int, encode_bits, max_value, parse_bits, value_to_target

# rule(bits, threshold) -> target t; only "greater" uses the threshold.
Rule = Callable[[Sequence[int], int], float]


def value_rule(bits: Sequence[int], threshold: int = 0) -> float:
    """t = value / (2^n - 1) for n bits, e.g. 00101 -> 5/31 (the notebook's)."""
    return value_to_target(bits_to_int(bits), len(bits))


def odd_rule(bits: Sequence[int], threshold: int = 0) -> float:
    """t = 1 if the number is odd (its last bit is 1), else 0."""
    return float(bits_to_int(bits) % 2)


def majority_rule(bits: Sequence[int], threshold: int = 0) -> float:
    """t = 1 if there are more ones than zeros, else 0 (a tie gives 0)."""
    ones = sum(bits)
    return 1.0 if ones > len(bits) - ones else 0.0


def greater_rule(bits: Sequence[int], threshold: int = 0) -> float:
    """t = 1 if the number's value is greater than ``threshold``, else 0."""
    return 1.0 if bits_to_int(bits) > threshold else 0.0


def parity_rule(bits: Sequence[int], threshold: int = 0) -> float:
    """t = 1 if the number has an odd count of ones, else 0."""
    return float(sum(bits) % 2)


@dataclass(frozen=True)
class Task:
    """A named task: the page's vocabulary for it, and its rule."""

    name: str  # key in TASKS
    label: str  # the page's option text
    description: str  # the page's help sentence for learners
    is_classification: bool  # targets are only 0 or 1, so accuracy makes sense
    rule: Rule | None  # t = rule(bits, threshold); None: the learner gives t
    uses_threshold: bool = False  # the rule reads the threshold (only "greater")


TASKS: dict[str, Task] = {
    "value": Task(
        "value",
        "its value (the notebook)",
        "The target is the number's value scaled to 0..1: value / (2^bits - 1).",
        False,
        value_rule,
    ),
    "odd": Task(
        "odd", "is it odd?", "The target is 1 if the number is odd, else 0.", True, odd_rule
    ),
    "majority": Task(
        "majority",
        "more ones than zeros?",
        "The target is 1 if the number has more ones than zeros, else 0.",
        True,
        majority_rule,
    ),
    "greater": Task(
        "greater",
        "greater than a threshold?",
        "The target is 1 if the number is greater than the threshold, else 0.",
        True,
        greater_rule,
        uses_threshold=True,
    ),
    "parity": Task(
        "parity",
        "odd number of ones? (parity)",
        "The target is 1 if the number has an odd count of ones, else 0. "
        "One neuron can't learn this; a network with a hidden layer can.",
        True,
        parity_rule,
    ),
    "custom": Task(
        "custom",
        "targets I type",
        "You type the target of each number yourself: a number from 0 to 1.",
        False,
        None,
    ),
}


def get_task(name: str) -> Task:
    """Return the task called ``name``; ValueError naming the known ones."""
    try:
        return TASKS[name]
    except (KeyError, TypeError):
        known = ", ".join(TASKS)
        raise ValueError(f"unknown task {name!r}: expected one of {known}") from None


def target_for(task: str, bits: Sequence[int], threshold: int = 0) -> float:
    """The target t that ``task`` gives the number with these bits.

    ValueError for an unknown task, for "custom" (it has no rule: the learner
    gives each target), and for bits that are empty or not all 0 or 1.
    """
    rule = get_task(task).rule
    if rule is None:
        raise ValueError(f'The "{task}" task has no rule: type a target for each number instead')
    if not bits:
        raise ValueError("no bits: expected one or more bits, each 0 or 1")
    bits_to_int(bits)  # ValueError for a bit that is not 0 or 1
    return rule(bits, threshold)


def target_of_text(task: str, bits: str, threshold: int = 0) -> float:
    """The target t that ``task`` gives the number written ``bits``, e.g. "00101".

    The same float as ``target_for(task, parse_bits(bits), threshold)``; any
    number of bits is accepted. ValueError as for ``parse_bits`` and ``target_for``.
    """
    return target_for(task, parse_bits(bits), threshold)


def all_examples(task: str, width: int, threshold: int = 0) -> list[tuple[list[int], list[float]]]:
    """Every ``width``-bit number, 0 first, as (bits x, [target t]) for ``task``."""
    return [
        (bits, [target_for(task, bits, threshold)])
        for bits in (parse_bits(encode_bits(v, width)) for v in range(max_value(width) + 1))
    ]
