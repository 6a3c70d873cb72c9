"""The page: read the controls, call ``nn``, draw.

All page state is one ``Lab`` object: its ``settings`` (a ``labstate.Settings``, the part a
link or an autosave keeps), the ``network`` being trained, and the run's history. Every
input goes through a ``labstate`` parser; a rejected input shows its message in the
``error`` region and changes nothing. Training runs in slices of a few tens of
milliseconds that yield to the browser, so the page never freezes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import pprint
import random
import sys
import time
from dataclasses import replace
from html import escape

import labstate as ls
import views
from pyodide.ffi import create_proxy, to_js
from pyscript import document, window

from nn import Network, parse_bits

SLICE_SECONDS = 0.03  # how long one slice of training may hold the browser
DRAW_SECONDS = 0.12  # how often the views are redrawn while training
AUTOSAVE_KEY = "nn-lab:v1"
EXPORT_FORMAT = "nn-lab"  # the "format" of an exported JSON file
MAX_SAVED_LOSSES = 20_000  # epochs of loss history kept by the autosave


def element(element_id: str):  # -> a JS HTMLElement
    return document.getElementById(element_id)


def js_object(value: object):
    """A Python dict/list as a plain JS object/array (for Chart.js and KaTeX options)."""
    return to_js(value, dict_converter=window.Object.fromEntries)


class RejectedInput(ValueError):
    """An input the page refused; its message is shown to the learner."""


class Lab:
    """The one place the page's state lives, with the handlers that change it."""

    def __init__(self, settings: ls.Settings, warnings: list[str]) -> None:
        self.settings = settings
        self.network = self.build_network()
        self.epoch = 0  # epochs trained since the last reset
        self.train_losses: list[float] = []  # mean training cost after each epoch
        self.test_losses: list[float] = []  # mean test cost after each epoch
        self.shuffle_rng = random.Random(f"shuffle-{settings.seed}")
        self.generation = 0  # bumped whenever the network is replaced, to stop a stale run
        self.training = False
        self.pause_requested = False
        self.selection: views.Selection | None = None  # the neuron/weight picked in the diagram
        self.editing: views.Selection | None = None  # the weight/bias being edited
        self.last_step: list[views.MathLine] | None = None  # math of the last "step one example"
        self.chart = None
        if settings.weights is not None:
            warning = self.load_weights(settings.weights)
            if warning:
                warnings.append(warning)
            # From here on the network holds the weights; settings keep only what the
            # learner set (state_for_saving adds the current weights back).
            self.settings = replace(settings, weights=None)
        self.startup_warnings = warnings

    # --- the model ---------------------------------------------------------------------

    def build_network(self) -> Network:
        s = self.settings
        return Network(
            [s.width, *s.layers],
            activation=s.activation,
            seed=s.seed,
            init=s.init,
            activations=list(s.layer_activations) or None,
            activate_output=s.activate_output,
        )

    def reset_network(self) -> None:
        """New weights from the seed; the run's history starts again."""
        self.generation += 1
        self.pause_requested = True
        self.network = self.build_network()
        self.epoch = 0
        self.train_losses.clear()
        self.test_losses.clear()
        self.shuffle_rng = random.Random(f"shuffle-{self.settings.seed}")
        self.last_step = None
        self.selection = None
        self.editing = None

    def load_weights(self, values: tuple[float, ...]) -> str | None:
        """Set every weight and bias from a flat list (network order); a note if it can't."""
        neurons = [n for layer in self.network.layers for n in layer.neurons]
        needed = sum(n.isize + 1 for n in neurons)
        if len(values) != needed:
            return f"weights: {len(values)} numbers given, this network has {needed}; ignored them"
        position = 0
        for neuron in neurons:
            neuron.weight = list(values[position : position + neuron.isize])
            neuron.bias = values[position + neuron.isize]
            position += neuron.isize + 1
        return None

    def restore_run(self, run: dict) -> None:
        """Epoch count and loss history from an autosave (ignored if malformed)."""
        try:
            self.epoch = int(run.get("epoch", 0))
            self.train_losses = [float(v) for v in run.get("train_losses", [])]
            self.test_losses = [float(v) for v in run.get("test_losses", [])]
            version, state, gauss = run["shuffle_state"]
            self.shuffle_rng.setstate((version, tuple(state), gauss))
        except (TypeError, ValueError, KeyError):
            self.epoch, self.train_losses, self.test_losses = 0, [], []

    def snapshot(self) -> list[float]:
        return self.network.parameters()

    def pairs(self, numbers: list[ls.Example]) -> list[tuple[list[int], list[float]]]:
        """(x, [t]) for nn: the bits as inputs, the task's target as the one output."""
        return [(parse_bits(e.bits), [ls.example_target(self.settings, e)]) for e in numbers]

    def training_pairs(self) -> list[tuple[list[int], list[float]]]:
        return self.pairs(list(self.settings.examples))

    def test_pairs(self) -> list[tuple[list[int], list[float]]]:
        s = self.settings
        if s.task == "custom":
            return []  # a test number has no target the learner typed
        return self.pairs([ls.Example(bits) for bits in s.test])

    def current_target(self) -> float | None:
        """The target of the number in ``bits``: from the task, or a typed custom target."""
        s = self.settings
        if s.task != "custom":
            return ls.example_target(s, ls.Example(s.bits))
        for example in s.examples:
            if example.bits == s.bits:
                return example.target
        return None

    def run_epoch(self, train: list, learning_rate: float) -> bool:
        """One epoch; False (weights rolled back) if it diverged."""
        before = self.snapshot()
        self.network.train_epoch(train, learning_rate, self.settings.batch_size, self.shuffle_rng)
        loss = self.network.mean_cost(train)
        if not (math.isfinite(loss) and self.network.is_finite()):
            self.load_weights(tuple(before))
            return False
        self.epoch += 1
        self.train_losses.append(loss)
        test = self.test_pairs()
        if test:
            self.test_losses.append(self.network.mean_cost(test))
        return True

    def diverged_message(self) -> str:
        return (
            f"Training stopped at epoch {self.epoch}: the loss became infinite or NaN "
            f"(not a number) — the learning rate {ls.format_float(self.settings.learning_rate)} is "
            "too large for this model. The last finite weights are kept; try a smaller "
            "learning rate, or Reset."
        )

    # --- training ----------------------------------------------------------------------

    async def train(self, epochs: int) -> None:
        """Train ``epochs`` more epochs in slices, redrawing a few times a second."""
        if self.training:
            return
        if not self.settings.examples:
            raise RejectedInput("Add at least one example to the training set before training.")
        self.training = True
        self.pause_requested = False
        generation = self.generation
        start_epoch, goal = self.epoch, self.epoch + epochs
        self.last_step = None
        render_training_state(self)
        last_draw = time.perf_counter()
        message = ""
        try:
            while self.epoch < goal:
                slice_end = time.perf_counter() + SLICE_SECONDS
                train = self.training_pairs()
                learning_rate = self.settings.learning_rate
                while self.epoch < goal and time.perf_counter() < slice_end:
                    if not self.run_epoch(train, learning_rate):
                        message = self.diverged_message()
                        break
                if message:
                    break
                now = time.perf_counter()
                if now - last_draw >= DRAW_SECONDS:
                    set_progress((self.epoch - start_epoch) / epochs)
                    render_all(self)
                    last_draw = now
                await asyncio.sleep(0)  # let the browser handle input and paint
                if self.pause_requested or generation != self.generation:
                    message = message or f"Paused at epoch {self.epoch}."
                    break
        finally:
            self.training = False
        if generation == self.generation:
            set_progress(1 if self.epoch >= goal else (self.epoch - start_epoch) / epochs)
            if message.startswith("Training stopped"):
                show_error(message)
            elif not message:
                message = f"Trained {self.epoch - start_epoch} epochs." + self.lesson()
            set_status(message if not message.startswith("Training stopped") else "")
        save_state(self)
        render_all(self)
        render_training_state(self)

    def lesson(self) -> str:
        """What the run shows, when it shows something plainly: one neuron can't learn parity."""
        s = self.settings
        train = self.training_pairs()
        if s.task != "parity" or len(s.layers) > 1 or s.width < 2 or not train:
            return ""
        accuracy = self.network.accuracy(train)
        if accuracy == 1:
            return ""
        return (
            f" Accuracy is stuck at {accuracy:.0%}: a single neuron draws one straight line "
            "(a hyperplane) through the numbers, and no line separates odd from even counts "
            "of ones. Add a hidden layer (+ hidden layer) and train again."
        )

    def step_epoch(self) -> None:
        if not self.settings.examples:
            raise RejectedInput("Add at least one example to the training set to step through it.")
        self.last_step = None
        if not self.run_epoch(self.training_pairs(), self.settings.learning_rate):
            raise RejectedInput(self.diverged_message())
        set_status(f"Ran epoch {self.epoch}.")

    def step_example(self) -> None:
        """Forward and backward pass of one example; the math panel shows every number of it."""
        s = self.settings
        if not s.examples:
            raise RejectedInput("Add at least one example to the training set to step through it.")
        index = next((i for i, e in enumerate(s.examples) if e.bits == s.bits), None)
        if index is None:
            index = 0
            self.settings = replace(s, bits=s.examples[0].bits)
        example = self.settings.examples[index]
        x, target = self.pairs([example])[0]
        before = self.snapshot()
        cost = self.network.backprop(x, target)
        layer, neuron = self.math_neuron()
        self.last_step = views.neuron_math(self.network, layer, neuron, target[0], s.learning_rate)
        for network_layer in self.network.layers:
            network_layer.apply_update(s.learning_rate)
        if not self.network.is_finite():
            self.load_weights(tuple(before))
            self.last_step = None
            raise RejectedInput(self.diverged_message())
        set_status(
            f"Stepped example {example.bits} (cost before the step {views.fmt(cost)}): "
            "the math below shows that step; every weight has moved by its Δ."
        )

    def math_neuron(self) -> tuple[int, int]:
        """The neuron whose math is shown: the one picked in the diagram, else the output."""
        if self.selection is not None:
            return self.selection.layer, self.selection.neuron
        return len(self.network.layers) - 1, 0


# --- drawing --------------------------------------------------------------------------------


def set_text(element_id: str, text: str) -> None:
    node = element(element_id)
    if node.textContent != text:
        node.textContent = text


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


def render_all(lab: Lab) -> None:
    render_settings(lab)
    render_examples(lab)
    render_stats(lab)
    render_prediction(lab)
    render_diagram(lab)
    render_math(lab)
    render_chart(lab)


def set_value(element_id: str, value: str) -> None:
    """Show a setting in its control, unless the learner is mid-edit with a rejected value."""
    node = element(element_id)
    if node.getAttribute("aria-invalid") == "true":
        return
    if node.value != value:
        node.value = value


def render_settings(lab: Lab) -> None:
    s = lab.settings
    set_value("width", str(s.width))
    set_value("bits", s.bits)
    set_value("task", s.task)
    set_value("threshold", str(s.threshold))
    element("threshold").max = 2**s.width - 1
    element("threshold-field").hidden = s.task != "greater"
    element("target-field").hidden = s.task != "custom"
    element("set-target").hidden = s.task != "custom" or not any(
        e.bits == s.bits for e in s.examples
    )
    set_value("learning-rate", ls.format_float(s.learning_rate))
    set_value("epochs", str(s.epochs))
    set_value("seed", str(s.seed))
    set_value("batch", str(s.batch_size))
    set_value("activation", s.activation)
    set_value("init", s.init)
    element("activate-output").checked = s.activate_output
    element("log-scale").checked = s.log_scale
    set_text("all-count", str(2**s.width))
    element("random-count").max = 2**s.width
    set_text("task-help", ls.TASK_HELP[s.task])
    value = int(s.bits, 2)
    set_text("bits-decimal", f"= {value}")
    render_bit_toggles(s)
    render_layers(lab)
    set_text("prediction-bits", s.bits)


def render_bit_toggles(s: ls.Settings) -> None:
    container = element("bit-toggles")
    buttons = container.children
    if buttons.length != s.width:
        container.replaceChildren()
        for i in range(s.width):
            button = document.createElement("button")
            button.type = "button"
            button.setAttribute("data-index", str(i))
            button.setAttribute("data-testid", f"bit-{i}")
            container.appendChild(button)
        buttons = container.children
    for i in range(s.width):
        bit = s.bits[i]
        button = buttons.item(i)
        place = s.width - 1 - i
        if button.textContent != bit:
            button.textContent = bit
        button.setAttribute("aria-pressed", "true" if bit == "1" else "false")
        button.setAttribute("aria-label", f"bit {i + 1} (worth {2**place}): {bit}")


def render_layers(lab: Lab) -> None:
    s = lab.settings
    hidden = s.layers[:-1]
    set_text(
        "model-kind",
        "One neuron" if not hidden else f"Network {'-'.join(map(str, [s.width, *s.layers]))}",
    )
    element("add-layer").disabled = len(hidden) >= ls.MAX_HIDDEN_LAYERS
    element("remove-layer").disabled = not hidden
    container = element("layer-sizes")
    wanted = f"{s.layers}|{s.layer_activations}|{s.activation}"
    if container.getAttribute("data-shape") == wanted:
        # Same shape: only show the kept sizes again (a rejected size stays until the next
        # action, like every other setting).
        for i, size in enumerate(hidden):
            set_value(f"layer-size-{i}", str(size))
        return
    container.setAttribute("data-shape", wanted)
    container.replaceChildren()
    activations = s.layer_activations or (s.activation,) * len(s.layers)
    for i, size in enumerate(hidden):
        box = document.createElement("div")
        box.className = "layer"
        size_id, act_id = f"layer-size-{i}", f"layer-activation-{i}"
        size_label = document.createElement("label")
        size_label.htmlFor = size_id
        size_label.textContent = f"Hidden {i + 1}"
        size_input = document.createElement("input")
        size_input.id = size_id
        size_input.type = "number"
        size_input.min = 1
        size_input.max = ls.MAX_LAYER_SIZE
        size_input.value = str(size)
        size_input.setAttribute("data-testid", size_id)
        size_input.setAttribute("data-layer", str(i))
        act_label = document.createElement("label")
        act_label.htmlFor = act_id
        act_label.className = "visually-hidden"
        act_label.textContent = f"Activation of hidden layer {i + 1}"
        select = document.createElement("select")
        select.id = act_id
        select.setAttribute("data-testid", act_id)
        select.setAttribute("data-layer", str(i))
        for name in ls.ACTIVATION_NAMES:
            option = document.createElement("option")
            option.value = name
            option.textContent = name
            select.appendChild(option)
        select.value = activations[i]
        for child in (size_label, size_input, act_label, select):
            box.appendChild(child)
        container.appendChild(box)
    out = document.createElement("div")
    out.className = "layer"
    out.textContent = "Output: 1 neuron"
    container.appendChild(out)


def list_button(action: str, index: int, kind: str, class_name: str):
    """A button of an example list; ``on_list_click`` reads what it does from its data."""
    button = document.createElement("button")
    button.type = "button"
    button.className = class_name
    button.setAttribute("data-action", action)
    button.setAttribute("data-index", str(index))
    button.setAttribute("data-kind", kind)
    return button


def example_row(lab: Lab, example: ls.Example | str, index: int, kind: str):
    """One row of the training (kind "train") or test list: pick it, or remove it."""
    s = lab.settings
    bits = example if isinstance(example, str) else example.bits
    item = document.createElement("li")
    item.setAttribute("data-testid", "example" if kind == "train" else "test-example")
    item.setAttribute("data-bits", bits)
    if bits == s.bits:
        item.className = "selected"
    pick = list_button("select", index, kind, "pick")
    pick.setAttribute("title", "Show this number in the views")
    code = document.createElement("span")
    code.className = "mono"
    code.textContent = bits
    detail = document.createElement("span")
    detail.className = "muted"
    target = (
        example.target
        if isinstance(example, ls.Example) and s.task == "custom"
        else (None if s.task == "custom" else ls.example_target(s, ls.Example(bits)))
    )
    detail.textContent = f"= {int(bits, 2)}" + (
        "" if target is None else f" → t = {views.fmt(target, 3)}"
    )
    pick.append(code, detail)
    remove = list_button("remove", index, kind, "remove")
    remove.textContent = "×"
    remove.setAttribute("aria-label", f"Remove {bits}")
    remove.setAttribute("data-testid", "remove-example" if kind == "train" else "remove-test")
    item.append(pick, remove)
    return item


def render_examples(lab: Lab) -> None:
    s = lab.settings
    key = f"{s.examples}|{s.test}|{s.bits}|{s.task}|{s.threshold}"
    container = element("examples")
    if container.getAttribute("data-key") == key:
        return
    container.setAttribute("data-key", key)
    rows = [example_row(lab, e, i, "train") for i, e in enumerate(s.examples[:2000])]
    container.replaceChildren(*rows)
    tests = element("test-examples")
    tests.replaceChildren(*[example_row(lab, b, i, "test") for i, b in enumerate(s.test[:2000])])
    set_text("train-count", str(len(s.examples)))
    set_text("test-count", str(len(s.test)))
    element("examples-empty").hidden = bool(s.examples)
    element("test-empty").hidden = bool(s.test)


def render_stats(lab: Lab) -> None:
    s = lab.settings
    set_text("epoch", str(lab.epoch))
    train, test = lab.training_pairs(), lab.test_pairs()
    net = lab.network
    set_text("loss", views.fmt(net.mean_cost(train)) if train else "–")
    set_text("test-loss", views.fmt(net.mean_cost(test)) if test else "–")
    classify = ls.is_classification(s.task)
    set_text("accuracy", f"{net.accuracy(train):.0%}" if classify and train else "–")
    set_text("test-accuracy", f"{net.accuracy(test):.0%}" if classify and test else "–")


def render_prediction(lab: Lab) -> None:
    s = lab.settings
    output = lab.network.forward(parse_bits(s.bits))[0]
    headline, detail = views.prediction_text(s.task, s.width, output, lab.current_target())
    node = element("prediction")
    node.setAttribute("data-output", repr(output))
    set_text("prediction", headline)
    set_text("prediction-detail", detail)


def render_diagram(lab: Lab) -> None:
    container = element("diagram")
    focused = document.activeElement
    focused_key = (
        focused.getAttribute("data-key") if focused and container.contains(focused) else None
    )
    container.innerHTML = views.diagram_svg(
        lab.network, parse_bits(lab.settings.bits), lab.selection, lab.current_target()
    )
    if lab.editing is None:  # e.g. the network was rebuilt: no weight left to edit
        element("weight-editor").hidden = True
    if focused_key:
        again = container.querySelector(f'[data-key="{focused_key}"]')
        if again:
            again.focus()


def render_math(lab: Lab) -> None:
    s = lab.settings
    layer, neuron = lab.math_neuron()
    single = views.is_single_neuron(lab.network)
    who = (
        "the neuron"
        if single
        else (
            "the output neuron"
            if layer == len(lab.network.layers) - 1
            else f"neuron {neuron + 1} of hidden layer {layer + 1}"
        )
    )
    if lab.last_step is not None:
        lines = lab.last_step
        heading = f"{who}: the step just made on {s.bits}"
    else:
        target = lab.current_target()
        if target is None:
            lab.network.forward(parse_bits(s.bits))
        else:
            lab.network.backprop(parse_bits(s.bits), [target])
        lines = views.neuron_math(lab.network, layer, neuron, target, s.learning_rate)
        heading = f"{who} on {s.bits}" + (
            "" if target is None else " (Δ: what one step would change)"
        )
    set_text("math-which", heading)
    container = element("math")
    container.replaceChildren()
    katex = getattr(window, "katex", None)
    for line in lines:
        node = document.createElement("div")
        if line.tex:
            node.className = "line"
            if katex:
                katex.render(
                    line.tex, node, js_object({"displayMode": True, "throwOnError": False})
                )
            else:
                node.textContent = line.tex
        else:
            node.className = "note"
            node.textContent = line.note
        container.appendChild(node)


def render_chart(lab: Lab) -> None:
    if lab.chart is None:
        chart_class = getattr(window, "Chart", None)
        if chart_class is None:
            return
        style = window.getComputedStyle(document.documentElement)
        text = style.getPropertyValue("--muted").strip() or "#666"
        grid = style.getPropertyValue("--border").strip() or "#ddd"
        positive = style.getPropertyValue("--positive").strip() or "#1f6fd1"
        negative = style.getPropertyValue("--negative").strip() or "#d0641f"
        config = {
            "type": "line",
            "data": {
                "datasets": [
                    {
                        "label": "training loss",
                        "data": [],
                        "borderColor": positive,
                        "backgroundColor": positive,
                        "pointRadius": 0,
                        "borderWidth": 2,
                    },
                    {
                        "label": "test loss",
                        "data": [],
                        "borderColor": negative,
                        "backgroundColor": negative,
                        "pointRadius": 0,
                        "borderWidth": 2,
                        "borderDash": [5, 4],
                    },
                ]
            },
            "options": {
                "animation": False,
                "responsive": True,
                "maintainAspectRatio": False,
                "parsing": False,
                "normalized": True,
                "scales": {
                    "x": {
                        "type": "linear",
                        "title": {"display": True, "text": "epoch", "color": text},
                        "ticks": {"color": text},
                        "grid": {"color": grid},
                    },
                    "y": {
                        "type": "linear",
                        "title": {"display": True, "text": "mean cost", "color": text},
                        "ticks": {"color": text},
                        "grid": {"color": grid},
                    },
                },
                "plugins": {"legend": {"labels": {"color": text, "boxHeight": 2}}},
            },
        }
        lab.chart = chart_class.new(element("chart"), js_object(config))
    scale = "logarithmic" if lab.settings.log_scale else "linear"
    chart = lab.chart
    chart.options.scales.y.type = scale
    for index, values in enumerate((lab.train_losses, lab.test_losses)):
        points = [
            {"x": epoch, "y": value}
            for epoch, value in views.downsample(values)
            if math.isfinite(value) and (scale == "linear" or value > 0)
        ]
        chart.data.datasets[index].data = js_object(points)
    chart.data.datasets[1].hidden = not lab.test_losses
    # One line needs no legend; with a test set, the legend tells the two apart.
    chart.options.plugins.legend.display = bool(lab.test_losses)
    chart.update("none")


def render_training_state(lab: Lab) -> None:
    element("train").disabled = lab.training
    element("pause").disabled = not lab.training
    element("train").textContent = "Training…" if lab.training else "Train"


# --- saving ----------------------------------------------------------------------------------


def state_for_saving(lab: Lab) -> ls.Settings:
    # Always the current weights, so hand-edited ones survive a reload too.
    weights = tuple(lab.network.parameters()) if lab.network.is_finite() else None
    return replace(lab.settings, weights=weights)


def save_state(lab: Lab) -> None:
    """Keep the settings in the URL (without weights) and everything in localStorage."""
    query = ls.encode_query(lab.settings)
    url = window.location.pathname + ("?" + query if query else "")
    window.history.replaceState(None, "", url)
    record = {
        "settings": ls.to_json(state_for_saving(lab)),
        "epoch": lab.epoch,
        "train_losses": lab.train_losses[-MAX_SAVED_LOSSES:],
        "test_losses": lab.test_losses[-MAX_SAVED_LOSSES:],
        "shuffle_state": lab.shuffle_rng.getstate(),
    }
    # Storage may be full or disabled (private mode): the lab works without it.
    with contextlib.suppress(Exception):
        window.localStorage.setItem(AUTOSAVE_KEY, json.dumps(record))


def saved_record() -> dict | None:
    """The autosave, or None if there is none or it is unreadable."""
    try:
        text = window.localStorage.getItem(AUTOSAVE_KEY)
        record = json.loads(text) if text else None
    except Exception:  # storage disabled, or not JSON
        return None
    return record if isinstance(record, dict) else None


def restore_saved(query: str) -> tuple[ls.Settings, list[str], dict]:
    """Settings from the URL, else from the autosave, else the defaults; and the saved run.

    A reload keeps the URL, so when the URL says what the autosave says, the autosave's
    weights, epoch count and loss history come back too.
    """
    record = saved_record()
    saved, saved_warnings = ls.from_json(record.get("settings", {})) if record else (None, [])
    if query.strip("?"):
        settings, warnings = ls.decode_query(query)
        if (
            saved is not None
            and ls.encode_query(replace(saved, weights=None))
            == ls.encode_query(replace(settings, weights=None))
            and settings.weights is None
        ):
            return saved, warnings, record
        return settings, warnings, {}
    if saved is not None:
        return saved, saved_warnings, record
    return ls.Settings(), [], {}


# --- input handlers ----------------------------------------------------------------------------


def handler(function):
    """Wrap an event handler: a RejectedInput/ValueError shows its message and changes nothing."""

    def run(event) -> None:
        target = getattr(event, "target", None)
        try:
            clear_error()
            result = function(event)
            if asyncio.iscoroutine(result):
                task = asyncio.ensure_future(result)
                task.add_done_callback(report_task_error)
                return
            set_notice("")
        except ValueError as error:
            show_error(str(error))
            if (
                target is not None
                and hasattr(target, "setAttribute")
                and target.tagName in ("INPUT", "SELECT")
            ):
                target.setAttribute("aria-invalid", "true")
            return
        save_state(LAB)
        render_all(LAB)

    return create_proxy(run)


def report_task_error(task) -> None:
    error = task.exception()
    if isinstance(error, ValueError):
        show_error(str(error))
        render_training_state(LAB)
    elif error is not None:
        show_error(f"Something went wrong: {error}")


def change_settings(**changes) -> None:
    LAB.settings = replace(LAB.settings, **changes)


def rebuild(**changes) -> None:
    """Apply settings that change the network's shape or first weights, then reset it."""
    change_settings(**changes, weights=None)
    LAB.reset_network()
    set_status(
        f"New {'neuron' if len(LAB.settings.layers) == 1 else 'network'} "
        f"from seed {LAB.settings.seed}."
    )


def on_width(event) -> None:
    width = ls.parse_width(event.target.value)
    if width == LAB.settings.width:
        return
    settings, note = ls.with_width(LAB.settings, width)
    LAB.settings = settings
    LAB.reset_network()
    set_status(note or f"Width is now {width} bits; the weights start again from the seed.")


def on_bits(event) -> None:
    change_settings(bits=ls.parse_bits(event.target.value, LAB.settings.width))
    LAB.last_step = None


def on_bit_toggle(event) -> None:
    index = event.target.getAttribute("data-index")
    if not index:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return
    i = int(index)
    bits = LAB.settings.bits
    change_settings(bits=bits[:i] + ("0" if bits[i] == "1" else "1") + bits[i + 1 :])
    LAB.last_step = None


def on_task(event) -> None:
    LAB.settings = ls.with_task(LAB.settings, ls.parse_task(event.target.value))
    LAB.last_step = None


def on_threshold(event) -> None:
    change_settings(threshold=ls.parse_threshold(event.target.value, LAB.settings.width))


def on_add_example(event) -> None:
    target_text = element("target").value if LAB.settings.task == "custom" else None
    bits_text = element("bits").value
    LAB.settings = ls.add_example(LAB.settings, bits_text, target_text)
    set_status(f"Added {LAB.settings.examples[-1].bits} to the training set.")


def on_add_test(event) -> None:
    LAB.settings = ls.add_test_example(LAB.settings, element("bits").value)
    set_status(f"Added {LAB.settings.test[-1]} to the test set.")


def on_add_all(event) -> None:
    LAB.settings = ls.add_all_examples(LAB.settings)
    set_status(f"The training set is now all {2**LAB.settings.width} numbers.")


def on_add_random(event) -> None:
    count = ls.parse_count(element("random-count").value, LAB.settings.width)
    rng = random.Random()
    LAB.settings, note = ls.add_random_examples(LAB.settings, count, rng)
    set_status(note or f"Added {count} random numbers to the training set.")


def on_add_random_test(event) -> None:
    count = ls.parse_count(element("random-test-count").value, LAB.settings.width)
    LAB.settings, note = ls.add_random_examples(LAB.settings, count, random.Random(), test=True)
    set_status(note or f"Added {count} random numbers to the test set.")


def on_clear(event) -> None:
    # "Clear both sets": ls.clear_examples keeps the test set, so clear that too.
    LAB.settings = ls.clear_test_examples(ls.clear_examples(LAB.settings))
    set_status("Both sets are empty.")


def on_list_click(event) -> None:
    button = event.target.closest("button")
    if not button:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return
    index = int(button.getAttribute("data-index"))
    kind = button.getAttribute("data-kind")
    s = LAB.settings
    if button.getAttribute("data-action") == "remove":
        if kind == "train":
            LAB.settings = ls.remove_example(s, index)
        else:
            LAB.settings = ls.remove_test_example(s, index)
    else:
        bits = s.examples[index].bits if kind == "train" else s.test[index]
        change_settings(bits=bits)
        LAB.last_step = None
        target = s.examples[index].target if kind == "train" else None
        if target is not None:  # custom task: ready to change it
            element("target").value = ls.format_float(target)


def on_set_target(event) -> None:
    """Custom task: change the target of the training number shown in `bits`."""
    s = LAB.settings
    index = next((i for i, e in enumerate(s.examples) if e.bits == s.bits), None)
    if index is None:
        raise RejectedInput(f"{s.bits} is not in the training set; add it with its target first.")
    LAB.settings = ls.set_example_target(s, index, element("target").value)
    LAB.last_step = None
    set_status(
        f"The target of {s.bits} is now {ls.format_float(LAB.settings.examples[index].target)}."
    )


def on_learning_rate(event) -> None:
    change_settings(learning_rate=ls.parse_learning_rate(event.target.value))


def on_epochs(event) -> None:
    change_settings(epochs=ls.parse_epochs(event.target.value))


def on_batch(event) -> None:
    change_settings(batch_size=ls.parse_batch_size(event.target.value))


def on_seed(event) -> None:
    seed = ls.parse_seed(event.target.value)
    if seed != LAB.settings.seed:
        rebuild(seed=seed)


def on_activation(event) -> None:
    rebuild(activation=ls.parse_activation(event.target.value), layer_activations=())


def on_activate_output(event) -> None:
    rebuild(activate_output=bool(event.target.checked))


def on_init(event) -> None:
    rebuild(init=ls.parse_init(event.target.value))


def on_layer_change(event) -> None:
    target = event.target
    layer = target.getAttribute("data-layer")
    if not layer:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return
    i = int(layer)
    s = LAB.settings
    if target.tagName == "SELECT":
        names = list(s.layer_activations or (s.activation,) * len(s.layers))
        names[i] = ls.parse_activation(target.value)
        rebuild(layer_activations=tuple(names))
    else:
        layers = list(s.layers)
        layers[i] = ls.parse_layer_size(target.value)
        LAB.settings = ls.with_layers(s, layers)
        rebuild()


def on_add_layer(event) -> None:
    s = LAB.settings
    if len(s.layers) - 1 >= ls.MAX_HIDDEN_LAYERS:
        raise RejectedInput(f"At most {ls.MAX_HIDDEN_LAYERS} hidden layers fit in this lab.")
    acts = s.layer_activations
    LAB.settings = ls.with_layers(s, (*s.layers[:-1], 4, s.layers[-1]))
    rebuild(layer_activations=(*acts[:-1], s.activation, acts[-1]) if acts else ())


def on_remove_layer(event) -> None:
    s = LAB.settings
    if len(s.layers) == 1:
        raise RejectedInput(
            "The model is already a single neuron: there is no hidden layer to remove."
        )
    acts = s.layer_activations
    LAB.settings = ls.with_layers(s, (*s.layers[:-2], s.layers[-1]))
    rebuild(layer_activations=(*acts[:-2], acts[-1]) if acts else ())


def on_log_scale(event) -> None:
    change_settings(log_scale=bool(event.target.checked))


def on_train(event):
    return LAB.train(LAB.settings.epochs)


def on_pause(event) -> None:
    LAB.pause_requested = True


def on_step(event) -> None:
    LAB.step_epoch()


def on_step_example(event) -> None:
    LAB.step_example()


def on_reset(event) -> None:
    LAB.reset_network()
    set_progress(0)
    set_status(f"Weights re-initialised from seed {LAB.settings.seed}.")


def on_preset(event) -> None:
    name = event.target.value
    if not name:
        return
    LAB.settings = ls.apply_preset(LAB.settings, name)
    LAB.reset_network()
    event.target.value = ""
    preset = ls.PRESETS[name]
    set_status(f"Loaded “{preset.label}”. {preset.description}")


# The diagram: pick a neuron (its math, its bias) or a weight (to change it).


def selection_from(node) -> views.Selection | None:
    group = node.closest("[data-key]") if node else None
    if not group:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return None
    layer, neuron, which = group.getAttribute("data-key").split("-")
    return views.Selection(int(layer), int(neuron), None if which == "b" else int(which))


def describe(selection: views.Selection) -> tuple[str, float]:
    neuron = LAB.network.layers[selection.layer].neurons[selection.neuron]
    if selection.input is None:
        name = views.bias_name(LAB.network, selection.layer, selection.neuron)
        return name, neuron.bias
    name = views.weight_name(LAB.network, selection.layer, selection.neuron, selection.input)
    return name, neuron.weight[selection.input]


def on_diagram_focus(event) -> None:
    selection = selection_from(event.target)
    if selection is None:
        return
    group = event.target.closest("[data-key]")
    set_text("diagram-info", group.getAttribute("aria-label") or "")


def open_editor(selection: views.Selection) -> None:
    LAB.editing = selection
    LAB.selection = views.Selection(selection.layer, selection.neuron)
    name, value = describe(selection)
    set_text("weight-label", f"New value for {name}")
    editor = element("weight-editor")
    editor.hidden = False
    field = element("weight-input")
    field.value = repr(value)
    field.focus()
    field.select()


def on_diagram_click(event) -> None:
    selection = selection_from(event.target)
    if selection is None:
        return
    open_editor(selection)
    LAB.last_step = None
    render_diagram(LAB)
    render_math(LAB)


def on_diagram_key(event) -> None:
    if event.key in ("Enter", " "):
        event.preventDefault()
        on_diagram_click(event)


def on_weight_submit(event) -> None:
    event.preventDefault()
    selection = LAB.editing
    if selection is None:
        return
    value = ls.parse_weight(element("weight-input").value)
    neuron = LAB.network.layers[selection.layer].neurons[selection.neuron]
    name, _ = describe(selection)
    if selection.input is None:
        neuron.bias = value
    else:
        neuron.weight[selection.input] = value
    LAB.last_step = None
    element("weight-editor").hidden = True
    LAB.editing = None
    set_status(f"Set {name} to {views.fmt(value)}; every view shows the new output.")


def on_weight_cancel(event) -> None:
    element("weight-editor").hidden = True
    LAB.editing = None


# --- share, embed, keep ----------------------------------------------------------------------


def page_url(settings: ls.Settings) -> str:
    """The address of this page with ``settings`` in its query."""
    query = ls.encode_query(settings)
    base = window.location.origin + window.location.pathname
    return base + ("?" + query if query else "")


def copy_text(text: str, what: str) -> None:
    """Copy to the clipboard; where that is not allowed (e.g. some iframes), say where it is."""

    def failed(_error) -> None:
        set_notice(f"Copying is not allowed here; select the {what} and copy it by hand: {text}")

    try:
        promise = window.navigator.clipboard.writeText(text)
        promise.then(
            create_proxy(lambda _: set_notice(f"Copied the {what}.")), create_proxy(failed)
        )
    except Exception as error:  # no clipboard API in this context
        failed(error)


def link_settings(lab: Lab) -> ls.Settings:
    """What a shared link holds: the settings, with the trained weights if asked for."""
    with_weights = element("link-weights").checked and lab.network.is_finite()
    return replace(lab.settings, weights=tuple(lab.network.parameters()) if with_weights else None)


def on_copy_link(event) -> None:
    url = page_url(link_settings(LAB))
    if len(url) > ls.MAX_QUERY_LENGTH:
        raise RejectedInput(
            "This data set is too large for a link; use Export to save it as a file instead."
        )
    copy_text(url, "link")


def embed_snippet(lab: Lab) -> str:
    hidden = tuple(node.value for node in document.querySelectorAll("#embed-hide input:checked"))
    settings = replace(link_settings(lab), embed=True, hide=hidden)
    return (
        f'<iframe src="{escape(page_url(settings))}" width="700" height="500" '
        'title="nn: train a neuron in your browser" style="border:0" loading="lazy"></iframe>'
    )


def on_embed_open(event) -> None:
    container = element("embed-hide")
    if not container.children.length:
        for name in ls.HIDEABLE:
            label = document.createElement("label")
            box = document.createElement("input")
            box.type = "checkbox"
            box.value = name
            box.checked = name in LAB.settings.hide
            label.appendChild(box)
            label.appendChild(document.createTextNode(" " + name))
            container.appendChild(label)
    element("embed-code").value = embed_snippet(LAB)
    element("embed-dialog").showModal()


def on_embed_options(event) -> None:
    element("embed-code").value = embed_snippet(LAB)


def on_embed_copy(event) -> None:
    copy_text(element("embed-code").value, "embed code")


def close_dialog(dialog_id: str):
    def close(event) -> None:
        element(dialog_id).close()

    return close


def export_record(lab: Lab) -> dict:
    """The lab as a JSON file: settings and data set, the network, the run so far."""
    if not lab.network.is_finite():
        raise RejectedInput("The weights are not finite numbers; Reset before exporting.")
    return {
        "format": EXPORT_FORMAT,
        "version": 1,
        "settings": ls.to_json(replace(lab.settings, weights=None)),
        "network": lab.network.to_dict(),
        "epoch": lab.epoch,
    }


def download(filename: str, text: str, mime: str) -> None:
    blob = window.Blob.new([text], js_object({"type": mime}))
    url = window.URL.createObjectURL(blob)
    link = document.createElement("a")
    link.href = url
    link.download = filename
    document.body.appendChild(link)
    link.click()
    link.remove()
    window.URL.revokeObjectURL(url)


def on_export(event) -> None:
    download("nn-lab.json", json.dumps(export_record(LAB), indent=1), "application/json")
    set_status("Exported the model and the data set to nn-lab.json.")


def read_import(text: str) -> tuple[ls.Settings, Network, int]:
    """Validate an exported file completely; ValueError saying why it can't be used."""
    if len(text) > ls.MAX_JSON_LENGTH:
        raise RejectedInput("That file is too large to be an nn lab export.")
    try:
        record = json.loads(text)
    except ValueError as error:
        raise RejectedInput(f"That file is not JSON ({error}).") from None
    if not isinstance(record, dict) or record.get("format") != EXPORT_FORMAT:
        raise RejectedInput(
            f'That file is not an nn lab export: it needs "format": "{EXPORT_FORMAT}".'
        )
    settings, warnings = ls.from_json(record.get("settings"))
    if warnings:
        raise RejectedInput("That file's settings are not valid: " + " ".join(warnings))
    try:
        network = Network.from_dict(record.get("network"))
    except (ValueError, TypeError, AttributeError) as error:
        raise RejectedInput(f"That file's network is not valid: {error}") from None
    expected = [settings.width, *settings.layers]
    if network.sizes != expected:
        raise RejectedInput(
            f"That file's network has layer sizes {network.sizes}, but its settings "
            f"describe {expected}."
        )
    epoch = record.get("epoch", 0)
    if not isinstance(epoch, int) or epoch < 0:
        raise RejectedInput("That file's epoch count is not a whole number.")
    return settings, network, epoch


async def import_file(file) -> None:
    text = await file.text()
    try:
        settings, network, epoch = read_import(text)
    except ValueError as error:
        show_error(str(error))
        return
    LAB.settings = settings
    LAB.reset_network()
    LAB.network = network
    LAB.epoch = epoch
    clear_error()
    set_status(f"Imported {file.name}: {len(settings.examples)} examples, epoch {epoch}.")
    save_state(LAB)
    render_all(LAB)


def on_import(event):
    files = event.target.files
    if not files.length:
        return None
    file = files.item(0)
    event.target.value = ""  # choosing the same file again fires change again
    return import_file(file)


def python_snippet(lab: Lab) -> str:
    """Python that rebuilds the trained model with nn, e.g. in a notebook."""
    s = lab.settings
    model = pprint.pformat(lab.network.to_dict(), indent=1, sort_dicts=False)
    examples = ", ".join(f'"{e.bits}"' for e in s.examples[:256])
    more = " (the first 256)" if len(s.examples) > 256 else ""
    return (
        f"# The model trained in the nn lab: {epoch_words(lab.epoch)}, task {s.task!r}.\n"
        "# pip install the nn project first, then run this in a notebook or a script.\n"
        "from nn import Network, parse_bits\n\n"
        f"network = Network.from_dict({model})\n\n"
        f"# The training numbers{more}:\n"
        f"examples = [{examples}]\n"
        "for bits in examples:\n"
        "    y = network.forward(parse_bits(bits))[0]\n"
        '    print(bits, "->", y)\n'
    )


def epoch_words(epoch: int) -> str:
    return f"{epoch} epoch{'s' if epoch != 1 else ''}"


def on_export_python(event) -> None:
    if not LAB.network.is_finite():
        raise RejectedInput("The weights are not finite numbers; Reset before exporting.")
    element("python-code").value = python_snippet(LAB)
    element("python-dialog").showModal()


def on_python_copy(event) -> None:
    copy_text(element("python-code").value, "Python code")


# --- start-up --------------------------------------------------------------------------------


def bind(selector: str, event: str, function) -> None:
    for node in document.querySelectorAll(selector):
        node.addEventListener(event, handler(function))


def fill_presets() -> None:
    select = element("preset")
    for name, (label, _description, _changes) in ls.PRESETS.items():
        option = document.createElement("option")
        option.value = name
        option.textContent = label
        select.appendChild(option)


def apply_page_options(settings: ls.Settings) -> None:
    root = document.documentElement
    if settings.embed:
        root.setAttribute("data-embed", "true")
    for name in settings.hide:
        for node in document.querySelectorAll(f'[data-control="{name}"]'):
            node.setAttribute("data-hidden", "true")


def start() -> None:
    global LAB
    settings, warnings, run = restore_saved(window.location.search)
    LAB = Lab(settings, warnings)
    if settings.weights is not None and run:
        LAB.restore_run(run)
    fill_presets()
    apply_page_options(settings)

    bind("#width", "change", on_width)
    bind("#bits", "change", on_bits)
    bind("#bit-toggles", "click", on_bit_toggle)
    bind("#task", "change", on_task)
    bind("#threshold", "change", on_threshold)
    bind("#add-example", "click", on_add_example)
    bind("#set-target", "click", on_set_target)
    bind("#add-test", "click", on_add_test)
    bind("#add-all", "click", on_add_all)
    bind("#add-random", "click", on_add_random)
    bind("#add-random-test", "click", on_add_random_test)
    bind("#clear-examples", "click", on_clear)
    bind("#examples, #test-examples", "click", on_list_click)
    bind("#learning-rate", "change", on_learning_rate)
    bind("#epochs", "change", on_epochs)
    bind("#batch", "change", on_batch)
    bind("#seed", "change", on_seed)
    bind("#activation", "change", on_activation)
    bind("#activate-output", "change", on_activate_output)
    bind("#init", "change", on_init)
    bind("#layer-sizes", "change", on_layer_change)
    bind("#add-layer", "click", on_add_layer)
    bind("#remove-layer", "click", on_remove_layer)
    bind("#log-scale", "change", on_log_scale)
    bind("#train", "click", on_train)
    bind("#pause", "click", on_pause)
    bind("#step", "click", on_step)
    bind("#step-example", "click", on_step_example)
    bind("#reset", "click", on_reset)
    bind("#preset", "change", on_preset)
    bind("#weight-editor", "submit", on_weight_submit)
    bind("#copy-link", "click", on_copy_link)
    bind("#embed-open", "click", on_embed_open)
    bind("#embed-hide", "change", on_embed_options)
    bind("#embed-copy", "click", on_embed_copy)
    bind("#embed-close", "click", close_dialog("embed-dialog"))
    bind("#export-json", "click", on_export)
    bind("#import-json", "change", on_import)
    bind("#export-python", "click", on_export_python)
    bind("#python-copy", "click", on_python_copy)
    bind("#python-close", "click", close_dialog("python-dialog"))
    bind("#weight-cancel", "click", on_weight_cancel)
    diagram = element("diagram")
    diagram.addEventListener("focusin", create_proxy(on_diagram_focus))
    diagram.addEventListener("mouseover", create_proxy(on_diagram_focus))
    bind("#diagram", "click", on_diagram_click)
    bind("#diagram", "keydown", on_diagram_key)

    render_all(LAB)
    if LAB.startup_warnings:
        set_notice("Some settings in the link were ignored: " + " ".join(LAB.startup_warnings))
    set_text("python-version", sys.version.split()[0])
    for node in document.querySelectorAll(
        "fieldset.controls, .header-tools button, .header-tools input, #preset, #log-scale"
    ):
        node.disabled = False
    render_training_state(LAB)
    document.documentElement.setAttribute("data-ready", "true")


LAB: Lab
start()
