"""nn.Network against an independent numpy implementation in matrix form.

The oracle below shares no code with ``nn``: it reads the starting weights
off the network, then runs its own forward pass, backpropagation and
(mini-batch) gradient descent with numpy arrays:

    z_l = W_l a_{l-1} + b_l,   a_l = f_l(z_l)          (a_0 = x)
    delta_L = 2 (a_L - t) * f_L'(z_L)                   (dC/dz, output layer)
    delta_l = (W_{l+1}^T delta_{l+1}) * f_l'(z_l)       (dC/dz, hidden layers)
    dC/dW_l = outer(delta_l, a_{l-1}),  dC/db_l = delta_l,  dC/dx = W_1^T delta_1
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pytest

import nn

Array = np.ndarray
NumpyActivation = tuple[Callable[[Array], Array], Callable[[Array], Array]]

NP_ACTIVATIONS: dict[str, NumpyActivation] = {
    "sigmoid": (
        lambda z: 1.0 / (1.0 + np.exp(-z)),
        lambda z: np.exp(-z) / (1.0 + np.exp(-z)) ** 2,
    ),
    "tanh": (np.tanh, lambda z: 1.0 / np.cosh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "linear": (lambda z: z, np.ones_like),
}
IDENTITY: NumpyActivation = (lambda z: z, np.ones_like)

SHAPES = [[3, 1], [3, 4, 1], [5, 3, 2, 2]]
MIXES = {
    "sigmoid": (lambda n: ["sigmoid"] * n, True),
    "tanh": (lambda n: ["tanh"] * n, True),
    "relu-sigmoid": (lambda n: [*["relu"] * (n - 1), "sigmoid"], True),
    "tanh-relu-linear": (lambda n: [*(["tanh", "relu"] * n)[: n - 1], "linear"], True),
    "sigmoid-unactivated": (lambda n: ["sigmoid"] * n, False),
}
TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}


class Oracle:
    """Weights W_l (n_out x n_in) and biases b_l, with their own training."""

    def __init__(self, network: nn.Network, names: list[str], activate_output: bool) -> None:
        self.W = [np.array([n.weight for n in layer.neurons]) for layer in network.layers]
        self.b = [np.array([n.bias for n in layer.neurons]) for layer in network.layers]
        self.f = [NP_ACTIVATIONS[name] for name in names]
        if not activate_output:
            self.f[-1] = IDENTITY

    def forward(self, x: Array) -> tuple[list[Array], list[Array]]:
        """Pre-activations z_l and activations a_l (a_0 = x)."""
        zs, activations = [], [x]
        for W, b, (f, _) in zip(self.W, self.b, self.f, strict=True):
            zs.append(W @ activations[-1] + b)
            activations.append(f(zs[-1]))
        return zs, activations

    def gradients(self, x: Array, t: Array) -> tuple[float, list[Array], list[Array], Array]:
        """Cost C, dC/dW_l, dC/db_l and dC/dx for one example."""
        zs, a = self.forward(x)
        cost = float(np.sum((a[-1] - t) ** 2))
        delta = 2 * (a[-1] - t) * self.f[-1][1](zs[-1])
        dW: list[Array] = [np.empty(0)] * len(self.W)
        db: list[Array] = [np.empty(0)] * len(self.W)
        for k in reversed(range(len(self.W))):
            dW[k] = np.outer(delta, a[k])
            db[k] = delta
            dx = self.W[k].T @ delta
            if k > 0:
                delta = dx * self.f[k - 1][1](zs[k - 1])
        return cost, dW, db, dx

    def train_epoch(self, examples: list[tuple[Array, Array]], lr: float, batch: int) -> float:
        costs = []
        for start in range(0, len(examples), batch):
            chunk = [self.gradients(x, t) for x, t in examples[start : start + batch]]
            costs += [c for c, _, _, _ in chunk]
            for k in range(len(self.W)):
                self.W[k] = self.W[k] - lr * np.mean([g[1][k] for g in chunk], axis=0)
                self.b[k] = self.b[k] - lr * np.mean([g[2][k] for g in chunk], axis=0)
        return float(np.mean(costs))


def weights_of(network: nn.Network) -> list[Array]:
    return [np.array([[*n.weight, n.bias] for n in layer.neurons]) for layer in network.layers]


def oracle_weights(oracle: Oracle) -> list[Array]:
    return [np.column_stack([W, b]) for W, b in zip(oracle.W, oracle.b, strict=True)]


def setup(
    shape: list[int], mix: str, init: str, seed: int = 0
) -> tuple[nn.Network, Oracle, list[tuple[list[float], list[float]]]]:
    names_for, activate_output = MIXES[mix]
    names = names_for(len(shape) - 1)
    network = nn.Network(
        shape, activations=names, seed=seed, init=init, activate_output=activate_output
    )
    rng = random.Random(seed + 1)
    examples = [
        ([rng.choice([0, 1, rng.uniform(-1, 1)]) for _ in range(shape[0])],
         [rng.random() for _ in range(shape[-1])])
        for _ in range(8)
    ]  # fmt: skip
    return network, Oracle(network, names, activate_output), examples


def as_arrays(examples: list[tuple[list[float], list[float]]]) -> list[tuple[Array, Array]]:
    return [(np.array(x, dtype=float), np.array(t, dtype=float)) for x, t in examples]


@pytest.mark.parametrize("init", sorted(nn.INITIALIZERS))
@pytest.mark.parametrize("mix", sorted(MIXES))
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_forward_and_backprop_gradients_agree_with_numpy(
    shape: list[int], mix: str, init: str
) -> None:
    network, oracle, examples = setup(shape, mix, init)
    for (x, t), (xa, ta) in zip(examples, as_arrays(examples), strict=True):
        _, activations = oracle.forward(xa)
        np.testing.assert_allclose(network.forward(x), activations[-1], **TOLERANCE)
        cost, dW, db, dx = oracle.gradients(xa, ta)
        assert network.backprop(x, t) == pytest.approx(cost, rel=1e-9, abs=1e-9)
        for k, layer in enumerate(network.layers):
            np.testing.assert_allclose([n.dcost_dw for n in layer.neurons], dW[k], **TOLERANCE)
            np.testing.assert_allclose([n.dcost_db for n in layer.neurons], db[k], **TOLERANCE)
        np.testing.assert_allclose(network.dcost_dx, dx, **TOLERANCE)


@pytest.mark.parametrize("batch_size", [1, 3, 8], ids=["batch1", "batch3", "fullbatch"])
@pytest.mark.parametrize("init", sorted(nn.INITIALIZERS))
@pytest.mark.parametrize("mix", sorted(MIXES))
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_training_epochs_agree_with_numpy(
    shape: list[int], mix: str, init: str, batch_size: int
) -> None:
    network, oracle, examples = setup(shape, mix, init)
    start = weights_of(network)
    for _ in range(2):
        cost = network.train_epoch(examples, 0.1, batch_size=batch_size)
        expected = oracle.train_epoch(as_arrays(examples), 0.1, batch_size)
        assert cost == pytest.approx(expected, rel=1e-9, abs=1e-9)
        for ours, theirs in zip(weights_of(network), oracle_weights(oracle), strict=True):
            np.testing.assert_allclose(ours, theirs, **TOLERANCE)
    assert any(not np.array_equal(a, b) for a, b in zip(start, weights_of(network), strict=True))


# The costs and L2, in the same matrix form (lambda the L2 weight):
#   cross-entropy:          a_L = sigmoid(z_L), C = -[t ln a + (1 - t) ln(1 - a)], delta_L = a_L - t
#   softmax-cross-entropy:  a_L = e^z / sum e^z, C = -sum t ln a_L,               delta_L = a_L - t
#   L2:                     C += lambda sum ||W_l||^2,  dC/dW_l += 2 lambda W_l
COST_CASES = {
    "squared": ([3, 4, 2], ["tanh", "sigmoid"]),
    "cross-entropy": ([3, 4, 1], ["relu", "sigmoid"]),
    "softmax-cross-entropy": ([4, 5, 3], ["sigmoid", "linear"]),
    "softmax-cross-entropy-5": ([3, 6, 4, 5], ["tanh", "sigmoid", "linear"]),
}


def np_softmax(z: Array) -> Array:
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


class CostOracle(Oracle):
    """The oracle with another cost and L2 weight decay."""

    def __init__(self, network: nn.Network, names: list[str], cost: str, l2: float) -> None:
        super().__init__(network, names, True)
        self.cost, self.l2 = cost, l2
        if cost == "softmax-cross-entropy":
            self.f[-1] = (np_softmax, np.ones_like)  # the derivative is folded into delta_L

    def gradients(self, x: Array, t: Array) -> tuple[float, list[Array], list[Array], Array]:
        zs, a = self.forward(x)
        if self.cost == "squared":
            cost = float(np.sum((a[-1] - t) ** 2))
            delta = 2 * (a[-1] - t) * self.f[-1][1](zs[-1])
        elif self.cost == "cross-entropy":
            cost = float(-np.sum(t * np.log(a[-1]) + (1 - t) * np.log(1 - a[-1])))
            delta = a[-1] - t
        else:
            cost = float(-np.sum(t * np.log(a[-1])))
            delta = a[-1] - t
        cost += self.l2 * sum(float(np.sum(W * W)) for W in self.W)
        dW: list[Array] = [np.empty(0)] * len(self.W)
        db: list[Array] = [np.empty(0)] * len(self.W)
        for k in reversed(range(len(self.W))):
            dW[k] = np.outer(delta, a[k]) + 2 * self.l2 * self.W[k]
            db[k] = delta
            dx = self.W[k].T @ delta
            if k > 0:
                delta = dx * self.f[k - 1][1](zs[k - 1])
        return cost, dW, db, dx


def cost_setup(
    case: str, l2: float, seed: int = 0
) -> tuple[nn.Network, CostOracle, list[tuple[list[float], list[float]]]]:
    shape, names = COST_CASES[case]
    cost = case.removesuffix("-5")
    network = nn.Network(shape, activations=names, seed=seed, cost=cost, l2=l2)
    rng = random.Random(seed + 1)
    examples = []
    for _ in range(8):
        x = [rng.choice([0, 1, rng.uniform(-1, 1)]) for _ in range(shape[0])]
        if cost == "softmax-cross-entropy":
            t = nn.one_hot(rng.randrange(shape[-1]), shape[-1])
        else:
            t = [rng.choice([0.0, 1.0, rng.random()]) for _ in range(shape[-1])]
        examples.append((x, t))
    return network, CostOracle(network, names, cost, l2), examples


@pytest.mark.parametrize("l2", [0.0, 0.05], ids=["no-l2", "l2"])
@pytest.mark.parametrize("case", sorted(COST_CASES))
def test_every_cost_and_l2_agree_with_numpy(case: str, l2: float) -> None:
    network, oracle, examples = cost_setup(case, l2)
    for (x, t), (xa, ta) in zip(examples, as_arrays(examples), strict=True):
        _, activations = oracle.forward(xa)
        np.testing.assert_allclose(network.forward(x), activations[-1], **TOLERANCE)
        cost, dW, db, dx = oracle.gradients(xa, ta)
        assert network.backprop(x, t) == pytest.approx(cost, rel=1e-9, abs=1e-9)
        gradient = network.gradient()
        expected = np.concatenate(
            [np.column_stack([W, b]).ravel() for W, b in zip(dW, db, strict=True)]
        )
        np.testing.assert_allclose(gradient, expected, **TOLERANCE)
        np.testing.assert_allclose(network.dcost_dx, dx, **TOLERANCE)


@pytest.mark.parametrize("batch_size", [1, 3, 8], ids=["batch1", "batch3", "fullbatch"])
@pytest.mark.parametrize("l2", [0.0, 0.05], ids=["no-l2", "l2"])
@pytest.mark.parametrize("case", sorted(COST_CASES))
def test_training_with_every_cost_and_l2_agrees_with_numpy(
    case: str, l2: float, batch_size: int
) -> None:
    network, oracle, examples = cost_setup(case, l2)
    for _ in range(2):
        cost = network.train_epoch(examples, 0.1, batch_size=batch_size)
        expected = oracle.train_epoch(as_arrays(examples), 0.1, batch_size)
        assert cost == pytest.approx(expected, rel=1e-9, abs=1e-9)
        for ours, theirs in zip(weights_of(network), oracle_weights(oracle), strict=True):
            np.testing.assert_allclose(ours, theirs, **TOLERANCE)
    mean = np.mean([oracle.gradients(xa, ta)[0] for xa, ta in as_arrays(examples)])
    assert network.mean_cost(examples) == pytest.approx(float(mean), rel=1e-9, abs=1e-9)
