"""Layers of neurons, and the network that trains them by gradient descent.

``sizes = [n_inputs, hidden..., n_outputs]``: a network with sizes [3, 4, 1]
reads 3 inputs x, has a hidden layer of 4 neurons and 1 output neuron.
Layer l (0-based) holds ``sizes[l + 1]`` neurons, each with ``sizes[l]``
inputs: ``network.layers[l].neurons[j]`` is neuron j of layer l and its
``weight[i]`` multiplies output i of the layer below (or input x_i).

The cost of one example is the network's ``cost`` (see ``nn.cost``), by default
the notebook's C = sum over outputs of (y - t)^2. Backpropagation gives each
output neuron dC/dy = 2 * (y - t) (or, under a cross-entropy, dC/dz = y - t
itself); each neuron then passes dC/dx back, and a neuron below receives as its
dC/dy the sum of the dC/dx entries that reach it from every neuron of the layer above.

L2 weight decay adds lambda * sum w^2 (every weight, no bias) to each example's
cost, so a mean over examples is the mean C plus lambda * sum w^2 once, and every
step moves each weight by -learning_rate * (dC/dw + 2 lambda w), whatever the batch size.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

from nn.build import check_l2, check_sizes, layer_activations, layers_of, new_layers, optimizer_of
from nn.cost import Cost, check_output, get_cost
from nn.i18n import text as text_of
from nn.initializers import get_initializer
from nn.layer import Layer
from nn.metrics import accuracy_of, confusion_counts, is_correct, is_right
from nn.neuron import Neuron
from nn.optimizers import state_is_finite
from nn.optimizing import OptimizerSteps
from nn.validation import check_parameters, is_count

__all__ = ["Example", "Network", "is_correct"]  # is_correct: the page's run reads it here

# One training example: inputs x and targets t (one per output).
Example = tuple[Sequence[float], Sequence[float]]


class Network(OptimizerSteps):
    """A fully connected network of ``Neuron``s, trained one example at a time by its
    optimizer (``nn.optimizers``; its steps and state: ``nn.optimizing``).

    sizes: [n_inputs, hidden..., n_outputs].
    activation: for every layer; output_activation (None: same) for the last.
    activations: one name per layer, overriding both of the above.
    activate_output: False makes the output layer use the notebook's
        ``activate=False`` (y = z).
    seed: weights are drawn from ``random.Random(seed)``, layer by layer, neuron
        by neuron, so the same seed gives the same network (None: a fresh one).
    init: the initialisation scheme (see ``nn.initializers``).
    cost: a name from ``nn.COSTS``. "softmax-cross-entropy" makes the output
        layer a softmax layer of linear neurons (the default output activation
        then is linear); "cross-entropy" needs one sigmoid output.
    l2: lambda of L2 weight decay, from 0 to 1 (see the module docstring).
    neuron_class: makes the neurons: ``nn.Neuron``, or a class made by
        ``nn.learner_neuron_class`` to train with the learner's own code.
    optimizer: a name from ``nn.OPTIMIZERS``, with optimizer_options its hyperparameters by
        name (e.g. {"momentum": 0.9}; others their defaults): see ``use_optimizer``.
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
        cost: str = "squared",
        l2: float = 0.0,
        neuron_class: type[Neuron] = Neuron,
        optimizer: str = "sgd",
        optimizer_options: Mapping[str, float] | None = None,
    ) -> None:
        sizes = check_sizes(sizes)
        the_cost = get_cost(cost)
        if the_cost.softmax and output_activation is None and activations is None:
            output_activation = "linear"  # softmax reads the output neurons' z
        names = layer_activations(len(sizes) - 1, activation, output_activation, activations)
        check_output(the_cost, sizes[-1], names[-1], activate_output)
        get_initializer(init)
        self.layers = new_layers(
            sizes, names, seed, init, activate_output, the_cost.softmax, neuron_class
        )
        self.activate_output = activate_output  # False: output y = z
        self.cost: Cost = the_cost  # C with its derivative
        self.l2 = check_l2(l2)  # lambda: each example's cost has + lambda * sum w^2
        self.dcost_dx: list[float] = []  # dC/dx for the network's input, by backprop()
        self.use_optimizer(optimizer, optimizer_options)  # ValueError if it doesn't fit

    @classmethod
    def from_layers(cls, layers: list[Layer], cost: str = "squared", l2: float = 0.0) -> Network:
        """A network made of the given layers (used by ``from_dict``), trained by sgd.

        The output layer must suit ``cost`` (a softmax layer for the softmax cost)."""
        if not layers:
            raise ValueError("a network needs 1 or more layers")
        for below, above in itertools.pairwise(layers):
            if above.isize != len(below.neurons):
                raise ValueError("each layer's input size must match the layer below")
        the_cost, out = get_cost(cost), layers[-1]
        check_output(the_cost, len(out.neurons), out.activation, out.activate)
        if out.softmax != the_cost.softmax or any(layer.softmax for layer in layers[:-1]):
            raise ValueError(f"only the output layer of a {cost} network is a softmax layer")
        network = cls.__new__(cls)
        network.layers = layers
        network.activate_output = layers[-1].activate
        network.cost, network.l2 = the_cost, check_l2(l2)
        network.dcost_dx = []
        network.use_optimizer("sgd")
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

    def penalty(self) -> float:
        """The L2 term lambda * sum of w^2 over every weight (biases excluded)."""
        if not self.l2:
            return 0.0
        weights = (w for layer in self.layers for n in layer.neurons for w in n.weight)
        return self.l2 * sum(w * w for w in weights)

    def cost_of(self, outputs: list[float], target: Sequence[float]) -> float:
        """C for the outputs of the last forward pass, without the L2 term."""
        zs = [neuron.z for neuron in self.layers[-1].neurons]
        return self.cost.fn(outputs, target, zs)  # checks there is one target per output

    def cost_and_answer(
        self, x: Sequence[float], target: Sequence[float], threshold: float = 0.5
    ) -> tuple[float, bool | None]:
        """One forward pass: C without the L2 term (what ``mean_cost`` averages) and whether
        the output is right as ``accuracy`` reads it (None: the target can't be read so)."""
        y = self.forward(x)
        return self.cost_of(y, target), is_right(y, target, threshold, self.cost.softmax)

    def example_cost(self, x: Sequence[float], target: Sequence[float]) -> float:
        """The cost of one example at the current weights: C + lambda * sum w^2."""
        return self.cost_of(self.forward(x), target) + self.penalty()

    def backprop(self, x: Sequence[float], target: Sequence[float]) -> float:
        """Forward x, then store every neuron's gradients; weights unchanged.

        Returns the example's cost at the current weights: C (e.g. sum (y - t)^2)
        plus lambda * sum w^2. The neurons' dC/dw hold the gradient of C alone;
        ``gradient()`` adds the L2 term 2 lambda w.
        """
        outputs = self.forward(x)
        cost = self.cost_of(outputs, target)
        out = self.layers[-1]
        zs = [neuron.z for neuron in out.neurons]
        # dC/dy per output neuron; for softmax, dC/dz (its neurons output z, so it is their dC/dy)
        dcost_dy = self.cost.deriv(outputs, target, zs)
        dcost_dz = None
        if not out.softmax and out.activate and out.activation in self.cost.simplifies_to_y_minus_t:
            dcost_dz = [y - t for y, t in zip(outputs, target, strict=True)]  # exact dC/dz
        dcost_dy = out.compute_gradients(dcost_dy, dcost_dz)
        for layer in reversed(self.layers[:-1]):
            dcost_dy = layer.compute_gradients(dcost_dy)
        self.dcost_dx = dcost_dy
        return cost + self.penalty()  # + 0.0 without L2: the same float

    def gradient(self) -> list[float]:
        """dC/dw + 2 lambda w and dC/db from the last ``backprop``, in ``parameters()`` order."""
        return [
            value
            for layer in self.layers
            for n in layer.neurons
            for value in (*self.decayed(n.dcost_dw, n.weight), n.dcost_db)
        ]

    def train_step(
        self, x: Sequence[float], target: Sequence[float], learning_rate: float
    ) -> float:
        """One gradient-descent step on one example; returns its cost before it.

        All gradients are computed before any weight moves.
        """
        if self.optimizer.name != "sgd":
            return self.optimizer_step([(x, target)], learning_rate)[0]
        cost = self.backprop(x, target)
        for layer in self.layers:
            if not self.l2:
                layer.apply_update(learning_rate)  # the notebook's step, float for float
                continue
            for n in layer.neurons:
                n.apply_gradient(self.decayed(n.dcost_dw, n.weight), n.dcost_db, learning_rate)
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
        if self.optimizer.name != "sgd":
            return self.optimizer_step(batch, learning_rate)
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
            mean_dw = self.decayed([s / count for s in sum_dw[k]], neuron.weight)
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
        """Mean cost over ``examples`` at the current weights (no update):
        the mean C plus lambda * sum w^2."""
        examples = _nonempty(examples)
        costs = [self.cost_of(self.forward(x), t) for x, t in examples]
        return sum(costs) / len(costs) + self.penalty()

    def accuracy(self, examples: Sequence[Example], threshold: float = 0.5) -> float:
        """Fraction of examples whose every output, read as 1 if y >= threshold
        else 0, equals its 0/1 target. A nan output counts as wrong.

        Under the softmax cost, an example is right when the predicted class
        (the argmax of y) is the one of its one-hot target.
        """
        pairs = ((self.forward(x), t) for x, t in _nonempty(examples))
        return accuracy_of(pairs, threshold, self.cost.softmax)

    def confusion_matrix(
        self, examples: Sequence[Example], threshold: float = 0.5
    ) -> list[list[int]]:
        """Counts ``matrix[actual][predicted]`` over ``examples`` (see ``nn.metrics``):
        2 x 2 for one output (targets 0 or 1), k x k for k outputs (one-hot targets).
        ``nn.class_accuracy`` of it gives each class's accuracy."""
        return confusion_counts([(self.forward(x), t) for x, t in examples], threshold)

    def evaluate(
        self, examples: Sequence[Example], threshold: float = 0.5
    ) -> tuple[float, float | None]:
        """(``mean_cost``, ``accuracy``) with one forward pass per example.

        The same floats as those two methods; the accuracy is None when a
        target is not 0 or 1 (accuracy then makes no sense).
        """
        costs, answers = zip(
            *(self.cost_and_answer(x, t, threshold) for x, t in _nonempty(examples)), strict=True
        )
        readable = None not in answers
        accuracy = sum(map(bool, answers)) / len(answers) if readable else None
        return sum(costs) / len(costs) + self.penalty(), accuracy

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
            text_of("check.neuron_of", layer=k, neuron=j)
            for k, layer in enumerate(self.layers)
            for j in range(len(layer.neurons))
        ]
        numbers = check_parameters(values, [n.isize for n in neurons], names)
        start = 0
        for neuron in neurons:
            neuron.set_parameters(numbers[start : start + neuron.isize + 1])
            start += neuron.isize + 1

    def is_finite(self) -> bool:
        """False once any weight or bias, or the optimizer's state, is inf or nan."""
        return all(map(math.isfinite, self.parameters())) and state_is_finite(self.optimizer_state)

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
            "cost": self.cost.name,
            "l2": self.l2,
            **self.optimizer_data(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], neuron_class: type[Neuron] = Neuron) -> Network:
        """The network described by ``data`` (as made by ``to_dict``), of ``neuron_class``.

        ValueError, saying what is wrong, for bad shapes, types, numbers that
        are not finite or unknown activations. "cost" and "l2" may be left out
        (data saved before they existed): squared and 0; so may the optimizer's keys.
        """
        network = cls.from_layers(*layers_of(data, neuron_class))
        network.use_optimizer(*optimizer_of(data))
        return network

    def __repr__(self) -> str:
        return (
            f"Network(sizes={self.sizes}, activations={self.activations}, "
            f"activate_output={self.activate_output}"
            + (f", cost={self.cost.name!r}" if self.cost.name != "squared" else "")
            + (f", l2={self.l2!r}" if self.l2 else "")
            + (f", optimizer={self.optimizer.name!r})" if self.optimizer.name != "sgd" else ")")
        )


def _nonempty(examples: Sequence[Example]) -> list[Example]:
    """A copy of ``examples`` as a list; ValueError if there are none."""
    order = list(examples)
    if not order:
        raise ValueError("There are no examples to train on: add at least one to the training set.")
    return order
