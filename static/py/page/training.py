"""Training in the page: the lab's ``TrainingRun`` advanced in short slices that yield to the
browser, with a redraw up to twice a second. Pause, Step, Reset or an edit end or hold the run
between two slices."""

from __future__ import annotations

import asyncio
import time
from itertools import chain

from core.controller import Lab
from core.history_store import rows_steps
from core.i18n import t
from core.inputs import SPEEDS
from core.pacing import FULL_DRAW_SECONDS, time_to_draw
from core.run import TrainingRun
from core.warm_up import warm_up_steps

from page.app import DRAWN, App, Steps
from page.dom import set_progress, set_status, set_training, show_error
from page.redraw import BIG_NETWORK, unchanged_while
from page.render_model import render_training_state
from page.storage import write_held_autosave
from page.turns import (
    STEPS_SECONDS,
    browser_turn,
    idle_turn,
    in_turns,
    let_browser_in,
    next_frame,
    steps_for,
)

SLICE_SECONDS = 0.035  # how long one slice of training may hold the browser (a long task is
# 50 ms; a slice ends before this rather than a chunk after it, unless its last chunk took
# longer than the one before: run.in_time)
WARM_UP_STEP_SECONDS = 0.01  # a step of the throwaway run before the learner's first (warm_up)
SMALL_VIEW_SECONDS = 0.025  # a turn of a small network's redraw at the end of a run: in turns
# of STEPS_SECONDS, parity3's took 76-128 ms, ~35 ms of it the browser's between them (with a
# step's overrun and the browser's rendering, turns of 30 ms made tasks of 51-67 ms; with
# 8-8-1's view, 25-41 ms of Python a turn and 22-53 ms of rendering: see redraw.BIG_NETWORK)


async def warm_up(app: App) -> None:
    """``core.warm_up``'s throwaway run, a step each time the browser is idle, once the page is
    ready. It stops for good when the learner trains or the page draws (a run warms up the
    browser as well as this would)."""
    for _ in warm_up_steps(WARM_UP_STEP_SECONDS):
        await idle_turn()
        if app.training or app.lab.run is not None or app.drawing is not None:
            return


async def train(app: App, run: TrainingRun, stepping: bool = False) -> str | None:
    """Advance ``run`` (``Lab.start_run``: more epochs or the rest of a paused run;
    ``Lab.start_step``: one epoch, said as "Ran epoch" when ``stepping``), redrawing as it
    goes; then say how it ended, draw the whole view (``DRAWN``) and save."""
    app.training += 1  # the code editor is not made meanwhile (code_panel.not_training)
    set_training(True)
    app.drawing = None  # what a redraw after a change left is not drawn over the run's
    try:
        try:
            if not await advance_and_say(app, run, stepping):
                return None  # Reset, Step or a new network ended it: that action said so
        except BaseException:  # said by app.finished; the run is left paused, not stuck running
            if app.lab.run is run and not run.finished:
                run.stop_requested = True
                render_training_state(app.lab)
            raise
        await draw_and_save(app)  # Train is back meanwhile: a paused run may be resumed
        return DRAWN
    finally:
        app.training -= 1
        set_training(app.training > 0)


async def advance_and_say(app: App, run: TrainingRun, stepping: bool) -> bool:
    """``train``'s run, then how it ended; False if another action ended it first."""
    lab = app.lab
    start_epoch = lab.epoch
    set_status(t("train.progress", epoch=lab.epoch, goal=run.goal))
    render_training_state(lab)
    app.hint = None
    await advance_with_redraws(app, run)
    if lab.run is not run:
        return False
    say_how_it_ended(app, run, lab.epoch - start_epoch, stepping)
    return True


async def draw_and_save(app: App) -> None:
    """The end of ``train``: the whole view, then the autosave once Train is shown again (the
    autosave took 5-25 ms with the history's new rows, in a run of 0.4 s; a page left before
    then writes it: ``storage.save``)."""
    lab = app.lab
    app.save(app, later=True, held=True)
    try:
        await in_turns(unchanged_while(app, app.redraw_steps(app)), end_turn_seconds(lab))
        render_training_state(lab)
        await browser_turn()  # shown (the browser paints first), then the rest
        await in_turns(rows_steps(lab.history))  # the history's new moments, for the save
    finally:
        write_held_autosave(app)


def end_turn_seconds(lab: Lab) -> float:
    """How long a turn of the run's last redraw may take: the view of a network small enough
    to be drawn at once after an action (``redraw.BIG_NETWORK``) in a few turns (its chart in
    a turn of its own); a bigger one's in turns of ``STEPS_SECONDS``, as while training."""
    small = len(lab.network.parameters()) <= BIG_NETWORK
    return SMALL_VIEW_SECONDS if small else STEPS_SECONDS


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
    # the first slice is taken in the action's own task (app.start_task): the rest of it
    slice_seconds = max(0.0, SLICE_SECONDS - (started - app.action_began))
    steps: Steps | None = None  # a redraw under way, step by step
    while lab.run is run and not run.finished and not run.stop_requested:
        per_frame = SPEEDS[lab.settings.speed][1]  # 0: as fast as possible
        if per_frame:
            run.advance_epochs(per_frame, slice_seconds)
        else:
            slice_start = time.perf_counter()
            run.advance(slice_seconds)
            training += time.perf_counter() - slice_start
        slice_seconds = SLICE_SECONDS
        last_turn = await let_browser_in(last_turn)
        # The last redraw is train's, once the run has ended.
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
