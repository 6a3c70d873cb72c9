"""All the page's settings in one place: their validation and their URL encoding.

The page keeps one immutable ``Settings`` value. Every setting is a row of the
declarative table ``FIELDS`` (attribute, URL key, parse, format, help), the
idea of TensorFlow Playground's ``state.ts``: the same table writes a link
(``encode_query``), reads one (``decode_query``), saves and loads JSON
(``to_json``/``from_json``) and checks that a ``Settings`` is valid at all
(``Settings.__post_init__``). Nothing here touches the browser: the page passes
``location.search`` in and gets strings back, so all of it is tested in CPython.

Some settings depend on others: the number shown must have ``width`` bits, the
test set must not share numbers with the training set, and so on. Each parser
therefore receives a ``Context``: the values of the fields before it in the
table, which is ordered so that what a field depends on comes first.

Every ``parse_*`` function turns what a person typed into a value or raises
ValueError with a sentence that quotes what was typed and says what is
expected; the page shows those sentences as they are. Reading a link or a
saved file never raises: what cannot be used is reported as a warning and
replaced by its default.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, Generic, NamedTuple, TypeVar
from urllib.parse import parse_qsl, quote

T = TypeVar("T")

MAX_WIDTH = 16  # bits per number
TASKS = ("value", "odd", "majority", "greater", "parity", "custom")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
ACTIVATION_NAMES = ACTIVATIONS  # the name the page uses
INITS = ("uniform", "xavier", "he")
# One sentence per task, for the page.
TASK_HELP: Mapping[str, str] = MappingProxyType(
    {
        "value": "The target is the number's value scaled to 0..1: value / (2^bits - 1).",
        "odd": "The target is 1 if the number is odd, else 0.",
        "majority": "The target is 1 if the number has more ones than zeros, else 0.",
        "greater": "The target is 1 if the number is greater than the threshold, else 0.",
        "parity": "The target is 1 if the number has an odd count of ones, else 0. "
        "One neuron can't learn this; a network with a hidden layer can.",
        "custom": "You type the target of each number yourself: a number from 0 to 1.",
    }
)
MAX_HIDDEN_LAYERS = 4
MAX_LAYER_SIZE = 16  # neurons per hidden layer
MAX_LEARNING_RATE = 100.0
MAX_EPOCHS = 100_000
MAX_SEED = 2**32 - 1
MAX_BATCH_SIZE = 65_536
MAX_EXAMPLES = 2**MAX_WIDTH  # every 16-bit number once
MAX_QUERY_LENGTH = 200_000  # characters: a longer link is refused (use export instead)
MAX_JSON_LENGTH = 4_000_000  # characters of text in a saved file: 65536 custom examples fit
ALL = "all"  # examples=all: every number of the width, in order
PRESET_KEY = "preset"  # ?preset=name applies a preset before the other keys

# Controls a teacher may hide with ?hide=...; the page gives each of them this name.
HIDEABLE = (
    "width",
    "bits",
    "task",
    "threshold",
    "examples",
    "add-example",
    "dataset-tools",
    "test",
    "learning-rate",
    "epochs",
    "activation",
    "activate",
    "seed",
    "layers",
    "init",
    "batch",
    "train",
    "step",
    "step-example",
    "reset",
    "chart",
    "neuron",
    "math",
    "prediction",
    "share",
)

_MAX_LISTED_PROBLEMS = 5  # per setting; the rest are counted, not listed
_WHOLE = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_TRUE = ("1", "true", "yes", "on", "")  # "" so that a bare ?embed switches it on
_FALSE = ("0", "false", "no", "off")


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Example:
    """One training number: its bits (most significant first) and, only for
    the "custom" task, the target t in [0, 1] the learner typed."""

    bits: str  # e.g. "00101"
    target: float | None = None  # None unless the task is "custom"


@dataclass(frozen=True)
class Settings:
    """Everything the page lets a person set. Immutable; always valid.

    Creating one checks every field through ``FIELDS`` (ValueError naming the
    field otherwise), so a ``Settings`` in hand never needs checking again.
    Dependent fields must agree: ``bits`` has ``width`` bits, ``threshold``
    fits in ``width`` bits, examples and test numbers are distinct and
    disjoint, examples carry targets exactly when the task is "custom",
    ``layer_activations`` is empty or has one name per layer, and ``weights``
    is None or holds exactly ``parameter_count(width, layers)`` numbers.
    Use the ``with_*`` and ``add_*`` helpers to change those together.
    """

    width: int = 8  # bits per number, 1..16
    bits: str = "00000101"  # the number whose prediction is shown
    task: str = "value"  # one of TASKS
    threshold: int = 127  # for task "greater": t = 1 if value > threshold
    examples: tuple[Example, ...] = ()  # the training set
    test: tuple[str, ...] = ()  # held-out numbers, never trained on
    learning_rate: float = 0.1
    epochs: int = 200  # epochs run by one press of Train
    batch_size: int = 1
    seed: int = 1  # the first weights come from random.Random(seed)
    activation: str = "sigmoid"  # for every layer unless layer_activations says otherwise
    activate_output: bool = True  # False: the output is y = z (the notebook's activate=False)
    layers: tuple[int, ...] = (1,)  # hidden layer sizes, then the output layer (always 1)
    layer_activations: tuple[str, ...] = ()  # one per layer, or () for `activation` everywhere
    init: str = "uniform"  # how the first weights are drawn: one of INITS
    log_scale: bool = False  # the cost chart's y axis
    embed: bool = False  # the page is embedded: compact layout
    hide: tuple[str, ...] = ()  # controls hidden by a teacher, from HIDEABLE
    # Trained parameters in network order: layer by layer, neuron by neuron,
    # each neuron's weights w then its bias b (like nn's Network.parameters()).
    weights: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        for field, value, context in _walk(self):
            problem = _problem(field, value, context)
            if problem is not None:
                raise ValueError(f"Settings.{field.name}: {problem}")


_DEFAULTS: Mapping[str, Any] = MappingProxyType({f.name: f.default for f in fields(Settings)})


@dataclass(frozen=True)
class Context:
    """What a field's parser may depend on: the fields read before it."""

    width: int = _DEFAULTS["width"]
    task: str = _DEFAULTS["task"]
    examples: tuple[Example, ...] = _DEFAULTS["examples"]
    layers: tuple[int, ...] = _DEFAULTS["layers"]


_CONTEXT_NAMES = frozenset(f.name for f in fields(Context))


# ---------------------------------------------------------------- small helpers


def _plural(count: int, word: str) -> str:
    """'1 bit', '5 bits'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _shown(text: str, limit: int = 30) -> str:
    """``text`` quoted for a message: stripped, cut to ``limit`` characters,
    with unprintable characters shown as '?'."""
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "'" + "".join(c if c.isprintable() else "?" for c in text) + "'"


def _char(char: str) -> str:
    """One character quoted for a message ('\\x00' for unprintable ones)."""
    return f"'{char}'" if char.isprintable() else repr(char)


def _typed(text: str) -> str:
    """What was typed, for a message: you typed '20' / you left it empty."""
    return f"you typed {_shown(text)}" if text.strip() else "you left it empty"


def _whole_in(text: str, low: int, high: int, rule: str) -> int:
    """The whole number written in ``text`` if low <= it <= high.

    Only the digits 0-9 count (no sign, point, exponent or underscore);
    ValueError "<rule>; you typed '...'." otherwise.
    """
    stripped = text.strip()
    # 20 digits at most: int() of a huge digit string is slow, and refused past 4300.
    if _WHOLE.fullmatch(stripped) and len(stripped) <= 20 and low <= int(stripped) <= high:
        return int(stripped)
    raise ValueError(f"{rule}; {_typed(text)}.")


def _number(text: str) -> float | None:
    """The finite decimal number written in ``text`` (like 0.1, -2, 1e-05), else None.

    Stricter than float(): no nan, inf, underscores or non-ASCII digits.
    """
    stripped = text.strip()
    if not _NUMBER.fullmatch(stripped):
        return None
    value = float(stripped)
    return value if math.isfinite(value) else None


def _choice(text: str, choices: Sequence[str], what: str) -> str:
    """``text`` (stripped, lower case) if it is one of ``choices``."""
    name = text.strip().lower()
    if name in choices:
        return name
    raise ValueError(f"{what} must be one of {', '.join(choices)}; {_typed(text)}.")


def _checked_int(value: object, low: int, high: int, rule: str) -> int:
    """``value`` if it is an int (not a bool) from low to high; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{rule}; got {value!r}.")
    return value


def _items(text: str) -> list[str]:
    """The comma-separated items of ``text``, stripped, empty ones left out."""
    return [item for item in (part.strip() for part in text.split(",")) if item]


def _bits_of(value: int, width: int) -> str:
    """``value`` written with ``width`` bits: (5, 5) -> "00101"."""
    return format(value, f"0{width}b")


def default_bits(width: int) -> str:
    """The number shown by default: 5 (the notebook's 00101) in ``width`` bits,
    cut to its last bits when 5 does not fit ("01" for 2 bits)."""
    return _bits_of(5 % 2**width, width)


def default_threshold(width: int) -> int:
    """The threshold used when none fits: the middle, 2^(width-1) - 1 (127 for 8 bits)."""
    return 2 ** (width - 1) - 1


def all_numbers(width: int) -> tuple[str, ...]:
    """Every ``width``-bit number in order: 0...0 first."""
    return tuple(_bits_of(value, width) for value in range(2**width))


def parameter_count(width: int, layers: Sequence[int]) -> int:
    """How many weights and biases a network with ``width`` inputs and these
    layer sizes has: each neuron has one weight per input plus a bias."""
    count, inputs = 0, width
    for size in layers:
        count += (inputs + 1) * size
        inputs = size
    return count


def layer_activation_names(settings: Settings) -> tuple[str, ...]:
    """One activation name per layer: ``layer_activations`` if given, else ``activation``."""
    return settings.layer_activations or (settings.activation,) * len(settings.layers)


# ---------------------------------------------------------------- parsing what people type


def parse_width(text: str) -> int:
    """The number of bits, 1 to 16."""
    return _whole_in(
        text, 1, MAX_WIDTH, f"Width must be a whole number of bits from 1 to {MAX_WIDTH}"
    )


def parse_bits(text: str, width: int) -> str:
    """A binary number of exactly ``width`` bits, e.g. " 00101 " -> "00101"."""
    bits = text.strip()
    if not bits:
        raise ValueError(
            f"Type a binary number of {_plural(width, 'bit')}, like {default_bits(width)}."
        )
    for position, char in enumerate(bits, start=1):
        if char not in "01":
            raise ValueError(
                f"{_shown(bits)} is not a binary number: "
                f"character {_char(char)} at position {position} is not 0 or 1."
            )
    have = f"{_shown(bits)} has {_plural(len(bits), 'bit')}"
    expected = f"this data set uses {_plural(width, 'bit')} (the width)"
    if len(bits) < width:
        raise ValueError(
            f"{have}; {expected}. Pad it with zeros on the left, like {bits.zfill(width)}."
        )
    if len(bits) > width:
        if len(bits) > MAX_WIDTH:
            raise ValueError(f"{have}; {expected}, and numbers have at most {MAX_WIDTH} bits.")
        raise ValueError(f"{have}; {expected}. To use {len(bits)}-bit numbers, change the width.")
    return bits


def parse_task(text: str) -> str:
    """One of TASKS."""
    return _choice(text, TASKS, "The task")


def parse_activation(text: str) -> str:
    """One of ACTIVATIONS."""
    return _choice(text, ACTIVATIONS, "The activation")


def parse_init(text: str) -> str:
    """One of INITS."""
    return _choice(text, INITS, "The initialisation")


def parse_threshold(text: str, width: int) -> int:
    """A whole number from 0 to 2^width - 1."""
    top = 2**width - 1
    rule = f"The threshold must be a whole number from 0 to {top} (the largest {width}-bit number)"
    return _whole_in(text, 0, top, rule)


def parse_target(text: str) -> float:
    """A target t: a number from 0 to 1 inclusive."""
    value = _number(text)
    if value is None or not 0 <= value <= 1:
        raise ValueError(f"A target must be a number from 0 to 1, like 0.25; {_typed(text)}.")
    return value


def parse_learning_rate(text: str) -> float:
    """A finite number greater than 0 and at most 100."""
    value = _number(text)
    if value is None or not 0 < value <= MAX_LEARNING_RATE:
        raise ValueError(
            "The learning rate must be a number greater than 0 and at most 100, "
            f"like 0.1; {_typed(text)}."
        )
    return value


def parse_epochs(text: str) -> int:
    """A whole number of epochs from 1 to 100000."""
    return _whole_in(text, 1, MAX_EPOCHS, f"Epochs must be a whole number from 1 to {MAX_EPOCHS}")


def parse_seed(text: str) -> int:
    """A whole number from 0 to 2^32 - 1."""
    return _whole_in(text, 0, MAX_SEED, f"The seed must be a whole number from 0 to {MAX_SEED}")


def parse_batch_size(text: str) -> int:
    """How many examples are averaged per step: 1 to 65536."""
    rule = f"The batch size must be a whole number of examples from 1 to {MAX_BATCH_SIZE}"
    return _whole_in(text, 1, MAX_BATCH_SIZE, rule)


def parse_layer_size(text: str) -> int:
    """Neurons in one hidden layer: 1 to 16."""
    rule = f"A layer must have a whole number of neurons from 1 to {MAX_LAYER_SIZE}"
    return _whole_in(text, 1, MAX_LAYER_SIZE, rule)


def parse_count(text: str, width: int) -> int:
    """How many random numbers to add: 1 to 2^width."""
    top = 2**width
    rule = (
        f"How many numbers to add must be a whole number from 1 to {top} "
        f"(there are {top} numbers of {_plural(width, 'bit')})"
    )
    return _whole_in(text, 1, top, rule)


def parse_weight(text: str) -> float:
    """Any finite number: a weight or bias edited by hand."""
    value = _number(text)
    if value is None:
        raise ValueError(f"A weight or bias must be a finite number, like -0.5; {_typed(text)}.")
    return value


def parse_layers(text: str) -> tuple[int, ...]:
    """Layer sizes like "4,1": up to 4 hidden layers of 1-16 neurons, then the
    output layer, which has exactly 1 neuron (one target per example)."""
    if not text.strip():
        raise ValueError(
            "Type the layer sizes separated by commas, like 4,1: up to "
            f"{MAX_HIDDEN_LAYERS} hidden layers of 1 to {MAX_LAYER_SIZE} neurons, then the "
            "output layer of 1 neuron; you left it empty."
        )
    sizes: list[int] = []
    for item in (part.strip() for part in text.strip().split(",")):
        if not (_WHOLE.fullmatch(item) and len(item) <= 3 and 1 <= int(item) <= MAX_LAYER_SIZE):
            what = _shown(item) if item else "an empty size"
            raise ValueError(
                f"Layer sizes must be whole numbers of neurons from 1 to {MAX_LAYER_SIZE}, "
                f"separated by commas, like 4,1; {what} in {_shown(text)} is not."
            )
        sizes.append(int(item))
    if len(sizes) > MAX_HIDDEN_LAYERS + 1:
        raise ValueError(
            f"At most {MAX_HIDDEN_LAYERS} hidden layers then the output layer, like 4,4,1; "
            f"{_shown(text)} has {len(sizes) - 1} hidden layers."
        )
    if sizes[-1] != 1:
        fixed = ",".join(str(size) for size in [*sizes, 1][-(MAX_HIDDEN_LAYERS + 1) :])
        raise ValueError(
            "The last layer is the output and must have exactly 1 neuron "
            f"(one target per example), like {fixed}; {_typed(text)}."
        )
    return tuple(sizes)


def _parse_flag(text: str) -> bool:
    """On or off: 1/0, true/false, yes/no, on/off; empty (a bare ?embed) is on."""
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"Use 1 for on or 0 for off; {_typed(text)}.")


def format_float(value: float) -> str:
    """The shortest text that reads back as exactly ``value``: repr() without a
    trailing ".0" (0.1 -> "0.1", 1.0 -> "1", 1e16 -> "1e+16")."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _format_flag(value: bool) -> str:
    """True -> "1", False -> "0"; TypeError for anything else."""
    if not isinstance(value, bool):
        raise TypeError(f"expected True or False, got {value!r}")
    return "1" if value else "0"


# ---------------------------------------------------------------- list fields


def _problems_to_notes(problems: list[str]) -> list[str]:
    """The first few problems, then how many more there were."""
    notes = problems[:_MAX_LISTED_PROBLEMS]
    if len(problems) > _MAX_LISTED_PROBLEMS:
        notes.append(f"…and {len(problems) - _MAX_LISTED_PROBLEMS} more like these.")
    return notes


def _check_list_size(items: list[str], what: str) -> None:
    """ValueError if there are more than MAX_EXAMPLES items."""
    if len(items) > MAX_EXAMPLES:
        raise ValueError(f"{len(items)} {what} is too many; at most {MAX_EXAMPLES} are allowed.")


def _parse_example(item: str, context: Context) -> tuple[Example, str | None]:
    """One "00101" or "00101:0.25" (custom task); returns it and a note, if any."""
    bits_text, colon, target_text = item.partition(":")
    bits = parse_bits(bits_text, context.width)
    if context.task == "custom":
        if not colon:
            raise ValueError(
                f"{_shown(item)} has no target: the custom task needs one for each number, "
                f"like {bits}:0.25."
            )
        return Example(bits, parse_target(target_text)), None
    note = None
    if colon:
        note = f"Ignored the target in {_shown(item)}: only the custom task uses targets."
    return Example(bits), note


def _parse_examples(text: str, context: Context) -> tuple[tuple[Example, ...], list[str]]:
    """The training set: "all", or comma-separated "00101" / "00101:0.25" items.

    Bad items and repeats are dropped and reported; the rest are kept in order.
    """
    if text.strip().lower() == ALL:
        if context.task == "custom":
            raise ValueError(
                "'all' can't be used with the custom task, which needs a target for each "
                "number, like 00101:0.25."
            )
        return tuple(Example(bits) for bits in all_numbers(context.width)), []
    items = _items(text)
    _check_list_size(items, "examples")
    examples: list[Example] = []
    problems: list[str] = []
    seen: set[str] = set()
    for item in items:
        try:
            example, note = _parse_example(item, context)
        except ValueError as error:
            problems.append(f"Dropped {_shown(item)}. {error}")
            continue
        if example.bits in seen:
            problems.append(f"{example.bits} is listed more than once; kept the first.")
            continue
        if note is not None:
            problems.append(note)
        seen.add(example.bits)
        examples.append(example)
    return tuple(examples), _problems_to_notes(problems)


def _format_examples(examples: tuple[Example, ...]) -> str:
    """The examples as text: "all" when they are every number in order without targets, else
    "00101,00110" (custom targets as "00101:0.25", written exactly)."""
    if examples and len(examples) == 2 ** len(examples[0].bits):
        width = len(examples[0].bits)
        every = all(
            e.target is None and e.bits == _bits_of(v, width) for v, e in enumerate(examples)
        )
        if every:
            return ALL
    return ",".join(
        e.bits if e.target is None else f"{e.bits}:{format_float(e.target)}" for e in examples
    )


def _parse_test(text: str, context: Context) -> tuple[tuple[str, ...], list[str]]:
    """Held-out numbers, comma-separated; bad ones, repeats and numbers that are
    already training examples are dropped and reported."""
    items = _items(text)
    _check_list_size(items, "test numbers")
    training = {example.bits for example in context.examples}
    numbers: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()
    for item in items:
        try:
            bits = parse_bits(item, context.width)
        except ValueError as error:
            problems.append(f"Dropped {_shown(item)}. {error}")
            continue
        if bits in seen:
            problems.append(f"{bits} is listed more than once; kept the first.")
        elif bits in training:
            problems.append(
                f"Dropped {bits}: it is in the training set, and a number can't be in both."
            )
        else:
            seen.add(bits)
            numbers.append(bits)
    return tuple(numbers), _problems_to_notes(problems)


def _parse_hide(text: str, context: Context) -> tuple[tuple[str, ...], list[str]]:
    """Names of hidden controls; unknown names and repeats are dropped and reported."""
    names: list[str] = []
    unknown: list[str] = []
    for item in _items(text):
        name = item.lower()
        if name not in HIDEABLE:
            unknown.append(_shown(item))
        elif name not in names:
            names.append(name)
    notes = []
    if unknown:
        listed = ", ".join(unknown[:_MAX_LISTED_PROBLEMS])
        more = len(unknown) - _MAX_LISTED_PROBLEMS
        listed += f" and {more} more" if more > 0 else ""
        notes.append(
            f"Ignored unknown control{'s' if len(unknown) > 1 else ''} {listed}; "
            f"the controls that can be hidden are {', '.join(HIDEABLE)}."
        )
    return tuple(names), notes


def _parse_layer_activations(text: str, context: Context) -> tuple[tuple[str, ...], list[str]]:
    """One activation per layer ("relu,sigmoid"), or empty for the same everywhere."""
    items = [item.strip() for item in text.split(",")] if text.strip() else []
    names = tuple(parse_activation(item) for item in items)
    if names and len(names) != len(context.layers):
        raise ValueError(
            f"Give one activation per layer: the layers {_format_ints(context.layers)} need "
            f"{len(context.layers)}, but {_shown(text)} has {len(names)}."
        )
    return names, []


def _parse_weights(text: str, context: Context) -> tuple[tuple[float, ...] | None, list[str]]:
    """The network's parameters as comma-separated numbers, or empty for none."""
    if not text.strip():
        return None, []
    weights: list[float] = []
    items = text.split(",")
    for item in items:
        value = _number(item)
        if value is None:
            raise ValueError(
                f"Weights must be finite numbers, but {_shown(item)} is not; "
                "the network starts from its seed instead."
            )
        weights.append(value)
    expected = parameter_count(context.width, context.layers)
    if len(weights) != expected:
        raise ValueError(
            f"A network with {_plural(context.width, 'input')} and layers "
            f"{_format_ints(context.layers)} has {expected} weights and biases, but "
            f"{len(weights)} {'was' if len(weights) == 1 else 'were'} given; "
            "the network starts from its seed instead."
        )
    return tuple(weights), []


def _format_weights(weights: tuple[float, ...] | None) -> str:
    """The numbers comma-separated, each written exactly, or "" for none."""
    return "" if weights is None else ",".join(format_float(w) for w in weights)


def _format_ints(values: tuple[int, ...]) -> str:
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
    """

    name: str  # attribute of Settings
    key: str  # URL query key and JSON key
    parse: Callable[[str, Context], tuple[T, list[str]]]
    format: Callable[[T], str]
    help: str  # one line for people
    fallback: Callable[[Context], T] | None = None


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
    Field("width", "width", _simple(parse_width), str, "Bits per number, 1 to 16."),
    Field(
        "bits",
        "bits",
        _sized(parse_bits),
        str,
        "The number whose prediction is shown, with `width` bits.",
        lambda context: default_bits(context.width),
    ),
    Field("task", "task", _simple(parse_task), str, "What the network learns: " + ", ".join(TASKS)),
    Field(
        "threshold",
        "threshold",
        _sized(parse_threshold),
        str,
        'For the "greater" task: the target is 1 for numbers above it.',
        lambda context: default_threshold(context.width),
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
    ),
    Field("epochs", "epochs", _simple(parse_epochs), str, "Epochs run by one press of Train."),
    Field("batch_size", "batch", _simple(parse_batch_size), str, "Examples averaged per step."),
    Field("seed", "seed", _simple(parse_seed), str, "Seed of the first weights."),
    Field("activation", "activation", _simple(parse_activation), str, "Activation of every layer."),
    Field(
        "activate_output",
        "activate",
        _simple(_parse_flag),
        _format_flag,
        "0: the output neuron gives z itself (the notebook's activate=False).",
    ),
    Field("layers", "layers", _simple(parse_layers), _format_ints, "Layer sizes, like 4,1."),
    Field(
        "layer_activations",
        "activations",
        _parse_layer_activations,
        _format_strs,
        "One activation per layer, like relu,sigmoid (empty: `activation` everywhere).",
    ),
    Field("init", "init", _simple(parse_init), str, "How the first weights are drawn."),
    Field(
        "log_scale", "log", _simple(_parse_flag), _format_flag, "1: the cost chart is log scale."
    ),
    Field("embed", "embed", _simple(_parse_flag), _format_flag, "1: compact page for embedding."),
    Field("hide", "hide", _parse_hide, _format_strs, "Controls to hide: " + ", ".join(HIDEABLE)),
    Field(
        "weights",
        "weights",
        _parse_weights,
        _format_weights,
        "Trained weights and biases, layer by layer, neuron by neuron (weights, then bias).",
    ),
)

_KEYS = frozenset(field.key for field in FIELDS)


def _advance(context: Context, field: Field[Any], value: object) -> Context:
    """``context`` updated with this field's value, if later fields depend on it."""
    if field.name in _CONTEXT_NAMES:
        return replace(context, **{field.name: value})
    return context


def _walk(settings: Settings) -> Iterator[tuple[Field[Any], Any, Context]]:
    """Each field, its value in ``settings`` and the context it is read in."""
    context = Context()
    for field in FIELDS:
        value = getattr(settings, field.name)
        yield field, value, context
        context = _advance(context, field, value)


def _short_repr(value: object) -> str:
    """repr() cut to 60 characters, for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _problem(field: Field[Any], value: object, context: Context) -> str | None:
    """Why ``value`` is not a valid ``field`` in ``context``, or None if it is.

    Valid means: it formats to text that parses back, without notes, to itself.
    """
    try:
        parsed, notes = field.parse(field.format(value), context)
    except ValueError as error:
        return str(error)
    except (TypeError, AttributeError, ArithmeticError):  # format() got the wrong type
        return f"{_short_repr(value)} has the wrong type"
    if notes:
        return notes[0]
    if parsed != value:
        return f"{_short_repr(value)} is not in its usual form {_short_repr(parsed)}"
    return None


def _base(field: Field[Any], candidate: object, context: Context) -> tuple[Any, str | None]:
    """The value a field takes when the query does not set it, and why the
    candidate was not used (None if it was).

    The candidate (the default, or the preset's value) is written as text and
    read back in ``context``, so a preset's "examples=all" means every number
    of the width in force; if that text does not fit, the fallback is used.
    """
    try:
        value, notes = field.parse(field.format(candidate), context)
    except ValueError as error:
        problem = str(error)
    except (TypeError, AttributeError, ArithmeticError):  # format() got the wrong type
        problem = f"{_short_repr(candidate)} has the wrong type"
    else:
        if not notes:
            return value, None
        problem = notes[0]
    if field.fallback is not None:
        return field.fallback(context), problem
    return _DEFAULTS[field.name], problem


def _kept(field: Field[Any], value: object, verb: str = "Kept") -> str:
    """For a warning: Kept '0.1'. / Kept none. (or another verb)."""
    text = field.format(value)
    return f"{verb} {_shown(text, 40)}." if text else f"{verb} none."


_BUG = "Something went wrong reading the settings; used the defaults."


def _resolve(
    start: Mapping[str, Any], from_preset: frozenset[str], texts: Mapping[str, str]
) -> tuple[Settings, list[str]]:
    """Settings from starting values (defaults with a preset's on top) and the
    texts given by key, field by field in table order. Never raises."""
    warnings: list[str] = []
    values: dict[str, Any] = {}
    context = Context()
    for field in FIELDS:
        value, problem = _base(field, start[field.name], context)
        text = texts.get(field.key)
        if problem is not None and field.name in from_preset and text is None:
            warnings.append(
                f"{field.key}: the preset's value does not fit the other settings. "
                f"{problem} {_kept(field, value, 'Used')}"
            )
        if text is not None:
            try:
                value, notes = field.parse(text, context)
                warnings.extend(f"{field.key}: {note}" for note in notes)
            except ValueError as error:
                warnings.append(f"{field.key}: {error} {_kept(field, value)}")
        values[field.name] = value
        context = _advance(context, field, value)
    try:
        return Settings(**values), warnings
    except ValueError:  # a bug: every value above was checked; never let a link break the page
        return Settings(), [*warnings, _BUG]


def _read(pairs: Sequence[tuple[str, str]], warnings: list[str]) -> tuple[Settings, list[str]]:
    """Settings from (key, text) pairs: the preset first, then the other keys;
    unknown keys and repeats are reported in ``warnings``."""
    texts: dict[str, str] = {}
    counts: dict[str, int] = {}
    unknown: list[str] = []
    for key, text in pairs:
        if key == PRESET_KEY or key in _KEYS:
            texts[key] = text
            counts[key] = counts.get(key, 0) + 1
        else:
            unknown.append(key)
    for key in unknown[:_MAX_LISTED_PROBLEMS]:
        warnings.append(f"Ignored unknown setting {_shown(key)}.")
    if len(unknown) > _MAX_LISTED_PROBLEMS:
        warnings.append(f"Ignored {len(unknown) - _MAX_LISTED_PROBLEMS} more unknown settings.")
    warnings.extend(
        f"{key}: given {count} times; used the last one."
        for key, count in counts.items()
        if count > 1
    )
    start = dict(_DEFAULTS)
    from_preset: frozenset[str] = frozenset()
    name = texts.pop(PRESET_KEY, None)
    if name is not None:
        preset = PRESETS.get(name.strip().lower())
        if preset is None:
            warnings.append(
                f"{PRESET_KEY}: there is no preset called {_shown(name)}; "
                f"the presets are {', '.join(PRESETS)}."
            )
        else:
            start.update(preset.overrides)
            from_preset = frozenset(preset.overrides)
    settings, more = _resolve(start, from_preset, texts)
    return settings, warnings + more


# ---------------------------------------------------------------- links and files


def encode_query(settings: Settings) -> str:
    """The URL query (without "?") that ``decode_query`` reads back as ``settings``.

    Keys come in table order; a field is left out when it equals what decoding
    would give without it (its default, or the width's default for ``bits``
    and ``threshold``), so the default settings give "".
    """
    parts = []
    for field, value, context in _walk(settings):
        base, _ = _base(field, _DEFAULTS[field.name], context)
        if value != base:
            parts.append(f"{field.key}={quote(field.format(value), safe=',:')}")
    return "&".join(parts)


def decode_query(query: str) -> tuple[Settings, list[str]]:
    """Settings from a URL query ("?width=5&bits=00101", the "?" optional) and
    warnings, one sentence each, for everything that was ignored.

    Never raises. ``?preset=name`` applies a preset before the other keys; a
    value that is not valid keeps the default (or the preset's value); lists
    keep their valid items; the last of repeated keys wins; unknown keys are
    reported; a query longer than MAX_QUERY_LENGTH is refused whole.
    """
    if not isinstance(query, str):
        return Settings(), ["The link's settings are not text; used the defaults."]
    if len(query) > MAX_QUERY_LENGTH:
        return Settings(), [
            f"The link's settings are {len(query)} characters long, more than the "
            f"{MAX_QUERY_LENGTH} allowed; used the defaults."
        ]
    query = query.removeprefix("?")
    try:
        pairs = parse_qsl(query, keep_blank_values=True)
    except ValueError:  # not expected with these arguments; a link must never break the page
        return Settings(), [_BUG]
    return _read(pairs, [])


def to_json(settings: Settings) -> dict[str, str]:
    """Every field as URL key -> text (as in a link), for saving as JSON."""
    return {field.key: field.format(value) for field, value, _ in _walk(settings)}


def from_json(data: object) -> tuple[Settings, list[str]]:
    """Settings from what ``to_json`` gave (or a hand-edited copy) and warnings.

    Never raises: it reads the values like ``decode_query`` reads a link. Keys
    may be missing (defaults are used); numbers and true/false are accepted
    in place of text; anything else is reported and ignored.
    """
    if not isinstance(data, Mapping):
        return Settings(), [
            f"The saved settings are not a set of named values (got {type(data).__name__}); "
            "used the defaults."
        ]
    pairs: list[tuple[str, str]] = []
    warnings: list[str] = []
    total = 0
    for key, value in data.items():
        if not isinstance(key, str):
            warnings.append(f"Ignored a setting whose name is not text: {_short_repr(key)}.")
            continue
        if isinstance(value, bool):
            text = _format_flag(value)
        elif isinstance(value, str):
            text = value
        elif isinstance(value, float | int) and (isinstance(value, float) or abs(value) < 10**20):
            text = repr(value)
        elif value is None:
            text = ""
        else:
            warnings.append(
                f"{_shown(key)}: expected text, got {type(value).__name__}; ignored it."
            )
            continue
        total += len(text)
        pairs.append((key, text))
    if total > MAX_JSON_LENGTH:
        return Settings(), [
            f"The saved settings are {total} characters long, more than the "
            f"{MAX_JSON_LENGTH} allowed; used the defaults."
        ]
    return _read(pairs, warnings)


# ---------------------------------------------------------------- presets


class Preset(NamedTuple):
    """A ready-made lesson: a label for the menu, one sentence, and the
    Settings fields it sets (the others keep their defaults)."""

    label: str
    description: str
    overrides: Mapping[str, Any]


def _numbers(text: str) -> tuple[str, ...]:
    """("001", "010") from "001,010"."""
    return tuple(text.split(","))


def _examples(text: str) -> tuple[Example, ...]:
    """Examples without targets from "001,010"."""
    return tuple(Example(bits) for bits in _numbers(text))


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        "notebook": Preset(
            "The notebook's neuron",
            "One neuron learns to output 5/31 for 00101, as in the notebook.",
            MappingProxyType(
                {
                    "width": 5,
                    "bits": "00101",
                    "task": "value",
                    "examples": _examples("00101"),
                    "learning_rate": 0.1,
                    "epochs": 200,
                    "seed": 1,
                    "layers": (1,),
                }
            ),
        ),
        "parity3": Preset(
            "Parity of 3 bits",
            "Is the count of ones odd? One neuron can't learn it; a hidden layer can.",
            MappingProxyType(
                {
                    "width": 3,
                    "bits": "101",
                    "task": "parity",
                    "examples": _examples(",".join(all_numbers(3))),
                    "layers": (4, 1),
                    # Checked with the page's procedure (nn.Network([3, 4, 1], seed=2),
                    # shuffle rng "shuffle-2", batch 1): 100% from epoch 255 on.
                    "learning_rate": 1.0,
                    "epochs": 1000,
                    "seed": 2,
                }
            ),
        ),
        "odd": Preset(
            "Odd or even",
            "One neuron learns from 8 numbers that only the last bit matters, "
            "and gets the 8 numbers it never saw right too.",
            MappingProxyType(
                {
                    "width": 4,
                    "bits": "0101",
                    "task": "odd",
                    "examples": _examples("0001,0010,0100,0111,1000,1011,1101,1110"),
                    "test": _numbers("0000,0011,0101,0110,1001,1010,1100,1111"),
                    "learning_rate": 1.0,
                    "epochs": 500,
                    "seed": 1,
                }
            ),
        ),
        "majority": Preset(
            "Majority of 5 bits",
            "More ones than zeros? One neuron learns it from half the numbers "
            "and is tested on the other half.",
            MappingProxyType(
                {
                    "width": 5,
                    "bits": "10110",
                    "task": "majority",
                    "examples": _examples(
                        "00000,00011,00100,00101,00110,01000,01010,01011,"
                        "01101,10001,10011,10111,11001,11010,11101,11110"
                    ),
                    "test": _numbers(
                        "00001,00010,00111,01001,01100,01110,01111,10000,"
                        "10010,10100,10101,10110,11000,11011,11100,11111"
                    ),
                    "learning_rate": 1.0,
                    "epochs": 500,
                    "seed": 1,
                }
            ),
        ),
        "greater": Preset(
            "Greater than 9",
            "Is the number greater than 9? One neuron learns where to draw the line.",
            MappingProxyType(
                {
                    "width": 4,
                    "bits": "1010",
                    "task": "greater",
                    "threshold": 9,
                    "examples": _examples(",".join(all_numbers(4))),
                    "learning_rate": 1.0,
                    "epochs": 1000,
                    "seed": 1,
                }
            ),
        ),
    }
)

_VIEW_FIELDS = ("log_scale", "embed", "hide")  # how the page looks: kept by apply_preset


def apply_preset(settings: Settings, name: str) -> Settings:
    """The preset called ``name``: its fields over the defaults, keeping how
    the page looks (log scale, embed, hidden controls) from ``settings``."""
    preset = PRESETS.get(name)
    if preset is None:
        raise ValueError(
            f"There is no preset called {_shown(name)}; the presets are {', '.join(PRESETS)}."
        )
    start = {**_DEFAULTS, **preset.overrides}
    start.update({field: getattr(settings, field) for field in _VIEW_FIELDS})
    result, _ = _resolve(start, frozenset(preset.overrides), {})
    return result


# ---------------------------------------------------------------- tasks


def _value(bits: str) -> int:
    """The value of a binary number: "00101" -> 5."""
    return int(bits, 2)


_RULES: Mapping[str, Callable[[str, int], float]] = MappingProxyType(
    {
        "value": lambda bits, threshold: _value(bits) / (2 ** len(bits) - 1),
        "odd": lambda bits, threshold: float(bits[-1] == "1"),
        "majority": lambda bits, threshold: float(bits.count("1") > bits.count("0")),
        "greater": lambda bits, threshold: float(_value(bits) > threshold),
        "parity": lambda bits, threshold: float(bits.count("1") % 2),
    }
)


def is_classification(task: str) -> bool:
    """True for the tasks whose targets are only 0 or 1 (all but value and custom)."""
    return parse_task(task) not in ("value", "custom")


def example_target(settings: Settings, example: Example) -> float:
    """The target t of ``example`` for the settings' task, in [0, 1].

    value: value / (2^width - 1); odd: last bit; majority: more ones than
    zeros; greater: value > threshold; parity: odd count of ones; custom: the
    example's own target.
    """
    if settings.task == "custom":
        if example.target is None:
            raise ValueError(f"{example.bits} has no target; the custom task needs one.")
        return example.target
    return _RULES[settings.task](example.bits, settings.threshold)


# ---------------------------------------------------------------- changing settings


def with_width(settings: Settings, width: int) -> tuple[Settings, str | None]:
    """``settings`` with a new width, and a note for the learner (or None).

    Widening pads every number with zeros on the left; narrowing keeps the
    numbers that fit (re-written with fewer bits) and the note says how many
    were removed. The threshold is lowered if it no longer fits; the weights
    are dropped, since the network's input size changed.
    """
    width = _checked_int(width, 1, MAX_WIDTH, f"Width must be a whole number from 1 to {MAX_WIDTH}")
    if width == settings.width:
        return settings, None
    top = 2**width

    def fit(bits: str) -> str | None:
        """``bits`` re-written with ``width`` bits, or None if the value doesn't fit."""
        value = _value(bits)
        return _bits_of(value, width) if value < top else None

    examples = tuple(
        Example(new, e.target) for e in settings.examples if (new := fit(e.bits)) is not None
    )
    test = tuple(new for bits in settings.test if (new := fit(bits)) is not None)
    notes = []
    removed_examples = len(settings.examples) - len(examples)
    removed_test = len(settings.test) - len(test)
    if removed_examples or removed_test:
        removed = [
            _plural(n, word)
            for n, word in ((removed_examples, "training number"), (removed_test, "test number"))
            if n
        ]
        notes.append(f"Removed {' and '.join(removed)} that don't fit in {_plural(width, 'bit')}.")
    bits = fit(settings.bits)
    if bits is None:
        bits = default_bits(width)
        notes.append(f"The number shown, {settings.bits}, doesn't fit either; now it is {bits}.")
    threshold = min(settings.threshold, top - 1)
    if threshold != settings.threshold:
        notes.append(f"The threshold is now {threshold}, the largest {width}-bit number.")
    new = replace(
        settings,
        width=width,
        bits=bits,
        threshold=threshold,
        examples=examples,
        test=test,
        weights=None,
    )
    return new, " ".join(notes) or None


def with_task(settings: Settings, task: str) -> Settings:
    """``settings`` with another task (a name from TASKS).

    Switching to "custom" gives each example the target it had under the old
    task, ready to edit; switching away from "custom" drops the targets.
    """
    task = parse_task(task)
    if task == settings.task:
        return settings
    if task == "custom":
        examples = tuple(Example(e.bits, example_target(settings, e)) for e in settings.examples)
    else:
        examples = tuple(Example(e.bits) for e in settings.examples)
    return replace(settings, task=task, examples=examples)


def with_layers(settings: Settings, layers: Sequence[int]) -> Settings:
    """``settings`` with other layer sizes (like (4, 1)).

    The weights are dropped (the network's shape changed), and so are the
    per-layer activations if their number no longer matches.
    """
    sizes = tuple(layers)
    if any(isinstance(size, bool) or not isinstance(size, int) for size in sizes):
        raise ValueError(f"Layer sizes must be whole numbers; got {_short_repr(layers)}.")
    sizes = parse_layers(_format_ints(sizes))
    if sizes == settings.layers:
        return settings
    activations = settings.layer_activations if len(sizes) == len(settings.layers) else ()
    return replace(settings, layers=sizes, layer_activations=activations, weights=None)


def _check_index(index: int, count: int, what: str) -> int:
    """``index`` if it is a position in a list of ``count`` items; ValueError otherwise."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
        raise ValueError(
            f"There is no {what} at position {index!r}; the list has {_plural(count, 'number')}."
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
        raise ValueError(f"{bits} is already in the training set.")
    if bits in settings.test:
        raise ValueError(f"{bits} is in the test set; a number can't be in both.")
    target = None
    if settings.task == "custom":
        if target_text is None or not target_text.strip():
            raise ValueError(
                f"The custom task needs a target for {bits}: a number from 0 to 1, like 0.25."
            )
        target = parse_target(target_text)
    return replace(settings, examples=(*settings.examples, Example(bits, target)))


def remove_example(settings: Settings, index: int) -> Settings:
    """``settings`` without the training example at ``index`` (0-based)."""
    _check_index(index, len(settings.examples), "training example")
    return replace(settings, examples=settings.examples[:index] + settings.examples[index + 1 :])


def set_example_target(settings: Settings, index: int, target_text: str) -> Settings:
    """``settings`` with a new target for the example at ``index`` (custom task only)."""
    if settings.task != "custom":
        raise ValueError(
            f"Only the custom task has targets you type; the {settings.task} task computes them."
        )
    _check_index(index, len(settings.examples), "training example")
    target = parse_target(target_text)
    examples = list(settings.examples)
    examples[index] = Example(examples[index].bits, target)
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
    default_target = 0.0 if settings.task == "custom" else None
    examples = tuple(
        Example(bits, targets.get(bits, default_target)) for bits in all_numbers(settings.width)
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
    count = _checked_int(count, 1, top, f"How many numbers to add must be from 1 to {top}")
    taken = {_value(e.bits) for e in settings.examples} | {_value(b) for b in settings.test}
    free = [value for value in range(top) if value not in taken]
    if not free:
        raise ValueError(
            f"Every {settings.width}-bit number is already in the training or test set."
        )
    drawn = sorted(rng.sample(free, min(count, len(free))))
    chosen = tuple(_bits_of(value, settings.width) for value in drawn)
    note = None
    if count > len(free):
        note = (
            f"Only {len(free)} {'number was' if len(free) == 1 else 'numbers were'} left; "
            f"added {'it' if len(free) == 1 else 'them all'}."
        )
    if test:
        return replace(settings, test=settings.test + chosen), note
    target = 0.0 if settings.task == "custom" else None
    added = tuple(Example(bits, target) for bits in chosen)
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
