"""gradcheck: the learner's backward against finite differences, and what the failures say."""

from __future__ import annotations

import random

import pytest
from core import gradcheck, usercode
from core.gradcheck import check_gradients
from core.i18n import t
from core.usercode import LoadedCode, load_learner_code

import nn
from tests.unit import notebook_reference as notebook

# The diagnosis's sentences (catalogue keys in gradcheck), in English: the tests' language.
AFTER, ALL_PASSED, NOTHING, SLIP = (
    t(key) for key in (gradcheck.AFTER, gradcheck.ALL_PASSED, gradcheck.NOTHING, gradcheck.SLIP)
)

# The notebook's neuron with its two slips put right: the base for the planted bugs.
CORRECT = """\
import math
import random


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def sigmoid_deriv(x):
    y = sigmoid(x)
    return y * (1 - y)


class Neuron:
    def __init__(self, isize):
        self.isize = isize
        self.weight = [random.uniform(-1, 1) for _ in range(self.isize)]
        self.bias = random.uniform(-1, 1)

    def forward(self, x, activate=True):
        self.activated = activate
        self.z = sum(w * xi for w, xi in zip(self.weight, x)) + self.bias
        return sigmoid(self.z) if activate else self.z

    def backward(self, x, dcost_dy, learning_rate):
        dy_dz = sigmoid_deriv(self.z) if self.activated else 1
        dcost_dz = dcost_dy * dy_dz
        dcost_dx = [dcost_dz * w for w in self.weight]
        for i in range(self.isize):
            self.weight[i] -= learning_rate * dcost_dz * x[i]
        self.bias -= learning_rate * dcost_dz
        return dcost_dx
"""


def learner(source: str, seconds: float = usercode.DEFAULT_BUDGET) -> type:
    result = load_learner_code(source, seconds)
    assert isinstance(result, LoadedCode), result
    return result.learner_class


def planted(*changes: tuple[str, str]) -> type:
    source = CORRECT
    for old, new in changes:
        assert old in source, old
        source = source.replace(old, new)
    return learner(source, 0.3)


@pytest.mark.parametrize(
    "cls",
    [nn.Neuron, learner(usercode.library_source()), learner(CORRECT)],
    ids=["nn.Neuron", "library source", "notebook corrected"],
)
def test_the_labs_neuron_and_a_correct_one_pass(cls: type) -> None:
    report = check_gradients(cls)
    assert report.passed and report.diagnosis == ALL_PASSED and report.error is None
    assert report.tolerance == 1e-5
    names = {row.name for row in report.rows}
    assert names >= {"y", "w0", "w1", "w2", "b", "b at η = 0.5", "dC/dx0", "dC/dx2"}
    assert {row.case for row in report.rows} == {"activate=True", "activate=False"}
    assert len(report.rows) == 3 * 2 * 9  # trials x cases x (y, 3 w, b, b at η/2, 3 dC/dx)
    assert max(row.error for row in report.rows) <= 1e-5


@pytest.mark.parametrize(
    "cls", [notebook.Neuron, learner(usercode.NOTEBOOK_SOURCE)], ids=["reference", "loaded"]
)
def test_the_notebooks_code_fails_on_dcost_dx_and_on_activate_false(cls: type) -> None:
    report = check_gradients(cls)
    assert not report.passed
    failing = {(row.case, row.name) for row in report.rows if not row.passed}
    activated = {name for case, name in failing if case == "activate=True"}
    assert activated == {"dC/dx0", "dC/dx1", "dC/dx2"}  # w and b are right there
    assert {("activate=False", name) for name in ("w0", "b", "dC/dx1")} <= failing
    assert report.diagnosis == f"{AFTER} {SLIP}"
    assert (
        AFTER == "dC/dx uses the weights after the update: compute it before changing the weights."
    )


BUGS = {
    "sign flip": (
        [("self.weight[i] -=", "self.weight[i] +=")],
        "Δw has the wrong sign: your update moves the weights up the slope of the cost, not down.",
    ),
    "both flipped": (
        [("self.weight[i] -=", "self.weight[i] +="), ("self.bias -=", "self.bias +=")],
        "Δw and Δb have the wrong sign",
    ),
    "bias not updated": (
        [("        self.bias -= learning_rate * dcost_dz\n", "")],
        "The bias is not updated",
    ),
    "weights not updated": (
        [("self.weight[i] -= learning_rate * dcost_dz * x[i]", "pass")],
        "The weights are not updated",
    ),
    "returns nothing": ([("return dcost_dx", "return None")], NOTHING),
    "factor 2 on the bias": (
        [("self.bias -= learning_rate", "self.bias -= 2 * learning_rate")],
        "Δb is off by a factor of 2",
    ),
    "wrong derivative": (
        [("y * (1 - y)", "y * (1 + y)")],
        "dy/dz is wrong: every gradient is off by a factor that changes with z",
    ),
    "twice the derivative": (
        [("y * (1 - y)", "2 * y * (1 - y)")],
        "dC/dz is off by a factor of 2, so every gradient is",
    ),
    "dC/dx after the update": (
        [
            ("        dcost_dx = [dcost_dz * w for w in self.weight]\n", ""),
            ("return dcost_dx", "return [dcost_dz * w for w in self.weight]"),
        ],
        AFTER,
    ),
    "x index mix-up": ([("x[i]", "x[0]")], "Δw is wrong: backward should move each weight w_i"),
    "sigmoid_deriv after activate=False": ([(" if self.activated else 1", "")], SLIP),
    "no learning rate": (
        [("learning_rate * dcost_dz * x[i]", "dcost_dz * x[i]"), ("-= learning_rate * ", "-= ")],
        "The step does not scale with learning_rate",
    ),
    "dC/dx sign": ([("[dcost_dz * w", "[-dcost_dz * w")], "dC/dx has the wrong sign"),
    "forward ignores activate": (
        [("return sigmoid(self.z) if activate else self.z", "return sigmoid(self.z)")],
        "forward(x, activate=False) should return z = w.x + b itself.",
    ),
}


@pytest.mark.parametrize(("changes", "diagnosis"), BUGS.values(), ids=BUGS.keys())
def test_each_planted_bug_fails_with_its_diagnosis(
    changes: list[tuple[str, str]], diagnosis: str
) -> None:
    report = check_gradients(planted(*changes))
    assert not report.passed and report.error is None
    assert report.diagnosis.startswith(diagnosis), report.diagnosis


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([("dcost_dz = dcost_dy * dy_dz", "dcost_dz = dcost_dy * dy_dz / 0")], "ZeroDivisionError"),
        pytest.param(
            [
                (
                    "dcost_dz = dcost_dy * dy_dz",
                    "dcost_dz = dcost_dy * dy_dz\n        while True: pass",
                )
            ],
            "Your code ran for 0.3 s without finishing (an endless loop?), so it was stopped.",
            marks=pytest.mark.tracer,
        ),
    ],
)
def test_an_exception_or_an_endless_loop_is_a_failed_check_with_its_line(
    changes: list[tuple[str, str]], message: str
) -> None:
    report = check_gradients(planted(*changes), budget=0.3)
    assert not report.passed and report.error is not None
    assert message in report.error.message
    assert report.error.line == CORRECT.splitlines().index(
        "        dcost_dz = dcost_dy * dy_dz"
    ) + 1 + ("while" in changes[0][1])
    assert report.diagnosis == report.error.text


@pytest.mark.parametrize(
    ("changes", "diagnosis"),
    [
        (
            [("return sigmoid(self.z) if activate else self.z", "return [self.z]")],
            "forward returns [",
        ),
        (
            [("return dcost_dx", "return 'dC/dx'")],
            "backward returns 'dC/dx'; it should return dC/dx",
        ),
        ([("return dcost_dx", "return dcost_dx[:2]")], "it should return dC/dx, a list of 3"),
    ],
)
def test_values_of_the_wrong_kind_are_a_failed_check_that_says_so(
    changes: list[tuple[str, str]], diagnosis: str
) -> None:
    report = check_gradients(planted(*changes))
    assert not report.passed and report.error is None
    assert diagnosis in report.diagnosis


def test_the_check_leaves_the_global_random_state_alone_and_is_repeatable() -> None:
    state = random.getstate()
    first = check_gradients(notebook.Neuron, seed=4, trials=1)
    assert random.getstate() == state
    assert check_gradients(notebook.Neuron, seed=4, trials=1) == first
    assert gradcheck.FLOOR == 1e-3


# --- the same slip, the same diagnosis, in the notebook's code and in nn's -----------------

# The same slip as each version writes it: (the notebook's edits, nn's edits, the diagnosis).
SAME_SLIP = {
    "the weights' update upside down": (
        [("self.weight[i] -= learning_rate", "self.weight[i] += learning_rate")],
        [("self.weight[i] += rate", "self.weight[i] -= rate")],
        "Δw has the wrong sign: your update moves the weights up the slope of the cost",
    ),
    "no dy/dz in the update": (
        [("learning_rate * dcost_dy * dy_dz * dz_d", "learning_rate * dcost_dy * dz_d")],
        [("rate = -learning_rate * dcost_dy * dy_dz", "rate = -learning_rate * dcost_dy")],
        "Δw and Δb leave out dy/dz",
    ),
}


@pytest.mark.parametrize(("theirs", "ours", "diagnosis"), SAME_SLIP.values(), ids=SAME_SLIP)
def test_the_same_slip_gets_the_same_diagnosis_in_the_notebooks_code_and_in_nns(
    theirs: list[tuple[str, str]], ours: list[tuple[str, str]], diagnosis: str
) -> None:
    """A sign flip once read "Δw has the wrong sign" in one version and "Δw is wrong: … with
    its own input x_i" in the other; leaving out dy/dz blamed x_i too."""
    for source, changes in ((usercode.NOTEBOOK_SOURCE, theirs), (usercode.library_source(), ours)):
        for old, new in changes:
            assert old in source, old
            source = source.replace(old, new)
        report = check_gradients(learner(source))
        assert not report.passed and diagnosis in report.diagnosis, report.diagnosis
        assert "its own input x_i" not in report.diagnosis


def test_the_table_names_each_row_by_its_quantity() -> None:
    assert gradcheck.row_label("w0") == "dC/dw₀ (−Δw₀ at η = 1)"
    assert gradcheck.row_label("b") == "dC/db (−Δb at η = 1)"
    assert gradcheck.row_label("b at η = 0.5") == "dC/db (−Δb / η at η = 0.5)"
    assert gradcheck.row_label("dC/dx2") == "dC/dx₂ (returned)"
    assert gradcheck.row_label("y") == "y (forward)"
