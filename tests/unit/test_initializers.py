"""Initialisation schemes for the first weights w and bias b."""

from __future__ import annotations

import math
import random
import statistics

import pytest

import nn
from nn.initializers import INITIALIZERS, get_initializer


def test_uniform_draws_each_weight_then_the_bias_from_uniform_minus_1_to_1() -> None:
    weight, bias = get_initializer("uniform").draw(random.Random(42), 6, 1)
    expected = random.Random(42)
    assert weight == [expected.uniform(-1, 1) for _ in range(6)]
    assert bias == expected.uniform(-1, 1)


def test_xavier_weights_lie_within_the_glorot_limit_and_fill_it_and_bias_is_0() -> None:
    rng = random.Random(1)
    for fan_in, fan_out in [(1, 1), (3, 4), (50, 50)]:
        limit = math.sqrt(6 / (fan_in + fan_out))
        draws = []
        for _ in range(400):
            weight, bias = get_initializer("xavier").draw(rng, fan_in, fan_out)
            assert bias == 0.0
            assert len(weight) == fan_in
            draws += weight
        assert max(abs(w) for w in draws) <= limit
        assert max(abs(w) for w in draws) > 0.95 * limit


def test_he_weights_have_mean_0_and_std_sqrt_2_over_fan_in_and_bias_is_0() -> None:
    rng = random.Random(2)
    for fan_in in (2, 8, 50):
        draws = []
        for _ in range(20000 // fan_in):
            weight, bias = get_initializer("he").draw(rng, fan_in, 3)
            assert bias == 0.0
            draws += weight
        std = math.sqrt(2 / fan_in)
        assert abs(statistics.fmean(draws)) < 0.05 * std
        assert abs(statistics.pstdev(draws) - std) < 0.03 * std


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_every_scheme_is_deterministic_for_a_seed(name: str) -> None:
    first = get_initializer(name).draw(random.Random(5), 4, 2)
    again = get_initializer(name).draw(random.Random(5), 4, 2)
    other = get_initializer(name).draw(random.Random(6), 4, 2)
    assert first == again
    assert first != other
    assert INITIALIZERS[name].name == name


def test_neuron_uses_its_layer_size_as_fan_out_for_xavier() -> None:
    limit = math.sqrt(6 / (1 + 1))
    rng = random.Random(0)
    wide = [w for _ in range(200) for w in nn.Neuron(1, rng=rng, init="xavier").weight]
    assert max(abs(w) for w in wide) > 1  # impossible for uniform(-1, 1)
    assert max(abs(w) for w in wide) <= limit
    network = nn.Network([20, 30, 1], init="xavier", seed=0)
    hidden = [w for n in network.layers[0].neurons for w in n.weight]
    assert max(abs(w) for w in hidden) <= math.sqrt(6 / (20 + 30))


@pytest.mark.parametrize("bad", ["glorot", "Uniform", "", None])
def test_unknown_initialisation_is_a_value_error_listing_the_known_ones(bad: object) -> None:
    for make in (
        lambda: get_initializer(bad),  # type: ignore[arg-type]
        lambda: nn.Neuron(3, init=bad),  # type: ignore[arg-type]
        lambda: nn.Network([3, 1], init=bad),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValueError, match="unknown initialisation") as error:
            make()
        for name in INITIALIZERS:
            assert name in str(error.value)


def test_each_scheme_has_the_pages_label_and_a_description() -> None:
    assert {name: init.label for name, init in INITIALIZERS.items()} == {
        "uniform": "uniform(\N{MINUS SIGN}1, 1) (notebook)",
        "xavier": "Xavier",
        "he": "He",
    }
    assert all(init.description.endswith(".") for init in INITIALIZERS.values())
    plain = nn.Initializer(
        "zeros", "Every weight and the bias 0.", lambda r, i, o: ([0.0] * i, 0.0)
    )
    assert plain.label == "zeros"
