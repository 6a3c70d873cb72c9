"""The page's one object: the lab, and the few things only the browser side keeps.

Handlers are small functions of ``(app, event)``, registered next to their code with
``@on("#selector", "event")``; ``wire`` binds them all at start-up. Each handler runs inside
``guarded``: a ValueError (a rejected input) shows its message beside the field, marks the
field invalid and changes nothing; otherwise the lab is saved and redrawn.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.controller import Hint, Lab, Selection
from pyodide.ffi import create_proxy
from pyscript import document

from page.dom import clear_error, mark_invalid, mark_valid, set_notice, show_error

Handler = Callable[["App", object], object]


class Save(Protocol):
    """``storage.save``: the address bar and the autosave (``later``: in a task of its own;
    ``held`` too: when the caller writes it)."""

    def __call__(self, app: App, later: bool = False, held: bool = False) -> None: ...


HANDLERS: list[tuple[str, str, Handler, bool]] = []  # (selector, event, handler, redraw)


@dataclass
class App:
    """The lab and the page's own state around it."""

    lab: Lab
    chart: object = None  # the LossChart, once Chart.js is loaded
    editing: Selection | None = None  # the weight or bias whose editor is open
    hint: Hint | None = None  # advice shown with its one-click setting
    focus_key: str | None = None  # a diagram element to focus after the next redraw
    ready: bool = False  # True from data-ready on (what can wait, the chart, waits for it)
    autosave: bool = True  # False once storage is denied: the lab works without it
    notes: list[str] = field(default_factory=list)  # said once, at start-up
    tasks: set = field(default_factory=set)  # running asyncio tasks (kept from being collected)
    action_began: float = 0.0  # time.perf_counter() when the last event handler began
    training: int = 0  # runs being trained, or drawn and saved at their end (training.train)
    redraw: Callable[[App], None] = lambda app: None  # set by main: render everything
    # set by main: render everything after an action, a big network's in turns of the browser
    redraw_after_change: Callable[[App], None] = lambda app: app.redraw(app)
    drawing: Steps | None = None  # the steps of such a redraw left for later turns, if any
    # set by main: the numbers and the chart, in steps
    redraw_light: Callable[[App], Steps] = lambda app: iter(())
    # set by main: redraw in steps, for training to let the browser in between them
    redraw_steps: Callable[[App], Steps] = lambda app: iter(())
    save: Save = lambda app, later=False, held=False: None  # set by main: address bar and autosave
    autosave_pending: bool = False  # an autosave is to be written in a task of its own...
    autosave_held: bool = False  # ...or once a run's end has drawn its view (storage.save)
    host: Any = None  # the course page around an embedded lab (host.Host)
    platform: Any = None  # reports to the course platform that keeps the lab (platforms.Reports)
    lesson: Any = None  # the lesson followed, if any (lesson_panel.LessonState)
    code_editor: Any = None  # the Code panel's editor (static/js/code-editor.js), once loaded
    code_edits: int = 0  # edits typed in it so far (the text is saved after the last one)
    code_unrun: bool = False  # its text came with a link or a file and has not been run
    code_arrived: str = ""  # where settings' code came from while the editor loaded (arrived)
    # shows a problem of the learner's code under the editor and marks its line (code_panel)
    code_problem: Callable[[App, Any], None] = lambda app, problem: None


def on(selector: str, event: str, redraw: bool = True) -> Callable[[Handler], Handler]:
    """Register a handler of ``event`` on the elements matching ``selector``; with ``redraw``
    False the lab is neither saved nor redrawn after it (for hover and focus)."""

    def register(function: Handler) -> Handler:
        HANDLERS.append((selector, event, function, redraw))
        return function

    return register


def wire(app: App) -> None:
    """Bind every registered handler to its elements."""
    for selector, event, function, redraw in HANDLERS:
        listener = create_proxy(guarded(app, function, redraw))
        for node in document.querySelectorAll(selector):
            node.addEventListener(event, listener)


def guarded(app: App, function: Handler, redraw: bool = True) -> Callable[[object], None]:
    """``function`` as an event listener: messages for rejected input, then save and redraw."""

    def run(event) -> None:
        app.action_began = time.perf_counter()
        target = getattr(event, "target", None)
        try:
            if redraw:
                clear_error()
            result = function(app, event)
            if asyncio.iscoroutine(result):
                task = start_task(result)
                app.tasks.add(task)
                task.add_done_callback(lambda done: finished(app, done))
                return
            set_notice("")
        except ValueError as error:
            reject(str(error), target)
            if getattr(error, "problem", None) is not None:  # controller.CodeFailed
                app.code_problem(app, error.problem)
            if redraw:  # what depends on a refused field shows it is stale
                app.redraw_after_change(app)
            return
        if is_field(target):
            mark_valid(target)
        if redraw:
            app.save(app, later=True)
            app.redraw_after_change(app)

    return run


def start_task(coroutine: Coroutine) -> asyncio.Task:
    """``coroutine`` as a task whose first step is taken now, in the event's own task, up to
    its first ``await`` (Train's first slice of training: in a task of its own it came only
    after the browser had drawn a frame, 6-13 ms later). Where a task is running already (an
    event sent from Python's own code), it starts in a task of its own."""
    loop = asyncio.get_event_loop()
    if asyncio._get_running_loop() is not loop or asyncio.current_task(loop) is not None:
        return asyncio.ensure_future(coroutine)  # eager_start would raise (not the running loop)
    return asyncio.Task(coroutine, loop=loop, eager_start=True)  # loop.create_task ignores it


def is_field(target) -> bool:
    return getattr(target, "tagName", "") in ("INPUT", "SELECT") and bool(target.id)


def reject(message: str, target=None) -> None:
    """Show why an input was refused, beside the field it came from (and at the top)."""
    show_error(message)
    if is_field(target) and target.type not in ("checkbox", "file"):
        mark_invalid(target, message)


# Yielded between two steps of drawing before one that takes a turn of the browser of its own
# (the chart's, 15-30 ms; a big layer of the diagram, which the browser takes tens of ms to
# draw): whoever takes a turn's worth of steps at a time lets the browser in first.
NEW_TURN = "new turn"
Steps = Iterator[str | None]  # steps of drawing; each yield is a pause between two (or NEW_TURN)

# What a handler's coroutine returns when it has drawn the whole view itself, last of all
# (training does, in steps): ``finished`` then does not draw it all again in one go.
DRAWN = "drawn"


def finished(app: App, task) -> None:
    app.tasks.discard(task)
    error = None if task.cancelled() else task.exception()
    if isinstance(error, ValueError):
        show_error(str(error))
    elif error is not None:
        show_error(f"Something went wrong: {error}")
    elif task.result() == DRAWN:
        return
    app.redraw_after_change(app)
