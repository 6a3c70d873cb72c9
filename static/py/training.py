"""Training in the page: the lab's ``TrainingRun`` advanced in short slices that yield to the
browser, with a redraw a few times a second. Pause, Step, Reset or an edit end or hold the run
between two slices."""

from __future__ import annotations

import asyncio
import time

from app import App
from dom import set_progress, set_status, show_error
from inputs import SPEEDS
from pyodide.ffi import create_once_callable
from pyscript import window
from render_views import render_training_state

SLICE_SECONDS = 0.025  # how long one slice of training may hold the browser
DRAW_SECONDS = 0.12  # how often the numbers and the chart are redrawn while training
FULL_DRAW_SECONDS = 0.6  # how often the diagram, math and outputs table are, at full speed


async def train(app: App, epochs: int) -> None:
    """Train ``epochs`` more epochs (or finish a paused run), redrawing as it goes."""
    lab = app.lab
    run = lab.start_run(epochs)
    start_epoch = lab.epoch
    set_status(f"Training: epoch {lab.epoch} of {run.goal}…")
    render_training_state(lab)
    app.hint = None
    last_draw = last_full = time.perf_counter()
    while lab.run is run and not run.finished and not run.stop_requested:
        per_frame = SPEEDS[lab.settings.speed][1]  # 0: as fast as possible
        if per_frame:
            run.advance_epochs(per_frame, SLICE_SECONDS)
        else:
            run.advance(SLICE_SECONDS)
        await asyncio.sleep(0)  # the browser handles input between training and drawing
        # The last redraw comes after saving, below: the page looks done only once it is.
        now = time.perf_counter()
        if not run.finished and (per_frame or now - last_draw >= DRAW_SECONDS):
            set_progress(run.progress)
            set_status(f"Training: epoch {lab.epoch} of {run.goal}…")
            # Watching, everything is drawn every frame; else the diagram, the math and the
            # table follow a few times a second, the numbers and the chart more often.
            full = per_frame or now - last_full >= FULL_DRAW_SECONDS
            (app.redraw if full else app.redraw_light)(app)
            last_draw, last_full = now, (now if full else last_full)
            await asyncio.sleep(0)
        if per_frame:
            await next_frame()  # one epoch batch per animation frame: watch every step
    if lab.run is not run:
        return  # Reset, Step or a new network ended it: that action said what happened
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
    elif run.finished:
        lab.run = None
        app.hint = lab.hint()
        advice = f" {app.hint.text}" if app.hint and app.hint.text else ""
        set_status(f"Trained {lab.epoch - start_epoch} epochs." + advice)
    else:
        set_status(f"Paused at epoch {lab.epoch}.")  # Train (now "Resume") finishes the run
    app.save(app)
    app.redraw(app)
    render_training_state(lab)


def next_frame() -> asyncio.Future:
    """A future that is done at the browser's next animation frame."""
    future = asyncio.get_event_loop().create_future()
    window.requestAnimationFrame(create_once_callable(lambda _time: future.set_result(None)))
    return future
