"""Drawing the whole view: at once (after each action), in steps (while training, so the
browser gets a turn between them), or just the numbers and the chart (while training fast)."""

from __future__ import annotations

from page import lesson_panel
from page.app import NEW_TURN, App, Steps
from page.chart import LossChart
from page.history_slider import render_history
from page.render_controls import render_examples, render_settings
from page.render_model import model_steps, render_stats, render_training_state, settle_code


def redraw(app: App) -> None:
    """Every view, from the lab as it is now."""
    for _ in redraw_steps(app):
        pass


def redraw_steps(app: App) -> Steps:
    """``redraw`` in steps of a few milliseconds each: training lets the browser in between."""
    settle_code(app)  # the one change before drawing: drawing itself never changes the lab
    render_settings(app)
    render_examples(app)
    yield
    yield from model_steps(app)
    yield NEW_TURN
    show_chart(app)
    yield
    render_history(app)
    render_training_state(app.lab)
    lesson_panel.refresh(app)


def unchanged_while(app: App, steps: Steps) -> Steps:
    """``steps``, stopped early if the lab changes between two of them: whatever changed it
    (a click, an edit) has redrawn the whole view already, and the rest would be stale."""
    lab = app.lab
    seen = (lab.run, lab.settings, lab.network, lab.selection)
    for pause in steps:
        yield pause
        if (lab.run, lab.settings, lab.network, lab.selection) != seen:
            return


def show_chart(app: App) -> None:
    """The loss chart, made on first use once the page is ready (Chart.js takes a tenth of a
    second to make one: the first view is shown without waiting for it)."""
    if app.chart is None and app.ready:
        app.chart = LossChart.create()
    if app.chart is not None:
        lab = app.lab
        shown = lab.history.shown.epoch if lab.history.in_past else None  # marked on the chart
        app.chart.show(lab.train_losses, lab.test_losses, lab.settings.log_scale, shown)


def redraw_light(app: App) -> Steps:
    """While training at full speed: the numbers and the chart, then the history slider, in
    two steps (the chart alone takes 15-30 ms once a run has a thousand epochs)."""
    render_stats(app.lab)
    show_chart(app)
    yield
    render_history(app)
