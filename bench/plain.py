"""Plain code for ``nn`` to be compared with: the overhead of the package, in CPython.

    .venv/bin/python -m bench.plain [--rounds R]

Two comparisons, each on the bench's data (all 256 8-bit numbers, target value / 255):

* ``nn.Neuron`` forward + backward per example against the notebook's own ``Neuron``
  (``tests/unit/notebook_reference.py``), from the same weights;
* ``Network.train_epoch`` (8-8-1, sigmoid, one example per step) against ``mlp_epoch`` below,
  a minimal list-based network loop, from the same weights and in the same order.

Each pair is timed in turns, round after round, and each side keeps its fastest round: on a
busy machine the minimum is the time the code needs, the rest is other people's work. Both
sides end with the very same weights (checked), so they did the same arithmetic.
"""

# The plain loop zips without strict=, as plain code (and the notebook) does.
# ruff: noqa: B905

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nn import Network, Neuron, encode_bits, parse_bits  # noqa: E402
from tests.unit import notebook_reference as notebook  # noqa: E402

WIDTH = 8

Weights = list[list[list[float]]]  # W[l][j][i]: layer l, neuron j, input i
Biases = list[list[float]]  # B[l][j]


def numbers() -> list[tuple[list[int], float]]:
    """Every 8-bit number as (bits x, target t = value / 255)."""
    top = 2**WIDTH - 1
    return [(parse_bits(encode_bits(v, WIDTH)), v / top) for v in range(2**WIDTH)]


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def sigmoid_deriv(z: float) -> float:
    y = sigmoid(z)
    return y * (1 - y)


def mlp_epoch(
    W: Weights, B: Biases, examples: list[tuple[list[int], list[float]]], lr: float
) -> None:
    """One epoch of plain SGD on a sigmoid MLP held as lists, one example per step.

    The arithmetic of the notebook and of ``nn``, written as tersely as lists allow: z, y per
    layer forward; then, from the top, dC/dz, dC/dx (with the weights before the step) and
    w -= lr * dC/dy * dy/dz * x.
    """
    for x, t in examples:
        xs, zs = [x], []  # the input of each layer, and its z
        for Wl, Bl in zip(W, B):
            z = [sum(w * xi for w, xi in zip(row, xs[-1])) + b for row, b in zip(Wl, Bl)]
            zs.append(z)
            xs.append([sigmoid(v) for v in z])
        dcost_dy = [2 * (y - ti) for y, ti in zip(xs[-1], t)]
        for k in reversed(range(len(W))):
            inputs, Wl, Bl = xs[k], W[k], B[k]
            dy_dz = [sigmoid_deriv(v) for v in zs[k]]
            dcost_dx = [0.0] * len(inputs)
            for j, row in enumerate(Wl):
                dcost_dz = dcost_dy[j] * dy_dz[j]
                for i, w in enumerate(row):
                    dcost_dx[i] += dcost_dz * w
            for j, row in enumerate(Wl):
                for i in range(len(row)):
                    row[i] -= lr * dcost_dy[j] * dy_dz[j] * inputs[i]
                Bl[j] -= lr * dcost_dy[j] * dy_dz[j] * 1
            dcost_dy = dcost_dx


def lists_of(network: Network) -> tuple[Weights, Biases]:
    """The network's weights and biases as plain lists (copies)."""
    W = [[list(n.weight) for n in layer.neurons] for layer in network.layers]
    B = [[n.bias for n in layer.neurons] for layer in network.layers]
    return W, B


def fastest(runs: dict[str, Callable[[], None]], rounds: int) -> dict[str, float]:
    """Each function's fastest time in seconds, timed in turns for ``rounds`` rounds."""
    best = dict.fromkeys(runs, math.inf)
    gc.disable()  # as timeit does: a collection would land on whichever side triggers it
    try:
        for _ in range(rounds):
            for name, run in runs.items():
                start = time.perf_counter()
                run()
                best[name] = min(best[name], time.perf_counter() - start)
    finally:
        gc.enable()
    return best


def neuron_overhead(rounds: int, epochs: int = 20) -> dict[str, float]:
    """nn.Neuron against the notebook's Neuron: seconds per example and their ratio."""
    data = numbers()
    random.seed(1)
    theirs = notebook.Neuron(WIDTH)  # draws from the random module, as the notebook does
    ours = Neuron(WIDTH, weight=theirs.weight, bias=theirs.bias)

    def train(neuron: Neuron | notebook.Neuron) -> Callable[[], None]:
        def run() -> None:
            for _ in range(epochs):
                for x, t in data:
                    y = neuron.forward(x)
                    neuron.backward(x, 2 * (y - t), 0.1)

        return run

    best = fastest({"notebook": train(theirs), "nn": train(ours)}, rounds)
    if ours.parameters() != [*theirs.weight, theirs.bias]:
        raise AssertionError("nn.Neuron and the notebook's Neuron ended with different weights")
    count = epochs * len(data)
    return {
        "notebook_us_per_example": best["notebook"] / count * 1e6,
        "nn_us_per_example": best["nn"] / count * 1e6,
        "nn_over_notebook": best["nn"] / best["notebook"],
    }


def network_overhead(rounds: int) -> dict[str, float]:
    """Network.train_epoch (8-8-1) against mlp_epoch: ms per epoch and their ratio."""
    network = Network([WIDTH, 8, 1], seed=1)
    W, B = lists_of(network)
    examples = [(x, [t]) for x, t in numbers()]
    random.Random("order").shuffle(examples)  # one order for both, no shuffling timed

    best = fastest(
        {
            "plain": lambda: mlp_epoch(W, B, examples, 0.1),
            "nn": lambda: network.train_epoch(examples, 0.1),
        },
        rounds,
    )
    if lists_of(network) != (W, B):
        raise AssertionError("Network.train_epoch and mlp_epoch ended with different weights")
    return {
        "plain_ms_per_epoch": best["plain"] * 1e3,
        "nn_ms_per_epoch": best["nn"] * 1e3,
        "nn_over_plain": best["nn"] / best["plain"],
    }


def measure(rounds: int) -> dict[str, dict[str, float]]:
    return {"neuron": neuron_overhead(rounds), "network": network_overhead(rounds)}


def report(results: dict[str, dict[str, float]]) -> None:
    n, m = results["neuron"], results["network"]
    print(f"CPython {sys.version.split()[0]}, fastest of interleaved rounds:")
    print(
        f"  Neuron forward+backward: notebook {n['notebook_us_per_example']:6.2f} us, "
        f"nn {n['nn_us_per_example']:6.2f} us per example: nn / notebook "
        f"{n['nn_over_notebook']:.2f} (target <= 1.25)"
    )
    print(
        f"  8-8-1 epoch of 256:      plain {m['plain_ms_per_epoch']:6.2f} ms, "
        f"nn {m['nn_ms_per_epoch']:6.2f} ms: nn / plain {m['nn_over_plain']:.2f} (target <= 1.5)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results = measure(args.rounds)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
