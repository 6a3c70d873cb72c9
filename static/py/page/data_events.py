"""Handlers of the data-set controls: width, the number shown, the task, the two sets."""

from __future__ import annotations

import random

from core import edits, inputs
from core.controller import RejectedInput
from core.i18n import shown_number, t, typed_number

from nn import get_task
from page.app import App, on
from page.dom import element, mark_valid, set_status
from page.field_events import change


@on("#width", "change")
def on_width(app: App, event) -> None:
    width = inputs.parse_width(event.target.value)
    if width == app.lab.settings.width:
        return
    settings, note = edits.with_width(app.lab.settings, width)
    change(app, settings, rebuild=True)
    set_status(note or t("data.width", n=width))


@on("#bit-toggles", "click")
def on_bit_toggle(app: App, event) -> None:
    index = event.target.getAttribute("data-index")
    if not index:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return
    i, bits = int(index), app.lab.settings.bits
    mark_valid(element("bits"))  # flipping a bit replaces whatever the field held
    change(app, bits=bits[:i] + ("0" if bits[i] == "1" else "1") + bits[i + 1 :])


@on("#task", "change")
def on_task(app: App, event) -> None:
    settings, note = edits.with_task_noted(app.lab.settings, inputs.parse_task(event.target.value))
    change(app, settings)
    if note:
        set_status(note)


@on("#k", "change")
def on_k(app: App, event) -> None:
    settings, note = edits.with_k(app.lab.settings, event.target.value)
    change(app, settings)
    if note:
        set_status(note)


@on("#add-example", "click")
def on_add_example(app: App, event) -> None:
    s = app.lab.settings
    target_text = typed_number(element("target").value) if get_task(s.task).typed_targets else None
    change(app, edits.add_example(s, element("bits").value, target_text))
    set_status(t("data.added_training", bits=app.lab.settings.examples[-1].bits))


@on("#add-test", "click")
def on_add_test(app: App, event) -> None:
    change(app, edits.add_test_example(app.lab.settings, element("bits").value))
    set_status(t("data.added_test", bits=app.lab.settings.test[-1]))


@on("#add-all", "click")
def on_add_all(app: App, event) -> None:
    change(app, edits.add_all_examples(app.lab.settings))
    set_status(t("data.all", n=2**app.lab.settings.width))


def add_random(app: App, field_id: str, test: bool) -> None:
    count = inputs.parse_count(element(field_id).value, app.lab.settings.width)
    settings, note = edits.add_random_examples(app.lab.settings, count, random.Random(), test)
    change(app, settings)
    key = "data.random_test" if test else "data.random_training"
    set_status(note or t(key, n=count))


@on("#add-random", "click")
def on_add_random(app: App, event) -> None:
    add_random(app, "random-count", test=False)


@on("#add-random-test", "click")
def on_add_random_test(app: App, event) -> None:
    add_random(app, "random-test-count", test=True)


@on("#clear-examples", "click")
def on_clear(app: App, event) -> None:
    change(app, edits.clear_test_examples(edits.clear_examples(app.lab.settings)))
    set_status(t("data.cleared"))


@on("#examples, #test-examples", "click")
def on_list_click(app: App, event) -> None:
    button = event.target.closest("button")
    if not button:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return
    index, kind = int(button.getAttribute("data-index")), button.getAttribute("data-kind")
    s = app.lab.settings
    if button.getAttribute("data-action") == "remove":
        remove = edits.remove_example if kind == "train" else edits.remove_test_example
        change(app, remove(s, index))
        return
    bits = s.examples[index].bits if kind == "train" else s.test[index]
    change(app, bits=bits)
    target = s.examples[index].target if kind == "train" else None
    if target is not None:  # custom task: ready to change it
        element("target").value = shown_number(inputs.format_float(target))


@on("#set-target", "click")
def on_set_target(app: App, event) -> None:
    """Custom task: change the target of the training number shown in `bits`."""
    s = app.lab.settings
    index = next((i for i, e in enumerate(s.examples) if e.bits == s.bits), None)
    if index is None:
        raise RejectedInput(t("data.target_not_listed", bits=s.bits))
    change(app, edits.set_example_target(s, index, typed_number(element("target").value)))
    target = shown_number(inputs.format_float(app.lab.settings.examples[index].target))
    set_status(t("data.target", bits=s.bits, target=target))
