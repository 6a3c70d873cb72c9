"""What a course platform keeps of the lab, and what it is told: the state, within each
platform's budget, and the score.

Two platforms keep a learner's work for the lab (``platforms`` picks one from the link):
a SPLICE platform (Runestone, PreTeXt: ``?splice=1``) keeps a JSON object of at most
SPLICE_BUDGET bytes, and an LMS running the SCORM 1.2 package keeps ``cmi.suspend_data``,
at most SCORM_BUDGET characters, which this module fills with the state compressed
("nn1:" + base64url(zlib(JSON))).

The state is the autosave's record (``savestate.autosave_text``, without the history), so it
is read back by the same total reader as the autosave and imported files (``restore_platform``):
anything of any type, size or depth either loads or is dropped with a note. What does not fit
is left out, in each platform's order (``SPLICE_ORDER``, ``SCORM_ORDER``: the loss history
first, the data set last but the code), and the state names what it left out ("left_out"),
so the learner is told both when it is saved and when it is resumed. No personal data: only
the lab. No browser imports.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from core.controller import Lab
from core.i18n import t
from core.lesson_score import lesson_score
from core.savestate import (
    PAGE_OPTIONS,
    Restored,
    autosave_text,
    parse_autosave,
    read_json,
    restore,
)
from core.settings import MAX_JSON_LENGTH, decode_query

if TYPE_CHECKING:
    from core.lessons import Lesson, Progress

SPLICE_BUDGET = 64 * 1024  # bytes of the state's JSON (UTF-8)
SCORM_BUDGET = 4096  # characters of cmi.suspend_data (SCORM 1.2's CMIString4096)
PACKED = "nn1:"  # the prefix of the compressed state in cmi.suspend_data
MAX_STATE_JSON = MAX_JSON_LENGTH  # characters of a state's JSON read back (as the autosave)

Record = dict[str, Any]


def _drop_losses(record: Record) -> Record:
    """The loss history halved (the earliest epochs go), or gone once short."""
    train, test = record.get("train_losses", []), record.get("test_losses", [])
    if len(train) + len(test) <= 16:
        return {**record, "train_losses": [], "test_losses": []}
    return {
        **record,
        "train_losses": train[len(train) // 2 :],
        "test_losses": test[len(test) // 2 :],
    }


def _drop(key: str) -> Callable[[Record], Record]:
    return lambda record: {k: v for k, v in record.items() if k != key}


def _drop_shuffle(record: Record) -> Record:
    # training goes on in another order than it would have: no longer a replay of the seed
    return {**_drop("shuffle_state")(record), "replayable": False}


def _drop_data_set(record: Record) -> Record:
    settings = {**record["settings"], "examples": "", "test": ""}  # the defaults come back
    return {**record, "settings": settings}


def _drop_code(record: Record) -> Record:
    return {**record, "settings": {**record["settings"], "code": ""}}


# (what the learner is told was left out, how): each step leaves out more; the first that
# makes the state fit is the last taken. A step repeats while it changes something.
Step = tuple[str, Callable[[Record], Record]]
LOSSES: Step = ("the early loss history (the chart starts later)", _drop_losses)
OPTIMIZER: Step = ("the optimizer's state (it starts again)", _drop("optimizer_state"))
SHUFFLE: Step = ("the shuffle order (training goes on in a new order)", _drop_shuffle)
DATA_SET: Step = ("the data set (Export saves it as a file)", _drop_data_set)
CODE: Step = ("your code (Export saves it as a file)", _drop_code)
# A SPLICE state has room for all but a long run's losses: those go first, and the shuffle
# order, which lets training go on exactly where it stopped, is kept before the data set.
SPLICE_ORDER = (LOSSES, OPTIMIZER, SHUFFLE, DATA_SET, CODE)
# 4,096 characters hold the settings, weights and progress: the shuffle order alone (625
# random numbers) would take 3,300 of them, so it goes with the losses.
# The loss history goes whole (4,096 characters hold a few hundred losses at most).
ALL_LOSSES: Step = (
    "the loss history (the chart starts again)",
    lambda record: {**record, "train_losses": [], "test_losses": []},
)
SCORM_ORDER = (ALL_LOSSES, SHUFFLE, OPTIMIZER, DATA_SET, CODE)
# What each step left out, as the learner is told it in their language (``said``).
LEFT_OUT = {
    LOSSES[0]: "platform.left_out.losses",
    ALL_LOSSES[0]: "platform.left_out.all_losses",
    OPTIMIZER[0]: "platform.left_out.optimizer",
    SHUFFLE[0]: "platform.left_out.shuffle",
    DATA_SET[0]: "platform.left_out.data_set",
    CODE[0]: "platform.left_out.code",
}


def state_record(lab: Lab) -> Record:
    """The lab as a platform keeps it: the autosave's record without the history."""
    return json.loads(autosave_text(lab, with_history=False))


def _leave_out(
    record: Record, steps: tuple[Step, ...], size: Callable[[Record], int], budget: int
) -> tuple[Record, list[str]]:
    """Each step in turn, repeated while the record is over the budget; what was left out."""
    left_out: list[str] = []
    for what, step in steps:
        while size(record) > budget:
            smaller = step(record)
            if smaller == record:
                break
            record = smaller
            if what not in left_out:
                left_out.append(what)
    return record, left_out


def fit(
    record: Record, size: Callable[[Record], int], budget: int, order: tuple[Step, ...]
) -> tuple[Record, list[str]]:
    """``record`` within ``size(record) <= budget``, leaving out what ``order`` says first, and
    no more than needed: a step taken on the way that the later ones make needless is undone
    (a large data set goes alone, not with the losses and the shuffle order before it). Past
    the end of ``order`` the settings, weights and lesson progress remain, whatever their size.
    Returns the record, with "left_out" when something was, and what was left out."""
    _, taken = _leave_out(record, order, size, budget)
    steps = tuple(step for step in order if step[0] in taken)
    for step in reversed(steps[:-1]):  # the most valued first
        fewer = tuple(s for s in steps if s is not step)
        if size(_leave_out(record, fewer, size, budget)[0]) <= budget:
            steps = fewer
    record, left_out = _leave_out(record, steps, size, budget)
    if left_out:
        record = {**record, "left_out": left_out}
    return record, left_out


def _json_bytes(record: Record) -> int:
    return len(json.dumps(record, separators=(",", ":")).encode())


def _packed_length(record: Record) -> int:
    """``len(pack(record))``, or the JSON's length when that is so far over SCORM_BUDGET that
    no compression brings it under (zlib takes the lab's JSON to a fifth, a data set of bits
    to a tenth): compressing a long run's record would take seconds."""
    text = json.dumps(record, separators=(",", ":"))
    if len(text) > 40 * SCORM_BUDGET:
        return len(text)
    return len(pack(record))


def pack(record: Record) -> str:
    """The record as cmi.suspend_data holds it: "nn1:" + base64url(zlib(JSON))."""
    text = json.dumps(record, separators=(",", ":")).encode()
    return PACKED + base64.urlsafe_b64encode(zlib.compress(text, 9)).decode().rstrip("=")


def unpack(text: object) -> str:
    """The JSON text packed in ``text``; ValueError saying why not (never inflates more than
    MAX_STATE_JSON characters)."""
    if not isinstance(text, str) or not text.startswith(PACKED):
        raise ValueError(t("platform.not_ours"))
    data = text[len(PACKED) :]
    try:
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        unpacked = zlib.decompressobj()
        json_bytes = unpacked.decompress(raw, MAX_STATE_JSON + 1)
        if unpacked.unconsumed_tail or not unpacked.eof or len(json_bytes) > MAX_STATE_JSON:
            raise ValueError("too long")
        return json_bytes.decode()
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
        raise ValueError(t("platform.damaged")) from None


def splice_state(lab: Lab) -> tuple[Record, list[str]]:
    """The SPLICE state (a JSON object of at most SPLICE_BUDGET bytes) and what it left out."""
    return fit(state_record(lab), _json_bytes, SPLICE_BUDGET, SPLICE_ORDER)


def suspend_data(lab: Lab) -> tuple[str, list[str]]:
    """cmi.suspend_data (at most SCORM_BUDGET characters) and what it left out."""
    record, left_out = fit(state_record(lab), _packed_length, SCORM_BUDGET, SCORM_ORDER)
    return pack(record), left_out


def left_out_notice(platform: str, left_out: list[str]) -> str:
    """What the learner is told when the platform's state leaves something out."""
    if not left_out:
        return ""
    return t("platform.left_out", platform=platform, what="; ".join(map(said, left_out)))


def said(left_out: str) -> str:
    """What a state left out (as ``fit`` names it, in English, in the state itself), in the
    page's language; a text the lab does not know (an older state's) as it is."""
    key = LEFT_OUT.get(left_out)
    return t(key) if key else left_out


# --- reading it back ------------------------------------------------------------------------


def restore_platform(
    query: str, state_text: str | None, local_text: str | None, platform: str
) -> Restored:
    """Where the page starts when a platform answered: its state (``state_text``, the JSON
    text of the autosave's record) over the link's settings, keeping only how the page looks
    from the link; the state takes precedence over this browser's autosave (``local_text``).
    No state (None) is an ordinary start; an unusable one is too, with a note. Never raises."""
    if state_text is None:
        return restore(query, local_text)
    try:
        read_json(state_text, t("platform.what", platform=platform), MAX_STATE_JSON)
        saved, notes, record, unusable = _read_platform_state(state_text, platform)
    except ValueError as error:
        note = t("platform.unusable", problem=error)
        saved, notes, record, unusable = None, [note], None, True
    if saved is None or record is None or unusable:
        fallback = restore(query, local_text)
        fallback.saved_notes[:0] = notes
        return fallback
    settings, warnings = decode_query(query)
    options = {key: getattr(settings, key) for key in PAGE_OPTIONS}
    left_out = record.get("left_out")
    if isinstance(left_out, list) and left_out and all(isinstance(w, str) for w in left_out):
        what = "; ".join(said(w[:120]) for w in left_out[:5])
        platform = platform[:1].upper() + platform[1:]
        notes.append(t("platform.kept_without", platform=platform, what=what))
    return Restored(replace(saved, **options), warnings, notes, record, False)


def _read_platform_state(text: str, platform: str) -> tuple[Any, list[str], Record | None, bool]:
    """``savestate.parse_autosave`` with the platform named in its notes: (settings, notes,
    record, unusable); a state without weights is no saved lab either."""
    what = t("platform.what", platform=platform)
    saved, notes, record, _warned = parse_autosave(text, what, t("platform.as_linked"))
    if saved is not None and saved.weights is None:
        return None, [t("platform.no_weights", what=what)], None, True
    return saved, notes, record, saved is None


# --- the score -------------------------------------------------------------------------------


def score(lesson: Lesson | None, progress: Progress | None) -> float:
    """The fraction of the lesson's steps and challenges passed, 0 to 1 (0 without a lesson):
    SPLICE's score, and SCORM's cmi.core.score.raw as a percentage. A step counts as the
    lesson counts it (``lesson_score``): done, with its questions right at the first pick."""
    if lesson is None or progress is None:
        return 0.0
    total = len(lesson.steps) + len(lesson.challenges)
    return (lesson_score(progress, lesson).earned + len(progress.passed)) / total


def lesson_status(lesson: Lesson | None, progress: Progress | None) -> str:
    """SCORM's cmi.core.lesson_status: "passed" once every step is done and every challenge
    passed, "completed" once every step is done, else "incomplete"; never "failed" (a
    learner can always try again)."""
    if lesson is None or progress is None or not progress.finished(lesson):
        return "incomplete"
    passed = {c.id for c in lesson.challenges} <= set(progress.passed)
    return "passed" if passed else "completed"
