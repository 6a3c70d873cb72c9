"""Activation functions and their derivatives."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from nn.activations import ACTIVATIONS, get_activation
from tests.unit import notebook_reference as notebook

NAMES = sorted(ACTIVATIONS)
EXTREMES = [-1000.0, 1000.0, -1e308, 1e308, -math.inf, math.inf]


def notebook_overflows(z: float) -> bool:
    try:
        notebook.sigmoid(z)
    except OverflowError:
        return True
    return False


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=True))
def test_sigmoid_is_bit_identical_to_the_notebook_wherever_the_notebook_does_not_overflow(
    z: float,
) -> None:
    if notebook_overflows(z):
        assert 0.0 <= nn.sigmoid(z) < 1e-300
    else:
        assert nn.sigmoid(z) == notebook.sigmoid(z)
        assert nn.sigmoid_deriv(z) == notebook.sigmoid_deriv(z)


def test_sigmoid_matches_the_notebook_on_a_dense_grid_up_to_its_overflow_point() -> None:
    # The notebook's formula works down to z = -log(max float) = -709.78...
    rng = random.Random(0)
    grid = [rng.uniform(-709.78, 40.0) for _ in range(20000)]
    grid += [-700.0 - k / 100 for k in range(979)]  # -700 ... -709.78
    for z in grid:
        assert nn.sigmoid(z) == notebook.sigmoid(z), z
        assert nn.sigmoid_deriv(z) == notebook.sigmoid_deriv(z), z


def test_sigmoid_below_the_notebooks_overflow_point_is_e_to_the_z() -> None:
    edge = -math.log(1.7976931348623157e308)
    assert not notebook_overflows(math.nextafter(edge, 0.0))
    for z in [math.nextafter(edge, -math.inf), -709.8, -720.0, -740.0]:
        assert notebook_overflows(z)
        assert math.isclose(nn.sigmoid(z), math.exp(z), rel_tol=1e-12)
        assert nn.sigmoid(z) > 0.0
    assert nn.sigmoid(-1000.0) == 0.0


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("z", EXTREMES)
def test_activation_and_derivative_never_raise_nor_give_nan_at_extreme_z(
    name: str, z: float
) -> None:
    activation = get_activation(name)
    y = activation.fn(z)
    dy_dz = activation.deriv(z)
    assert not math.isnan(y)
    assert not math.isnan(dy_dz)
    if name != "linear":
        assert math.isfinite(dy_dz)


@pytest.mark.parametrize("z", [1000.0, 1e308, math.inf])
def test_squashing_activations_saturate_with_zero_slope_at_large_z(z: float) -> None:
    assert nn.sigmoid(z) == 1.0
    assert nn.sigmoid(-z) == 0.0
    assert nn.tanh(z) == 1.0
    assert nn.tanh(-z) == -1.0
    for deriv in (nn.sigmoid_deriv, nn.tanh_deriv):
        assert deriv(z) == 0.0
        assert deriv(-z) == 0.0
    assert nn.relu(z) == z
    assert nn.relu(-z) == 0.0


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_finite_differences(name: str) -> None:
    activation = get_activation(name)
    h = 1e-6
    zs = [k / 10 for k in range(-60, 61) if k != 0] + [0.37, -2.5, 4.2]
    for z in zs:
        slope = (activation.fn(z + h) - activation.fn(z - h)) / (2 * h)
        assert math.isclose(activation.deriv(z), slope, rel_tol=1e-7, abs_tol=1e-9), (name, z)


def test_activation_values_at_known_points() -> None:
    assert nn.sigmoid(0.0) == 0.5
    assert nn.sigmoid_deriv(0.0) == 0.25
    assert nn.tanh(0.0) == 0.0
    assert nn.tanh_deriv(0.0) == 1.0
    assert nn.relu(2.5) == 2.5
    assert nn.relu(-2.5) == 0.0
    assert nn.linear(-3.25) == -3.25
    assert nn.linear_deriv(-3.25) == 1.0
    assert math.isclose(nn.tanh(1.0), (math.e**2 - 1) / (math.e**2 + 1), rel_tol=1e-15)


def test_relu_derivative_is_0_at_and_below_zero_and_1_above() -> None:
    assert nn.relu_deriv(0.0) == 0.0
    assert nn.relu_deriv(-0.0) == 0.0
    assert nn.relu_deriv(-1e-300) == 0.0
    assert nn.relu_deriv(5e-324) == 1.0
    assert nn.relu_deriv(3.0) == 1.0


@pytest.mark.parametrize("name", NAMES)
def test_nan_z_gives_nan_y_so_divergence_stays_visible(name: str) -> None:
    assert math.isnan(get_activation(name).fn(math.nan))


@pytest.mark.parametrize("name", NAMES)
def test_each_activation_is_registered_under_its_own_name_with_its_own_derivative(
    name: str,
) -> None:
    activation = ACTIVATIONS[name]
    assert activation.name == name
    assert activation.fn is getattr(nn, name)
    assert activation.deriv is getattr(nn, f"{name}_deriv")


def test_activation_pairs_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ACTIVATIONS["sigmoid"].fn = nn.relu  # type: ignore[misc]


@pytest.mark.parametrize("bad", ["softmax", "Sigmoid", "", None])
def test_unknown_activation_is_a_value_error_listing_the_known_names(bad: object) -> None:
    with pytest.raises(ValueError, match="unknown activation") as error:
        get_activation(bad)  # type: ignore[arg-type]
    for name in NAMES:
        assert name in str(error.value)


def test_an_activation_made_from_name_fn_and_deriv_gets_display_fields_from_its_name() -> None:
    softplus = nn.Activation("softplus", lambda z: math.log1p(math.exp(z)), nn.sigmoid)
    assert softplus.label == "softplus"
    assert softplus.tex == r"\operatorname{softplus}(z)"
    assert softplus.deriv_tex == r"\operatorname{softplus}'(z)"
    assert softplus.symbol == "softplus(z)"
    assert softplus == nn.Activation("softplus", softplus.fn, softplus.deriv)
    with pytest.raises(dataclasses.FrozenInstanceError):
        softplus.label = "other"  # type: ignore[misc]


def test_given_display_fields_are_kept() -> None:
    shown = nn.Activation("x", nn.linear, nn.linear_deriv, "ex", "x(z)", "x'(z)", "X")
    assert (shown.label, shown.tex, shown.deriv_tex, shown.symbol) == ("ex", "x(z)", "x'(z)", "X")


def test_the_registered_activations_carry_the_pages_texts() -> None:
    shown = {name: (a.label, a.tex, a.deriv_tex, a.symbol) for name, a in ACTIVATIONS.items()}
    assert shown == {
        "sigmoid": ("sigmoid σ", r"\sigma(z)", r"\sigma'(z) = y\,(1 - y)", "σ(z)"),
        "tanh": ("tanh", r"\tanh(z)", r"\tanh'(z) = 1 - y^2", "tanh(z)"),
        "relu": (
            "ReLU",
            r"\operatorname{ReLU}(z) = \max(0, z)",
            r"\operatorname{ReLU}'(z) = [z > 0]",
            "ReLU(z)",
        ),
        "linear": ("linear", "z", "1", "z"),
        "step": ("step (the perceptron)", r"[z \ge 0]", "0", "step(z)"),
    }
