"""A lesson in the page (?lesson=notebook, ?lesson=./my-lesson.json or ?lesson=https://…): the
panel that shows the step, its checks live and the challenges, and drives the lab.

The lesson itself (schema, checks, built-in lessons, progress, events) is pure: ``lessons``,
``checks`` and ``course``. Here: loading it, entering a step (its setup, locked and hidden
controls), drawing the panel after every redraw, and telling the course page what passed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.i18n import language, t
from pyscript import document, window

from page.app import App, on
from page.dom import element, js_object, make, set_notice, set_status, set_text
from page.field_events import change

if TYPE_CHECKING:
    from core.course import HostMessage
    from core.lessons import Lesson, Progress

# ``course`` (with ``lessons`` and ``checks``) is imported where a lesson is used, not at
# start-up: a lab without a lesson never needs it (tests/unit/test_page_config.py checks).

LOCK_SELECTOR = "input, select, button, textarea"


class LessonState:
    """The lesson being followed and where the learner is in it."""

    def __init__(self, lesson: Lesson, progress: Progress) -> None:
        self.lesson, self.progress = lesson, progress
        self.marked: list = []  # elements a step hid or disabled, to give back on leaving it
        self.concealed: list = []  # elements hidden until the step's questions are answered


async def load(app: App, notes: list[str]) -> None:
    """Open the lesson the link asks for, if any; a bad one is reported and the lab opens."""
    s = app.lab.settings
    if not s.lesson:
        return
    from core import course
    from core.lesson_files import lesson_request
    from core.lessons import Progress

    request = lesson_request(s.lesson)
    if isinstance(request, str):
        notes.append(request)
        return
    kind, name = request
    if kind == "builtin":
        lesson = course.builtin_lessons()[name]
    else:  # "file" or "url"
        lesson = await fetch_lesson(name, notes)
        if lesson is None:
            return
    progress, more = Progress.from_json(app.lab.lesson_progress, lesson)
    notes += more
    app.lesson = LessonState(lesson, progress)
    if s.challenge:
        if lesson.challenge(s.challenge) is None:
            ids = ", ".join(c.id for c in lesson.challenges) or "none"
            notes.append(f"challenge: {s.challenge!r} is not in this lesson; its ids: {ids}.")
        else:
            app.lesson.progress = progress.open_challenge(lesson, s.challenge)
    element("lesson").hidden = False
    element("lesson-tab").hidden = False
    if progress.finished(lesson):  # what to do next: the challenges
        element("lesson-challenges").open = True
    if s.embed:
        from page.share_events import show_tab

        show_tab("lesson")
    enter(app, setup=app.lab.epoch == 0 and app.lab.steps == 0)


async def fetch_lesson(address: str, notes: list[str]) -> Lesson | None:
    """A teacher's lesson file: beside the lab, or at an address on any origin, read with CORS
    (no cookies sent); None, with a note saying what to fix, if unusable. It is only read as
    data (``lessons.read_lesson_text``). Each one loaded is kept for offline use, and opened
    from there when the network fails (``storage.kept_lesson``)."""
    from core.lesson_files import fetch_problem

    from page.storage import keep_lesson, kept_lesson

    url = window.URL.new(address, window.location.href).href
    try:
        options = {"cache": "no-cache", "mode": "cors", "credentials": "omit"}
        response = await window.fetch(url, js_object(options))
        if not response.ok:
            notes.append(fetch_problem(address, window.location.origin, response.status))
            return None
        await keep_lesson(url, response)
        text = await response.text()
    except Exception as error:  # offline, refused by CORS, or a wrong host
        text = await kept_lesson(url)
        if text is None:
            reason = getattr(error, "message", "") or str(error)
            notes.append(fetch_problem(address, window.location.origin, None, reason))
            return None
        notes.append(t("lessonfile.kept_copy", address=address))
    from core.lessons import read_lesson_text

    lesson, problems = read_lesson_text(text, t("lessonfile.the_file_at", address=address))
    if lesson is None:
        said = t("lessonfile.problems", what=t("lessonfile.the_file_at", address=address))
        notes.append(said + " " + " ".join(problems))
    return lesson


def current(state: LessonState):
    """The challenge open, or else the step shown."""
    challenge = state.lesson.challenge(state.progress.challenge)
    return challenge or state.lesson.steps[state.progress.step]


def enter(app: App, setup: bool = True) -> None:
    """Show the step (or challenge) now current: its setup, locks and hidden controls."""
    state = app.lesson
    part = current(state)
    for node, how in state.marked:
        node.removeAttribute(how)
    state.marked = []
    if setup and part.setup is not None:
        from core.course import setup_settings

        change(app, setup_settings(part.setup, app.lab.settings), rebuild=True)
        app.hint = None
        what = "lesson.setup.challenge" if state.progress.challenge else "lesson.setup.step"
        set_status(t(what, seed=app.lab.settings.seed))
    for name in part.hide:
        for node in document.querySelectorAll(f'[data-control="{name}"]'):
            if node.getAttribute("data-hidden") != "true":
                node.setAttribute("data-hidden", "true")
                state.marked.append((node, "data-hidden"))
    for name in part.lock:
        for box in document.querySelectorAll(f'[data-control="{name}"]'):
            nodes = [box, *box.querySelectorAll(LOCK_SELECTOR)]
            for node in nodes:
                if node.matches(LOCK_SELECTOR) and not node.disabled:
                    node.setAttribute("disabled", "")
                    state.marked.append((node, "disabled"))


def refresh(app: App) -> None:
    """After every redraw: check what passed, tell the course page, draw the panel."""
    state = getattr(app, "lesson", None)
    if state is None:
        return
    from core.course import update

    state.progress, events = update(state.progress, state.lesson, app.lab, datetime.now(UTC))
    report(app, events)
    if any(e["type"] == "lesson-finished" for e in events):
        element("lesson-challenges").open = True  # the end opens the challenges
    app.lab.lesson_progress = state.progress.to_json()
    draw(app, state)


def report(app: App, events: list[dict]) -> None:
    for event in events:
        app.host.report_event(event)
    if events and app.platform is not None:  # progress changed: the platform is told at once
        app.platform.changed(now=True)


def draw(app: App, state: LessonState) -> None:
    from core.course import results as check_results
    from core.lesson_score import lesson_score

    lesson, progress = state.lesson, state.progress
    count = len(lesson.steps)
    set_text("lesson-title", lesson.title)
    step_box = element("lesson-step")
    step_box.setAttribute("data-step", str(progress.step + 1))
    score = lesson_score(progress, lesson)
    set_text(
        "lesson-step",
        t(
            "lesson.progress",
            step=progress.step + 1,
            count=count,
            done=len(progress.done),
            earned=score.earned,
            possible=score.possible,
        ),
    )
    part = current(state)
    challenge = lesson.challenge(progress.challenge)
    step = None if challenge else lesson.steps[progress.step]
    title = t("lesson.challenge_title", title=part.title) if challenge else part.title
    set_text("lesson-step-title", title)
    set_text("lesson-text", part.goal if challenge else part.text)
    set_text("lesson-task", "" if challenge else part.task)
    results = check_results(part.checks, app.lab, progress.answers)
    pairs = list(zip(part.checks, results, strict=True))
    items = [check_item(check, result, progress) for check, result in pairs]
    element("lesson-checks").replaceChildren(*items)
    # Predict, then reveal: what would give the answer away waits for a right answer.
    answered = step is not None and (
        progress.step in progress.done
        or all(result.passed for check, result in pairs if check.kind == "answer")
    )
    conceal(state, () if step is None or answered else step.conceal)
    reveal = step.reveal if step is not None and answered else ""
    set_text("lesson-reveal", reveal)
    element("lesson-reveal").hidden = not reveal
    if step is not None and step.reveal:  # the lab's own hint would say it a second time
        element("hint").hidden = True
    show_me = element("lesson-show-me")
    show_me.hidden = step is None or not step.show or step.show in [*state_hidden(state)]
    show_me.setAttribute("data-show", "" if step is None else step.show)
    element("lesson-back").disabled = progress.step == 0 and challenge is None
    element("lesson-next").disabled = progress.step == count - 1 and challenge is None
    set_text("lesson-next", t("lesson.back_to_lesson" if challenge else "html.button.lesson-next"))
    element("lesson-challenges").hidden = not lesson.challenges
    rows = [
        challenge_item(c, c.id in progress.passed, c.id == progress.challenge)
        for c in lesson.challenges
    ]
    element("challenge-list").replaceChildren(*rows)
    draw_finished(lesson, progress, challenge is None)


def state_hidden(state: LessonState) -> list[str]:
    """The controls hidden now by the step's conceal list."""
    return [node.getAttribute("data-control") for node in state.concealed]


def conceal(state: LessonState, names: tuple[str, ...]) -> None:
    """Hide the controls ``names`` (until the step's questions are answered right), and say
    so; give back what was hidden before. Controls already hidden (by the link, the step)
    are left alone."""
    from core.names import name as name_of

    for node in state.concealed:
        node.removeAttribute("data-hidden")
    state.concealed = []
    # the diagram's ∂C/∂z labels give the math panel's answers away too (lab.css)
    document.documentElement.setAttribute("data-concealed", " ".join(names))
    for name in names:
        for node in document.querySelectorAll(f'[data-control="{name}"]'):
            if node.getAttribute("data-hidden") != "true":
                node.setAttribute("data-hidden", "true")
                state.concealed.append(node)
    labels = [name_of(f"hide.{name}") for name in names]
    if language() != "de":  # German nouns keep their capital
        labels = [label.lower() for label in labels]
    note = element("lesson-concealed")
    note.hidden = not labels
    words = "lesson.conceal.many" if len(labels) > 1 else "lesson.conceal.one"
    note.textContent = t(words, labels=t("lesson.and").join(labels)) if labels else ""


def draw_finished(lesson: Lesson, progress: Progress, shown: bool) -> None:
    """The end of the lesson: what was passed, and the next thing to do (a challenge)."""
    from core.lesson_score import lesson_score

    box = element("lesson-finished")
    box.hidden = not (shown and progress.finished(lesson))
    if box.hidden:
        return
    score = lesson_score(progress, lesson)
    text = t("lesson.finished", possible=score.possible, earned=score.earned)
    if score.later:
        steps = score.steps_text(score.later)
        text += t("lesson.finished.later", n=len(score.later), steps=steps)
    passed, count = len(progress.passed), len(lesson.challenges)
    text += t("lesson.finished.challenges", passed=passed, count=count)
    set_text("lesson-finished-text", text)
    button = element("lesson-finished-next")
    todo = next((c for c in lesson.challenges if c.id not in progress.passed), None)
    button.hidden = todo is None
    if todo is not None:
        button.textContent = t("lesson.try_challenge", title=todo.title)
        button.setAttribute("data-challenge", todo.id)


def check_item(check, result, progress: Progress):
    from core.lesson_score import first_try_text

    item = make("li", "", data_testid="lesson-check")
    item.setAttribute("data-passed", "true" if result.passed else "false")
    item.append(make("span", check.text), make("span", result.detail, "detail"))
    if check.kind == "answer":
        answer_id = check.params["id"]
        chosen = progress.answers.get(answer_id)
        first = first_try_text(progress, answer_id)
        if first and result.passed:
            tag = make("span", f"({first})", "first-try", data_testid="lesson-first-try")
            tag.setAttribute("data-first", "true" if progress.first[answer_id] else "false")
            item.append(tag)
        choices = make("div", "", "choices", role="group", aria_label=check.text)
        for index, choice in enumerate(check.params["choices"]):
            button = make("button", choice, type="button", data_answer=answer_id)
            button.setAttribute("data-choice", str(index))
            button.setAttribute("data-testid", "lesson-answer")
            button.setAttribute("aria-pressed", "true" if chosen == index else "false")
            choices.append(button)
        item.append(choices)
    return item


def challenge_item(challenge, passed: bool, is_open: bool):
    item = make("li", "", "open" if is_open else "", data_testid="challenge")
    item.setAttribute("data-passed", "true" if passed else "false")
    item.setAttribute("data-challenge", challenge.id)
    item.append(make("strong", challenge.title), make("span", challenge.goal, "detail"))
    if not is_open:
        item.append(make("button", t("lesson.try_it"), type="button", data_challenge=challenge.id))
    return item


def go(app: App, progress: Progress, events: list[dict] | None = None) -> None:
    if progress.challenge is not None:
        element("lesson-challenges").open = True
    app.lesson.progress = progress
    app.lab.lesson_progress = progress.to_json()  # for the autosave that follows this click
    report(app, events or [])
    enter(app)


@on("#lesson-next", "click")
def on_next(app: App, event) -> None:
    state = app.lesson
    if state.progress.challenge is not None:  # back to the lesson from a challenge
        go(app, state.progress.go_to(state.lesson, state.progress.step))
        return
    from core.course import next_step

    progress, events = next_step(state.progress, state.lesson, app.lab, datetime.now(UTC))
    go(app, progress, events)


@on("#lesson-back", "click")
def on_back(app: App, event) -> None:
    state = app.lesson
    step = state.progress.step - (state.progress.challenge is None)
    go(app, state.progress.go_to(state.lesson, step))


@on("#lesson-checks", "click")
def on_answer(app: App, event) -> None:
    button = event.target.closest("button[data-answer]")
    if not button:  # JS null arrives as pyodide.ffi.jsnull (falsy), not None
        return
    from core.course import pick

    state = app.lesson
    choice = int(button.getAttribute("data-choice"))
    answer_id = button.getAttribute("data-answer")
    state.progress = pick(state.progress, state.lesson, app.lab, answer_id, choice)
    app.lab.lesson_progress = state.progress.to_json()


@on("#lesson-finished-next", "click")
def on_finished_next(app: App, event) -> None:
    """The end of the lesson offers the first challenge not passed yet."""
    state = app.lesson
    challenge_id = element("lesson-finished-next").getAttribute("data-challenge")
    go(app, state.progress.open_challenge(state.lesson, challenge_id))


@on("#lesson-show-me", "click", redraw=False)
def on_show_me(app: App, event) -> None:
    """Bring the control the step points at into view: scroll to it, or in an embedded lab
    switch to the tab that holds it."""
    name = element("lesson-show-me").getAttribute("data-show")
    nodes = [
        n
        for n in document.querySelectorAll(f'[data-control="{name}"]')
        if not n.closest("#embed-tabs")
    ]
    if not nodes:
        return
    node = nodes[0]
    if app.lab.settings.embed:
        from page.share_events import show_tab

        show_tab(tab_of(node))
    node.scrollIntoView(js_object({"block": "center"}))


def tab_of(node) -> str:
    """The embedded lab's tab that shows ``node``."""
    if node.closest('[data-control="learning-rate"], [data-control="epochs"]'):
        return "model"  # in the bar above every tab: shown beside the model and its prediction
    for selector, tab in (
        (".math-box", "math"),
        (".chart-box", "chart"),
        (".history-box", "chart"),
        (".panel.data", "data"),
        (".panel.code", "code"),
        (".header-tools", "share"),
        (".layers", "settings"),
        (".panel.train .grid2", "settings"),
        (".panel.train .speed", "settings"),
    ):
        if node.closest(selector):
            return tab
    return "model"


@on("#challenge-list", "click")
def on_challenge(app: App, event) -> None:
    button = event.target.closest("button[data-challenge]")
    if not button:
        return
    state = app.lesson
    go(app, state.progress.open_challenge(state.lesson, button.getAttribute("data-challenge")))
    set_notice("")


def on_host_message(app: App, message: HostMessage) -> None:
    """A documented message from the course page (origin already checked by host.py)."""
    state = getattr(app, "lesson", None)
    if message.type == "hello":
        announce_ready(app)
    elif message.type == "go-to-step" and state is not None and message.step is not None:
        go(app, state.progress.go_to(state.lesson, message.step))
        app.save(app)
        app.redraw_after_change(app)


def announce_ready(app: App) -> None:
    """Post a "ready" event to the report origin: once the lab has started, whoever spoke first,
    and in answer to every hello."""
    if not (app.host.embedded and app.host.report):
        return
    from core.course import event

    state = getattr(app, "lesson", None)
    lesson = None if state is None else state.lesson
    progress = None if state is None else state.progress
    app.host.report_event(event("ready", lesson, progress, app.lab, datetime.now(UTC)))
