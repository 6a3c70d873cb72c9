"""What the network learns: tasks that give each binary number a target t.

Each task's rule is a pure function from the bits x (most significant first)
to a target t in [0, 1]. "value" is the notebook's task (t = value / (2^n - 1));
the 0/1 tasks are classifications, for which accuracy makes sense. "custom"
has no rule: the learner types each target.

The tasks of ``CLASS_TASKS`` name one of several classes instead (the count of
ones, the value mod k, the position of the highest 1): a network learns them
with one output per class, and the target is one-hot, t_c = 1 for the number's
class c and every other t = 0 (see ``targets_for``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nn.binary import bits_to_int, encode_bits, max_value, parse_bits, value_to_target

# rule(bits, threshold) -> target t; only "greater" uses the threshold.
Rule = Callable[[Sequence[int], int], float]
# class_rule(bits, k) -> the number's class, 0 to classes - 1; only "mod" uses k.
ClassRule = Callable[[Sequence[int], int], int]
MIN_K, MAX_K = 2, 8  # the k of "mod"


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
    class_rule: ClassRule | None = None  # c = class_rule(bits, k), for one output per class
    class_count: Callable[[int, int], int] | None = None  # classes for (width, k)
    uses_k: bool = False  # the class rule reads k (only "mod")
    reads_as_number: bool = False  # y is read back as a number: y (2^n - 1) (only "value")
    one_line_splits: bool = True  # at 2 bits or more, a line (hyperplane) separates its 0s
    # from its 1s, so one neuron can learn it; False: only a hidden layer can (only "parity")

    @property
    def typed_targets(self) -> bool:
        """The learner types each number's target t (no rule gives it)."""
        return self.rule is None and self.class_rule is None

    def classes(self, width: int, k: int = 3) -> int | None:
        """How many classes (outputs) the task has for ``width`` bits and this k;
        None for the tasks with one output."""
        return None if self.class_count is None else self.class_count(width, k)


TASKS: dict[str, Task] = {
    "value": Task(
        "value",
        "its value (the notebook)",
        "The target is the number's value scaled to 0..1: value / (2^bits - 1).",
        False,
        value_rule,
        reads_as_number=True,
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
        one_line_splits=False,
    ),
    "custom": Task(
        "custom",
        "targets I type",
        "You type the target of each number yourself: a number from 0 to 1.",
        False,
        None,
    ),
}


def ones_rule(bits: Sequence[int], k: int = 0) -> int:
    """c = the count of ones, 0 to n for n bits."""
    return sum(bits)


def mod_rule(bits: Sequence[int], k: int = 3) -> int:
    """c = the number's value mod k, 0 to k - 1."""
    return bits_to_int(bits) % k


def highest_rule(bits: Sequence[int], k: int = 0) -> int:
    """c = the position of the highest 1, counted from 1 at the last bit (0: no 1)."""
    return bits_to_int(bits).bit_length()


CLASS_TASKS: dict[str, Task] = {
    "ones": Task(
        "ones",
        "how many ones?",
        "The target is the count of ones: one class for each count from 0 to the number of bits.",
        True,
        None,
        class_rule=ones_rule,
        class_count=lambda width, k: width + 1,
    ),
    "mod": Task(
        "mod",
        "its value mod k",
        "The target is the remainder of the value divided by k: one class for each of 0 to k - 1.",
        True,
        None,
        class_rule=mod_rule,
        class_count=lambda width, k: k,
        uses_k=True,
    ),
    "highest": Task(
        "highest",
        "where is the highest 1?",
        "The target is the position of the highest 1, counted from 1 at the last bit, "
        "or 0 if there is no 1.",
        True,
        None,
        class_rule=highest_rule,
        class_count=lambda width, k: width + 1,
    ),
}


# The lab's list of tasks, in the order the page offers them: the one-output tasks, the class
# tasks, and "custom" (targets typed by hand) last.
LAB_TASKS: dict[str, Task] = {
    **{name: task for name, task in TASKS.items() if name != "custom"},
    **CLASS_TASKS,
    "custom": TASKS["custom"],
}


def get_task(name: str) -> Task:
    """Return the task called ``name`` (from TASKS or CLASS_TASKS); ValueError naming
    the known ones."""
    for registry in (TASKS, CLASS_TASKS):
        try:
            return registry[name]
        except (KeyError, TypeError):
            pass
    known = ", ".join([*TASKS, *CLASS_TASKS])
    raise ValueError(f"unknown task {name!r}: expected one of {known}") from None


def check_k(k: object) -> int:
    """k as the whole number it must be, from 2 to 8; ValueError otherwise."""
    if isinstance(k, bool) or not isinstance(k, int) or not MIN_K <= k <= MAX_K:
        raise ValueError(f"k must be a whole number from {MIN_K} to {MAX_K}, got {k!r}")
    return k


def class_for(task: str, bits: Sequence[int], k: int = 3) -> int:
    """The class c that the class task ``task`` gives the number with these bits.

    ValueError for a task with one output (use ``target_for``), a k out of
    2..8, and bits that are empty or not all 0 or 1.
    """
    rule = get_task(task).class_rule
    if rule is None:
        raise ValueError(f'The "{task}" task has one output: use target_for for its target')
    check_k(k)
    if not bits:
        raise ValueError("no bits: expected one or more bits, each 0 or 1")
    bits_to_int(bits)  # ValueError for a bit that is not 0 or 1
    return rule(bits, k)


def one_hot(c: int, classes: int) -> list[float]:
    """The target of class c among ``classes``: t_c = 1, every other t = 0."""
    if not 0 <= c < classes:
        raise ValueError(f"class {c} is not one of 0 to {classes - 1}")
    return [1.0 if j == c else 0.0 for j in range(classes)]


def targets_for(task: str, bits: Sequence[int], threshold: int = 0, k: int = 3) -> list[float]:
    """The target vector that ``task`` gives these bits: [t] for a task with one
    output, the one-hot vector of the number's class for a class task."""
    spec = get_task(task)
    if spec.class_rule is None:
        return [target_for(task, bits, threshold)]
    return one_hot(class_for(task, bits, k), spec.classes(len(bits), k) or 0)


def target_for(task: str, bits: Sequence[int], threshold: int = 0) -> float:
    """The target t that ``task`` gives the number with these bits.

    ValueError for an unknown task, for "custom" (it has no rule: the learner
    gives each target), and for bits that are empty or not all 0 or 1.
    """
    spec = get_task(task)
    if spec.class_rule is not None:
        raise ValueError(
            f'The "{task}" task has one output per class: use targets_for for its one-hot target'
        )
    rule = spec.rule
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


def all_examples(
    task: str, width: int, threshold: int = 0, k: int = 3
) -> list[tuple[list[int], list[float]]]:
    """Every ``width``-bit number, 0 first, as (bits x, targets t) for ``task``:
    [t] for a task with one output, a one-hot vector for a class task."""
    return [
        (bits, targets_for(task, bits, threshold, k))
        for bits in (parse_bits(encode_bits(v, width)) for v in range(max_value(width) + 1))
    ]
