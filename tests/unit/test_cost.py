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
