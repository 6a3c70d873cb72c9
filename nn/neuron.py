"""One artificial neuron, grown from the notebook's ``Neuron`` (its class 3).

Notation, as in the notebook:
    x      inputs, one per weight (e.g. the bits [0, 0, 1, 0, 1])
    w      weights (``weight``), one per input; b the bias (``bias``)
    z      pre-activation: z = w_0*x_0 + w_1*x_1 + ... + b
    y      output: y = f(z) for the activation f (or y = z when not activated)
    t      target; C the cost, e.g. C = (y - t)^2
    dC/dy  how C changes with y; it comes from the cost or the layer above
    dy/dz  the activation's derivative at z
    dC/dz  = dC/dy * dy/dz
    dC/dw  = dC/dz * x   (one per weight; dz/dw_i = x_i)
    dC/db  = dC/dz       (dz/db = 1)
    dC/dx  = dC/dz * w   (one per input; passed back to the layer below)

Gradient descent then moves each parameter against its gradient:
w_i -= learning_rate * dC/dy * dy/dz * x_i, and the same for b with 1 for x_i.

Two corrections to the notebook, otherwise followed to the last float:
  * dC/dx is computed with the weights from before the update (the notebook
    returns it after updating, mixing old and new weights);
  * after ``forward(x, activate=False)``, y = z so dy/dz = 1 (the notebook
    always uses sigmoid's derivative).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from operator import mul
from typing import Any

from nn.activations import get_activation
from nn.i18n import text as text_of
from nn.initializers import RandomSource, get_initializer
from nn.validation import (
    check_keys,
    check_length,
    check_parameters,
    finite_float,
    is_count,
    said,
)


class Neuron:
    """A neuron with ``isize`` inputs: y = f(w.x + b).

    ``activation`` names f (see ``nn.activations``). The first weights and
    bias are drawn by ``init`` (see ``nn.initializers``; "uniform" is the
    notebook's uniform(-1, 1), one draw per weight in order, then the bias)
    from ``rng``, or from the ``random`` module when ``rng`` is None, as in the
    notebook. ``fan_out`` is the size of the neuron's layer (used by "xavier").
    Give both ``weight`` and ``bias`` to set them instead of drawing.
    """

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
        if not is_count(isize):
            raise ValueError(f"a neuron needs 1 or more inputs, got {isize!r}")
        if not is_count(fan_out):
            raise ValueError(f"fan_out must be 1 or more, got {fan_out!r}")
        self.activation = get_activation(activation)  # f and its derivative
        initializer = get_initializer(init)
        # number of inputs to this neuron
        self.isize = isize
        if weight is None or bias is None:
            drawn_weight, drawn_bias = initializer.draw(
                random if rng is None else rng, isize, fan_out
            )
            weight = drawn_weight if weight is None else weight
            bias = drawn_bias if bias is None else bias
        check_length(weight, isize, "weight")
        # w: importance of each input
        self.weight: list[float] = list(weight)
        # b: importance of the neuron
        self.bias: float = bias

        # Set by forward():
        self.x: Sequence[float] = []  # x: the last input (also set by compute_gradients)
        self.z: float = 0.0  # z = w.x + b, the pre-activation
        self.y: float = 0.0  # y = f(z), or z when not activated
        self.activated: bool = True  # whether the last forward() applied f
        # Set by compute_gradients(), for the last example:
        self.dcost_dy: float = 0.0  # dC/dy: cost derivative w.r.t. the output y
        self.dy_dz: float = 0.0  # dy/dz: activation derivative at z (1 if not activated)
        self.dcost_dz: float = 0.0  # dC/dz = dC/dy * dy/dz, w.r.t. the pre-activation
        self.dcost_dx: list[float] = [0.0] * isize  # dC/dx_i = dC/dz * w_i (w before update)
        self._dz_dw: Sequence[float] | None = None  # dz/dw = x, kept for dcost_dw
        self._dcost_dw: list[float] | None = None  # dC/dw as backward computed it
        self._direct = False  # dC/dz was given, not dC/dy * dy/dz
        # (backward keeps dC/dy, dy/dz, dC/dz, dC/dw and dC/dx too, not the changes below)
        # Set by apply_update() / apply_gradient():
        self._steps: list[float] | None = None  # how much each w_i went down
        self.delta_bias: float = 0.0  # change to b: new = old + delta

    # dC/dw and the change to w are lists the page reads now and then, not the training: they
    # are written out only when asked, from the numbers the last step kept.

    @property
    def dcost_dw(self) -> list[float]:
        """dC/dw_i = dC/dz * x_i, one per weight (all 0 before any gradient)."""
        if self._dcost_dw is not None:  # the list backward computed
            return list(self._dcost_dw)
        if self._dz_dw is None:
            return [0.0] * self.isize
        return [self.dcost_dz * xi for xi in self._dz_dw]

    @dcost_dw.setter
    def dcost_dw(self, values: list[float]) -> None:
        self._dcost_dw = values

    @property
    def dcost_db(self) -> float:
        """dC/db = dC/dz * 1."""
        return self.dcost_dz

    @property
    def delta_weight(self) -> list[float]:
        """The change to each w_i by the last step: new = old + delta (all 0 before any)."""
        if self._steps is None:
            return [0.0] * self.isize
        return [-step for step in self._steps]

    def forward(self, x: Sequence[float], activate: bool = True) -> float:
        """The output y for inputs x: f(z) if ``activate``, else z itself.

        Remembers x, z, y and ``activate`` for the backward pass.
        """
        if len(x) != self.isize:
            check_length(x, self.isize, "input")
        return self.forward_owned(list(x), activate)

    def forward_owned(self, x: list[float], activate: bool = True) -> float:
        """``forward`` for an x of the right length that nobody will change (a layer's copy).

        Kept as it is, not copied: a layer passes one list to all of its neurons.
        """
        # the notebook's sum(w * xi for w, xi in zip(weight, x)) + bias: the same products,
        # added in the same order by the same sum(), so the same float
        self.z = z = sum(map(mul, self.weight, x)) + self.bias
        self.y = y = self.activation.fn(z) if activate else z
        self.x, self.activated = x, activate
        return y

    def compute_gradients(
        self, x: Sequence[float], dcost_dy: float, dcost_dz: float | None = None
    ) -> list[float]:
        """Store dC/dy, dy/dz, dC/dz, dC/dw, dC/db, dC/dx; return dC/dx.

        x is the input of the last ``forward`` (the notebook passes it again);
        ``dcost_dy`` is dC/dy for this neuron's output y, e.g. 2 * (y - t).
        ``dcost_dz``, when given, is dC/dz itself (e.g. y - t for a sigmoid under
        cross-entropy, where dC/dy * dy/dz would round badly): it is used
        instead of the product. The weights are not changed.
        """
        if len(x) != self.isize:
            check_length(x, self.isize, "input")
        if not self.x:
            raise RuntimeError("call forward() before computing gradients")
        if x is not self.x:  # a layer passes back the very list its neurons kept
            self.x = list(x)
        self.dcost_dy = dcost_dy
        self.dy_dz = dy_dz = self.activation.deriv(self.z) if self.activated else 1.0
        self._direct = dcost_dz is not None
        if dcost_dz is None:
            dcost_dz = dcost_dy * dy_dz
        self.dcost_dz = dcost_dz
        self._dz_dw, self._dcost_dw = self.x, None  # dz/dw_i = x_i: dC/dw_i = dC/dz * x_i
        self.dcost_dx = dcost_dx = [dcost_dz * w for w in self.weight]
        return dcost_dx

    def apply_update(self, learning_rate: float) -> None:
        """One gradient-descent step with the stored gradients.

        Same expressions, in the same order, as the notebook, so floats are
        bit-identical: w_i -= learning_rate * dC/dy * dy/dz * x_i, then b.
        """
        if self._dz_dw is None:
            raise RuntimeError("call compute_gradients() before apply_update()")
        # Python multiplies left to right, so (learning_rate * dC/dy * dy/dz) * x_i is the
        # notebook's learning_rate * dcost_dy * dy_dz * x_i, float for float
        if self._direct:
            rate = learning_rate * self.dcost_dz
        else:
            rate = learning_rate * self.dcost_dy * self.dy_dz
        self._step([rate * xi for xi in self._dz_dw], rate * 1)  # dz/db = 1

    def apply_gradient(
        self, dcost_dw: Sequence[float], dcost_db: float, learning_rate: float
    ) -> None:
        """Step against given gradients, e.g. averaged over a mini-batch.

        w_i -= learning_rate * dcost_dw[i] and b -= learning_rate * dcost_db.
        """
        check_length(dcost_dw, self.isize, "weight gradient")
        self._step([learning_rate * g for g in dcost_dw], learning_rate * dcost_db)

    def _step(self, steps: list[float], bias_step: float) -> None:
        """w_i -= steps[i] (in place, as the notebook does) and b -= bias_step."""
        weight = self.weight
        for i, step in enumerate(steps):
            weight[i] -= step  # gradient descent: against the slope of the cost
        self.bias -= bias_step
        self._steps, self.delta_bias = steps, -bias_step

    def backward(self, x: Sequence[float], dcost_dy: float, learning_rate: float) -> list[float]:
        """The notebook's backward, step by step: the gradients by the chain rule, then one
        step of gradient descent on w and b. Returns dC/dx.

        x is the input of the last ``forward``; ``dcost_dy`` is dC/dy, e.g. 2 * (y - t).
        The lab trains with the same math split in two, ``compute_gradients`` then
        ``apply_update`` (so that it can average a mini-batch); both give these floats.
        """
        if len(x) != self.isize:
            check_length(x, self.isize, "input")
        # dy/dz: the activation's slope at z (1 when forward gave y = z itself)
        dy_dz = self.activation.deriv(self.z) if self.activated else 1.0
        # dC/dz = dC/dy * dy/dz
        dcost_dz = dcost_dy * dy_dz
        # dC/dw_i = dC/dz * x_i, since dz/dw_i = x_i
        dcost_dw = [dcost_dz * xi for xi in x]
        # dC/db = dC/dz * 1, since dz/db = 1
        dcost_db = dcost_dz * 1
        # dC/dx_i = dC/dz * w_i, with w from before the update: passed back to the layer below
        dcost_dx = [dcost_dz * wi for wi in self.weight]
        # Gradient descent: each parameter moves by Δ = -learning_rate * its gradient.
        # -learning_rate * dC/dy * dy/dz is multiplied first, as in the notebook, so that w
        # and b get the notebook's floats
        rate = -learning_rate * dcost_dy * dy_dz
        for i in range(self.isize):
            self.weight[i] += rate * x[i]  # Δw_i = -learning_rate * dC/dz * x_i
        self.bias += rate * 1  # Δb = -learning_rate * dC/dz * 1
        # the gradients, for whoever reads them (as compute_gradients keeps them)
        self.dcost_dy, self.dy_dz, self.dcost_dz = dcost_dy, dy_dz, dcost_db
        self.dcost_dw, self.dcost_dx = dcost_dw, dcost_dx
        return dcost_dx

    def parameters(self) -> list[float]:
        """A copy of the weights followed by the bias: [w_0, ..., w_n-1, b]."""
        return [*self.weight, self.bias]

    def set_parameters(self, values: Sequence[float], what: str = "neuron") -> None:
        """The inverse of ``parameters()``: w_0, ..., w_n-1 from ``values``, then b.

        ValueError ("expected 4 weights and biases, got 3") for a wrong count,
        or naming the first value that is not a finite int or float (a bool is
        refused); the neuron only changes when every value is valid. ``what``
        names the neuron in those messages.
        """
        numbers = check_parameters(values, [self.isize], [what])
        self.weight = numbers[:-1]
        self.bias = numbers[-1]

    def is_finite(self) -> bool:
        """False once any weight or the bias is inf or nan (training diverged)."""
        return all(map(math.isfinite, self.parameters()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe data that ``from_dict`` turns back into this neuron.

        ValueError if a parameter is inf or nan: JSON cannot hold them.
        """
        if not self.is_finite():
            raise ValueError("cannot save a neuron whose weights are not finite")
        return {
            "isize": self.isize,
            "activation": self.activation.name,
            "weight": list(self.weight),
            "bias": self.bias,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], what: str = "neuron") -> Neuron:
        """The neuron described by ``data`` (as made by ``to_dict``).

        ValueError, saying what is wrong, for a bad shape, type, a number that
        is not finite or an unknown activation. ``what`` names the neuron in
        those messages.
        """
        data = check_keys(data, {"isize", "activation", "weight", "bias"}, what)
        isize = data["isize"]
        if not is_count(isize):
            raise ValueError(text_of("neuron.isize", what=said(what), got=repr(isize)))
        activation = data["activation"]
        if not isinstance(activation, str):
            raise ValueError(text_of("neuron.activation", what=said(what), got=repr(activation)))
        weight = data["weight"]
        if not isinstance(weight, (list, tuple)) or len(weight) != isize:
            raise ValueError(text_of("neuron.weight", what=said(what), n=isize, got=repr(weight)))
        return cls(
            isize,
            activation,
            weight=[
                finite_float(w, text_of("check.weight", name=said(what), i=i))
                for i, w in enumerate(weight)
            ],
            bias=finite_float(data["bias"], text_of("check.bias", name=said(what))),
        )

    def __repr__(self) -> str:
        return (
            f"Neuron(isize={self.isize}, activation={self.activation.name!r}, "
            f"weight={self.weight!r}, bias={self.bias!r})"
        )
