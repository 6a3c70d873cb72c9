"""Training in the page: the lab's ``TrainingRun`` advanced in short slices that yield to the
browser, with a redraw up to twice a second. Pause, Step, Reset or an edit end or hold the run
between two slices."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from itertools import chain

from core.controller import Lab
from core.history_store import rows_steps
from core.i18n import t
from core.inputs import SPEEDS
from core.pacing import FULL_DRAW_SECONDS, time_to_draw
from core.run import TrainingRun
from pyodide.ffi import create_once_callable, to_js
from pyscript import window

from page.app import DRAWN, NEW_TURN, App, Steps
from page.dom import set_progress, set_status, show_error
from page.redraw import unchanged_while
from page.render_model import render_training_state

SLICE_SECONDS = 0.035  # how long one slice of training may hold the browser (a long task is
# 50 ms; a slice ends before this rather than a chunk after it, unless its last chunk took
# longer than the one before: run.in_time)
BROWSER_SECONDS = 0.25  # how often training lets the browser do all its own work first
STEPS_SECONDS = 0.015  # steps of drawing (or of writing the history) taken in one turn before
# the browser gets in: one step a turn had the browser lay out and paint the page after each
# piece of a redraw, most of a redraw's cost; the biggest step, the chart's (15-30 ms), takes
# a turn of its own (app.NEW_TURN)


async def train(app: App, run: TrainingRun, stepping: bool = False) -> str | None:
    """Advance ``run`` (``Lab.start_run``: more epochs or the rest of a paused run;
    ``Lab.start_step``: one epoch, said as "Ran epoch" when ``stepping``), redrawing as it
    goes; then say how it ended, save, and draw the whole view (``DRAWN``)."""
    app.training += 1  # the code editor is not made meanwhile (code_panel.not_training)
    try:
        return await train_and_draw(app, run, stepping)
    except BaseException:  # said by app.finished; the run is left paused, not stuck running
        if app.lab.run is run and not run.finished:
            run.stop_requested = True
            render_training_state(app.lab)
        raise
    finally:
        app.training -= 1


async def train_and_draw(app: App, run: TrainingRun, stepping: bool) -> str | None:
    """``train``'s work: the run, how it ended, the save and the whole view."""
    lab = app.lab
    start_epoch = lab.epoch
    set_status(t("train.progress", epoch=lab.epoch, goal=run.goal))
    render_training_state(lab)
    app.hint = None
    await advance_with_redraws(app, run)
    if lab.run is not run:
        return None  # Reset, Step or a new network ended it: that action said what happened
    say_how_it_ended(app, run, lab.epoch - start_epoch, stepping)
    await in_turns(rows_steps(lab.history))  # the history's new moments, written for the save
    app.save(app)
    await asyncio.sleep(0)
    await in_turns(unchanged_while(app, app.redraw_steps(app)))
    render_training_state(lab)
    return DRAWN


async def advance_with_redraws(app: App, run: TrainingRun) -> None:
    """Advance ``run`` slice by slice until it ends, stops or another run takes its place.

    At full speed each turn of the browser gets a slice of training, or ~15 ms of steps of
    drawing (the numbers and the chart up to twice a second, every two seconds the whole
    view: ``core.pacing``), so none holds the page for long.
    Watching (a speed with epochs per frame), everything is drawn every animation frame.
    """
    lab = app.lab
    started = last_draw = last_full = last_turn = time.perf_counter()
    progress_at_start = run.progress  # a paused run resumed has some done already
    training = 0.0  # seconds spent training at full speed so far
    steps: Steps | None = None  # a redraw under way, step by step
    while lab.run is run and not run.finished and not run.stop_requested:
        per_frame = SPEEDS[lab.settings.speed][1]  # 0: as fast as possible
        if per_frame:
            run.advance_epochs(per_frame, SLICE_SECONDS)
        else:
            slice_start = time.perf_counter()
            run.advance(SLICE_SECONDS)
            training += time.perf_counter() - slice_start
        last_turn = await let_browser_in(last_turn)
        # The last redraw comes after saving (train): the page looks done only once it is.
        if run.finished or lab.run is not run or run.stop_requested:
            return
        now = time.perf_counter()
        if per_frame:  # watching: everything is drawn every frame
            draw_progress(lab, run)
            app.redraw(app)
            await next_frame()  # one epoch batch per animation frame: watch every step
        elif steps is not None:
            steps = steps_for(steps, STEPS_SECONDS)
            await asyncio.sleep(0)
        elif time_to_draw(
            now - last_draw,
            now - started - training,
            now - started,
            run.progress,
            progress_at_start,
        ):
            draw_progress(lab, run)
            drawing = app.redraw_light(app)
            last_draw = now
            if now - last_full >= FULL_DRAW_SECONDS:  # the diagram, the math and the tables too
                drawing, last_full = chain(drawing, app.redraw_steps(app)), now
            steps = steps_for(unchanged_while(app, drawing), STEPS_SECONDS)
            await asyncio.sleep(0)


def say_how_it_ended(app: App, run: TrainingRun, epochs: int, stepping: bool) -> None:
    """The status line, the error or the advice for a run that stopped after ``epochs``
    epochs: failed in the learner's code, diverged, finished (a step or a run), or paused."""
    lab = app.lab
    set_progress(run.progress)
    if run.failed is not None:  # the learner's code raised: shown under the editor too
        lab.run = None
        set_status("")
        show_error(run.message)
        app.code_problem(app, run.failed)
    elif run.diverged:
        set_status("")
        show_error(run.message)
        app.hint = lab.divergence_hint()
    elif run.finished and stepping:
        lab.run = None
        set_status(t("train.ran_epoch", epoch=lab.epoch))
    elif run.finished:
        lab.run = None
        app.hint = lab.hint()
        advice = f" {app.hint.text}" if app.hint and app.hint.text else ""
        set_status(t("train.trained", epochs=epochs) + advice)
    else:
        set_status(t("train.paused", epoch=lab.epoch))  # Train (now "Resume") finishes the run


def draw_progress(lab: Lab, run: TrainingRun) -> None:
    """The progress bar and the status line."""
    set_progress(run.progress)
    set_status(t("train.progress", epoch=lab.epoch, goal=run.goal))


def steps_for(steps: Steps, seconds: float) -> Steps | None:
    """Take steps of ``steps`` until ``seconds`` have passed (at least one), or until the next
    step asks for a turn of its own (``app.NEW_TURN``); None once they are all taken."""
    deadline = time.perf_counter() + seconds
    for pause in steps:
        if pause is NEW_TURN or time.perf_counter() >= deadline:
            return steps
    return None


# A turn of the browser that comes after its own work: painting a frame, input, whatever the
# page or the test driver asked for (scheduler.postTask at "background" priority). Yielding only
# with ordinary zero-delay tasks (asyncio.sleep(0): a MessageChannel message) left no gap:
# frames came every ~130 ms while training, and a script's request (a test driver's) waited
# longer the longer the run went, seconds after a minute. Yielding so after every slice let
# the browser paint every frame, which cost a third of the training's speed.
_BACKGROUND = to_js({"priority": "background"}, dict_converter=window.Object.fromEntries)


async def browser_turn() -> None:
    """Let the browser do its own work first, then go on (``asyncio.sleep(0)`` where there is
    no ``scheduler.postTask``)."""
    scheduler = getattr(window, "scheduler", None)
    if scheduler is None or not hasattr(scheduler, "postTask"):
        await asyncio.sleep(0)
        return
    await scheduler.postTask(create_once_callable(lambda: None), _BACKGROUND)


async def let_browser_in(last_turn: float) -> float:
    """Yield to the browser between two pieces of work: it handles input; and every
    ``BROWSER_SECONDS`` after ``last_turn`` (when it last had a whole turn) it paints and
    answers whatever else waits too (``browser_turn``, which waits for a frame: after every
    piece, that wait took a third of the training's time). Returns when it last had a whole
    turn."""
    if time.perf_counter() - last_turn >= BROWSER_SECONDS:
        await browser_turn()
        return time.perf_counter()
    await asyncio.sleep(0)
    return last_turn


async def in_turns(steps: Iterable[str | None]) -> None:
    """Take ``steps`` a turn's worth at a time (``steps_for``), letting the browser in between
    (``let_browser_in``)."""
    remaining: Steps | None = iter(steps)
    last_turn = time.perf_counter()
    while remaining is not None:
        remaining = steps_for(remaining, STEPS_SECONDS)
        if remaining is not None:
            last_turn = await let_browser_in(last_turn)


def next_frame() -> asyncio.Future:
    """A future that is done at the browser's next animation frame."""
    future = asyncio.get_event_loop().create_future()
    window.requestAnimationFrame(create_once_callable(lambda _time: future.set_result(None)))
    return future
