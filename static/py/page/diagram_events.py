"""Handlers of the diagram: hover or focus shows a weight, a click or Enter picks a neuron (its
math) or opens the editor of a weight or bias."""

from __future__ import annotations

from core import inputs
from core.controller import Selection
from core.diagram import bias_name, weight_name
from core.formats import fmt
from core.i18n import shown_number, t, typed_number

from page.app import App, on
from page.dom import element, set_status, set_text


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
    show_info(event.target.closest("[data-key]"))


def show_info(group) -> None:
    """The caption under the diagram says what ``group`` (a weight, a bias) is now; it keeps
    its key, so that every redraw says it again with the numbers then (never a stale w₁)."""
    info = element("diagram-info")
    if not info.hasAttribute("data-default"):
        info.setAttribute("data-default", info.textContent)
    info.setAttribute("data-key", group.getAttribute("data-key"))
    set_text("diagram-info", caption(group.getAttribute("aria-label") or "", info))


def caption(label: str, info) -> str:
    """A diagram element's label as the caption says it: how to change it in the words of the
    device (a tap again on a touch screen, where hover gives no help and Enter is no key)."""
    said, _, _ = label.partition(" Press Enter")
    if info.getAttribute("data-touch") == "true":
        return f"{said} Tap it again to change it."
    return f"{said} Enter or a click changes it."


def touched(event) -> bool:
    """Whether ``event`` (a click) came from a finger, not a mouse or a key."""
    if str(getattr(event, "pointerType", "") or "") == "touch":
        return True
    capabilities = getattr(event, "sourceCapabilities", None)
    return bool(capabilities and capabilities.firesTouchEvents)


@on("#diagram", "click")
def on_diagram_click(app: App, event) -> None:
    selection = selection_from(event.target)
    if selection is None:
        return
    group = event.target.closest("[data-key]")
    info = element("diagram-info")
    if touched(event):  # on a phone: a first tap reads the weight, a second one edits it
        info.setAttribute("data-touch", "true")
        key = group.getAttribute("data-key")
        if info.getAttribute("data-tapped") != key:
            info.setAttribute("data-tapped", key)
            element("weight-editor").hidden = True
            app.editing = None
            show_info(group)
            return
    app.editing = selection
    app.lab.selection = Selection(selection.layer, selection.neuron)
    show_info(group)
    app.lab.last_step = None
    name, value = describe(app, selection)
    set_text("weight-label", t("diagram.new_value", name=name))
    element("weight-editor").hidden = False
    field = element("weight-input")
    field.value = shown_number(repr(value))
    field.focus()
    field.select()


@on("#diagram", "keydown", redraw=False)
def on_diagram_key(app: App, event) -> None:
    if event.key in ("Enter", " "):
        event.preventDefault()
        on_diagram_click(app, event)
        app.redraw_after_change(app)


@on("#weight-editor", "submit")
def on_weight_submit(app: App, event) -> None:
    event.preventDefault()
    selection = app.editing
    if selection is None:
        return
    value = inputs.parse_weight(typed_number(element("weight-input").value))
    name, _ = describe(app, selection)
    app.lab.set_parameter(selection, value)
    element("weight-editor").hidden = True
    app.editing = None
    app.focus_key = selection.key  # focus goes back to that weight, which says its new value
    set_status(t("diagram.set", name=name, value=fmt(value)))


@on("#weight-cancel", "click")
def on_weight_cancel(app: App, event) -> None:
    element("weight-editor").hidden = True
    app.editing = None


@on("#diagram-zoom", "click", redraw=False)
def on_zoom(app: App, event) -> None:
    """Draw the diagram larger, scrolled in its box: large networks stay readable."""
    zoomed = element("diagram").classList.toggle("zoomed")
    event.target.setAttribute("aria-pressed", "true" if zoomed else "false")
    event.target.textContent = t("diagram.zoom_out" if zoomed else "html.button.diagram-zoom")
