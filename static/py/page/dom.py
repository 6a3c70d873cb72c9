"""Small helpers over the page's DOM: find an element, show text, report a message.

Text is always set as text (``textContent``), never as HTML: nothing a person typed, linked or
imported is rendered as markup.
"""

from __future__ import annotations

from pyodide.ffi import to_js
from pyscript import document, window


def element(element_id: str):  # -> a JS HTMLElement
    return document.getElementById(element_id)


def js_object(value: object):
    """A Python dict/list as a plain JS object/array (for Chart.js and KaTeX options)."""
    return to_js(value, dict_converter=window.Object.fromEntries)


def set_text(element_id: str, text: str) -> None:
    node = element(element_id)
    if node.textContent != text:
        node.textContent = text


def set_value(element_id: str, value: str) -> None:
    """Show a setting in its control, unless the learner is mid-edit with a rejected value."""
    node = element(element_id)
    if node.getAttribute("aria-invalid") == "true":
        return
    if node.value != value:
        node.value = value


def show_error(message: str) -> None:
    set_text("error", message)


def clear_error() -> None:
    """Empty the top error region (the messages beside fields stay until each is fixed)."""
    set_text("error", "")


def mark_invalid(field, message: str) -> None:
    """Show ``message`` beside ``field`` (an input or select) and mark it invalid; it stays
    until the field's text is accepted or the learner reverts it (Esc)."""
    field_id = field.id
    note = element(f"{field_id}-error")
    if not note:
        note = make("p", "", "field-error", id=f"{field_id}-error")
        note.setAttribute("data-testid", f"{field_id}-error")
        field.after(note)
    note.textContent = message
    field.setAttribute("aria-invalid", "true")
    field.setAttribute("aria-describedby", f"{field_id}-error")


def mark_valid(field) -> None:
    """Take the mark and the message off ``field``."""
    if field.getAttribute("aria-invalid") != "true":
        return
    field.removeAttribute("aria-invalid")
    field.removeAttribute("aria-describedby")
    note = element(f"{field.id}-error")
    if note:
        note.remove()


def invalid_fields() -> list:
    """The fields that hold text the lab refused."""
    return list(document.querySelectorAll("[aria-invalid='true']"))


def field_name(field) -> str:
    """The visible name of a field: its label's text."""
    label = document.querySelector(f'label[for="{field.id}"]')
    return (label.textContent if label else field.id).strip()


def set_status(message: str) -> None:
    set_text("train-status", message)


def set_notice(message: str) -> None:
    set_text("notice", message)


def set_training(training: bool) -> None:
    """``html[data-training]`` while a run is trained, or its end drawn and saved (what the
    tests wait for: Train comes back before the autosave is written)."""
    document.documentElement.toggleAttribute("data-training", training)


def set_progress(fraction: float) -> None:
    element("progress").value = max(0.0, min(1.0, fraction))


def make(tag: str, text: str = "", class_name: str = "", **attributes: str):
    """A new element with text content, a class and attributes (data_testid -> data-testid)."""
    node = document.createElement(tag)
    if text:
        node.textContent = text
    if class_name:
        node.className = class_name
    for name, value in attributes.items():
        node.setAttribute(name.replace("_", "-"), value)
    return node


def fill_select(select_id: str, options: list[tuple[str, str]]) -> None:
    """Give a select one option per (value, label), in order (values from ``nn``'s registries)."""
    select = element(select_id)
    select.replaceChildren(*[make("option", label, value=value) for value, label in options])
