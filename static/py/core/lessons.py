"""Guided lessons and challenges: the schema of a lesson file, reading it, and progress.

A lesson is JSON (documented in README's "Lesson files"): a title, steps (each sets up the lab,
says what to look at, asks the learner to do or predict something and checks it), and
challenges (a goal and its constraints, checked live). ``read_lesson`` reads one and names
every problem by its place ("steps[2].checks[0].kind: ..."); it never raises, and a lesson
with any problem is not opened (the lab still is, with the list). ``Progress`` is what the
autosave keeps of a learner's way through a lesson. No browser imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from types import MappingProxyType
from typing import Any

from core import i18n
from core.checks import CHECKS, MAX_TEXT, SIGNS, Check, Param
from core.fields import KEYS
from core.inputs import format_float
from core.savestate import PAGE_OPTIONS, read_json
from core.settings import Settings, decode_query, from_json
from core.values import HIDEABLE
from nn.i18n import PSEUDO, is_tag, pseudo, resolve
from nn.validation import shown

FORMAT = "nn-lesson"  # the optional "format" of a lesson file
MAX_LESSON_LENGTH = 200_000  # characters of a lesson file
MAX_STEPS, MAX_CHALLENGES, MAX_CHECKS = 30, 20, 8
MAX_TITLE, MAX_PARAGRAPH = 100, 1000  # characters
MAX_PROBLEMS = 20  # listed; the rest are counted
ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")  # lesson and challenge ids
_WARNING = re.compile(r"([a-z]+): (.*)", re.DOTALL)  # "lr: ..." from decode_query


@dataclass(frozen=True)
class Step:
    """One step: what to read, what to do, the lab it starts from, and its checks."""

    title: str
    text: str  # two or three sentences: what to look at
    task: str = ""  # what to do or predict
    setup: Settings | None = None  # None: the lab stays as the learner left it
    lock: tuple[str, ...] = ()  # controls shown but disabled (names from values.HIDEABLE)
    hide: tuple[str, ...] = ()  # controls hidden, on top of the link's hide=
    checks: tuple[Check, ...] = ()  # all must pass; none: done when the learner presses Next
    # Predict, then reveal: while a question of the step is not answered right, the controls
    # in ``conceal`` are hidden (they would give the answer away) and ``reveal`` is not shown
    reveal: str = ""  # said once every question is answered right: the sentence with the answer
    conceal: tuple[str, ...] = ()  # controls hidden until then (names from values.HIDEABLE)
    show: str = ""  # the control the step points at: "Show me" brings it into view

    def questions(self) -> tuple[Check, ...]:
        """The step's questions: its answer checks."""
        return tuple(check for check in self.checks if check.kind == "answer")


@dataclass(frozen=True)
class Challenge:
    """A goal and its constraints (``checks``, all must pass), from its own setup."""

    id: str
    title: str
    goal: str
    setup: Settings | None = None
    lock: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    steps: tuple[Step, ...]
    challenges: tuple[Challenge, ...] = ()
    intro: str = ""

    def challenge(self, challenge_id: str | None) -> Challenge | None:
        return next((c for c in self.challenges if c.id == challenge_id), None)


_CHECK_EXAMPLE = '{"kind": "loss_below", "value": 0.01}'  # a check, in a lesson file's JSON

# --- reading a check -----------------------------------------------------------------------


def _key(key: object) -> str:
    """A key of lesson data, for a place in a message (JSON keys are text; others are named)."""
    return shown(key, 40)[1:-1] if isinstance(key, str) else f"<{type(key).__name__}>"


def _help(kind: str, param: Param) -> str:
    """What the check ``kind``'s parameter is, in the page's language (its English is in
    ``core.checks``, beside the check)."""
    return i18n.named(f"check.{kind}.{param.name}.help", param.help)


def _read_param(kind: str, param: Param, value: object, where: str) -> tuple[Any, str | None]:
    """The parameter's value, or a problem naming ``where``."""
    if param.type in ("number", "whole"):
        kinds = int if param.type == "whole" else (int, float)
        if not isinstance(value, kinds) or isinstance(value, bool) or value != value:
            expected = "whole" if param.type == "whole" else "number"
            return None, f"{where}: {i18n.t('lessonfile.' + expected, help=_help(kind, param))}"
        if not param.low <= value <= param.high:  # also refuses ±inf
            low, high = (i18n.shown_number(format_float(n)) for n in (param.low, param.high))
            return None, f"{where}: {i18n.t('lessonfile.range', low=low, high=high)}"
        return value, None
    if param.type == "texts":  # one per choice; "" for none
        if not isinstance(value, list) or not 2 <= len(value) <= 6:
            return None, f"{where}: {i18n.t('lessonfile.texts')}"
        if not all(isinstance(c, str) and len(c) <= MAX_TEXT for c in value):
            return None, f"{where}: {i18n.t('lessonfile.texts_long', most=MAX_TEXT)}"
        return tuple(c.strip() for c in value), None
    if param.type == "choices":
        if not isinstance(value, list) or not 2 <= len(value) <= 6:
            return None, f"{where}: {i18n.t('lessonfile.choices')}"
        if not all(isinstance(c, str) and c.strip() and len(c) <= MAX_TEXT for c in value):
            return None, f"{where}: {i18n.t('lessonfile.choices_long', most=MAX_TEXT)}"
        return tuple(c.strip() for c in value), None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        said = i18n.t("lessonfile.text_help", most=MAX_TEXT, help=_help(kind, param))
        return None, f"{where}: {said}"
    if param.options and value not in param.options:
        options = ", ".join(param.options)
        return None, f"{where}: {i18n.t('lessonfile.option', value=shown(value), options=options)}"
    return value.strip(), None


def read_check(data: object, path: str) -> tuple[Check | None, list[str]]:
    """A check from lesson data (``{"kind": ..., params...}``) and the problems found, each
    starting with its place, e.g. "steps[2].checks[0].kind: ...". Never raises."""
    if not isinstance(data, dict):
        return None, [f"{path}: {i18n.t('lessonfile.check', example=_CHECK_EXAMPLE)}"]
    name = data.get("kind")
    if not isinstance(name, str) or name not in CHECKS:
        checks = ", ".join(CHECKS)
        if not isinstance(name, str):
            return None, [f"{path}.kind: {i18n.t('lessonfile.kind_missing', checks=checks)}"]
        import difflib  # only for a misspelt check: not at start-up

        close = difflib.get_close_matches(name, list(CHECKS), 1)
        key = "lessonfile.kind_close" if close else "lessonfile.kind"
        said = i18n.t(key, name=shown(name), close=repr(close[0]) if close else "", checks=checks)
        return None, [f"{path}.kind: {said}"]
    names = [param.name for param in CHECKS[name].params]
    takes = ", ".join([*names, "label"])
    problems = [
        f"{path}.{_key(key)}: {i18n.t('lessonfile.no_parameter', check=name, takes=takes)}"
        for key in data
        if key not in names and key not in ("kind", "label")
    ]
    params: dict[str, Any] = {}
    for param in CHECKS[name].params:
        if param.name in data:
            where = f"{path}.{param.name}"
            params[param.name], problem = _read_param(name, param, data[param.name], where)
            problems += [problem] if problem else []
        elif param.required:
            problems.append(
                f"{path}.{param.name}: "
                + i18n.t("lessonfile.missing_help", help=_help(name, param))
            )
        else:
            params[param.name] = param.default
    label = data.get("label", "")
    if not isinstance(label, str) or len(label) > MAX_TEXT:
        problems.append(f"{path}.label: {i18n.t('lessonfile.label', most=MAX_TEXT)}")
    if name == "answer" and not problems:
        problems += _answer_problems(data, params, path)
    if problems:
        return None, problems
    return Check(name, MappingProxyType(params), label.strip()), []


def _answer_problems(data: dict, params: dict[str, Any], path: str) -> list[str]:
    """An answer needs exactly one of expected and compute, and choices that fit them."""
    if ("expected" in data) == ("compute" in data):
        return [f"{path}: {i18n.t('lessonfile.expected_or_compute')}"]
    if "compute" in data:
        if "weight" not in data:
            return [f"{path}.weight: {i18n.t('lessonfile.weight_missing')}"]
        if params["choices"] is None:
            params["choices"] = SIGNS
        elif len(params["choices"]) != 3:
            return [f"{path}.choices: {i18n.t('lessonfile.sign_choices')}"]
        return _explain_problems(params, path)
    if params["choices"] is None:
        return [f"{path}.choices: {i18n.t('lessonfile.choices_missing')}"]
    if params["expected"] >= len(params["choices"]):
        last = len(params["choices"]) - 1
        said = i18n.t("lessonfile.not_a_choice", expected=params["expected"], last=last)
        return [f"{path}.expected: {said}"]
    return _explain_problems(params, path)


def _explain_problems(params: dict[str, Any], path: str) -> list[str]:
    """``explain`` gives one reply per choice, in the choices' order."""
    explain, count = params["explain"], len(params["choices"])
    if explain is not None and len(explain) != count:
        return [f"{path}.explain: {i18n.t('lessonfile.explain', n=len(explain), choices=count)}"]
    return []


# --- reading a lesson ----------------------------------------------------------------------


class _Reader:
    """Reads the parts of a lesson, collecting problems, each prefixed with its place."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.answer_ids: set[str] = set()

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def fields(self, data: dict, path: str, allowed: tuple[str, ...], what: str) -> None:
        for key in data:
            if key not in allowed:
                where = f"{path}.{_key(key)}" if path else _key(key)
                fields = ", ".join(allowed)
                self.add(where, i18n.t(f"lessonfile.no_field.{what}", fields=fields))

    def text(self, data: dict, key: str, path: str, limit: int, required: bool = True) -> str:
        value, where = data.get(key), f"{path}.{key}" if path else key
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            missing = value is None
            self.add(
                where, i18n.t("lessonfile.missing" if missing else "lessonfile.text", most=limit)
            )
            return ""
        return value.strip()

    def ident(self, data: dict, path: str) -> str:
        value, where = data.get("id"), f"{path}.id" if path else "id"
        if isinstance(value, str) and ID.fullmatch(value):
            return value
        if isinstance(value, str):
            self.add(where, i18n.t("lessonfile.not_an_id", value=shown(value)))
        else:
            self.add(where, i18n.t("lessonfile.id_missing"))
        return ""

    def controls(self, data: dict, key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f"{path}.{key}", i18n.t("lessonfile.controls", example='["seed", "init"]'))
            return ()
        for index, name in enumerate(value):
            if name not in HIDEABLE:
                said = i18n.t("lessonfile.control", name=shown(name), controls=", ".join(HIDEABLE))
                self.add(f"{path}.{key}[{index}]", said)
        return tuple(dict.fromkeys(v for v in value if v in HIDEABLE))

    def setup(self, data: dict, path: str) -> Settings | None:
        value, where = data.get("setup"), f"{path}.setup"
        if value is None:
            return None
        if isinstance(value, str):
            settings, warnings = decode_query(value)
            keys = [part.partition("=")[0] for part in value.removeprefix("?").split("&")]
        elif isinstance(value, dict):
            settings, warnings = from_json(value)
            keys = list(value)
        else:
            self.add(where, i18n.t("lessonfile.setup", example='{"preset": "notebook", "lr": 1}'))
            return None
        for key in PAGE_OPTIONS:  # embed, hide, report
            if key in keys:
                self.add(f"{where}.{key}", i18n.t("lessonfile.page_option"))
        for warning in warnings:
            match = _WARNING.fullmatch(warning)
            if match and match.group(1) in (*KEYS, "preset"):
                self.add(f"{where}.{match.group(1)}", match.group(2))
            else:
                self.add(where, warning)
        return settings

    def checks(self, data: dict, path: str) -> tuple[Check, ...]:
        value = data.get("checks", [])
        if not isinstance(value, list) or len(value) > MAX_CHECKS:
            self.add(f"{path}.checks", i18n.t("lessonfile.checks", most=MAX_CHECKS))
            return ()
        result = []
        for index, item in enumerate(value):
            check, problems = read_check(item, f"{path}.checks[{index}]")
            self.problems += problems
            if check is not None and check.kind == "answer":
                answer_id = check.params["id"]
                if answer_id in self.answer_ids:
                    self.add(
                        f"{path}.checks[{index}].id",
                        i18n.t("lessonfile.answer_id", id=shown(answer_id)),
                    )
                self.answer_ids.add(answer_id)
            result += [check] if check is not None else []
        return tuple(result)

    def control(self, data: dict, key: str, path: str) -> str:
        """One control's name (``show``), or ""."""
        value = data.get(key, "")
        if value != "" and value not in HIDEABLE:
            said = i18n.t("lessonfile.control", name=shown(value), controls=", ".join(HIDEABLE))
            self.add(f"{path}.{key}", said)
            return ""
        return value

    def lab_parts(self, item: dict, path: str) -> tuple:
        """What a step and a challenge share: setup, lock, hide and checks."""
        controls = self.controls(item, "lock", path), self.controls(item, "hide", path)
        return self.setup(item, path), *controls, self.checks(item, path)

    def items(self, data: dict, key: str, most: int, least: int) -> list[tuple[str, dict]]:
        """(path, item) for each object in the list ``data[key]``."""
        value = data.get(key, [] if least == 0 else None)
        if not isinstance(value, list) or not least <= len(value) <= most:
            self.add(key, i18n.t(f"lessonfile.list.{key}", least=least, most=most))
            return []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.add(f"{key}[{index}]", i18n.t("lessonfile.object", example="{...}"))
        return [(f"{key}[{i}]", item) for i, item in enumerate(value) if isinstance(item, dict)]


_LESSON_KEYS = ("format", "id", "title", "intro", "steps", "challenges")
_STEP_KEYS = (
    "title",
    "text",
    "task",
    "setup",
    "lock",
    "hide",
    "checks",
    "reveal",
    "conceal",
    "show",
)
_CHALLENGE_KEYS = ("id", "title", "goal", "setup", "lock", "hide", "checks")


def is_translations(data: Mapping[Any, Any]) -> bool:
    """Whether ``data`` is one text in several languages: {"en": "…", "de": "…"} (keys are
    language tags, at least one the lab speaks; values are texts)."""
    if not data or not all(isinstance(text, str) for text in data.values()):
        return False
    tags = [key for key in data if isinstance(key, str) and is_tag(key)]
    if len(tags) != len(data) or not all(re.fullmatch(r"[a-z]{2,3}(?:-\w+)*", t) for t in tags):
        return False
    return any(resolve(tag) for tag in tags)


def localised(data: Any) -> Any:
    """A lesson's JSON with each text that is given in several languages, {"en": …, "de": …},
    replaced by the one in the page's language (region → language → English → the first
    given); in the pseudo-locale, the English one marked (``nn.i18n.pseudo``)."""
    if isinstance(data, list):
        return [localised(item) for item in data]
    if not isinstance(data, dict):
        return data
    if not is_translations(data):
        return {key: localised(value) for key, value in data.items()}
    language = i18n.language()
    found = resolve(language, data) or resolve(i18n.ENGLISH, data)
    text = data[found] if found else next(iter(data.values()))
    return pseudo(text) if language == PSEUDO else text


def read_lesson(data: object) -> tuple[Lesson | None, list[str]]:
    """A lesson from JSON data, or None; and every problem found, by place. Never raises.
    Its texts may be given per language (``localised``)."""
    data = localised(data)
    if not isinstance(data, dict):
        return None, [i18n.t("lessonfile.not_an_object", example='{"id": ..., "steps": [...]}')]
    r = _Reader()
    r.fields(data, "", _LESSON_KEYS, "lesson")
    if data.get("format", FORMAT) != FORMAT:
        r.add("format", i18n.t("lessonfile.format", format=repr(FORMAT)))
    lesson_id, title = r.ident(data, ""), r.text(data, "title", "", MAX_TITLE)
    intro = r.text(data, "intro", "", MAX_PARAGRAPH, required=False)
    steps = []
    for path, item in r.items(data, "steps", MAX_STEPS, 1):
        r.fields(item, path, _STEP_KEYS, "step")
        step = Step(
            r.text(item, "title", path, MAX_TITLE),
            r.text(item, "text", path, MAX_PARAGRAPH),
            r.text(item, "task", path, MAX_PARAGRAPH, required=False),
            *r.lab_parts(item, path),
            r.text(item, "reveal", path, MAX_PARAGRAPH, required=False),
            r.controls(item, "conceal", path),
            r.control(item, "show", path),
        )
        if (step.reveal or step.conceal) and not step.questions():
            r.add(f"{path}.reveal", i18n.t("lessonfile.reveal"))
        steps.append(step)
    challenges: list[Challenge] = []
    for path, item in r.items(data, "challenges", MAX_CHALLENGES, 0):
        r.fields(item, path, _CHALLENGE_KEYS, "challenge")
        challenge = Challenge(
            r.ident(item, path),
            r.text(item, "title", path, MAX_TITLE),
            r.text(item, "goal", path, MAX_PARAGRAPH),
            *r.lab_parts(item, path),
        )
        if not isinstance(item.get("checks"), list) or not item["checks"]:
            r.add(f"{path}.checks", i18n.t("lessonfile.challenge_checks"))
        if challenge.id and any(c.id == challenge.id for c in challenges):
            r.add(f"{path}.id", i18n.t("lessonfile.challenge_id", id=shown(challenge.id)))
        challenges.append(challenge)
    if r.problems:
        more = len(r.problems) - MAX_PROBLEMS
        return None, r.problems[:MAX_PROBLEMS] + (
            [i18n.t("lessonfile.more", n=more)] if more > 0 else []
        )
    return Lesson(lesson_id, title, tuple(steps), tuple(challenges), intro), []


def read_lesson_text(text: object, what: str | None = None) -> tuple[Lesson | None, list[str]]:
    """A lesson from the text of a JSON file (size and depth checked first); ``what`` names
    it in a message ("The lesson file" if None). Never raises."""
    if what is None:
        what = i18n.t("lessonfile.the_file")
    try:
        data = read_json(text, what, MAX_LESSON_LENGTH)
    except ValueError as error:
        return None, [str(error)]
    return read_lesson(data)


# --- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where a learner is in a lesson; what the autosave keeps (``to_json``/``from_json``)."""

    lesson: str  # the lesson's id
    step: int = 0  # 0-based: the step shown
    done: tuple[int, ...] = ()  # 0-based steps whose checks all passed, in order
    challenge: str | None = None  # the challenge open, checked live
    passed: tuple[str, ...] = ()  # challenges passed, in the order they were
    answers: Mapping[str, int] = field(default_factory=dict)  # answer id -> choice picked
    first: Mapping[str, bool] = field(default_factory=dict)  # answer id -> first pick was right

    def finished(self, lesson: Lesson) -> bool:
        return len(self.done) == len(lesson.steps)

    def go_to(self, lesson: Lesson, step: int) -> Progress:
        """Show step ``step`` (0-based, clamped to the lesson), closing any challenge."""
        return replace(self, step=min(max(step, 0), len(lesson.steps) - 1), challenge=None)

    def open_challenge(self, lesson: Lesson, challenge_id: str | None) -> Progress:
        """Open a challenge of the lesson (None or an unknown id closes it)."""
        found = lesson.challenge(challenge_id)
        return replace(self, challenge=None if found is None else found.id)

    def answer(self, answer_id: str, choice: int, right: bool) -> Progress:
        """The learner picked ``choice``; ``right`` is kept for the score if it is the first."""
        first = self.first if answer_id in self.first else {**self.first, answer_id: right}
        return replace(self, answers={**self.answers, answer_id: choice}, first=first)

    def restart(self) -> Progress:
        """The lesson from its first step, nothing done or answered."""
        return Progress(self.lesson)

    def to_json(self) -> dict[str, Any]:
        """lesson, step, done, challenge, passed, answers, first: for json.dumps."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: object, lesson: Lesson) -> tuple[Progress, list[str]]:
        """The progress saved for ``lesson``; fresh progress and a note when it cannot be used
        (None, nothing saved, gives no note). Never raises."""
        fresh = cls(lesson.id)
        unreadable = [i18n.t("lessonfile.progress_unreadable")]
        if data is None:
            return fresh, []
        if not isinstance(data, dict):
            return fresh, unreadable
        if data.get("lesson") != lesson.id:
            return fresh, [i18n.t("lessonfile.progress_other")]
        count, ids = len(lesson.steps), {c.id for c in lesson.challenges}
        step, done, passed = data.get("step"), data.get("done"), data.get("passed", [])
        challenge, answers = data.get("challenge"), data.get("answers", {})
        first = data.get("first", {})  # saved before first tries were kept: none
        readable = (
            _whole(step, count)
            and isinstance(done, list)
            and all(_whole(i, count) for i in done)
            and isinstance(passed, list)
            and all(isinstance(c, str) and c in ids for c in passed)
            and (challenge is None or (isinstance(challenge, str) and challenge in ids))
            and isinstance(answers, dict)
            and len(answers) <= 100
            and all(isinstance(k, str) and len(k) <= MAX_TEXT for k in answers)
            and all(_whole(v, 6) for v in answers.values())
            and isinstance(first, dict)
            and all(k in answers and isinstance(v, bool) for k, v in first.items())
        )
        if not readable:
            return fresh, unreadable
        return cls(
            lesson.id,
            step,
            tuple(sorted(set(done))),
            challenge,
            tuple(dict.fromkeys(passed)),
            dict(answers),
            dict(first),
        ), []


def _whole(value: object, below: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < below
