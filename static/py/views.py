"""What the page says about the model's output: the prediction decoded for the task, and the
loss history thinned out for the chart. Pure functions, tested in CPython."""

from __future__ import annotations

import math
from collections.abc import Sequence

from formats import fmt


def prediction_text(task: str, width: int, output: float, target: float | None) -> tuple[str, str]:
    """(headline, detail) for the model's output on one number, decoded for the task.

    value: output × (2^width − 1), e.g. ("5.28", "target 5"); 0/1 tasks: the class and
    its confidence; custom: the raw output.
    """
    if not math.isfinite(output):
        return "diverged", "the output is not a finite number"
    if task == "value":
        scale = 2**width - 1
        shown = "" if target is None else fmt(target * scale, 2)
        if "." in shown:  # 5.00 -> 5; but 0 stays 0
            shown = shown.rstrip("0").rstrip(".")
        detail = "" if target is None else f"target {shown}"
        return f"{output * scale:.2f}", detail
    if task == "custom":
        return fmt(output), "" if target is None else f"target {fmt(target)}"
    label = 1 if output >= 0.5 else 0
    confidence = output if label else 1 - output
    confidence = min(max(confidence, 0.0), 1.0)
    detail = f"{confidence:.0%} confident (output {fmt(output)})"
    if target is not None:
        detail += f"; target {round(target)}"
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
    if task in ("value", "custom"):
        return f"{target:.3f}"
    return str(round(target))


def output_rows(
    task: str, width: int, outputs: Sequence[float], targets: Sequence[float]
) -> list[list[tuple[str, str]]]:
    """For the outputs table, per number: (text, class) cells for the output y, the decoded
    prediction, the target and whether the prediction is right."""
    rows = []
    for y, t in zip(outputs, targets, strict=True):
        if not math.isfinite(y):
            rows.append([(fmt(y), ""), ("diverged", ""), (target_text(task, t), ""), ("–", "")])
            continue
        if task == "value":
            scale = 2**width - 1
            right = round(y * scale) == round(t * scale)
            prediction = f"{y * scale:.2f}"
        elif task == "custom":
            right = abs(y - t) < 0.05
            prediction = fmt(y, 3)
        else:
            right = (y >= 0.5) == (t >= 0.5)
            prediction = str(int(y >= 0.5))
        verdict = ("✓", "right") if right else ("✗", "wrong")
        rows.append([(fmt(y), ""), (prediction, ""), (target_text(task, t), ""), verdict])
    return rows
