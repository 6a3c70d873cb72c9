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


@dataclass(frozen=True)
class Activation:
    """An activation function travelling with its derivative."""

    name: str  # key in ACTIVATIONS, e.g. "sigmoid"
    fn: Callable[[float], float]  # y = fn(z)
    deriv: Callable[[float], float]  # dy/dz = deriv(z)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_deriv),
    "tanh": Activation("tanh", tanh, tanh_deriv),
    "relu": Activation("relu", relu, relu_deriv),
    "linear": Activation("linear", linear, linear_deriv),
}


def get_activation(name: str) -> Activation:
    """Return the activation called ``name``; ValueError naming the known ones."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}: expected one of {known}") from None
