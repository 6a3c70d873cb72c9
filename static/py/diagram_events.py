"""Handlers of the diagram: hover or focus shows a weight, a click or Enter picks a neuron (its
math) or opens the editor of a weight or bias."""

from __future__ import annotations

import inputs
from app import App, on
from controller import Selection
from diagram import bias_name, weight_name
from dom import element, set_status, set_text
from formats import fmt


def selection_from(node) -> Selection | None:
    group = node.closest("[data-key]") if node else None
    if not group:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return None
    layer, neuron, which = group.getAttribute("data-key").split("-")
    return Selection(int(layer), int(neuron), None if which == "b" else int(which))


def describe(app: App, selection: Selection) -> tuple[str, float]:
    """The name of the weight or bias picked, and its value."""
    network = app.lab.network
    neuron = network.layers[selection.layer].neurons[selection.neuron]
    if selection.input is None:
        return bias_name(network, selection.layer, selection.neuron), neuron.bias
    name = weight_name(network, selection.layer, selection.neuron, selection.input)
    return name, neuron.weight[selection.input]


@on("#diagram", "focusin", redraw=False)
@on("#diagram", "mouseover", redraw=False)
def on_diagram_focus(app: App, event) -> None:
    if selection_from(event.target) is None:
        return
    group = event.target.closest("[data-key]")
    set_text("diagram-info", group.getAttribute("aria-label") or "")


@on("#diagram", "click")
def on_diagram_click(app: App, event) -> None:
    selection = selection_from(event.target)
    if selection is None:
        return
    app.editing = selection
    app.lab.selection = Selection(selection.layer, selection.neuron)
    group = event.target.closest("[data-key]")  # a tap on a phone shows the value too
    set_text("diagram-info", group.getAttribute("aria-label") or "")
    app.lab.last_step = None
    name, value = describe(app, selection)
    set_text("weight-label", f"New value for {name}")
    element("weight-editor").hidden = False
    field = element("weight-input")
    field.value = repr(value)
    field.focus()
    field.select()


@on("#diagram", "keydown", redraw=False)
def on_diagram_key(app: App, event) -> None:
    if event.key in ("Enter", " "):
        event.preventDefault()
        on_diagram_click(app, event)
        app.redraw(app)


@on("#weight-editor", "submit")
def on_weight_submit(app: App, event) -> None:
    event.preventDefault()
    selection = app.editing
    if selection is None:
        return
    value = inputs.parse_weight(element("weight-input").value)
    name, _ = describe(app, selection)
    app.lab.set_parameter(selection, value)
    element("weight-editor").hidden = True
    app.editing = None
    app.focus_key = selection.key  # focus goes back to that weight, which says its new value
    set_status(f"Set {name} to {fmt(value)}; every view shows the new output.")


@on("#weight-cancel", "click")
def on_weight_cancel(app: App, event) -> None:
    element("weight-editor").hidden = True
    app.editing = None


@on("#diagram-zoom", "click", redraw=False)
def on_zoom(app: App, event) -> None:
    """Draw the diagram larger, scrolled in its box: large networks stay readable."""
    zoomed = element("diagram").classList.toggle("zoomed")
    event.target.setAttribute("aria-pressed", "true" if zoomed else "false")
    event.target.textContent = "Zoom out" if zoomed else "Zoom in"
