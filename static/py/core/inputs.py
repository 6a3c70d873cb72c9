"""What a person types, read: every ``parse_*`` turns text into a value or says why not.

Each parser raises ValueError with a sentence that quotes what was typed and says what is
expected; the page shows those sentences as they are, next to the field. The vocabulary
(tasks, activations, initialisations, bits) comes from ``nn``: adding an activation to
``nn.ACTIVATIONS`` is enough for it to be accepted here. No browser imports: tested in CPython.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from core.i18n import shown_number, t
from nn import ACTIVATIONS, COSTS, INITIALIZERS, LAB_TASKS, MAX_WIDTH, read_bits
from nn.i18n import is_tag, language_of
from nn.i18n import text as text_of
from nn.noise import MAX_NOISE
from nn.tasks import MAX_K, MIN_K
from nn.validation import shown

MAX_HIDDEN_LAYERS = 4
MAX_LAYER_SIZE = 16  # neurons per hidden layer
MAX_LEARNING_RATE = 100.0
MAX_EPOCHS = 100_000
MAX_SEED = 2**32 - 1
MAX_BATCH_SIZE = 65_536
MAX_EXAMPLES = 2**MAX_WIDTH  # every 16-bit number once
# How fast Train goes: epochs per animation frame (every one redrawn), or as fast as it can.
SPEEDS = {
    "watch": ("1 epoch a frame: watch it learn", 1),
    "steady": ("10 epochs a frame", 10),
    "fast": ("as fast as possible", 0),
}

_WHOLE = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_TRUE = ("1", "true", "yes", "on", "")  # "" so that a bare ?embed switches it on
_FALSE = ("0", "false", "no", "off")


# ---------------------------------------------------------------- quoting what was typed


def typed(text: str) -> str:
    """What was typed, for a message: you typed '20' / you left it empty."""
    return t("input.typed", text=shown(text)) if text.strip() else t("input.empty")


def whole_in(text: str, low: int, high: int, rule: str) -> int:
    """The whole number written in ``text`` if low <= it <= high.

    Only the digits 0-9 count (no sign, point, exponent or underscore);
    ValueError "<rule>; you typed '...'." otherwise.
    """
    stripped = text.strip()
    # 20 digits at most: int() of a huge digit string is slow, and refused past 4300.
    if _WHOLE.fullmatch(stripped) and len(stripped) <= 20 and low <= int(stripped) <= high:
        return int(stripped)
    raise ValueError(t("input.rule", rule=rule, typed=typed(text)))


def number_in(text: str) -> float | None:
    """The finite decimal number written in ``text`` (like 0.1, -2, 1e-05), else None.

    Stricter than float(): no nan, inf, underscores or non-ASCII digits.
    """
    stripped = text.strip()
    if not _NUMBER.fullmatch(stripped):
        return None
    value = float(stripped)
    return value if math.isfinite(value) else None


def choice(text: str, choices: Sequence[str], what: str) -> str:
    """``text`` (stripped, lower case) if it is one of ``choices``; else a ValueError, the
    message ``choice.<what>`` ("The task must be one of …")."""
    name = text.strip().lower()
    if name in choices:
        return name
    raise ValueError(t(f"choice.{what}", names=", ".join(choices), typed=typed(text)))


def checked_int(value: object, low: int, high: int, rule: str) -> int:
    """``value`` if it is an int (not a bool) from low to high; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{rule}; got {value!r}.")
    return value


def items_of(text: str) -> list[str]:
    """The comma-separated items of ``text``, stripped, empty ones left out."""
    return [item for item in (part.strip() for part in text.split(",")) if item]


# ---------------------------------------------------------------- parsers


def parse_width(text: str) -> int:
    """The number of bits, 1 to 16."""
    return whole_in(text, 1, MAX_WIDTH, t("input.width", max=MAX_WIDTH))


def parse_bits(text: str, width: int) -> str:
    """A binary number of exactly ``width`` bits, e.g. " 00101 " -> "00101" (``nn.read_bits``)."""
    return read_bits(text, width)


def parse_task(text: str) -> str:
    """A name from ``nn.LAB_TASKS`` (the one-output tasks and the class tasks)."""
    return choice(text, tuple(LAB_TASKS), "task")


def parse_k(text: str) -> int:
    """k of the "mod" task: a whole number from 2 to 8."""
    return whole_in(text, MIN_K, MAX_K, t("input.k", low=MIN_K, high=MAX_K))


def parse_cost_name(text: str) -> str:
    """A name from ``nn.COSTS`` (whether it fits the network is checked in ``fields``)."""
    return choice(text, tuple(COSTS), "cost")


def parse_l2(text: str) -> float:
    """lambda of L2 weight decay: a number from 0 to 1."""
    value = number_in(text)
    if value is None or not 0 <= value <= 1:
        raise ValueError(t("input.l2", example=shown_number("0.001"), typed=typed(text)))
    return value


def parse_noise(text: str) -> float:
    """The fraction of training targets made wrong: a number from 0 to 0.5."""
    value = number_in(text)
    if value is None or not 0 <= value <= MAX_NOISE:
        limit, example = shown_number(str(MAX_NOISE)), shown_number("0.1")
        raise ValueError(t("input.noise", max=limit, example=example, typed=typed(text)))
    return value


def parse_activation(text: str) -> str:
    """A name from ``nn.ACTIVATIONS``."""
    return choice(text, tuple(ACTIVATIONS), "activation")


def parse_speed(text: str) -> str:
    """One of SPEEDS."""
    return choice(text, tuple(SPEEDS), "speed")


def parse_origin(text: str) -> str:
    """The origin of a web page, like https://course.example.edu (or http://localhost:8000):
    scheme, host and port only. Empty text means none."""
    stripped = text.strip()
    if not stripped:
        return ""
    from urllib.parse import urlsplit  # only now: every start-up checks an empty origin

    rule = t("input.origin", typed=typed(text))
    try:
        parts = urlsplit(stripped)
        port = parts.port  # ValueError for a bad port
    except ValueError:
        raise ValueError(rule) from None
    bare = not (parts.path.strip("/") or parts.query or parts.fragment or "@" in parts.netloc)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not bare:
        raise ValueError(rule)
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port is not None else "")


def parse_lang(text: str) -> str:
    """The page's language from a BCP 47 tag: the one it falls back to, region before
    language ("de-AT" → "de"), English for a tag the lab does not speak ("xx-YY" → "en"),
    "" for none (the browser's language). Only text that is not a tag at all is refused."""
    tag = text.strip()
    if not tag:
        return ""
    if not is_tag(tag):
        raise ValueError(t("lang.not_a_tag", text=typed(text)))
    return language_of(tag)


_LESSON = re.compile(
    r"[a-z0-9][a-z0-9-]{0,39}|(\./)?[\w.-]{1,80}(/[\w.-]{1,80}){0,5}\.json", re.ASCII
)


def parse_lesson(text: str) -> str:
    """A built-in lesson's name (like notebook), a relative .json file beside the lab (like
    ./my-lesson.json), or the address of a lesson on a course site: https (or http on this
    computer, localhost); see ``lesson_url``. Empty text means none."""
    name = text.strip()
    if not name:
        return ""
    if _LESSON.fullmatch(name) and ".." not in name.split("/"):
        return name
    if ":" in name:
        return lesson_url(name)
    raise ValueError(t("input.lesson", typed=typed(text)))


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")  # http is allowed only for these
MAX_URL = 500  # characters of a lesson's address


def lesson_url(text: str) -> str:
    """The address of a lesson file on any origin: https://host/path (or http://localhost…,
    http://127.0.0.1… for a teacher trying it on their own computer), with no user name or
    password, at most 500 characters. The page fetches it with CORS: its server must allow the
    lab's origin (README "Lessons on your course site")."""
    from urllib.parse import urlsplit  # only for an address: not at start-up

    stripped = text.strip()
    rule = t("input.lesson_url", max=MAX_URL, typed=typed(text))
    try:
        parts = urlsplit(stripped)
        parts.port  # noqa: B018 -- ValueError for a bad port
    except ValueError:
        raise ValueError(rule) from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host
    local = scheme == "http" and host in LOCAL_HOSTS
    if (
        not (scheme == "https" or local)
        or not host
        or "@" in parts.netloc
        or len(stripped) > MAX_URL
        or any(c.isspace() or ord(c) < 32 for c in stripped)
    ):
        raise ValueError(rule)
    return stripped


def parse_challenge(text: str) -> str:
    """A challenge's id, like loss-fast (lower case, digits and dashes); empty means none."""
    name = text.strip()
    if not name or re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", name):
        return name
    raise ValueError(t("input.challenge", typed=typed(text)))


def parse_init(text: str) -> str:
    """A name from ``nn.INITIALIZERS``."""
    return choice(text, tuple(INITIALIZERS), "init")


def parse_threshold(text: str, width: int) -> int:
    """A whole number from 0 to 2^width - 1."""
    top = 2**width - 1
    rule = t("input.threshold", top=top, width=width)
    return whole_in(text, 0, top, rule)


def parse_target(text: str) -> float:
    """A target t: a number from 0 to 1 inclusive."""
    value = number_in(text)
    if value is None or not 0 <= value <= 1:
        raise ValueError(t("input.target", example=shown_number("0.25"), typed=typed(text)))
    return value


def parse_learning_rate(text: str) -> float:
    """A finite number greater than 0 and at most 100."""
    value = number_in(text)
    if value is None or not 0 < value <= MAX_LEARNING_RATE:
        example = shown_number("0.1")
        raise ValueError(t("input.learning_rate", example=example, typed=typed(text)))
    return value


def parse_epochs(text: str) -> int:
    """A whole number of epochs from 1 to 100000."""
    return whole_in(text, 1, MAX_EPOCHS, t("input.epochs", max=MAX_EPOCHS))


def parse_seed(text: str) -> int:
    """A whole number from 0 to 2^32 - 1."""
    return whole_in(text, 0, MAX_SEED, t("input.seed", max=MAX_SEED))


def parse_batch_size(text: str) -> int:
    """How many examples are averaged per step: 1 to 65536."""
    rule = t("input.batch", max=MAX_BATCH_SIZE)
    return whole_in(text, 1, MAX_BATCH_SIZE, rule)


def parse_layer_size(text: str) -> int:
    """Neurons in one hidden layer: 1 to 16."""
    rule = t("input.layer_size", max=MAX_LAYER_SIZE)
    return whole_in(text, 1, MAX_LAYER_SIZE, rule)


def parse_count(text: str, width: int) -> int:
    """How many random numbers to add: 1 to 2^width."""
    top = 2**width
    rule = t("input.count", top=top, bits=text_of("count.bit", n=width))
    return whole_in(text, 1, top, rule)


def parse_weight(text: str) -> float:
    """Any finite number: a weight or bias edited by hand."""
    value = number_in(text)
    if value is None:
        raise ValueError(t("input.weight", example=shown_number("-0.5"), typed=typed(text)))
    return value


def parse_layers(text: str, outputs: int = 1, why: str = "") -> tuple[int, ...]:
    """Layer sizes like "4,1": up to 4 hidden layers of 1-16 neurons, then the output layer,
    which has exactly ``outputs`` neurons (1, or one per class; ``why`` says why)."""
    example = f"4,{outputs}"
    why = why or t("fit.one_target")
    neurons = t("count.neuron", n=outputs)
    if not text.strip():
        raise ValueError(
            t(
                "layers.empty",
                example=example,
                hidden=MAX_HIDDEN_LAYERS,
                size=MAX_LAYER_SIZE,
                neurons=neurons,
            )
        )
    sizes: list[int] = []
    for item in (part.strip() for part in text.strip().split(",")):
        if not (_WHOLE.fullmatch(item) and len(item) <= 3 and 1 <= int(item) <= MAX_LAYER_SIZE):
            what = shown(item) if item else t("layers.empty_size")
            raise ValueError(
                t("layers.size", size=MAX_LAYER_SIZE, example=example, what=what, text=shown(text))
            )
        sizes.append(int(item))
    if len(sizes) > MAX_HIDDEN_LAYERS + 1:
        raise ValueError(
            t(
                "layers.too_many",
                hidden=MAX_HIDDEN_LAYERS,
                outputs=outputs,
                text=shown(text),
                n=len(sizes) - 1,
            )
        )
    if sizes[-1] != outputs:
        # 4,1 typed for a 9-class task means 4,9; 4,2 typed for one output means 4,2,1
        kept = sizes[:-1] if sizes[-1] == 1 and outputs > 1 else sizes
        fixed = ",".join(str(size) for size in [*kept, outputs][-(MAX_HIDDEN_LAYERS + 1) :])
        raise ValueError(
            t("layers.output", neurons=neurons, why=why, fixed=fixed, typed=typed(text))
        )
    return tuple(sizes)


def parse_flag(text: str) -> bool:
    """On or off: 1/0, true/false, yes/no, on/off; empty (a bare ?embed) is on."""
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(t("input.flag", typed=typed(text)))


def format_float(value: float) -> str:
    """The shortest text that reads back as exactly ``value``: repr() without a
    trailing ".0" (0.1 -> "0.1", 1.0 -> "1", 1e16 -> "1e+16")."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def format_flag(value: bool) -> str:
    """True -> "1", False -> "0"; TypeError for anything else."""
    if not isinstance(value, bool):
        raise TypeError(f"expected True or False, got {value!r}")
    return "1" if value else "0"


# ---------------------------------------------------------------- list fields
