"""Gradient descent really learns: 3-bit parity needs a hidden layer."""

from __future__ import annotations

import nn

PARITY3 = nn.all_examples("parity", 3)
# Found by search: with seed 2 and learning rate 0.5 (one example at a time, in
# order 000..111), a [3, 4, 1] sigmoid network first classifies all 8 numbers
# right at epoch 245 (on CPython 3.11 and 3.13) and stays right.
SEED, LEARNING_RATE, EPOCHS = 2, 0.5, 300


def test_a_3_4_1_sigmoid_network_learns_3_bit_parity_to_100_percent() -> None:
    network = nn.Network([3, 4, 1], seed=SEED)
    start_cost = network.mean_cost(PARITY3)
    for _ in range(100):
        network.train_epoch(PARITY3, LEARNING_RATE)
    assert network.accuracy(PARITY3) < 1.0  # not learned yet: the test measures learning
    for _ in range(EPOCHS - 100):
        network.train_epoch(PARITY3, LEARNING_RATE)
    assert network.accuracy(PARITY3) == 1.0
    assert network.mean_cost(PARITY3) < start_cost / 3


def test_a_single_neuron_cannot_learn_3_bit_parity() -> None:
    # Parity is not linearly separable: one neuron gets at most 6 of 8 right.
    for seed in range(3):
        neuron_net = nn.Network([3, 1], seed=seed)
        best = 0.0
        for _ in range(500):
            neuron_net.train_epoch(PARITY3, LEARNING_RATE)
            best = max(best, neuron_net.accuracy(PARITY3))
        assert best < 1.0


def test_the_notebooks_task_is_learned_by_a_network_too() -> None:
    examples = nn.all_examples("value", 3)
    network = nn.Network([3, 1], seed=0)
    before = network.mean_cost(examples)
    for _ in range(300):
        network.train_epoch(examples, 0.5)
    assert network.mean_cost(examples) < before / 10
    for bits, _ in examples:
        value = nn.bits_to_int(bits)
        assert abs(nn.target_to_value(network.forward(bits)[0], 3) - value) < 0.6
