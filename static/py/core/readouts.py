"""The readouts of the model's output: the prediction decoded for the task, the outputs
table's rows, each class's bar and the confusion matrix, and the loss history thinned out for
the chart. Pure functions, tested in CPython."""

from __future__ import annotations

import math
from collections.abc import Sequence

from core.formats import compact, fmt
from core.i18n import decimal, shown_number, t
from nn import get_task


def prediction_text(task: str, width: int, output: float, target: float | None) -> tuple[str, str]:
    """(headline, detail) for the model's output on one number, decoded for the task.

    value: output × (2^width − 1), e.g. ("5.28", "target 5"); 0/1 tasks: the class and
    its confidence; custom: the raw output.
    """
    if not math.isfinite(output):
        return t("view.diverged"), t("view.not_finite")
    if get_task(task).reads_as_number:
        scale = 2**width - 1
        shown = "" if target is None else fmt(target * scale, 2)
        if decimal() in shown:  # 5.00 -> 5; but 0 stays 0
            shown = shown.rstrip("0").rstrip(decimal())
        detail = "" if target is None else t("view.target", target=shown)
        return compact(output * scale), detail
    if get_task(task).typed_targets:
        return fmt(output), "" if target is None else t("view.target", target=fmt(target))
    label = 1 if output >= 0.5 else 0
    confidence = output if label else 1 - output
    confidence = min(max(confidence, 0.0), 1.0)
    detail = t("view.confident", pct=f"{confidence:.0%}", output=fmt(output))
    if target is not None:
        detail += t("view.and_target", target=round(target))
    return str(label), detail


def downsample(values: Sequence[float], max_points: int = 400) -> list[tuple[int, float]]:
    """(epoch, value) pairs for a chart: every point when few, evenly spaced when many.

    Epochs are 1-based; the last epoch is always included.
    """
    count = len(values)
    if count <= max_points:
        return [(i + 1, values[i]) for i in range(count)]
    step = count / max_points
    indices = sorted({int(k * step) for k in range(max_points)} | {count - 1})
    return [(i + 1, values[i]) for i in indices]


def target_text(task: str, target: float) -> str:
    """A target as the page writes it everywhere: 0 or 1 for the 0/1 tasks, else 3 decimals."""
    if not get_task(task).is_classification:
        return shown_number(f"{target:.3f}")
    return str(round(target))


def output_rows(
    task: str, width: int, outputs: Sequence[float], targets: Sequence[float]
) -> list[list[tuple[str, str]]]:
    """For the outputs table, per number: (text, class) cells for the output y, the decoded
    prediction, the target and whether the prediction is right."""
    rows = []
    for y, target in zip(outputs, targets, strict=True):
        if not math.isfinite(y):
            rows.append(
                [(fmt(y), ""), (t("view.diverged"), ""), (target_text(task, target), ""), ("–", "")]
            )
            continue
        if get_task(task).reads_as_number:
            scale = 2**width - 1
            right = round(y * scale) == round(target * scale)
            prediction = compact(y * scale)
        elif get_task(task).typed_targets:
            right = abs(y - target) < 0.05
            prediction = fmt(y, 3)
        else:
            right = (y >= 0.5) == (target >= 0.5)
            prediction = str(int(y >= 0.5))
        verdict = ("✓", "right") if right else ("✗", "wrong")
        rows.append([(fmt(y), ""), (prediction, ""), (target_text(task, target), ""), verdict])
    return rows


# ---------------------------------------------------------------- several outputs, one per class


def targets_text(task: str, targets: Sequence[float]) -> str:
    """The target as the lists write it: "t = 0.161" for one output, "class 3" for a one-hot
    target of several."""
    if len(targets) == 1:
        return f"t = {target_text(task, targets[0])}"
    return t("view.class", cls=list(targets).index(1.0))


def winner(outputs: Sequence[float]) -> int | None:
    """The class the outputs name: the index of the largest (None if one is not finite)."""
    if not all(math.isfinite(y) for y in outputs):
        return None
    return max(range(len(outputs)), key=outputs.__getitem__)


def class_prediction(
    outputs: Sequence[float], targets: Sequence[float] | None, softmax: bool
) -> tuple[str, str, list[tuple[str, float]]]:
    """(headline, detail, bars) for a network with one output per class.

    The headline is the winning class; the detail its probability (softmax) or output, and
    the target's class; bars list each class with its probability or output y."""
    best = winner(outputs)
    if best is None:
        return t("view.diverged"), t("view.class_not_finite"), []
    words = "view.class_probability" if softmax else "view.class_output"
    detail = t(words, cls=best, value=fmt(outputs[best], 3))
    if targets is not None:
        detail += t("view.target_class", cls=list(targets).index(1.0))
    bars = [(str(c), y) for c, y in enumerate(outputs)]
    return str(best), detail, bars


def probability_bars_html(
    bars: Sequence[tuple[str, float]], best: int | None, softmax: bool
) -> str:
    """Each class's probability (or output) as a labelled bar, the winner marked."""
    word = "probability" if softmax else "output"
    items = []
    for c, (label, y) in enumerate(bars):
        width = max(0.0, min(1.0, y)) * 100
        mark = ' class="best"' if c == best else ""
        items.append(
            f'<div{mark} role="listitem" aria-label="class {label}: {word} {y:.3f}">'
            f'<span class="probs-label">{label}</span><span class="probs-bar">'
            f'<span style="width:{width:.1f}%"></span></span>'
            f'<span class="probs-value">{y:.3f}</span></div>'
        )
    return f'<div role="list" aria-label="{word} of each class">{"".join(items)}</div>'


def class_output_rows(
    outputs: Sequence[Sequence[float]], targets: Sequence[Sequence[float]]
) -> list[list[tuple[str, str]]]:
    """``output_rows`` for one output per class: the winning output y, the class it names,
    the target class and whether they agree."""
    rows = []
    for ys, ts in zip(outputs, targets, strict=True):
        actual = str(list(ts).index(1.0))
        best = winner(ys)
        if best is None:
            rows.append([("nan", ""), (t("view.diverged"), ""), (actual, ""), ("–", "")])
            continue
        verdict = ("✓", "right") if str(best) == actual else ("✗", "wrong")
        rows.append([(fmt(ys[best], 3), ""), (str(best), ""), (actual, ""), verdict])
    return rows


def confusion_html(matrix: Sequence[Sequence[int]], kind: str, caption: str) -> str:
    """A confusion matrix as an HTML table: rows the actual class, columns the predicted one,
    each cell its count shaded by its share of the row (right answers blue, wrong orange),
    and each row's accuracy (the class accuracy) at its end. Screen readers read it as a
    table: headers for rows and columns, a caption."""
    size = len(matrix)
    head = "".join(f'<th scope="col">{c}</th>' for c in range(size))
    rows = []
    for actual, row in enumerate(matrix):
        total = sum(row)
        cells = []
        for predicted, count in enumerate(row):
            share = count / total if total else 0.0
            tone = "right" if actual == predicted else "wrong"
            style = f"--share:{share:.3f}" if count else ""
            cells.append(
                f'<td class="{tone}" style="{style}" data-testid="confusion-cell" '
                f'data-set="{kind}" data-actual="{actual}" data-predicted="{predicted}" '
                f'data-count="{count}">{count}</td>'
            )
        accuracy = f"{row[actual] / total:.0%}" if total else "–"
        rows.append(
            f'<tr><th scope="row">{actual}</th>{"".join(cells)}'
            f'<td class="class-accuracy" data-testid="class-accuracy" data-set="{kind}" '
            f'data-class="{actual}">{accuracy}</td></tr>'
        )
    return (
        f'<table class="confusion-table" data-set="{kind}"><caption>{caption}</caption>'
        f'<thead><tr><th scope="col"><span class="visually-hidden">{t("view.actual_class")}</span>'
        f'</th>{head}<th scope="col">{t("view.accuracy")}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
