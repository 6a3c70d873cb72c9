"""The math panel: one neuron's forward and backward pass written out with the actual numbers,
in the notebook's notation, as lines of TeX (typeset by KaTeX in the page)."""

from __future__ import annotations

from dataclasses import dataclass

from formats import factor, paren, tex

from nn import Network, Neuron


@dataclass(frozen=True)
class MathLine:
    """One line of the math panel: TeX to typeset, or a plain note."""

    tex: str = ""
    note: str = ""


def neuron_math(
    network: Network,
    layer: int,
    neuron_index: int,
    target: float | None,
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
        lines.append(MathLine(note=f"Its inputs a are the outputs of layer {layer}."))
    terms = " + ".join(
        f"{paren(w)}\\cdot {factor(xi)}" for w, xi in zip(neuron.weight, inputs, strict=True)
    )
    lines.append(
        MathLine(
            tex=rf"z = \sum_i w_i {x}_i + b = {terms} + {paren(neuron.bias)} = {tex(neuron.z)}"
        )
    )
    f_tex, df_tex = neuron.activation.tex, neuron.activation.deriv_tex
    if neuron.activated:
        lines.append(MathLine(tex=rf"y = {f_tex} = {tex(neuron.y)}"))
    else:
        lines.append(MathLine(tex=rf"y = z = {tex(neuron.y)}"))
        lines.append(MathLine(note="The output is not activated (the notebook's activate=False)."))
    dc, dy, dz = r"\partial C", r"\partial y", r"\partial z"
    if target is None:
        # No cost, so no gradients: a hidden neuron's stored ones belong to another number.
        lines.append(MathLine(note="This number has no target, so there is no cost to show."))
        return lines
    if is_output:
        error = neuron.y - target
        cost = error * error  # not ** 2: a huge but finite y gives inf, not OverflowError
        lines.append(
            MathLine(tex=rf"C = (y - t)^2 = ({tex(neuron.y)} - {paren(target)})^2 = {tex(cost)}")
        )
        lines.append(MathLine(tex=rf"{dc}/{dy} = 2\,(y - t) = {tex(neuron.dcost_dy)}"))
    else:
        lines.append(
            MathLine(tex=rf"{dc}/{dy} = \sum_k ({dc}/\partial z_k)\, w_k = {tex(neuron.dcost_dy)}")
        )
        lines.append(MathLine(note=f"k runs over the neurons of layer {layer + 2}."))
    slope = df_tex if neuron.activated else "1"
    lines.append(MathLine(tex=rf"{dy}/{dz} = {slope} = {tex(neuron.dy_dz)}"))
    lines.append(MathLine(tex=rf"{dc}/{dz} = ({dc}/{dy})\,({dy}/{dz}) = {tex(neuron.dcost_dz)}"))
    eta = tex(learning_rate)
    deltas = ",\\ ".join(tex(-learning_rate * g) for g in neuron.dcost_dw)
    values = ",".join(factor(xi) for xi in inputs)
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
