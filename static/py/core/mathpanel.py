"""The math panel: one neuron's forward and backward pass written out with the actual numbers,
in the notebook's notation, as lines of TeX (typeset by KaTeX in the page)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.formats import factor, paren, tex
from core.i18n import named, t
from core.optimizer_math import optimizer_lines
from nn import Network, Neuron
from nn.cost import Cost


@dataclass(frozen=True)
class MathLine:
    """One line of the math panel: TeX to typeset, or a plain note."""

    tex: str = ""
    note: str = ""


def neuron_math(
    network: Network,
    layer: int,
    neuron_index: int,
    targets: list[float] | None,
    learning_rate: float,
) -> list[MathLine]:
    """The forward and backward pass of one neuron of a traced network (``controller.trace``).

    Reads the quantities ``Network.backprop`` stored on the traced neuron (x, z, y, dC/dy, dy/dz,
    dC/dw, dC/db) and writes them out with the actual numbers, in the notebook's notation.
    Δw and Δb are the changes one gradient-descent step with this example makes:
    Δwᵢ = −η · dC/dy · dy/dz · xᵢ.
    """
    neuron: Neuron = network.layers[layer].neurons[neuron_index]
    is_output = layer == len(network.layers) - 1
    inputs = list(neuron.x)
    x = "x" if layer == 0 else "a"  # a: the outputs of the layer below
    lines: list[MathLine] = []
    if layer > 0:
        lines.append(MathLine(note=t("mathnote.inputs", layer=layer)))
    terms = " + ".join(
        f"{paren(w)}\\cdot {factor(xi)}" for w, xi in zip(neuron.weight, inputs, strict=True)
    )
    lines.append(
        MathLine(
            tex=rf"z = \sum_i w_i {x}_i + b = {terms} + {paren(neuron.bias)} = {tex(neuron.z)}"
        )
    )
    f_tex, df_tex = neuron.activation.tex, neuron.activation.deriv_tex
    if is_output and network.layers[-1].softmax:
        pass  # its y is the layer's softmax of z, written with the cost below
    elif neuron.activated:
        lines.append(MathLine(tex=rf"y = {f_tex} = {tex(neuron.y)}"))
    else:
        lines.append(MathLine(tex=rf"y = z = {tex(neuron.y)}"))
        lines.append(MathLine(note=t("mathnote.not_activated")))
    dc, dy, dz = r"\partial C", r"\partial y", r"\partial z"
    if targets is None:
        # No cost, so no gradients: a hidden neuron's stored ones belong to another number.
        lines.append(MathLine(note=t("mathnote.no_target")))
        return lines
    if is_output:
        direct = output_cost_lines(network, neuron_index, targets, lines)
        if direct:
            return lines + update_lines(network, (layer, neuron_index), targets, x, learning_rate)
    else:
        lines.append(
            MathLine(tex=rf"{dc}/{dy} = \sum_k ({dc}/\partial z_k)\, w_k = {tex(neuron.dcost_dy)}")
        )
        lines.append(MathLine(note=t("mathnote.k", layer=layer + 2)))
    slope = df_tex if neuron.activated else "1"
    lines.append(MathLine(tex=rf"{dy}/{dz} = {slope} = {tex(neuron.dy_dz)}"))
    lines.append(MathLine(tex=rf"{dc}/{dz} = ({dc}/{dy})\,({dy}/{dz}) = {tex(neuron.dcost_dz)}"))
    return lines + update_lines(network, (layer, neuron_index), targets, x, learning_rate)


def update_lines(
    network: Network, where: tuple[int, int], targets: list[float], x: str, learning_rate: float
) -> list[MathLine]:
    """Δw and Δb of the neuron at ``where`` (layer, index) by the network's optimizer: plain
    gradient descent written here, the others by ``optimizer_math``."""
    neuron = network.layers[where[0]].neurons[where[1]]
    if network.optimizer.name == "sgd":
        return step_lines(network, neuron, list(neuron.x), x, learning_rate)
    lines = optimizer_lines(network, *where, targets, learning_rate)
    return [MathLine(tex, note) for tex, note in lines]


def step_lines(
    network: Network, neuron: Neuron, inputs: list[float], x: str, learning_rate: float
) -> list[MathLine]:
    """Δw and Δb: the change one gradient-descent step makes, with the L2 term if any."""
    dc, dz = r"\partial C", r"\partial z"
    eta, lam = tex(learning_rate), network.l2
    values = ",".join(factor(xi) for xi in inputs)
    lines = []
    if lam:
        decayed = network.decayed(neuron.dcost_dw, neuron.weight)
        deltas = ",\\ ".join(tex(-learning_rate * g) for g in decayed)
        lines.append(
            MathLine(
                tex=rf"\Delta w_i = -\eta\,\big(({dc}/{dz})\,{x}_i + 2\lambda w_i\big),"
                rf"\quad \lambda = {tex(lam)}"
            )
        )
        lines.append(MathLine(note=t("mathnote.l2")))
    else:
        deltas = ",\\ ".join(tex(-learning_rate * g) for g in neuron.dcost_dw)
        lines.append(
            MathLine(
                tex=rf"\Delta w_i = -\eta\,({dc}/{dz})\,{x}_i"
                rf" = -{eta} \cdot {paren(neuron.dcost_dz)} \cdot ({values})_i"
            )
        )
    lines.append(MathLine(tex=rf"\Delta w = ({deltas})"))
    lines.append(
        MathLine(
            tex=rf"\Delta b = -\eta\,({dc}/{dz}) = -{eta} \cdot {paren(neuron.dcost_dz)}"
            rf" = {tex(-learning_rate * neuron.dcost_db)}"
        )
    )
    return lines


def penalty_line(network: Network, cost: float, lines: list[MathLine]) -> None:
    """With L2, the cost the lab minimises: C + λ Σ w² over every weight of the network."""
    if network.l2:
        penalty = network.penalty()
        lines.append(
            MathLine(
                tex=rf"C + \lambda \sum w^2 = {tex(cost)} + {tex(network.l2)} \cdot "
                rf"{tex(penalty / network.l2)} = {tex(cost + penalty)}"
            )
        )


def right_side(equation: str) -> str:
    """What follows the first "=" of a TeX equation (all of it when there is none)."""
    return equation.split("=", 1)[-1].strip()


def with_symbols(formula: str, y: str, t: str) -> str:
    """``formula`` with its y and t written as ``y`` and ``t``: another output's own (y_{2},
    t_{2}), or the numbers themselves."""
    names = {"y": y, "t": t}
    return re.sub(r"(?<![\\A-Za-z])([yt])(?![A-Za-z])(?:_k)?", lambda m: names[m[1]], formula)


def output_cost_lines(
    network: Network, j: int, targets: list[float], lines: list[MathLine]
) -> bool:
    """Append the cost lines of output neuron j, written from the cost's own TeX
    (``nn.Cost.tex``, ``term_tex``, ``deriv_tex``) with this example's numbers put in; True
    when ∂C/∂z = y − t was written (the network used it directly), False when ∂C/∂y follows
    and the chain rule goes on."""
    out = network.layers[-1]
    neuron, rule = out.neurons[j], network.cost
    ys, zs = out.y, [n.z for n in out.neurons]
    cost = rule.fn(ys, targets, zs)
    several = len(ys) > 1
    k = j + 1
    y, t = (f"y_{{{k}}}", f"t_{{{k}}}") if several else ("y", "t")
    numbers = tex(ys[j]), paren(targets[j])
    dc, dy = r"\partial C", rf"\partial {y}"
    dz = rf"\partial z_{{{k}}}" if several else r"\partial z"
    if rule.softmax:
        lines.append(
            MathLine(
                tex=rf"{y} = \operatorname{{softmax}}(z)_{{{k}}} = "
                rf"e^{{z_{{{k}}}}} / \sum_k e^{{z_k}} = {tex(ys[j])}"
            )
        )
    lines.append(MathLine(tex=cost_line(rule, several, numbers, tex(cost))))
    penalty_line(network, cost, lines)
    dcost_dy = with_symbols(right_side(rule.deriv_tex), y, t)
    applied = neuron.activation.name if neuron.activated else "linear"
    if ("softmax" if rule.softmax else applied) in rule.simplifies_to_y_minus_t:
        if not rule.softmax:  # the slopes of the cost and the activation cancel
            slope = right_side(neuron.activation.deriv_tex)
            lines.append(
                MathLine(tex=rf"{dc}/{dz} = ({dc}/{dy})\,({dy}/{dz}) = {dcost_dy} \cdot {slope}")
            )
        lines.append(
            MathLine(
                tex=rf"{dc}/{dz} = {y} - {t} = {numbers[0]} - {numbers[1]} = "
                rf"{tex(neuron.dcost_dz)}"
            )
        )
        if rule.why_y_minus_t:
            lines.append(
                MathLine(note=named(f"cost.{rule.name}.why_y_minus_t", rule.why_y_minus_t))
            )
        return True
    filled = with_symbols(right_side(rule.deriv_tex), *numbers)
    lines.append(MathLine(tex=rf"{dc}/{dy} = {dcost_dy} = {filled} = {tex(neuron.dcost_dy)}"))
    return False


def cost_line(rule: Cost, several: bool, numbers: tuple[str, str], value: str) -> str:
    """C with the example's numbers: for one output its term filled in, else the cost's own
    TeX (a sum over the outputs k) and its value."""
    if several or not rule.term_tex:
        return rf"{rule.tex} = {value}"
    filled = with_symbols(rule.term_tex, *numbers)
    return rf"C = {rule.term_tex} = {filled} = {value}"
