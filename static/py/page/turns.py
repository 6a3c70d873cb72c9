"""Work taken in turns of the browser: steps of drawing a turn's worth at a time, with the
browser let in between (to handle input, and now and then to paint and answer whatever else
waits), so that no piece holds the page for long. Training (``training``) and a big lab's
redraw after a change (``redraw.redraw_after_change``) go this way."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from pyodide.ffi import create_once_callable, to_js
from pyscript import window

from page.app import NEW_TURN, Steps

BROWSER_SECONDS = 0.25  # how often training lets the browser do all its own work first
STEPS_SECONDS = 0.015  # steps of drawing (or of writing the history) taken in one turn before
# the browser gets in: one step a turn had the browser lay out and paint the page after each
# piece of a redraw, most of a redraw's cost; the biggest step, the chart's (15-30 ms), takes
# a turn of its own (app.NEW_TURN)


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


async def in_turns(steps: Iterable[str | None], seconds: float = STEPS_SECONDS) -> None:
    """Take ``steps`` a turn's worth (``seconds``) at a time (``steps_for``), letting the
    browser in between (``let_browser_in``)."""
    remaining: Steps | None = iter(steps)
    last_turn = time.perf_counter()
    while remaining is not None:
        remaining = steps_for(remaining, seconds)
        if remaining is not None:
            last_turn = await let_browser_in(last_turn)


async def one_a_turn(steps: Iterable[str | None]) -> None:
    """Take ``steps`` one a turn of the browser (the first view's rest, after ``data-ready``),
    and a step that asks for a turn of its own (``app.NEW_TURN``, the chart's) only once the
    browser has drawn a frame: the page laid out anew, its making reads it without forcing a
    layout of its own (10-15 ms of that task, Long Animation Frames)."""
    for pause in steps:
        if pause is NEW_TURN:
            await next_frame()  # before the frame's layout...
        await asyncio.sleep(0)  # ...and on after it


def idle_turn() -> asyncio.Future:
    """A future that is done when the browser is next idle (``requestIdleCallback``), or
    after its own work where it has no such call (``browser_turn``)."""
    if not hasattr(window, "requestIdleCallback"):
        return asyncio.ensure_future(browser_turn())
    future = asyncio.get_event_loop().create_future()
    window.requestIdleCallback(create_once_callable(lambda _deadline: future.set_result(None)))
    return future


def next_frame() -> asyncio.Future:
    """A future that is done at the browser's next animation frame."""
    future = asyncio.get_event_loop().create_future()
    window.requestAnimationFrame(create_once_callable(lambda _time: future.set_result(None)))
    return future
