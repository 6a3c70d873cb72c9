"""nn.Network and nn.Layer: construction, training loop, metrics, saving."""

from __future__ import annotations

import copy
import itertools
import json
import math
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn

PARITY3 = nn.all_examples("parity", 3)


def test_layers_follow_sizes_with_neuron_j_of_layer_l_at_layers_l_neurons_j() -> None:
    network = nn.Network([5, 3, 2, 2], seed=0)
    assert network.sizes == [5, 3, 2, 2]
    assert [len(layer.neurons) for layer in network.layers] == [3, 2, 2]
    assert [layer.isize for layer in network.layers] == [5, 3, 2]
    assert all(n.isize == 3 for n in network.layers[1].neurons)
    assert len(network.parameters()) == 3 * 6 + 2 * 4 + 2 * 3


def test_activation_names_per_layer_follow_activation_output_activation_and_activations() -> None:
    assert nn.Network([2, 3, 3, 1]).activations == ["sigmoid"] * 3
    assert nn.Network([2, 3, 1], activation="tanh").activations == ["tanh", "tanh"]
    mixed = nn.Network([2, 3, 3, 1], activation="relu", output_activation="linear")
    assert mixed.activations == ["relu", "relu", "linear"]
    chosen = nn.Network(
        [2, 3, 3, 1], activation="relu", output_activation="linear",
        activations=["tanh", "sigmoid", "relu"],
    )  # fmt: skip
    assert chosen.activations == ["tanh", "sigmoid", "relu"]
    assert [n.activation.name for n in chosen.layers[1].neurons] == ["sigmoid"] * 3


@pytest.mark.parametrize("activations", [["sigmoid"], ["sigmoid"] * 3, "sigmoid"])
def test_activations_must_give_one_name_per_layer(activations: Any) -> None:
    with pytest.raises(ValueError, match="one per layer"):
        nn.Network([2, 3, 1], activations=activations)


@pytest.mark.parametrize(
    "kwargs",
    [{"activation": "softmax"}, {"output_activation": "heaviside"}, {"activations": ["tanh", "x"]}],
)
def test_unknown_activation_in_a_network_is_a_value_error(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown activation"):
        nn.Network([2, 3, 1], **kwargs)


@pytest.mark.parametrize("sizes", [[3], [], [3, 0, 1], [3, -1], [2, 1.5], [True, 1], "31"])
def test_sizes_must_be_at_least_two_whole_numbers_of_at_least_1(sizes: Any) -> None:
    with pytest.raises(ValueError, match="sizes must be 2 or more whole numbers"):
        nn.Network(sizes)


@pytest.mark.parametrize("init", sorted(nn.INITIALIZERS))
def test_same_seed_same_weights_and_different_seed_different_weights(init: str) -> None:
    a = nn.Network([4, 3, 2], seed=7, init=init)
    b = nn.Network([4, 3, 2], seed=7, init=init)
    c = nn.Network([4, 3, 2], seed=8, init=init)
    assert a.parameters() == b.parameters()
    assert a.parameters() != c.parameters()


def test_weights_are_drawn_layer_by_layer_neuron_by_neuron() -> None:
    rng = random.Random(3)
    expected = [rng.uniform(-1, 1) for _ in range(3 * 3 + 2 * 4)]
    assert nn.Network([2, 3, 2], seed=3).parameters() == expected


def test_forward_feeds_each_layers_outputs_to_the_next() -> None:
    network = nn.Network([3, 4, 2], activations=["tanh", "sigmoid"], seed=1)
    x = [1, 0, 1]
    hidden = [math.tanh(sum(w * xi for w, xi in zip(n.weight, x, strict=True)) + n.bias)
              for n in network.layers[0].neurons]  # fmt: skip
    expected = [nn.sigmoid(sum(w * h for w, h in zip(n.weight, hidden, strict=True)) + n.bias)
                for n in network.layers[1].neurons]  # fmt: skip
    assert network.forward(x) == expected
    assert network.layers[0].y == hidden


def test_activate_output_false_makes_the_output_z_itself() -> None:
    network = nn.Network([3, 4, 1], seed=2, activate_output=False)
    y = network.forward([1, 1, 0])
    out = network.layers[-1].neurons[0]
    assert y == [out.z]
    assert not out.activated
    assert network.layers[0].neurons[0].activated
    assert network.activations == ["sigmoid", "sigmoid"]


def test_an_input_of_the_wrong_length_is_a_value_error_naming_both_lengths() -> None:
    network = nn.Network([3, 2, 1], seed=0)
    with pytest.raises(ValueError, match="expected 3 inputs, got 2"):
        network.forward([1, 0])
    with pytest.raises(ValueError, match="expected 3 inputs, got 0"):
        network.train_step([], [1.0], 0.1)
    with pytest.raises(ValueError, match="expected 1 target, got 2"):
        network.train_step([1, 0, 1], [1.0, 0.0], 0.1)


def test_train_step_returns_the_cost_before_the_step_and_lowers_it() -> None:
    network = nn.Network([3, 4, 1], seed=5)
    x, t = [1, 0, 1], [1.0]
    before = nn.squared_error(network.forward(x), t)
    assert network.train_step(x, t, 0.5) == before
    assert nn.squared_error(network.forward(x), t) < before


def test_backprop_stores_gradients_without_changing_any_weight() -> None:
    network = nn.Network([3, 4, 2], seed=5)
    before = network.parameters()
    cost = network.backprop([1, 1, 0], [0.0, 1.0])
    assert network.parameters() == before
    assert cost == nn.squared_error(network.forward([1, 1, 0]), [0.0, 1.0])
    assert any(n.dcost_dw != [0.0] * n.isize for layer in network.layers for n in layer.neurons)
    assert len(network.dcost_dx) == 3


def test_train_epoch_returns_the_mean_of_the_costs_before_each_step() -> None:
    network = nn.Network([3, 4, 1], seed=5)
    twin = copy.deepcopy(network)
    costs = [twin.train_step(x, t, 0.5) for x, t in PARITY3]
    assert network.train_epoch(PARITY3, 0.5) == sum(costs) / len(costs)
    assert network.parameters() == twin.parameters()


@pytest.mark.parametrize("shape", [[3, 1], [3, 4, 1], [3, 5, 4, 2]], ids=str)
def test_batch_size_1_is_bit_identical_to_train_step_on_each_example(shape: list[int]) -> None:
    network = nn.Network(shape, activations=["tanh"] * (len(shape) - 2) + ["sigmoid"], seed=9)
    twin = copy.deepcopy(network)
    examples = [(x, t * shape[-1]) for x, t in PARITY3]
    for _ in range(5):
        network.train_epoch(examples, 0.7, batch_size=1)
        for x, t in examples:
            twin.train_step(x, t, 0.7)
        assert network.parameters() == twin.parameters()


def mean_gradient_step(network: nn.Network, batch: list[Any], lr: float) -> None:
    """Backprop each example, then step every neuron once against the mean gradient."""
    neurons = [n for layer in network.layers for n in layer.neurons]
    sums = [[0.0] * (n.isize + 1) for n in neurons]  # dC/dw..., dC/db
    for x, t in batch:
        network.backprop(x, t)
        for k, n in enumerate(neurons):
            for i, g in enumerate([*n.dcost_dw, n.dcost_db]):
                sums[k][i] += g
    for k, n in enumerate(neurons):
        mean = [s / len(batch) for s in sums[k]]
        n.apply_gradient(mean[:-1], mean[-1], lr)


def test_a_mini_batch_applies_the_mean_gradient_once() -> None:
    network = nn.Network([3, 2, 1], seed=4)
    twin = copy.deepcopy(network)
    network.train_epoch(PARITY3[:3], 0.5, batch_size=3)
    mean_gradient_step(twin, PARITY3[:3], 0.5)
    assert network.parameters() == twin.parameters()
    assert network.parameters() != nn.Network([3, 2, 1], seed=4).parameters()


def test_a_last_smaller_batch_averages_over_its_own_size() -> None:
    network = nn.Network([3, 2, 1], seed=4)
    twin = copy.deepcopy(network)
    network.train_epoch(PARITY3, 0.5, batch_size=3)  # batches of 3, 3 and 2
    for start in (0, 3, 6):
        mean_gradient_step(twin, PARITY3[start : start + 3], 0.5)
    assert network.parameters() == twin.parameters()


def test_shuffling_with_an_rng_is_deterministic_and_leaves_the_callers_list_alone() -> None:
    examples = list(PARITY3)
    original = copy.deepcopy(examples)
    runs = []
    for _ in range(2):
        network = nn.Network([3, 4, 1], seed=1)
        network.train_epoch(examples, 0.5, rng=random.Random(42))
        runs.append(network.parameters())
    assert examples == original
    assert runs[0] == runs[1]

    order = list(PARITY3)
    random.Random(42).shuffle(order)
    in_that_order = nn.Network([3, 4, 1], seed=1)
    in_that_order.train_epoch(order, 0.5)
    assert runs[0] == in_that_order.parameters()
    unshuffled = nn.Network([3, 4, 1], seed=1)
    unshuffled.train_epoch(examples, 0.5)
    assert runs[0] != unshuffled.parameters()


@pytest.mark.parametrize("batch_size", [0, -1, 1.5, True])
def test_batch_size_must_be_a_whole_number_of_at_least_1(batch_size: Any) -> None:
    with pytest.raises(ValueError, match="batch_size must be 1 or more"):
        nn.Network([3, 1], seed=0).train_epoch(PARITY3, 0.1, batch_size=batch_size)


def test_no_examples_is_a_value_error_for_training_and_metrics() -> None:
    network = nn.Network([3, 1], seed=0)
    for call in (
        lambda: network.train_epoch([], 0.1),
        lambda: network.mean_cost([]),
        lambda: network.accuracy([]),
        lambda: network.evaluate([]),
        lambda: network.epoch_batches([]),
        lambda: network.train_batch([], 0.1),
    ):
        with pytest.raises(ValueError) as error:
            call()
        assert str(error.value) == (
            "There are no examples to train on: add at least one to the training set."
        )


def test_mean_cost_is_the_average_cost_and_changes_no_weight() -> None:
    network = nn.Network([3, 4, 1], seed=3)
    before = network.parameters()
    expected = sum(nn.squared_error(network.forward(x), t) for x, t in PARITY3) / 8
    assert network.mean_cost(PARITY3) == expected
    assert network.parameters() == before


def fixed_output_network(outputs: list[float]) -> nn.Network:
    """A network whose outputs are ``outputs`` whatever the input (zero weights)."""
    network = nn.Network([2, len(outputs)], activation="linear", seed=0)
    for neuron, y in zip(network.layers[0].neurons, outputs, strict=True):
        neuron.weight = [0.0, 0.0]
        neuron.bias = y
    return network


def test_accuracy_counts_examples_whose_every_thresholded_output_equals_its_target() -> None:
    network = fixed_output_network([0.7, 0.2])
    examples = [
        ([0, 0], [1, 0]),  # both right
        ([0, 1], [1, 1]),  # second wrong
        ([1, 0], [0, 0]),  # first wrong
        ([1, 1], [1.0, 0.0]),  # both right
    ]
    assert network.accuracy(examples) == 0.5
    assert network.accuracy(examples, threshold=0.1) == 0.25  # both outputs now read 1
    assert fixed_output_network([0.5]).accuracy([([0, 0], [1])]) == 1.0  # 0.5 reads as 1
    assert fixed_output_network([math.nan]).accuracy([([0, 0], [0]), ([0, 0], [1])]) == 0.0


def test_accuracy_needs_targets_of_0_or_1() -> None:
    with pytest.raises(ValueError, match="targets of 0 or 1"):
        fixed_output_network([0.7]).accuracy([([0, 0], [0.5])])


@pytest.mark.parametrize(
    ("shape", "names", "activate_output"),
    [([3, 1], ["sigmoid"], True), ([3, 4, 1], ["relu", "linear"], False),
     ([5, 3, 2, 2], ["tanh", "relu", "sigmoid"], True)],
)  # fmt: skip
def test_to_dict_survives_json_exactly(
    shape: list[int], names: list[str], activate_output: bool
) -> None:
    network = nn.Network(shape, activations=names, seed=4, activate_output=activate_output)
    network.train_epoch([([1] * shape[0], [0.3] * shape[-1])], 0.1)
    text = json.dumps(network.to_dict())
    copy_ = nn.Network.from_dict(json.loads(text))
    assert json.dumps(copy_.to_dict()) == text
    assert copy_.parameters() == network.parameters()
    assert copy_.sizes == shape
    assert copy_.activations == names
    assert copy_.activate_output == activate_output
    x = [0.5] * shape[0]
    assert copy_.forward(x) == network.forward(x)
    copy_.train_step(x, [0.1] * shape[-1], 0.3)
    network.train_step(x, [0.1] * shape[-1], 0.3)
    assert copy_.parameters() == network.parameters()


def good_network_data() -> dict[str, Any]:
    return nn.Network([2, 2, 1], seed=0).to_dict()


def spoil(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = good_network_data()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (spoil(("sizes",), [2, 3, 1]), "layer 0 must be a list of 3 neurons"),
        (spoil(("sizes",), [2]), "sizes must be 2 or more"),
        (spoil(("sizes",), "2,2,1"), "sizes must be 2 or more"),
        (spoil(("activations",), ["sigmoid"]), "expected 2 activation names"),
        (spoil(("activations",), "sigmoid"), "activations must be a list"),
        (spoil(("activations",), ["sigmoid", "softmax"]), "unknown activation"),
        (spoil(("activations",), ["tanh", "sigmoid"]), "must have isize 2 and activation 'tanh'"),
        (spoil(("activate_output",), "yes"), "activate_output must be true or false"),
        (spoil(("layers",), []), "layers must be a list of 2 layers"),
        (spoil(("layers", 1), {}), "layer 1 must be a list of 1 neurons"),
        (spoil(("layers", 1, 0, "weight"), [0.1]), "layer 1 neuron 0: weight must be a list"),
        (spoil(("layers", 0, 1, "bias"), math.nan), "layer 0 neuron 1: bias must be a finite"),
        (spoil(("layers", 1, 0, "isize"), 3), "layer 1 neuron 0: weight must be a list of 3"),
        (spoil(("version",), 2), "unknown keys version"),
        ([], "network data must be a dict"),
    ],
)
def test_from_dict_rejects_bad_data_saying_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        nn.Network.from_dict(data)


def test_relu_at_learning_rate_10_diverges_to_nan_without_exceptions() -> None:
    network = nn.Network([3, 4, 1], activation="relu", seed=0, activate_output=False)
    examples = nn.all_examples("value", 3)
    costs = [network.train_epoch(examples, 10.0) for _ in range(40)]
    assert not network.is_finite()
    assert not math.isfinite(costs[-1])
    assert not all(math.isfinite(y) for y in network.forward([1, 1, 1]))
    assert network.accuracy(nn.all_examples("parity", 3)) == 0.0
    network.train_epoch(examples, 10.0, batch_size=3)
    network.backprop([1, 0, 1], [0.5])
    with pytest.raises(ValueError, match="not finite"):
        network.to_dict()


def test_is_finite_is_true_for_a_fresh_network_and_false_after_one_bad_weight() -> None:
    network = nn.Network([3, 4, 1], seed=0)
    assert network.is_finite()
    network.layers[1].neurons[0].weight[2] = math.inf
    assert not network.is_finite()


def test_repr_shows_sizes_and_activations() -> None:
    assert repr(nn.Network([3, 4, 1], activation="tanh", output_activation="sigmoid")) == (
        "Network(sizes=[3, 4, 1], activations=['tanh', 'sigmoid'], activate_output=True)"
    )
    assert repr(nn.Network([3, 1]).layers[0]) == (
        "Layer(size=1, isize=3, activation='sigmoid', activate=True)"
    )


def test_a_layer_needs_neurons_sharing_input_size_and_activation() -> None:
    with pytest.raises(ValueError, match="1 or more neurons"):
        nn.Layer([])
    with pytest.raises(ValueError, match="share input size and activation"):
        nn.Layer([nn.Neuron(2, "tanh"), nn.Neuron(2, "relu")])
    with pytest.raises(ValueError, match="share input size and activation"):
        nn.Layer([nn.Neuron(2), nn.Neuron(3)])


def test_from_layers_checks_that_consecutive_layers_fit() -> None:
    with pytest.raises(ValueError, match="must match the layer below"):
        nn.Network.from_layers([nn.Layer.create(2, 3), nn.Layer.create(2, 1)])
    network = nn.Network.from_layers([nn.Layer.create(2, 3), nn.Layer.create(3, 1)])
    assert network.sizes == [2, 3, 1]


@pytest.mark.parametrize("batch_size", [1, 3, len(PARITY3)])
def test_an_epoch_trained_batch_by_batch_is_bit_identical_to_train_epoch(batch_size: int) -> None:
    network = nn.Network([3, 4, 1], activations=["tanh", "sigmoid"], seed=6)
    pieces = copy.deepcopy(network)
    whole_rng, pieces_rng = random.Random(11), random.Random(11)
    for _ in range(3):
        mean = network.train_epoch(PARITY3, 0.6, batch_size=batch_size, rng=whole_rng)
        batches = pieces.epoch_batches(PARITY3, batch_size=batch_size, rng=pieces_rng)
        assert [len(b) for b in batches] == [
            min(batch_size, len(PARITY3) - start) for start in range(0, len(PARITY3), batch_size)
        ]
        costs = [c for batch in batches for c in pieces.train_batch(batch, 0.6)]
        assert sum(costs) / len(costs) == mean
        assert pieces.parameters() == network.parameters()
        assert pieces_rng.getstate() == whole_rng.getstate()


def test_epoch_batches_shuffles_a_copy_like_train_epoch_and_keeps_every_example() -> None:
    examples = list(PARITY3)
    batches = nn.Network([3, 1], seed=0).epoch_batches(examples, 3, random.Random(42))
    order = list(PARITY3)
    random.Random(42).shuffle(order)
    assert [e for batch in batches for e in batch] == order
    assert examples == PARITY3
    assert nn.Network([3, 1], seed=0).epoch_batches(examples, 5) == [PARITY3[:5], PARITY3[5:]]
    with pytest.raises(ValueError, match="batch_size must be 1 or more"):
        nn.Network([3, 1], seed=0).epoch_batches(examples, 0)


def test_train_batch_of_one_example_is_train_step() -> None:
    network = nn.Network([3, 2, 1], seed=4)
    twin = copy.deepcopy(network)
    x, t = PARITY3[5]
    assert network.train_batch([(x, t)], 0.5) == [twin.train_step(x, t, 0.5)]
    assert network.parameters() == twin.parameters()


@pytest.mark.parametrize("task", ["parity", "value"])
def test_evaluate_gives_mean_cost_and_accuracy_or_none_for_targets_not_0_or_1(task: str) -> None:
    network = nn.Network([3, 4, 1], seed=3)
    network.train_epoch(nn.all_examples(task, 3), 0.5)
    examples = nn.all_examples(task, 3)
    before = network.parameters()
    cost, accuracy = network.evaluate(examples)
    assert cost == network.mean_cost(examples)
    if task == "parity":
        assert accuracy == network.accuracy(examples)
    else:
        assert accuracy is None
    assert network.parameters() == before


def test_evaluate_does_one_forward_pass_per_example() -> None:
    network = nn.Network([3, 1], seed=0)
    calls = []
    forward = network.forward
    network.forward = lambda x: calls.append(x) or forward(x)  # type: ignore[method-assign]
    network.evaluate(PARITY3)
    assert len(calls) == len(PARITY3)


def test_evaluate_counts_examples_with_every_output_right_and_nan_as_wrong() -> None:
    network = fixed_output_network([0.7, 0.2])
    examples = [([0, 0], [1, 0]), ([0, 1], [1, 1])]  # right, then second output wrong
    cost, accuracy = network.evaluate(examples)
    assert math.isclose(cost, (0.3**2 + 0.2**2 + 0.3**2 + 0.8**2) / 2, rel_tol=1e-15)
    assert accuracy == 0.5
    cost, accuracy = fixed_output_network([math.nan]).evaluate([([0, 0], [0])])
    assert math.isnan(cost)
    assert accuracy == 0.0


def test_set_parameters_of_parameters_changes_nothing() -> None:
    network = nn.Network([5, 3, 2, 1], seed=1)
    network.train_epoch(nn.all_examples("odd", 5), 0.3)
    before = network.parameters()
    network.set_parameters(before)
    assert network.parameters() == before
    twin = nn.Network([5, 3, 2, 1], seed=2)
    twin.set_parameters(before)
    assert twin.parameters() == before
    assert twin.forward([1, 0, 1, 1, 0]) == network.forward([1, 0, 1, 1, 0])


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=4), min_size=2, max_size=4).flatmap(
        lambda sizes: st.tuples(
            st.just(sizes),
            st.lists(
                st.one_of(finite, st.integers(min_value=-(2**60), max_value=2**60)),
                min_size=sum((a + 1) * b for a, b in itertools.pairwise(sizes)),
                max_size=sum((a + 1) * b for a, b in itertools.pairwise(sizes)),
            ),
        )
    )
)
def test_set_parameters_then_parameters_gives_the_values_back_layer_by_layer(
    case: tuple[list[int], list[float]],
) -> None:
    sizes, values = case
    network = nn.Network(sizes, seed=0)
    network.set_parameters(values)
    assert network.parameters() == [float(v) for v in values]
    assert all(type(p) is float for p in network.parameters())
    first = network.layers[0].neurons[0]
    assert [*first.weight, first.bias] == [float(v) for v in values[: sizes[0] + 1]]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([0.5] * 25, "expected 26 weights and biases, got 25"),
        ([0.5] * 27, "expected 26 weights and biases, got 27"),
        ([0.5] * 25 + [math.nan], "layer 1 neuron 1: bias must be a finite number"),
        ([0.5] * 16 + [math.inf] + [0.5] * 9, "layer 1 neuron 0: weight 0 must be a finite"),
        ([True] + [0.5] * 25, "layer 0 neuron 0: weight 0 must be a number, got True"),
        ([0.5] * 10 + ["0.5"] + [0.5] * 15, "layer 0 neuron 2: weight 2 must be a number"),
        ([0.5] * 25 + [10**400], "layer 1 neuron 1: bias must be a finite number"),
    ],
)
def test_set_parameters_refuses_bad_values_and_leaves_the_network_unchanged(
    values: list[Any], message: str
) -> None:
    network = nn.Network([3, 4, 2], seed=0)  # (3 + 1) * 4 + (4 + 1) * 2 = 26
    before = network.parameters()
    with pytest.raises(ValueError, match=message):
        network.set_parameters(values)
    assert network.parameters() == before
