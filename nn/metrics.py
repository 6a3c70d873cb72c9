"""Reading a network's outputs as a class, and counting how often it is right.

A network with one output answers yes or no: class 1 if y >= threshold, else 0,
and its target t is 0 or 1. A network with k outputs names one of k classes:
the predicted class is the argmax, the output with the largest y (for a softmax
output, the most probable class), and its target is one-hot: t_c = 1 for the
actual class c, every other t = 0.

The confusion matrix counts examples by class: ``matrix[actual][predicted]``,
rows the actual class, columns the predicted one; its diagonal holds the
examples classified right.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from nn.validation import check_length


def is_binary(target: Sequence[float]) -> bool:
    """True if every target t is 0 or 1 (so accuracy makes sense)."""
    return all(t in (0, 1) for t in target)


def is_correct(outputs: Sequence[float], target: Sequence[float], threshold: float) -> bool:
    """True if every output y, read as 1 if y >= threshold else 0, equals its 0/1 t."""
    return all(
        y >= threshold if t == 1 else y < threshold for y, t in zip(outputs, target, strict=True)
    )


def is_right(
    outputs: Sequence[float], target: Sequence[float], threshold: float, argmax: bool
) -> bool | None:
    """Whether the outputs answer the target: the argmax names the target's class
    (``argmax``, one-hot targets) or every output reads as its 0/1 target (see
    ``is_correct``). None for a target that the reading can't compare."""
    if argmax:
        return predicted_class(outputs) == target_class(target) if is_one_hot(target) else None
    return is_correct(outputs, target, threshold) if is_binary(target) else None


def accuracy_of(
    pairs: Iterable[tuple[Sequence[float], Sequence[float]]], threshold: float, argmax: bool
) -> float:
    """The fraction of (outputs, target) pairs whose outputs answer the target (``is_right``).
    ValueError for a target of the wrong length or one the reading can't compare."""
    correct = count = 0
    for outputs, target in pairs:
        check_length(target, len(outputs), "target")
        right = is_right(outputs, target, threshold, argmax)
        if right is None:
            kind = "one-hot targets" if argmax else "targets of 0 or 1"
            raise ValueError(f"accuracy needs {kind}, got {list(target)}")
        correct, count = correct + right, count + 1
    return correct / count


def is_one_hot(target: Sequence[float]) -> bool:
    """True if ``target`` has one 1 and every other entry 0."""
    return sum(1 for t in target if t == 1) == 1 and all(t in (0, 1) for t in target)


def target_class(target: Sequence[float]) -> int:
    """The actual class of a target: t itself (0 or 1) for one output, else the
    index of the 1 of a one-hot target. ValueError for any other target."""
    if len(target) == 1:
        if target[0] not in (0, 1):
            raise ValueError(f"classes need targets of 0 or 1, got {list(target)}")
        return int(target[0])
    if not is_one_hot(target):
        raise ValueError(f"classes need one-hot targets (one 1, the rest 0), got {list(target)}")
    return list(target).index(1)


def predicted_class(outputs: Sequence[float], threshold: float = 0.5) -> int | None:
    """The class the outputs y name: 1 if y >= threshold else 0 for one output,
    the index of the largest y (the first, on a tie) for several. None when
    an output is nan: the network then names no class."""
    if len(outputs) == 1:  # the common case first: the page measures every example each epoch
        y = outputs[0]
        return None if math.isnan(y) else int(y >= threshold)
    if any(math.isnan(y) for y in outputs):
        return None
    return max(range(len(outputs)), key=outputs.__getitem__)


def class_count(outputs: int) -> int:
    """How many classes a network with ``outputs`` outputs tells apart: 2 for one."""
    return 2 if outputs == 1 else outputs


def confusion_counts(
    pairs: Sequence[tuple[Sequence[float], Sequence[float]]], threshold: float = 0.5
) -> list[list[int]]:
    """The confusion matrix of (outputs y, target t) pairs: ``matrix[actual][predicted]``.

    An example whose outputs hold a nan names no class and is counted in no
    cell. ValueError for a target that names no class (see ``target_class``).
    """
    size = class_count(len(pairs[0][0])) if pairs else 2
    matrix = [[0] * size for _ in range(size)]
    for outputs, target in pairs:
        actual = target_class(target)
        predicted = predicted_class(outputs, threshold)
        if predicted is not None:
            matrix[actual][predicted] += 1
    return matrix


def class_accuracy(matrix: Sequence[Sequence[int]]) -> list[float | None]:
    """Per class, the fraction of its examples predicted right: the diagonal
    count over the row's total (None for a class with no example)."""
    return [row[c] / sum(row) if sum(row) else None for c, row in enumerate(matrix)]
