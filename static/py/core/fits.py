"""Which settings fit together: the output layer and the task, the cost and the output (the
cost's own rule, ``nn.Cost.fit_problem``), label noise and the task. Field parsers for
``fields.FIELDS`` that read the fields above them (the ``Context``) and say, when a value does
not fit, what would. No browser imports."""

from __future__ import annotations

from core.i18n import t
from core.inputs import parse_cost_name, parse_layers, parse_noise
from core.values import Context, output_count, outputs_reason, task_name
from nn import get_cost, get_task


def parse_layers_field(text: str, context: Context) -> tuple[tuple[int, ...], list[str]]:
    """Layer sizes whose output layer has one neuron per output of the task."""
    outputs = output_count(context.task, context.width, context.k)
    why = outputs_reason(context.task, context.width, context.k)
    return parse_layers(text, outputs, why), []


def default_layers(context: Context) -> tuple[int, ...]:
    """One output neuron per class (a single neuron for the one-output tasks)."""
    return (output_count(context.task, context.width, context.k),)


def parse_cost_field(text: str, context: Context) -> tuple[str, list[str]]:
    """A cost from ``nn.COSTS`` that suits the output layer; else nn's message saying what fits.
    A softmax cost reads the output neurons' z, so the network's output is then not activated
    (``settings.network_activation_names``)."""
    cost = get_cost(parse_cost_name(text))
    output = (context.layer_activations or (context.activation,) * len(context.layers))[-1]
    applied = output if context.activate_output and not cost.softmax else "linear"
    problem = cost.fit_problem(context.layers[-1], applied)
    if problem is not None:
        raise ValueError(problem)
    return cost.name, []


def parse_noise_field(text: str, context: Context) -> tuple[float, list[str]]:
    """Label noise, only for the tasks whose targets are classes (0/1 or one per class)."""
    noise = parse_noise(text)
    if noise and not get_task(context.task).is_classification:
        raise ValueError(t("fit.noise", task=task_name(context.task)))
    return noise, []
