"""What a course platform keeps of the lab (SPLICE's state, SCORM's cmi.suspend_data), under
CPython: within each budget, what is left out in what order and said so, the score, and any
state read back either resuming the lab or dropped with a note."""

from __future__ import annotations

import json

import pytest
from core import course
from core.controller import Lab
from core.lessons import Progress
from core.platform_state import (
    PACKED,
    SCORM_BUDGET,
    SPLICE_BUDGET,
    left_out_notice,
    lesson_status,
    pack,
    restore_platform,
    score,
    splice_state,
    suspend_data,
    unpack,
)
from core.savestate import autosave_text, restore_run
from core.settings import decode_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINK = "splice=1&embed=1&lesson=notebook"


def trained(query: str = "preset=notebook", epochs: int = 5) -> Lab:
    lab = Lab(decode_query(query)[0])
    run = lab.start_run(epochs)
    while not run.finished:
        run.advance(1.0)
    return lab


def resumed(query: str, text: str | None, local: str | None = None) -> tuple[Lab, list[str]]:
    """The lab as the page starts it (main.start) from a platform's state."""
    restored = restore_platform(query, text, local, "the course platform")
    lab = Lab(restored.settings)
    notes = list(restored.saved_notes)
    if restored.run is not None and restored.settings.weights is not None:
        notes += restore_run(lab, restored.run)
    return lab, notes


def test_a_small_lab_is_kept_whole_by_splice_and_resumes_where_it_stopped() -> None:
    lab = trained(epochs=7)
    state, left_out = splice_state(lab)
    assert left_out == [] and "left_out" not in state
    again, notes = resumed(LINK, json.dumps(state))
    assert notes == []
    assert (again.epoch, again.network.parameters()) == (7, lab.network.parameters())
    assert again.train_losses == lab.train_losses
    assert again.settings.splice and again.settings.lesson == "notebook"  # from the link
    for each in (lab, again):  # training goes on exactly as it would have
        run = each.start_run(3)
        while not run.finished:
            run.advance(1.0)
    assert again.network.parameters() == lab.network.parameters()


def test_a_long_run_leaves_out_early_losses_for_splice_but_keeps_the_shuffle() -> None:
    lab = trained("preset=odd", epochs=3000)
    state, left_out = splice_state(lab)
    assert len(json.dumps(state, separators=(",", ":")).encode()) <= SPLICE_BUDGET
    assert left_out == ["the early loss history (the chart starts later)"]
    assert state["left_out"] == left_out and "shuffle_state" in state
    again, notes = resumed("splice=1", json.dumps(state))
    assert again.epoch == 3000 and 0 < len(again.train_losses) < 3000
    assert again.train_losses == lab.train_losses[-len(again.train_losses) :]
    assert notes == [f"The course platform kept this lab without {left_out[0]}."]
    assert "leaves out the early loss history" in left_out_notice("Runestone", left_out)


def test_a_data_set_too_large_for_splice_is_left_out_with_a_notice() -> None:
    examples = ",".join(format(n, "016b") for n in range(0, 65536, 7))  # 160 KB
    lab = Lab(decode_query(f"width=16&bits=0000000000000101&examples={examples}")[0])
    state, left_out = splice_state(lab)
    assert len(json.dumps(state, separators=(",", ":")).encode()) <= SPLICE_BUDGET
    assert "the data set (Export saves it as a file)" in left_out
    assert state["settings"]["examples"] == ""
    again, notes = resumed("splice=1", json.dumps(state))
    assert again.network.parameters() == lab.network.parameters()
    assert any("without" in note and "the data set" in note for note in notes)


def test_suspend_data_fits_4096_characters_and_resumes_the_lesson() -> None:
    lab = trained(epochs=200)
    lesson = course.builtin_lessons()["notebook"]
    progress = Progress("notebook", step=4, done=(0, 1, 2, 3, 4), passed=("fast-loss",))
    lab.lesson_progress = progress.to_json()
    data, left_out = suspend_data(lab)
    assert data.startswith(PACKED) and len(data) <= SCORM_BUDGET
    assert "the shuffle order (training goes on in a new order)" in left_out
    again, _notes = resumed("scorm=1&lesson=notebook", unpack(data))
    assert again.network.parameters() == lab.network.parameters() and again.epoch == 200
    back, problems = Progress.from_json(again.lesson_progress, lesson)
    assert (back, problems) == (progress, [])
    assert again.settings.scorm


def test_the_score_counts_steps_done_and_challenges_passed() -> None:
    lesson = course.builtin_lessons()["notebook"]
    total = len(lesson.steps) + len(lesson.challenges)
    assert score(None, None) == 0.0
    assert score(lesson, Progress("notebook")) == 0.0
    right = {q.params["id"]: True for i in (0, 1) for q in lesson.steps[i].questions()}
    progress = Progress("notebook", done=(0, 1), passed=("fast-loss",), first=right)
    assert score(lesson, progress) == 3 / total
    # A step whose question was first answered wrong is done, but does not score.
    asking = next(i for i, step in enumerate(lesson.steps) if step.questions())
    question = lesson.steps[asking].questions()[0].params["id"]
    right_first = Progress("notebook", done=(asking,), first={question: True})
    assert score(lesson, right_first) == 1 / total
    assert score(lesson, Progress("notebook", done=(asking,), first={question: False})) == 0.0
    every_step = tuple(range(len(lesson.steps)))
    every_challenge = tuple(c.id for c in lesson.challenges)
    assert lesson_status(lesson, Progress("notebook", done=(0,))) == "incomplete"
    assert lesson_status(lesson, Progress("notebook", done=every_step)) == "completed"
    all_right = {q.params["id"]: True for step in lesson.steps for q in step.questions()}
    finished = Progress("notebook", done=every_step, passed=every_challenge, first=all_right)
    assert lesson_status(lesson, finished) == "passed" and score(lesson, finished) == 1.0
    assert lesson_status(None, None) == "incomplete"


def test_no_state_is_an_ordinary_start_and_the_local_autosave_counts_then() -> None:
    lab = trained(epochs=4)
    local = autosave_text(lab)
    restored = restore_platform("", None, local, "Runestone")
    assert restored.run is not None and restored.run["epoch"] == 4
    platform = trained("preset=odd", epochs=9)  # the platform's state wins over the autosave
    again, _ = resumed("", json.dumps(splice_state(platform)[0]), local)
    assert again.epoch == 9 and again.settings.task == "odd"


HOSTILE = [
    "[]",
    "42",
    '"text"',
    "null-ish",
    "{}",
    '{"settings": 5}',
    '{"settings": {"width": "99"}}',
    '{"settings": {"width": "5"}, "epoch": "x"}',
    "[" * 5000 + "]" * 5000,
    '{"a": "' + "x" * 2_000_000 + '"}',
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_state_starts_the_lab_as_the_link_says_with_a_note(text: str) -> None:
    lab, notes = resumed("splice=1&preset=odd", text)
    assert lab.settings.task == "odd" and lab.epoch == 0
    assert notes and all(isinstance(note, str) and len(note) < 400 for note in notes)


@FAST
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))  # fmt: skip
def test_any_json_state_either_resumes_or_starts_afresh_never_raising(value: object) -> None:
    try:
        text = json.dumps(value)
    except ValueError:
        return
    lab, notes = resumed("splice=1", text)
    assert isinstance(lab, Lab) and all(isinstance(note, str) for note in notes)


@pytest.mark.parametrize(
    "data",
    [
        "",
        "nn1:",
        "nn1:!!!!",
        "hello",
        PACKED + "eJwDAAAAAAE="[::-1],
        pack({"settings": 3})[:-6],
        "nn1:<img src=x onerror=alert(1)>",
        "<img src=x onerror=alert(1)>",
        "nn1:" + "A" * 4000,
    ],
)
def test_damaged_suspend_data_is_refused_with_a_message(data: str) -> None:
    with pytest.raises(ValueError, match="The state the LMS kept is"):
        unpack(data)


def test_a_compression_bomb_in_suspend_data_is_not_inflated() -> None:
    import base64
    import zlib

    bomb = zlib.compress(b" " * 50_000_000, 9)
    data = PACKED + base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    with pytest.raises(ValueError, match="too long"):
        unpack(data)


def test_reports_go_at_most_once_a_second_the_last_change_included() -> None:
    from page.platforms import Reports

    clock, sent, due = [0.0], [], []
    reports = Reports(
        lambda: sent.append(clock[0]), 1.0, lambda: clock[0], lambda d, f: due.append((d, f))
    )
    reports.changed()  # the first goes at once
    clock[0] = 0.3
    reports.changed()
    clock[0] = 0.6
    reports.changed()  # within the second: one report, when it is over
    assert sent == [0.0] and [d for d, _ in due] == [0.7]
    clock[0] = 1.0
    due[0][1]()
    assert sent == [0.0, 1.0]
    clock[0] = 1.2
    reports.changed(now=True)  # progress changed: at once
    assert sent == [0.0, 1.0, 1.2]


def test_the_link_chooses_the_platform() -> None:
    from page.platforms import from_link

    assert from_link("?lesson=notebook") is None
    assert from_link("?embed=1&report=https://x.example") is None
