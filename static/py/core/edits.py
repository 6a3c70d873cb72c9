"""Changing the settings together: width, task, layers, and the data set.

Some settings must change together (a new width re-writes every number; a new task changes
what the examples carry), so each edit here takes a ``Settings`` and returns a new valid one,
with a note for the learner where something else changed. ValueError says why an edit is
refused. Targets come from ``nn.tasks``. No browser imports: tested in CPython.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from core.fields import format_ints
from core.i18n import named, t
from core.inputs import checked_int, parse_bits, parse_k, parse_layers, parse_target, parse_task
from core.settings import Settings, short_repr
from core.values import TrainingNumber, all_numbers, output_count
from nn import (
    COSTS,
    MAX_WIDTH,
    default_bits,
    encode_bits,
    get_cost,
    get_task,
    target_of_text,
    targets_for,
)
from nn.i18n import text as nn_text
from nn.validation import plural

CLASS_COST = next(cost for cost in COSTS.values() if cost.softmax)  # one output per class


def is_classification(task: str) -> bool:
    """True for the tasks whose targets are only 0 or 1 (all but value and custom)."""
    return get_task(parse_task(task)).is_classification


def example_target(settings: Settings, number: TrainingNumber) -> float:
    """The target t of a training ``number`` for the settings' task, in [0, 1] (see
    ``nn.tasks``); for the custom task, the target typed with it."""
    if get_task(settings.task).typed_targets:
        if number.target is None:
            raise ValueError(t("edits.no_target", bits=number.bits))
        return number.target
    return target_of_text(settings.task, number.bits, settings.threshold)


def example_targets(settings: Settings, number: TrainingNumber) -> list[float]:
    """The targets of a training ``number``: [t] for a one-output task (see
    ``example_target``), the one-hot vector of its class for a class task (``nn.targets_for``)."""
    if get_task(settings.task).class_rule is None:
        return [example_target(settings, number)]
    return targets_for(settings.task, [int(bit) for bit in number.bits], k=settings.k)


def with_width(settings: Settings, width: int) -> tuple[Settings, str | None]:
    """``settings`` with a new width, and a note for the learner (or None).

    Widening pads every number with zeros on the left; narrowing keeps the
    numbers that fit (re-written with fewer bits) and the note says how many
    were removed. The threshold is lowered if it no longer fits; the weights
    are dropped, since the network's input size changed.
    """
    width = checked_int(width, 1, MAX_WIDTH, f"Width must be a whole number from 1 to {MAX_WIDTH}")
    if width == settings.width:
        return settings, None
    top = 2**width

    def fit(bits: str) -> str | None:
        """``bits`` re-written with ``width`` bits, or None if the value doesn't fit."""
        value = int(bits, 2)
        return encode_bits(value, width) if value < top else None

    examples = tuple(
        TrainingNumber(new, e.target) for e in settings.examples if (new := fit(e.bits)) is not None
    )
    test = tuple(new for bits in settings.test if (new := fit(bits)) is not None)
    notes = []
    removed_examples = len(settings.examples) - len(examples)
    removed_test = len(settings.test) - len(test)
    if removed_examples or removed_test:
        removed = [
            t(key, n=n)
            for n, key in (
                (removed_examples, "count.training_number"),
                (removed_test, "count.test_number"),
            )
            if n
        ]
        notes.append(
            t(
                "edits.removed",
                n=removed_examples + removed_test,
                removed=t("join.and").join(removed),
                bits=nn_text("count.bit", n=width),
            )
        )
    bits = fit(settings.bits)
    if bits is None:
        bits = default_bits(width)
        notes.append(t("edits.bits_shown", old=settings.bits, new=bits))
    threshold = min(settings.threshold, top - 1)
    if threshold != settings.threshold and get_task(settings.task).uses_threshold:
        notes.append(t("edits.threshold", threshold=threshold, width=width))
    new, outputs_note = fit_outputs(
        settings,
        width=width,
        bits=bits,
        threshold=threshold,
        examples=examples,
        test=test,
        weights=None,
    )
    notes += [outputs_note] if outputs_note else []
    return new, " ".join(notes) or None


def fit_outputs(settings: Settings, **changes: object) -> tuple[Settings, str | None]:
    """``settings`` with ``changes`` (to the width, task or k), the output layer resized to
    the task's outputs and the cost changed where it no longer fits, and a note saying so.

    A class task gets one output neuron per class and softmax cross-entropy (unless the
    squared cost was chosen for it); a one-output task gets one output neuron, and
    softmax cross-entropy becomes the notebook's squared error.
    """
    values = {name: getattr(settings, name) for name in Settings.__dataclass_fields__}
    values.update(changes)
    outputs = output_count(values["task"], values["width"], values["k"])
    notes = []
    layers = values["layers"]
    if layers[-1] != outputs:
        values["layers"] = (*layers[:-1], outputs)
        values["weights"] = None
        notes.append(t("edits.outputs", n=outputs))
    cost = get_cost(values["cost"])
    if outputs > 1 and (layers[-1] == 1 or not cost.fits_outputs(outputs)):
        cost = CLASS_COST
    elif not cost.fits_outputs(outputs):
        cost = get_cost(Settings.cost)  # the notebook's
    if cost.name != values["cost"]:
        values["cost"] = cost.name
        notes.append(t("edits.cost", cost=named(f"cost.{cost.name}.label", cost.label)))
    if values["noise"] and not get_task(values["task"]).is_classification:
        values["noise"] = 0.0
        notes.append(t("edits.noise_off"))
    return Settings(**values), " ".join(notes) or None


def with_task(settings: Settings, task: str) -> Settings:
    """``settings`` with another task (a name from ``nn.LAB_TASKS``).

    Switching to "custom" gives each example the target it had under the old
    task, ready to edit; switching away from "custom" drops the targets. The
    output layer follows the task (see ``fit_outputs``; ``task_note`` says what changed).
    """
    return with_task_noted(settings, task)[0]


def with_task_noted(settings: Settings, task: str) -> tuple[Settings, str | None]:
    """``with_task`` and a note when the output layer or the cost changed with it."""
    task = parse_task(task)
    if task == settings.task:
        return settings, None
    if get_task(task).typed_targets and get_task(settings.task).class_rule is None:
        examples = tuple(
            TrainingNumber(e.bits, example_target(settings, e)) for e in settings.examples
        )
    elif get_task(task).typed_targets:  # a class task's target is a class, not a number from 0 to 1
        examples = tuple(TrainingNumber(e.bits, 0.0) for e in settings.examples)
    else:
        examples = tuple(TrainingNumber(e.bits) for e in settings.examples)
    return fit_outputs(settings, task=task, examples=examples)


def with_k(settings: Settings, k_text: str) -> tuple[Settings, str | None]:
    """``settings`` with k (the "mod" task's divisor) from what was typed, the output layer
    following the number of classes; a note when it changed."""
    k = parse_k(k_text)
    if k == settings.k:
        return settings, None
    return fit_outputs(settings, k=k)


def with_layers(settings: Settings, layers: Sequence[int]) -> Settings:
    """``settings`` with other layer sizes (like (4, 1)).

    The weights are dropped (the network's shape changed), and so are the
    per-layer activations if their number no longer matches.
    """
    sizes = tuple(layers)
    if any(isinstance(size, bool) or not isinstance(size, int) for size in sizes):
        raise ValueError(f"Layer sizes must be whole numbers; got {short_repr(layers)}.")
    outputs = output_count(settings.task, settings.width, settings.k)
    sizes = parse_layers(format_ints(sizes), outputs)
    if sizes == settings.layers:
        return settings
    activations = settings.layer_activations if len(sizes) == len(settings.layers) else ()
    return replace(settings, layers=sizes, layer_activations=activations, weights=None)


def _check_index(index: int, count: int, what: str) -> int:
    """``index`` if it is a position in a list of ``count`` items; ValueError otherwise."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
        raise ValueError(
            f"There is no {what} at position {index!r}; the list has {plural(count, 'number')}."
        )
    return index


def add_example(settings: Settings, bits_text: str, target_text: str | None = None) -> Settings:
    """``settings`` with the typed number added at the end of the training set.

    ValueError if it is not a binary number of the width's bits, is already a
    training or test number, or (custom task only) has no valid target; for
    other tasks ``target_text`` is ignored.
    """
    bits = parse_bits(bits_text, settings.width)
    if any(e.bits == bits for e in settings.examples):
        raise ValueError(t("edits.in_training", bits=bits))
    if bits in settings.test:
        raise ValueError(t("edits.in_test", bits=bits))
    target = None
    if get_task(settings.task).typed_targets:
        if target_text is None or not target_text.strip():
            raise ValueError(
                f"The custom task needs a target for {bits}: a number from 0 to 1, like 0.25."
            )
        target = parse_target(target_text)
    return replace(settings, examples=(*settings.examples, TrainingNumber(bits, target)))


def remove_example(settings: Settings, index: int) -> Settings:
    """``settings`` without the training example at ``index`` (0-based)."""
    _check_index(index, len(settings.examples), "training example")
    return replace(settings, examples=settings.examples[:index] + settings.examples[index + 1 :])


def set_example_target(settings: Settings, index: int, target_text: str) -> Settings:
    """``settings`` with a new target for the example at ``index`` (custom task only)."""
    if not get_task(settings.task).typed_targets:
        raise ValueError(
            f"Only the custom task has targets you type; the {settings.task} task computes them."
        )
    _check_index(index, len(settings.examples), "training example")
    target = parse_target(target_text)
    examples = list(settings.examples)
    examples[index] = TrainingNumber(examples[index].bits, target)
    return replace(settings, examples=tuple(examples))


def clear_examples(settings: Settings) -> Settings:
    """``settings`` with an empty training set (the test set is kept)."""
    return replace(settings, examples=())


def add_all_examples(settings: Settings) -> Settings:
    """``settings`` whose training set is every number of the width, in order.

    Custom targets of numbers already present are kept; new numbers get the
    target 0 (custom task only). Every number is now a training number, so the
    test set is emptied.
    """
    targets = {e.bits: e.target for e in settings.examples}
    default_target = 0.0 if get_task(settings.task).typed_targets else None
    examples = tuple(
        TrainingNumber(bits, targets.get(bits, default_target))
        for bits in all_numbers(settings.width)
    )
    return replace(settings, examples=examples, test=())


def add_random_examples(
    settings: Settings, count: int, rng: random.Random, test: bool = False
) -> tuple[Settings, str | None]:
    """``settings`` with ``count`` numbers drawn from ``rng`` added to the
    training set (or, with ``test=True``, to the test set) in increasing
    order, and a note or None.

    Only numbers in neither the training nor the test set are drawn; if fewer
    than ``count`` are left, all of them are added and the note says so. New
    training numbers get the target 0 for the custom task. ValueError if no
    number is left.
    """
    top = 2**settings.width
    count = checked_int(count, 1, top, f"How many numbers to add must be from 1 to {top}")
    taken = {int(e.bits, 2) for e in settings.examples} | {int(b, 2) for b in settings.test}
    free = [value for value in range(top) if value not in taken]
    if not free:
        raise ValueError(
            f"Every {settings.width}-bit number is already in the training or test set."
        )
    drawn = sorted(rng.sample(free, min(count, len(free))))
    chosen = tuple(encode_bits(value, settings.width) for value in drawn)
    note = None
    if count > len(free):
        note = (
            f"Only {len(free)} {'number was' if len(free) == 1 else 'numbers were'} left; "
            f"added {'it' if len(free) == 1 else 'them all'}."
        )
    if test:
        return replace(settings, test=settings.test + chosen), note
    target = 0.0 if get_task(settings.task).typed_targets else None
    added = tuple(TrainingNumber(bits, target) for bits in chosen)
    return replace(settings, examples=settings.examples + added), note


def add_test_example(settings: Settings, bits_text: str) -> Settings:
    """``settings`` with the typed number added at the end of the test set.

    ValueError if it is not a binary number of the width's bits or is already
    a training or test number.
    """
    bits = parse_bits(bits_text, settings.width)
    if bits in settings.test:
        raise ValueError(f"{bits} is already in the test set.")
    if any(e.bits == bits for e in settings.examples):
        raise ValueError(f"{bits} is in the training set; a number can't be in both.")
    return replace(settings, test=(*settings.test, bits))


def remove_test_example(settings: Settings, index: int) -> Settings:
    """``settings`` without the test number at ``index`` (0-based)."""
    _check_index(index, len(settings.test), "test number")
    return replace(settings, test=settings.test[:index] + settings.test[index + 1 :])


def clear_test_examples(settings: Settings) -> Settings:
    """``settings`` with an empty test set."""
    return replace(settings, test=())
