"""A lecturer's course site, under CPython: lessons at an address on any origin and
what a failed fetch tells the teacher to fix; the command-line lesson check with the page's
messages; challenges counted apart from steps; every event the lab posts has exactly the keys
README's table lists (the table is the code's); the names lock/hide accept are all in the README;
the storage notice offers Export only where it is shown."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from core import lesson_files
from core.checks import CHECKS
from core.controller import Lab, Selection
from core.course import builtin_lessons, event, setup_settings, update
from core.inputs import parse_lesson
from core.lab_events import EVENTS, KEYS, PROGRESS_KEYS, STATE_KEYS, events_table, height_message
from core.lessons import Lesson, Progress, Step, read_check
from core.savestate import storage_notice
from core.settings import Settings, decode_query
from core.values import HIDEABLE

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
NOW = datetime(2026, 11, 28, 10, 15, 0, tzinfo=UTC)
NOTEBOOK = builtin_lessons()["notebook"]


# --- lessons from anywhere -------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "https://course.example.edu/lessons/odd-even.json",
        "https://course.example.edu:8443/ml/week3?v=2",
        "http://localhost:8730/lessons/odd-even.json",
        "http://127.0.0.1:9000/x.json",
    ],
)
def test_a_lesson_at_an_https_address_or_on_localhost_is_accepted_by_the_link(address) -> None:
    assert parse_lesson(address) == address
    settings, warnings = decode_query("lesson=" + address.replace("?", "%3F").replace("&", "%26"))
    assert (settings.lesson, warnings) == (address, [])
    assert lesson_files.lesson_request(address) == ("url", address)


@pytest.mark.parametrize(
    "address",
    [
        "http://course.example.edu/x.json",  # http, not on this computer
        "https://user:secret@course.example.edu/x.json",
        "javascript:alert(1)",
        "data:application/json,{}",
        "file:///etc/passwd",
        "https:///x.json",
        "https://course.example.edu/" + "a" * 500,
    ],
)
def test_other_addresses_are_refused_saying_what_a_lessons_address_must_be(address) -> None:
    with pytest.raises(ValueError, match="A lesson's address must be https://"):
        parse_lesson(address)
    answer = lesson_files.lesson_request(address)
    assert isinstance(answer, str) and "must be https://" in answer


def test_a_failed_fetch_says_which_header_the_course_server_must_send() -> None:
    lab = "https://nn.example.edu"
    address = "https://course.example.edu/lessons/odd-even.json"
    refused = lesson_files.fetch_problem(address, lab, None, "Failed to fetch")
    assert f"The lesson {address} could not be loaded (Failed to fetch)" in refused
    assert f"Access-Control-Allow-Origin: {lab} (or *)" in refused
    missing = lesson_files.fetch_problem(address, lab, 404)
    assert "HTTP 404, no file at this address" in missing
    beside = lesson_files.fetch_problem("./x.json", lab, None, "Failed to fetch")
    assert "beside the lab" in beside and "Access-Control" not in beside


# --- the command-line check ------------------------------------------------------------------


def check(*paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.lesson_files", *paths],
        capture_output=True, text=True, cwd=ROOT, check=False,
        env={"PYTHONPATH": f"{ROOT / 'static' / 'py'}:{ROOT}", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_the_lesson_checker_passes_a_good_file_and_lists_a_bad_ones_problems_by_place(
    tmp_path: Path,
) -> None:
    good = check("examples/my-lesson.json")
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.startswith("examples/my-lesson.json: a valid lesson, 'majority-vote'")
    data = json.loads((ROOT / "examples" / "my-lesson.json").read_text())
    data["steps"][0]["checks"] = [{"kind": "accuracy_atleast", "value": 1}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    found = check(str(bad))
    assert found.returncode == 1
    assert found.stdout.splitlines() == [
        f"The lesson file {bad} has problems:",
        "  steps[0].checks[0].kind: 'accuracy_atleast' is not a check (did you mean "
        "'accuracy_at_least'?); the checks are " + ", ".join(CHECKS) + ".",
    ]
    assert "could not be read" in check(str(tmp_path / "none.json")).stdout


# --- challenges and steps are counted apart ---------------------------------------------------


def test_passing_a_challenge_never_completes_the_step_behind_it() -> None:
    challenge = NOTEBOOK.challenge("odd-by-hand")
    accuracy, _ = read_check({"kind": "accuracy_at_least", "value": 1}, "checks[0]")
    step = Step("Odd", "Learn odd.", checks=(accuracy,))
    lesson = Lesson("odd", "Odd", (step, step), (challenge,))
    lab = Lab(setup_settings(challenge.setup, Settings()))
    for i in range(3):
        lab.set_parameter(Selection(0, 0, i), 0.0)
    lab.set_parameter(Selection(0, 0, 3), 10.0)
    lab.set_parameter(Selection(0, 0, None), -5.0)
    progress = Progress("odd").open_challenge(lesson, "odd-by-hand")
    progress, events = update(progress, lesson, lab, NOW)
    assert [e["type"] for e in events] == ["challenge-passed"]
    assert progress.done == () and progress.passed == ("odd-by-hand",)
    back = progress.go_to(lesson, 0)  # back to the lesson: now the step is checked
    assert [e["type"] for e in update(back, lesson, lab, NOW)[1]] == ["step-done"]


# --- events that match their documentation -----------------------------------------------------


def test_the_readme_holds_the_event_tables_the_code_writes() -> None:
    assert events_table() in README


def test_every_event_the_lab_sends_has_exactly_the_documented_keys_and_nulls() -> None:
    lab = Lab(NOTEBOOK.steps[4].setup)
    progress = Progress("notebook", 4)
    sent = [event(e.type, NOTEBOOK, progress, lab, NOW, "c" if e.type == "challenge-passed"
                  else None) for e in EVENTS if e.keys == PROGRESS_KEYS]  # fmt: skip
    sent.append(event("ready", None, None, lab, NOW))
    documented = {k.name: k for k in KEYS}
    for message in sent:
        assert tuple(message) == PROGRESS_KEYS
        assert tuple(message["state"]) == STATE_KEYS
        flat = {**message, **{f"state.{k}": v for k, v in message["state"].items()}}
        for key, value in flat.items():
            assert key in documented, key
            assert value is not None or documented[key].null, f"{key} is null: say when"
        json.dumps(message, allow_nan=False)
    height = height_message(612)
    assert tuple(height) == next(e.keys for e in EVENTS if e.type == "height")
    assert {k for e in EVENTS for k in e.keys} | {f"state.{k}" for k in STATE_KEYS} == set(
        documented
    )


def test_the_readme_listener_answers_ready_and_needs_no_hello_first() -> None:
    listener = re.search(r"### Listening from an LMS page.*?```html\n(.*?)```", README, re.S)
    assert listener is not None
    assert 'event.type === "ready"' in listener.group(1)


# --- the README lists every name lock and hide accept -----------------------------------------


def test_the_readme_lists_every_control_name_lock_hide_and_the_link_accept() -> None:
    controls = re.search(r"#### Controls\n\n(.*?)\n\n", README, re.S)
    assert controls is not None
    assert re.findall(r"`([a-z0-9-]+)`", controls.group(1)) == list(HIDEABLE)
    link = re.search(r"`hide=` takes a comma-separated\s+list of:(.*?)\.", README, re.S)
    assert link is not None
    assert [n.strip() for n in link.group(1).split(",")] == list(HIDEABLE)


# --- storage denied ---------------------------------------------------------------------------


def test_the_storage_notice_offers_export_only_where_it_is_shown() -> None:
    assert storage_notice("local", ()) == ""
    assert "autosave is off" in storage_notice(None, ()) and "Export" in storage_notice(None, ())
    assert "Export" not in storage_notice(None, ("share", "seed"))
    assert "reload keeps your work and lesson progress" in storage_notice("session", ())
    assert "Export" not in storage_notice("session", ("share",))


def test_a_lesson_step_setup_still_keeps_the_learners_code() -> None:
    # A lesson is data: its setup never brings code with it (code waits for Use my code).
    setup, _ = decode_query("preset=notebook")
    current = replace(Settings(), code="print(1)")
    assert setup_settings(setup, current).code == "print(1)"


def test_the_embed_dialogs_preview_shows_the_events_that_origin_would_receive() -> None:
    from core.course import events_preview

    lab = Lab(NOTEBOOK.steps[0].setup)
    text = events_preview(lab, NOTEBOOK, "https://course.example.edu", NOW)
    head, *lines = text.splitlines()
    assert head.startswith("https://course.example.edu receives")
    sent = [json.loads(line) for line in lines]
    types = ["ready", "step-done", "challenge-passed", "lesson-finished", "height"]
    assert [m["type"] for m in sent] == types
    assert all(tuple(m) == PROGRESS_KEYS for m in sent[:-1])
    assert "Nothing is sent" in events_preview(lab, NOTEBOOK, "", NOW)
    assert [json.loads(x)["type"] for x in events_preview(lab, None, "https://a.b", NOW).split(
        "\n")[1:]] == ["ready", "height"]  # fmt: skip


# --- make dist LESSONS=dir ---------------------------------------------------------------------


def test_make_dist_ships_checked_lessons_and_stops_on_a_bad_one(tmp_path: Path) -> None:
    if not (ROOT / "static" / "vendor" / ".stamp").is_file():
        pytest.skip("needs the vendored files (make setup)")
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "odd-even.json").write_text((ROOT / "examples" / "my-lesson.json").read_text())

    def make_dist() -> subprocess.CompletedProcess[str]:
        command = ["make", "--no-print-directory", "dist", f"LESSONS={lessons}",
                   f"DIST={tmp_path / 'dist'}"]  # fmt: skip
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)

    built = make_dist()
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "dist" / "lessons" / "odd-even.json").is_file()
    assert '"lessons/odd-even.json"' in (tmp_path / "dist" / "sw.js").read_text()  # precached
    (lessons / "bad.json").write_text('{"id": "bad"}')
    refused = make_dist()
    assert refused.returncode != 0
    assert f"The lesson file {lessons}/bad.json has problems:" in refused.stdout
