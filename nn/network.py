"""Layers of neurons, and the network that trains them by gradient descent.

``sizes = [n_inputs, hidden..., n_outputs]``: a network with sizes [3, 4, 1]
reads 3 inputs x, has a hidden layer of 4 neurons and 1 output neuron.
Layer l (0-based) holds ``sizes[l + 1]`` neurons, each with ``sizes[l]``
inputs: ``network.layers[l].neurons[j]`` is neuron j of layer l and its
``weight[i]`` multiplies output i of the layer below (or input x_i).

The cost of one example is C = sum over outputs of (y - t)^2. Backpropagation
gives each output neuron dC/dy = 2 * (y - t); each neuron then passes dC/dx back,
and a neuron below receives as its dC/dy the sum of the dC/dx entries that
reach it from every neuron of the layer above.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

from nn.activations import get_activation
from nn.cost import squared_error, squared_error_deriv
from nn.initializers import get_initializer
from nn.layer import Layer
from nn.neuron import Neuron
from nn.validation import check_keys, check_length, check_parameters, is_count

# One training example: inputs x and targets t (one per output).
Example = tuple[Sequence[float], Sequence[float]]


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    sizes = list(sizes)
    if len(sizes) < 2 or not all(is_count(s) for s in sizes):
        raise ValueError(
            "sizes must be 2 or more whole numbers of at least 1 "
            f"(inputs first, outputs last), got {sizes!r}"
        )
    return sizes


def _layer_activations(
    count: int,
    activation: str,
    output_activation: str | None,
    activations: Sequence[str] | None,
) -> list[str]:
    """One activation name per layer, checked."""
    if activations is not None:
        if isinstance(activations, str):
            raise ValueError("activations must be a list of names, one per layer")
        names = list(activations)
        if len(names) != count:
            raise ValueError(f"expected {count} activation names (one per layer), got {len(names)}")
    else:
        last = activation if output_activation is None else output_activation
        names = [activation] * (count - 1) + [last]
    for name in names:
        get_activation(name)
    return names


class Network:
    """A fully connected network of ``Neuron``s, trained one example at a time.

    sizes: [n_inputs, hidden..., n_outputs].
    activation: for every layer; output_activation (None: same) for the last.
    activations: one name per layer, overriding both of the above.
    activate_output: False makes the output layer use the notebook's
        ``activate=False`` (y = z).
    seed: weights are drawn from ``random.Random(seed)``, layer by layer, neuron
        by neuron, so the same seed gives the same network (None: a fresh one).
    init: the initialisation scheme (see ``nn.initializers``).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        output_activation: str | None = None,
        seed: int | None = None,
        init: str = "uniform",
        activations: Sequence[str] | None = None,
        activate_output: bool = True,
    ) -> None:
        sizes = _check_sizes(sizes)
        names = _layer_activations(len(sizes) - 1, activation, output_activation, activations)
        get_initializer(init)
        rng = random.Random(seed)
        last = len(sizes) - 2
        self.layers = [
            Layer.create(
                sizes[k], sizes[k + 1], names[k], rng, init, activate=k < last or activate_output
            )
            for k in range(len(sizes) - 1)
        ]
        self.activate_output = activate_output  # False: output y = z
        self.dcost_dx: list[float] = []  # dC/dx for the network's input, by backprop()

    @classmethod
    def from_layers(cls, layers: list[Layer]) -> Network:
        """A network made of the given layers (used by ``from_dict``)."""
        if not layers:
            raise ValueError("a network needs 1 or more layers")
        for below, above in itertools.pairwise(layers):
            if above.isize != len(below.neurons):
                raise ValueError("each layer's input size must match the layer below")
        network = cls.__new__(cls)
        network.layers = layers
        network.activate_output = layers[-1].activate
        network.dcost_dx = []
        return network

    @property
    def sizes(self) -> list[int]:
        """[n_inputs, hidden..., n_outputs]."""
        return [self.layers[0].isize] + [len(layer.neurons) for layer in self.layers]

    @property
    def activations(self) -> list[str]:
        """The activation name of each layer."""
        return [layer.activation for layer in self.layers]

    def forward(self, x: Sequence[float]) -> list[float]:
        """The outputs y for the inputs x (each layer's output feeds the next)."""
        outputs: Sequence[float] = x
        for layer in self.layers:
            outputs = layer.forward(outputs)
        return list(outputs)

    def backprop(self, x: Sequence[float], target: Sequence[float]) -> float:
        """Forward x, then store every neuron's gradients; weights unchanged.

        Returns the example's cost C = sum (y - t)^2 at the current weights.
        """
        outputs = self.forward(x)
        cost = squared_error(outputs, target)  # checks there is one target per output
        dcost_dy = [squared_error_deriv(y, t) for y, t in zip(outputs, target, strict=True)]
        for layer in reversed(self.layers):
            dcost_dy = layer.compute_gradients(dcost_dy)
        self.dcost_dx = dcost_dy
        return cost

    def train_step(
        self, x: Sequence[float], target: Sequence[float], learning_rate: float
    ) -> float:
        """One gradient-descent step on one example; returns its cost before it.

        All gradients are computed before any weight moves.
        """
        cost = self.backprop(x, target)
        for layer in self.layers:
            layer.apply_update(learning_rate)
        return cost

    def epoch_batches(
        self,
        examples: Sequence[Example],
        batch_size: int = 1,
        rng: random.Random | None = None,
    ) -> list[list[Example]]:
        """The mini-batches of one epoch, in the order ``train_epoch`` visits them.

        A copy of ``examples`` (the caller's list is left alone), shuffled by
        ``rng`` if given, cut into batches of ``batch_size`` (the last may be
        smaller). Training each with ``train_batch`` is ``train_epoch``, so an
        epoch can be trained in pieces.
        """
        if not is_count(batch_size):
            raise ValueError(f"batch_size must be 1 or more, got {batch_size!r}")
        order = _nonempty(examples)
        if rng is not None:
            rng.shuffle(order)
        return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]

    def train_batch(self, batch: Sequence[Example], learning_rate: float) -> list[float]:
        """One step against dC/dw and dC/db averaged over ``batch``; its costs before.

        Returns each example's cost C at the weights before the step. A batch
        of one example is exactly ``train_step``.
        """
        if len(batch) == 1:
            x, target = batch[0]
            return [self.train_step(x, target, learning_rate)]
        batch = _nonempty(batch)
        neurons = [neuron for layer in self.layers for neuron in layer.neurons]
        sum_dw = [[0.0] * neuron.isize for neuron in neurons]
        sum_db = [0.0] * len(neurons)
        costs = []
        for x, target in batch:
            costs.append(self.backprop(x, target))
            for k, neuron in enumerate(neurons):
                for i, g in enumerate(neuron.dcost_dw):
                    sum_dw[k][i] += g
                sum_db[k] += neuron.dcost_db
        count = len(batch)
        for k, neuron in enumerate(neurons):
            mean_dw = [s / count for s in sum_dw[k]]
            neuron.apply_gradient(mean_dw, sum_db[k] / count, learning_rate)
        return costs

    def train_epoch(
        self,
        examples: Sequence[Example],
        learning_rate: float,
        batch_size: int = 1,
        rng: random.Random | None = None,
    ) -> float:
        """One pass over ``examples``; returns the mean of their costs before each step.

        With ``rng`` the examples are visited in an order shuffled by it (the
        caller's list is left alone). Gradients are averaged over each
        mini-batch of ``batch_size`` examples (the last may be smaller) and
        applied once per batch; a batch of one is exactly ``train_step``.
        The same as ``train_batch`` on each of ``epoch_batches``.
        """
        costs: list[float] = []
        for batch in self.epoch_batches(examples, batch_size, rng):
            costs.extend(self.train_batch(batch, learning_rate))
        return sum(costs) / len(costs)

    def mean_cost(self, examples: Sequence[Example]) -> float:
        """Mean cost over ``examples`` at the current weights (no update)."""
        examples = _nonempty(examples)
        costs = [squared_error(self.forward(x), t) for x, t in examples]
        return sum(costs) / len(costs)

    def accuracy(self, examples: Sequence[Example], threshold: float = 0.5) -> float:
        """Fraction of examples whose every output, read as 1 if y >= threshold
        else 0, equals its 0/1 target. A nan output counts as wrong."""
        examples = _nonempty(examples)
        correct = 0
        for x, target in examples:
            outputs = self.forward(x)
            check_length(target, len(outputs), "target")
            if not _is_binary(target):
                raise ValueError(f"accuracy needs targets of 0 or 1, got {list(target)}")
            correct += is_correct(outputs, target, threshold)
        return correct / len(examples)

    def evaluate(
        self, examples: Sequence[Example], threshold: float = 0.5
    ) -> tuple[float, float | None]:
        """(``mean_cost``, ``accuracy``) with one forward pass per example.

        The same floats as those two methods; the accuracy is None when a
        target is not 0 or 1 (accuracy then makes no sense).
        """
        examples = _nonempty(examples)
        costs: list[float] = []
        correct = 0
        binary = True
        for x, target in examples:
            outputs = self.forward(x)
            costs.append(squared_error(outputs, target))  # checks the target's length
            binary = binary and _is_binary(target)
            if binary:
                correct += is_correct(outputs, target, threshold)
        accuracy = correct / len(examples) if binary else None
        return sum(costs) / len(costs), accuracy

    def parameters(self) -> list[float]:
        """Every weight and bias, layer by layer, neuron by neuron (w then b)."""
        values: list[float] = []
        for layer in self.layers:
            for neuron in layer.neurons:
                values += neuron.weight
                values.append(neuron.bias)
        return values

    def set_parameters(self, values: Sequence[float]) -> None:
        """The inverse of ``parameters()``: every weight and bias from ``values``.

        Layer by layer, neuron by neuron, each neuron's weights w then its
        bias b. ValueError ("expected 26 weights and biases, got 25") for a
        wrong count, or naming the first value that is not a finite int or
        float (a bool is refused); the network only changes when every value
        is valid.
        """
        neurons = [neuron for layer in self.layers for neuron in layer.neurons]
        names = [
            f"layer {k} neuron {j}"
            for k, layer in enumerate(self.layers)
            for j in range(len(layer.neurons))
        ]
        numbers = check_parameters(values, [n.isize for n in neurons], names)
        start = 0
        for neuron in neurons:
            neuron.set_parameters(numbers[start : start + neuron.isize + 1])
            start += neuron.isize + 1

    def is_finite(self) -> bool:
        """False once any weight or bias is inf or nan (training diverged)."""
        return all(map(math.isfinite, self.parameters()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe data that ``from_dict`` turns back into this network.

        ValueError if a parameter is inf or nan: JSON cannot hold them.
        """
        if not self.is_finite():
            raise ValueError("cannot save a network whose weights are not finite")
        return {
            "sizes": self.sizes,
            "activations": self.activations,
            "activate_output": self.activate_output,
            "layers": [[n.to_dict() for n in layer.neurons] for layer in self.layers],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Network:
        """The network described by ``data`` (as made by ``to_dict``).

        ValueError, saying what is wrong, for bad shapes, types, numbers that
        are not finite or unknown activations.
        """
        keys = {"sizes", "activations", "activate_output", "layers"}
        data = check_keys(data, keys, "network data")
        sizes = _check_sizes(data["sizes"])
        names = data["activations"]
        if not isinstance(names, list):
            raise ValueError(f"activations must be a list of names, got {names!r}")
        names = _layer_activations(len(sizes) - 1, "", None, names)
        activate_output = data["activate_output"]
        if not isinstance(activate_output, bool):
            raise ValueError(f"activate_output must be true or false, got {activate_output!r}")
        layers_data = data["layers"]
        if not isinstance(layers_data, list) or len(layers_data) != len(sizes) - 1:
            raise ValueError(f"layers must be a list of {len(sizes) - 1} layers")
        layers = []
        for k, neurons_data in enumerate(layers_data):
            if not isinstance(neurons_data, list) or len(neurons_data) != sizes[k + 1]:
                raise ValueError(f"layer {k} must be a list of {sizes[k + 1]} neurons")
            neurons = []
            for j, neuron_data in enumerate(neurons_data):
                neuron = Neuron.from_dict(neuron_data, f"layer {k} neuron {j}")
                if neuron.isize != sizes[k] or neuron.activation.name != names[k]:
                    raise ValueError(
                        f"layer {k} neuron {j} must have isize {sizes[k]} "
                        f"and activation {names[k]!r}"
                    )
                neurons.append(neuron)
            is_output = k == len(layers_data) - 1
            layers.append(Layer(neurons, activate=activate_output or not is_output))
        return cls.from_layers(layers)

    def __repr__(self) -> str:
        return (
            f"Network(sizes={self.sizes}, activations={self.activations}, "
            f"activate_output={self.activate_output})"
        )


def _nonempty(examples: Sequence[Example]) -> list[Example]:
    """A copy of ``examples`` as a list; ValueError if there are none."""
    order = list(examples)
    if not order:
        raise ValueError("There are no examples to train on: add at least one to the training set.")
    return order


def _is_binary(target: Sequence[float]) -> bool:
    """True if every target t is 0 or 1 (so accuracy makes sense)."""
    return all(t in (0, 1) for t in target)


def is_correct(outputs: Sequence[float], target: Sequence[float], threshold: float) -> bool:
    """True if every output y, read as 1 if y >= threshold else 0, equals its 0/1 t."""
    return all(
        y >= threshold if t == 1 else y < threshold for y, t in zip(outputs, target, strict=True)
    )
