"""Handlers of sharing and keeping: Copy link, Embed, Export, Import, As Python."""

from __future__ import annotations

from dataclasses import replace

from core.controller import Lab
from core.i18n import LANGUAGE_NAMES, LANGUAGES, t
from core.names import options
from core.rewind import restart
from core.savestate import (
    EMBED_PLATFORMS,
    EMBED_SIZES,
    embed_snippet,
    export_text,
    fresh_query,
    read_import,
    scorm_instructions,
    share_query,
)
from core.scripts import python_snippet, run_script
from core.values import HIDEABLE_LABELS
from pyscript import document, window

from page import code_panel
from page.app import App, on
from page.dom import (
    clear_error,
    element,
    fill_select,
    invalid_fields,
    make,
    mark_valid,
    set_status,
    show_error,
)
from page.storage import copy_text, download, forget_autosave


def link(
    lab: Lab,
    embed: bool = False,
    hide: tuple[str, ...] = (),
    lesson: str | None = None,
    report: str | None = None,
    rewind: bool = False,
    splice: bool = False,
    lang: str | None = None,
) -> str:
    """The address of this page with the lab in its query (and the weights if asked for);
    ``lesson`` ("" for none, "name" or "name/challenge-id") replaces the link's lesson,
    ``report`` (an origin, "" for none) its report=, ``splice`` adds splice=1, and
    ``lang`` ("" the learner's browser's) replaces its language."""
    with_weights = element("link-weights").checked and lab.network.is_finite()
    weights = lab.network.parameters() if with_weights else None
    settings = lab.settings
    if embed or hide:
        settings = replace(settings, embed=embed, hide=hide, rewind=rewind)
    if lesson is not None:
        name, _, challenge = lesson.partition("/")
        settings = replace(settings, lesson=name, challenge=challenge)
    if report is not None:
        settings = replace(settings, report=report)
    if splice:
        settings = replace(settings, splice=True, report="")
    if lang is not None:
        settings = replace(settings, lang=lang)
    query = share_query(settings, weights)
    base = window.location.origin + window.location.pathname
    return base + ("?" + query if query else "")


@on("#copy-link", "click")
def on_copy_link(app: App, event) -> None:
    copy_text(link(app.lab), "link")


def lesson_choices() -> list[tuple[str, str]]:
    """The Embed dialog's lessons and challenges: (value for link(), words)."""
    from core.course import builtin_lessons  # not needed at start-up

    choices = [("", t("embed.lesson.none"))]
    for name, lesson in builtin_lessons().items():
        choices.append((name, t("embed.lesson.lesson", title=lesson.title)))
        choices += [
            (f"{name}/{c.id}", t("embed.lesson.challenge", title=c.title))
            for c in lesson.challenges
        ]
    return choices


def embed_platform() -> str:
    return element("embed-platform").value or "page"


def embed_link(app: App) -> str:
    """The embedded lab's link as the dialog's options say: the controls hidden, the lesson,
    where progress goes, rewind, SPLICE's messages for that platform, and the language."""
    hidden = tuple(node.value for node in document.querySelectorAll("#embed-hide input:checked"))
    return link(
        app.lab,
        True,
        hidden,
        element("embed-lesson").value,
        embed_report(),
        element("embed-rewind").checked,
        embed_platform() == "splice",
        element("embed-lang").value,
    )


def embed_code(app: App) -> str:
    """The snippet for a page or a SPLICE platform, or for an LMS how to build the package."""
    platform = embed_platform()
    for box in ("embed-resize-box", "embed-report-box"):  # a plain page's only
        element(box).hidden = platform != "page"
    for box in ("embed-size-box", "embed-rewind-box", "embed-hide-box"):  # not in a package
        element(box).hidden = platform == "lms"
    element("embed-preview").disabled = platform == "lms"
    element("embed-code").rows = 9 if platform == "lms" else 4
    if platform == "lms":
        return scorm_instructions(element("embed-lesson").value)
    url = embed_link(app)
    script = ""
    if element("embed-resize").checked and platform == "page":
        script = window.location.origin + window.location.pathname + "static/js/embed-host.js"
    return embed_snippet(url, element("embed-size").value or "compact", script)


@on("#embed-open", "click")
def on_embed_open(app: App, event) -> None:
    container = element("embed-hide")
    if not container.children.length:
        fill_select("embed-platform", options("embed.platform", EMBED_PLATFORMS))
        fill_select("embed-size", options("embed.size", EMBED_SIZES))
        fill_select("embed-lesson", lesson_choices())
        browser = ("", t("embed.lang.browser"))
        fill_select("embed-lang", [browser, *((tag, LANGUAGE_NAMES[tag]) for tag in LANGUAGES)])
        element("embed-lang").value = app.lab.settings.lang
        element("embed-lesson").value = "/".join(
            part for part in (app.lab.settings.lesson, app.lab.settings.challenge) if part
        )
        element("embed-report").value = app.lab.settings.report
        element("embed-report").dataset.origin = app.lab.settings.report
        for name, words in options("hide", HIDEABLE_LABELS):
            box = make("input", type="checkbox", value=name)
            box.checked = name in app.lab.settings.hide
            label = make("label", title=f"hide={name}")
            label.append(box, document.createTextNode(" " + words))
            container.appendChild(label)
    element("embed-code").value = embed_code(app)
    show_events_preview(app)
    element("embed-preview-box").hidden = True
    element("embed-dialog").showModal()


@on("#embed-hide", "change")
@on("#embed-platform", "change")
@on("#embed-lesson", "change")
@on("#embed-lang", "change")
@on("#embed-size", "change")
@on("#embed-resize", "change")
@on("#embed-rewind", "change")
def on_embed_options(app: App, event) -> None:
    element("embed-code").value = embed_code(app)
    show_events_preview(app)
    if not element("embed-preview-box").hidden:
        on_embed_preview(app, event)


@on("#embed-preview", "click")
def on_embed_preview(app: App, event) -> None:
    """The lab as the course page will show it, in a frame of the chosen size."""
    _label, width, height = EMBED_SIZES[element("embed-size").value or "compact"]
    frame = make("iframe", title=t("embed.preview"), data_testid="embed-preview-frame")
    frame.src = embed_link(app)
    frame.style.width = f"{width}px" if width else "100%"
    frame.style.height = f"{height}px"
    frame.style.border = "1px solid var(--border)"
    box = element("embed-preview-box")
    box.replaceChildren(frame)
    box.hidden = False


# --- "Send progress to": the report= origin of the snippet, and what that page receives -----


def embed_report() -> str:
    """The origin last accepted in "Send progress to" ("" for none): a rejected one is kept
    in its field, marked, and changes nothing in the snippet."""
    return element("embed-report").dataset.origin or ""


def show_events_preview(app: App) -> None:
    from datetime import UTC, datetime

    from core.course import builtin_lessons, events_preview  # not needed at start-up

    name = element("embed-lesson").value.partition("/")[0]
    lesson = builtin_lessons().get(name) or getattr(getattr(app, "lesson", None), "lesson", None)
    text = events_preview(app.lab, lesson, embed_report(), datetime.now(UTC))
    element("embed-events").textContent = text


@on("#embed-report", "input", redraw=False)
def on_embed_report(app: App, event) -> None:
    """A ValueError (not an origin) marks the field, with why, and changes nothing else."""
    from core.inputs import parse_origin

    field = element("embed-report")
    field.dataset.origin = parse_origin(field.value)
    clear_error()  # the message of an earlier, refused origin (this handler draws nothing else)
    on_embed_options(app, event)


@on("#export-json", "click")
def on_export(app: App, event) -> None:
    download("nn-lab.json", export_text(app.lab), "application/json")
    set_status(t("export.done", file="nn-lab.json"))


async def import_file(app: App, file) -> None:
    text = await file.text()
    try:
        settings, network, epoch = read_import(text)
    except ValueError as error:
        show_error(str(error))
        return
    lab = app.lab
    lab.code = None  # the file's network is nn's; its code, if any, waits in the editor
    # How the page looks stays as the link says: a file never hides or embeds anything.
    looks = ("embed", "hide", "rewind", "lesson", "challenge", "report")
    lab.change(replace(settings, **{key: getattr(lab.settings, key) for key in looks}), True)
    lab.network = network
    lab.epoch = epoch
    lab.weights_changed()
    lab.replayable = epoch == 0
    restart(lab)  # the history starts from the file's network
    app.editing = None
    clear_error()
    for field in invalid_fields():  # every setting is the file's now
        mark_valid(field)
    examples = t("count.example", n=len(settings.examples))
    set_status(t("import.done", file=file.name, examples=examples, epoch=epoch))
    code_panel.arrived(app, "file")
    app.save(app)


@on("#import-json", "change")
def on_import(app: App, event):
    files = event.target.files
    if not files.length:
        return None
    file = files.item(0)
    event.target.value = ""  # choosing the same file again fires change again
    return import_file(app, file)


@on("#export-python", "click")
def on_export_python(app: App, event) -> None:
    element("python-code").value = python_snippet(app.lab)
    script, note = run_script(app.lab)
    element("python-run").value = script
    element("python-run-note").textContent = note
    element("python-dialog").showModal()


# The dialogs' Copy buttons: the button, the field it copies and what the status calls that.
COPY_BUTTONS = {
    "embed-copy": ("embed-code", "embed"),
    "python-run-copy": ("python-run", "python_run"),
    "python-copy": ("python-code", "python_code"),
}
# The dialogs' Close buttons: the button and its dialog.
CLOSE_BUTTONS = {"embed-close": "embed-dialog", "python-close": "python-dialog"}


@on(", ".join(f"#{button}" for button in COPY_BUTTONS), "click")
def on_copy(app: App, event) -> None:
    field, what = COPY_BUTTONS[event.currentTarget.id]
    copy_text(element(field).value, what)


@on(", ".join(f"#{button}" for button in CLOSE_BUTTONS), "click")
def on_close(app: App, event) -> None:
    element(CLOSE_BUTTONS[event.currentTarget.id]).close()


@on("#embed-tabs", "click", redraw=False)
def on_embed_tab(app: App, event) -> None:
    """Embedded: show one part of the lab (Model, Loss, Math, Data, Settings, Keep & share)."""
    button = event.target.closest("button")
    if not button:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return
    show_tab(button.getAttribute("data-tab"))


def show_tab(name: str) -> None:
    document.documentElement.setAttribute("data-tab", name)
    for node in document.querySelectorAll("#embed-tabs button"):
        pressed = node.getAttribute("data-tab") == name
        node.setAttribute("aria-pressed", "true" if pressed else "false")


@on("#start-fresh", "click")
def on_start_fresh(app: App, event) -> None:
    """For shared lab computers: forget this browser's saved lab, after asking. A lesson (and
    how the link shows the page) stays: the lesson starts over at its first step."""
    lesson = getattr(app, "lesson", None)
    if lesson is None:
        question = t("fresh.confirm")
    else:
        question = t("fresh.confirm_lesson", title=lesson.lesson.title)
    if not window.confirm(question):
        return
    forget_autosave()
    app.autosave = False  # nothing is saved again before the page reloads
    query = fresh_query(app.lab.settings)
    window.location.href = window.location.pathname + (f"?{query}" if query else "")
