"""The lab in a course: the lessons it ships, playing a lesson, and the course page's messages.

The built-in lessons (``builtin_lessons``) are written as the JSON a teacher would write and
read by ``lessons.read_lesson`` (when first asked for, not at start-up), so they obey the same
schema (README's "Lesson files"); the unit tests play every step and every challenge to a pass.
``update`` checks the lab against the step shown and the challenge open and returns the
progress events to post to the course page (``?report=ORIGIN``, read by
``inputs.parse_origin``); ``read_message`` is the only door for messages from it. No browser
imports: the page passes the lab, the time and the message in, and posts what it gets back.
"""

from __future__ import annotations

import functools
import json
import math
import pkgutil
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from core import i18n
from core.checks import MAX_MEASURED, Answers, Check, CheckResult, evaluate
from core.controller import Lab
from core.lab_events import EVENT_TYPES, SOURCE
from core.lessons import Challenge, Lesson, Progress, read_lesson
from core.settings import VIEW_FIELDS, Settings

NOTEBOOK_SETUP = "preset=notebook"  # width 5, 00101, value task, lr 0.1, 200 epochs, seed 1
ODD_TEST = "0000,0011,0101,0110,1001,1010,1100,1111"  # the odd preset's held-out numbers


def _answer(
    answer_id: str, question: str, choices: list[str], expected: int, explain: list[str]
) -> dict[str, Any]:
    return {
        "kind": "answer",
        "id": answer_id,
        "question": question,
        "choices": choices,
        "expected": expected,
        "explain": explain,
    }


def _check(kind: str, **params: Any) -> dict[str, Any]:
    return {"kind": kind, **params}


NOTEBOOK: dict[str, Any] = {
    "id": "notebook",
    "title": "The notebook's neuron, step by step",
    "intro": "The notebook Neural Network, retold: one neuron learns that 00101 is 5, then "
    "many numbers, then a task one neuron cannot learn.",
    "steps": [
        {
            "title": "A neuron and its weights",
            "text": "The neuron reads the five bits x₁ … x₅ of 00101. Each input has a weight w "
            "(a coloured line in the diagram), and the neuron has a bias b. The weights start "
            "at random values drawn from the seed.",
            "setup": NOTEBOOK_SETUP,
            "task": "Hover over or tap the lines in the diagram to read the weights. How many "
            "are there?",
            "show": "neuron",
            "checks": [
                _answer(
                    "weights",
                    "How many weights does it have, besides its bias?",
                    ["1", "5", "31"],
                    1,
                    [
                        "1 is the bias, or one line: count the lines into the neuron.",
                        "five bits in, five lines: one weight per input x₁ … x₅.",
                        "31 is the largest number of 5 bits, not a count of inputs: "
                        "count the lines into the neuron.",
                    ],
                )
            ],
        },
        {
            "title": "Forward: z, then σ",
            "text": "Forward, the neuron adds up its inputs times their weights: z = w·x + b. "
            "Then the sigmoid squashes z into y = σ(z), between 0 and 1. The page shows "
            "y × 31, so y = 5/31 would read 5.",
            "task": "Read z and y in the math panel for 00101.",
            "show": "math",
            "checks": [
                _answer(
                    "forward",
                    "Only two bits of 00101 are 1. Which weights count in z?",
                    ["w₁ and w₂", "w₃ and w₅", "all five"],
                    1,
                    [
                        "x₁ and x₂ are the first bits of 00101, both 0: w₁·0 and w₂·0 "
                        "add nothing to z.",
                        "x₃ = x₅ = 1, so z = w₃ + w₅ + b.",
                        "every weight is in the sum, but wᵢ·0 = 0: only those with "
                        "xᵢ = 1 change z.",
                    ],
                )
            ],
        },
        {
            "title": "The cost",
            "text": "The target for 00101 is t = 5/31. The cost C = (y − t)² says how far the "
            "neuron is from it: 0 when y = t, and larger the further y is. Training means "
            "making C small.",
            "task": "The neuron reads about 18.69; the goal is 5.",
            "checks": [
                _answer(
                    "cost",
                    "What happens to C when y moves closer to t?",
                    ["C goes down", "C goes up", "C stays the same"],
                    0,
                    [
                        "y − t shrinks, and so does its square.",
                        "C = (y − t)² grows with the distance, and y moving closer makes "
                        "the distance smaller.",
                        "C depends on y: (y − t)² changes whenever y does.",
                    ],
                )
            ],
        },
        {
            "title": "One step backward, by hand",
            "text": "Backward, the chain rule gives each weight its share of the blame: "
            "dC/dw₃ = dC/dy · dy/dz · x₃ = 2(y − t) · σ′(z) · x₃. One step of gradient descent "
            "moves w₃ by Δw₃ = −learning rate × dC/dw₃.",
            "setup": NOTEBOOK_SETUP,
            "task": "The neuron reads more than 5, so y > t. Predict the sign of Δw₃ from the "
            "formula (the math panel is hidden until you answer), then press Step one example "
            "and read Δw₃ in the math panel.",
            "conceal": ["math"],
            "show": "step-example",
            "checks": [
                _check(
                    "answer",
                    id="sign-dw3",
                    question="Which sign will Δw₃ have?",
                    compute="sign_of_delta_w",
                    weight=3,
                    choices=["negative: w₃ goes down", "zero", "positive: w₃ goes up"],
                    explain=[
                        "y > t makes 2(y − t) positive, σ′(z) > 0 and x₃ = 1: dC/dw₃ "
                        "is positive, and Δw₃ = −rate × dC/dw₃ is negative.",
                        "x₃ = 1, so w₃ is in z and its gradient 2(y − t) · σ′(z) · x₃ is "
                        "not zero: w₃ moves.",
                        "the minus sign: Δw₃ = −rate × dC/dw₃, and dC/dw₃ is positive "
                        "when y > t (2(y − t) > 0, σ′(z) > 0, x₃ = 1).",
                    ],
                ),
                _check("steps_at_least", value=1),
            ],
        },
        {
            "title": "The training loop",
            "text": "Training repeats that step: forward, cost, backward, update. One pass over "
            "the training set is an epoch. The notebook runs 200 epochs with learning rate 0.1. "
            "The Code panel shows that step as Python (backward: dC/dz, dC/dw, then Δw); its "
            "“Load the notebook's version” shows the notebook's own.",
            "setup": NOTEBOOK_SETUP,
            "task": "Press Train and read the prediction for 00101.",
            "show": "prediction",
            "checks": [_check("prediction_near", value=5, tolerance=0.5)],
        },
        {
            "title": "A learning rate too large",
            "text": "Here the neuron gives z itself (the notebook's activate=False): no sigmoid "
            "keeps y between 0 and 1. A step that is too large overshoots the target, further "
            "each time, until the numbers overflow.",
            "setup": NOTEBOOK_SETUP + "&activate=0",
            "task": "Set the learning rate to 10 and press Train.",
            "show": "learning-rate",
            "checks": [_check("diverged")],
        },
        {
            "title": "Many numbers, and numbers it never saw",
            "text": "Now the neuron learns whether a 4-bit number is odd, from 8 numbers. The 8 "
            "numbers of the test set are never trained on: they show whether it learned the "
            "rule or only the examples.",
            "setup": "preset=odd",
            "task": "Press Train, then compare the accuracy on the training and the test set.",
            "show": "chart",
            "checks": [
                _check("accuracy_at_least", value=1, set="test", label="every test number right")
            ],
        },
        {
            "title": "Parity: one neuron is not enough",
            "text": "Parity asks whether a number has an odd count of ones. One neuron draws one "
            "straight line (a plane) through the 8 numbers of 3 bits: a 1 on one side, a 0 on "
            "the other.",
            "setup": "preset=parity3&layers=1",
            "task": "Press Train and watch the accuracy.",
            "show": "chart",
            "reveal": "No line puts the numbers with an odd count of ones on one side and the "
            "others on the other: one neuron gets at most 6 of the 8 right, however long it "
            "trains.",
            "checks": [
                _check("epoch_at_least", value=100),
                _answer(
                    "parity",
                    "Can one neuron get all 8 numbers right?",
                    ["Yes, with more epochs", "No: no line separates them"],
                    1,
                    [
                        "more epochs move the line, but the accuracy stays where it "
                        "is: try to draw a line between 000, 011, 101, 110 and the "
                        "other four corners of the cube.",
                        "",
                    ],
                ),
            ],
        },
        {
            "title": "A hidden layer learns parity",
            "text": "A hidden layer of 4 neurons draws 4 lines, and the output neuron combines "
            "them. This 3-4-1 network, with learning rate 1 and seed 2, learns parity in a few "
            "hundred epochs.",
            "setup": "preset=parity3",
            "task": "Press Train until the accuracy reaches 100 %.",
            "show": "chart",
            "checks": [_check("accuracy_at_least", value=1, label="every number right")],
        },
    ],
    "challenges": [
        {
            "id": "five-by-hand",
            "title": "5 by hand",
            "goal": "Make the neuron read 5.00 ± 0.05 for 00101 by editing weights only. Hint: "
            "only w₃, w₅ and b count, and σ(z) = 5/31 at z ≈ −1.65.",
            "setup": NOTEBOOK_SETUP,
            "checks": [_check("prediction_near", value=5, tolerance=0.05), _check("no_training")],
        },
        {
            "id": "fast-loss",
            "title": "Fast learner",
            "goal": "Get the loss below 0.001 within 100 epochs. The notebook's learning rate is "
            "too slow for that: change it, Reset, and train again.",
            "setup": NOTEBOOK_SETUP + "&epochs=100",
            "checks": [_check("loss_below", value=0.001), _check("epochs_at_most", value=100)],
        },
        {
            "id": "odd-by-hand",
            "title": "Odd or even, by hand",
            "goal": "Tell odd from even for all 16 numbers of 4 bits by editing weights only. "
            "Which bit says whether a number is odd?",
            "setup": "width=4&task=odd&examples=all&bits=0101&lr=1&epochs=500",
            "checks": [
                _check("accuracy_at_least", value=1),
                _check("setting_is", field="examples", value="all"),
                _check("no_training"),
            ],
        },
        {
            "id": "odd-from-four",
            "title": "Learn from four",
            "goal": "100 % test accuracy on odd or even, trained on at most 4 numbers. Keep the "
            "test set as it is; choose which training numbers to keep.",
            "setup": "preset=odd",
            "checks": [
                _check("accuracy_at_least", value=1, set="test"),
                _check("examples_at_most", value=4),
                _check("setting_is", field="test", value=ODD_TEST),
            ],
        },
        {
            "id": "parity4-small",
            "title": "Parity of 4 bits, small",
            "goal": "100 % accuracy on the parity of all 16 numbers of 4 bits, with at most 4 "
            "hidden neurons. Try other activations, learning rates and seeds.",
            "setup": "width=4&task=parity&examples=all&bits=0101&layers=4,1&lr=1&epochs=1000",
            "checks": [
                _check("accuracy_at_least", value=1),
                _check("hidden_neurons_at_most", value=4),
                _check("setting_is", field="width", value="4"),
                _check("setting_is", field="task", value="parity"),
                _check("setting_is", field="examples", value="all"),
            ],
        },
        {
            "id": "perceptron-limit",
            "title": "What the perceptron can't learn",
            "goal": "The perceptron learns odd or even, then stops moving. Find a task of 4 bits "
            "it still gets wrong after 100 epochs or more, on all 16 numbers. Which tasks can "
            "one straight line split?",
            "setup": "preset=perceptron&epochs=100",
            "checks": [
                _check("setting_is", field="optimizer", value="perceptron"),
                _check("setting_is", field="examples", value="all"),
                _check("epoch_at_least", value=100),
                _check("accuracy_below", value=1),
            ],
        },
        {
            "id": "greater-quick",
            "title": "Greater than 9, quickly",
            "goal": "100 % accuracy on “greater than 9” for all 16 numbers within 20 epochs.",
            "setup": "preset=greater&epochs=20&lr=0.1",
            "checks": [
                _check("accuracy_at_least", value=1),
                _check("epochs_at_most", value=20),
                _check("setting_is", field="examples", value="all"),
                _check("setting_is", field="threshold", value="9"),
            ],
        },
    ],
}


TEXTS = frozenset({"title", "intro", "text", "task", "reveal", "goal", "question", "label"})
TEXT_LISTS = frozenset({"choices", "explain"})


def translations(language: str) -> dict[str, str]:
    """The built-in lessons' translation into ``language``, {English text: its translation}:
    ``core/locales/notebook.<language>.json`` (plain data, English beside each translation)."""
    data = pkgutil.get_data("core", f"locales/notebook.{language}.json") if language else None
    table = json.loads(data.decode("utf-8")) if data else {}
    table.pop("_comment", None)
    return table


def in_languages(data: Any, language: str, table: Mapping[str, str]) -> Any:
    """A built-in lesson with each text given in English and in ``language``
    ({"en": …, "de": …}, as a teacher's file may give them), read by ``lessons.localised``."""
    if isinstance(data, list):
        return [in_languages(item, language, table) for item in data]
    if not isinstance(data, dict):
        return data

    def both(text: str) -> Any:
        return {"en": text, language: table.get(text, text)} if text else text

    result = {}
    for key, value in data.items():
        if key in TEXTS and isinstance(value, str):
            result[key] = both(value)
        elif key in TEXT_LISTS and isinstance(value, list):
            result[key] = [both(item) if isinstance(item, str) else item for item in value]
        else:
            result[key] = in_languages(value, language, table)
    return result


def _read_builtin(*sources: dict[str, Any]) -> Mapping[str, Lesson]:
    lessons = {}
    language = i18n.language()
    if language != i18n.ENGLISH:  # English is the lesson as written
        table = translations("" if language == i18n.PSEUDO else language)
        sources = tuple(in_languages(data, language, table) for data in sources)
    for data in sources:
        lesson, problems = read_lesson(data)
        if lesson is None:  # a mistake in this file, caught by the unit tests
            raise ValueError(f"built-in lesson {data.get('id')}: {problems}")
        lessons[lesson.id] = lesson
    return MappingProxyType(lessons)


def builtin_lessons() -> Mapping[str, Lesson]:
    """The built-in lessons by name (``?lesson=name``), in the page's language, read when
    first asked for: reading them parses links, and the page starts without that."""
    return _builtin_lessons(i18n.language())


@functools.cache
def _builtin_lessons(language: str) -> Mapping[str, Lesson]:
    return _read_builtin(NOTEBOOK)


def builtin_challenges() -> Mapping[str, Challenge]:
    """Every built-in challenge, by id."""
    return _builtin_challenges(i18n.language())


@functools.cache
def _builtin_challenges(language: str) -> Mapping[str, Challenge]:
    lessons = builtin_lessons().values()
    return MappingProxyType({c.id: c for lesson in lessons for c in lesson.challenges})


# --- playing a lesson ----------------------------------------------------------------------


def setup_settings(setup: Settings, current: Settings) -> Settings:
    """The settings a step or challenge starts from, keeping how the page looks (embedded,
    hidden controls, speed, log scale) from ``current``; apply with
    ``lab.change(settings, rebuild=True)``."""
    kept = (*VIEW_FIELDS, "code")  # how the page looks, and the learner's code
    return replace(setup, **{name: getattr(current, name) for name in kept})


def results(checks: Sequence[Check], lab: Lab, answers: Answers) -> list[CheckResult]:
    """Each check's result on the lab now (the page shows them beside the step)."""
    return [evaluate(check, lab, answers) for check in checks]


def update(
    progress: Progress, lesson: Lesson, lab: Lab, now: datetime
) -> tuple[Progress, list[dict[str, Any]]]:
    """Check the step shown and the challenge open: the progress with what newly passed, and
    the events to report (see ``event``). Steps done and challenges passed stay so. While a
    challenge is open only it is checked: the lab then holds the challenge's setup, and passing
    a challenge never completes the step behind it."""
    events: list[dict[str, Any]] = []
    challenge = lesson.challenge(progress.challenge)
    checks = lesson.steps[progress.step].checks
    if (
        challenge is None
        and progress.step not in progress.done
        and checks
        and _all_pass(checks, lab, progress)
    ):
        progress, events = _step_done(progress, lesson, lab, now)
    if (
        challenge is not None
        and challenge.id not in progress.passed
        and _all_pass(challenge.checks, lab, progress)
    ):
        progress = replace(progress, passed=(*progress.passed, challenge.id))
        events.append(event("challenge-passed", lesson, progress, lab, now, challenge.id))
    return progress, events


def _all_pass(checks: Sequence[Check], lab: Lab, progress: Progress) -> bool:
    return all(result.passed for result in results(checks, lab, progress.answers))


def pick(progress: Progress, lesson: Lesson, lab: Lab, answer_id: str, choice: int) -> Progress:
    """The learner picked ``choice`` for the question ``answer_id`` of the part shown: kept,
    and, if it is the first pick, whether it was right (the score counts first tries)."""
    part = lesson.challenge(progress.challenge) or lesson.steps[progress.step]
    question = next(
        (c for c in part.checks if c.kind == "answer" and c.params["id"] == answer_id), None
    )
    right = question is not None and evaluate(question, lab, {answer_id: choice}).passed
    return progress.answer(answer_id, choice, right)


def next_step(
    progress: Progress, lesson: Lesson, lab: Lab, now: datetime
) -> tuple[Progress, list[dict[str, Any]]]:
    """Next: a step without checks is done once read; then the next step is shown."""
    events: list[dict[str, Any]] = []
    if not lesson.steps[progress.step].checks and progress.step not in progress.done:
        progress, events = _step_done(progress, lesson, lab, now)
    return progress.go_to(lesson, progress.step + 1), events


def _step_done(
    progress: Progress, lesson: Lesson, lab: Lab, now: datetime
) -> tuple[Progress, list[dict[str, Any]]]:
    progress = replace(progress, done=tuple(sorted({*progress.done, progress.step})))
    events = [event("step-done", lesson, progress, lab, now)]
    if progress.finished(lesson):
        events.append(event("lesson-finished", lesson, progress, lab, now))
    return progress, events


# --- the course page: events out, messages in ----------------------------------------------

HOST_SOURCE = "nn-host"  # "source" of the host's messages (the lab's: lab_events.SOURCE)


def state_summary(lab: Lab) -> dict[str, Any]:
    """A few numbers about the lab for the course page: no data set, no weights."""
    s, stats = lab.settings, lab.stats(max_examples=MAX_MEASURED)

    def number(value: float | None) -> float | None:  # JSON has no NaN or infinity
        return value if value is not None and math.isfinite(value) else None

    return {
        "epoch": lab.epoch,
        "loss": number(stats.loss if stats else None),
        "accuracy": number(stats.accuracy if stats else None),
        "task": s.task,
        "width": s.width,
        "layers": list(s.layers),
    }


def event(
    kind: str,
    lesson: Lesson | None,
    progress: Progress | None,
    lab: Lab,
    now: datetime,
    challenge: str | None = None,
) -> dict[str, Any]:
    """A progress event for the course page, e.g. {"source": "nn-lab", "type": "step-done",
    "lesson": "notebook", "step": 5, "challenge": null, "time": "2026-11-28T10:15:00Z",
    "state": {...}}; ``step`` is 1-based, the step shown. Without a lesson (a "ready" answer
    to a hello), "lesson" and "step" are null. Every key is always there (lab_events.KEYS)."""
    if kind not in EVENT_TYPES:
        raise ValueError(f"{kind!r} is not an event type; they are {', '.join(EVENT_TYPES)}")
    return {
        "source": SOURCE,
        "type": kind,
        "lesson": None if lesson is None else lesson.id,
        "step": None if progress is None else progress.step + 1,
        "challenge": challenge,
        "time": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "state": state_summary(lab),
    }


class HostMessage(NamedTuple):
    """A message the lab accepts from the course page: "hello" (the lab answers with a "ready"
    event) or "go-to-step" (``step``: 0-based here, 1-based in the message)."""

    type: str
    step: int | None = None


def read_message(data: object, lesson: Lesson | None) -> HostMessage | None:
    """The host's message if it is exactly one of the documented ones, else None (ignore it).
    The page must also check that it came from the ``report`` origin and from window.parent."""
    if not isinstance(data, Mapping) or data.get("source") != HOST_SOURCE:
        return None
    if data.get("type") == "hello" and set(data) == {"source", "type"}:
        return HostMessage("hello")
    step = data.get("step")
    if (
        data.get("type") == "go-to-step"
        and set(data) == {"source", "type", "step"}
        and lesson is not None
        and isinstance(step, int)
        and not isinstance(step, bool)
        and 1 <= step <= len(lesson.steps)
    ):
        return HostMessage("go-to-step", step - 1)
    return None


def events_preview(lab: Lab, lesson: Lesson | None, origin: str, now: datetime) -> str:
    """What the Embed dialog shows under "Send progress to": the messages a course page at
    ``origin`` would receive from this lab and lesson, one JSON line each (README's tables)."""
    from core.lab_events import height_message  # the one format of the height message

    if not origin:
        return "Nothing is sent to the course page. Give its origin to receive these events."
    progress = None if lesson is None else Progress(lesson.id)
    kinds = ["ready"] if lesson is None else ["ready", "step-done", "lesson-finished"]
    examples = [event(kind, lesson, progress, lab, now) for kind in kinds]
    if lesson is not None and lesson.challenges:
        first = lesson.challenges[0].id
        examples.insert(2, event("challenge-passed", lesson, progress, lab, now, first))
    lines = [json.dumps(e, ensure_ascii=False) for e in [*examples, height_message(640)]]
    head = f"{origin} receives messages like these (postMessage, for that origin only):"
    return "\n".join([head, *lines])
