"""nn's optimizers against PyTorch's documented algorithms, written out in numpy, and the
perceptron rule on the classic tasks.

The numpy oracle below shares no code with ``nn``: its gradients come from the matrix-form
``Oracle`` of test_network_numpy_oracle, and its updates are the pseudo-code of PyTorch's
documentation for ``torch.optim.SGD`` (momentum, dampening 0, no Nesterov) and
``torch.optim.Adam`` (no amsgrad), with ``weight_decay`` = 2 lambda on the weights only:

    SGD:   g <- g + wd theta;  b <- g (t = 1) or mu b + g;  theta <- theta - lr b
    Adam:  g <- g + wd theta;  m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
           m^ = m / (1 - b1^t);  v^ = v / (1 - b2^t);  theta <- theta - lr m^ / (sqrt(v^) + eps)

test_optimizers_torch.py checks the same runs against torch itself, where it is installed.
"""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
import pytest

import nn
from nn.optimizers import OPTIMIZERS
from tests.unit.test_network_numpy_oracle import Array, Oracle, as_arrays

STEPS = 30
TOLERANCE = {"rtol": 1e-12, "atol": 1e-12}
CASES = {
    "momentum": {"momentum": 0.9},
    "momentum-0.5": {"momentum": 0.5},
    "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "adam-other": {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
}


def examples_for(sizes: list[int], seed: int) -> list[tuple[list[float], list[float]]]:
    rng = random.Random(seed)
    return [
        ([rng.choice([0, 1]) for _ in range(sizes[0])], [rng.random() for _ in range(sizes[-1])])
        for _ in range(6)
    ]


class NumpyOptimizer:
    """PyTorch's documented SGD-with-momentum or Adam over the oracle's W_l and b_l."""

    def __init__(self, oracle: Oracle, name: str, options: dict[str, float], l2: float) -> None:
        self.oracle, self.name, self.options = oracle, name, options
        self.decay = 2 * l2  # torch's weight_decay, on the weights only
        self.t = 0
        self.buffers: list[list[Array]] = [
            [np.zeros_like(p) for p in (*oracle.W, *oracle.b)] for _ in range(2)
        ]

    def step(self, batch: list[tuple[Array, Array]], lr: float) -> None:
        grads = [self.oracle.gradients(x, t) for x, t in batch]
        count = len(self.oracle.W)
        params = [*self.oracle.W, *self.oracle.b]
        means = [np.mean([g[1][k] for g in grads], axis=0) for k in range(count)]
        means += [np.mean([g[2][k] for g in grads], axis=0) for k in range(count)]
        self.t += 1
        new = []
        for i, (theta, g) in enumerate(zip(params, means, strict=True)):
            if i < count:
                g = g + self.decay * theta
            if self.name.startswith("momentum"):
                mu = self.options["momentum"]
                b = g if self.t == 1 else mu * self.buffers[0][i] + g
                self.buffers[0][i] = b
                new.append(theta - lr * b)
            else:
                b1, b2, eps = (self.options[k] for k in ("beta1", "beta2", "eps"))
                m = b1 * self.buffers[0][i] + (1 - b1) * g
                v = b2 * self.buffers[1][i] + (1 - b2) * g * g
                self.buffers[0][i], self.buffers[1][i] = m, v
                m_hat, v_hat = m / (1 - b1**self.t), v / (1 - b2**self.t)
                new.append(theta - lr * m_hat / (np.sqrt(v_hat) + eps))
        self.oracle.W, self.oracle.b = new[:count], new[count:]

    def parameters(self) -> Array:
        return np.concatenate(
            [
                np.column_stack([W, b]).ravel()
                for W, b in zip(self.oracle.W, self.oracle.b, strict=True)
            ]
        )


@pytest.mark.parametrize("batch_size", [1, 3])
@pytest.mark.parametrize("l2", [0.0, 0.01], ids=["no-l2", "l2"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_30_steps_follow_pytorchs_documented_algorithm(
    case: str, l2: float, batch_size: int
) -> None:
    name = case.split("-")[0]
    sizes = [4, 3, 2]
    network = nn.Network(
        sizes, activation="tanh", output_activation="sigmoid", seed=3, l2=l2,
        optimizer=name, optimizer_options=CASES[case],
    )  # fmt: skip
    oracle = Oracle(network, ["tanh", "sigmoid"], True)
    numpy_optimizer = NumpyOptimizer(oracle, name, CASES[case], l2)
    examples = examples_for(sizes, 5)
    arrays = as_arrays(examples)
    start = network.parameters()
    for step in range(STEPS):
        first = (step * batch_size) % len(examples)
        batch = slice(first, first + batch_size)
        network.train_batch(examples[batch], 0.05)
        numpy_optimizer.step(arrays[batch], 0.05)
        np.testing.assert_allclose(network.parameters(), numpy_optimizer.parameters(), **TOLERANCE)
    assert network.optimizer_state["step"] == STEPS
    assert max(abs(a - b) for a, b in zip(start, network.parameters(), strict=True)) > 1e-3


def test_sgd_by_name_is_the_default_float_for_float() -> None:
    examples = examples_for([3, 4, 1], 2)
    plain, named = (nn.Network([3, 4, 1], seed=1, **kw) for kw in ({}, {"optimizer": "sgd"}))
    for network in (plain, named):
        for _ in range(20):
            network.train_epoch(examples, 0.5, batch_size=2)
    assert plain.parameters() == named.parameters()
    assert "optimizer" not in named.to_dict()  # saved as before optimizers existed


def test_momentum_of_0_is_plain_gradient_descent() -> None:
    examples = examples_for([3, 1], 4)
    plain = nn.Network([3, 1], seed=2)
    zero = nn.Network([3, 1], seed=2, optimizer="momentum", optimizer_options={"momentum": 0})
    for x, t in examples * 5:
        plain.train_step(x, t, 0.3)
        zero.train_step(x, t, 0.3)
    assert zero.parameters() == pytest.approx(plain.parameters(), abs=1e-15)


def test_the_state_travels_with_the_network() -> None:
    """to_dict/from_dict (through JSON) and checkpoint/restore carry the step count and the
    moments: training on gives the same floats as a network that was never saved."""
    examples = examples_for([3, 2, 1], 7)
    network = nn.Network([3, 2, 1], seed=4, optimizer="adam", optimizer_options={"beta1": 0.8})
    for x, t in examples:
        network.train_step(x, t, 0.1)
    data = json.loads(json.dumps(network.to_dict()))
    assert data["optimizer"] == "adam" and data["optimizer_state"]["step"] == len(examples)
    assert data["optimizer_options"] == {"beta1": 0.8, "beta2": 0.999, "eps": 1e-8}
    copy = nn.Network.from_dict(data)
    point = network.checkpoint()
    for x, t in examples:
        network.train_step(x, t, 0.1)
        copy.train_step(x, t, 0.1)
    assert copy.parameters() == network.parameters()
    assert copy.optimizer_state == network.optimizer_state
    network.restore(point)
    assert network.parameters() == point[0] and network.optimizer_state == point[1]
    again = nn.Network.from_dict(data)
    for x, t in examples:
        network.train_step(x, t, 0.1)
        again.train_step(x, t, 0.1)
    assert again.parameters() == network.parameters()
    network.reset_optimizer()
    assert network.optimizer_state == {"step": 0}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'"),
        ({"optimizer_options": {"beta1": 2}}, r"β₁ \(beta1\) must be from 0 up to, not incl"),
        ({"optimizer_options": {"momentum": 0.9}}, "adam has no option momentum"),
        ({"optimizer_state": {"step": -1}}, "step must be a whole number"),
        ({"optimizer_state": {"step": 1, "m": [0.0]}}, "m must be a list of 11 numbers"),
        ({"optimizer_state": {"step": 1, "v": [-1.0] * 11}}, "can't be negative"),
        ({"optimizer_state": {"velocity": [0.0] * 11}}, "unknown keys velocity"),
    ],
)
def test_bad_saved_optimizers_are_refused_saying_what_is_wrong(
    change: dict[str, Any], message: str
) -> None:
    data = nn.Network([3, 2, 1], seed=1, optimizer="adam").to_dict() | change
    with pytest.raises(ValueError, match=message):
        nn.Network.from_dict(data)


def test_each_optimizer_names_its_hyperparameters_and_ranges() -> None:
    names = {name: [h.name for h in o.hyperparameters] for name, o in OPTIMIZERS.items()}
    assert names == {
        "sgd": [],
        "momentum": ["momentum"],
        "adam": ["beta1", "beta2", "eps"],
        "perceptron": [],
    }
    assert nn.Network([2, 1], optimizer="adam").optimizer_options == {
        "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
    }  # fmt: skip
    for value in (-0.1, 1, 1.5, float("nan"), True, "0.9"):
        with pytest.raises(ValueError, match="momentum"):
            nn.Network([2, 1], optimizer="momentum", optimizer_options={"momentum": value})


# ------------------------------------------------------------------ the perceptron


def task_examples(task: str, width: int) -> list[tuple[list[int], list[float]]]:
    return nn.all_examples(task, width, threshold=2 ** (width - 1) - 1)


def test_the_perceptron_learns_odd_and_stops_moving() -> None:
    examples = task_examples("odd", 4)
    network = nn.Network([4, 1], activation="step", seed=1, optimizer="perceptron")
    rng = random.Random(0)
    for _ in range(50):
        network.train_epoch(examples, 0.1, rng=rng)
        if network.accuracy(examples) == 1:
            break
    assert network.accuracy(examples) == 1
    settled = network.parameters()
    network.train_epoch(examples, 0.1, rng=rng)
    assert network.parameters() == settled  # t - y = 0 on every example: nothing moves


ONE_OUTPUT_CLASSIFICATIONS = [
    name for name, task in nn.TASKS.items() if task.is_classification and task.rule is not None
]


@pytest.mark.parametrize(
    "task", [name for name in ONE_OUTPUT_CLASSIFICATIONS if nn.TASKS[name].one_line_splits]
)
def test_the_perceptron_learns_the_tasks_a_line_separates(task: str) -> None:
    """What ``Task.one_line_splits`` says is true of the rule: one perceptron learns it."""
    examples = task_examples(task, 3)
    network = nn.Network([3, 1], activation="step", seed=2, optimizer="perceptron")
    for _ in range(200):
        network.train_epoch(examples, 0.1, rng=random.Random(1))
    assert network.accuracy(examples) == 1


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(
    "task", [name for name in ONE_OUTPUT_CLASSIFICATIONS if not nn.TASKS[name].one_line_splits]
)
def test_the_perceptron_never_learns_a_task_no_line_splits(task: str, seed: int) -> None:
    examples = task_examples(task, 3)
    network = nn.Network([3, 1], activation="step", seed=seed, optimizer="perceptron")
    rng = random.Random(seed)
    seen = set()
    for _ in range(300):
        network.train_epoch(examples, 0.1, rng=rng)
        assert network.accuracy(examples) < 1
        seen.add(tuple(network.parameters()))
    assert len(seen) > 1  # it never settles: the weights keep moving


def test_the_perceptron_rule_is_its_formula() -> None:
    network = nn.Network([3, 1], activation="step", seed=5, optimizer="perceptron")
    neuron = network.layers[0].neurons[0]
    before = neuron.parameters()
    x, t = [1, 0, 1], 1 - network.forward([1, 0, 1])[0]  # a wrong answer: it moves
    y = network.forward(x)[0]
    network.train_step(x, [t], 0.25)
    expected = [w + 0.25 * (t - y) * xi for w, xi in zip(before, [*x, 1], strict=True)]
    assert neuron.parameters() == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"sizes": [3, 1], "activation": "sigmoid"},
            "needs the step activation.*output is sigmoid",
        ),
        ({"sizes": [3, 2, 1], "activation": "step"}, "trains a single layer"),
        ({"sizes": [3, 2], "activation": "step"}, "one output neuron.*2 outputs"),
        (
            {"sizes": [3, 1], "activation": "step", "activate_output": False},
            "not activated",
        ),
    ],
)
def test_the_perceptron_refuses_what_it_cant_train(kwargs: dict[str, Any], message: str) -> None:
    kwargs = dict(kwargs)
    sizes = kwargs.pop("sizes")
    with pytest.raises(ValueError, match=message):
        nn.Network(sizes, optimizer="perceptron", **kwargs)


def test_the_perceptron_refuses_targets_other_than_0_and_1() -> None:
    network = nn.Network([2, 1], activation="step", optimizer="perceptron")
    with pytest.raises(ValueError, match=r"targets of 0 or 1, got 0\.25"):
        network.train_step([1, 0], [0.25], 0.1)
    with pytest.raises(ValueError, match="targets of 0 and 1"):
        OPTIMIZERS["perceptron"].fit(["step"], True, 1, binary_targets=False)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_a_step_activation_under_gradients_learns_nothing_and_says_why(name: str) -> None:
    notes = OPTIMIZERS[name].fit(["step"], True, 1)
    assert len(notes) == 1 and "dy/dz is 0" in notes[0] and "perceptron" in notes[0]
    assert OPTIMIZERS[name].fit(["sigmoid"], True, 1) == []
    network = nn.Network([3, 1], activation="step", seed=1, optimizer=name)
    before = network.parameters()
    network.train_epoch(task_examples("odd", 3), 0.5)
    assert network.parameters() == before


def test_the_step_activation_and_its_derivative() -> None:
    assert [nn.step(z) for z in (-2.0, -1e-300, 0.0, 3.0)] == [0.0, 0.0, 1.0, 1.0]
    assert nn.step(float("nan")) != nn.step(float("nan"))  # nan stays visible
    assert {nn.step_deriv(z) for z in (-1.0, 0.0, 1.0)} == {0.0}
