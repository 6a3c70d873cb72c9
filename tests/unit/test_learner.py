"""nn.learner: networks whose neurons compute with a class in the notebook's interface."""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

import nn
from tests.unit import notebook_reference as notebook

PARITY3 = nn.all_examples("parity", 3)


@pytest.fixture(autouse=True)
def _restore_global_random() -> Iterator[None]:
    """The learner's classes draw their first weights from the random module."""
    state = random.getstate()
    yield
    random.setstate(state)


def close(a: list[float], b: list[float], tol: float = 1e-9) -> bool:
    return all(math.isclose(p, q, rel_tol=tol, abs_tol=tol) for p, q in zip(a, b, strict=True))


def test_the_same_seed_starts_the_learners_network_from_the_labs_first_weights() -> None:
    mine = nn.Network([3, 4, 1], seed=7, neuron_class=nn.learner_neuron_class(notebook.Neuron))
    assert mine.parameters() == nn.Network([3, 4, 1], seed=7).parameters()
    assert all(isinstance(n, nn.LearnerNeuron) for layer in mine.layers for n in layer.neurons)


def test_a_correct_learner_class_trains_to_the_same_numbers_as_nn_neuron() -> None:
    mine = nn.Network([3, 4, 1], seed=1, neuron_class=nn.learner_neuron_class(nn.Neuron))
    labs = nn.Network([3, 4, 1], seed=1)
    for _ in range(200):
        assert math.isclose(mine.train_epoch(PARITY3, 1.0), labs.train_epoch(PARITY3, 1.0))
    assert close(mine.parameters(), labs.parameters())


@pytest.mark.parametrize("kwargs", [{"batch_size": 4}, {"batch_size": 3}])
def test_mini_batches_and_l2_step_as_the_lab_does(kwargs: dict[str, Any]) -> None:
    mine = nn.Network([3, 3, 1], seed=2, l2=0.01, neuron_class=nn.learner_neuron_class(nn.Neuron))
    labs = nn.Network([3, 3, 1], seed=2, l2=0.01)
    for epoch in range(30):
        mine.train_epoch(PARITY3, 0.5, rng=random.Random(epoch), **kwargs)
        labs.train_epoch(PARITY3, 0.5, rng=random.Random(epoch), **kwargs)
    assert close(mine.parameters(), labs.parameters())


def test_the_neurons_show_the_learners_gradients_as_nn_neuron_shows_its_own() -> None:
    mine = nn.Network([3, 2, 1], seed=3, neuron_class=nn.learner_neuron_class(nn.Neuron))
    labs = nn.Network([3, 2, 1], seed=3)
    assert math.isclose(mine.backprop([1, 0, 1], [0]), labs.backprop([1, 0, 1], [0]))
    for ours, theirs in zip(mine.layers, labs.layers, strict=True):
        for a, b in zip(ours.neurons, theirs.neurons, strict=True):
            assert (a.z, a.y, a.activated) == (b.z, b.y, b.activated)
            for name in ("dcost_dy", "dy_dz", "dcost_dz", "dcost_db"):
                assert math.isclose(getattr(a, name), getattr(b, name), abs_tol=1e-15), name
            assert close(a.dcost_dw, b.dcost_dw, 1e-12)
            assert close(a.dcost_dx, b.dcost_dx, 1e-12)
    assert close(mine.gradient(), labs.gradient(), 1e-12)
    assert mine.parameters() == labs.parameters()  # backprop leaves the weights alone


def test_a_traced_copy_and_saved_data_keep_the_learners_class() -> None:
    neuron_class = nn.learner_neuron_class(nn.Neuron)
    network = nn.Network([2, 2, 1], seed=4, neuron_class=neuron_class)
    traced = copy.deepcopy(network)
    traced.backprop([1, 0], [1])
    assert traced.parameters() == network.parameters()
    restored = nn.Network.from_dict(network.to_dict(), neuron_class)
    assert restored.parameters() == network.parameters()
    assert isinstance(restored.layers[0].neurons[0], neuron_class)
    network.set_parameters([0.5] * 9)
    assert network.forward([1, 1]) == nn.Network.from_dict(network.to_dict()).forward([1, 1])


class Recording(notebook.Neuron):
    """The notebook's neuron, remembering how forward was called."""

    calls: ClassVar[list[bool]] = []

    def forward(self, x: list[float], activate: bool = True) -> float:
        Recording.calls.append(activate)
        return super().forward(x, activate)


def test_a_linear_or_unactivated_output_calls_forward_with_activate_false() -> None:
    neuron_class = nn.learner_neuron_class(Recording)
    for kwargs in ({"output_activation": "linear"}, {"activate_output": False}):
        Recording.calls = []
        nn.Network([2, 2, 1], seed=5, neuron_class=neuron_class, **kwargs).forward([1, 0])
        assert Recording.calls == [True, True, False]


@pytest.mark.parametrize("kwargs", [{"activation": "relu"}, {"output_activation": "tanh"}])
def test_other_activations_are_refused_the_learners_neuron_is_a_sigmoid_neuron(
    kwargs: dict[str, Any],
) -> None:
    with pytest.raises(ValueError, match="Your Neuron is a sigmoid neuron"):
        nn.Network([2, 2, 1], neuron_class=nn.learner_neuron_class(notebook.Neuron), **kwargs)


def test_the_cross_entropy_cost_trains_through_the_learners_dcost_dy() -> None:
    mine = nn.Network(
        [3, 4, 1], seed=1, cost="cross-entropy", neuron_class=nn.learner_neuron_class(nn.Neuron)
    )
    labs = nn.Network([3, 4, 1], seed=1, cost="cross-entropy")
    for _ in range(50):
        mine.train_epoch(PARITY3, 0.5)
        labs.train_epoch(PARITY3, 0.5)
    assert close(mine.parameters(), labs.parameters(), 1e-7)


def wrong(forward: Any = None, backward: Any = None, bias: Any = 0.0) -> type:
    """A notebook-like class whose forward or backward gives the value passed."""

    class Wrong(notebook.Neuron):
        def forward(self, x: list[float], activate: bool = True) -> Any:
            y = super().forward(x, activate)
            return y if forward is None else forward

        def backward(self, x: list[float], dcost_dy: float, learning_rate: float) -> Any:
            dcost_dx = super().backward(x, dcost_dy, learning_rate)
            self.bias = bias
            return dcost_dx if backward is None else backward

    return Wrong


class ReturnsNothing(notebook.Neuron):
    def backward(self, x: list[float], dcost_dy: float, learning_rate: float) -> None:
        super().backward(x, dcost_dy, learning_rate)


@pytest.mark.parametrize(
    ("cls", "error", "message"),
    [
        (wrong(forward=[0.5]), TypeError, r"Neuron.forward returned list \[0.5\], not a number"),
        (wrong(forward=True), TypeError, "Neuron.forward returned bool True, not a number"),
        (wrong(backward="oops"), TypeError, "Neuron.backward returned str 'oops', not dC/dx"),
        (wrong(backward=[1.0]), ValueError, "returned 1 numbers, not dC/dx: a list of 2 numbers"),
        (wrong(bias=None), TypeError, "Neuron.backward left the bias as NoneType None"),
        (ReturnsNothing, TypeError, r"Neuron.backward returned nothing \(None\), not dC/dx"),
    ],
)
def test_values_of_the_wrong_kind_name_the_method_and_what_was_expected(
    cls: type, error: type, message: str
) -> None:
    network = nn.Network([2, 1], seed=1, neuron_class=nn.learner_neuron_class(cls))
    with pytest.raises(error, match=message):
        network.train_step([1, 0], [1], 0.5)


def test_learner_neuron_class_needs_a_class() -> None:
    with pytest.raises(TypeError, match="expected a class"):
        nn.learner_neuron_class(notebook.Neuron(3))  # type: ignore[arg-type]
    assert "LearnerNeuron(Neuron, isize=2" in repr(nn.learner_neuron_class(notebook.Neuron)(2))
