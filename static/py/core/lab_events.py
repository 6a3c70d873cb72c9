"""Every message the lab posts to the course page around it, documented in one place.

``EVENTS`` says when each type is sent, ``KEYS`` what each key holds and when it is null;
``events_table`` writes both as the Markdown in README's "Progress events for the course page"
(a unit test keeps the two equal, and checks every real event has exactly the keys listed).
Every key listed is always present: a value the lab does not have is ``null``, never left out
(host.py posts the JSON text's value, so None arrives as null, not undefined).
No browser imports, and nothing here is imported by ``course`` at start-up cost: ``host``
needs only ``height_message``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

SOURCE = "nn-lab"  # the "source" of every message the lab posts

# The progress events (``course.event`` writes them); "height" is posted on its own (below).
PROGRESS_KEYS = ("source", "type", "lesson", "step", "challenge", "time", "state")
STATE_KEYS = ("epoch", "loss", "accuracy", "task", "width", "layers")


class Event(NamedTuple):
    type: str
    when: str  # when the lab sends it
    to: str  # where it goes
    keys: tuple[str, ...]


REPORT = "the `report=` origin"
EVENTS = (
    Event(
        "ready",
        "once the lab has started (lesson loaded), and again in answer to every `hello`",
        REPORT,
        PROGRESS_KEYS,
    ),
    Event(
        "step-done",
        "the step's checks all passed (once per step; never while a challenge "
        "is open), or Next on a step without checks",
        REPORT,
        PROGRESS_KEYS,
    ),
    Event(
        "challenge-passed",
        "the open challenge's checks all passed (once per challenge)",
        REPORT,
        PROGRESS_KEYS,
    ),
    Event(
        "lesson-finished",
        "right after the `step-done` that completes every step",
        REPORT,
        PROGRESS_KEYS,
    ),
    Event(
        "height",
        "whenever the lab's height changes, taller or shorter (for `embed-host.js`)",
        "the `report=` origin, else the origin of a parent that said `hello`",
        ("source", "type", "height"),
    ),
)
EVENT_TYPES = tuple(e.type for e in EVENTS if e.keys == PROGRESS_KEYS)


class Key(NamedTuple):
    name: str
    holds: str
    null: str = ""  # when the value is null ("" never)


KEYS = (
    Key("source", 'always `"nn-lab"`'),
    Key("type", "the event's type, above"),
    Key("lesson", "the lesson's `id`", "no lesson is open (a `ready` without `lesson=`)"),
    Key(
        "step",
        "the step shown, counted from 1 (for `step-done`, the step done)",
        "no lesson is open",
    ),
    Key("challenge", "the challenge's `id`", "always, except in `challenge-passed`"),
    Key("time", "when, in UTC, ISO 8601 (`YYYY-MM-DDThh:mm:ssZ`)"),
    Key("state", "a summary of the lab, the six keys below (no data set, weights or answers)"),
    Key("state.epoch", "epochs since the last reset"),
    Key("state.loss", "the loss on the training set", "not measured yet, or not finite"),
    Key(
        "state.accuracy",
        "the accuracy on the training set, 0 to 1",
        "the task is not a classification (e.g. `value`), or not measured",
    ),
    Key("state.task", "the task's name, e.g. `value`, `odd`"),
    Key("state.width", "the number of bits"),
    Key("state.layers", "hidden sizes then the output, e.g. `[4, 1]`"),
    Key("height", "the lab's height in CSS pixels (in `height` only)"),
)


def height_message(height: int) -> dict[str, Any]:
    """The message that tells the course page the lab's height, in CSS pixels."""
    return {"source": SOURCE, "type": "height", "height": height}


def events_table() -> str:
    """README's two tables: the events (type, when, to whom, keys) and the keys."""
    lines = ["| `type` | sent when | to | keys |", "| --- | --- | --- | --- |"]
    for e in EVENTS:
        keys = ", ".join(f"`{k}`" for k in e.keys)
        lines.append(f"| `{e.type}` | {e.when} | {e.to} | {keys} |")
    lines += ["", "| key | what it holds | `null` when |", "| --- | --- | --- |"]
    for k in KEYS:
        lines.append(f"| `{k.name}` | {k.holds} | {k.null or 'never'} |")
    return "\n".join(lines) + "\n"
