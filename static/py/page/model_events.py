"""Handlers of the model and training controls that do more than set one setting: the seed,
the activation, the layers, Train, Pause, Step, Reset, the presets and the hints (the simple
settings, such as the learning rate, have one handler: ``field_events``).

Each reads its control through an ``inputs`` parser (a ValueError leaves everything as it was)
and changes the lab through the controller.
"""

from __future__ import annotations

from core import inputs
from core.controller import CodeFailed, RejectedInput
from core.edits import with_layers
from core.formats import fmt
from core.i18n import shown_number, t
from core.names import name as name_of
from core.settings import apply_preset, layer_activation_names

from page.app import App, on
from page.dom import element, field_name, invalid_fields, mark_valid, set_progress, set_status
from page.field_events import change
from page.training import train


@on("#seed", "change")
def on_seed(app: App, event) -> None:
    seed = inputs.parse_seed(event.target.value)
    if seed != app.lab.settings.seed:
        change(app, rebuild=True, seed=seed, weights=None)


@on("#activation", "change")
def on_activation(app: App, event) -> None:
    activation = inputs.parse_activation(event.target.value)
    change(app, rebuild=True, activation=activation, layer_activations=())


@on("#activate-output", "change")
def on_activate_output(app: App, event) -> None:
    change(app, rebuild=True, activate_output=bool(event.target.checked))


@on("#log-scale", "change")
def on_log_scale(app: App, event) -> None:
    change(app, log_scale=bool(event.target.checked))


@on("#layer-sizes", "change")
def on_layer_change(app: App, event) -> None:
    target = event.target
    layer = target.getAttribute("data-layer")
    if not layer:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return
    i, s = int(layer), app.lab.settings
    if target.tagName == "SELECT":
        names = list(layer_activation_names(s))
        names[i] = inputs.parse_activation(target.value)
        change(app, rebuild=True, layer_activations=tuple(names))
    else:
        layers = list(s.layers)
        layers[i] = inputs.parse_layer_size(target.value)
        change(app, with_layers(s, layers), rebuild=True)


@on("#add-layer", "click")
def on_add_layer(app: App, event) -> None:
    s = app.lab.settings
    if len(s.layers) - 1 >= inputs.MAX_HIDDEN_LAYERS:
        raise RejectedInput(t("model.max_layers", max=inputs.MAX_HIDDEN_LAYERS))
    acts = s.layer_activations
    new_acts = (*acts[:-1], s.activation, acts[-1]) if acts else ()
    change(
        app,
        with_layers(s, (*s.layers[:-1], 4, s.layers[-1])),
        rebuild=True,
        layer_activations=new_acts,
    )


@on("#remove-layer", "click")
def on_remove_layer(app: App, event) -> None:
    s = app.lab.settings
    if len(s.layers) == 1:
        raise RejectedInput(t("model.no_hidden_layer"))
    acts = s.layer_activations
    new_acts = (*acts[:-2], acts[-1]) if acts else ()
    change(
        app,
        with_layers(s, (*s.layers[:-2], s.layers[-1])),
        rebuild=True,
        layer_activations=new_acts,
    )


DRAFTS = ("bits",)  # fields that are a draft for their own button (Add), not a setting


def require_accepted_fields(action: str) -> None:
    """RejectedInput naming every setting that holds refused text: nothing may run on
    settings the learner believes they changed but did not. The Number box is a draft for
    Add, not a setting: what it holds never blocks training."""
    fields = [field for field in invalid_fields() if field.id not in DRAFTS]
    if not fields:
        return
    held = [f"“{field_name(field)}” holds {inputs.shown(field.value)}" for field in fields]
    if len(fields) == 1:
        raise RejectedInput(
            f"{held[0]}, which was not accepted: correct it, or press Esc in it to put back "
            f"the value in use, before {action}."
        )
    raise RejectedInput(
        f"{', '.join(held[:-1])} and {held[-1]}, which were not accepted: correct each, or "
        f"press Esc in it to put back the value in use, before {action}."
    )


@on("main", "keydown", redraw=False)
def on_escape(app: App, event) -> None:
    """Esc in a field holding refused text puts back the value in use."""
    if event.key == "Escape" and event.target.getAttribute("aria-invalid") == "true":
        mark_valid(event.target)
        element("error").textContent = ""
        app.redraw_after_change(app)


@on("#train", "click")
def on_train(app: App, event):
    require_accepted_fields("training")
    return train(app, app.lab.start_run(app.lab.settings.epochs))


@on("#pause", "click", redraw=False)  # the training loop redraws and saves as it stops
def on_pause(app: App, event) -> None:
    if app.lab.run is not None:
        app.lab.run.stop_requested = True


@on("#step", "click")
def on_step(app: App, event):
    """One epoch, in slices like training (it may take longer than a frame), then "Ran epoch"."""
    require_accepted_fields("stepping")
    return train(app, app.lab.start_step(), stepping=True)


@on("#step-example", "click")
def on_step_example(app: App, event) -> None:
    require_accepted_fields("stepping")
    try:
        example, cost = app.lab.step_example()
    except CodeFailed:
        raise
    except RejectedInput:
        app.hint = app.lab.divergence_hint()
        raise
    set_status(t("model.stepped", bits=example.bits, cost=fmt(cost)))


@on("#reset", "click")
def on_reset(app: App, event) -> None:
    app.lab.reset()
    app.editing = None
    set_progress(0)
    set_status(t("model.reset", seed=app.lab.settings.seed))


def load_preset(app: App, name: str) -> None:
    change(app, apply_preset(app.lab.settings, name), rebuild=True)
    app.hint = None
    for field in invalid_fields():  # every setting is the preset's now
        mark_valid(field)
    label, description = name_of(f"preset.{name}"), name_of(f"preset.{name}.description")
    set_status(t("preset.loaded", label=label, description=description))


@on("#preset", "change")
def on_preset(app: App, event) -> None:
    name = event.target.value
    if name:
        event.target.value = ""
        load_preset(app, name)


@on("#hint-apply", "click")
def on_hint_apply(app: App, event) -> None:
    """Follow the advice shown: one click sets what it says."""
    hint, app.hint = app.hint, None
    if hint is None:
        return
    if hint.action == "lower-lr":
        rate = app.lab.settings.learning_rate / 10
        change(app, rebuild=True, learning_rate=rate)
        set_status(t("model.lower_lr", rate=shown_number(inputs.format_float(rate))))
    else:
        load_preset(app, hint.action)
