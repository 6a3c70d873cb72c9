"""usercode and neuron_sources: the learner's code loaded, checked, timed and its errors placed."""

from __future__ import annotations

import inspect
import math
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from core import neuron_sources, usercode
from core.usercode import CodeError, LoadedCode, TimeBudget, TookTooLong, load_learner_code

import nn

REFERENCE = Path(__file__).with_name("notebook_reference.py")
PARITY3 = nn.all_examples("parity", 3)
SHORT = 0.3  # seconds: the budget of the tests that stop an endless loop


@pytest.fixture(autouse=True)
def _restore_global_random() -> Iterator[None]:
    state = random.getstate()
    yield
    random.setstate(state)


def loaded(source: str, seconds: float = usercode.DEFAULT_BUDGET) -> LoadedCode:
    result = load_learner_code(source, seconds)
    assert isinstance(result, LoadedCode), result
    return result


def failed(source: str, seconds: float = usercode.DEFAULT_BUDGET) -> CodeError:
    result = load_learner_code(source, seconds)
    assert isinstance(result, CodeError), result
    return result


# --- the sources -------------------------------------------------------------------------------


def test_the_notebook_source_is_the_reference_without_its_docstring_and_noqa_line() -> None:
    text = REFERENCE.read_text()
    start = text.index("import math")
    assert text[start:] == usercode.NOTEBOOK_SOURCE
    dropped = text[:start]
    assert dropped.endswith('"""\n\n# ruff: noqa: B905\n\n') and dropped.count('"""') == 2


def test_the_library_source_is_read_from_the_loaded_nn_not_a_copy() -> None:
    source = usercode.library_source()
    for function in (nn.sigmoid, nn.sigmoid_deriv):
        assert neuron_sources._without_docstring(function) in source
    for name in neuron_sources.LIBRARY_METHODS:
        body = inspect.getsource(getattr(nn.Neuron, name))
        code_lines = [line for line in body.splitlines() if line.strip()]
        docstring = inspect.getdoc(getattr(nn.Neuron, name)) or ""
        for line in code_lines:
            if line.strip().strip('"') not in docstring:
                assert line in source, line
    assert "class Neuron:" in source and len(source.splitlines()) <= 110
    assert usercode.library_source() is source  # read once (the snapshot holds it read)


def test_the_library_source_loads_and_its_neuron_computes_what_nn_neuron_does() -> None:
    cls = loaded(usercode.library_source()).learner_class
    theirs, ours = cls(3), nn.Neuron(3)
    theirs.weight, theirs.bias = list(ours.weight), ours.bias
    for activate in (True, False):
        x = [0.5, -1.0, 1.0]
        assert theirs.forward(x, activate) == ours.forward(x, activate)
        assert theirs.backward(x, 0.3, 0.5) == ours.backward(x, 0.3, 0.5)
        assert (theirs.weight, theirs.bias) == (ours.weight, ours.bias)


def test_a_network_of_the_library_sources_neuron_learns_parity_of_3_bits() -> None:
    neuron_class = loaded(usercode.library_source()).neuron_class
    network = nn.Network([3, 4, 1], seed=3, neuron_class=neuron_class)
    labs = nn.Network([3, 4, 1], seed=3)
    assert network.parameters() == labs.parameters()  # the same seed, the same first weights
    for _ in range(800):  # nn's own neurons learn it in 750 epochs
        network.train_epoch(PARITY3, 2.0)
        labs.train_epoch(PARITY3, 2.0)
    assert network.accuracy(PARITY3) == 1.0
    for ours, theirs in zip(network.parameters(), labs.parameters(), strict=True):
        assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9)


# --- loading: what is wrong, and where ---------------------------------------------------------

GOOD = usercode.NOTEBOOK_SOURCE


@pytest.mark.parametrize(
    ("source", "message", "line"),
    [
        ("import math\n\ndef f(:\n    pass\n", "SyntaxError: ", 3),
        ("x = 1\n  y = 2\n", "IndentationError: unexpected indent", 2),
        ("import math\n", "Your code defines no class Neuron", None),
        ("Neuron = 3\n", "Neuron is a int, not a class", None),
        ("x = 1\ny = 1 / 0\n", "ZeroDivisionError: division by zero", 2),
        ("import no_such_module_here\n", "ModuleNotFoundError: No module named", 1),
        ("raise SystemExit(1)\n", "SystemExit: 1", 1),
        pytest.param(
            "x = 1\nwhile True: pass\n",
            "Your code ran for 0.3 s without finishing",
            2,
            marks=pytest.mark.tracer,
        ),
        pytest.param(
            "x = 1\nwhile True:\n    x += 1\n",
            "(an endless loop?), so it was stopped.",
            (2, 3),
            marks=pytest.mark.tracer,
        ),
        ("a\x00b", "source code string cannot contain null bytes", None),
    ],
)
def test_a_module_that_does_not_run_says_why_and_where(
    source: str, message: str, line: int | tuple[int, ...] | None
) -> None:
    started = time.monotonic()
    error = failed(source, SHORT)
    assert message in error.message
    assert error.line in line if isinstance(line, tuple) else error.line == line
    assert time.monotonic() - started < SHORT + 1.0


def test_a_missing_method_or_a_wrong_signature_is_named_with_the_expected_one() -> None:
    no_backward = GOOD.replace("    def backward(", "    def backwards(")
    error = failed(no_backward)
    assert error.message == (
        "Your Neuron class has no backward method: the lab calls "
        "backward(self, x, dcost_dy, learning_rate)."
    )
    assert error.line == GOOD.splitlines().index("class Neuron:") + 1
    short = GOOD.replace(
        "def backward(self, x, dcost_dy, learning_rate):", "def backward(self, x):"
    )
    error = failed(short)
    assert error.message == (
        "Neuron.backward must take (self, x, dcost_dy, learning_rate); yours is backward(self, x)."
    )
    assert (
        error.line
        == GOOD.splitlines().index("    def backward(self, x, dcost_dy, learning_rate):") + 1
    )
    error = failed(GOOD.replace("def __init__(self, isize):", "def __init__(self):"))
    assert error.message.startswith("Neuron.__init__ must take (self, isize)")
    error = failed(GOOD.replace("def forward(self, x, activate=True):", "def forward(self, x):"))
    assert "Neuron.forward must take (self, x, activate=True)" in error.message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("self.isize = isize", "self.isize = isize / 0", "ZeroDivisionError: division by zero"),
        ("self.bias = random.uniform(-1, 1)", "self.bias = '0.5'", "bias must be a number"),
        ("for _ in range(self.isize)]", "for _ in range(2)]", "weight must be a list of 3"),
    ],
)
def test_a_neuron_that_cannot_be_made_says_why_at_its_line(
    old: str, new: str, message: str
) -> None:
    error = failed(GOOD.replace(old, new))
    assert message in error.message
    lines = GOOD.splitlines()
    wanted = next(i for i, line in enumerate(lines) if old in line) + 1
    assert error.line in (wanted, lines.index("    def __init__(self, isize):") + 1)
    if "Error" in message:
        assert error.line == wanted


@pytest.mark.tracer
def test_an_endless_loop_in_forward_is_stopped_within_the_budget_at_its_line() -> None:
    source = GOOD.replace(
        "        # computes the weighted sum", "        while True: pass\n        # computes"
    )
    neuron = loaded(source, SHORT).learner_class(3)
    started = time.monotonic()
    with pytest.raises(TookTooLong) as stopped:
        neuron.forward([1, 0, 1])
    assert SHORT <= time.monotonic() - started < SHORT + 1.0
    error = usercode.code_error(stopped.value)
    assert error.line == source.splitlines().index("        while True: pass") + 1
    assert error.text.startswith(f"Line {error.line}: Your code ran for 0.3 s")
    assert sys.gettrace() is None


@pytest.mark.tracer
def test_an_except_exception_in_the_learners_code_does_not_swallow_the_stop() -> None:
    source = GOOD.replace(
        "        # computes the weighted sum",
        "        while True:\n            try:\n                while True:\n"
        "                    pass\n            except Exception:\n                pass\n"
        "        # computes",
    )
    with pytest.raises(TookTooLong):
        loaded(source, SHORT).learner_class(3).forward([1, 0, 1])


def test_an_error_raised_inside_backward_while_training_is_placed_at_the_learners_line() -> None:
    source = GOOD.replace("        dz_db = 1\n", "        dz_db = 1\n        dz_db = dz_db / 0\n")
    network = nn.Network([3, 1], seed=1, neuron_class=loaded(source).neuron_class)
    with pytest.raises(usercode.LEARNER_ERRORS) as raised:
        network.train_step([1, 0, 1], [1], 0.5)
    error = usercode.code_error(raised.value)
    assert error == CodeError(
        "ZeroDivisionError: division by zero",
        source.splitlines().index("        dz_db = dz_db / 0") + 1,
    )


def test_an_error_outside_the_learners_code_has_no_line() -> None:
    try:
        int("x")
    except ValueError as error:
        assert usercode.code_error(error) == CodeError(
            "ValueError: invalid literal for int() with base 10: 'x'"
        )
    assert CodeError("KeyError").text == "KeyError"


# --- the time budget ---------------------------------------------------------------------------


def lab_probe() -> object:
    """Called from the learner's code: the local tracer of this (lab) frame, if any."""
    return sys._getframe().f_trace


@pytest.mark.tracer
def test_the_budget_traces_the_learners_frames_only_and_removes_itself() -> None:
    source = GOOD + "\n\ndef traced():\n    import sys\n    return sys._getframe().f_trace\n"
    namespace = loaded(source).namespace
    namespace["lab_probe"] = lab_probe
    exec(compile("def calls_the_lab():\n    return lab_probe()\n", "<my code>", "exec"), namespace)
    with TimeBudget(1.0) as budget:
        assert sys.gettrace() is not None
        assert namespace["traced"]() is not None  # the learner's frame has a line tracer
        assert namespace["calls_the_lab"]() is None  # nn's (and the lab's) frames have none
        assert lab_probe() is None
    assert budget.seconds == 1.0 and sys.gettrace() is None


@pytest.mark.tracer
def test_budgets_nest_the_outer_one_counts_and_a_tracer_already_there_is_kept() -> None:
    with TimeBudget(1.0):
        outer = sys.gettrace()
        with TimeBudget(0.01):
            assert sys.gettrace() is outer
        assert sys.gettrace() is outer
    assert sys.gettrace() is None

    def other(frame: object, event: str, arg: object) -> None:
        return None

    sys.settrace(other)
    try:
        with TimeBudget(1.0):
            assert sys.gettrace() is other
        assert sys.gettrace() is other
    finally:
        sys.settrace(None)


def test_a_guarded_class_keeps_the_learners_name_and_signatures() -> None:
    cls = loaded(GOOD).namespace["Neuron"]
    guarded = usercode.guarded(cls)
    assert guarded.__name__ == "Neuron" and issubclass(guarded, cls)
    assert str(inspect.signature(guarded.backward)) == "(self, x, dcost_dy, learning_rate)"
