"""The Code panel: the neuron's Python in an editor, and the lab training with the learner's.

The editor (``static/js/code-editor.js``, CodeMirror) is loaded once the lab is ready: it is
not needed to start. It shows the code of the lab's neuron read from ``nn`` in this page
(``usercode.library_source``), or the learner's text kept in the settings (autosave, file,
link). Text that arrives that way is only shown: it runs when the person viewing it presses
**Use my code** (``usercode.load_learner_code``, then ``Lab.use_code``). **Check my
gradients** runs ``gradcheck.check_gradients`` on the editor's code; **Back to the library's
code** and **Load the notebook's version** put the other texts in the editor.
"""

from __future__ import annotations

import asyncio
from html import escape
from typing import TYPE_CHECKING

from core.controller import RejectedInput
from core.i18n import shown_number, t
from core.settings import changed
from core.usercode import NOTEBOOK_SOURCE, CodeError, library_source, load_learner_code
from pyodide.code import run_js
from pyodide.ffi import create_proxy
from pyscript import document, window

from page.app import App, on
from page.dom import element, js_object, set_status, set_text
from page.turns import idle_turn

EDITOR_MODULE = "static/js/code-editor.js"
CODEMIRROR_CHUNKS = "static/vendor/codemirror-chunks.js"  # CodeMirror's modules, in load order
SAVE_AFTER = 1.0  # seconds after the last keystroke the text is saved
BUTTONS = ("use-code", "check-gradients", "library-code", "notebook-code")
_import = run_js("(url) => import(url)")

if TYPE_CHECKING:
    from core.gradcheck import GradientReport, GradientRow


async def start(app: App, origin: str) -> None:
    """Once the panel is (nearly) in view, load the editor with the text in the settings (said
    in a notice when it came from a link, a file or the autosave: ``origin``), or else the
    library's code. Until then nothing of CodeMirror is fetched."""
    await in_view(element("code-panel"))
    await not_training(app)
    try:
        # CodeMirror's modules one a turn (tests/codemirror_entry.py): at once, ~50 ms
        for chunk in (await _import(url_of(CODEMIRROR_CHUNKS))).default:
            await _import(chunk)
            await idle_turn()
        module = await _import(url_of(EDITOR_MODULE))
        await not_training(app)  # a run may have started while the editor's modules came
        text = app.lab.settings.code or library_source()
        box = element("code-editor")
        box.replaceChildren()
        editor = await module.create(  # in steps, idle tasks between (code-editor.js)
            box,
            text,
            t("code.editor_label"),
            create_proxy(lambda: text_changed(app)),
            create_proxy(lambda: bool(app.training or app.lab.training)),  # steps wait
        )
    except Exception as error:  # the lab works on without the Code panel
        set_text("code-editor", t("code.no_editor", error=error))
        element("code-editor").removeAttribute("aria-busy")
        return
    latest = app.lab.settings.code or library_source()
    if latest != text:  # a file brought its own code while the editor was made (arrived)
        editor.setText(latest)
        app.code_edits += 1  # the text is the settings' already: nothing to save
    app.code_editor = editor
    element("code-editor").removeAttribute("aria-busy")
    for button in BUTTONS:
        element(button).disabled = False
    if app.lab.settings.code:
        show_notice(arrived_notice(app.code_arrived or origin))
        app.code_unrun = True
    element("code-panel").setAttribute("data-code-ready", "true")  # the tests wait on it


def url_of(path: str) -> str:
    """The address of ``path``, a file of the page's (relative to the page)."""
    return window.URL.new(path, document.baseURI).href


async def not_training(app: App) -> None:
    """Return once no run is being trained, or drawn and saved at its end (a paused one is
    not): the editor's modules and its steps take the browser's idle time, not a run's."""
    while app.training or app.lab.training:
        await asyncio.sleep(0.25)


def in_view(node) -> asyncio.Future:
    """A future that is done once ``node`` comes within 600 px of the viewport (it may never:
    hidden in an embedded lab until its Code tab is chosen)."""
    future = asyncio.get_event_loop().create_future()

    def seen(entries, observer) -> None:
        if any(entry.isIntersecting for entry in entries) and not future.done():
            observer.disconnect()
            future.set_result(None)

    callback = create_proxy(seen)
    observer = window.IntersectionObserver.new(callback, js_object({"rootMargin": "600px"}))
    observer.observe(node)
    future.add_done_callback(lambda _done: callback.destroy())
    return future


# Where code that is only shown came from ("link", "saved", "file"): how the notice names it.
ORIGINS = {"link": "code.origin.link", "saved": "code.origin.saved", "file": "code.origin.file"}


def arrived_notice(origin: str) -> str:
    """The notice over code that came with ``origin`` (an ``ORIGINS`` id): read it first, it
    runs only on Use my code."""
    return t("code.arrived", origin=t(ORIGINS[origin]))


def arrived(app: App, origin: str) -> None:
    """New settings (an imported file: ``origin`` "file") brought their own text: show it,
    never run it."""
    in_use(app)
    if app.code_editor is None:
        app.code_arrived = origin  # start() shows the settings' text once the editor is made
        return
    app.code_editor.setText(app.lab.settings.code or library_source())
    app.code_edits += 1  # the text is the settings' already: nothing to save
    app.code_unrun = bool(app.lab.settings.code)
    show_problem(app, None)
    show_notice(arrived_notice(origin) if app.code_unrun else "")


def show_notice(text: str) -> None:
    node = element("code-notice")
    node.hidden = not text
    node.textContent = text


def text_changed(app: App) -> None:
    """Keep the editor's text in the settings, saved a moment after the typing stops."""
    app.code_unrun = False  # changed by the person viewing it: theirs to run
    element("gradient-check").hidden = True  # a check of other text says nothing of this one
    app.code_edits += 1
    edit = app.code_edits
    asyncio.get_event_loop().call_later(SAVE_AFTER, lambda: keep_text(app, edit))


def keep_text(app: App, edit: int | None = None) -> None:
    if app.code_editor is None or (edit is not None and edit != app.code_edits):
        return
    text = app.code_editor.getText()
    code = "" if text == library_source() else text
    if code != app.lab.settings.code:
        try:
            app.lab.change(changed(app.lab.settings, code=code))
        except ValueError as error:  # e.g. longer than the lab keeps
            show_problem(app, CodeError(str(error)))
            return
        app.save(app)


def show_problem(app: App, problem: CodeError | None) -> None:
    """The error region under the editor, and the mark on the line it points at."""
    set_text("code-error", "" if problem is None else problem.text)
    if app.code_editor is not None:
        app.code_editor.markLine(None if problem is None else problem.line)


def in_use(app: App) -> None:
    mine = app.lab.code is not None
    set_text("code-status", t("code.in_use.mine" if mine else "html.p.code-status"))
    element("code-panel").setAttribute("data-code", "mine" if mine else "library")


def settled(app: App, status: str) -> None:
    """The code in use changed: no problem, no notice, the panel says whose code it is."""
    show_problem(app, None)
    show_notice("")
    in_use(app)
    set_status(status)


@on("#use-code", "click")
def on_use_code(app: App, event) -> None:
    keep_text(app)
    loaded = load_learner_code(app.code_editor.getText())
    if isinstance(loaded, CodeError):
        show_problem(app, loaded)
        raise RejectedInput(t("code.not_yet", problem=loaded.text))
    app.code_unrun = False  # pressed by the person viewing it
    app.lab.use_code(loaded)  # CodeFailed: shown and marked by the App's guard
    settled(app, t("code.now_mine"))


@on("#library-code", "click")
def on_library_code(app: App, event) -> None:
    app.lab.use_code(None)
    app.code_editor.setText(library_source())
    keep_text(app)
    settled(app, t("code.back"))


@on("#notebook-code", "click")
def on_notebook_code(app: App, event) -> None:
    app.code_editor.setText(NOTEBOOK_SOURCE)
    keep_text(app)
    show_problem(app, None)
    show_notice(t("code.notebook"))


@on("#check-gradients", "click")
def on_check_gradients(app: App, event) -> None:
    keep_text(app)
    region = element("gradient-check")
    region.hidden = False
    if app.code_unrun:  # checking runs the code: code from a link waits for Use my code
        region.setAttribute("data-passed", "")
        region.innerHTML = f'<p class="verdict">{escape(t("code.check.unrun"))}</p>'
        return
    loaded = load_learner_code(app.code_editor.getText())
    if isinstance(loaded, CodeError):
        show_problem(app, loaded)
        region.setAttribute("data-passed", "false")
        verdict = t("code.check.not_checked", problem=loaded.text)
        region.innerHTML = f'<p class="verdict">{escape(verdict)}</p>'
        return
    from core.gradcheck import check_gradients  # imported when first asked for: not at start-up

    report = check_gradients(loaded.learner_class)
    show_problem(app, report.error)
    region.setAttribute("data-passed", "true" if report.passed else "false")
    region.innerHTML = report_html(report)


def report_html(report: GradientReport) -> str:
    """The verdict in one sentence, then a row per quantity and case (its worst trial), each
    named by its gradient and how it was read (dC/dw₀ (−Δw₀ at η = 1))."""
    from core.gradcheck import row_label

    worst: dict[tuple[str, str], GradientRow] = {}
    for row in report.rows:
        seen = worst.get((row.case, row.name))
        if seen is None or (not row.passed, row.error) > (not seen.passed, seen.error):
            worst[row.case, row.name] = row
    passed, failed = escape(t("code.check.pass")), escape(t("code.check.fail"))
    rows = "".join(
        f"<tr><td>{escape(row_label(row.name))}</td><td><code>{escape(row.case)}</code></td>"
        f"<td>{shown_number(f'{row.analytic:.6g}')}</td>"
        f"<td>{shown_number(f'{row.numeric:.6g}')}</td>"
        f"<td>{shown_number(f'{row.error:.1e}')}</td>"
        + (f'<td class="pass">{passed}</td>' if row.passed else f'<td class="fail">{failed}</td>')
        + "</tr>"
        for row in worst.values()
    )
    trials = len({row.trial for row in report.rows})
    verdict = t("code.check.passed" if report.passed else "code.check.failed")
    tolerance = shown_number(f"{report.tolerance:g}")
    headings = "".join(
        f'<th scope="col">{escape(t(f"code.check.{name}"))}</th>'
        for name in ("quantity", "forward", "yours", "numeric", "error", "result")
    )
    return (
        f'<p class="verdict">{escape(verdict + " " + report.diagnosis)}</p>'
        f'<p class="muted small">{escape(t("code.check.how", n=trials, tolerance=tolerance))}</p>'
        f"<table><thead><tr>{headings}</tr></thead><tbody>{rows}</tbody></table>"
    )
