"""Check my gradients: the learner's ``backward`` against finite differences of the cost.

A neuron made by the learner's class gets random inputs x, weights w, bias b and a target t;
the cost is C = (y - t)^2, so dC/dy = 2 (y - t). For each quantity:

    analytic  what the learner's code computed. ``backward(x, dC/dy, 1.0)`` with learning
              rate η = 1 moves w_i to w_i - dC/dw_i, so dC/dw_i = w_i - w_i(after) and
              dC/db = b - b(after): exactly the gradient the code used, with one rounding.
              (dC/db is read again with η = 0.5, to see that the step scales with η.)
              dC/dx_i is what ``backward`` returns.
    numeric   the central difference of C through the learner's own ``forward``:
              dC/dw_i ≈ (C(w_i + h) - C(w_i - h)) / 2h, the same for b and each x_i.

Each trial checks ``forward(x, activate=True)`` and ``forward(x, activate=False)`` (y = z, so
dy/dz = 1), and y itself against nn's sigmoid(w.x + b) (or z). A row passes when its
relative error |analytic - numeric| / max(|analytic|, |numeric|, FLOOR) is at most the
tolerance. The diagnosis reads the pattern of the failures (a sign flip, a constant factor,
nothing moved, dC/dx from the weights after the step, ...) as one sentence per problem.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.formats import sub
from core.i18n import shown_number, t
from core.usercode import DEFAULT_BUDGET, LEARNER_ERRORS, CodeError, code_error, guarded
from nn import sigmoid, sigmoid_deriv

STEP = 1e-5  # h of the central differences
FLOOR = 1e-3  # relative errors are measured against at least this: tiny values compare absolutely
CASES = ((True, "activate=True"), (False, "activate=False"))
ALL_PASSED = "gradcheck.all_passed"  # the diagnosis's key when every row passed


@dataclass(frozen=True)
class GradientRow:
    """One checked number: ``name`` ("y", "w0", "b", "b at η = 0.5", "dC/dx0") in one
    ``case`` ("activate=True" or "activate=False") of one ``trial``."""

    name: str
    case: str
    trial: int
    analytic: float  # the learner's value (nan: none was given)
    numeric: float  # the central difference (for "y": nn's sigmoid(w.x + b), or z)
    error: float  # relative error, see FLOOR
    passed: bool


@dataclass(frozen=True)
class GradientReport:
    """Every row, whether all passed, the tolerance used and what is wrong in plain words.

    ``error`` is set when the learner's code raised or ran out of time (the check stopped)."""

    rows: tuple[GradientRow, ...]
    passed: bool
    tolerance: float
    diagnosis: str
    error: CodeError | None = None


class _Refused(Exception):
    """The learner's code gave something that is not what the interface promises."""


@dataclass
class _Case:
    """What one case of one trial saw, for the diagnosis."""

    activate: bool
    z: float
    x: list[float]
    weight_after: list[float]  # w after backward with η = 1
    rows: dict[str, GradientRow]


def check_gradients(
    neuron_class: type,
    *,
    seed: int = 1,
    trials: int = 3,
    tolerance: float = 1e-5,
    isize: int = 3,
    budget: float = DEFAULT_BUDGET,
) -> GradientReport:
    """Check ``neuron_class`` (the notebook's interface) against finite differences.

    Never raises for the learner's code: an exception, a timeout (each call runs under
    ``budget`` seconds) or a value of the wrong kind is a failed report that says so. The
    global ``random`` state is left as it was (the learner's ``__init__`` may draw from it).
    """
    cls, rng, state = guarded(neuron_class, budget), random.Random(seed), random.getstate()
    rows: list[GradientRow] = []
    cases: list[_Case] = []
    try:
        for trial in range(trials):
            for activate, _ in CASES:
                cases.append(_check_case(cls, rng, activate, trial, isize, tolerance))
                rows.extend(cases[-1].rows.values())
    except _Refused as refused:
        return GradientReport(tuple(rows), False, tolerance, str(refused))
    except LEARNER_ERRORS as error:
        problem = code_error(error)
        return GradientReport(tuple(rows), False, tolerance, problem.text, problem)
    finally:
        random.setstate(state)
    passed = all(row.passed for row in rows)
    diagnosis = t(ALL_PASSED) if passed else diagnose(cases)
    return GradientReport(tuple(rows), passed, tolerance, diagnosis)


def _check_case(
    cls: type, rng: random.Random, activate: bool, trial: int, isize: int, tolerance: float
) -> _Case:
    """Draw x, w, b, t; compare the learner's y, dC/dw, dC/db and dC/dx with the numbers."""
    x = [rng.choice((-1, 1)) * rng.uniform(0.2, 1.0) for _ in range(isize)]
    weight = [rng.uniform(-1, 1) for _ in range(isize)]
    bias = rng.uniform(-1, 1)
    z = sum(w * xi for w, xi in zip(weight, x, strict=True)) + bias
    expected_y = sigmoid(z) if activate else z
    target = expected_y + rng.choice((-1, 1)) * rng.uniform(0.3, 0.8)  # a clear error y - t
    probe = cls(isize)

    def cost(w: list[float], b: float, inputs: list[float]) -> float:
        probe.weight, probe.bias = list(w), b
        y = _number(probe.forward(list(inputs), activate), "gradcheck.forward_returns")
        return (y - target) ** 2

    def slope(f: Callable[[float], float]) -> float:
        return (f(STEP) - f(-STEP)) / (2 * STEP)

    probe.weight, probe.bias = list(weight), bias
    y = _number(probe.forward(list(x), activate), "gradcheck.forward_returns")
    dcost_dy = 2 * (y - target)
    returned, weight_after, bias_after = _backward(cls, weight, bias, x, activate, dcost_dy, 1.0)
    _, _, bias_half = _backward(cls, weight, bias, x, activate, dcost_dy, 0.5)
    numeric_w = [slope(lambda h, i=i: cost(_moved(weight, i, h), bias, x)) for i in range(isize)]
    numeric_b = slope(lambda h: cost(weight, bias + h, x))
    numeric_x = [slope(lambda h, i=i: cost(weight, bias, _moved(x, i, h))) for i in range(isize)]
    dcost_dx = [math.nan] * isize if returned is None else returned
    found = [("y", y, expected_y)]
    found += [(f"w{i}", weight[i] - weight_after[i], numeric_w[i]) for i in range(isize)]
    found.append(("b", bias - bias_after, numeric_b))
    found.append(("b at η = 0.5", (bias - bias_half) / 0.5, numeric_b))
    found += [(f"dC/dx{i}", dcost_dx[i], numeric_x[i]) for i in range(isize)]
    label = CASES[0][1] if activate else CASES[1][1]
    rows = {name: _row(name, label, trial, a, n, tolerance) for name, a, n in found}
    return _Case(activate, z, x, weight_after, rows)


def _backward(
    cls: type,
    weight: list[float],
    bias: float,
    x: list[float],
    activate: bool,
    dcost_dy: float,
    learning_rate: float,
) -> tuple[list[float] | None, list[float], float]:
    """A fresh neuron with w and b runs forward, then backward: (dC/dx, w after, b after)."""
    neuron = cls(len(weight))
    neuron.weight, neuron.bias = list(weight), bias
    neuron.forward(list(x), activate)
    returned = neuron.backward(list(x), dcost_dy, learning_rate)
    count = len(weight)
    if returned is not None and not _numbers(returned, count):
        raise _Refused(t("gradcheck.backward_returns", value=_short(returned), n=count))
    if not _numbers(neuron.weight, count):
        raise _Refused(t("gradcheck.weight_after", value=_short(neuron.weight), n=count))
    bias_after = _number(neuron.bias, "gradcheck.bias_after")
    return (
        None if returned is None else [float(v) for v in returned],
        list(neuron.weight),
        bias_after,
    )


def row_label(name: str) -> str:
    """A row's quantity as the table names it: the gradient, and how it was read from the
    learner's code (a weight's change at learning rate η = 1 is −dC/dw)."""
    if name == "y":
        return t("gradcheck.row.y")
    if name.startswith("dC/dx"):
        return t("gradcheck.row.dx", i=sub(int(name[5:])))
    if name == "b":
        return t("gradcheck.row.b")
    if name.startswith("b at"):
        return t("gradcheck.row.b_half", eta=shown_number("0.5"))
    return t("gradcheck.row.w", i=sub(int(name[1:])))


def _row(
    name: str, case: str, trial: int, analytic: float, numeric: float, tolerance: float
) -> GradientRow:
    scale = max(abs(analytic), abs(numeric), FLOOR)
    error = abs(analytic - numeric) / scale if math.isfinite(analytic) else math.inf
    return GradientRow(name, case, trial, analytic, numeric, error, error <= tolerance)


def _moved(values: list[float], i: int, h: float) -> list[float]:
    return [v + h if k == i else v for k, v in enumerate(values)]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: Any, key: str) -> float:
    """``value`` as a float; _Refused with the message ``key`` (naming what it is) if it is
    not one number."""
    if not _is_number(value):
        raise _Refused(t(key, value=_short(value)))
    return float(value)


def _numbers(values: Any, count: int) -> bool:
    return (
        isinstance(values, (list, tuple)) and len(values) == count and all(map(_is_number, values))
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- the diagnosis ------------------------------------------------------------------------------

# The diagnosis's sentences are catalogue keys ("gradcheck.slip"), said with ``t``.
SLIP = "gradcheck.slip"
AFTER = "gradcheck.after"
NOTHING = "gradcheck.nothing"
GROUPS = ("w", "b", "dx")


def diagnose(cases: list[_Case]) -> str:
    """One plain sentence per problem that the failed rows of ``cases`` show."""
    sentences: list[str] = []
    for case in cases:
        if not case.rows["y"].passed:
            sentences.append(t("gradcheck.forward_y" if case.activate else "gradcheck.forward_z"))
    found = {group: _label(cases, group) for group in GROUPS}
    labels = {group: (kind, ratio) for group, (kind, ratio, _) in found.items()}
    slipped = any(slip for _, _, slip in found.values())
    if any(math.isnan(row.analytic) for c in cases for n, row in c.rows.items() if "dx" in n):
        sentences.append(t(NOTHING))
        labels["dx"] = ("ok", 1.0)
    elif labels["dx"][0] != "ok" and _after_update(cases):
        sentences.append(t(AFTER))
        labels["dx"] = ("ok", 1.0)
    if slipped:
        sentences.append(t(SLIP))
        labels = {g: ("ok", 1.0) if label[0] == "slip" else label for g, label in labels.items()}
    if _without_dy_dz(cases, labels):
        sentences.append(t(NO_DY_DZ))
        labels = {**labels, "w": ("ok", 1.0), "b": ("ok", 1.0)}
    sentences += _group_sentences(labels)
    if any(c.rows["b"].passed and not c.rows["b at η = 0.5"].passed for c in cases):
        sentences.append(t("gradcheck.no_learning_rate"))
    return " ".join(dict.fromkeys(sentences)) or t("gradcheck.some_rows")


def _names(case: _Case, group: str) -> list[str]:
    if group == "w":
        return [f"w{i}" for i in range(len(case.x))]
    return ["b"] if group == "b" else [f"dC/dx{i}" for i in range(len(case.x))]


def _label(cases: list[_Case], group: str) -> tuple[str, float, bool]:
    """How ``group``'s rows fail: ok, zero (nothing moved), slip (only after activate=False,
    by sigmoid'(z)), sign, factor (a constant ratio), varies (a ratio that changes) or other;
    the ratio; and whether the notebook's slip is there too (after activate=False, a further
    factor sigmoid'(z): divided out first, so that a slip of the learner's own reads the same
    in the notebook's code and in nn's)."""
    failing = [c for c in cases if any(not c.rows[n].passed for n in _names(c, group))]
    if not failing:
        return "ok", 1.0, False
    pairs = [[(c.rows[n].analytic, c.rows[n].numeric) for n in _names(c, group)] for c in failing]
    if all(abs(a) <= 1e-12 for case_pairs in pairs for a, _ in case_pairs):
        return "zero", 0.0, False
    ratios = [_ratio(case_pairs) for case_pairs in pairs]
    if None in ratios:
        return "other", math.nan, False
    activated = [r for c, r in zip(failing, ratios, strict=True) if c.activate]
    plain = [(c, r) for c, r in zip(failing, ratios, strict=True) if not c.activate]
    common = activated[0] if activated else 1.0
    slip = bool(plain) and all(_close(r / sigmoid_deriv(c.z), common) for c, r in plain)
    if slip:
        if not activated:
            return "slip", math.nan, True
        ratios = [
            r / sigmoid_deriv(c.z) if not c.activate else r
            for c, r in zip(failing, ratios, strict=True)
        ]
    if all(_close(r, -1.0) for r in ratios):
        return "sign", -1.0, slip
    if all(_close(r, ratios[0]) for r in ratios):
        return "factor", ratios[0], slip
    return "varies", math.nan, slip


NO_DY_DZ = "gradcheck.no_dy_dz"


def _without_dy_dz(cases: list[_Case], labels: dict[str, tuple[str, float]]) -> bool:
    """Whether Δw and Δb are off by 1 / sigmoid'(z) where the sigmoid applies: the update
    multiplies dC/dy by x_i without dy/dz."""
    if labels["w"][0] == "ok" or labels["b"][0] == "ok":
        return False
    for case in cases:
        expected = 1 / sigmoid_deriv(case.z) if case.activate else 1.0
        for name in [*_names(case, "w"), "b"]:
            row = case.rows[name]
            if abs(row.numeric) > 1e-9 and not _close(row.analytic / row.numeric, expected):
                return False
    return True


def _group_sentences(labels: dict[str, tuple[str, float]]) -> list[str]:
    """The sentences for each group's label (one for all three when they share it)."""
    kinds = {label for label, _ in labels.values()}
    if len(kinds) == 1 and kinds <= {"sign", "factor", "varies"}:
        kind, ratio = labels["w"]
        if kind != "factor" or all(_close(r, ratio) for _, r in labels.values()):
            return [_everything(kind, ratio)]
    if labels["w"][0] == labels["b"][0] == "sign":
        return [t("gradcheck.both_sign")]
    sentences = []
    for group, (kind, ratio) in labels.items():
        if kind == "ok":
            continue
        if group == "dx":
            sentences.append(_dx_sentence(kind, ratio))
            continue
        kind = kind if kind in ("zero", "sign", "factor") else "varies"
        sentences.append(t(f"gradcheck.{kind}.{group}", ratio=_shown_ratio(ratio)))
    return sentences


def _shown_ratio(ratio: float) -> str:
    """A factor as a sentence writes it: 3 significant digits, the language's decimal mark."""
    return shown_number(f"{ratio:.3g}")


def _everything(kind: str, ratio: float) -> str:
    """The sentence for every gradient off the same way (sign, factor or varies)."""
    return t(f"gradcheck.all.{kind}", ratio=_shown_ratio(ratio))


def _dx_sentence(kind: str, ratio: float) -> str:
    """The sentence for dC/dx (zero, sign, factor, or else wrong)."""
    kind = kind if kind in ("zero", "sign", "factor") else "varies"
    return t(f"gradcheck.dx.{kind}", ratio=_shown_ratio(ratio))


def _after_update(cases: list[_Case]) -> bool:
    """Whether every failing dC/dx is dC/dz times the weights after the step (η = 1)."""
    failing = [c for c in cases if any(not c.rows[n].passed for n in _names(c, "dx"))]
    for case in failing:
        dzs = (case.rows["b"].analytic, case.rows["b"].numeric)  # the learner's dC/dz, the true
        found = [case.rows[n].analytic for n in _names(case, "dx")]
        after = case.weight_after
        if not any(all(_close(a, dz * w) for a, w in zip(found, after, strict=True)) for dz in dzs):
            return False
    return bool(failing)


def _ratio(pairs: list[tuple[float, float]]) -> float | None:
    """analytic / numeric if it is the same for every pair (numeric not ~0), else None."""
    ratios = [a / n for a, n in pairs if abs(n) > 1e-9]
    if not ratios or not all(_close(r, ratios[0]) for r in ratios):
        return None
    return ratios[0]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-9)
