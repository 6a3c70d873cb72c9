"""The optimizer's settings: which one, and its hyperparameters (μ, β₁, β₂, ε), as rows of
``fields.FIELDS``. Everything comes from ``nn.OPTIMIZERS``: the names, each hyperparameter's
symbol, default and range, and the fit rule that says which networks an optimizer can
train. No browser imports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.i18n import shown_number, t
from core.inputs import choice, number_in, typed
from core.values import Context
from nn import OPTIMIZERS, Network, get_task

# Every hyperparameter of every optimizer, by name (the page's URL key and Settings field).
HYPERPARAMETERS = {h.name: h for o in OPTIMIZERS.values() for h in o.hyperparameters}


def parse_optimizer_field(text: str, context: Context) -> tuple[str, list[str]]:
    """A name from ``nn.OPTIMIZERS`` that can train this network and task; ValueError saying
    what fits otherwise. (Its notes, such as why a step activation learns nothing under
    gradients, are no reason to refuse it: the page shows them beside the select.)"""
    name = choice(text, tuple(OPTIMIZERS), "optimizer")
    optimizer_notes(name, context)
    return name, []


def optimizer_notes(name: str, context: Context) -> list[str]:
    """The fit rule of optimizer ``name`` for the network and task of ``context``."""
    names = context.layer_activations or (context.activation,) * len(context.layers)
    task = get_task(context.task)
    binary = task.is_classification and not task.typed_targets
    return OPTIMIZERS[name].fit(list(names), context.activate_output, context.layers[-1], binary)


def hyperparameter_parser(name: str) -> Callable[[str], float]:
    """A parser for the hyperparameter ``name``: a number in its range, else ValueError naming
    its symbol and range (β₁ (beta1) must be a number from 0 up to, not including, 1…)."""
    hyper = HYPERPARAMETERS[name]

    def parse(text: str) -> float:
        value = number_in(text)
        try:
            return hyper.check(value if value is not None else text)
        except ValueError:
            low, high = shown_number(f"{hyper.low:g}"), shown_number(f"{hyper.high:g}")
            key = "hyper.range.closed" if hyper.high_included else "hyper.range.open"
            raise ValueError(
                t(
                    "hyper.problem",
                    symbol=hyper.text,
                    name=hyper.name,
                    range=t(key, low=low, high=high),
                    example=shown_number(f"{hyper.default:g}"),
                    typed=typed(text),
                )
            ) from None

    return parse


def optimizer_options(settings: Any) -> dict[str, float]:
    """The hyperparameters of the optimizer ``settings`` choose, by name (as nn takes them)."""
    return {
        h.name: getattr(settings, h.name) for h in OPTIMIZERS[settings.optimizer].hyperparameters
    }


def optimizer_key(settings: Any) -> tuple:
    """The optimizer of ``settings`` and its hyperparameters: what a replay depends on."""
    return (settings.optimizer, *optimizer_options(settings).values())


def step_key(settings: Any) -> tuple:
    """What a training step depends on besides the learning rate and the data: lambda of L2,
    the optimizer and its hyperparameters (a change keeps the weights)."""
    return (settings.l2, *optimizer_key(settings))


def follow_optimizer(network: Network, settings: Any) -> None:
    """Train ``network`` with the optimizer ``settings`` choose: the same optimizer keeps its
    state (new hyperparameters apply from the next step, as in PyTorch), another one starts
    afresh."""
    state = network.optimizer_state if network.optimizer.name == settings.optimizer else None
    network.use_optimizer(settings.optimizer, optimizer_options(settings), state)
