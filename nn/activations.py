"""Activation functions y = f(z), each paired with its derivative dy/dz.

Notation (as in the notebook): z is a neuron's pre-activation (weighted sum of
its inputs plus its bias) and y = f(z) is its output. Every derivative here
takes z, not y, like the notebook's ``sigmoid_deriv(x)``.

None of these functions raises for any float z, finite or not: a diverging
network yields inf or nan, which the page detects, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from nn.validation import lookup


def sigmoid(z: float) -> float:
    """y = 1 / (1 + e^-z), squashing any z into (0, 1).

    Uses the notebook's formula ``1 / (1 + math.exp(-x))`` whenever it can, so
    results are bit-identical to the notebook. That formula raises
    OverflowError once e^-z exceeds the largest float (z below about -709.78);
    only there we use the equal form e^z / (1 + e^z), which is tiny and safe.
    """
    try:
        return 1 / (1 + math.exp(-z))
    except OverflowError:
        e = math.exp(z)
        return e / (1 + e)


def sigmoid_deriv(z: float) -> float:
    """dy/dz = y * (1 - y) with y = sigmoid(z) (the notebook's formula)."""
    y = sigmoid(z)
    return y * (1 - y)


def tanh(z: float) -> float:
    """y = tanh(z), squashing any z into (-1, 1)."""
    return math.tanh(z)


def tanh_deriv(z: float) -> float:
    """dy/dz = 1 - tanh(z)^2."""
    y = math.tanh(z)
    return 1 - y * y


def relu(z: float) -> float:
    """y = max(0, z). A nan z gives nan, so divergence stays visible."""
    return 0.0 if z <= 0 else z


def relu_deriv(z: float) -> float:
    """dy/dz = 1 for z > 0, else 0.

    ReLU has no derivative at z = 0; by convention we use 0 there (as most
    libraries do), so a neuron with z exactly 0 does not learn on that example.
    """
    return 1.0 if z > 0 else 0.0


def linear(z: float) -> float:
    """y = z (no activation: the same as the notebook's ``activate=False``)."""
    return z


def linear_deriv(z: float) -> float:
    """dy/dz = 1."""
    return 1.0


def step(z: float) -> float:
    """y = 1 if z >= 0, else 0: the perceptron's threshold. A nan z gives nan."""
    if z >= 0:
        return 1.0
    return 0.0 if z < 0 else z


def step_deriv(z: float) -> float:
    """dy/dz = 0 at every z (at z = 0 the step has no slope; 0 there too, by convention).

    So gradient descent gets no gradient through a step neuron: the perceptron rule
    (``nn.optimizers``) trains it by its error t - y instead."""
    return 0.0


@dataclass(frozen=True)
class Activation:
    """An activation function travelling with its derivative, and how people see it.

    Only ``name``, ``fn`` and ``deriv`` are needed: each display field left
    empty is filled from the name, so adding an activation is one entry in
    ``ACTIVATIONS``.
    """

    name: str  # key in ACTIVATIONS, e.g. "sigmoid"
    fn: Callable[[float], float]  # y = fn(z)
    deriv: Callable[[float], float]  # dy/dz = deriv(z)
    label: str = ""  # option text for people (default: the name)
    tex: str = ""  # TeX of y = f(z) (default: \operatorname{name}(z))
    deriv_tex: str = ""  # TeX of dy/dz (default: \operatorname{name}'(z))
    symbol: str = ""  # short text in the diagram's activation box (default: name(z))

    def __post_init__(self) -> None:
        # frozen: fill the defaults the way dataclasses themselves set fields
        defaults = {
            "label": self.name,
            "tex": rf"\operatorname{{{self.name}}}(z)",
            "deriv_tex": rf"\operatorname{{{self.name}}}'(z)",
            "symbol": f"{self.name}(z)",
        }
        for field, default in defaults.items():
            if not getattr(self, field):
                object.__setattr__(self, field, default)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        sigmoid,
        sigmoid_deriv,
        label="sigmoid σ",
        tex=r"\sigma(z)",
        deriv_tex=r"\sigma'(z) = y\,(1 - y)",
        symbol="σ(z)",
    ),
    "tanh": Activation(
        "tanh",
        tanh,
        tanh_deriv,
        label="tanh",
        tex=r"\tanh(z)",
        deriv_tex=r"\tanh'(z) = 1 - y^2",
        symbol="tanh(z)",
    ),
    "relu": Activation(
        "relu",
        relu,
        relu_deriv,
        label="ReLU",
        tex=r"\operatorname{ReLU}(z) = \max(0, z)",
        deriv_tex=r"\operatorname{ReLU}'(z) = [z > 0]",
        symbol="ReLU(z)",
    ),
    "linear": Activation(
        "linear", linear, linear_deriv, label="linear", tex="z", deriv_tex="1", symbol="z"
    ),
    "step": Activation(
        "step",
        step,
        step_deriv,
        label="step (the perceptron)",
        tex=r"[z \ge 0]",
        deriv_tex="0",
        symbol="step(z)",
    ),
}


def get_activation(name: str) -> Activation:
    """Return the activation called ``name``; ValueError naming the known ones."""
    return lookup(ACTIVATIONS, name, "activation")
