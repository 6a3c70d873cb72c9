"""Which settings fit together: the output layer and the task, the cost and the output, label
noise and the task. Field parsers for ``fields.FIELDS`` that read the fields above them (the
``Context``) and say, when a value does not fit, what would. No browser imports."""

from __future__ import annotations

from inputs import parse_cost_name, parse_layers, parse_noise
from values import Context, output_count, outputs_reason

from nn import get_task


def parse_layers_field(text: str, context: Context) -> tuple[tuple[int, ...], list[str]]:
    """Layer sizes whose output layer has one neuron per output of the task."""
    outputs = output_count(context.task, context.width, context.k)
    why = outputs_reason(context.task, context.width, context.k)
    return parse_layers(text, outputs, why), []


def default_layers(context: Context) -> tuple[int, ...]:
    """One output neuron per class (a single neuron for the one-output tasks)."""
    return (output_count(context.task, context.width, context.k),)


def parse_cost_field(text: str, context: Context) -> tuple[str, list[str]]:
    """A cost from ``nn.COSTS`` that suits the output layer; else a message saying what fits."""
    name = parse_cost_name(text)
    outputs = context.layers[-1]
    output = (context.layer_activations or (context.activation,) * len(context.layers))[-1]
    if name == "softmax-cross-entropy" and outputs < 2:
        raise ValueError(
            "Softmax cross-entropy needs 2 or more outputs, one per class, but this network has "
            "1 output: choose cross-entropy (one sigmoid output) or squared, or a class task "
            "such as ones."
        )
    if name == "cross-entropy":
        if outputs != 1:
            raise ValueError(
                f"Cross-entropy is for one sigmoid output (yes or no), but this network has "
                f"{outputs} outputs: choose softmax cross-entropy for several classes."
            )
        if not context.activate_output or output != "sigmoid":
            applied = output if context.activate_output else "not activated (y = z)"
            raise ValueError(
                f"Cross-entropy needs a sigmoid output (y between 0 and 1), but the output is "
                f"{applied}: choose sigmoid for the output and activate it, or the squared cost."
            )
    return name, []


def parse_noise_field(text: str, context: Context) -> tuple[float, list[str]]:
    """Label noise, only for the tasks whose targets are classes (0/1 or one per class)."""
    noise = parse_noise(text)
    if noise and not get_task(context.task).is_classification:
        raise ValueError(
            f"Label noise makes some 0/1 targets or classes wrong, but the {context.task} task "
            "has targets between 0 and 1: choose a classification task such as odd or ones, "
            "or noise 0."
        )
    return noise, []
