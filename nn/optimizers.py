"""How a network's weights move once the gradients are known: the registry ``OPTIMIZERS``.

Notation (the notebook's, and PyTorch's for the optimizers): w a parameter (a weight or a
bias), g = dC/dw its gradient (with 2 lambda w added to every weight under L2, as
``torch.optim``'s ``weight_decay`` = 2 lambda does; biases are not decayed), eta the learning
rate and t the step count (1 at the first step).

    sgd         w <- w - eta g                                 (the notebook's rule)
    momentum    v <- mu v + g;  w <- w - eta v                 (torch.optim.SGD(momentum=mu))
    adam        m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
                m^ = m / (1 - b1^t);  v^ = v / (1 - b2^t)
                w <- w - eta m^ / (sqrt(v^) + eps)             (torch.optim.Adam, eps outside)
    perceptron  w <- w + eta (t - y) x;  b <- b + eta (t - y)  (Rosenblatt's rule)

Every update here is one pure function: ``Optimizer.update(state, g, options)`` takes the
state before (step count and the running averages, one number per parameter) and returns
the direction d (each parameter moves by -eta d) with the state after, changing nothing. The
network keeps the state (see ``Network.optimizer_state``), so it is saved, restored and reset
with the weights. The perceptron's "gradient" is -(t - y) x, which the network works out
from the example; its update is then plain ``sgd``'s.

The fit rule lives with the optimizer (``Optimizer.fit``): the perceptron needs one step
output neuron and targets of 0 and 1, and the gradient-based optimizers explain why a step
activation learns nothing under them (its dy/dz is 0 everywhere).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nn.i18n import named, text
from nn.validation import finite_float, lookup

# The state an optimizer keeps between steps: {"step": t, "velocity": [...]} and the like.
State = dict[str, Any]


@dataclass(frozen=True)
class Hyperparameter:
    """One number an optimizer is tuned with, and how people see it."""

    name: str  # key in optimizer_options (and the page's URL key), e.g. "beta1"
    symbol: str  # TeX, e.g. \beta_1
    text: str  # the symbol in plain text, e.g. β₁
    default: float
    low: float  # the smallest value allowed (included)
    high: float  # the largest value allowed
    high_included: bool = False  # False: the values must stay below ``high``
    help: str = ""

    @property
    def range_text(self) -> str:
        """'from 0 up to, not including, 1' or 'from 1e-12 to 1'."""
        if self.high_included:
            return f"from {self.low:g} to {self.high:g}"
        return f"from {self.low:g} up to, not including, {self.high:g}"

    def check(self, value: object) -> float:
        """``value`` as a float in range; ValueError naming the symbol and its range."""
        number = finite_float(value, f"{self.text} ({self.name})")
        if (
            number < self.low
            or number > self.high
            or (number == self.high and not self.high_included)
        ):
            raise ValueError(f"{self.text} ({self.name}) must be {self.range_text}, got {value!r}")
        return number


# What each update returns: the direction d (w moves by -eta d) and the state after.
UpdateFn = Callable[[State, Sequence[float], Mapping[str, float]], tuple[list[float], State]]


@dataclass(frozen=True)
class Optimizer:
    """An update rule with its hyperparameters, its fit rule and how people see it."""

    name: str  # key in OPTIMIZERS
    update: UpdateFn  # (state before, g, options) -> (direction d, state after); pure
    label: str  # option text for people
    tex: str  # TeX of the update
    help: str  # one or two sentences for people
    hyperparameters: tuple[Hyperparameter, ...] = ()
    state_keys: tuple[str, ...] = ()  # the per-parameter lists in its state
    gradient_based: bool = True  # False: the perceptron's error-driven rule

    def defaults(self) -> dict[str, float]:
        """Each hyperparameter's default value, by name."""
        return {h.name: h.default for h in self.hyperparameters}

    def fit(
        self,
        activations: Sequence[str],
        activate_output: bool,
        outputs: int,
        binary_targets: bool = True,
    ) -> list[str]:
        """Notes on using this optimizer with a network whose layers have ``activations``;
        ValueError, saying what fits, when it can't train such a network at all.

        ``binary_targets``: every target is 0 or 1 (a yes/no task)."""
        if not self.gradient_based:
            return _perceptron_fit(activations, activate_output, outputs, binary_targets)
        if "step" in activations[:-1] or (activate_output and activations[-1] == "step"):
            label = named(f"optimizer.{self.name}.label", self.label)
            return [text("optimizer.step_learns_nothing", optimizer=label)]
        return []


def _perceptron_fit(
    activations: Sequence[str], activate_output: bool, outputs: int, binary_targets: bool
) -> list[str]:
    """The perceptron rule's fit: one step output neuron, no hidden layer, targets 0 and 1."""
    if len(activations) > 1:
        raise ValueError(text("perceptron.layers"))
    if outputs != 1:
        raise ValueError(text("perceptron.outputs", outputs=outputs))
    if not activate_output or activations[-1] != "step":
        applied = (
            named(f"activation.{activations[-1]}", activations[-1]).split(" (")[0]
            if activate_output
            else text("perceptron.not_activated")
        )
        raise ValueError(text("perceptron.activation", applied=applied))
    if not binary_targets:
        raise ValueError(text("perceptron.targets"))
    return []


def _step_count(state: State) -> int:
    return int(state.get("step", 0))


def sgd_update(
    state: State, gradient: Sequence[float], options: Mapping[str, float]
) -> tuple[list[float], State]:
    """d = g: plain gradient descent (the perceptron passes -(t - y) x as g)."""
    return list(gradient), {"step": _step_count(state) + 1}


def momentum_update(
    state: State, gradient: Sequence[float], options: Mapping[str, float]
) -> tuple[list[float], State]:
    """v <- mu v + g, d = v (PyTorch's SGD with momentum, dampening 0, no Nesterov).

    v starts at 0, so the first step's v is g itself, as PyTorch's first buffer is."""
    mu = options["momentum"]
    before = state.get("velocity") or [0.0] * len(gradient)
    velocity = [mu * v + g for v, g in zip(before, gradient, strict=True)]
    return velocity, {"step": _step_count(state) + 1, "velocity": velocity}


def adam_update(
    state: State, gradient: Sequence[float], options: Mapping[str, float]
) -> tuple[list[float], State]:
    """Adam with bias correction, eps outside the square root (PyTorch's ``torch.optim.Adam``):

    m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,  t <- t + 1,
    m^ = m / (1 - b1^t),  v^ = v / (1 - b2^t),  d = m^ / (sqrt(v^) + eps)."""
    beta1, beta2, eps = options["beta1"], options["beta2"], options["eps"]
    step = _step_count(state) + 1
    zeros = [0.0] * len(gradient)
    m_before, v_before = state.get("m") or zeros, state.get("v") or zeros
    m = [beta1 * mi + (1 - beta1) * g for mi, g in zip(m_before, gradient, strict=True)]
    v = [beta2 * vi + (1 - beta2) * g * g for vi, g in zip(v_before, gradient, strict=True)]
    m_hat, v_hat = adam_corrected(m, v, beta1, beta2, step)
    direction = [mh / (math.sqrt(vh) + eps) for mh, vh in zip(m_hat, v_hat, strict=True)]
    return direction, {"step": step, "m": m, "v": v}


def adam_corrected(
    m: Sequence[float], v: Sequence[float], beta1: float, beta2: float, step: int
) -> tuple[list[float], list[float]]:
    """The bias-corrected moments m^ = m / (1 - b1^t) and v^ = v / (1 - b2^t) at step t."""
    c1, c2 = 1 - beta1**step, 1 - beta2**step
    return [mi / c1 for mi in m], [vi / c2 for vi in v]


MU = Hyperparameter(
    "momentum", r"\mu", "μ", 0.9, 0.0, 1.0, help="How much of the last step's velocity is kept."
)
BETA1 = Hyperparameter(
    "beta1", r"\beta_1", "β₁", 0.9, 0.0, 1.0, help="Decay of the running mean of g."
)
BETA2 = Hyperparameter(
    "beta2", r"\beta_2", "β₂", 0.999, 0.0, 1.0, help="Decay of the running mean of g²."
)
EPS = Hyperparameter(
    "eps", r"\epsilon", "ε", 1e-8, 1e-12, 1.0, True, help="Keeps m̂ / (√v̂ + ε) finite."
)

OPTIMIZERS: dict[str, Optimizer] = {
    "sgd": Optimizer(
        "sgd",
        sgd_update,
        label="gradient descent (the notebook)",
        tex=r"w \leftarrow w - \eta\, g",
        help="Each step moves every weight against its gradient g = ∂C/∂w, by η g.",
    ),
    "momentum": Optimizer(
        "momentum",
        momentum_update,
        label="momentum",
        tex=r"v \leftarrow \mu v + g,\quad w \leftarrow w - \eta\, v",
        help="A velocity v remembers the past gradients: steps that keep the same direction "
        "build up speed (PyTorch's SGD with momentum).",
        hyperparameters=(MU,),
        state_keys=("velocity",),
    ),
    "adam": Optimizer(
        "adam",
        adam_update,
        label="Adam",
        tex=r"m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,"
        r"\ w \leftarrow w - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}",
        help="Running means of g and g² give each weight its own step size; m̂ and v̂ correct "
        "their start at 0 (PyTorch's Adam).",
        hyperparameters=(BETA1, BETA2, EPS),
        state_keys=("m", "v"),
    ),
    "perceptron": Optimizer(
        "perceptron",
        sgd_update,
        label="perceptron rule (Rosenblatt)",
        tex=r"w \leftarrow w + \eta\,(t - y)\, x,\quad b \leftarrow b + \eta\,(t - y)",
        help="A step neuron moves its weights by the error t − y times x: nothing when it is "
        "right. It settles whenever a line separates the 0s from the 1s.",
        gradient_based=False,
    ),
}


def get_optimizer(name: str) -> Optimizer:
    """Return the optimizer called ``name``; ValueError naming the known ones."""
    return lookup(OPTIMIZERS, name, "optimizer")


def check_options(optimizer: Optimizer, options: Mapping[str, object] | None) -> dict[str, float]:
    """Every hyperparameter of ``optimizer``: those in ``options`` checked, the rest their
    defaults. ValueError for an unknown name or a value out of range."""
    options = {} if options is None else options
    if not isinstance(options, Mapping):
        raise ValueError(f"optimizer_options must be a dict, got {type(options).__name__}")
    known = {h.name: h for h in optimizer.hyperparameters}
    unknown = sorted(str(k) for k in options if k not in known)
    if unknown:
        takes = ", ".join(known) if known else "none"
        raise ValueError(
            f"{optimizer.name} has no option {', '.join(unknown)} (its options: {takes})"
        )
    return {
        name: h.check(options[name]) if name in options else h.default for name, h in known.items()
    }


def check_state(optimizer: Optimizer, state: object, count: int) -> State:
    """Saved optimizer state as the optimizer keeps it: "step" a whole number of at least 0
    and each of its lists ``count`` finite numbers (Adam's v at least 0). ValueError
    otherwise. An empty dict is a fresh state."""
    if not isinstance(state, Mapping):
        raise ValueError(f"optimizer_state must be a dict, got {type(state).__name__}")
    allowed = {"step", *optimizer.state_keys}
    unknown = sorted(str(k) for k in state if k not in allowed)
    if unknown:
        raise ValueError(
            f"optimizer_state of {optimizer.name} has unknown keys {', '.join(unknown)}"
        )
    step = state.get("step", 0)
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise ValueError(f"optimizer_state step must be a whole number of 0 or more, got {step!r}")
    checked: State = {"step": step}
    for key in optimizer.state_keys:
        if key not in state:
            continue
        values = state[key]
        if not isinstance(values, list) or len(values) != count:
            raise ValueError(f"optimizer_state {key} must be a list of {count} numbers")
        numbers = [finite_float(v, f"optimizer_state {key} {i}") for i, v in enumerate(values)]
        if key == "v" and min(numbers, default=0.0) < 0:
            raise ValueError("optimizer_state v (a mean of g²) can't be negative")
        checked[key] = numbers
    return checked


def state_is_finite(state: State) -> bool:
    """False when a running average has become inf or nan."""
    return all(
        math.isfinite(value)
        for values in state.values()
        if isinstance(values, list)
        for value in values
    )


def state_slice(state: State, start: int, stop: int) -> State:
    """The state of parameters ``start`` to ``stop`` (one neuron's, in parameters() order)."""
    return {
        key: values[start:stop] if isinstance(values, list) else values
        for key, values in state.items()
    }
