"""One handler for every simple setting: a change of its control (``fields.Field.control``)
is read by the field's own parser, in the context of the fields above it, and applied alone.
The settings that change others together (width, task, k, seed, activation, layers) have
handlers of their own in ``data_events`` and ``model_events``; all of them apply a change
through ``change``.
"""

from __future__ import annotations

from typing import Any

from core.fields import FIELDS, Field
from core.i18n import typed_number
from core.inputs import format_float
from core.settings import Settings, changed, context_of

from page.app import App, on
from page.dom import set_status


def change(
    app: App, settings: Settings | None = None, rebuild: bool = False, **changes: Any
) -> None:
    """The lab takes ``settings`` (by default its own) with ``changes``; ``rebuild`` resets the
    network (its shape or seed changed, which the lab also sees for itself). Once rebuilt, no
    weight is left to edit, and the status says so. A ValueError (or RejectedInput), changing
    nothing, when they don't fit."""
    rebuild = app.lab.change(changed(settings or app.lab.settings, **changes), rebuild=rebuild)
    if rebuild:
        app.editing = None  # no weight left to edit
        s = app.lab.settings
        kind = "neuron" if len(s.layers) == 1 else "network"
        set_status(f"New {kind} from seed {s.seed}.")


def field_handler(field: Field[Any]):
    """The change handler of ``field``'s control."""

    def on_change(app: App, event) -> None:
        text = event.target.value  # a decimal comma where the language writes one
        text = typed_number(text) if field.format is format_float else text
        value, notes = field.parse(text, context_of(app.lab.settings))
        change(app, **{field.name: value})
        if notes:  # what the parser left out, said beside the status
            set_status(" ".join(notes))

    on_change.__name__ = f"on_{field.name}"
    return on_change


for _field in FIELDS:
    if _field.simple:
        on(f"#{_field.control}", "change")(field_handler(_field))
