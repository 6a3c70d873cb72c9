"""The network diagram as SVG: inputs, every weight as a focusable edge, each neuron with its
output and, for a number with a target, the backward pass.

A pure function of a traced network (``controller.trace``): it reads the z, y and gradients a
copy of the network computed for one number and never changes the model.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape

from core.controller import Selection
from core.formats import fmt, sub
from core.i18n import language, t
from nn import Network, Neuron

DENSE_EDGES = 64  # a layer with more edges draws them thin: no wide line, no <title>
HIT_LINE = '<line class="hit" {start} {end} style="stroke:transparent;stroke-width:12"/>'


def weight_name(network: Network, layer: int, neuron: int, input_index: int) -> str:
    """The weight's name as the page writes it: w₃ for one neuron, w₂,₃ in layer 1 of a net."""
    if is_single_neuron(network):
        return f"w{sub(input_index + 1)}"
    return t("diagram.weight", name=f"w{sub(neuron + 1)},{sub(input_index + 1)}", layer=layer + 1)


def bias_name(network: Network, layer: int, neuron: int) -> str:
    if is_single_neuron(network):
        return "b"
    return t("diagram.bias", name=f"b{sub(neuron + 1)}", layer=layer + 1)


def input_name(network: Network, layer: int, index: int) -> str:
    """The name of input ``index`` of a neuron in ``layer``: x₂, or h₁ (a hidden output)."""
    if layer == 0:
        return f"x{sub(index + 1)}"
    return t("diagram.hidden_input", name=f"y{sub(index + 1)}", layer=layer)


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
    backward: bool = False,
) -> str:
    """The network as SVG: inputs, every weight as a focusable edge, each neuron with its output.
    See ``diagram_parts``."""
    return assemble(list(diagram_parts(network, x, selected, backward)))


def assemble(parts: Sequence[tuple[str, str]]) -> str:
    """The SVG of ``diagram_parts``: the opening tag, then each part in a ``<g data-part>``."""
    (_, opening), *groups = parts
    inside = "".join(f'<g data-part="{name}">{markup}</g>' for name, markup in groups)
    return f"{opening}{inside}</svg>"


@dataclass(frozen=True)
class Layout:
    """Where everything sits: one column of inputs, then one per layer of neurons."""

    single: bool  # one neuron: drawn large, with its Σ, z, b and activation box
    width: float
    height: float
    positions: list[list[tuple[float, float]]]  # positions[column][index] = (x, y)
    radius_in: int  # of an input's circle
    radius: int  # of a neuron's circle
    show_grad: bool  # ∂C/∂z written by each neuron (the backward pass, up to 8 a layer)


def layout(network: Network, x: Sequence[float], backward: bool) -> Layout:
    """Inputs sit closer together than neurons, which carry their bias label below them (and,
    with the backward pass, ∂C/∂z below that)."""
    single = is_single_neuron(network)
    columns = [len(x)] + [len(layer.neurons) for layer in network.layers]
    widest_layer = max(columns[1:])
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
    positions = [
        [(column_x[c], height / 2 + (i - (n - 1) / 2) * gaps[c]) for i in range(n)]
        for c, n in enumerate(columns)
    ]
    if single:
        positions[1] = [(column_x[1], height / 2)]
    radius = 32 if single else 17 if widest_layer <= 8 else 15
    return Layout(single, width, height, positions, 13, radius, show_grad)


def diagram_parts(
    network: Network,
    x: Sequence[float],
    selected: Selection | None = None,
    backward: bool = False,
) -> Iterator[tuple[str, str]]:
    """``diagram_svg`` in named pieces, as ``(name, markup)``: ``("svg", the opening tag)``,
    ``("edges-0", layer 0's edges)``, one for each layer, then ``("nodes", the inputs, the
    neurons and the output)`` (see ``assemble``). A caller may let the browser in between, and
    while the opening tag and the names stay the same, replace just the parts that changed:
    a big network has hundreds of edges, and each part is a few ms for the browser to draw.

    ``network`` is traced on the input x (``controller.trace``): each neuron holds its z and y
    for x. With ``backward`` (the trace ran backprop with a target) it shows the backward pass:
    ∂C/∂z above each neuron (the gradient flowing back, layer by layer) and ∂C/∂w in each
    weight's label. Edges and neurons carry ``data-key`` (see ``Selection.key``) and an
    ``aria-label`` with their values, so the page can show them on focus and edit them.
    """
    at = layout(network, x, backward)
    yield (
        "svg",
        (
            f'<svg viewBox="0 0 {at.width} {at.height:.0f}" role="group" '
            f'aria-label="{escape(t("diagram.neuron" if at.single else "diagram.network"))}" '
            'xmlns="http://www.w3.org/2000/svg">'
        ),
    )
    selected_key = selected.key if selected is not None else None
    # Edges first, so the nodes sit on top of them.
    for li in range(len(network.layers)):
        yield f"edges-{li}", layer_edges(network, li, at, selected_key, backward)
    nodes = input_nodes(x, at) + neuron_nodes(network, at, selected_key, backward)
    yield "nodes", nodes + output_marks(network, at)


_edges_drawn: dict[int, tuple[tuple, str]] = {}  # layer index -> (what its edges were
# last written from, their markup)


def layer_edges(
    network: Network, li: int, at: Layout, selected_key: str | None, backward: bool
) -> str:
    """``edges_markup``, written again only when something it is written from changed: a
    redraw of an unchanged view (after a click on a field) wrote 16-16-16-1's two big layers
    anew, ~20 ms of the page's Python. The weights (and gradients) are compared bit for bit,
    so a nan weight is the same as itself."""
    layer = network.layers[li]
    written_from = (
        language(),
        tuple(network.sizes),
        selected_key,
        backward,
        tuple(at.positions[li]),
        tuple(at.positions[li + 1]),
        b"".join(array("d", neuron.weight).tobytes() for neuron in layer.neurons),
        b"".join(array("d", neuron.dcost_dw).tobytes() for neuron in layer.neurons)
        if backward
        else None,
    )
    kept = _edges_drawn.get(li)
    if kept is not None and kept[0] == written_from:
        return kept[1]
    markup = edges_markup(network, li, at, selected_key, backward)
    _edges_drawn[li] = (written_from, markup)
    return markup


def edges_markup(
    network: Network, li: int, at: Layout, selected_key: str | None, backward: bool
) -> str:
    """Layer ``li``'s weights, each a focusable edge from its input to its neuron. (Hundreds
    in a bigger network: what is the same for every edge of a layer is written once.)

    A wide line under each edge makes it easy to point at, and a <title> names it on hover.
    Where edges are dense, the wide lines would overlap, and both would double what the
    browser builds and draws at each redraw; hover still writes the value under the diagram
    (diagram_events), keyboard and Zoom in still reach every edge."""
    layer = network.layers[li]
    dense = len(layer.neurons) * layer.isize > DENSE_EDGES
    kind, hit = ("edge thin", "") if dense else ("edge", HIT_LINE)
    sources = [  # x₂, or y₂ of layer 1: each input's name, then where it is drawn
        (input_name(network, li, ii), f'x1="{sx:.1f}" y1="{sy:.1f}"')
        for ii, (sx, sy) in enumerate(at.positions[li])
    ]
    parts: list[str] = []
    press = escape(t("diagram.edge_press"))
    for ni, neuron in enumerate(layer.neurons):
        nx, ny = at.positions[li + 1][ni]
        end = f'x2="{nx:.1f}" y2="{ny:.1f}"'
        grads = neuron.dcost_dw if backward else None
        for ii, w in enumerate(neuron.weight):
            source, start = sources[ii]
            key = f"{li}-{ni}-{ii}"  # Selection(li, ni, ii).key
            name = weight_name(network, li, ni, ii)
            label = t("diagram.edge", name=name, value=fmt(w), source=source)
            if grads is not None:
                label += f"; ∂C/∂w = {fmt(grads[ii])}"
            label = escape(label)
            chosen = " selected" if key == selected_key else ""
            title = "" if dense else f"<title>{label}</title>"
            parts.append(
                f'<g class="{kind}{chosen}" tabindex="0" role="button" data-key="{key}" '
                f'aria-label="{label}. {press}">{title}'
                f"{hit.format(start=start, end=end)}"
                f'<line {start} {end} style="{edge_style(w)}"/></g>'
            )
    return "".join(parts)


def input_nodes(x: Sequence[float], at: Layout) -> str:
    """The inputs: the bits of the number, x₁ to xₙ."""
    r = at.radius_in
    return "".join(
        f'<g class="node input{" on" if bit else ""}"><title>x{sub(ii + 1)} = {fmt(bit)}</title>'
        f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="{r}"/>'
        f'<text x="{sx:.1f}" y="{sy + 4:.1f}" text-anchor="middle">{int(bit)}</text>'
        f'<text class="small" x="{sx - r - 5:.1f}" y="{sy + 4:.1f}" '
        f'text-anchor="end">x{sub(ii + 1)}</text></g>'
        for ii, ((sx, sy), bit) in enumerate(zip(at.positions[0], x, strict=True))
    )


def neuron_nodes(network: Network, at: Layout, selected_key: str | None, backward: bool) -> str:
    """Each neuron: a focusable circle named by its bias, z, y (and ∂C/∂z), with its numbers
    written beside it."""
    parts: list[str] = []
    press = escape(t("diagram.neuron_press"))
    for li, layer in enumerate(network.layers):
        for ni, neuron in enumerate(layer.neurons):
            nx, ny = at.positions[li + 1][ni]
            key = Selection(li, ni).key
            chosen = " selected" if key == selected_key else ""
            act = neuron.activation.name if neuron.activated else t("diagram.no_activation")
            y = neuron.y
            if layer.softmax:  # the layer's y = softmax(z) of its neurons
                act, y = t("diagram.softmax_layer"), layer.y[ni]
            who = (
                t("diagram.the_neuron")
                if at.single
                else t("diagram.neuron_of", n=ni + 1, layer=li + 1)
            )
            label = t(
                "diagram.neuron_label",
                who=who,
                bias=f"{bias_name(network, li, ni)} = {fmt(neuron.bias)}",
                z=fmt(neuron.z),
                y=fmt(y),
                activation=act,
            )
            if backward:
                label += f"; ∂C/∂z = {fmt(neuron.dcost_dz)}"
            parts.append(
                f'<g class="node neuron editable{chosen}" tabindex="0" role="button" '
                f'data-key="{key}" aria-label="{escape(label)}. {press}">'
                f"<title>{escape(label)}</title>"
                f'<circle cx="{nx:.1f}" cy="{ny:.1f}" r="{at.radius}"/></g>'
            )
            # Its numbers sit outside the button: its aria-label already says them.
            parts.append(neuron_numbers(neuron, y, nx, ny, at))
    return "".join(parts)


def neuron_numbers(neuron: Neuron, y: float, nx: float, ny: float, at: Layout) -> str:
    """What is written on and around a neuron: Σ + b, z and b for the single neuron; y and b
    in a network; ∂C/∂z with the backward pass."""
    grad = ""
    if at.show_grad:
        grad_y = ny - at.radius - 6 if at.single else ny + at.radius + 24
        grad = (
            f'<text class="small grad" aria-hidden="true" x="{nx:.1f}" '
            f'y="{grad_y:.1f}" text-anchor="middle">'
            f"∂C/∂z={fmt(neuron.dcost_dz, 3)}</text>"
        )
    if at.single:
        return grad + (
            f'<g aria-hidden="true"><text x="{nx:.1f}" y="{ny - 5:.1f}" '
            f'text-anchor="middle">Σ + b</text>'
            f'<text class="small" x="{nx:.1f}" y="{ny + 12:.1f}" '
            f'text-anchor="middle">z={fmt(neuron.z, 3)}</text>'
            f'<text class="small" x="{nx:.1f}" y="{ny + at.radius + 16:.1f}" '
            f'text-anchor="middle">b = {fmt(neuron.bias, 3)}</text></g>'
        )
    return grad + (
        f'<g aria-hidden="true"><text x="{nx:.1f}" y="{ny + 4:.1f}" '
        f'text-anchor="middle">{fmt(y, 2)}</text>'
        f'<text class="small" x="{nx:.1f}" y="{ny + at.radius + 12:.1f}" '
        f'text-anchor="middle">b={fmt(neuron.bias, 2)}</text></g>'
    )


def output_marks(network: Network, at: Layout) -> str:
    """The output: for one neuron, the activation box and y; for a network, an arrow to y
    (or to each class), and "softmax" over a softmax layer."""
    parts: list[str] = []
    out_layer, radius = network.layers[-1], at.radius
    for ni, neuron in enumerate(out_layer.neurons):
        nx, ny = at.positions[-1][ni]
        if at.single:
            act = neuron.activation.symbol if neuron.activated else "y = z"
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
            name = escape(t("view.class", cls=ni)) if len(out_layer.neurons) > 1 else "y"
            parts.append(
                f'<line x1="{nx + radius:.1f}" y1="{ny:.1f}" x2="{nx + 45:.1f}" y2="{ny:.1f}" '
                f'style="stroke:var(--muted);stroke-width:1.5"/>'
                f'<text x="{nx + 50:.1f}" y="{ny + 4:.1f}">{name}</text>'
            )
    if out_layer.softmax:
        top = min(y for _, y in at.positions[-1]) - radius - 10
        parts.append(
            f'<text class="small" x="{at.positions[-1][0][0]:.1f}" y="{max(top, 10):.1f}" '
            f'text-anchor="middle">{escape(t("diagram.softmax"))}</text>'
        )
    return "".join(parts)
