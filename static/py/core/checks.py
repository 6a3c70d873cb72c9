"""The conditions a lesson step or a challenge checks in the lab: the registry ``CHECKS``.

A check is written in a lesson file as ``{"kind": "loss_below", "value": 0.001}``: a kind
from ``CHECKS`` and that kind's parameters, each described by a ``Param`` (``lessons.read_check``
reads and validates them). ``evaluate`` runs a check on a ``controller.Lab`` and says, in
words for learners, what the lab shows against the goal ("the loss is 0.0132; the goal is
below 0.001"). Evaluating never changes the lab and never raises. No browser imports.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from core.controller import Lab, trace
from core.edits import example_targets
from core.fields import FIELDS
from core.formats import compact, sub
from core.i18n import shown_number, t
from core.inputs import format_float
from core.settings import context_of
from nn import get_task, parse_bits
from nn.validation import shown

MAX_MEASURED = 4096  # examples measured on the spot; larger sets are measured by the next epoch
MAX_TEXT = 300  # characters in a check's label, question or choice
SIGNS = ("negative", "zero", "positive")  # the choices of a computed sign, in this order
Params = Mapping[str, Any]
Answers = Mapping[str, int]  # answer check id -> index of the choice the learner picked


@dataclass(frozen=True)
class CheckResult:
    """Whether a check passes now, and a sentence saying what the lab shows."""

    passed: bool
    detail: str


@dataclass(frozen=True)
class Param:
    """One parameter of a check kind, as a lesson file gives it."""

    name: str
    # "number", "whole", "text", "choice" (one of ``options``), "choices" (a list of texts) or
    # "texts" (a list of texts, each may be "")
    type: str
    help: str  # one line for the documentation and for messages
    required: bool = True
    default: Any = None
    low: float = -1e6  # for numbers: the range allowed
    high: float = 1e6
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckKind:
    """A kind of check: its name, one line saying what it checks, its parameters, the
    check itself ``(lab, params, answers) -> CheckResult`` and the goal it shows."""

    name: str
    description: str
    params: tuple[Param, ...]
    check: Callable[[Lab, Params, Answers], CheckResult]
    goal: Callable[[Params], str]  # e.g. "loss below 0.001"


@dataclass(frozen=True)
class Check:
    """A check read from a lesson: its kind, its parameters (defaults filled in) and a label."""

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""  # what the learner reads beside the check; "" for the kind's goal

    @property
    def text(self) -> str:
        return self.label or CHECKS[self.kind].goal(self.params)


# --- the registry: each check beside its entry ---------------------------------------------

_Fn = Callable[[Lab, Params, Answers], CheckResult]
_registry: dict[str, CheckKind] = {}
CHECKS: Mapping[str, CheckKind] = MappingProxyType(_registry)


def _kind(
    name: str, description: str, goal: Callable[[Params], str], *params: Param
) -> Callable[[_Fn], _Fn]:
    """Register the decorated function as the check kind ``name``."""

    def register(check: _Fn) -> _Fn:
        _registry[name] = CheckKind(name, description, params, check, goal)
        return check

    return register


def _num(value: float) -> str:
    """A goal as the teacher wrote it (0.001, 5, 0.5), with the language's decimal sign."""
    return shown_number(format_float(value))


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _value(kind: str, help_text: str, high: float = 10**9) -> Param:
    return Param("value", kind, help_text, low=0, high=high)


_SET = Param("set", "choice", "train (default) or test", False, "train", options=("train", "test"))


def _on(p: Params, key: str, **values: Any) -> str:
    """The message ``key`` about the check's set: ``key.train`` or ``key.test``."""
    return t(f"{key}.{p['set']}", **values)


def _measured(lab: Lab, which: str) -> tuple[float | None, float | None] | str:
    """(loss, accuracy) of the training or test set now, or a sentence saying why not."""
    train, test = lab.examples()
    if which == "test" and not test:
        return t("check.no_test_set")
    if not train:
        return t("check.train_empty")
    s = lab.stats(max_examples=MAX_MEASURED)
    if s is None:
        return t("check.not_measured")
    return (s.test_loss, s.test_accuracy) if which == "test" else (s.loss, s.accuracy)


@_kind(
    "loss_below",
    "The mean cost over the training (or test) set is below `value`.",
    lambda p: _on(p, "check.loss_below", value=_num(p["value"])),
    _value("number", "the loss to get under, e.g. 0.001"),
    _SET,
)
def _loss_below(lab: Lab, p: Params, answers: Answers) -> CheckResult:
    measured = _measured(lab, p["set"])
    if isinstance(measured, str):
        return CheckResult(False, measured)
    loss = measured[0]
    if loss is None or not math.isfinite(loss):
        return CheckResult(False, _on(p, "check.loss_not_finite"))
    shown_loss, value = shown_number(f"{loss:.3g}"), _num(p["value"])
    if loss < p["value"]:
        return CheckResult(True, _on(p, "check.loss_is_below", loss=shown_loss, value=value))
    return CheckResult(False, _on(p, "check.loss_is", loss=shown_loss, value=value))


@_kind(
    "accuracy_at_least",
    "The share of the training (or test) set classified right is at least `value` (0 to 1; "
    "the 0/1 tasks only).",
    lambda p: _on(
        p,
        "check.accuracy_full" if p["value"] == 1 else "check.accuracy_at_least",
        pct=_pct(p["value"]),
    ),
    _value("number", "the share wanted, 0 to 1 (1 is 100 %)", 1),
    _SET,
)
def _accuracy_at_least(lab: Lab, p: Params, answers: Answers) -> CheckResult:
    accuracy = _accuracy(lab, p)
    if isinstance(accuracy, CheckResult):
        return accuracy
    passed = accuracy >= p["value"]
    goal = "" if passed else t("check.goal_at_least", goal=_pct(p["value"]))
    return CheckResult(passed, _on(p, "check.accuracy_is", pct=_pct(accuracy)) + goal)


def _accuracy(lab: Lab, p: Params) -> float | CheckResult:
    """The accuracy on the check's set, or why there is none to compare (a failed result)."""
    measured = _measured(lab, p["set"])
    if isinstance(measured, str):
        return CheckResult(False, measured)
    if measured[1] is None:
        return CheckResult(False, t("check.no_accuracy", task=lab.settings.task))
    return measured[1]


@_kind(
    "accuracy_below",
    "The share of the training (or test) set classified right is below `value`, after at "
    "least one epoch: a task the model can't learn (the 0/1 tasks only).",
    lambda p: _on(p, "check.accuracy_below", pct=_pct(p["value"])),
    _value("number", "the share to stay under, 0 to 1 (1: not every number right)", 1),
    _SET,
)
def _accuracy_below(lab: Lab, p: Params, answers: Answers) -> CheckResult:
    accuracy = _accuracy(lab, p)
    if isinstance(accuracy, CheckResult):
        return accuracy
    if lab.epoch == 0:
        return CheckResult(False, t("check.train_first"))
    passed = accuracy < p["value"]
    goal = "" if passed else t("check.goal_below", goal=_pct(p["value"]))
    return CheckResult(passed, _on(p, "check.accuracy_is", pct=_pct(accuracy)) + goal)


def prediction(lab: Lab) -> float:
    """The prediction for the number shown, decoded as the page shows it: for the value task
    y × (2^width − 1) (00101 → about 5), for the other tasks the output y itself."""
    s = lab.settings
    y = lab.network.forward(parse_bits(s.bits))[0]
    return y * (2**s.width - 1) if get_task(s.task).reads_as_number else y


@_kind(
    "prediction_near",
    "The prediction for the number shown (value task: y × (2^width − 1); other tasks: the "
    "output y) is within `tolerance` of `value`.",
    lambda p: t("check.prediction_near", value=_num(p["value"]), tolerance=_num(p["tolerance"])),
    Param("value", "number", "the prediction wanted, e.g. 5"),
    Param("tolerance", "number", "how far off it may be (default 0.5)", False, 0.5, 0, 1e6),
)
def _prediction_near(lab: Lab, p: Params, answers: Answers) -> CheckResult:
    value, bits = prediction(lab), lab.settings.bits
    if not math.isfinite(value):
        return CheckResult(False, t("check.prediction_not_finite", bits=bits))
    passed = abs(value - p["value"]) <= p["tolerance"]
    words = "check.prediction_within" if passed else "check.prediction_goal"
    goal = {"value": _num(p["value"]), "tolerance": _num(p["tolerance"])}
    return CheckResult(passed, t(words, bits=bits, prediction=compact(value), **goal))


def _counted(what: str, read: Callable[[Lab], int], at_most: bool) -> _Fn:
    """A check that a count (epochs, hidden neurons, ...) is at most or at least ``value``."""

    def check(lab: Lab, p: Params, answers: Answers) -> CheckResult:
        count = read(lab)
        passed = count <= p["value"] if at_most else count >= p["value"]
        goal = t("check.goal_at_most" if at_most else "check.goal_at_least", goal=p["value"])
        counted = t("check.counted", what=t(what), count=count)
        return CheckResult(passed, counted + ("" if passed else goal))

    return check


def _count_kind(
    name: str,
    description: str,
    goal: Callable[[int], str],
    what: str,
    read: Callable[[Lab], int],
    at_most: bool,
    help_text: str,
) -> None:
    """Register the check ``name`` of a count: ``what`` names the count (a catalogue key),
    ``help_text`` its parameter ``value``."""
    _kind(name, description, lambda p: goal(p["value"]), _value("whole", help_text))(
        _counted(what, read, at_most)
    )


_count_kind(
    "epoch_at_least",
    "At least `value` epochs trained since the last reset.",
    lambda n: t("check.epoch_at_least", n=n),
    "check.count.epochs",
    lambda lab: lab.epoch,
    at_most=False,
    help_text="the epochs wanted, 0 or more",
)
_count_kind(
    "epochs_at_most",
    "At most `value` epochs trained since the last reset (“within N epochs”).",
    lambda n: t("check.epochs_at_most", n=n),
    "check.count.epochs",
    lambda lab: lab.epoch,
    at_most=True,
    help_text="the most epochs allowed, 0 or more",
)
_count_kind(
    "steps_at_least",
    "“Step one example” pressed at least `value` times since the last reset.",
    lambda n: t("check.steps_at_least", n=n),
    "check.count.steps",
    lambda lab: lab.steps,
    at_most=False,
    help_text="the steps wanted, 0 or more",
)
_count_kind(
    "hidden_neurons_at_most",
    "The network has at most `value` hidden neurons in all.",
    lambda n: t("check.hidden_at_most", n=n),
    "check.count.hidden",
    lambda lab: sum(lab.settings.layers[:-1]),
    at_most=True,
    help_text="the most hidden neurons allowed, 0 or more",
)
_count_kind(
    "examples_at_most",
    "The training set has at most `value` numbers.",
    lambda n: t("check.examples_at_most", n=n),
    "check.count.examples",
    lambda lab: len(lab.settings.examples),
    at_most=True,
    help_text="the most numbers allowed in the training set, 0 or more",
)


@_kind(
    "diverged",
    "The last training run diverged: the loss became infinite or NaN (not a number).",
    lambda p: t("check.diverges"),
)
def _diverged(lab: Lab, p: Params, answers: Answers) -> CheckResult:
    if lab.run is not None and lab.run.diverged:  # the page keeps a run that diverged
        return CheckResult(True, t("check.diverged_at", epoch=lab.diverged_epoch()))
    return CheckResult(False, t("check.not_diverged"))


@_kind(
    "no_training",
    "Nothing trained since the last reset (no epoch, no single step): weights edited by hand.",
    lambda p: t("check.no_training"),
)
def _no_training(lab: Lab, p: Params, answers: Answers) -> CheckResult:
    if lab.epoch == 0 and lab.steps == 0:
        return CheckResult(True, t("check.no_training_yes"))
    epochs = t("check.count.epoch", n=lab.epoch)
    steps = t("check.count.single_step", n=lab.steps)
    return CheckResult(False, t("check.was_trained", epochs=epochs, steps=steps))


_FIELDS = {f.key: f for f in FIELDS} | {f.name: f for f in FIELDS}


def _setting_goal(p: Params) -> str:
    """A setting_is goal in words: "training set: all the numbers", "test set: 8 numbers
    (0000, 0011, …)", "Width (bits): 4"."""
    key, value = _FIELDS[p["field"]].key, p["value"]
    if key == "examples" and value == "all":
        return t("check.setting.all")
    if key in ("examples", "test"):
        items = [item for item in value.split(",") if item]
        shown_items = ", ".join(items[:2]) + (", …" if len(items) > 2 else "")
        return t(f"check.setting.{key}", n=len(items), items=shown_items)
    from core.names import english_names, name  # names imports the page's tables, and this

    label = name(f"hide.{key}") if f"hide.{key}" in english_names() else key
    return t("check.setting.other", label=label, value=value)


@_kind(
    "setting_is",
    "A setting (by its link key: task, lr, layers, examples, ...) equals `value`, read as in "
    "a link (examples=all means every number of the width, in order).",
    _setting_goal,
    Param("field", "choice", "the setting's link key, e.g. task", options=tuple(_FIELDS)),
    Param("value", "text", "its value as in a link, e.g. odd or 4,1"),
)
def _setting_is(lab: Lab, p: Params, answers: Answers) -> CheckResult:
    f, s = _FIELDS[p["field"]], lab.settings
    try:
        wanted, notes = f.parse(p["value"], context_of(s))
    except ValueError as error:
        cannot = t("check.setting_cannot", key=f.key, value=shown(p["value"]), error=error)
        return CheckResult(False, cannot)
    now = shown(f.format(getattr(s, f.name)), 40)
    if wanted == getattr(s, f.name) and not notes:
        return CheckResult(True, t("check.setting_now", key=f.key, now=now))
    goal = t("check.setting_goal", key=f.key, now=now, value=shown(p["value"], 40))
    return CheckResult(False, goal)


def sign_of_delta_w(lab: Lab, weight: int, neuron: int = 1, layer: int | None = None) -> int:
    """−1, 0 or +1: the sign of Δw (1-based ``weight`` of ``neuron`` in ``layer``, default the
    output layer) that the next "Step one example" would make, read from a traced copy
    (Δw = −learning rate × dC/dw): the lab is not changed. ValueError if there is no such
    weight or no example to step."""
    s, layers = lab.settings, lab.network.layers
    index = len(layers) - 1 if layer is None else layer - 1
    if not 0 <= index < len(layers):
        raise ValueError(f"this network has no layer {layer}")
    neurons = layers[index].neurons
    if not 1 <= neuron <= len(neurons) or not 1 <= weight <= neurons[neuron - 1].isize:
        raise ValueError(f"this network has no w{sub(weight)} on neuron {neuron}")
    if not s.examples:
        raise ValueError("the training set is empty: add the number shown first")
    # the example "Step one example" uses: the number shown, else the first example
    example = next((e for e in s.examples if e.bits == s.bits), s.examples[0])
    traced = trace(lab.network, parse_bits(example.bits), example_targets(s, example))
    delta = -s.learning_rate * traced.layers[index].neurons[neuron - 1].dcost_dw[weight - 1]
    return (delta > 0) - (delta < 0)


@_kind(
    "answer",
    "A question with choices. The right choice is `expected` (0-based), or computed from the "
    "lab with `compute`: sign_of_delta_w (the choices are negative, zero, positive).",
    lambda p: p["question"],
    Param("id", "text", "a name for the answer, unique in the lesson"),
    Param("question", "text", "the question"),
    Param("choices", "choices", "2 to 6 answers (text)", False),
    Param("expected", "whole", "0-based index of the right choice", False, 0, 0, 5),
    Param("compute", "choice", "compute the right choice", False, options=("sign_of_delta_w",)),
    Param("weight", "whole", "sign_of_delta_w: i of w_i, 1-based", False, 1, 1, 16),
    Param("neuron", "whole", "its neuron, 1-based (default 1)", False, 1, 1, 16),
    Param("layer", "whole", "its layer, 1-based (default: the output)", False, None, 1, 5),
    Param("explain", "texts", 'one reply per choice, in their order; "" for the default', False),
)
def _answer(lab: Lab, p: Params, answers: Answers) -> CheckResult:
    chosen = answers.get(p["id"])
    if not isinstance(chosen, int) or isinstance(chosen, bool) or chosen < 0:
        return CheckResult(False, t("check.choose"))
    if p["compute"] == "sign_of_delta_w":
        right = sign_of_delta_w(lab, p["weight"], p["neuron"], p["layer"]) + 1
    else:
        right = p["expected"]
    explain = p["explain"][chosen] if p["explain"] and chosen < len(p["explain"]) else ""
    if chosen == right:
        return CheckResult(True, t("check.right", explain=explain or p["choices"][right]))
    return CheckResult(False, t("check.wrong", explain=explain or t("check.wrong_default")))


# --- evaluating ----------------------------------------------------------------------------


def evaluate(check: Check, lab: Lab, answers: Answers | None = None) -> CheckResult:
    """Whether ``check`` passes on ``lab`` now, in words. Never raises; never changes the lab."""
    try:
        return CHECKS[check.kind].check(lab, check.params, answers or {})
    except (ValueError, ArithmeticError, LookupError, TypeError) as error:
        return CheckResult(False, t("check.cannot", error=error))
