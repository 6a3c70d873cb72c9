"""nn.Neuron on its own: shapes, stored gradients, updates, saving."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest

import nn


def neuron(activation: str = "sigmoid", seed: int = 0, isize: int = 3) -> nn.Neuron:
    return nn.Neuron(isize, activation, rng=random.Random(seed))


@pytest.mark.parametrize("x", [[1, 0], [1, 0, 1, 1], []])
def test_an_input_of_the_wrong_length_is_a_value_error_naming_both_lengths(x: list[int]) -> None:
    n = neuron()
    message = f"expected 3 inputs, got {len(x)}"
    with pytest.raises(ValueError, match=message):
        n.forward(x)
    n.forward([1, 0, 1])
    with pytest.raises(ValueError, match=message):
        n.backward(x, 0.5, 0.1)
    with pytest.raises(ValueError, match=message):
        n.compute_gradients(x, 0.5)


def test_one_input_is_named_in_the_singular() -> None:
    with pytest.raises(ValueError, match="expected 1 input, got 2"):
        nn.Neuron(1, rng=random.Random(0)).forward([1, 1])


@pytest.mark.parametrize("isize", [0, -2, True, 1.5, "3"])
def test_a_neuron_needs_a_whole_number_of_inputs_of_at_least_1(isize: object) -> None:
    with pytest.raises(ValueError, match="needs 1 or more inputs"):
        nn.Neuron(isize)  # type: ignore[arg-type]


def test_forward_remembers_x_z_y_and_whether_it_activated() -> None:
    n = nn.Neuron(2, "tanh", weight=[0.5, -0.25], bias=0.125)
    y = n.forward([1, 2])
    assert n.z == 0.5 * 1 + -0.25 * 2 + 0.125
    assert y == n.y == math.tanh(n.z)
    assert n.x == [1, 2]
    assert n.activated
    assert n.forward([1, 2], activate=False) == n.z
    assert not n.activated


@pytest.mark.parametrize("activation", sorted(nn.ACTIVATIONS))
def test_compute_gradients_stores_each_derivative_and_leaves_the_weights(activation: str) -> None:
    n = neuron(activation)
    x = [0.5, -1.0, 2.0]
    before = n.parameters()
    n.forward(x)
    dcost_dx = n.compute_gradients(x, 0.75)
    assert n.parameters() == before
    assert n.dcost_dy == 0.75
    assert n.dy_dz == nn.get_activation(activation).deriv(n.z)
    assert n.dcost_dz == 0.75 * n.dy_dz
    assert n.dcost_dw == [n.dcost_dz * xi for xi in x]
    assert n.dcost_db == n.dcost_dz
    assert dcost_dx == n.dcost_dx == [n.dcost_dz * w for w in before[:-1]]


def test_apply_update_moves_each_parameter_by_its_stored_delta() -> None:
    n = neuron()
    x = [1.0, 0.5, -0.5]
    n.forward(x)
    n.compute_gradients(x, 0.9)
    before_w, before_b = list(n.weight), n.bias
    n.apply_update(0.3)
    assert n.weight == [w + d for w, d in zip(before_w, n.delta_weight, strict=True)]
    assert n.bias == before_b + n.delta_bias
    assert n.delta_weight == [-(0.3 * n.dcost_dy * n.dy_dz * xi) for xi in x]
    assert n.delta_bias == -(0.3 * n.dcost_dy * n.dy_dz * 1)
    assert all(d != 0 for d in n.delta_weight)


def test_apply_gradient_steps_against_the_given_gradient() -> None:
    n = neuron()
    before_w, before_b = list(n.weight), n.bias
    n.apply_gradient([0.1, -0.2, 0.0], 0.5, 2.0)
    assert n.weight == [before_w[0] - 2.0 * 0.1, before_w[1] - 2.0 * -0.2, before_w[2]]
    assert n.bias == before_b - 2.0 * 0.5
    assert n.delta_bias == -1.0
    with pytest.raises(ValueError, match="expected 3 weight gradients, got 2"):
        n.apply_gradient([0.1, 0.2], 0.5, 2.0)


def test_gradients_before_a_forward_pass_are_a_runtime_error() -> None:
    n = neuron()
    with pytest.raises(RuntimeError, match="forward"):
        n.compute_gradients([1, 0, 1], 0.5)
    with pytest.raises(RuntimeError, match="compute_gradients"):
        n.apply_update(0.1)


def test_given_weight_and_bias_are_used_and_nothing_is_drawn() -> None:
    state = random.getstate()
    n = nn.Neuron(2, weight=[0.25, -0.5], bias=1.5)
    assert random.getstate() == state
    assert n.parameters() == [0.25, -0.5, 1.5]
    with pytest.raises(ValueError, match="expected 2 weights, got 1"):
        nn.Neuron(2, weight=[0.25], bias=0.0)


def test_parameters_is_a_copy_of_weights_then_bias() -> None:
    n = neuron()
    params = n.parameters()
    assert params == [*n.weight, n.bias]
    params[0] = 123.0
    assert n.weight[0] != 123.0


def test_set_parameters_is_the_inverse_of_parameters() -> None:
    n = neuron(isize=3)
    n.set_parameters([0.25, -0.5, 2, 1.5])
    assert n.parameters() == [0.25, -0.5, 2.0, 1.5]
    assert n.weight == [0.25, -0.5, 2.0]
    assert n.bias == 1.5
    n.set_parameters(n.parameters())
    assert n.parameters() == [0.25, -0.5, 2.0, 1.5]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([0.1, 0.2, 0.3], "expected 4 weights and biases, got 3"),
        ([0.1, 0.2, 0.3, math.inf], "neuron: bias must be a finite number"),
        ([0.1, False, 0.3, 0.4], "neuron: weight 1 must be a number, got False"),
        ([0.1, 0.2, None, 0.4], "neuron: weight 2 must be a number, got None"),
    ],
)
def test_set_parameters_refuses_bad_values_and_leaves_the_neuron_unchanged(
    values: list[Any], message: str
) -> None:
    n = neuron(isize=3)
    before = n.parameters()
    with pytest.raises(ValueError, match=message):
        n.set_parameters(values)
    assert n.parameters() == before


def test_repr_shows_size_activation_and_parameters() -> None:
    n = nn.Neuron(2, "relu", weight=[0.25, -0.5], bias=1.5)
    assert repr(n) == "Neuron(isize=2, activation='relu', weight=[0.25, -0.5], bias=1.5)"


@pytest.mark.parametrize("activation", sorted(nn.ACTIVATIONS))
def test_to_dict_survives_json_exactly(activation: str) -> None:
    n = neuron(activation, seed=11, isize=6)
    n.weight[0] = -0.0
    n.weight[1] = 5e-324
    n.bias = 0.1 + 0.2
    data = json.loads(json.dumps(n.to_dict()))
    copy = nn.Neuron.from_dict(data)
    assert copy.to_dict() == n.to_dict()
    assert copy.weight == n.weight
    assert math.copysign(1.0, copy.weight[0]) == -1.0
    assert copy.activation is n.activation
    x = [0.3, 1, 0, -2, 0.7, 1]
    assert copy.forward(x) == n.forward(x)


def good_neuron_data() -> dict[str, Any]:
    return {"isize": 2, "activation": "sigmoid", "weight": [0.5, -0.5], "bias": 0.0}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"isize": 3}, "weight must be a list of 3 numbers"),
        ({"isize": 0}, "isize must be 1 or more"),
        ({"isize": True}, "isize must be 1 or more"),
        ({"isize": "2"}, "isize must be 1 or more"),
        ({"activation": "softmax"}, "unknown activation 'softmax'"),
        ({"activation": 3}, "activation must be a name"),
        ({"weight": [0.5]}, "weight must be a list of 2 numbers"),
        ({"weight": "0.5,0.5"}, "weight must be a list of 2 numbers"),
        ({"weight": [0.5, "1"]}, "weight 1 must be a number"),
        ({"weight": [0.5, None]}, "weight 1 must be a number"),
        ({"weight": [True, 0.5]}, "weight 0 must be a number"),
        ({"weight": [0.5, math.nan]}, "weight 1 must be a finite number"),
        ({"weight": [math.inf, 0.5]}, "weight 0 must be a finite number"),
        ({"weight": [10**400, 0.5]}, "weight 0 must be a finite number"),
        ({"bias": -math.inf}, "bias must be a finite number"),
        ({"bias": [0.0]}, "bias must be a number"),
        ({"extra": 1}, "unknown keys extra"),
    ],
)
def test_from_dict_rejects_bad_data_saying_what_is_wrong(
    change: dict[str, Any], message: str
) -> None:
    data = good_neuron_data() | change
    with pytest.raises(ValueError, match=message):
        nn.Neuron.from_dict(data)


def test_from_dict_rejects_a_missing_key_and_a_non_dict() -> None:
    data = good_neuron_data()
    del data["bias"]
    with pytest.raises(ValueError, match="missing bias"):
        nn.Neuron.from_dict(data)
    with pytest.raises(ValueError, match="must be a dict"):
        nn.Neuron.from_dict([1, 2])  # type: ignore[arg-type]


def test_from_dict_accepts_whole_numbers_as_floats() -> None:
    n = nn.Neuron.from_dict(good_neuron_data() | {"weight": [1, -2], "bias": 3})
    assert n.parameters() == [1.0, -2.0, 3.0]
    assert all(type(p) is float for p in n.parameters())


def test_to_dict_of_a_diverged_neuron_is_a_value_error() -> None:
    n = neuron()
    n.bias = math.nan
    assert not n.is_finite()
    with pytest.raises(ValueError, match="not finite"):
        n.to_dict()


@pytest.mark.parametrize("activation", sorted(nn.ACTIVATIONS))
def test_huge_weights_give_inf_or_nan_without_exceptions(activation: str) -> None:
    n = nn.Neuron(3, activation, weight=[1e300, 1e300, -1e300], bias=1e300)
    for x in ([1e10, 1e10, 0], [-1e10, -1e10, 0], [1, 1, 1e10]):
        y = n.forward(x)
        n.backward(x, 2 * (y - 1.0), 10.0)
    n.weight[0] = math.inf
    y = n.forward([1, 1, 1])
    n.backward([1, 1, 1], 2 * (y - 1.0), 10.0)
    assert not n.is_finite()


def test_backward_reads_like_the_math_no_private_call_and_no_map() -> None:
    """The Code panel shows nn.Neuron.backward: plain statements in the notebook's names."""
    import ast
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(nn.Neuron.backward)))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert "map" not in names and not [a for a in attributes if a.startswith("_")], attributes
    for name in ("dy_dz", "dcost_dz", "dcost_dw", "dcost_db", "dcost_dx", "learning_rate"):
        assert name in names, name


@pytest.mark.parametrize("activate", [True, False])
def test_backward_and_the_labs_split_step_give_the_same_floats(activate: bool) -> None:
    """The lab trains with compute_gradients then apply_update (its fast path); the readable
    backward must move w and b to the very same floats and return the same dC/dx."""
    rng = random.Random(7)
    for _ in range(200):
        weight = [rng.uniform(-3, 3) for _ in range(4)]
        bias, x = rng.uniform(-3, 3), [rng.choice((0, 1, rng.uniform(-2, 2))) for _ in range(4)]
        dcost_dy, rate = rng.uniform(-2, 2), rng.choice((0.1, 0.37, 10.0))
        readable = nn.Neuron(4, weight=list(weight), bias=bias)
        split = nn.Neuron(4, weight=list(weight), bias=bias)
        readable.forward(x, activate)
        split.forward(x, activate)
        returned = readable.backward(x, dcost_dy, rate)
        assert returned == split.compute_gradients(x, dcost_dy)
        split.apply_update(rate)
        assert (readable.weight, readable.bias) == (split.weight, split.bias)
        assert readable.dcost_dw == split.dcost_dw and readable.dcost_db == split.dcost_db
