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

from nn.i18n import named, text
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
    """A cost C travelling with its derivative, the outputs it fits, and how people see it.

    ``deriv`` gives dC/dy for each output, except for the softmax cost
    (``softmax`` True), whose ``deriv`` gives dC/dz of each output neuron: its
    outputs are y = softmax(z), computed by the output layer from its neurons' z.
    ``simplifies_to_y_minus_t`` names the output activations (and "softmax")
    for which dC/dz = y - t; the network then uses y - t itself.

    The fit rule is data: at least ``min_outputs`` outputs (at most ``max_outputs``), and
    the output activation ``needs_activation`` when it is given ("linear" for y = z).
    ``fit_problem`` words it; nn and the page both ask it.
    """

    name: str  # key in COSTS, e.g. "cross-entropy"
    fn: CostFn  # C = fn(y, t, z) for one example
    deriv: DerivFn  # dC/dy (or dC/dz when softmax) = deriv(y, t, z), one per output
    label: str = ""  # option text for people (default: the name)
    tex: str = ""  # TeX of C
    deriv_tex: str = ""  # TeX of dC/dy (or dC/dz)
    term_tex: str = ""  # TeX of one output's part of C, in y and t ("": C has no such parts)
    softmax: bool = False  # the output layer gives y = softmax(z); deriv is dC/dz
    simplifies_to_y_minus_t: frozenset[str] = frozenset()  # dC/dz = y - t after these
    help: str = ""  # one sentence for people: what it measures and what it is for
    min_outputs: int = 1  # the fewest output neurons it fits
    max_outputs: int | None = None  # the most (None: any number)
    needs_activation: str = ""  # the output activation it needs ("": any)
    why_outputs: str = ""  # why, for the message (e.g. "one per class")
    why_activation: str = ""  # why, for the message (e.g. "y between 0 and 1")
    why_y_minus_t: str = ""  # for people: why dC/dz = y - t, where it simplifies

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)

    def fits_outputs(self, outputs: int) -> bool:
        """Whether this cost suits an output layer of ``outputs`` neurons."""
        return self.min_outputs <= outputs and (self.max_outputs or outputs) >= outputs

    def fits(self, outputs: int, applied: str) -> bool:
        """Whether this cost suits ``outputs`` output neurons whose activation is ``applied``
        ("linear" when not activated)."""
        return self.fits_outputs(outputs) and self.needs_activation in ("", applied)

    def fit_problem(self, outputs: int, applied: str) -> str | None:
        """None when this cost fits an output layer of ``outputs`` neurons whose activation
        is ``applied`` ("linear" when not activated); else what does not fit and what would."""
        if self.fits(outputs, applied):
            return None
        title = named(f"cost.{self.name}.label", self.label).split(" (")[0]
        title = title[:1].upper() + title[1:]
        if not self.fits_outputs(outputs):
            low, high = self.min_outputs, self.max_outputs
            if high == low:
                wanted = text("count.output", n=low)
            elif high is None:
                wanted = text("cost.outputs.at_least", n=low)
            else:
                wanted = text("cost.outputs.between", low=low, high=high)
            others = [
                _label(other) + _with_activation(other, applied)
                for other in COSTS.values()
                if other is not self and other.fits_outputs(outputs)
            ]
            instead = (
                text("cost.choose", costs=text("join.or").join(others))
                if others
                else text("cost.choose_another")
            )
            has = text("count.output", n=outputs)
            return self._fit_text("outputs", title=title, wanted=wanted, has=has, instead=instead)
        needed = self.needs_activation  # the outputs fit: the activation does not
        what = (
            text("cost.not_activated")
            if applied == "linear"
            else text("cost.activation_is", activation=_activation(applied))
        )
        want = (
            text("cost.want_linear")
            if needed == "linear"
            else text("cost.want_output", activation=_activation(needed))
        )
        others = [_label(o) for o in COSTS.values() if o is not self and o.fits(outputs, applied)]
        instead = (
            text("cost.fix_or", fix=_activation_fix(needed), costs=text("join.or").join(others))
            if others
            else text("cost.fix", fix=_activation_fix(needed))
        )
        return self._fit_text("activation", title=title, want=want, what=what, instead=instead)

    def _fit_text(self, part: str, **values: str) -> str:
        """The message "cost.fit.<part>" (outputs or activation), with this cost's own reason
        (``why_outputs``, ``why_activation``) where it gives one."""
        why = getattr(self, f"why_{part}")
        if not why:
            return text(f"cost.fit.{part}", **values)
        why = named(f"cost.{self.name}.why_{part}", why)
        return text(f"cost.fit.{part}_why", why=why, **values)


def _label(cost: Cost) -> str:
    """A cost's label in the language in use, as a message names it ("„…“" in German)."""
    return text("cost.named", label=named(f"cost.{cost.name}.label", cost.label))


def _activation(name: str) -> str:
    """An activation's name in a message: its name in English ("sigmoid"), its label without
    the parenthesis in another language ("Sigmoid σ", "Stufe")."""
    return named(f"activation.{name}", name).split(" (")[0]


def _activation_fix(needed: str) -> str:
    """What to do so that the output's activation is ``needed``."""
    if needed == "linear":
        return text("cost.fix_linear")
    return text("cost.fix_activation", activation=_activation(needed))


def _with_activation(cost: Cost, applied: str) -> str:
    """For a suggested cost that needs another output activation than ``applied``: what."""
    needed = cost.needs_activation
    if needed in ("", applied) or needed in cost.label:  # "(one sigmoid output)" says it
        return ""
    if needed == "linear":
        return text("cost.with_linear")
    return text("cost.with_output", activation=_activation(needed))


FASTER = (
    "Why this learns faster than squared error: with (y − t)² a sigmoid output's ∂C/∂z = "
    "2(y − t)·σ′(z), and σ′(z) is nearly 0 when the sigmoid saturates (y near 0 or 1), so a "
    "confidently wrong neuron barely moves. Here the slope cancels out and the whole error "
    "y − t drives the step."
)

COSTS: dict[str, Cost] = {
    "squared": Cost(
        "squared",
        _squared,
        _squared_deriv,
        label="squared error (the notebook)",
        tex=r"C = \sum_k (y_k - t_k)^2",
        deriv_tex=r"\frac{\partial C}{\partial y} = 2\,(y - t)",
        term_tex=r"(y - t)^2",
        help="The notebook's cost: the square of how far each output is from its target.",
    ),
    "cross-entropy": Cost(
        "cross-entropy",
        cross_entropy,
        cross_entropy_deriv,
        label="cross-entropy (one sigmoid output)",
        tex=r"C = -\left[t \ln y + (1 - t) \ln (1 - y)\right]",
        deriv_tex=r"\frac{\partial C}{\partial y} = \frac{y - t}{y\,(1 - y)}",
        term_tex=r"-\left[t \ln y + (1 - t) \ln (1 - y)\right]",
        simplifies_to_y_minus_t=frozenset({"sigmoid"}),
        help="For one yes/no output: large when a sure answer is wrong, so a saturated "
        "sigmoid still learns fast.",
        max_outputs=1,
        why_outputs="a yes or no",
        needs_activation="sigmoid",
        why_activation="y between 0 and 1",
        why_y_minus_t=FASTER,
    ),
    "softmax-cross-entropy": Cost(
        "softmax-cross-entropy",
        softmax_cross_entropy,
        softmax_cross_entropy_deriv,
        label="softmax cross-entropy (one output per class)",
        tex=r"C = -\sum_k t_k \ln y_k",
        deriv_tex=r"\frac{\partial C}{\partial z_k} = y_k - t_k",
        term_tex=r"-t \ln y",
        softmax=True,
        simplifies_to_y_minus_t=frozenset({"softmax"}),
        help="For several classes: softmax turns the outputs into probabilities that add up "
        "to 1, and C is minus the log of the right class's probability.",
        min_outputs=2,
        why_outputs="one per class (a class task such as ones)",
        needs_activation="linear",
        why_activation="softmax reads the output neurons' z itself",
        why_y_minus_t="Softmax turns the output neurons' z into probabilities that add up to 1; "
        "with cross-entropy its slope and the cost's cancel, leaving ∂C/∂z = y − t. " + FASTER,
    ),
}


def get_cost(name: str) -> Cost:
    """Return the cost called ``name``; ValueError naming the known ones."""
    return lookup(COSTS, name, "cost")


def check_output(cost: Cost, outputs: int, activation: str, activate_output: bool) -> None:
    """ValueError, saying what fits, unless ``cost`` suits an output layer of
    ``outputs`` neurons with this activation (not applied if not activated)."""
    problem = cost.fit_problem(outputs, activation if activate_output else "linear")
    if problem is not None:
        raise ValueError(problem)
