"""The learner's own Python: load it, run it under a time budget, and say where it went wrong.

The Code panel shows the neuron's source (``library_source()``: read from the ``nn`` package
this page runs, or ``NOTEBOOK_SOURCE``: the seed notebook's, with its two slips). The learner
edits it and the page calls ``load_learner_code(text)``: it runs the text as a module named
``FILENAME`` and checks that it defines a ``Neuron`` with the notebook's interface. What comes
back is a ``LoadedCode`` (its ``neuron_class`` goes to ``nn.Network(..., neuron_class=...)``)
or a ``CodeError(message, line)``, never an exception.

Every call into the learner's code (the module's top level, ``Neuron(isize)``, ``forward`` and
``backward``) runs under a ``TimeBudget``: a line tracer that stops the code with
``TookTooLong`` once it has run for ``seconds`` (an endless loop). Only frames of the
learner's code are traced, so nn's own code runs at full speed. A loop inside one long call
to a built-in (``sum(itertools.count())``, ``time.sleep``) cannot be stopped this way.

While training, catch ``LEARNER_ERRORS`` and turn them into a ``CodeError`` with ``code_error``.
Pure Python: no browser module, tested under CPython.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import Any

import nn
from core.i18n import shown_number, t
from core.neuron_sources import NOTEBOOK_SOURCE, library_source
from nn import learner_neuron_class

__all__ = [  # the sources come from neuron_sources; the page finds everything here
    "DEFAULT_BUDGET",
    "FILENAME",
    "LEARNER_ERRORS",
    "NOTEBOOK_SOURCE",
    "CodeError",
    "LoadedCode",
    "TimeBudget",
    "TookTooLong",
    "code_error",
    "guarded",
    "library_source",
    "load_learner_code",
]

FILENAME = "<my code>"  # the name Python gives the learner's code in tracebacks
DEFAULT_BUDGET = 5.0  # seconds one call into the learner's code may run
CHECK_EVERY = 1000  # trace events between two looks at the clock
# CPython 3.11 gives no line event to a loop that jumps to its own line (``while True: pass``
# written on one line), so there the tracer counts opcodes too; 3.12 and later (Pyodide) do.
TRACE_OPCODES = sys.version_info < (3, 12)


class TookTooLong(BaseException):
    """The learner's code ran longer than its budget and was stopped at ``line``.

    A BaseException, like KeyboardInterrupt: an ``except Exception`` in the learner's code
    must not swallow it, or the endless loop it stopped would go on untraced."""

    def __init__(self, seconds: float, line: int | None) -> None:
        super().__init__(t("usercode.too_long", seconds=shown_number(f"{seconds:g}")))
        self.seconds, self.line = seconds, line


# What the learner's code may raise: catch these around any call into it.
LEARNER_ERRORS = (Exception, TookTooLong, SystemExit)


class TimeBudget:
    """``with TimeBudget(5.0):`` stops the learner's code with ``TookTooLong`` after 5 s.

    Installs a trace function only if none is installed (so budgets nest: the outermost one
    counts) and removes it on the way out. The global tracer returns a line tracer only for
    frames of ``FILENAME``; that one looks at the clock every ``CHECK_EVERY`` events.
    """

    def __init__(self, seconds: float = DEFAULT_BUDGET) -> None:
        self.seconds = seconds
        self._installed = False
        self._deadline = 0.0
        self._lines = 0

    def __enter__(self) -> TimeBudget:
        self._installed = sys.gettrace() is None
        if self._installed:
            self._deadline = time.monotonic() + self.seconds
            self._lines = 0
            sys.settrace(self._call)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            sys.settrace(None)
            self._installed = False

    def _call(self, frame: FrameType, event: str, arg: Any) -> Callable | None:
        """The global tracer: trace the lines of the learner's frames only."""
        if frame.f_code.co_filename != FILENAME:
            return None
        if TRACE_OPCODES:
            frame.f_trace_opcodes = True
        return self._line

    def _line(self, frame: FrameType, event: str, arg: Any) -> Callable | None:
        """The learner's frames' tracer: every CHECK_EVERY events, look at the clock."""
        self._lines += 1
        if self._lines >= CHECK_EVERY:
            self._lines = 0
            if time.monotonic() > self._deadline:
                raise TookTooLong(self.seconds, frame.f_lineno)
        return self._line


def guarded(cls: type, seconds: float = DEFAULT_BUDGET) -> type:
    """A subclass of the learner's ``cls`` whose ``__init__``, ``forward`` and ``backward``
    each run under ``TimeBudget(seconds)``. Its name and the methods' signatures are cls's."""

    def under_budget(name: str) -> Callable:
        method = getattr(cls, name)

        @functools.wraps(method)
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            if sys.gettrace() is not None:  # an outer budget is on (or a debugger): it counts
                return method(self, *args, **kwargs)
            with TimeBudget(seconds):
                return method(self, *args, **kwargs)

        return run

    methods = {name: under_budget(name) for name in ("__init__", "forward", "backward")}
    names = {"__qualname__": cls.__qualname__, "__module__": cls.__module__}
    return type(cls.__name__, (cls,), {**methods, **names})


@dataclass(frozen=True)
class CodeError:
    """What is wrong with the learner's code: ``message``, and ``line`` (1-based, in the
    learner's code) when it is known."""

    message: str
    line: int | None = None

    @property
    def text(self) -> str:
        """The message as the page shows it: "Line 12: ZeroDivisionError: division by zero"."""
        return (
            self.message
            if self.line is None
            else t("usercode.line", line=self.line, message=self.message)
        )


def code_error(error: BaseException) -> CodeError:
    """``error`` (raised by or inside the learner's code) as a CodeError with its line: a
    SyntaxError's own, where a TookTooLong stopped, else the last traceback frame in
    ``FILENAME`` (None if the error never passed through the learner's code)."""
    if isinstance(error, TookTooLong):
        return CodeError(str(error), error.line)
    if isinstance(error, SyntaxError):
        line = error.lineno if error.filename == FILENAME else None
        return CodeError(f"{type(error).__name__}: {error.msg}", line)
    line = None
    trace: TracebackType | None = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == FILENAME:
            line = trace.tb_lineno
        trace = trace.tb_next
    detail = str(error)
    return CodeError(f"{type(error).__name__}: {detail}" if detail else type(error).__name__, line)


@dataclass(frozen=True)
class LoadedCode:
    """The learner's code, run and checked.

    ``learner_class``: their ``Neuron``, each call under the time budget (for the gradient
    check); ``neuron_class``: the same wrapped for ``nn.Network(..., neuron_class=...)``;
    ``namespace``: the module's names after it ran."""

    source: str = field(repr=False)
    learner_class: type
    neuron_class: type[nn.LearnerNeuron]
    namespace: dict[str, Any] = field(repr=False)


# Each method of the notebook's interface and the arguments the lab calls it with.
INTERFACE = {
    "__init__": ("(self, isize)", (3,)),
    "forward": ("(self, x, activate=True)", ([0.5, -1.0, 1.0], True)),
    "backward": ("(self, x, dcost_dy, learning_rate)", ([0.5, -1.0, 1.0], 0.1, 0.5)),
}


def load_learner_code(source: str, seconds: float = DEFAULT_BUDGET) -> LoadedCode | CodeError:
    """Run ``source`` as a fresh module and check its ``Neuron``; a CodeError if anything fails.

    The module runs under ``TimeBudget(seconds)``. Its ``Neuron`` must be a class whose
    ``__init__``, ``forward`` and ``backward`` take the notebook's arguments, and ``Neuron(3)``
    must give ``weight``, a list of 3 numbers, and ``bias``, a number.
    """
    namespace: dict[str, Any] = {"__name__": "my_code"}
    try:
        code = compile(source, FILENAME, "exec")
        with TimeBudget(seconds):
            exec(code, namespace)
    except LEARNER_ERRORS as error:
        return code_error(error)
    cls = namespace.get("Neuron")
    class_line = _class_line(source)
    if not isinstance(cls, type):
        if cls is None:
            return CodeError(t("usercode.no_class"))
        return CodeError(t("usercode.not_a_class", kind=type(cls).__name__), class_line)
    for name, (expected, arguments) in INTERFACE.items():
        problem = _interface_problem(cls, name, expected, arguments)
        if problem:
            return CodeError(problem, _def_line(getattr(cls, name, None)) or class_line)
    learner_class = guarded(cls, seconds)
    try:
        neuron = learner_class(3)
    except LEARNER_ERRORS as error:
        return code_error(error)
    problem = _state_problem(neuron)
    if problem:
        return CodeError(problem, _def_line(cls.__init__) or class_line)
    return LoadedCode(source, learner_class, learner_neuron_class(learner_class), namespace)


def _interface_problem(cls: type, name: str, expected: str, arguments: tuple) -> str:
    """What is wrong with method ``name`` of ``cls`` ("" if it takes ``arguments``)."""
    method = getattr(cls, name, None)
    if name != "__init__" and not callable(method):
        return t("usercode.no_method", name=name, expected=expected)
    try:
        signature = inspect.signature(method)
        signature.bind(None, *arguments)
    except (TypeError, ValueError):
        with_self = _signature_text(method)
        if with_self:
            return t("usercode.signature", name=name, expected=expected, yours=with_self)
        return t("usercode.other_arguments", name=name, expected=expected)
    return ""


def _signature_text(method: Any) -> str:
    try:
        return str(inspect.signature(method))
    except (TypeError, ValueError):
        return ""


def _state_problem(neuron: Any) -> str:
    """ "" if ``neuron`` (made by Neuron(3)) has weight, 3 numbers, and bias, a number."""

    def is_number(value: object) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    weight = getattr(neuron, "weight", None)
    if not isinstance(weight, list) or len(weight) != 3 or not all(map(is_number, weight)):
        return t("usercode.weight", value=repr(weight))
    bias = getattr(neuron, "bias", None)
    if not is_number(bias):
        return t("usercode.bias", value=repr(bias))
    return ""


def _def_line(function: Any) -> int | None:
    """The line of ``def`` of a function written in the learner's code, else None."""
    code = getattr(function, "__code__", None)
    return code.co_firstlineno if code and code.co_filename == FILENAME else None


def _class_line(source: str) -> int | None:
    """The line of the last top-level ``class Neuron`` in ``source`` (None if none)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = [n.lineno for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Neuron"]
    return lines[-1] if lines else None
