"""The cost C = sum (y - t)^2 and its derivative dC/dy = 2 (y - t)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def test_squared_error_sums_the_squared_differences() -> None:
    assert nn.squared_error([0.5, 0.25], [1.0, 0.0]) == 0.25 + 0.0625
    assert nn.squared_error([0.3], [0.3]) == 0.0


@settings(deadline=None)
@given(finite, finite)
def test_squared_error_deriv_is_the_notebooks_2_times_y_minus_t(y: float, t: float) -> None:
    output, target_normalize = y, t
    assert nn.squared_error_deriv(y, t) == 2 * (output - target_normalize)


@pytest.mark.parametrize(("y", "t"), [(0.7, 0.2), (-1.5, 0.5), (0.1, 0.9), (3.0, 3.0)])
def test_squared_error_deriv_matches_finite_differences(y: float, t: float) -> None:
    h = 1e-6
    slope = (
        nn.squared_error([y + h, 0.4], [t, 0.1]) - nn.squared_error([y - h, 0.4], [t, 0.1])
    ) / (2 * h)
    assert math.isclose(nn.squared_error_deriv(y, t), slope, rel_tol=1e-7, abs_tol=1e-8)


def test_squared_error_with_the_wrong_number_of_targets_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="expected 2 targets, got 1"):
        nn.squared_error([0.1, 0.2], [0.1])
    with pytest.raises(ValueError, match="expected 1 target, got 2"):
        nn.squared_error([0.1], [0.1, 0.2])


def test_squared_error_of_huge_or_infinite_outputs_is_inf_not_an_exception() -> None:
    assert nn.squared_error([1e200], [0.0]) == math.inf
    assert nn.squared_error([-math.inf], [1.0]) == math.inf
    assert math.isnan(nn.squared_error([math.nan], [1.0]))
    assert nn.squared_error_deriv(1.7e308, -1.7e308) == math.inf


def test_the_cost_registry_names_each_cost_with_its_derivative_and_tex() -> None:
    assert list(nn.COSTS) == ["squared", "cross-entropy", "softmax-cross-entropy"]
    for name, cost in nn.COSTS.items():
        assert cost.name == name and nn.get_cost(name) is cost
        assert cost.label and cost.tex and cost.deriv_tex
    assert nn.COSTS["cross-entropy"].simplifies_to_y_minus_t == {"sigmoid"}
    assert nn.COSTS["softmax-cross-entropy"].simplifies_to_y_minus_t == {"softmax"}
    assert nn.COSTS["softmax-cross-entropy"].softmax  # its deriv is dC/dz, not dC/dy
    assert not nn.COSTS["squared"].simplifies_to_y_minus_t
    assert nn.Cost("mine", nn.COSTS["squared"].fn, nn.COSTS["squared"].deriv).label == "mine"


@pytest.mark.parametrize("bad", ["hinge", "", None])
def test_an_unknown_cost_is_a_value_error_listing_the_known_ones(bad: object) -> None:
    with pytest.raises(ValueError, match=r"unknown cost .*squared, cross-entropy, softmax"):
        nn.get_cost(bad)  # type: ignore[arg-type]


def test_the_squared_cost_is_the_notebooks() -> None:
    cost = nn.COSTS["squared"]
    assert cost.fn([0.5, 0.25], [1.0, 0.0], [9.0, 9.0]) == nn.squared_error([0.5, 0.25], [1, 0])
    assert cost.deriv([0.5], [1.0], [0.0]) == [nn.squared_error_deriv(0.5, 1.0)]


@pytest.mark.parametrize("z", [-3.0, -0.4, 0.0, 0.7, 5.0])
@pytest.mark.parametrize("t", [0.0, 0.3, 1.0])
def test_cross_entropy_is_minus_t_ln_y_minus_1_minus_t_ln_1_minus_y(z: float, t: float) -> None:
    y = nn.sigmoid(z)
    expected = -(t * math.log(y) + (1 - t) * math.log(1 - y))
    assert math.isclose(nn.cross_entropy([y], [t], [z]), expected, rel_tol=1e-12, abs_tol=1e-15)
    (dcost_dy,) = nn.COSTS["cross-entropy"].deriv([y], [t], [z])
    assert math.isclose(dcost_dy, (y - t) / (y * (1 - y)), rel_tol=1e-9)
    h = 1e-6  # dC/dz = y - t, the simplification, by finite differences on z
    slope = (nn.cross_entropy([0], [t], [z + h]) - nn.cross_entropy([0], [t], [z - h])) / (2 * h)
    assert math.isclose(slope, y - t, rel_tol=1e-6, abs_tol=1e-8)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_softmax_cross_entropy_is_minus_ln_y_of_the_class_and_its_dc_dz_is_y_minus_t(
    k: int,
) -> None:
    zs = [0.3 * j - 0.5 * (j % 2) for j in range(k)]
    ys = nn.softmax(zs)
    assert math.isclose(sum(ys), 1.0)
    for c in range(k):
        t = nn.one_hot(c, k)
        cost = nn.softmax_cross_entropy(ys, t, zs)
        assert math.isclose(cost, -math.log(ys[c]), rel_tol=1e-12)
        dcost_dz = nn.COSTS["softmax-cross-entropy"].deriv(ys, t, zs)
        assert dcost_dz == [y - tj for y, tj in zip(ys, t, strict=True)]
        h = 1e-6
        for j in range(k):
            up = [z + h * (i == j) for i, z in enumerate(zs)]
            down = [z - h * (i == j) for i, z in enumerate(zs)]
            slope = (
                nn.softmax_cross_entropy(ys, t, up) - nn.softmax_cross_entropy(ys, t, down)
            ) / (2 * h)
            assert math.isclose(slope, dcost_dz[j], rel_tol=1e-6, abs_tol=1e-8)


@pytest.mark.parametrize("z", [-1000.0, -745.0, -50.0, 50.0, 745.0, 1000.0, 1e300, -1e300])
@pytest.mark.parametrize("t", [0.0, 1.0])
def test_cross_entropies_are_finite_for_any_finite_z_without_exceptions(z: float, t: float) -> None:
    y = nn.sigmoid(z)
    cost = nn.cross_entropy([y], [t], [z])
    assert math.isfinite(cost) and cost >= 0
    right = (z > 0) == (t == 1)
    assert math.isclose(cost, 0.0 if right else abs(z), rel_tol=1e-9, abs_tol=1e-20)
    nn.COSTS["cross-entropy"].deriv([y], [t], [z])  # large or inf, never an exception
    zs = [z, 0.0, -z]
    ys = nn.softmax(zs)
    assert all(math.isfinite(v) for v in ys) and math.isclose(sum(ys), 1.0)
    for c in range(3):
        cost = nn.softmax_cross_entropy(ys, nn.one_hot(c, 3), zs)
        assert math.isfinite(cost) and cost >= 0
    assert nn.log_sum_exp([1000.0, 1000.0]) == 1000.0 + math.log(2)


def test_a_network_at_z_1000_trains_with_cross_entropy_without_exceptions() -> None:
    for cost, sizes in [("cross-entropy", [2, 1]), ("softmax-cross-entropy", [2, 3])]:
        network = nn.Network(sizes, cost=cost, seed=1)
        for j, neuron in enumerate(network.layers[-1].neurons):
            neuron.weight = [1000.0 * (1 - j), 0.0]
        t = [0.0] if cost == "cross-entropy" else [0.0, 1.0, 0.0]
        step = network.train_step([1.0, 0.0], t, 0.1)
        assert math.isfinite(step) and step == pytest.approx(1000.0, rel=1e-2)
        assert network.is_finite()
