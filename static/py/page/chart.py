"""The loss chart: one class around Chart.js, fed the lab's loss history."""

from __future__ import annotations

import json
import math

from core.formats import axis_tick, epoch_tick
from core.i18n import t
from core.readouts import downsample
from pyodide.ffi import create_proxy
from pyscript import document, window

from page.dom import element, js_object


def _dataset(label: str, colour: str, dashed: bool = False) -> dict:
    line = {"label": label, "data": [], "borderColor": colour, "backgroundColor": colour}
    line.update({"pointRadius": 0, "borderWidth": 2})
    if dashed:
        line["borderDash"] = [5, 4]
    return line


def _axis(title: str, text: str, grid: str, ticks: dict) -> dict:
    """A linear axis titled ``title``; ``ticks``: how its numbers are written."""
    return {
        "type": "linear",
        "title": {"display": True, "text": title, "color": text},
        "ticks": {"color": text, **ticks},
        "grid": {"color": grid},
    }


class LossChart:
    """Training and test loss per epoch, on a linear or log scale."""

    def __init__(self, chart_class) -> None:
        style = window.getComputedStyle(document.documentElement)

        def colour(name: str, fallback: str) -> str:
            return style.getPropertyValue(name).strip() or fallback

        text, grid = colour("--muted", "#666"), colour("--border", "#ddd")
        # The axes' numbers and the tooltips are written here, as the lab writes numbers
        # (decimal comma, 1e+307 after a divergence): Chart.js's own would make an
        # Intl.NumberFormat, ~45 ms the first time, most of the chart's making.
        self.callbacks = [
            create_proxy(lambda value, *_: epoch_tick(float(value))),
            create_proxy(lambda value, *_: axis_tick(float(value))),
            create_proxy(lambda items, *_: epoch_tick(float(items[0].parsed.x)) if items else ""),
            create_proxy(lambda item, *_: f"{item.dataset.label}: {axis_tick(item.parsed.y)}"),
            # the legend names the two losses; the marker of the epoch shown explains itself
            create_proxy(lambda item, *_: item.datasetIndex < 2),
        ]
        epoch_ticks, loss_ticks, tooltip_title, tooltip_label, in_legend = self.callbacks
        x_axis = _axis(t("chart.epoch"), text, grid, {"precision": 0, "callback": epoch_ticks})
        y_axis = _axis(t("chart.mean_cost"), text, grid, {"callback": loss_ticks})
        # Made without being drawn (~20 ms less in the task that makes it): ``show`` draws it.
        self.drawn: tuple | None = None  # what ``show`` drew last
        self.callbacks.append(create_proxy(lambda *_: self.drawn is not None))
        config = {
            "plugins": [{"id": "nn-drawn-by-show", "beforeDraw": self.callbacks[-1]}],
            "type": "line",
            "data": {
                "datasets": [
                    _dataset(t("chart.training_loss"), colour("--positive", "#1f6fd1")),
                    _dataset(t("chart.test_loss"), colour("--negative", "#d0641f"), dashed=True),
                    _dataset(t("chart.epoch_shown"), colour("--text", "#1d2330"), dashed=True),
                ]
            },
            "options": {
                "animation": False,
                "responsive": True,
                "maintainAspectRatio": False,
                "parsing": False,
                "normalized": True,
                "scales": {"x": {**x_axis, "min": 1, "suggestedMax": 10}, "y": y_axis},
                "plugins": {
                    "legend": {"labels": {"color": text, "boxHeight": 2, "filter": in_legend}},
                    "tooltip": {"callbacks": {"title": tooltip_title, "label": tooltip_label}},
                },
            },
        }
        self.chart = chart_class.new(element("chart"), js_object(config))

    @classmethod
    def create(cls) -> LossChart | None:
        """A chart, or None while Chart.js has not loaded (it loads beside Python)."""
        chart_class = getattr(window, "Chart", None)
        return None if chart_class is None else cls(chart_class)

    def show(
        self, train: list[float], test: list[float], log_scale: bool, marked: int | None = None
    ) -> None:
        """The losses per epoch; ``marked``: an epoch the history slider shows, marked with a
        vertical line (and a dot on the training loss)."""
        drawn = (len(train), len(test), train[-1:], test[-1:], log_scale, marked)
        if drawn == self.drawn:  # nothing new: a redraw of the chart costs milliseconds
            return
        self.drawn = drawn
        chart = self.chart
        chart.options.scales.y.type = "logarithmic" if log_scale else "linear"
        for index, values in enumerate((train, test)):
            points = [
                {"x": epoch, "y": value}
                for epoch, value in downsample(values)
                if math.isfinite(value) and (not log_scale or value > 0)
            ]
            # Through JSON: much faster than converting a list of dicts object by object.
            chart.data.datasets[index].data = window.JSON.parse(json.dumps(points))
        chart.data.datasets[1].hidden = not test
        marker = marker_points(train, test, log_scale, marked)
        chart.data.datasets[2].data = window.JSON.parse(json.dumps(marker))
        radius = [0, 5 if marked else 0, 0]  # a dot on the training loss
        chart.data.datasets[2].pointRadius = window.JSON.parse(json.dumps(radius))
        chart.data.datasets[2].hidden = not marker
        chart.options.scales.x.min = 0 if marked == 0 else 1
        # One line needs no legend; with a test set, the legend tells the two apart.
        chart.options.plugins.legend.display = bool(test)
        chart.update("none")


def marker_points(
    train: list[float], test: list[float], log_scale: bool, marked: int | None
) -> list[dict]:
    """A vertical line at epoch ``marked`` over the height of the losses drawn, through the
    training loss after that epoch (none at epoch 0, before any loss): three points."""
    if marked is None:
        return []
    values = [v for v in (*train, *test) if math.isfinite(v) and (not log_scale or v > 0)]
    if not values:
        return []
    low, high = min(values), max(values)
    loss = train[marked - 1] if 0 < marked <= len(train) else None
    middle = loss if loss is not None and low <= loss <= high else (low + high) / 2
    return [{"x": marked, "y": low}, {"x": marked, "y": middle}, {"x": marked, "y": high}]
