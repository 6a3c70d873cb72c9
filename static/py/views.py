"""What the page draws, as pure functions of the model: SVG, TeX and text.

No browser imports: the page's ``main.py`` puts these strings into the DOM, and the tests
call them under CPython. Every number shown is formatted by ``fmt`` so the diagram, the
math and the stats agree to the digit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from nn import Network, Neuron

SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

ACTIVATION_TEX = {
    "sigmoid": (r"\sigma(z)", r"\sigma'(z) = y\,(1 - y)"),
    "tanh": (r"\tanh(z)", r"\tanh'(z) = 1 - y^2"),
    "relu": (r"\operatorname{ReLU}(z) = \max(0, z)", r"\operatorname{ReLU}'(z) = [z > 0]"),
    "linear": ("z", "1"),
}


def fmt(value: float, digits: int = 4) -> str:
    """A number as learners read it: fixed decimals, scientific when tiny or huge."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    text = f"{value:.{digits}f}" if 0.001 <= abs(value) < 100000.0 else f"{value:.{digits - 1}e}"
    return text.replace("-", "−")


def tex(value: float, digits: int = 4) -> str:
    """``fmt`` for TeX: a plain minus sign, and ×10ⁿ for scientific notation."""
    text = fmt(value, digits).replace("−", "-")
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text.replace("∞", r"\infty").replace("NaN", r"\text{NaN}")


def paren(value: float) -> str:
    """A factor in a product: negative numbers in parentheses."""
    text = tex(value)
    return f"({text})" if text.startswith("-") else text


def sub(number: int) -> str:
    """1-based subscript digits, as in w₁, x₂."""
    return str(number).translate(SUBSCRIPT_DIGITS)


# --- the network diagram -------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What the learner picked in the diagram: a weight, or a neuron (its bias)."""

    layer: int  # index into network.layers
    neuron: int  # index into that layer's neurons
    input: int | None = None  # index of the weight's input; None: the neuron/bias itself

    @property
    def key(self) -> str:
        return f"{self.layer}-{self.neuron}-{'b' if self.input is None else self.input}"


def weight_name(network: Network, layer: int, neuron: int, input_index: int) -> str:
    """The weight's name as the page writes it: w₃ for one neuron, w₂,₃ in layer 1 of a net."""
    if is_single_neuron(network):
        return f"w{sub(input_index + 1)}"
    return f"w{sub(neuron + 1)},{sub(input_index + 1)} (layer {layer + 1})"


def bias_name(network: Network, layer: int, neuron: int) -> str:
    if is_single_neuron(network):
        return "b"
    return f"b{sub(neuron + 1)} (layer {layer + 1})"


def input_name(network: Network, layer: int, index: int) -> str:
    """The name of input ``index`` of a neuron in ``layer``: x₂, or h₁ (a hidden output)."""
    if layer == 0:
        return f"x{sub(index + 1)}"
    return f"y{sub(index + 1)} of layer {layer}"


def is_single_neuron(network: Network) -> bool:
    return len(network.layers) == 1 and len(network.layers[0].neurons) == 1


def edge_style(weight: float) -> str:
    """Colour for the sign, width for the size of a weight (capped: huge weights stay drawable)."""
    colour = "var(--positive)" if weight >= 0 else "var(--negative)"
    size = min(abs(weight), 4.0) if math.isfinite(weight) else 4.0
    return f"stroke:{colour};stroke-width:{0.75 + 1.6 * size:.2f}"


def diagram_svg(
    network: Network,
    x: Sequence[float],
    selected: Selection | None = None,
    target: float | None = None,
) -> str:
    """The network as SVG: inputs, every weight as a focusable edge, each neuron with its output.

    Runs ``network.forward(x)``, so each neuron's z and y are those of the input x. With a
    ``target`` it runs ``network.backprop(x, [target])`` instead and shows the backward pass:
    ∂C/∂z above each neuron (the gradient flowing back, layer by layer) and ∂C/∂w in each
    weight's label. Edges and neurons carry ``data-key`` (see ``Selection.key``) and an
    ``aria-label`` with their values, so the page can show them on focus and edit them.
    """
    backward = target is not None
    if backward:
        network.backprop(list(x), [target])
    else:
        network.forward(list(x))
    single = is_single_neuron(network)
    columns = [len(x)] + [len(layer.neurons) for layer in network.layers]
    # Inputs sit closer together than neurons, which carry their bias label below them.
    widest_layer = max(columns[1:])
    # With the backward pass, each neuron carries a second label (∂C/∂z) below its bias.
    show_grad = backward and widest_layer <= 8
    neuron_gap = (72 if show_grad else 58) if widest_layer <= 8 else 46
    gaps = [34 if len(x) > 8 else 44] + [neuron_gap] * len(network.layers)
    height = max(max(n * gap for n, gap in zip(columns, gaps, strict=True)) + 36, 170)
    width = 540 if single else max(440, 160 + 150 * len(network.layers))
    column_x = (
        [48, 260]
        if single
        else [48 + i * (width - 140) / (len(columns) - 1) for i in range(len(columns))]
    )

    def row_y(column: int, index: int) -> float:
        return height / 2 + (index - (columns[column] - 1) / 2) * gaps[column]

    parts: list[str] = []
    positions = [[(column_x[c], row_y(c, i)) for i in range(n)] for c, n in enumerate(columns)]
    if single:
        positions[1] = [(column_x[1], height / 2)]
    radius_in, radius = 13, (32 if single else 17 if widest_layer <= 8 else 15)

    # Edges first, so the nodes sit on top of them.
    for li, layer in enumerate(network.layers):
        for ni, neuron in enumerate(layer.neurons):
            nx, ny = positions[li + 1][ni]
            for ii, w in enumerate(neuron.weight):
                sx, sy = positions[li][ii]
                key = Selection(li, ni, ii).key
                name = weight_name(network, li, ni, ii)
                label = f"{name} = {fmt(w)}, from {input_name(network, li, ii)}"
                if backward:
                    label += f"; ∂C/∂w = {fmt(neuron.dcost_dw[ii])}"
                chosen = " selected" if selected is not None and selected.key == key else ""
                parts.append(
                    f'<g class="edge{chosen}" tabindex="0" role="button" data-key="{key}" '
                    f'aria-label="{escape(label)}. Press Enter to change it.">'
                    f"<title>{escape(label)}</title>"
                    f'<line class="hit" x1="{sx:.1f}" y1="{sy:.1f}" x2="{nx:.1f}" y2="{ny:.1f}" '
                    f'style="stroke:transparent;stroke-width:12"/>'
                    f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{nx:.1f}" y2="{ny:.1f}" '
                    f'style="{edge_style(w)}" stroke-linecap="round" opacity="0.85"/></g>'
                )

    # Inputs: the bits of the number.
    for ii, (sx, sy) in enumerate(positions[0]):
        bit = x[ii]
        on = " on" if bit else ""
        parts.append(
            f'<g class="node input{on}"><title>x{sub(ii + 1)} = {fmt(bit)}</title>'
            f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="{radius_in}"/>'
            f'<text x="{sx:.1f}" y="{sy + 4:.1f}" text-anchor="middle">{int(bit)}</text>'
            f'<text class="small" x="{sx - radius_in - 5:.1f}" y="{sy + 4:.1f}" '
            f'text-anchor="end">x{sub(ii + 1)}</text></g>'
        )

    # Neurons: Σ with the bias, then the activation, then the output.
    for li, layer in enumerate(network.layers):
        for ni, neuron in enumerate(layer.neurons):
            nx, ny = positions[li + 1][ni]
            key = Selection(li, ni).key
            chosen = " selected" if selected is not None and selected.key == key else ""
            act = neuron.activation.name if neuron.activated else "none"
            label = (
                f"{'Neuron' if single else f'Neuron {ni + 1} of layer {li + 1}'}: "
                f"{bias_name(network, li, ni)} = {fmt(neuron.bias)}, z = {fmt(neuron.z)}, "
                f"y = {fmt(neuron.y)} (activation: {act})"
            )
            if backward:
                label += f"; ∂C/∂z = {fmt(neuron.dcost_dz)}"
            parts.append(
                f'<g class="node neuron editable{chosen}" tabindex="0" role="button" '
                f'data-key="{key}" aria-label="{escape(label)}. Press Enter to see its math '
                f'and change its bias."><title>{escape(label)}</title>'
                f'<circle cx="{nx:.1f}" cy="{ny:.1f}" r="{radius}"/></g>'
            )
            # Its numbers sit outside the button: its aria-label already says them.
            if show_grad:
                grad_y = ny - radius - 6 if single else ny + radius + 24
                parts.append(
                    f'<text class="small grad" aria-hidden="true" x="{nx:.1f}" '
                    f'y="{grad_y:.1f}" text-anchor="middle">'
                    f"∂C/∂z={fmt(neuron.dcost_dz, 3)}</text>"
                )
            if single:
                parts.append(
                    f'<g aria-hidden="true"><text x="{nx:.1f}" y="{ny - 5:.1f}" '
                    f'text-anchor="middle">Σ + b</text>'
                    f'<text class="small" x="{nx:.1f}" y="{ny + 12:.1f}" '
                    f'text-anchor="middle">z={fmt(neuron.z, 3)}</text>'
                    f'<text class="small" x="{nx:.1f}" y="{ny + radius + 16:.1f}" '
                    f'text-anchor="middle">b = {fmt(neuron.bias, 3)}</text></g>'
                )
            else:
                parts.append(
                    f'<g aria-hidden="true"><text x="{nx:.1f}" y="{ny + 4:.1f}" '
                    f'text-anchor="middle">{fmt(neuron.y, 2)}</text>'
                    f'<text class="small" x="{nx:.1f}" y="{ny + radius + 12:.1f}" '
                    f'text-anchor="middle">b={fmt(neuron.bias, 2)}</text></g>'
                )

    # The output: for one neuron, the activation box and y; for a net, an arrow to y.
    out_layer = network.layers[-1]
    for ni, neuron in enumerate(out_layer.neurons):
        nx, ny = positions[-1][ni]
        if single:
            act = ACTIVATION_LABEL.get(neuron.activation.name, neuron.activation.name)
            act = act if neuron.activated else "y = z"
            parts.append(
                f'<line x1="{nx + radius:.1f}" y1="{ny:.1f}" x2="{nx + 75:.1f}" y2="{ny:.1f}" '
                f'style="stroke:var(--muted);stroke-width:1.5"/>'
                f'<rect x="{nx + 75:.1f}" y="{ny - 16:.1f}" width="70" height="32" rx="6" '
                f'style="fill:var(--bg);stroke:var(--muted)"/>'
                f'<text x="{nx + 110:.1f}" y="{ny + 4:.1f}" text-anchor="middle">{act}</text>'
                f'<line x1="{nx + 145:.1f}" y1="{ny:.1f}" x2="{nx + 180:.1f}" y2="{ny:.1f}" '
                f'style="stroke:var(--muted);stroke-width:1.5"/>'
                f'<text x="{nx + 186:.1f}" y="{ny + 4:.1f}">y = {fmt(neuron.y, 4)}</text>'
            )
        else:
            parts.append(
                f'<line x1="{nx + radius:.1f}" y1="{ny:.1f}" x2="{nx + 45:.1f}" y2="{ny:.1f}" '
                f'style="stroke:var(--muted);stroke-width:1.5"/>'
                f'<text x="{nx + 50:.1f}" y="{ny + 4:.1f}">y</text>'
            )
    return (
        f'<svg viewBox="0 0 {width} {height:.0f}" role="group" '
        f'aria-label="{"The neuron" if single else "The network"}: inputs on the left, '
        f'output on the right" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


ACTIVATION_LABEL = {"sigmoid": "σ(z)", "tanh": "tanh(z)", "relu": "ReLU(z)", "linear": "z"}


# --- the math panel ------------------------------------------------------------------------


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
    """The forward and backward pass of one neuron for the example last given to ``backprop``.

    Reads the quantities ``Network.backprop`` stored on the neuron (x, z, y, dC/dy, dy/dz,
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
    f_tex, df_tex = ACTIVATION_TEX[neuron.activation.name]
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


def factor(value: float) -> str:
    """An input in a product: a bit as 0 or 1, anything else as a number."""
    return str(int(value)) if value in (0, 1) else paren(value)


# --- the prediction and the chart -----------------------------------------------------------


def prediction_text(task: str, width: int, output: float, target: float | None) -> tuple[str, str]:
    """(headline, detail) for the model's output on one number, decoded for the task.

    value: output × (2^width − 1), e.g. ("5.28", "target 5"); 0/1 tasks: the class and
    its confidence; custom: the raw output.
    """
    if not math.isfinite(output):
        return "diverged", "the output is not a finite number"
    if task == "value":
        scale = 2**width - 1
        shown = "" if target is None else fmt(target * scale, 2)
        if "." in shown:  # 5.00 -> 5; but 0 stays 0
            shown = shown.rstrip("0").rstrip(".")
        detail = "" if target is None else f"target {shown}"
        return f"{output * scale:.2f}", detail
    if task == "custom":
        return fmt(output), "" if target is None else f"target {fmt(target)}"
    label = 1 if output >= 0.5 else 0
    confidence = output if label else 1 - output
    confidence = min(max(confidence, 0.0), 1.0)
    detail = f"{confidence:.0%} confident (output {fmt(output)})"
    if target is not None:
        detail += f"; target {round(target)}"
    return str(label), detail


def downsample(values: Sequence[float], max_points: int = 400) -> list[tuple[int, float]]:
    """(epoch, value) pairs for a chart: every point when few, evenly spaced when many.

    Epochs are 1-based; the last epoch is always included.
    """
    count = len(values)
    if count <= max_points:
        return [(i + 1, values[i]) for i in range(count)]
    step = count / max_points
    indices = sorted({int(k * step) for k in range(max_points)} | {count - 1})
    return [(i + 1, values[i]) for i in indices]
