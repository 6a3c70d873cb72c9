"""The settings table: every setting as a row (URL key, parse, format, help).

The idea of TensorFlow Playground's ``state.ts``: one declarative table ``FIELDS`` drives
reading and writing a link, saving and loading JSON (``settings.py``), and checking that a
``Settings`` is valid at all. Some settings depend on others (the number shown must have
``width`` bits, test numbers can't be training numbers), so each field's parser receives a
``Context``: the values of the fields above it, the table being in dependency order.
No browser imports: tested in CPython.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from core.codetext import parse_code
from core.fits import default_layers, parse_cost_field, parse_layers_field, parse_noise_field
from core.i18n import t
from core.inputs import (
    MAX_EXAMPLES,
    format_flag,
    format_float,
    items_of,
    number_in,
    parse_activation,
    parse_batch_size,
    parse_bits,
    parse_challenge,
    parse_epochs,
    parse_flag,
    parse_init,
    parse_k,
    parse_l2,
    parse_lang,
    parse_learning_rate,
    parse_lesson,
    parse_origin,
    parse_seed,
    parse_speed,
    parse_target,
    parse_task,
    parse_threshold,
    parse_width,
    shown,
)
from core.optimizer_fields import HYPERPARAMETERS, hyperparameter_parser, parse_optimizer_field
from core.values import (
    ALL,
    HIDEABLE,
    Context,
    TrainingNumber,
    all_examples,
    default_threshold,
    parameter_count,
)
from nn import COSTS, LAB_TASKS, OPTIMIZERS, default_bits, get_task

T = TypeVar("T")
MAX_LISTED_PROBLEMS = 5  # per setting; the rest are counted, not listed


# ---------------------------------------------------------------- list fields


def _problems_to_notes(problems: list[str]) -> list[str]:
    """The first few problems, then how many more there were."""
    notes = problems[:MAX_LISTED_PROBLEMS]
    if len(problems) > MAX_LISTED_PROBLEMS:
        notes.append(t("list.more", n=len(problems) - MAX_LISTED_PROBLEMS))
    return notes


def _check_list_size(items: list[str], key: str) -> None:
    """ValueError (the message ``key``) if there are more than MAX_EXAMPLES items."""
    if len(items) > MAX_EXAMPLES:
        raise ValueError(t(key, count=len(items), max=MAX_EXAMPLES))


def _parse_example(item: str, context: Context) -> tuple[TrainingNumber, str | None]:
    """One "00101" or "00101:0.25" (custom task); returns it and a note, if any."""
    bits_text, colon, target_text = item.partition(":")
    bits = parse_bits(bits_text, context.width)
    if get_task(context.task).typed_targets:
        if not colon:
            raise ValueError(t("list.no_target", item=shown(item), bits=bits))
        return TrainingNumber(bits, parse_target(target_text)), None
    note = None
    if colon:
        note = t("list.target_ignored", item=shown(item))
    return TrainingNumber(bits), note


def _parse_examples(text: str, context: Context) -> tuple[tuple[TrainingNumber, ...], list[str]]:
    """The training set: "all", or comma-separated "00101" / "00101:0.25" items.

    Bad items and repeats are dropped and reported; the rest are kept in order.
    """
    if text.strip().lower() == ALL:
        if get_task(context.task).typed_targets:
            raise ValueError(t("list.all_custom"))
        return all_examples(context.width), []
    items = items_of(text)
    _check_list_size(items, "list.too_many.examples")
    examples: list[TrainingNumber] = []
    problems: list[str] = []
    seen: set[str] = set()
    for item in items:
        try:
            example, note = _parse_example(item, context)
        except ValueError as error:
            problems.append(t("list.dropped", item=shown(item), error=error))
            continue
        if example.bits in seen:
            problems.append(t("list.repeated", bits=example.bits))
            continue
        if note is not None:
            problems.append(note)
        seen.add(example.bits)
        examples.append(example)
    return tuple(examples), _problems_to_notes(problems)


def _format_examples(examples: tuple[TrainingNumber, ...]) -> str:
    """The examples as text: "all" when they are every number in order without targets, else
    "00101,00110" (custom targets as "00101:0.25", written exactly)."""
    if examples and len(examples) == 2 ** len(examples[0].bits):
        width = len(examples[0].bits)
        if examples == all_examples(width):  # the same shared tuple: compared by identity
            return ALL
    return ",".join(
        e.bits if e.target is None else f"{e.bits}:{format_float(e.target)}" for e in examples
    )


def _parse_test(text: str, context: Context) -> tuple[tuple[str, ...], list[str]]:
    """Held-out numbers, comma-separated; bad ones, repeats and numbers that are
    already training examples are dropped and reported."""
    items = items_of(text)
    _check_list_size(items, "list.too_many.test")
    if not items:  # no test set: the training set's numbers are not needed (65,536 of them
        # made a set at each check of the settings, ~20 ms in the page, several per click)
        return (), []
    training = {example.bits for example in context.examples}
    numbers: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()
    for item in items:
        try:
            bits = parse_bits(item, context.width)
        except ValueError as error:
            problems.append(t("list.dropped", item=shown(item), error=error))
            continue
        if bits in seen:
            problems.append(t("list.repeated", bits=bits))
        elif bits in training:
            problems.append(t("list.in_training", bits=bits))
        else:
            seen.add(bits)
            numbers.append(bits)
    return tuple(numbers), _problems_to_notes(problems)


def _parse_hide(text: str, context: Context) -> tuple[tuple[str, ...], list[str]]:
    """Names of hidden controls; unknown names and repeats are dropped and reported."""
    names: list[str] = []
    unknown: list[str] = []
    for item in items_of(text):
        name = item.lower()
        if name not in HIDEABLE:
            unknown.append(shown(item))
        elif name not in names:
            names.append(name)
    notes = []
    if unknown:
        listed = ", ".join(unknown[:MAX_LISTED_PROBLEMS])
        more = len(unknown) - MAX_LISTED_PROBLEMS
        listed += t("hidden.and_more", n=more) if more > 0 else ""
        key = "hidden.unknown" if len(unknown) == 1 else "hidden.unknown_many"
        notes.append(t(key, listed=listed, names=", ".join(HIDEABLE)))
    return tuple(names), notes


def _parse_layer_activations(text: str, context: Context) -> tuple[tuple[str, ...], list[str]]:
    """One activation per layer ("relu,sigmoid"), or empty for the same everywhere."""
    items = [item.strip() for item in text.split(",")] if text.strip() else []
    names = tuple(parse_activation(item) for item in items)
    if names and len(names) != len(context.layers):
        raise ValueError(
            t(
                "activations.per_layer",
                layers=format_ints(context.layers),
                n=len(context.layers),
                text=shown(text),
                given=len(names),
            )
        )
    return names, []


def _parse_weights(text: str, context: Context) -> tuple[tuple[float, ...] | None, list[str]]:
    """The network's parameters as comma-separated numbers, or empty for none."""
    if not text.strip():
        return None, []
    weights: list[float] = []
    items = text.split(",")
    for item in items:
        value = number_in(item)
        if value is None:
            raise ValueError(t("weights.not_a_number", item=shown(item)))
        weights.append(value)
    expected = parameter_count(context.width, context.layers)
    if len(weights) != expected:
        raise ValueError(
            t(
                "weights.count",
                inputs=t("count.input", n=context.width),
                layers=format_ints(context.layers),
                expected=expected,
                n=len(weights),
            )
        )
    return tuple(weights), []


def _format_weights(weights: tuple[float, ...] | None) -> str:
    """The numbers comma-separated, each written exactly, or "" for none."""
    return "" if weights is None else ",".join(format_float(w) for w in weights)


def format_ints(values: tuple[int, ...]) -> str:
    """(4, 1) -> "4,1"."""
    return ",".join(str(v) for v in values)


def _format_strs(values: tuple[str, ...]) -> str:
    """("a", "b") -> "a,b"."""
    return ",".join(values)


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Field(Generic[T]):
    """One setting: where it lives in ``Settings`` and in the URL, and how it
    is read and written.

    ``parse(text, context)`` returns the value and notes about items it
    dropped, or raises ValueError when the whole text is unusable.
    ``format(value)`` writes text that ``parse`` reads back as the same value.
    ``fallback(context)`` is the value to use when the default does not fit
    the context (only for fields whose default depends on the width).
    ``control`` is the id of the page's text field or select that shows ``format(value)``;
    with ``simple``, a change there is read by ``parse`` and applied on its own (one handler
    serves them all: ``field_events``); the other controls change several settings together.
    """

    name: str  # attribute of Settings
    key: str  # URL query key and JSON key
    parse: Callable[[str, Context], tuple[T, list[str]]]
    format: Callable[[T], str]
    help: str  # one line for people
    fallback: Callable[[Context], T] | None = None
    control: str = ""  # the page's field or select showing it ("": none, or drawn otherwise)
    simple: bool = False  # a change of the control sets this setting alone


def _simple(parse: Callable[[str], T]) -> Callable[[str, Context], tuple[T, list[str]]]:
    """A field parser from a parse_* function that needs no context."""

    def parse_field(text: str, context: Context) -> tuple[T, list[str]]:
        return parse(text), []

    return parse_field


def _sized(parse: Callable[[str, int], T]) -> Callable[[str, Context], tuple[T, list[str]]]:
    """A field parser from a parse_* function that needs the width."""

    def parse_field(text: str, context: Context) -> tuple[T, list[str]]:
        return parse(text, context.width), []

    return parse_field


# In dependency order: a field may only depend (through Context) on fields above it.
FIELDS: tuple[Field[Any], ...] = (
    Field(
        "width", "width", _simple(parse_width), str, "Bits per number, 1 to 16.", control="width"
    ),
    Field(
        "bits",
        "bits",
        _sized(parse_bits),
        str,
        "The number whose prediction is shown, with `width` bits.",
        lambda context: default_bits(context.width),
        control="bits",
        simple=True,
    ),
    Field(
        "task",
        "task",
        _simple(parse_task),
        str,
        "What the network learns: " + ", ".join(LAB_TASKS),
        control="task",
    ),
    Field(
        "k", "k", _simple(parse_k), str, 'For the "mod" task: the value mod k, 2 to 8.', control="k"
    ),
    Field(
        "threshold",
        "threshold",
        _sized(parse_threshold),
        str,
        'For the "greater" task: the target is 1 for numbers above it.',
        lambda context: default_threshold(context.width),
        control="threshold",
        simple=True,
    ),
    Field(
        "examples",
        "examples",
        _parse_examples,
        _format_examples,
        'The training set: 00101,00110 (00101:0.25 with a custom target), or "all".',
    ),
    Field("test", "test", _parse_test, _format_strs, "Held-out numbers, never trained on."),
    Field(
        "learning_rate",
        "lr",
        _simple(parse_learning_rate),
        format_float,
        "Learning rate, 0 to 100.",
        control="learning-rate",
        simple=True,
    ),
    Field(
        "epochs",
        "epochs",
        _simple(parse_epochs),
        str,
        "Epochs run by one press of Train.",
        control="epochs",
        simple=True,
    ),
    Field(
        "batch_size",
        "batch",
        _simple(parse_batch_size),
        str,
        "Examples averaged per step.",
        control="batch",
        simple=True,
    ),
    Field("seed", "seed", _simple(parse_seed), str, "Seed of the first weights.", control="seed"),
    Field(
        "activation",
        "activation",
        _simple(parse_activation),
        str,
        "Activation of every layer.",
        control="activation",
    ),
    Field(
        "activate_output",
        "activate",
        _simple(parse_flag),
        format_flag,
        "0: the output neuron gives z itself (the notebook's activate=False).",
    ),
    Field(
        "layers",
        "layers",
        parse_layers_field,
        format_ints,
        "Layer sizes, like 4,1; the last, the output, has one neuron per class for a class task.",
        default_layers,
    ),
    Field(
        "layer_activations",
        "activations",
        _parse_layer_activations,
        _format_strs,
        "One activation per layer, like relu,sigmoid (empty: `activation` everywhere).",
    ),
    Field(
        "cost",
        "cost",
        parse_cost_field,
        str,
        "The cost C: " + ", ".join(COSTS),
        control="cost",
        simple=True,
    ),
    Field(
        "l2",
        "l2",
        _simple(parse_l2),
        format_float,
        "L2 weight decay lambda, 0 to 1.",
        control="l2",
        simple=True,
    ),
    Field(
        "noise",
        "noise",
        parse_noise_field,
        format_float,
        "Label noise: the fraction of training targets made wrong, 0 to 0.5.",
        control="noise",
        simple=True,
    ),
    Field(
        "optimizer",
        "optimizer",
        parse_optimizer_field,
        str,
        "How a step moves the weights: " + ", ".join(OPTIMIZERS),
        control="optimizer",
        simple=True,
    ),
    *(
        Field(
            h.name,
            h.name,
            _simple(hyperparameter_parser(h.name)),
            format_float,
            h.help,
            control=h.name,
            simple=True,
        )
        for h in HYPERPARAMETERS.values()
    ),
    Field(
        "init",
        "init",
        _simple(parse_init),
        str,
        "How the first weights are drawn.",
        control="init",
        simple=True,
    ),
    Field("log_scale", "log", _simple(parse_flag), format_flag, "1: the cost chart is log scale."),
    Field(
        "speed",
        "speed",
        _simple(parse_speed),
        str,
        "How fast Train goes: watch, steady, fast.",
        control="speed",
        simple=True,
    ),
    Field("embed", "embed", _simple(parse_flag), format_flag, "1: compact page for embedding."),
    Field("hide", "hide", _parse_hide, _format_strs, "Controls to hide: " + ", ".join(HIDEABLE)),
    Field("rewind", "rewind", _simple(parse_flag), format_flag, "1: embedded, show the history."),
    Field("lesson", "lesson", _simple(parse_lesson), str, "A lesson: notebook, ./x.json or a URL."),
    Field("challenge", "challenge", _simple(parse_challenge), str, "A challenge to open, by id."),
    Field(
        "report",
        "report",
        _simple(parse_origin),
        str,
        "Embedded: the origin of the course page that receives progress events.",
    ),
    Field("splice", "splice", _simple(parse_flag), format_flag, "1: a SPLICE platform keeps it."),
    Field("scorm", "scorm", _simple(parse_flag), format_flag, "1: an LMS keeps it (SCORM 1.2)."),
    Field(
        "lang",
        "lang",
        _simple(parse_lang),
        str,
        "The page's language, a BCP 47 tag: en, de, es (de-AT is German; empty: the browser's).",
    ),
    Field(
        "weights",
        "weights",
        _parse_weights,
        _format_weights,
        "Trained weights and biases, layer by layer, neuron by neuron (weights, then bias).",
    ),
    Field("code", "code", _simple(parse_code), str, "The Code panel's text (never run by itself)."),
)

KEYS = frozenset(field.key for field in FIELDS)
