"""The cost C, paired with its derivative dC/dy (as in the notebook).

C = sum over outputs of (y - t)^2, where y is the network's output and t the
target; dC/dy = 2 * (y - t) for each output.
"""

from __future__ import annotations

from collections.abc import Sequence

from nn.validation import check_length


def squared_error(outputs: Sequence[float], targets: Sequence[float]) -> float:
    """C = sum of (y - t)^2 over the outputs y and their targets t.

    Squares as d * d rather than d ** 2: a huge d then gives inf instead of
    raising OverflowError, so a diverging network is detected, not crashed.
    """
    if len(targets) != len(outputs):
        check_length(targets, len(outputs), "target")
    total = 0.0
    for y, t in zip(outputs, targets, strict=True):
        d = y - t
        total += d * d
    return total


def squared_error_deriv(y: float, t: float) -> float:
    """dC/dy = 2 * (y - t) for one output y with target t (the notebook's)."""
    return 2 * (y - t)
