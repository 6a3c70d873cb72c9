"""nn.Neuron against the notebook's own Neuron (class 3), float for float."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

import nn
from tests.unit import notebook_reference as notebook

CASES = 200
EPOCHS = 200


@pytest.fixture(autouse=True)
def _restore_global_random() -> Iterator[None]:
    """The notebook draws from the random module; leave it as we found it."""
    state = random.getstate()
    yield
    random.setstate(state)


def twin_neurons(rng: random.Random, isize: int) -> tuple[notebook.Neuron, nn.Neuron]:
    """A notebook neuron and an nn neuron with the same starting weights and bias."""
    ours = nn.Neuron(isize, rng=rng)
    theirs = notebook.Neuron(isize)
    theirs.weight = list(ours.weight)
    theirs.bias = ours.bias
    return theirs, ours


def random_case(rng: random.Random) -> tuple[int, list[float], float, float]:
    """(isize, inputs x, target t, learning rate): bits or real inputs."""
    isize = rng.randint(1, 8)
    if rng.random() < 0.5:
        x: list[float] = [rng.randint(0, 1) for _ in range(isize)]
    else:
        x = [rng.uniform(-2, 2) for _ in range(isize)]
    return isize, x, rng.random(), rng.uniform(0.01, 2.0)


def test_forward_and_every_update_are_bit_identical_to_the_notebook() -> None:
    rng = random.Random(20240501)
    moved = 0
    for _ in range(CASES):
        isize, x, target, lr = random_case(rng)
        theirs, ours = twin_neurons(rng, isize)
        start = ours.parameters()
        for _ in range(EPOCHS):
            y_theirs = theirs.forward(x)
            y_ours = ours.forward(x)
            assert y_ours == y_theirs
            assert ours.z == theirs.z
            dcost_dy = 2 * (y_theirs - target)
            theirs.backward(x, dcost_dy, lr)
            ours.backward(x, dcost_dy, lr)
            assert ours.weight == theirs.weight
            assert ours.bias == theirs.bias
        moved += ours.parameters() != start
    assert moved == CASES  # every case really trained


def test_split_backward_gives_the_same_floats_as_the_notebooks_backward() -> None:
    rng = random.Random(7)
    for _ in range(CASES):
        isize, x, target, lr = random_case(rng)
        theirs, ours = twin_neurons(rng, isize)
        for _ in range(20):
            dcost_dy = 2 * (theirs.forward(x) - target)
            ours.forward(x)
            theirs.backward(x, dcost_dy, lr)
            ours.compute_gradients(x, dcost_dy)
            ours.apply_update(lr)
            assert ours.weight == theirs.weight
            assert ours.bias == theirs.bias


def test_dcost_dx_uses_the_weights_before_the_update_where_the_notebook_uses_after() -> None:
    rng = random.Random(99)
    for _ in range(CASES):
        isize, x, target, lr = random_case(rng)
        x = [xi if xi != 0 else 1 for xi in x]  # every weight moves
        theirs, ours = twin_neurons(rng, isize)
        y = theirs.forward(x)
        ours.forward(x)
        dcost_dy = 2 * (y - target)
        dy_dz = notebook.sigmoid_deriv(theirs.z)
        before = list(ours.weight)

        ours_dx = ours.backward(x, dcost_dy, lr)
        theirs_dx = theirs.backward(x, dcost_dy, lr)

        assert ours.weight != before
        # ours: the notebook's formula with the weights it saw in forward()
        assert ours_dx == [dcost_dy * dy_dz * w for w in before]
        # the notebook: the same formula with the weights it has just updated
        assert theirs_dx == [dcost_dy * dy_dz * w for w in theirs.weight]
        assert ours_dx != theirs_dx


def test_after_forward_without_activation_dy_dz_is_1_not_sigmoids() -> None:
    rng = random.Random(3)
    for _ in range(50):
        isize, x, target, lr = random_case(rng)
        theirs, ours = twin_neurons(rng, isize)
        y = ours.forward(x, activate=False)
        assert y == theirs.forward(x, activate=False) == ours.z
        dcost_dy = 2 * (y - target)
        before_w, before_b = list(ours.weight), ours.bias
        ours.backward(x, dcost_dy, lr)
        theirs.backward(x, dcost_dy, lr)
        assert ours.dy_dz == 1.0
        assert ours.weight == [
            w - lr * dcost_dy * 1.0 * xi for w, xi in zip(before_w, x, strict=True)
        ]
        assert ours.bias == before_b - lr * dcost_dy * 1.0 * 1
        assert ours.bias != theirs.bias  # the notebook used sigmoid_deriv(z) < 1


@pytest.mark.parametrize("seed", range(10))
def test_same_seed_gives_the_notebooks_starting_weights(seed: int) -> None:
    random.seed(seed)
    theirs = notebook.Neuron(5)
    from_rng = nn.Neuron(5, rng=random.Random(seed))
    random.seed(seed)
    from_module = nn.Neuron(5)  # like the notebook: the random module
    network = nn.Network([5, 1], seed=seed).layers[0].neurons[0]
    for ours in (from_rng, from_module, network):
        assert ours.weight == theirs.weight
        assert ours.bias == theirs.bias
    assert from_rng.weight != nn.Neuron(5, rng=random.Random(seed + 1)).weight


@pytest.mark.parametrize("seed", range(10))
def test_notebook_example_00101_reads_back_about_5_and_matches_the_notebook(seed: int) -> None:
    # The notebook's last cell: 00101 towards 5/31, 200 epochs, learning rate 0.1.
    x = nn.parse_bits("00101")
    target = nn.value_to_target(nn.bits_to_int(x), 5)
    assert target == 5 / 31
    random.seed(seed)
    theirs = notebook.Neuron(len(x))
    ours = nn.Neuron(len(x), rng=random.Random(seed))
    for _ in range(200):
        output = theirs.forward(x)
        error = 2 * (output - target)
        theirs.backward(x, error, 0.1)
        ours.backward(x, 2 * (ours.forward(x) - target), 0.1)
    read_back = nn.target_to_value(ours.forward(x), 5)
    assert read_back == theirs.forward(x) * 31
    assert abs(read_back - 5) < 0.5


@pytest.mark.parametrize("seed", range(5))
def test_network_5_1_train_step_is_bit_identical_to_the_notebook_loop(seed: int) -> None:
    x = [0, 0, 1, 0, 1]
    random.seed(seed)
    theirs = notebook.Neuron(5)
    network = nn.Network([5, 1], seed=seed)
    ours = network.layers[0].neurons[0]
    for _ in range(200):
        output = theirs.forward(x)
        cost = network.train_step(x, [5 / 31], 0.1)
        assert cost == (output - 5 / 31) * (output - 5 / 31)
        theirs.backward(x, 2 * (output - 5 / 31), 0.1)
        assert ours.weight == theirs.weight
        assert ours.bias == theirs.bias
