"""The two neurons the Code panel shows: the lab's own (``library_source()``, read from the
``nn`` package this page runs) and the seed notebook's (``NOTEBOOK_SOURCE``).

Both are runnable modules defining ``sigmoid``, ``sigmoid_deriv`` and a ``Neuron`` with the
notebook's interface: ``Neuron(isize)``, ``weight``, ``bias``, ``forward(x, activate=True)``
and ``backward(x, dcost_dy, learning_rate)``, which returns dC/dx. Pure Python.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import textwrap
from collections.abc import Callable

from nn import activations
from nn.neuron import Neuron

LIBRARY_HEADER = """# The neuron this lab trains: nn.Neuron with the sigmoid activation.
#
# sigmoid, sigmoid_deriv and every method but __init__ are read from the nn package running
# in this page (docstrings left out); lines marked "# page" stand in for the rest of nn.
# The lab trains with this math split in two (so it can average a mini-batch): same floats.
# The notebook's own code: "Load the notebook's version".

from __future__ import annotations

import math
import random
from collections.abc import Sequence
"""

LIBRARY_SHELL = '''class Sigmoid:  # page: nn's activation "sigmoid", y = fn(z) and dy/dz = deriv(z)
    fn, deriv = staticmethod(sigmoid), staticmethod(sigmoid_deriv)


def check_length(values: Sequence[float], expected: int, word: str) -> None:  # page
    if len(values) != expected:
        raise ValueError("expected %d %ss, got %d" % (expected, word, len(values)))


class Neuron:
    """y = sigmoid(z), z = w.x + b; backward(x, dC/dy, learning_rate) moves w and b."""

    def __init__(self, isize: int) -> None:  # page: nn.Neuron(isize), "uniform" weights
        self.isize, self.activation = isize, Sigmoid
        self.weight = [random.uniform(-1, 1) for _ in range(isize)]
        self.bias = random.uniform(-1, 1)
        self.x: Sequence[float] = []
'''

LIBRARY_FUNCTIONS = (activations.sigmoid, activations.sigmoid_deriv)
OPERATORS = ("add", "mul", "sub", "truediv")
# nn.Neuron's methods of the notebook's interface, in the order forward runs them
LIBRARY_METHODS = ("forward", "forward_owned", "backward")


@functools.cache  # nn does not change while the lab runs; read once, in the memory snapshot
def library_source() -> str:
    """The neuron the lab trains, as a runnable module in the notebook's interface.

    Assembled with ``inspect.getsource`` from the ``nn`` that is loaded, not from a copy:
    ``nn.activations.sigmoid`` and ``sigmoid_deriv`` and the methods of ``nn.Neuron`` that
    ``forward`` and training run (docstrings removed, comments kept), in a shell marked
    "# page" that stands in for nn's activation table, input check and constructor (whose
    "uniform" draw is the notebook's). About 90 lines: every line of the math is nn's own.
    Read once (``inspect`` took 14-47 ms of the page's Python, each time the Code panel's text
    was kept); the memory snapshot holds it read (tests/memory_snapshot.py).
    """
    functions = "\n\n".join(_without_docstring(f) for f in LIBRARY_FUNCTIONS)
    methods = "\n".join(
        textwrap.indent(_without_docstring(getattr(Neuron, name)), "    ")
        for name in LIBRARY_METHODS
    )
    # nn's methods may use operator functions (map(mul, w, x)): import the ones they name
    used = [name for name in OPERATORS if re.search(rf"\b{name}\b", methods)]
    imports = f"from operator import {', '.join(used)}\n" if used else ""
    return f"{LIBRARY_HEADER}{imports}\n\n{functions}\n\n{LIBRARY_SHELL}\n{methods}"


def _without_docstring(function: Callable) -> str:
    """The dedented source of ``function`` without its docstring (its comments stay)."""
    source = textwrap.dedent(inspect.getsource(function))
    first = ast.parse(source).body[0]
    lines = source.splitlines(keepends=True)
    if isinstance(first, (ast.FunctionDef, ast.AsyncFunctionDef)) and ast.get_docstring(first):
        doc = first.body[0]
        del lines[doc.lineno - 1 : doc.end_lineno]
    return "".join(lines)


# The seed notebook's own code (its cells for sigmoid, sigmoid_deriv and class 3), character for
# character as tests/unit/notebook_reference.py holds it, with its two slips: backward returns
# dC/dx computed with the weights after the update, and uses sigmoid's derivative even after
# forward(x, activate=False).
NOTEBOOK_SOURCE = '''import math
import random


# transform all numbers between 0 and 1
def sigmoid(x):
    return 1 / (1 + math.exp(-x))


# sigmoid's derivation
def sigmoid_deriv(x):
    y = sigmoid(x)
    return y * (1 - y)


# neuron class 3
class Neuron:
    """
    z : linear combination of inputs and weights plus bias (pre-activation)
    y : output of the activation function (sigmoid(z))
    w : list of weights, one for each input
    """

    def __init__(self, isize):
        # number of inputs to this neuron
        self.isize = isize
        # importance to each input
        self.weight = [random.uniform(-1, 1) for _ in range(self.isize)]
        # importance of the neuron
        self.bias = random.uniform(-1, 1)

    def forward(self, x, activate=True):
        """
        x : list of input values to the neuron
        """
        # computes the weighted sum of inputs and add the bias
        self.z = sum(w * xi for w, xi in zip(self.weight, x)) + self.bias
        # normalize the output between 0 and 1 if activate
        last_output = sigmoid(self.z) if activate else self.z

        return last_output

    # adjust weight and bias of neuron
    def backward(self, x, dcost_dy, learning_rate):
        """
        x : list of input values to the neuron
        dcost_dy : derivate of the cost function `(2 * (output - target))`
        learning_rate : learning factor (adjust the speed of weight/bias change during training)

        weight -= learning_rate * dC/dy * dy/dz * dz/dw
        bias -= learning_rate * dC/dy * dy/dz * dz/db
        """
        # dy/dz: derivate of the sigmoid activation
        dy_dz = sigmoid_deriv(self.z)
        # dz/dw = x
        dz_dw = x

        assert len(dz_dw) >= self.isize, "too many values for input size"

        # dz/db = 1
        dz_db = 1

        for i in range(self.isize):
            # update each weight `weight -= learning_rate * dC/dy * dy/dz * x_i`
            self.weight[i] -= learning_rate * dcost_dy * dy_dz * dz_dw[i]

        # update bias: bias -= learning_rate * dC/dy * dy/dz * dz/db
        self.bias -= learning_rate * dcost_dy * dy_dz * dz_db

        # return gradient vector len(input) dimension
        return [dcost_dy * dy_dz * w for w in self.weight]
'''
