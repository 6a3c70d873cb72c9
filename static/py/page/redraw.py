"""Drawing the whole view: at once (after each action; a big network's in turns), in steps
(while training, so the browser gets a turn between them), or just the numbers and the chart
(while training fast)."""

from __future__ import annotations

import asyncio

from core.controller import Lab

from page import lesson_panel
from page.app import NEW_TURN, App, Steps
from page.chart import LossChart
from page.dom import show_error
from page.history_slider import render_history
from page.render_controls import render_examples, render_settings
from page.render_model import model_steps, render_stats, render_training_state, settle_code
from page.turns import in_turns, steps_for

BIG_NETWORK = 50  # parameters: a bigger network's view is drawn in turns after an action
# (16-16-16-1's, 577 parameters, took 30-55 ms at once: with the browser's own work, a long
# task at each change of a field; 8-8-1's, 89, a long task of 50-79 ms at half of eight
# learning rates typed, whose math lines change: none in turns)
REST_SECONDS = 0.005  # steps of such a view taken in one turn: one step may take 10-20 ms (a
# line of math typeset, a layer of the diagram), and the browser lays out what it drew after


def redraw_after_change(app: App) -> None:
    """The whole view after an action (``app.guarded``): at once, unless the network is big
    (``BIG_NETWORK``). Then its first step is drawn at once (the settings and the data set:
    the action's own answer) and the rest in later turns of the browser, as training draws
    (the handler's own work, 10-25 ms for a big lab, shares the first turn). A later redraw, or
    a run, takes over from what is left of this one."""
    app.drawing = None  # what an earlier one left stops here, even if this one fails
    if len(app.lab.network.parameters()) <= BIG_NETWORK:
        app.redraw(app)
        return
    view = unchanged_while(app, redraw_steps(app))  # the learner's code settled first
    seen = view_of(app.lab)
    steps = steps_for(view, 0)  # the first step only: the settings and the data set
    if steps is None:
        return
    app.drawing = steps
    task = asyncio.ensure_future(draw_rest(app, steps, seen))
    app.tasks.add(task)
    task.add_done_callback(lambda done: rest_done(app, done))


async def draw_rest(app: App, steps: Steps, seen: tuple) -> None:
    """What ``redraw_after_change`` left, in turns, while no other redraw or run has taken
    over. If the lab changed meanwhile without a redraw of its own (the Code panel's text kept
    a second after typing), the view is drawn again for it."""
    end = object()

    def while_latest() -> Steps:
        while app.drawing is steps:  # checked before each step: none drawn once stale
            pause = next(steps, end)
            if pause is end:
                return
            yield pause

    try:
        await in_turns(while_latest(), REST_SECONDS)
    finally:
        latest = app.drawing is steps
        if latest:
            app.drawing = None
    if latest and view_of(app.lab) != seen and not app.lab.training:
        redraw_after_change(app)


def rest_done(app: App, task: asyncio.Task) -> None:
    """Once ``draw_rest`` is done: a failure is said, not drawn again (``app.finished`` would
    redraw, and a redraw that fails would then go on failing, a turn apart)."""
    app.tasks.discard(task)
    error = None if task.cancelled() else task.exception()
    if error is not None:
        show_error(f"Something went wrong: {error}")


def redraw(app: App) -> None:
    """Every view, from the lab as it is now (what a ``redraw_after_change`` left is dropped)."""
    app.drawing = None
    for _ in redraw_steps(app):
        pass


def redraw_steps(app: App) -> Steps:
    """``redraw`` in steps of a few milliseconds each: training lets the browser in between.
    The learner's code is settled first, at once (``settle_code``: the one change before
    drawing, which may change the network), so that ``unchanged_while`` sees the lab after it."""
    settle_code(app)
    return view_steps(app)


def view_steps(app: App) -> Steps:
    """The steps of ``redraw_steps``: drawing itself never changes the lab."""
    render_settings(app)
    render_examples(app)
    yield
    yield from model_steps(app)
    yield NEW_TURN
    if app.chart is None and app.ready:  # made in a turn of its own (30-50 ms), drawn in the next
        app.chart = LossChart.create()
        yield NEW_TURN
    show_chart(app)
    yield
    render_history(app)
    render_training_state(app.lab)
    lesson_panel.refresh(app)


def unchanged_while(app: App, steps: Steps) -> Steps:
    """``steps``, stopped early if the lab changes between two of them: whatever changed it
    (a click, an edit) has redrawn the whole view already, and the rest would be stale."""
    seen = view_of(app.lab)
    for pause in steps:
        yield pause
        if view_of(app.lab) != seen:
            return


def view_of(lab: Lab) -> tuple:
    """What the view is drawn from: the run and the network as objects, the settings and the
    selection as values (weights changed in place are not seen here: a redraw follows them)."""
    return (lab.run, lab.settings, lab.network, lab.selection)


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
