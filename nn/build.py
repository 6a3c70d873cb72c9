"""How a network is built, checked: its sizes, an activation per layer, lambda, its first
layers (``Network``) and the layers of saved data (``Network.from_dict``)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from nn.activations import get_activation
from nn.cost import get_cost
from nn.i18n import text as text_of
from nn.layer import Layer
from nn.neuron import Neuron
from nn.validation import check_keys, finite_float, is_count


def check_sizes(sizes: Sequence[int]) -> list[int]:
    """``sizes`` as a list: 2 or more whole numbers of at least 1; ValueError otherwise."""
    sizes = list(sizes)
    if len(sizes) < 2 or not all(is_count(s) for s in sizes):
        raise ValueError(text_of("build.sizes", got=repr(sizes)))
    return sizes


def layer_activations(
    count: int,
    activation: str,
    output_activation: str | None,
    activations: Sequence[str] | None,
) -> list[str]:
    """One activation name per layer: ``activations``, or ``activation`` with
    ``output_activation`` (None: the same) for the last; ValueError for unknown names."""
    if activations is not None:
        if isinstance(activations, str):
            raise ValueError(text_of("build.activations_one_per_layer"))
        names = list(activations)
        if len(names) != count:
            raise ValueError(text_of("build.activation_count", n=count, got=len(names)))
    else:
        last = activation if output_activation is None else output_activation
        names = [activation] * (count - 1) + [last]
    for name in names:
        get_activation(name)
    return names


def check_l2(l2: object) -> float:
    """lambda as a float from 0 to 1; ValueError otherwise."""
    value = finite_float(l2, "l2")
    if not 0 <= value <= 1:
        raise ValueError(text_of("build.l2", got=repr(l2)))
    return value


def new_layers(
    sizes: list[int],
    names: list[str],
    seed: int | None,
    init: str,
    activate_output: bool,
    softmax: bool,
    neuron_class: type[Neuron] = Neuron,
) -> list[Layer]:
    """Layer k with sizes[k + 1] new neurons of activation names[k], each with sizes[k]
    inputs, drawn from ``random.Random(seed)`` layer by layer, neuron by neuron. The last
    layer activates if ``activate_output`` and is a softmax layer if ``softmax``."""
    rng = random.Random(seed)
    last = len(sizes) - 2
    return [
        Layer.create(
            sizes[k],
            sizes[k + 1],
            names[k],
            rng,
            init,
            activate=k < last or activate_output,
            softmax=k == last and softmax,
            neuron_class=neuron_class,
        )
        for k in range(last + 1)
    ]


def layers_of(
    data: Mapping[str, Any], neuron_class: type[Neuron] = Neuron
) -> tuple[list[Layer], str, float]:
    """The layers, cost name and lambda described by ``data`` (as made by ``to_dict``),
    of neurons made by ``neuron_class.from_dict``.

    ValueError, saying what is wrong, for bad shapes, types, numbers that are
    not finite or unknown names. "cost" and "l2" may be left out (data saved
    before they existed): squared and 0.
    """
    keys = {"sizes", "activations", "activate_output", "layers"}
    if isinstance(data, Mapping):
        keys |= {"cost", "l2", "optimizer", "optimizer_options", "optimizer_state"} & set(data)
    data = check_keys(data, keys, "network data")
    cost = data.get("cost", "squared")
    softmax = get_cost(cost).softmax
    sizes = check_sizes(data["sizes"])
    names = data["activations"]
    if not isinstance(names, list):
        raise ValueError(text_of("build.activations_list", got=repr(names)))
    names = layer_activations(len(sizes) - 1, "", None, names)
    activate_output = data["activate_output"]
    if not isinstance(activate_output, bool):
        raise ValueError(text_of("build.activate_output", got=repr(activate_output)))
    layers_data = data["layers"]
    if not isinstance(layers_data, list) or len(layers_data) != len(sizes) - 1:
        raise ValueError(text_of("build.layers", n=len(sizes) - 1))
    layers = []
    for k, neurons_data in enumerate(layers_data):
        if not isinstance(neurons_data, list) or len(neurons_data) != sizes[k + 1]:
            raise ValueError(text_of("build.layer", layer=k, n=sizes[k + 1]))
        neurons = []
        for j, neuron_data in enumerate(neurons_data):
            what = text_of("check.neuron_of", layer=k, neuron=j)
            neuron = neuron_class.from_dict(neuron_data, what)
            if neuron.isize != sizes[k] or neuron.activation.name != names[k]:
                raise ValueError(
                    text_of("build.neuron", what=what, isize=sizes[k], activation=repr(names[k]))
                )
            neurons.append(neuron)
        is_output = k == len(layers_data) - 1
        activate = activate_output or not is_output
        layers.append(Layer(neurons, activate, softmax=softmax and is_output))
    return layers, cost, check_l2(data.get("l2", 0.0))


def optimizer_of(data: Mapping[str, Any]) -> tuple[str, Any, Any]:
    """The optimizer's name, options and state in saved data (``Network.use_optimizer``
    checks them); sgd with its defaults and a fresh state when left out (data saved before
    optimizers existed)."""
    return data.get("optimizer", "sgd"), data.get("optimizer_options"), data.get("optimizer_state")
