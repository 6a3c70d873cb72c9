"""How a neuron's first weights w and bias b are drawn, looked up by name.

fan_in is the neuron's number of inputs (its isize) and fan_out the number of
neurons in its layer. Every scheme draws its weights in input order, then the
bias if it is random, all from one random source: the same seed gives the
same network.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from nn.validation import lookup


class RandomSource(Protocol):
    """What we draw from: a ``random.Random``, or the ``random`` module itself."""

    def uniform(self, a: float, b: float) -> float: ...

    def gauss(self, mu: float, sigma: float) -> float: ...


def uniform_init(rng: RandomSource, fan_in: int, fan_out: int) -> tuple[list[float], float]:
    """The notebook's: every w and then b uniform in [-1, 1]."""
    weight = [rng.uniform(-1, 1) for _ in range(fan_in)]
    bias = rng.uniform(-1, 1)
    return weight, bias


def xavier_init(rng: RandomSource, fan_in: int, fan_out: int) -> tuple[list[float], float]:
    """Glorot uniform: w uniform in [-L, L], L = sqrt(6 / (fan_in + fan_out)); b = 0.

    Keeps the spread of z about the same from layer to layer for sigmoid/tanh.
    """
    limit = math.sqrt(6 / (fan_in + fan_out))
    weight = [rng.uniform(-limit, limit) for _ in range(fan_in)]
    return weight, 0.0


def he_init(rng: RandomSource, fan_in: int, fan_out: int) -> tuple[list[float], float]:
    """He normal: w from a normal law, mean 0, std sqrt(2 / fan_in); b = 0.

    Suited to relu, which zeroes half of its inputs on average.
    """
    std = math.sqrt(2 / fan_in)
    weight = [rng.gauss(0.0, std) for _ in range(fan_in)]
    return weight, 0.0


@dataclass(frozen=True)
class Initializer:
    """A named way to draw a neuron's first weights and bias."""

    name: str  # key in INITIALIZERS, e.g. "uniform"
    description: str  # one sentence for people
    draw: Callable[[RandomSource, int, int], tuple[list[float], float]]
    # draw(rng, fan_in, fan_out) -> (weights w, bias b)
    label: str = ""  # option text for people (default: the name)

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)  # frozen: set as dataclasses do


INITIALIZERS: dict[str, Initializer] = {
    "uniform": Initializer(
        "uniform",
        "Every weight and the bias uniform in [-1, 1].",
        uniform_init,
        label="uniform(−1, 1) (notebook)",
    ),
    "xavier": Initializer(
        "xavier",
        "Glorot uniform: weights in ±sqrt(6 / (fan_in + fan_out)), bias 0.",
        xavier_init,
        label="Xavier",
    ),
    "he": Initializer(
        "he", "He normal: weights with std sqrt(2 / fan_in), bias 0.", he_init, label="He"
    ),
}


def get_initializer(name: str) -> Initializer:
    """Return the scheme called ``name``; ValueError naming the known ones."""
    return lookup(INITIALIZERS, name, "initialisation")
