"""nn's momentum and Adam against torch.optim itself, step for step, where torch is installed.

torch is not one of the project's test dependencies (PyPI's Linux wheel is the CUDA build,
~550 MB before its NVIDIA libraries); ``.ci/run`` installs the CPU build where the machine
keeps one, and test_optimizers.py checks the same runs, always, against PyTorch's documented
algorithms written out in numpy. To run this one elsewhere: ``pip install torch`` (a CPU
build is enough) in an environment with the project's test dependencies, then
``pytest tests/unit/test_optimizers_torch.py``.

The network is written as torch tensors from nn's starting weights: W_l (float64) and b_l,
z_l = W_l a_{l-1} + b_l, tanh hidden layer, sigmoid output, C = sum (y - t)^2 averaged over
the mini-batch. L2 is torch's ``weight_decay`` = 2 lambda in the weights' parameter group;
the biases' group has none.
"""

from __future__ import annotations

import random

import pytest

import nn

torch = pytest.importorskip("torch")

STEPS = 30
CASES = {
    "momentum": {"momentum": 0.9},
    "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "adam-other": {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
}


def torch_optimizer(name: str, options: dict[str, float], weights, biases, lr: float, l2: float):
    groups = [
        {"params": weights, "weight_decay": 2 * l2},
        {"params": biases, "weight_decay": 0.0},
    ]
    if name == "momentum":
        return torch.optim.SGD(groups, lr=lr, momentum=options["momentum"])
    return torch.optim.Adam(
        groups, lr=lr, betas=(options["beta1"], options["beta2"]), eps=options["eps"]
    )


@pytest.mark.parametrize("batch_size", [1, 3])
@pytest.mark.parametrize("l2", [0.0, 0.01], ids=["no-l2", "l2"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_30_steps_follow_torch_optim(case: str, l2: float, batch_size: int) -> None:
    name = case.split("-")[0]
    sizes, lr = [4, 3, 2], 0.05
    network = nn.Network(
        sizes, activation="tanh", output_activation="sigmoid", seed=3, l2=l2,
        optimizer=name, optimizer_options=CASES[case],
    )  # fmt: skip
    weights = [
        torch.tensor([n.weight for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        for layer in network.layers
    ]
    biases = [
        torch.tensor([n.bias for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        for layer in network.layers
    ]
    optimizer = torch_optimizer(name, CASES[case], weights, biases, lr, l2)
    rng = random.Random(5)
    examples = [
        ([rng.choice([0, 1]) for _ in range(sizes[0])], [rng.random() for _ in range(sizes[-1])])
        for _ in range(6)
    ]
    for step in range(STEPS):
        first = (step * batch_size) % len(examples)
        batch = examples[first : first + batch_size]
        network.train_batch(batch, lr)
        optimizer.zero_grad()
        x = torch.tensor([x for x, _ in batch], dtype=torch.float64)
        t = torch.tensor([t for _, t in batch], dtype=torch.float64)
        hidden = torch.tanh(x @ weights[0].T + biases[0])
        y = torch.sigmoid(hidden @ weights[1].T + biases[1])
        ((y - t) ** 2).sum(dim=1).mean().backward()
        optimizer.step()
        theirs = [
            value
            for W, b in zip(weights, biases, strict=True)
            for row, bias in zip(W.tolist(), b.tolist(), strict=True)
            for value in (*row, bias)
        ]
        assert network.parameters() == pytest.approx(theirs, rel=1e-9, abs=1e-9), step
