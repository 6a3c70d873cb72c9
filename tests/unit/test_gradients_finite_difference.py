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
