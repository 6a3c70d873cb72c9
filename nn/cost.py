"""Costs C, each paired with its derivative: the registry ``COSTS``.

Notation (as in the notebook): y the network's outputs, t their targets, z the
output layer's pre-activations (y = f(z), or y = softmax(z) for the softmax
cost). Every cost function takes (y, t, z): the cross-entropies are computed
from z, never from log(y), so no finite z gives log(0) or an overflow.

    squared                C = sum (y - t)^2                 dC/dy = 2 (y - t)
    cross-entropy          C = -[t ln y + (1 - t) ln(1 - y)]  dC/dy = (y - t) / (y (1 - y))
    softmax-cross-entropy  C = -sum_k t_k ln y_k             dC/dz_k = y_k - t_k

The classic simplification: a sigmoid output under cross-entropy has
dC/dz = dC/dy * dy/dz = (y - t)/(y (1 - y)) * y (1 - y) = y - t, and so has
softmax under its cross-entropy. The factor y (1 - y) that makes a saturated
sigmoid learn slowly under squared error cancels, so the network uses y - t
itself (exact, even where y rounds to 0 or 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nn.validation import check_length, lookup

# C = fn(y, t, z) and deriv(y, t, z) -> one dC/dy (or dC/dz) per output
CostFn = Callable[[Sequence[float], Sequence[float], Sequence[float]], float]
DerivFn = Callable[[Sequence[float], Sequence[float], Sequence[float]], list[float]]


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


def softplus(z: float) -> float:
    """ln(1 + e^z) without overflow: max(z, 0) + ln(1 + e^-|z|)."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def _exp(z: float) -> float:
    """e^z, inf instead of OverflowError."""
    try:
        return math.exp(z)
    except OverflowError:
        return math.inf


def cross_entropy(outputs: Sequence[float], targets: Sequence[float], zs: Sequence[float]) -> float:
    """C = -[t ln y + (1 - t) ln(1 - y)] for sigmoid outputs y = sigmoid(z), from z.

    ln y = -softplus(-z) and ln(1 - y) = -softplus(z), so
    C = t softplus(-z) + (1 - t) softplus(z): finite for every finite z. Summed
    over the outputs (there is one in a network, which checks it).
    """
    check_length(targets, len(outputs), "target")
    total = 0.0
    for z, t in zip(zs, targets, strict=True):
        # a zero factor skips its term, so t = 0 or 1 with z = ±inf gives inf, not nan
        total += (t * softplus(-z) if t != 0 else 0.0) + ((1 - t) * softplus(z) if t != 1 else 0.0)
    return total


def cross_entropy_deriv(
    outputs: Sequence[float], targets: Sequence[float], zs: Sequence[float]
) -> list[float]:
    """dC/dy = (y - t) / (y (1 - y)) = -t / y + (1 - t) / (1 - y), one per output.

    Written with 1/y = 1 + e^-z and 1/(1 - y) = 1 + e^z, so a y that rounds to
    0 or 1 gives a large (or inf) number, not ZeroDivisionError. The network
    does not multiply it by dy/dz: it uses the exact dC/dz = y - t.
    """
    check_length(targets, len(outputs), "target")
    return [
        (-t * (1 + _exp(-z)) if t != 0 else 0.0) + ((1 - t) * (1 + _exp(z)) if t != 1 else 0.0)
        for z, t in zip(zs, targets, strict=True)
    ]


def softmax(zs: Sequence[float]) -> list[float]:
    """y_k = e^z_k / sum_j e^z_j, computed as e^(z_k - max z) so nothing overflows."""
    top = max(zs)
    exps = [math.exp(z - top) for z in zs]
    total = sum(exps)
    return [e / total for e in exps]


def log_sum_exp(zs: Sequence[float]) -> float:
    """ln sum_k e^z_k = max z + ln sum_k e^(z_k - max z), without overflow."""
    top = max(zs)
    if math.isinf(top):
        return top
    return top + math.log(sum(math.exp(z - top) for z in zs))


def softmax_cross_entropy(
    outputs: Sequence[float], targets: Sequence[float], zs: Sequence[float]
) -> float:
    """C = -sum_k t_k ln y_k with y = softmax(z), from z: sum_k t_k (lse(z) - z_k).

    ln y_k = z_k - ln sum_j e^z_j (log-sum-exp), finite for every finite z.
    """
    check_length(targets, len(outputs), "target")
    lse = log_sum_exp(zs)
    return sum(t * (lse - z) for z, t in zip(zs, targets, strict=True) if t != 0)


def softmax_cross_entropy_deriv(
    outputs: Sequence[float], targets: Sequence[float], zs: Sequence[float]
) -> list[float]:
    """dC/dz_k = y_k - t_k (for targets summing to 1): the gradient at the output
    layer's pre-activations z, softmax's Jacobian included (not dC/dy)."""
    check_length(targets, len(outputs), "target")
    return [y - t for y, t in zip(outputs, targets, strict=True)]


def _squared(outputs: Sequence[float], targets: Sequence[float], zs: Sequence[float]) -> float:
    return squared_error(outputs, targets)


def _squared_deriv(
    outputs: Sequence[float], targets: Sequence[float], zs: Sequence[float]
) -> list[float]:
    check_length(targets, len(outputs), "target")
    return [squared_error_deriv(y, t) for y, t in zip(outputs, targets, strict=True)]


@dataclass(frozen=True)
class Cost:
    """A cost C travelling with its derivative, and how people see it.

    ``deriv`` gives dC/dy for each output, except for the softmax cost
    (``softmax`` True), whose ``deriv`` gives dC/dz of each output neuron: its
    outputs are y = softmax(z), computed by the output layer from its neurons' z.
    ``simplifies_to_y_minus_t`` names the output activations (and "softmax")
    for which dC/dz = y - t; the network then uses y - t itself.
    """

    name: str  # key in COSTS, e.g. "cross-entropy"
    fn: CostFn  # C = fn(y, t, z) for one example
    deriv: DerivFn  # dC/dy (or dC/dz when softmax) = deriv(y, t, z), one per output
    label: str = ""  # option text for people (default: the name)
    tex: str = ""  # TeX of C
    deriv_tex: str = ""  # TeX of dC/dy (or dC/dz)
    softmax: bool = False  # the output layer gives y = softmax(z); deriv is dC/dz
    simplifies_to_y_minus_t: frozenset[str] = frozenset()  # dC/dz = y - t after these

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)


COSTS: dict[str, Cost] = {
    "squared": Cost(
        "squared",
        _squared,
        _squared_deriv,
        label="squared error (the notebook)",
        tex=r"C = \sum (y - t)^2",
        deriv_tex=r"\frac{\partial C}{\partial y} = 2\,(y - t)",
    ),
    "cross-entropy": Cost(
        "cross-entropy",
        cross_entropy,
        cross_entropy_deriv,
        label="cross-entropy (one sigmoid output)",
        tex=r"C = -\left[t \ln y + (1 - t) \ln (1 - y)\right]",
        deriv_tex=r"\frac{\partial C}{\partial y} = \frac{y - t}{y\,(1 - y)}",
        simplifies_to_y_minus_t=frozenset({"sigmoid"}),
    ),
    "softmax-cross-entropy": Cost(
        "softmax-cross-entropy",
        softmax_cross_entropy,
        softmax_cross_entropy_deriv,
        label="softmax cross-entropy (one output per class)",
        tex=r"C = -\sum_k t_k \ln y_k,\quad y = \operatorname{softmax}(z)",
        deriv_tex=r"\frac{\partial C}{\partial z_k} = y_k - t_k",
        softmax=True,
        simplifies_to_y_minus_t=frozenset({"softmax"}),
    ),
}


def get_cost(name: str) -> Cost:
    """Return the cost called ``name``; ValueError naming the known ones."""
    return lookup(COSTS, name, "cost")


def check_output(cost: Cost, outputs: int, activation: str, activate_output: bool) -> None:
    """ValueError, saying what fits, unless ``cost`` suits an output layer of
    ``outputs`` neurons with this activation (not applied if not activated)."""
    applied = activation if activate_output else "linear"
    if cost.softmax:
        if outputs < 2:
            raise ValueError(
                f"{cost.name} needs 2 or more outputs (one per class), got 1: "
                "use cross-entropy or squared for one output"
            )
        if applied != "linear":
            raise ValueError(
                f"{cost.name} applies softmax to the output layer's z itself: "
                f"give the output layer the linear activation, not {activation}"
            )
    elif cost.name == "cross-entropy":
        if outputs != 1:
            raise ValueError(
                f"cross-entropy is for one output (yes or no), got {outputs}: "
                "use softmax-cross-entropy for several classes"
            )
        if applied != "sigmoid":
            raise ValueError(
                f"cross-entropy needs a sigmoid output (y between 0 and 1), not {applied}: "
                "choose sigmoid for the output layer, or the squared cost"
            )
