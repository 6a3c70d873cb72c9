"""The math panel's last lines under momentum, Adam or the perceptron: the update the
network's optimizer makes to one neuron, with the real numbers of the traced step.

A traced network (``controller.trace``) holds the example's gradients and the optimizer's
state from before the step; running the optimizer's own pure update (``nn.optimizers``) on
this neuron's part of both gives the numbers the step uses, so the panel shows what training
does, not a second copy of the rule. Lines are (TeX, note) pairs for ``mathpanel``.
No browser imports.
"""

from __future__ import annotations

from collections.abc import Sequence

from core import i18n
from core.formats import factor, paren, tex
from nn import Network
from nn.optimizers import adam_corrected, state_slice

Line = tuple[str, str]  # (TeX, note): one of them empty


def vector(values: Sequence[float]) -> str:
    """(a, b, c) in TeX."""
    return "(" + r",\ ".join(tex(v) for v in values) + ")"


def optimizer_lines(
    network: Network, layer: int, index: int, targets: list[float], learning_rate: float
) -> list[Line]:
    """How the optimizer moves neuron ``index`` of ``layer`` on this example: its gradient g
    (w then b), the optimizer's state before and after, and Δw, Δb."""
    neurons = [n for each in network.layers for n in each.neurons]
    neuron = network.layers[layer].neurons[index]
    start = sum(n.isize + 1 for n in neurons[: neurons.index(neuron)])
    stop = start + neuron.isize + 1
    gradient = network.example_gradient(targets)[start:stop]
    decay = bool(network.l2)
    gradient = [*network.decayed(gradient[:-1], neuron.weight), gradient[-1]]
    optimizer, options = network.optimizer, network.optimizer_options
    before = state_slice(network.optimizer_state, start, stop)
    direction, after = optimizer.update(before, gradient, options)
    deltas = [-learning_rate * d for d in direction]
    eta, step = tex(learning_rate), after["step"]
    if not optimizer.gradient_based:
        return perceptron_lines(neuron.y, targets[0], neuron.x, eta, deltas, decay)
    g_tex = r"g = (\partial C/\partial w,\ \partial C/\partial b)"
    if decay:
        g_tex = r"g = (\partial C/\partial w + 2\lambda w,\ \partial C/\partial b)"
    lines: list[Line] = [(rf"{g_tex} = {vector(gradient)}", "")]
    state_lines = STATE_LINES.get(optimizer.name)
    if state_lines is None:  # an optimizer without its state written out here: its own rule
        return [
            *lines,
            (optimizer.tex, ""),
            (rf"\Delta w = {vector(deltas[:-1])},\quad \Delta b = {tex(deltas[-1])}", ""),
        ]
    return lines + state_lines(options, before, after, eta, deltas, step)


def momentum_lines(
    options: dict[str, float], before: dict, after: dict, eta: str, deltas: list[float], step: int
) -> list[Line]:
    """v_t = μ v_{t−1} + g, then Δw = −η v_t, with the numbers of this step."""
    v_before = before.get("velocity") or [0.0] * len(deltas)
    return [
        (rf"\mu = {tex(options['momentum'])},\quad t = {step}", ""),
        (rf"v_{{t-1}} = {vector(v_before)}", ""),
        (rf"v_t = \mu\, v_{{t-1}} + g = {vector(after['velocity'])}", ""),
        (rf"\Delta w = -\eta\, v_t = -{eta} \cdot v_t = {vector(deltas[:-1])}", ""),
        (rf"\Delta b = -\eta\, v_t = {tex(deltas[-1])}", ""),
        ("", i18n.t("mathnote.momentum")),
    ]


def adam_lines(
    options: dict[str, float], before: dict, after: dict, eta: str, deltas: list[float], step: int
) -> list[Line]:
    """m_t and v_t, their bias corrections m̂ and v̂, then Δw = −η m̂/(√v̂ + ε)."""
    beta1, beta2, eps = options["beta1"], options["beta2"], options["eps"]
    zeros = [0.0] * len(deltas)
    m_before, v_before = before.get("m") or zeros, before.get("v") or zeros
    m_hat, v_hat = adam_corrected(after["m"], after["v"], beta1, beta2, step)
    return [
        (
            rf"\beta_1 = {tex(beta1)},\ \beta_2 = {tex(beta2)},\ "
            rf"\epsilon = {tex(eps)},\ t = {step}",
            "",
        ),
        (rf"m_{{t-1}} = {vector(m_before)}", ""),
        (rf"v_{{t-1}} = {vector(v_before)}", ""),
        (rf"m_t = \beta_1 m_{{t-1}} + (1 - \beta_1)\, g = {vector(after['m'])}", ""),
        (rf"v_t = \beta_2 v_{{t-1}} + (1 - \beta_2)\, g^2 = {vector(after['v'])}", ""),
        (rf"\hat m = m_t / (1 - \beta_1^{{{step}}}) = {vector(m_hat)}", ""),
        (rf"\hat v = v_t / (1 - \beta_2^{{{step}}}) = {vector(v_hat)}", ""),
        (
            rf"\Delta w = -\eta\, \hat m_w / (\sqrt{{\hat v_w}} + \epsilon) = "
            rf"{vector(deltas[:-1])}",
            "",
        ),
        (rf"\Delta b = -\eta\, \hat m_b / (\sqrt{{\hat v_b}} + \epsilon) = {tex(deltas[-1])}", ""),
        ("", i18n.t("mathnote.adam")),
    ]


STATE_LINES = {"momentum": momentum_lines, "adam": adam_lines}  # the optimizers with a state


def perceptron_lines(
    y: float, t: float, inputs: Sequence[float], eta: str, deltas: list[float], decay: bool
) -> list[Line]:
    """The perceptron rule: (t − y) and Δw = η (t − y) x, Δb = η (t − y); with L2 (``decay``),
    Δw = η ((t − y) x − 2λw), as the network steps."""
    values = ",".join(factor(xi) for xi in inputs)
    error = t - y
    if decay:
        delta_w = rf"\Delta w = \eta\,((t - y)\,x - 2\lambda w) = {vector(deltas[:-1])}"
    else:
        delta_w = (
            rf"\Delta w = \eta\,(t - y)\,x = {eta} \cdot {paren(error)} \cdot ({values}) = "
            rf"{vector(deltas[:-1])}"
        )
    return [
        (rf"t - y = {paren(t)} - {paren(y)} = {tex(error)}", ""),
        (delta_w, ""),
        (rf"\Delta b = \eta\,(t - y) = {tex(deltas[-1])}", ""),
        ("", i18n.t("mathnote.perceptron.l2" if decay else "mathnote.perceptron")),
    ]
