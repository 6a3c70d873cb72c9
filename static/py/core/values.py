"""The values settings are made of: a training number, the context a setting is read in, and the
counts that follow from the width and the layers."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from core.i18n import named, t
from nn import encode_bits, get_task

ALL = "all"  # examples=all: every number of the width, in order

# Controls a teacher may hide with ?hide=NAME, with the words the Embed dialog uses for them.
HIDEABLE_LABELS = {
    "width": "Width (bits)",
    "bits": "The number and its bits",
    "task": "What to learn",
    "threshold": "Threshold",
    "examples": "The training set's list",
    "add-example": "Add to training / test set",
    "dataset-tools": "More ways to fill the data set",
    "test": "The test set",
    "learning-rate": "Learning rate",
    "epochs": "Epochs per Train",
    "activation": "Activation",
    "activate": "Activate the output",
    "seed": "Seed",
    "layers": "Hidden layers",
    "init": "Initial weights",
    "batch": "Batch size",
    "train": "Train and Pause",
    "step": "Step 1 epoch",
    "step-example": "Step one example",
    "reset": "Reset",
    "chart": "The loss chart",
    "history": "The history slider (look back)",
    "neuron": "The diagram",
    "math": "The math",
    "prediction": "The prediction",
    "share": "Copy link, Embed, Export, Import, As Python",
    "speed": "Speed",
    "outputs": "The outputs table",
    "k": "k (for the mod task)",
    "cost": "Cost",
    "l2": "L2 weight decay",
    "noise": "Label noise",
    "optimizer": "Optimizer and its settings",
    "confusion": "The confusion matrix",
    "code": "The code panel",
}
HIDEABLE = tuple(HIDEABLE_LABELS)


@dataclass(frozen=True)
class TrainingNumber:
    """One number of the training set as the settings hold it: its bits (most significant
    first) and, only for the "custom" task, the target t in [0, 1] the learner typed. nn's
    ``Example`` (x, t) is made from it with its targets (``Lab.examples``)."""

    bits: str  # e.g. "00101"
    target: float | None = None  # None unless the task is "custom"


@dataclass(frozen=True)
class Context:
    """What a field's parser may depend on: the fields read before it (with the defaults
    of ``Settings``, checked by a test)."""

    width: int = 8
    task: str = "value"
    k: int = 3
    examples: tuple[TrainingNumber, ...] = ()
    activation: str = "sigmoid"
    activate_output: bool = True
    layers: tuple[int, ...] = (1,)
    layer_activations: tuple[str, ...] = ()


CONTEXT_NAMES = frozenset(
    ("width", "task", "k", "examples", "activation", "activate_output", "layers")
) | {"layer_activations"}


def output_count(task: str, width: int, k: int) -> int:
    """How many output neurons ``task`` needs: one per class for a class task, else 1."""
    return get_task(task).classes(width, k) or 1


def outputs_reason(task: str, width: int, k: int) -> str:
    """Why the output layer has ``output_count`` neurons, for messages."""
    classes = get_task(task).classes(width, k)
    if classes is None:
        return t("fit.one_target")
    key = "fit.one_per_class_k" if get_task(task).uses_k else "fit.one_per_class"
    return t(key, task=task_name(task), classes=classes, width=width, k=k)


def task_name(task: str) -> str:
    """A task in a message: its name in English ("odd"), its label without the parenthesis
    in another language ("ist sie ungerade?")."""
    return named(f"task.{task}.label", task).split(" (")[0]


def default_threshold(width: int) -> int:
    """The threshold used when none fits: the middle, 2^(width-1) - 1 (127 for 8 bits)."""
    return 2 ** (width - 1) - 1


@functools.cache
def all_numbers(width: int) -> tuple[str, ...]:
    """Every ``width``-bit number in order: 0...0 first."""
    return tuple(encode_bits(value, width) for value in range(2**width))


@functools.cache
def all_examples(width: int) -> tuple[TrainingNumber, ...]:
    """Every ``width``-bit number in order as an example without a target (one shared tuple)."""
    return tuple(TrainingNumber(bits) for bits in all_numbers(width))


def parameter_count(width: int, layers: Sequence[int]) -> int:
    """How many weights and biases a network with ``width`` inputs and these
    layer sizes has: each neuron has one weight per input plus a bias."""
    count, inputs = 0, width
    for size in layers:
        count += (inputs + 1) * size
        inputs = size
    return count
