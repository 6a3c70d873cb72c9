"""Drawing the whole view: at once (after each action; a big network's in turns), in steps
(while training, so the browser gets a turn between them), or just the numbers and the chart
(while training fast)."""

from __future__ import annotations

import asyncio

from page import lesson_panel
from page.app import NEW_TURN, App, Steps
from page.chart import LossChart
from page.dom import show_error
from page.history_slider import render_history
from page.render_controls import render_examples, render_settings
from page.render_model import model_steps, render_stats, render_training_state, settle_code
from page.turns import STEPS_SECONDS, in_turns, steps_for

BIG_NETWORK = 300  # parameters: a bigger network's view is drawn in turns after an action
# (16-16-16-1's, 577 parameters, took 30-55 ms at once: with the browser's own work, a long
# task at each change of a field); 16-16-1's, 289, takes under 20


def redraw_after_change(app: App) -> None:
    """The whole view after an action (``app.guarded``): at once, unless the network is big
    (``BIG_NETWORK``). Then a turn's worth of steps is drawn at once (the settings and the
    numbers come first) and the rest in later turns of the browser, as training draws. A later
    action, or a run, draws the view itself, and what is left of this one is dropped."""
    if len(app.lab.network.parameters()) <= BIG_NETWORK:
        app.redraw(app)
        return
    steps = steps_for(unchanged_while(app, redraw_steps(app)), STEPS_SECONDS)
    app.drawing = steps
    if steps is None:
        return
    task = asyncio.ensure_future(draw_rest(app, steps))
    app.tasks.add(task)
    task.add_done_callback(lambda done: drawn(app, done))


def drawn(app: App, task) -> None:
    """Once ``draw_rest`` is done: a failure is said, not drawn again (``app.finished`` would
    redraw, and a redraw that fails would then go on failing, a turn apart)."""
    app.tasks.discard(task)
    error = None if task.cancelled() else task.exception()
    if error is not None:
        show_error(f"Something went wrong: {error}")


async def draw_rest(app: App, steps: Steps) -> None:
    """What ``redraw_after_change`` left, in turns, unless another such redraw came since."""

    def while_latest() -> Steps:
        for pause in steps:
            yield pause
            if app.drawing is not steps:
                return

    await in_turns(while_latest())
    if app.drawing is steps:
        app.drawing = None


def redraw(app: App) -> None:
    """Every view, from the lab as it is now (what a ``redraw_after_change`` left is dropped)."""
    app.drawing = None
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
