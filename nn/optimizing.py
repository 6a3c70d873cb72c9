"""How a network takes one step of its optimizer (see ``nn.optimizers`` for the rules).

``Network`` inherits these methods. For every optimizer but the notebook's plain gradient
descent (which keeps its float-for-float path in ``Network.train_step``), a step is:

    g = the mean over the batch of dC/dw and dC/db (perceptron: of -(t - y) x and -(t - y)),
    g_w += 2 lambda w for every weight under L2 (biases are not decayed),
    d, state = optimizer.update(state, g, options),
    every parameter w -= learning_rate * d.

The optimizer's state (step count t, velocities, moments) is the network's: ``checkpoint``
and ``restore`` take it back with the weights, ``optimizer_data`` saves it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from nn.optimizers import Optimizer, State, check_options, check_state, get_optimizer

if TYPE_CHECKING:
    from nn.layer import Layer

# The weights and biases (``parameters()``) with the optimizer's state, to go back to.
Checkpoint = tuple[list[float], State]


def copy_state(state: Mapping[str, Any]) -> State:
    """A copy of an optimizer's state whose lists nobody else holds."""
    return {key: list(value) if isinstance(value, list) else value for key, value in state.items()}


class OptimizerSteps:
    """The optimizer's part of a ``Network``: its steps, its state, saving and restoring it."""

    layers: list[Layer]
    l2: float
    optimizer: Optimizer  # how a step moves the weights
    optimizer_options: dict[str, float]  # its hyperparameters by name
    optimizer_state: State  # step count t, velocities, moments

    # Network's own methods, used here
    def backprop(self, x: Sequence[float], target: Sequence[float]) -> float: ...
    def parameters(self) -> list[float]: ...
    def set_parameters(self, values: Sequence[float]) -> None: ...

    def use_optimizer(
        self,
        name: str,
        options: Mapping[str, float] | None = None,
        state: Mapping[str, Any] | None = None,
    ) -> None:
        """Train with the optimizer called ``name`` from now on, with ``options`` (the rest
        their defaults) and ``state`` (None: a fresh one). ValueError, saying what fits, if
        it can't train this network; the network is then unchanged."""
        optimizer = get_optimizer(name)
        checked = check_options(optimizer, options)
        out = self.layers[-1]
        optimizer.fit([layer.activation for layer in self.layers], out.activate, len(out.neurons))
        count = sum(len(layer.neurons) * (layer.isize + 1) for layer in self.layers)
        fresh = check_state(optimizer, state or {}, count)
        self.optimizer, self.optimizer_options, self.optimizer_state = optimizer, checked, fresh

    def optimizer_step(
        self, batch: Sequence[tuple[Sequence[float], Sequence[float]]], learning_rate: float
    ) -> list[float]:
        """One step of the optimizer against the mean gradient of ``batch`` (for the
        perceptron, the mean of -(t - y) x); each example's cost before it."""
        costs: list[float] = []
        total: list[float] = []
        for x, target in batch:
            costs.append(self.backprop(x, target))
            gradient = self.example_gradient(target)
            total = gradient if not total else [s + g for s, g in zip(total, gradient, strict=True)]
        count = len(batch)
        self.apply_optimizer(total if count == 1 else [s / count for s in total], learning_rate)
        return costs

    def example_gradient(self, target: Sequence[float]) -> list[float]:
        """What the optimizer steps against for the example of the last ``backprop``, without
        the L2 term, in ``parameters()`` order: dC/dw and dC/db of every neuron, or, for the
        perceptron rule, -(t - y) x and -(t - y) (so that w - eta g = w + eta (t - y) x).

        ValueError when the perceptron's target is not 0 or 1."""
        if self.optimizer.gradient_based:
            return [
                value
                for layer in self.layers
                for n in layer.neurons
                for value in (*n.dcost_dw, n.dcost_db)
            ]
        (neuron,) = self.layers[-1].neurons
        (t,) = target
        if t not in (0, 1):
            raise ValueError(
                f"The perceptron rule needs targets of 0 or 1, got {t!r}: choose a yes/no task "
                "such as odd, majority or greater."
            )
        error = t - neuron.y  # t - y: 1, 0 or -1
        return [-error * xi for xi in neuron.x] + [-error]

    def decayed(self, dcost_dw: Sequence[float], weight: Sequence[float]) -> list[float]:
        """dC/dw + 2 lambda w for one neuron: the gradient of C + lambda * sum w^2, as
        ``torch.optim``'s ``weight_decay`` = 2 lambda adds it. The L2 term's one home."""
        decay = 2 * self.l2
        if not decay:
            return list(dcost_dw)
        return [g + decay * w for g, w in zip(dcost_dw, weight, strict=True)]

    def with_weight_decay(self, gradient: Sequence[float]) -> list[float]:
        """``gradient`` (``parameters()`` order, without L2) with 2 lambda w added to each
        weight's entry; the biases' entries are not decayed."""
        result: list[float] = []
        start = 0
        for neuron in (neuron for layer in self.layers for neuron in layer.neurons):
            stop = start + neuron.isize
            result += self.decayed(gradient[start:stop], neuron.weight)
            result.append(gradient[stop])
            start = stop + 1
        return result

    def apply_optimizer(self, gradient: Sequence[float], learning_rate: float) -> None:
        """One step of the optimizer against ``gradient`` (``parameters()`` order, without
        L2): 2 lambda w is added to each weight's entry, then each parameter moves by
        -learning_rate * d for the optimizer's direction d, and its state moves on."""
        direction, self.optimizer_state = self.optimizer.update(
            self.optimizer_state, self.with_weight_decay(gradient), self.optimizer_options
        )
        neurons = [neuron for layer in self.layers for neuron in layer.neurons]
        start = 0
        for neuron in neurons:
            stop = start + neuron.isize
            neuron.apply_gradient(direction[start:stop], direction[stop], learning_rate)
            start = stop + 1

    def reset_optimizer(self) -> None:
        """Forget the optimizer's state: step count 0, no velocity or moments."""
        self.optimizer_state = {"step": 0}

    def checkpoint(self) -> Checkpoint:
        """The weights and biases with a copy of the optimizer's state, for ``restore``."""
        return self.parameters(), copy_state(self.optimizer_state)

    def restore(self, checkpoint: Checkpoint) -> None:
        """Back to a ``checkpoint``: its weights and biases and its optimizer state."""
        parameters, state = checkpoint
        self.set_parameters(parameters)
        self.optimizer_state = copy_state(state)

    def optimizer_data(self) -> dict[str, Any]:
        """The optimizer, its options and its state as JSON-safe data for ``to_dict`` (none
        for plain gradient descent, which keeps no state: files saved before optimizers)."""
        if self.optimizer.name == "sgd":
            return {}
        return {
            "optimizer": self.optimizer.name,
            "optimizer_options": dict(self.optimizer_options),
            "optimizer_state": copy_state(self.optimizer_state),
        }
