"""Drawing the controls: every setting shown in its field, the bits, the layers, the data set.

The option lists of the selects come from ``nn``'s registries (tasks, activations,
initialisations), so a new entry there appears here with nothing else to edit.
"""

from __future__ import annotations

from core.edits import example_targets
from core.fields import FIELDS
from core.i18n import shown_number, t
from core.inputs import MAX_HIDDEN_LAYERS, MAX_LAYER_SIZE, SPEEDS, format_float
from core.names import name as name_of
from core.names import options
from core.optimizer_fields import HYPERPARAMETERS, optimizer_notes
from core.presets import PRESETS
from core.readouts import targets_text
from core.settings import Settings, context_of, layer_activation_names
from core.values import TrainingNumber
from pyscript import document

from nn import ACTIVATIONS, COSTS, INITIALIZERS, LAB_TASKS, OPTIMIZERS, get_task
from page import language
from page.app import App
from page.dom import element, fill_select, make, set_text, set_value

MAX_LISTED = 512  # rows drawn per list: a larger set is counted, its rest in one line


def activation_options() -> list[tuple[str, str]]:
    return options("activation", ACTIVATIONS)


def fill_options() -> None:
    """The selects' options, from nn's registries and the presets (``core.names``: in the
    page's language), and the languages."""
    fill_select("task", options("task", LAB_TASKS, ".label"))
    fill_select("cost", options("cost", COSTS, ".label"))
    fill_select("activation", activation_options())
    fill_select("init", options("init", INITIALIZERS))
    fill_select("optimizer", options("optimizer", OPTIMIZERS, ".label"))
    fill_select("speed", options("speed", SPEEDS))
    fill_select("preset", [("", name_of("preset.choose")), *options("preset", PRESETS)])
    language.fill_menu()
    element("bits-decimal").setAttribute("data-stale", t("controls.still_in_use"))


def render_settings(app: App) -> None:
    s = app.lab.settings
    for field in FIELDS:  # each control shows its setting as a link writes it
        if field.control:
            text = field.format(getattr(s, field.name))
            set_value(field.control, shown_number(text) if field.format is format_float else text)
    render_optimizer(s)
    element("threshold").max = 2**s.width - 1
    element("threshold-field").hidden = not get_task(s.task).uses_threshold
    element("k-field").hidden = not LAB_TASKS[s.task].uses_k
    element("noise-field").hidden = not LAB_TASKS[s.task].is_classification
    element("target-field").hidden = not get_task(s.task).typed_targets
    shown_is_example = any(e.bits == s.bits for e in s.examples)
    element("set-target").hidden = not get_task(s.task).typed_targets or not shown_is_example
    element("activate-output").checked = s.activate_output
    # softmax reads the output neurons' z: their activation does not apply
    element("activate-output").disabled = COSTS[s.cost].softmax
    cost_help = name_of(f"cost.{s.cost}.help")
    set_text("cost-help", cost_help)  # what the cost is for, read with the select
    element("cost").title = cost_help
    element("log-scale").checked = s.log_scale
    set_text("all-count", str(2**s.width))
    element("random-count").max = 2**s.width
    set_text("task-help", name_of(f"task.{s.task}.description"))
    # While the number field holds refused text, its value and bits are those still in use.
    stale = element("bits").getAttribute("aria-invalid") == "true"
    set_text("bits-decimal", f"= {int(s.bits, 2)}")  # marked "(still in use)" by the stale class
    for node_id in ("bits-decimal", "bit-toggles"):
        element(node_id).classList.toggle("stale", stale)
    set_text("prediction-bits", s.bits)
    render_bit_toggles(s)
    render_layers(s)


def render_optimizer(s: Settings) -> None:
    """The optimizer's hyperparameter fields (only its own), and what it does or why, with a
    step activation, nothing learns."""
    optimizer = OPTIMIZERS[s.optimizer]
    own = {h.name for h in optimizer.hyperparameters}
    for name in HYPERPARAMETERS:
        element(f"{name}-field").hidden = name not in own
    notes = optimizer_notes(s.optimizer, context_of(s))
    set_text("optimizer-help", " ".join(notes) or name_of(f"optimizer.{s.optimizer}.help"))
    element("optimizer-help").classList.toggle("warning", bool(notes))


def render_bit_toggles(s: Settings) -> None:
    container = element("bit-toggles")
    if container.children.length != s.width:
        container.replaceChildren(
            *[
                make("button", type="button", data_index=str(i), data_testid=f"bit-{i}")
                for i in range(s.width)
            ]
        )
    buttons = container.children
    for i, bit in enumerate(s.bits):
        button = buttons.item(i)
        if button.textContent != bit:
            button.textContent = bit
        button.setAttribute("aria-pressed", "true" if bit == "1" else "false")
        button.setAttribute(
            "aria-label", t("controls.bit", i=i + 1, worth=2 ** (s.width - 1 - i), bit=bit)
        )


def render_layers(s: Settings) -> None:
    hidden = s.layers[:-1]
    sizes = "-".join(map(str, [s.width, *s.layers]))
    single = not hidden and s.layers[-1] == 1
    set_text(
        "model-kind", t("controls.one_neuron") if single else t("controls.network", sizes=sizes)
    )
    element("add-layer").disabled = len(hidden) >= MAX_HIDDEN_LAYERS
    element("remove-layer").disabled = not hidden
    container = element("layer-sizes")
    wanted = f"{s.layers}|{s.layer_activations}|{s.activation}|{s.cost}"
    if container.getAttribute("data-shape") == wanted:
        # Same shape: show the kept sizes again (a rejected size stays until the next action).
        for i, size in enumerate(hidden):
            set_value(f"layer-size-{i}", str(size))
        return
    container.setAttribute("data-shape", wanted)
    activations = layer_activation_names(s)
    boxes = [layer_box(i, size, activations[i]) for i, size in enumerate(hidden)]
    outputs = s.layers[-1]
    softmax = "_softmax" if COSTS[s.cost].softmax else ""
    output = t(f"controls.output_classes{softmax}", n=outputs) if outputs > 1 else ""
    output = output or t("controls.output_one")
    container.replaceChildren(*boxes, make("div", output, "layer"))


def layer_box(i: int, size: int, activation: str):
    """One hidden layer's controls: its size and its activation."""
    size_id, act_id = f"layer-size-{i}", f"layer-activation-{i}"
    size_label = make("label", t("controls.hidden", i=i + 1), **{"for": size_id})
    size_input = make("input", id=size_id, type="number", data_testid=size_id, data_layer=str(i))
    size_input.min, size_input.max, size_input.value = 1, MAX_LAYER_SIZE, str(size)
    act_label = make("label", t("controls.hidden_activation", i=i + 1), "visually-hidden")
    act_label.htmlFor = act_id
    select = make("select", id=act_id, data_testid=act_id, data_layer=str(i))
    select.replaceChildren(*[make("option", label, value=v) for v, label in activation_options()])
    select.value = activation
    box = make("div", class_name="layer")
    box.append(size_label, size_input, act_label, select)
    return box


def example_row(s: Settings, example: TrainingNumber | str, index: int, kind: str):
    """One row of the training (kind "train") or test list: pick it, or remove it."""
    bits = example if isinstance(example, str) else example.bits
    item = make("li", data_testid="example" if kind == "train" else "test-example", data_bits=bits)
    if bits == s.bits:
        item.className = "selected"
    data = {"data_index": str(index), "data_kind": kind}
    pick = make("button", "", "pick", type="button", data_action="select", **data)
    pick.setAttribute("title", t("controls.show_number"))
    targets = None
    if not get_task(s.task).typed_targets:
        targets = example_targets(s, TrainingNumber(bits))
    elif isinstance(example, TrainingNumber) and example.target is not None:
        targets = [example.target]
    detail = f"= {int(bits, 2)}" + (
        "" if targets is None else f" → {targets_text(s.task, targets)}"
    )
    pick.append(make("span", bits, "mono"), make("span", detail, "muted"))
    remove = make("button", "×", "remove", type="button", data_action="remove", **data)
    remove.setAttribute("aria-label", t("controls.remove", bits=bits))
    remove.setAttribute("data-testid", "remove-example" if kind == "train" else "remove-test")
    item.append(pick, remove)
    return item


def example_rows(
    s: Settings, examples: tuple[TrainingNumber, ...] | tuple[str, ...], kind: str
) -> list:
    """The rows of a list: its first ``MAX_LISTED`` examples, then how many more there are
    (each listed row is ~5 elements the browser walks again whenever it paints the page)."""
    rows = [example_row(s, e, i, kind) for i, e in enumerate(examples[:MAX_LISTED])]
    if len(examples) > MAX_LISTED:
        rest = len(examples) - MAX_LISTED
        words = "controls.more_trained" if kind == "train" else "controls.more_tested"
        rows.append(make("li", t(words, n=f"{rest:,}"), "more"))
    return rows


def render_examples(app: App) -> None:
    s = app.lab.settings
    # Settings are immutable: the same tuples mean the same lists (ids and ends, not a hash of
    # every example, so that a redraw stays cheap with 65,536 of them).
    ends = (s.examples[:1], s.examples[-1:], s.test[:1], s.test[-1:])
    key = f"{id(s.examples)}|{id(s.test)}|{ends}|{s.bits}|{s.task}|{s.threshold}|{s.k}"
    container = element("examples")
    if container.getAttribute("data-key") == key:
        return
    container.setAttribute("data-key", key)
    container.replaceChildren(*example_rows(s, s.examples, "train"))
    element("test-examples").replaceChildren(*example_rows(s, s.test, "test"))
    set_text("train-count", str(len(s.examples)))
    set_text("test-count", str(len(s.test)))
    element("examples-empty").hidden = bool(s.examples)
    element("test-empty").hidden = bool(s.test)


def apply_page_options(s: Settings) -> None:
    """Embedded layout and hidden controls, from the link."""
    root = document.documentElement
    if s.embed:
        root.setAttribute("data-embed", "true")
        root.setAttribute("data-tab", "model")
    if s.rewind:  # the embedder chose to show the history slider
        root.setAttribute("data-rewind", "true")
    for name in s.hide:
        for node in document.querySelectorAll(f'[data-control="{name}"]'):
            node.setAttribute("data-hidden", "true")
