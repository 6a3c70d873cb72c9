"""Start-up: restore the lab (from the link, else the autosave), wire the controls, draw, and
say the page is ready (``html[data-ready="true"]``, which the tests wait for).

The lab itself is ``controller.Lab``; the handlers live beside their code in the ``*_events``
modules (importing them registers them); drawing is in ``redraw`` (the whole view),
``render_*`` and ``chart``.
"""

from __future__ import annotations

import asyncio
import sys

from core.controller import Lab
from core.i18n import t
from core.savestate import restore, restore_run, storage_notice
from core.settings import Settings
from page import (
    code_panel,
    data_events,  # noqa: F401 -- registers its handlers
    diagram_events,  # noqa: F401
    field_events,  # noqa: F401
    language,
    lesson_panel,
    model_events,  # noqa: F401
    share_events,  # noqa: F401
    training,
)
from page import redraw as views
from page.app import App, wire
from page.dom import element, set_notice, set_text
from page.host import Host
from page.platforms import Reports, from_link
from page.render_controls import apply_page_options, fill_options
from page.render_model import render_training_state
from page.storage import keep_aside, local_storage, read_autosave, save, storage_kind
from page.turns import one_a_turn
from pyscript import document, window


async def start() -> App:
    language.start(query := window.location.search)  # first: all that is said is said in it
    saved_text = read_autosave()
    platform, platform_notes = from_link(query), []
    if platform is None:
        restored = restore(query, saved_text)
    else:  # the state a course platform kept comes before this browser's autosave
        from core.platform_state import restore_platform

        state = await platform.saved_state(platform_notes)
        restored = restore_platform(query, state, saved_text, platform.name)
    if restored.keep_aside and saved_text is not None:
        keep_aside(saved_text)
    notes = [*platform_notes, *restored.saved_notes]
    try:
        lab = Lab(restored.settings)
    except Exception:  # never expected (settings are valid): never let it stop the page
        lab = Lab(Settings())
        notes.append(t("start.not_rebuilt"))
    if restored.run is not None and restored.settings.weights is not None:
        notes += restore_run(lab, restored.run)
    host = Host(restored.settings.report, frame_resize=restored.settings.splice)
    app = App(
        lab,
        redraw=views.redraw,
        redraw_after_change=views.redraw_after_change,
        redraw_light=views.redraw_light,
        redraw_steps=views.redraw_steps,
        save=save,
        host=host,
    )
    if platform is not None:
        app.platform = Reports(lambda: platform.report(app))
    app.code_problem = code_panel.show_problem
    fill_options()
    apply_page_options(restored.settings)
    wire(app)
    await lesson_panel.load(app, notes)
    views.redraw(app)
    messages = []
    if restored.link_warnings:
        messages.append(t("start.link_ignored", warnings=" ".join(restored.link_warnings)))
    messages += notes
    if local_storage() is None:
        app.autosave = False
    notice = storage_notice(storage_kind(), restored.settings.hide)
    messages += [notice] if notice else []
    set_notice(" ".join(messages))
    set_text("python-version", sys.version.split()[0])
    for node in document.querySelectorAll(
        "fieldset.controls, .header-tools button, .header-tools input, .header-tools select,"
        " #log-scale"
    ):
        node.disabled = False
    render_training_state(lab)
    app.host.start(lambda message: lesson_panel.on_host_message(app, message), app)
    lesson_panel.announce_ready(app)
    element("loading").hidden = True
    document.documentElement.setAttribute("data-ready", "true")
    app.ready = True
    app.tasks.add(asyncio.ensure_future(after_ready(app)))
    origin = "link" if "code=" in window.location.search else "saved"  # code_panel.ORIGINS
    app.tasks.add(asyncio.ensure_future(code_panel.start(app, origin)))  # not needed to start
    return app


async def after_ready(app: App) -> None:
    """What the first view does without, in later turns of the browser: the math (a line a
    turn) and the chart, drawn by a whole redraw in steps (what is drawn already is left
    as it is). A click meanwhile draws them itself, and stops this. Then a throwaway run
    while the page is idle, warming the browser up for the learner's (``training.warm_up``)."""
    await asyncio.sleep(0)
    await one_a_turn(views.unchanged_while(app, views.redraw_steps(app)))
    await training.warm_up(app)


# PyScript runs this module's top level as a coroutine: the page is ready once start() is done.
APP = await start()  # noqa: F704
