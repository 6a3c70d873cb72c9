"""All the page's settings as one immutable, always valid value, and its URL and JSON codecs.

The page keeps one ``Settings``. Every setting is a row of the table ``fields.FIELDS``; the
same table writes a link (``encode_query``), reads one (``decode_query``), saves and loads
JSON (``to_json``/``from_json``) and checks a ``Settings`` when it is made. Reading a link or
a saved file never raises: what cannot be used is reported as a warning and replaced by its
default. No browser imports: the page passes ``location.search`` in and gets strings back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any

from core.codetext import pack_code
from core.fields import FIELDS, KEYS, MAX_LISTED_PROBLEMS, Field
from core.i18n import t
from core.inputs import format_flag, shown
from core.presets import PRESETS
from core.values import CONTEXT_NAMES, Context, TrainingNumber
from nn import get_cost

MAX_QUERY_LENGTH = 200_000  # characters: a longer link is refused (use export instead)
MAX_JSON_LENGTH = 4_000_000  # characters of text in a saved file: 65536 custom examples fit
PRESET_KEY = "preset"  # ?preset=name applies a preset before the other keys


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
    task: str = "value"  # one of nn.LAB_TASKS
    k: int = 3  # for task "mod": the class is the value mod k
    threshold: int = 127  # for task "greater": t = 1 if value > threshold
    examples: tuple[TrainingNumber, ...] = ()  # the training set
    test: tuple[str, ...] = ()  # held-out numbers, never trained on
    learning_rate: float = 0.1
    epochs: int = 200  # epochs run by one press of Train
    batch_size: int = 1
    seed: int = 1  # the first weights come from random.Random(seed)
    activation: str = "sigmoid"  # for every layer unless layer_activations says otherwise
    activate_output: bool = True  # False: the output is y = z (the notebook's activate=False)
    layers: tuple[int, ...] = (1,)  # hidden layer sizes, then the output layer (1 per class)
    layer_activations: tuple[str, ...] = ()  # one per layer, or () for `activation` everywhere
    cost: str = "squared"  # one of nn.COSTS that suits the output layer
    l2: float = 0.0  # lambda of L2 weight decay: the cost is C + lambda * sum w^2
    noise: float = 0.0  # the fraction of training targets made wrong on purpose
    optimizer: str = "sgd"  # one of nn.OPTIMIZERS that can train this network
    momentum: float = 0.9  # mu of the momentum optimizer
    beta1: float = 0.9  # Adam's beta1, beta2 and eps
    beta2: float = 0.999
    eps: float = 1e-8
    init: str = "uniform"  # how the first weights are drawn: one of INITS
    log_scale: bool = False  # the cost chart's y axis
    speed: str = "fast"  # how fast Train goes: one of inputs.SPEEDS
    embed: bool = False  # the page is embedded: compact layout
    hide: tuple[str, ...] = ()  # controls hidden by a teacher, from HIDEABLE
    rewind: bool = False  # embedded: the compact layout shows the history slider too
    lesson: str = ""  # a lesson to follow: a built-in one's name or a relative .json file
    challenge: str = ""  # a challenge of that lesson to open, by id
    report: str = ""  # embedded: the origin of the course page told of progress ("" none)
    splice: bool = False  # embedded in a SPLICE platform (Runestone, PreTeXt): state and score
    scorm: bool = False  # launched by an LMS from the SCORM 1.2 package (make scorm)
    lang: str = ""  # the page's language: one of i18n.TAGS ("" the browser's); never the lab's
    # Trained parameters in network order: layer by layer, neuron by neuron,
    # each neuron's weights w then its bias b (like nn's Network.parameters()).
    weights: tuple[float, ...] | None = None
    code: str = ""  # the Code panel's text ("": the library's code); run only on request

    def __post_init__(self) -> None:
        for field, value, context in _walk(self):
            problem = _problem(field, value, context)
            if problem is not None:
                raise ValueError(f"Settings.{field.name}: {problem}")


DEFAULTS: Mapping[str, Any] = MappingProxyType({f.name: f.default for f in fields(Settings)})


def changed(settings: Settings, **changes: Any) -> Settings:
    """``settings`` with ``changes``; a ValueError that says, without the field's code name,
    why the new value does not fit (e.g. cross-entropy with a tanh output)."""
    try:
        return replace(settings, **changes)
    except ValueError as error:
        message = str(error)
        if message.startswith("Settings."):
            message = message.partition(": ")[2]
        raise ValueError(message) from None


def context_of(settings: Settings) -> Context:
    """The context a field is read in, taken from whole settings (e.g. to check a value)."""
    return Context(**{name: getattr(settings, name) for name in CONTEXT_NAMES})


def layer_activation_names(settings: Settings) -> tuple[str, ...]:
    """One activation name per layer: ``layer_activations`` if given, else ``activation``."""
    return settings.layer_activations or (settings.activation,) * len(settings.layers)


def network_activation_names(settings: Settings) -> list[str]:
    """The activation of each layer of the network built from ``settings``: as
    ``layer_activation_names``, but the output layer of the softmax cost is linear (softmax
    reads its neurons' z)."""
    names = list(layer_activation_names(settings))
    if get_cost(settings.cost).softmax:
        names[-1] = "linear"
    return names


def _advance(context: Context, field: Field[Any], value: object) -> Context:
    """``context`` updated with this field's value, if later fields depend on it."""
    if field.name in CONTEXT_NAMES:
        return replace(context, **{field.name: value})
    return context


def _walk(settings: Settings) -> Iterator[tuple[Field[Any], Any, Context]]:
    """Each field, its value in ``settings`` and the context it is read in."""
    context = Context()
    for field in FIELDS:
        value = getattr(settings, field.name)
        yield field, value, context
        context = _advance(context, field, value)


def short_repr(value: object) -> str:
    """repr() cut to 60 characters, for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


_checked: dict[str, tuple[object, Context]] = {}  # per field, the last value found valid


def _problem(field: Field[Any], value: object, context: Context) -> str | None:
    """Why ``value`` is not a valid ``field`` in ``context``, or None if it is.

    Valid means: it formats to text that parses back, without notes, to itself. The last
    valid value of each field is remembered, so that changing one setting does not check a
    data set of 65,536 numbers again (settings are immutable: the same tuple is still valid).
    """
    last = _checked.get(field.name)
    if last is not None and last[0] is value and last[1] == context:
        return None
    try:
        parsed, notes = field.parse(field.format(value), context)
    except ValueError as error:
        return str(error)
    except (TypeError, AttributeError, ArithmeticError):  # format() got the wrong type
        return f"{short_repr(value)} has the wrong type"
    if notes:
        return notes[0]
    if parsed != value:
        return f"{short_repr(value)} is not in its usual form {short_repr(parsed)}"
    if isinstance(value, tuple) and value:
        _checked[field.name] = (value, context)
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
        problem = f"{short_repr(candidate)} has the wrong type"
    else:
        if not notes:
            return value, None
        problem = notes[0]
    if field.fallback is not None:
        return field.fallback(context), problem
    return DEFAULTS[field.name], problem


def _kept(field: Field[Any], value: object, verb: str = "kept") -> str:
    """For a warning: Kept '0.1'. / Kept none. (or "used": Used '0.1'.)"""
    text = field.format(value)
    return t(f"link.{verb}", value=shown(text, 40)) if text else t(f"link.{verb}_none")


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
                t(
                    "link.preset_misfit",
                    key=field.key,
                    problem=problem,
                    used=_kept(field, value, "used"),
                )
            )
        if text is not None:
            try:
                value, notes = field.parse(text, context)
                warnings.extend(f"{field.key}: {note}" for note in notes)
            except ValueError as error:
                warnings.append(
                    t("link.refused", key=field.key, error=error, kept=_kept(field, value))
                )
        values[field.name] = value
        context = _advance(context, field, value)
    try:
        return Settings(**values), warnings
    except ValueError:  # a bug: every value above was checked; never let a link break the page
        return Settings(), [*warnings, t("link.bug")]


def _read(pairs: Sequence[tuple[str, str]], warnings: list[str]) -> tuple[Settings, list[str]]:
    """Settings from (key, text) pairs: the preset first, then the other keys;
    unknown keys and repeats are reported in ``warnings``."""
    texts: dict[str, str] = {}
    counts: dict[str, int] = {}
    unknown: list[str] = []
    for key, text in pairs:
        if key == PRESET_KEY or key in KEYS:
            texts[key] = text
            counts[key] = counts.get(key, 0) + 1
        else:
            unknown.append(key)
    for key in unknown[:MAX_LISTED_PROBLEMS]:
        warnings.append(t("link.unknown", key=shown(key)))
    if len(unknown) > MAX_LISTED_PROBLEMS:
        warnings.append(t("link.unknown_more", n=len(unknown) - MAX_LISTED_PROBLEMS))
    warnings.extend(
        t("link.repeated", key=key, n=count) for key, count in counts.items() if count > 1
    )
    start = dict(DEFAULTS)
    from_preset: frozenset[str] = frozenset()
    name = texts.pop(PRESET_KEY, None)
    if name is not None:
        preset = PRESETS.get(name.strip().lower())
        if preset is None:
            warnings.append(
                t("link.no_preset", key=PRESET_KEY, name=shown(name), presets=", ".join(PRESETS))
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
    from urllib.parse import quote  # here, not at the top: it imports ipaddress (slow to load)

    parts = []
    for field, value, context in _walk(settings):
        base, _ = _base(field, DEFAULTS[field.name], context)
        if value != base:
            text = pack_code(value) if field.name == "code" else field.format(value)
            parts.append(f"{field.key}={quote(text, safe=',:')}")
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
        return Settings(), [t("link.not_text")]
    if len(query) > MAX_QUERY_LENGTH:
        return Settings(), [t("link.too_long", n=len(query), max=MAX_QUERY_LENGTH)]
    from urllib.parse import parse_qsl  # see encode_query

    query = query.removeprefix("?")
    try:
        pairs = parse_qsl(query, keep_blank_values=True)
    except ValueError:  # not expected with these arguments; a link must never break the page
        return Settings(), [t("link.bug")]
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
        return Settings(), [t("saved.settings_not_a_mapping", type=type(data).__name__)]
    pairs: list[tuple[str, str]] = []
    warnings: list[str] = []
    total = 0
    for key, value in data.items():
        if not isinstance(key, str):
            warnings.append(t("saved.name_not_text", name=short_repr(key)))
            continue
        if isinstance(value, bool):
            text = format_flag(value)
        elif isinstance(value, str):
            text = value
        elif isinstance(value, float | int) and (isinstance(value, float) or abs(value) < 10**20):
            text = repr(value)
        elif value is None:
            text = ""
        else:
            warnings.append(t("saved.not_text", key=shown(key), type=type(value).__name__))
            continue
        total += len(text)
        pairs.append((key, text))
    if total > MAX_JSON_LENGTH:
        return Settings(), [t("saved.settings_too_long", n=total, max=MAX_JSON_LENGTH)]
    return _read(pairs, warnings)


VIEW_FIELDS = (
    "log_scale",
    "speed",
    "embed",
    "hide",
    "rewind",
    "lesson",
    "challenge",
    "report",
    "splice",
    "scorm",
    "lang",
)  # how the page looks: kept by apply_preset


def apply_preset(settings: Settings, name: str) -> Settings:
    """The preset called ``name``: its fields over the defaults, keeping how
    the page looks (log scale, embed, hidden controls) and the learner's code from
    ``settings``."""
    preset = PRESETS.get(name)
    if preset is None:
        raise ValueError(t("preset.unknown", name=shown(name), presets=", ".join(PRESETS)))
    start = {**DEFAULTS, **preset.overrides}
    start.update({field: getattr(settings, field) for field in (*VIEW_FIELDS, "code")})
    result, _ = _resolve(start, frozenset(preset.overrides), {})
    return result
