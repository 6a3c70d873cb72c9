"""Drawing what the model does: the stats, the prediction, the diagram and the math.

The diagram and the math read one traced copy of the network (``controller.trace``), made once
per redraw: drawing never changes the model, and the order of drawing does not matter.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from html import escape

from core.controller import Lab, trace
from core.diagram import assemble, diagram_parts, is_single_neuron
from core.formats import fmt
from core.i18n import t
from core.mathpanel import neuron_math
from core.readouts import (
    class_output_rows,
    class_prediction,
    confusion_html,
    output_rows,
    prediction_text,
    probability_bars_html,
    winner,
)
from pyscript import document, window

from nn import Network, parse_bits
from page import code_panel
from page.app import NEW_TURN, App, Steps
from page.dom import element, js_object, set_text, show_error

MEASURE_NOW = 4096  # examples measured at once for the stats; more wait for a training run


MAX_ROWS = 64  # rows of the outputs table per set; more are counted, not listed
BIG_PART = 16_000  # characters of a part of the diagram drawn in a turn of its own (8-8-1's
# first layer of edges is ~26,000, 16-16-16-1's ~65,000 each; one neuron's ~3,000)
ROWS_PER_STEP = 16  # outputs computed in one step of drawing


def model_steps(app: App) -> Steps:
    """The stats, the prediction, the diagram, the math and the outputs table, from one
    trace of the network for the number shown, in steps of a few ms: a caller may let the
    browser in between (training does, so that no drawing holds the page for long)."""
    lab = app.lab
    targets = lab.current_targets()
    traced = traced_network(app, targets)
    yield
    render_prediction(lab, traced, targets)
    x, backward = parse_bits(lab.settings.bits), targets is not None
    parts = []
    for part in diagram_parts(traced, x, lab.selection, backward):
        parts.append(part)
        yield
    yield from diagram_steps(app, parts)
    if app.ready:  # the first view is shown without the math: main.after_ready draws it next
        yield from math_steps(lab, traced, targets)
    yield
    yield from outputs_steps(lab)
    render_confusion(lab)
    render_hint(app)


def traced_network(app: App, targets: list[float] | None) -> Network:
    """A traced copy of the network on the number shown, and the stats drawn (the learner's
    code, if in use, was checked on both first: ``settle_code``)."""
    lab = app.lab
    traced = trace(lab.network, parse_bits(lab.settings.bits), targets)
    render_stats(lab)
    return traced


def settle_code(app: App) -> None:
    """Before drawing: where the learner's code fails on the number shown (or the stats'
    data), the lab goes back to the library's code, and the page says why."""
    problem = app.lab.fall_back_if_code_fails(max_examples=MEASURE_NOW)
    if problem is None:
        return
    code_panel.in_use(app)
    app.code_problem(app, problem)
    show_error(t("view.code_failed", problem=problem.text))


def render_confusion(lab: Lab) -> None:
    """The confusion matrices of the training and test sets, for the classification tasks."""
    stats = lab.stats(max_examples=MEASURE_NOW)
    matrices = (
        []
        if stats is None
        else [
            (kind, matrix, caption)
            for kind, matrix, caption in (
                ("train", stats.confusion, t("view.confusion.train")),
                ("test", stats.test_confusion, t("view.confusion.test")),
            )
            if matrix is not None
        ]
    )
    element("confusion-box").hidden = not matrices
    set_html("confusion", "".join(confusion_html(m, kind, cap) for kind, m, cap in matrices))


def outputs_steps(lab: Lab) -> Iterator[None]:
    """One row per training and test number: output, decoded prediction, target, right?

    Written as one string of HTML (every piece escaped; all are numbers and bits the lab
    made), set once: a hundred rows built node by node from Python cost tens of ms. The
    outputs are computed ``ROWS_PER_STEP`` at a time (a step each: a big network takes
    milliseconds per number)."""
    s = lab.settings
    train, test = lab.examples()
    network = lab.network
    rows, more = [], 0
    set_names = {"train": t("view.set.train"), "test": t("view.set.test")}
    verdicts = {c: escape(t(f"view.verdict.{c}")) for c in ("right", "wrong")}
    for kind, pairs in (("train", train), ("test", test)):  # custom: no test pairs, no rows
        shown = pairs[:MAX_ROWS]
        more += len(pairs) - len(shown)
        outputs = []
        for start in range(0, len(shown), ROWS_PER_STEP):
            if start:
                yield
            outputs += [network.forward(x) for x, _ in shown[start : start + ROWS_PER_STEP]]
        if network.sizes[-1] > 1:
            cells_of = class_output_rows(outputs, [t for _, t in shown])
        else:
            targets = [t[0] for _, t in shown]
            cells_of = output_rows(s.task, s.width, [y[0] for y in outputs], targets)
        for (x, _), cells in zip(shown, cells_of, strict=True):
            bits = "".join(str(bit) for bit in x)
            tds = "".join(
                f'<td class="{c}" title="{verdicts[c]}" aria-label="{verdicts[c]}">'
                f"{escape(text)}</td>"
                if c
                else f"<td>{escape(text)}</td>"
                for text, c in cells
            )
            rows.append(
                f'<tr data-set="{kind}" data-bits="{escape(bits)}"><td class="mono">'
                f"{escape(bits)}</td><td>{escape(set_names[kind])}</td>{tds}</tr>"
            )
    set_html("outputs-body", "".join(rows))
    set_text("outputs-more", t("view.outputs_more", n=more) if more else "")


def render_hint(app: App) -> None:
    hint = app.hint
    element("hint").hidden = hint is None
    if hint is not None:
        set_text("hint-text", hint.text)
        set_text("hint-apply", hint.button)


def render_stats(lab: Lab) -> None:
    set_text("epoch", str(lab.epoch))
    set_text("steps", str(lab.steps))
    stats = lab.stats(max_examples=MEASURE_NOW)
    waiting = "…" if lab.settings.examples else "–"

    def shown(value: float | None, percent: bool = False) -> str:
        if value is None:
            return "–" if stats is not None else waiting
        return f"{value:.0%}" if percent else fmt(value)

    set_text("loss", shown(stats and stats.loss))
    set_text("test-loss", shown(stats and stats.test_loss))
    set_text("accuracy", shown(stats and stats.accuracy, percent=True))
    set_text("test-accuracy", shown(stats and stats.test_accuracy, percent=True))
    for stat in ("loss", "test-loss", "accuracy", "test-accuracy", "steps"):
        node = element(stat)  # the compact embedded layout leaves out what says nothing
        empty = node.textContent in ("–", "0")
        node.parentElement.setAttribute("data-empty", "true" if empty else "false")


def render_prediction(lab: Lab, traced: Network, targets: list[float] | None) -> None:
    """The prediction for the number shown: ``data-output`` holds the output y (one output)
    or the winning class (several), ``data-outputs`` every output as a JSON list."""
    s = lab.settings
    outputs = list(traced.layers[-1].y)
    node, probs = element("prediction"), element("prediction-probs")
    node.setAttribute(
        "data-outputs", json.dumps([y if math.isfinite(y) else None for y in outputs])
    )
    if len(outputs) == 1:
        headline, detail = prediction_text(s.task, s.width, outputs[0], targets and targets[0])
        node.setAttribute("data-output", repr(outputs[0]))
        probs.hidden = True
    else:
        softmax = traced.cost.softmax
        headline, detail, bars = class_prediction(outputs, targets, softmax)
        best = winner(outputs)
        node.setAttribute("data-output", "" if best is None else str(best))
        probs.hidden = not bars
        set_html("prediction-probs", probability_bars_html(bars, best, softmax))
    set_text("prediction", headline)
    set_text("prediction-detail", detail)


def diagram_steps(app: App, parts: list[tuple[str, str]]) -> Steps:
    """The diagram (``diagram.diagram_parts``) in place, keeping the focus where it was.

    A new layout (another shape of network, the first drawing) is drawn whole. Otherwise each
    part that changed is replaced, a step each: 16-16-16-1 is ~2,400 SVG elements, which the
    browser takes ~100 ms to build and draw at once, a few tens of ms a layer. A big part
    (``BIG_PART`` characters) is followed by a turn of the browser (``NEW_TURN``) for drawing
    it alone: two such layers drawn in one frame made long tasks."""
    container = element("diagram")
    edited_key, app.focus_key = app.focus_key, None  # a weight just set by hand
    shape = str(hash((parts[0][1], *(name for name, _ in parts))))
    if container.getAttribute("data-shape") != shape:  # the new layout, then its parts at once
        key = focused_key(container)
        container.innerHTML = assemble([parts[0], *((name, "") for name, _ in parts[1:])])
        container.setAttribute("data-shape", shape)
        for name, markup in parts[1:]:
            replace_html(container.querySelector(f'g[data-part="{name}"]'), markup)
        refocus(container, key)
    else:
        for name, markup in parts[1:]:
            key = focused_key(container)  # read again each step: the learner may have moved
            if replace_html(container.querySelector(f'g[data-part="{name}"]'), markup):
                refocus(container, key)
                yield NEW_TURN if len(markup) > BIG_PART else None
    if app.editing is None:  # e.g. the network was rebuilt: no weight left to edit
        element("weight-editor").hidden = True
    caption_follows(container)
    if edited_key:  # back to the weight just set (the caption says its new value)
        again = container.querySelector(f'[data-key="{edited_key}"]')
        if again:
            again.focus()


def caption_follows(container) -> None:
    """The caption under the diagram says the value of the weight it names as it is now, or
    goes back to its help when that weight is gone (another network)."""
    info = element("diagram-info")
    key = info.getAttribute("data-key")
    if not key:
        return
    node = container.querySelector(f'[data-key="{key}"]')
    if node:
        from page.diagram_events import caption

        set_text("diagram-info", caption(node.getAttribute("aria-label") or "", info))
    else:
        info.removeAttribute("data-key")
        set_text("diagram-info", info.getAttribute("data-default") or "")


def focused_key(container) -> str | None:
    """The ``data-key`` of the diagram's element that has the focus, if one has."""
    focused = document.activeElement
    return focused.getAttribute("data-key") if focused and container.contains(focused) else None


def refocus(container, key: str | None) -> None:
    """Focus back on the diagram's element ``key`` if a redraw took the focus from it (and so
    left it on the page's body: focus the learner moved elsewhere meanwhile stays there)."""
    active = document.activeElement
    if key and (not active or active.tagName == "BODY"):
        again = container.querySelector(f'[data-key="{key}"]')
        if again:
            again.focus()


def math_neuron(lab: Lab) -> tuple[int, int]:
    """The neuron whose math is shown: the one picked in the diagram, else the output."""
    if lab.selection is not None:
        return lab.selection.layer, lab.selection.neuron
    targets = lab.current_targets() if lab.network.sizes[-1] > 1 else None
    # several outputs: the neuron of the number's class, whose y should go to 1
    return len(lab.network.layers) - 1, (targets.index(1.0) if targets and 1.0 in targets else 0)


def math_steps(lab: Lab, traced: Network, target: list[float] | None) -> Iterator[None]:
    """The math of the neuron picked (else the output neuron) on the number shown, a line
    per step where lines changed."""
    s = lab.settings
    layer, neuron = math_neuron(lab)
    if is_single_neuron(lab.network):
        who = t("math.who.neuron")
    elif layer == len(lab.network.layers) - 1 and lab.network.sizes[-1] > 1:
        who = t("math.who.output_class", neuron=neuron + 1, cls=neuron)
    elif layer == len(lab.network.layers) - 1:
        who = t("math.who.output")
    else:
        who = t("math.who.hidden", neuron=neuron + 1, layer=layer + 1)
    if lab.last_step is not None:
        lines = neuron_math(lab.last_step, layer, neuron, target, s.learning_rate)
        heading = t("math.heading.step", who=who, bits=s.bits)
    else:
        lines = neuron_math(traced, layer, neuron, target, s.learning_rate)
        heading = t(
            "math.heading" if target is None else "math.heading.delta", who=who, bits=s.bits
        )
    set_text("math-which", heading)
    katex = getattr(window, "katex", None)
    container = element("math")
    key = str(hash((tuple(lines), bool(katex))))
    if container.getAttribute("data-tex") == key:
        return  # the same lines: typesetting them again would cost milliseconds
    # Line by line, each replaced only if it changed and a step of its own: laying out a
    # whole panel of KaTeX at once holds the page for tens of ms.
    children = container.children
    for index, line in enumerate(lines):
        if not line.tex:
            kind, html = "note", escape(line.note)
        elif katex:  # KaTeX's HTML of our own TeX (numbers and symbols only)
            kind, html = "line", katex.renderToString(line.tex, katex_options())
        else:
            kind, html = "line", escape(line.tex)
        node = children.item(index)
        if not node:  # JavaScript's null
            node = document.createElement("div")
            container.append(node)
        node.className = kind
        if replace_html(node, html):
            yield
    while container.children.length > len(lines):
        container.lastElementChild.remove()
    container.setAttribute("data-tex", key)


_KATEX_OPTIONS: list = []  # made once: converting options on every line costs time


def katex_options():
    """Inline mode: long lines break after = and + instead of being cut off."""
    if not _KATEX_OPTIONS:
        _KATEX_OPTIONS.append(js_object({"displayMode": False, "throwOnError": False}))
    return _KATEX_OPTIONS[0]


def set_html(element_id: str, html: str) -> None:
    """Replace an element's content with HTML the lab made, only when it changed."""
    replace_html(element(element_id), html)


def replace_html(node, html: str) -> bool:
    """``node``'s content replaced with HTML the lab made, if it changed; whether it did."""
    drawn = str(hash(html))
    if node.getAttribute("data-drawn") == drawn:
        return False
    node.innerHTML = html
    node.setAttribute("data-drawn", drawn)
    return True


def render_training_state(lab: Lab) -> None:
    run = lab.run
    training = lab.training
    paused = run is not None and not run.finished and run.stop_requested and run.fits(lab)
    element("train").disabled = training
    element("pause").disabled = not training
    words = "button.training" if training else "button.resume" if paused else "html.button.train"
    element("train").textContent = t(words)
