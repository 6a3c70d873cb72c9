"""Backpropagation against central finite differences, for every parameter.

For each weight w (and bias b, and input x_i) we nudge it by ±h, measure the
cost C on both sides, and compare (C(+h) - C(-h)) / 2h with the dC/dw that
``Network.backprop`` stored. Relu's kink at z = 0 is avoided by picking inputs
whose every z is well away from 0.
"""

from __future__ import annotations

import math
import random

import pytest

import nn

H = 1e-6
SHAPES = [[3, 1], [3, 4, 1], [5, 3, 2, 2], [8, 8, 1]]
# name -> (activations for a network with this many layers, activate_output)
MIXES = {
    "sigmoid": (lambda n: ["sigmoid"] * n, True),
    "tanh": (lambda n: ["tanh"] * n, True),
    "relu-sigmoid": (lambda n: [*["relu"] * (n - 1), "sigmoid"], True),
    "tanh-relu-linear": (lambda n: [*(["tanh", "relu"] * n)[: n - 1], "linear"], True),
    "relu-unactivated": (lambda n: ["relu"] * n, False),
    "sigmoid-unactivated": (lambda n: ["sigmoid"] * n, False),
}


def cost_at(network: nn.Network, x: list[float], target: list[float]) -> float:
    return nn.squared_error(network.forward(x), target)


def every_z(network: nn.Network, x: list[float]) -> list[float]:
    network.forward(x)
    return [n.z for layer in network.layers for n in layer.neurons]


def build(shape: list[int], mix: str, seed: int) -> tuple[nn.Network, list[float], list[float]]:
    """A network, an input whose every |z| > 0.01 (clear of relu's kink), and a target."""
    names, activate_output = MIXES[mix]
    network = nn.Network(
        shape, activations=names(len(shape) - 1), seed=seed, activate_output=activate_output
    )
    rng = random.Random(seed)
    for _ in range(1000):
        x = [rng.uniform(-1, 1) for _ in range(shape[0])]
        if all(abs(z) > 0.01 for z in every_z(network, x)):
            break
    else:
        pytest.fail("no input keeps every z away from 0")
    return network, x, [rng.random() for _ in range(shape[-1])]


def assert_close(analytic: float, numeric: float, what: str) -> None:
    assert math.isclose(analytic, numeric, rel_tol=1e-5, abs_tol=1e-8), (what, analytic, numeric)


@pytest.mark.parametrize("mix", sorted(MIXES))
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backprop_gradients_match_central_differences(shape: list[int], mix: str) -> None:
    network, x, target = build(shape, mix, seed=sum(shape) + len(mix))
    before = network.parameters()
    cost = network.backprop(x, target)
    assert network.parameters() == before  # backprop does not update
    assert cost == cost_at(network, x, target)
    largest = 0.0
    for k, layer in enumerate(network.layers):
        for j, neuron in enumerate(layer.neurons):
            dcost_dw, dcost_db = list(neuron.dcost_dw), neuron.dcost_db
            for i in range(neuron.isize):
                w = neuron.weight[i]
                neuron.weight[i] = w + H
                up = cost_at(network, x, target)
                neuron.weight[i] = w - H
                down = cost_at(network, x, target)
                neuron.weight[i] = w
                assert_close(dcost_dw[i], (up - down) / (2 * H), f"layer {k} neuron {j} w{i}")
                largest = max(largest, abs(dcost_dw[i]))
            b = neuron.bias
            neuron.bias = b + H
            up = cost_at(network, x, target)
            neuron.bias = b - H
            down = cost_at(network, x, target)
            neuron.bias = b
            assert_close(dcost_db, (up - down) / (2 * H), f"layer {k} neuron {j} b")
    for i in range(len(x)):
        nudged = list(x)
        nudged[i] = x[i] + H
        up = cost_at(network, nudged, target)
        nudged[i] = x[i] - H
        down = cost_at(network, nudged, target)
        assert_close(network.dcost_dx[i], (up - down) / (2 * H), f"x{i}")
    assert largest > 1e-4  # the check compared real, non-zero gradients


@pytest.mark.parametrize("activation", sorted(nn.ACTIVATIONS))
def test_single_neuron_gradients_match_central_differences(activation: str) -> None:
    n = nn.Neuron(4, activation, weight=[0.3, -0.7, 0.2, 0.9], bias=0.1)
    x, t = [0.5, 0.25, -1.0, 0.75], 0.2

    def cost() -> float:
        return nn.squared_error([n.forward(x)], [t])

    n.forward(x)
    dcost_dx = n.compute_gradients(x, nn.squared_error_deriv(n.y, t))
    for i in range(4):
        w = n.weight[i]
        n.weight[i] = w + H
        up = cost()
        n.weight[i] = w - H
        down = cost()
        n.weight[i] = w
        assert_close(n.dcost_dw[i], (up - down) / (2 * H), f"w{i}")
        xi = x[i]
        x[i] = xi + H
        up = cost()
        x[i] = xi - H
        down = cost()
        x[i] = xi
        assert_close(dcost_dx[i], (up - down) / (2 * H), f"x{i}")
    b = n.bias
    n.bias = b + H
    up = cost()
    n.bias = b - H
    down = cost()
    assert_close(n.dcost_db, (up - down) / (2 * H), "b")


# cost -> (sizes, activations) that fit it; targets drawn to suit (0/1, fractions, one-hot)
COST_NETWORKS = {
    "squared": ([3, 4, 2], ["tanh", "sigmoid"]),
    "cross-entropy": ([3, 4, 1], ["tanh", "sigmoid"]),
    "softmax-cross-entropy-3": ([3, 4, 3], ["sigmoid", "linear"]),
    "softmax-cross-entropy-5": ([4, 6, 5], ["tanh", "linear"]),
}


def cost_network(case: str, l2: float, seed: int) -> tuple[nn.Network, list[float], list[float]]:
    sizes, names = COST_NETWORKS[case]
    cost = case.rsplit("-", 1)[0] if case[-1].isdigit() else case
    network = nn.Network(sizes, activations=names, seed=seed, cost=cost, l2=l2)
    rng = random.Random(seed)
    x = [rng.uniform(-1, 1) for _ in range(sizes[0])]
    if cost == "softmax-cross-entropy":
        target = nn.one_hot(rng.randrange(sizes[-1]), sizes[-1])
    else:
        target = [rng.choice([0.0, 1.0, rng.random()]) for _ in range(sizes[-1])]
    return network, x, target


@pytest.mark.parametrize("l2", [0.0, 0.01, 0.3], ids=["no-l2", "l2-0.01", "l2-0.3"])
@pytest.mark.parametrize("case", sorted(COST_NETWORKS))
def test_every_cost_and_l2_gradient_matches_central_differences(case: str, l2: float) -> None:
    """gradient() (dC/dw + 2 lambda w, dC/db) and dC/dx against C + lambda sum w^2."""
    for seed in range(3):
        network, x, target = cost_network(case, l2, seed)
        cost = network.backprop(x, target)
        assert cost == network.example_cost(x, target)
        analytic = network.gradient()
        values = network.parameters()
        for p, g in enumerate(analytic):
            nudged = list(values)
            nudged[p] = values[p] + H
            network.set_parameters(nudged)
            up = network.example_cost(x, target)
            nudged[p] = values[p] - H
            network.set_parameters(nudged)
            down = network.example_cost(x, target)
            assert_close(g, (up - down) / (2 * H), f"{case} parameter {p}")
        network.set_parameters(values)
        for i in range(len(x)):
            nudged_x = list(x)
            nudged_x[i] = x[i] + H
            up = network.example_cost(nudged_x, target)
            nudged_x[i] = x[i] - H
            down = network.example_cost(nudged_x, target)
            assert_close(network.dcost_dx[i], (up - down) / (2 * H), f"{case} x{i}")
        assert max(map(abs, analytic)) > 1e-4


def test_the_l2_term_is_2_lambda_w_on_weights_and_nothing_on_biases() -> None:
    plain = nn.Network([3, 2, 1], seed=4)
    decayed = nn.Network([3, 2, 1], seed=4, l2=0.25)
    x, t = [1.0, 0.0, 1.0], [1.0]
    plain.backprop(x, t)
    decayed.backprop(x, t)
    weights = [n.weight for layer in plain.layers for n in layer.neurons]
    expected = []
    for layer in plain.layers:
        for n in layer.neurons:
            expected += [g + 0.5 * w for g, w in zip(n.dcost_dw, n.weight, strict=True)]
            expected.append(n.dcost_db)
    assert decayed.gradient() == expected
    assert decayed.penalty() == 0.25 * sum(w * w for ws in weights for w in ws)
