"""A layer: neurons that all read the same input x and share one activation.

Layer l of a network holds its neurons side by side: ``layer.neurons[j]`` is neuron j, whose
``weight[i]`` multiplies input i. Backpropagation through a layer sums what each neuron passes
back: dC/dx_i = sum over neurons j of dC/dz_j * w_ji.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import add

from nn.initializers import RandomSource
from nn.neuron import Neuron
from nn.validation import check_length


class Layer:
    """Neurons that all read the same input x and share one activation."""

    def __init__(self, neurons: list[Neuron], activate: bool = True) -> None:
        if not neurons:
            raise ValueError("a layer needs 1 or more neurons")
        if len({(n.isize, n.activation.name) for n in neurons}) != 1:
            raise ValueError("a layer's neurons must share input size and activation")
        self.neurons = neurons
        self.activate = activate  # False: y = z, the notebook's activate=False
        self.x: Sequence[float] = []  # x: input of the last forward()
        self.y: list[float] = []  # y: outputs of the last forward(), one per neuron

    @classmethod
    def create(
        cls,
        isize: int,
        size: int,
        activation: str = "sigmoid",
        rng: RandomSource | None = None,
        init: str = "uniform",
        activate: bool = True,
    ) -> Layer:
        """A layer of ``size`` new neurons with ``isize`` inputs each, drawn in order."""
        neurons = [Neuron(isize, activation, rng, init, fan_out=size) for _ in range(size)]
        return cls(neurons, activate)

    @property
    def isize(self) -> int:
        """Number of inputs of each neuron."""
        return self.neurons[0].isize

    @property
    def activation(self) -> str:
        """Name of the neurons' activation (not applied if ``activate`` is False)."""
        return self.neurons[0].activation.name

    def forward(self, x: Sequence[float]) -> list[float]:
        """The outputs y_j of every neuron j for the input x."""
        if len(x) != self.isize:
            check_length(x, self.isize, "input")
        self.x = x = list(x)  # one copy, kept by every neuron
        activate = self.activate
        self.y = [neuron.forward_owned(x, activate) for neuron in self.neurons]
        return self.y

    def compute_gradients(self, dcost_dy: Sequence[float]) -> list[float]:
        """Store every neuron's gradients; return dC/dx for this layer's input.

        ``dcost_dy[j]`` is dC/dy for neuron j. Input i feeds every neuron, so
        dC/dx_i is the sum over neurons j of dC/dz_j * w_ji.
        """
        if len(dcost_dy) != len(self.neurons):
            check_length(dcost_dy, len(self.neurons), "output gradient")
        if not self.x:
            raise RuntimeError("call forward() before computing gradients")
        dcost_dx = [0.0] * self.isize
        for neuron, d in zip(self.neurons, dcost_dy, strict=True):
            # dcost_dx[i] += g for each neuron's g, neuron by neuron as the sum is written
            dcost_dx = list(map(add, dcost_dx, neuron.compute_gradients(self.x, d)))
        return dcost_dx

    def apply_update(self, learning_rate: float) -> None:
        """Each neuron takes one step with its stored gradients."""
        for neuron in self.neurons:
            neuron.apply_update(learning_rate)

    def __repr__(self) -> str:
        return (
            f"Layer(size={len(self.neurons)}, isize={self.isize}, "
            f"activation={self.activation!r}, activate={self.activate})"
        )
