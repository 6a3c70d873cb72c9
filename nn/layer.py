"""A layer: neurons that all read the same input x and share one activation.

Layer l of a network holds its neurons side by side: ``layer.neurons[j]`` is neuron j, whose
``weight[i]`` multiplies input i. Backpropagation through a layer sums what each neuron passes
back: dC/dx_i = sum over neurons j of dC/dz_j * w_ji.

An output layer may be a softmax layer: its neurons give their z (linear), and the layer's
outputs are y = softmax(z), y_j = e^z_j / sum_k e^z_k, which sum to 1 (one probability per
class). Softmax mixes the neurons, so it belongs to the layer, not to a neuron's activation.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import add

from nn.cost import softmax
from nn.initializers import RandomSource
from nn.neuron import Neuron
from nn.validation import check_length


class Layer:
    """Neurons that all read the same input x and share one activation."""

    def __init__(self, neurons: list[Neuron], activate: bool = True, softmax: bool = False) -> None:
        if not neurons:
            raise ValueError("a layer needs 1 or more neurons")
        if len({(n.isize, n.activation.name) for n in neurons}) != 1:
            raise ValueError("a layer's neurons must share input size and activation")
        if softmax and activate and neurons[0].activation.name != "linear":
            raise ValueError("a softmax layer's neurons must be linear: softmax reads their z")
        self.neurons = neurons
        self.activate = activate  # False: y = z, the notebook's activate=False
        self.softmax = softmax  # True: the layer's outputs are y = softmax(z)
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
        softmax: bool = False,
        neuron_class: type[Neuron] = Neuron,
    ) -> Layer:
        """A layer of ``size`` new neurons with ``isize`` inputs each, drawn in order.

        ``neuron_class`` makes them: ``nn.Neuron``, or a class made by
        ``nn.learner_neuron_class`` to train with the learner's code."""
        neurons = [neuron_class(isize, activation, rng, init, fan_out=size) for _ in range(size)]
        return cls(neurons, activate, softmax)

    @property
    def isize(self) -> int:
        """Number of inputs of each neuron."""
        return self.neurons[0].isize

    @property
    def activation(self) -> str:
        """Name of the neurons' activation (not applied if ``activate`` is False)."""
        return self.neurons[0].activation.name

    def forward(self, x: Sequence[float]) -> list[float]:
        """The outputs y_j of every neuron j for the input x (softmax of their z for a
        softmax layer)."""
        if len(x) != self.isize:
            check_length(x, self.isize, "input")
        self.x = x = list(x)  # one copy, kept by every neuron
        activate = self.activate
        self.y = [neuron.forward_owned(x, activate) for neuron in self.neurons]
        if self.softmax:
            self.y = softmax(self.y)
        return self.y

    def compute_gradients(
        self, dcost_dy: Sequence[float], dcost_dz: Sequence[float] | None = None
    ) -> list[float]:
        """Store every neuron's gradients; return dC/dx for this layer's input.

        ``dcost_dy[j]`` is dC/dy for neuron j's own output (for a softmax layer,
        whose neurons output z, that is dC/dz_j). ``dcost_dz``, when given, is
        each neuron's dC/dz itself (see ``Neuron.compute_gradients``). Input i
        feeds every neuron, so dC/dx_i is the sum over neurons j of dC/dz_j * w_ji.
        """
        if len(dcost_dy) != len(self.neurons):
            check_length(dcost_dy, len(self.neurons), "output gradient")
        if not self.x:
            raise RuntimeError("call forward() before computing gradients")
        dcost_dx = [0.0] * self.isize
        direct = [None] * len(self.neurons) if dcost_dz is None else dcost_dz
        for neuron, d, dz in zip(self.neurons, dcost_dy, direct, strict=True):
            # dcost_dx[i] += g for each neuron's g, neuron by neuron as the sum is written
            dcost_dx = list(map(add, dcost_dx, neuron.compute_gradients(self.x, d, dz)))
        return dcost_dx

    def apply_update(self, learning_rate: float) -> None:
        """Each neuron takes one step with its stored gradients."""
        for neuron in self.neurons:
            neuron.apply_update(learning_rate)

    def __repr__(self) -> str:
        return (
            f"Layer(size={len(self.neurons)}, isize={self.isize}, "
            f"activation={self.activation!r}, activate={self.activate}"
            + (", softmax=True)" if self.softmax else ")")
        )
