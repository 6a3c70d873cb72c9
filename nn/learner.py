"""A neuron whose math is the learner's own code: a class with the notebook's interface.

The notebook's ``Neuron`` (its class 3) has ``Neuron(isize)``, ``weight`` (a list of w),
``bias`` (b), ``forward(x, activate=True)`` returning y, and ``backward(x, dcost_dy,
learning_rate)``, which moves w and b by gradient descent and returns dC/dx. A learner who
writes such a class can train the lab's networks with it:

    Network([3, 4, 1], seed=1, neuron_class=learner_neuron_class(MyNeuron))

``learner_neuron_class`` makes a ``LearnerNeuron``: an ``nn.Neuron`` that keeps the lab's
weights and bookkeeping but asks the learner's code for the numbers:

    y      the learner's ``forward(x, activate)``;
    dC/dw  read from the learner's ``backward(x, dC/dy, 1.0)``: with learning rate 1 the
           update is w_new = w - dC/dw, so dC/dw = w - w_new (and dC/db = b - b_new);
    dC/dx  what the learner's ``backward`` returns.

The lab's w and b are left as they were after the learner's ``backward`` (it works on a
copy), so the lab steps them itself: one example at a time, averaged over a mini-batch,
or with L2 weight decay, as for ``nn.Neuron``. z = w.x + b is computed here for the
diagram, and dy/dz = dC/dz / dC/dy is read from the learner's numbers. The learner's
neuron is the notebook's sigmoid neuron: "sigmoid" calls ``forward(x, True)``, "linear"
(y = z) calls ``forward(x, False)``; other activations are refused.

Any exception the learner's code raises goes up unchanged; a value of the wrong kind (a
y that is not a number, a dC/dx that is not one number per input) is a TypeError or
ValueError naming the method and what was expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import mul
from typing import Any, ClassVar

from nn.initializers import RandomSource
from nn.neuron import Neuron

LEARNER_ACTIVATIONS = ("sigmoid", "linear")  # linear: the notebook's activate=False


class LearnerNeuron(Neuron):
    """An ``nn.Neuron`` whose y, dC/dw, dC/db and dC/dx come from ``learner_class``.

    Made by ``learner_neuron_class``; built as ``nn.Neuron`` is (the same draw of the first
    w and b from ``rng``), then ``learner_class(isize)`` is made to compute with them.
    """

    learner_class: ClassVar[type]  # the learner's class, set by learner_neuron_class

    def __init__(
        self,
        isize: int,
        activation: str = "sigmoid",
        rng: RandomSource | None = None,
        init: str = "uniform",
        fan_out: int = 1,
        *,
        weight: Sequence[float] | None = None,
        bias: float | None = None,
    ) -> None:
        if activation not in LEARNER_ACTIVATIONS:
            raise ValueError(
                f"Your Neuron is a sigmoid neuron (the notebook's), so it cannot be a "
                f"{activation} neuron: use sigmoid (or linear, the notebook's "
                "activate=False) for a network built from your code."
            )
        super().__init__(isize, activation, rng, init, fan_out, weight=weight, bias=bias)
        self._sigmoid = activation == "sigmoid"  # False: linear, forward(x, activate=False)
        # the learner's neuron; its own first weights are replaced by the lab's before each call
        self.learner: Any = self.learner_class(isize)
        self._gradient: list[float] | None = None  # dC/dw_i read from the learner's update

    @property
    def dcost_dw(self) -> list[float]:
        """dC/dw_i as the learner's ``backward`` computed it (all 0 before any gradient)."""
        return [0.0] * self.isize if self._gradient is None else list(self._gradient)

    def forward_owned(self, x: list[float], activate: bool = True) -> float:
        """y from the learner's ``forward(x, activate)``; z = w.x + b computed here."""
        learner = self.learner
        learner.weight, learner.bias = self.weight, self.bias
        y = learner.forward(x, activate and self._sigmoid)
        y = _number(y, "Neuron.forward returned", "a number (y)")
        self.z = sum(map(mul, self.weight, x)) + self.bias
        self.y, self.x, self.activated = y, x, activate
        return y

    def compute_gradients(
        self, x: Sequence[float], dcost_dy: float, dcost_dz: float | None = None
    ) -> list[float]:
        """dC/dw, dC/db and dC/dx from the learner's ``backward(x, dcost_dy, 1.0)``; return dC/dx.

        The learner's code works on a copy of w and b, so the lab's stay as they were.
        ``dcost_dz`` (given for a sigmoid under cross-entropy) is not passed on: the
        learner's ``backward`` takes dC/dy and multiplies it by its own dy/dz.
        """
        if not self.x:
            raise RuntimeError("call forward() before computing gradients")
        if len(x) != self.isize:
            raise ValueError(f"expected {self.isize} inputs, got {len(x)}")
        if x is not self.x:
            self.x = list(x)
        learner = self.learner
        learner.weight, learner.bias = list(self.weight), self.bias
        returned = learner.backward(self.x, dcost_dy, 1.0)
        dcost_dx = _numbers(returned, self.isize, "Neuron.backward returned", "dC/dx")
        new_weight = _numbers(
            learner.weight, self.isize, "Neuron.backward left weight as", "weight"
        )
        new_bias = _number(learner.bias, "Neuron.backward left the bias as", "a number")
        # learning rate 1: w_new = w - dC/dw, so dC/dw = w - w_new
        self._gradient = [w - new for w, new in zip(self.weight, new_weight, strict=True)]
        self.dcost_dz = self.bias - new_bias  # dC/db = dC/dz * 1
        self.dcost_dy = dcost_dy
        if dcost_dy:
            self.dy_dz = self.dcost_dz / dcost_dy
        else:  # dC/dz / dC/dy is 0/0: show the lab's own dy/dz
            self.dy_dz = self.activation.deriv(self.z) if self.activated else 1.0
        self._dz_dw = self.x
        self.dcost_dx = dcost_dx
        return dcost_dx

    def apply_update(self, learning_rate: float) -> None:
        """One gradient-descent step with the learner's gradients:
        w_i -= learning_rate * dC/dw_i and b -= learning_rate * dC/db."""
        if self._gradient is None:
            raise RuntimeError("call compute_gradients() before apply_update()")
        self._step([learning_rate * g for g in self._gradient], learning_rate * self.dcost_dz)

    def __repr__(self) -> str:
        return (
            f"LearnerNeuron({self.learner_class.__name__}, isize={self.isize}, "
            f"activation={self.activation.name!r}, weight={self.weight!r}, bias={self.bias!r})"
        )


def learner_neuron_class(cls: type) -> type[LearnerNeuron]:
    """A ``LearnerNeuron`` class computing with ``cls``, to pass as ``neuron_class``.

    ``cls`` has the notebook's interface: ``cls(isize)`` with ``weight`` and ``bias``,
    ``forward(x, activate)`` and ``backward(x, dcost_dy, learning_rate)``. TypeError if
    ``cls`` is not a class.
    """
    if not isinstance(cls, type):
        raise TypeError(f"expected a class with the notebook's Neuron interface, got {cls!r}")
    return type(f"Learner{cls.__name__}", (LearnerNeuron,), {"learner_class": cls})


def _number(value: object, did: str, expected: str) -> float:
    """``value`` as a float if it is an int or float (not a bool); else a TypeError."""
    if type(value) is float:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"{did} {_shown(value)}, not {expected}.")


def _numbers(values: object, count: int, did: str, what: str) -> list[float]:
    """``values`` as a list of ``count`` floats; TypeError or ValueError saying what is wrong."""
    expected = f"{what}: a list of {count} numbers, one per input"
    if values is None:
        raise TypeError(f"{did} nothing (None), not {expected}.")
    if not isinstance(values, (list, tuple)):
        raise TypeError(f"{did} {_shown(values)}, not {expected}.")
    if len(values) != count:
        raise ValueError(f"{did} {len(values)} numbers, not {expected}.")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise TypeError(f"{did} {_shown(values)}, not {expected}.")
    return [float(v) for v in values]


def _shown(value: object) -> str:
    """A short description of ``value`` for a message: its type and repr, cut to 60 chars."""
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"
