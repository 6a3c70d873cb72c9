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
    set_text("error", "")
    for node in document.querySelectorAll("[aria-invalid='true']"):
        node.removeAttribute("aria-invalid")


def set_status(message: str) -> None:
    set_text("train-status", message)


def set_notice(message: str) -> None:
    set_text("notice", message)


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
