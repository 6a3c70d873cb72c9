"""Keeping and sharing under CPython: any saved state, file or link either loads or is dropped
with a note, never an exception; files that contradict themselves are refused; links stay
short enough to open; how the page looks never travels in a save or a file."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from core import scripts
from core.controller import Lab, RejectedInput
from core.savestate import (
    MAX_LINK_LENGTH,
    address_query,
    autosave_text,
    export_text,
    fresh_query,
    read_import,
    read_json,
    restore,
    restore_run,
    share_query,
)
from core.settings import Settings, decode_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUERY = "width=4&examples=0001,0010,0101&bits=0101&layers=3,1&seed=7"


def trained_lab(query: str = QUERY, epochs: int = 5) -> Lab:
    lab = Lab(decode_query(query)[0])
    run = lab.start_run(epochs)
    while not run.finished:
        run.advance(1.0)
    return lab


def saved_record(lab: Lab) -> dict:
    return json.loads(autosave_text(lab))


def test_a_reload_restores_weights_epoch_losses_and_shuffle() -> None:
    lab = trained_lab()
    restored = restore("?" + address_query(lab.settings)[0], autosave_text(lab))
    again = Lab(restored.settings)
    assert restore_run(again, restored.run) == []
    assert again.network.parameters() == lab.network.parameters()
    assert (again.epoch, again.train_losses) == (lab.epoch, lab.train_losses)
    assert again.shuffle_rng.getstate() == lab.shuffle_rng.getstate()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("epoch",), 1e999),
        (("epoch",), True),
        (("epoch",), -5),
        (("epoch",), 10**4000),
        (("train_losses",), "nope"),
        (("train_losses",), [1, "x"]),
        (("shuffle_state", 1, 0), -1),
        (("shuffle_state", 1, 0), 2**40),
        (("shuffle_state", 1, -1), 9999),
        (("shuffle_state",), [3]),
        (("shuffle_state",), None),
    ],
)
def test_a_damaged_run_in_the_autosave_is_dropped_with_a_note(path: tuple, value) -> None:
    lab = trained_lab()
    record = saved_record(lab)
    place = record
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    text = json.dumps(record) if value != 1e999 else json.dumps(record).replace("1e999", "1e999")
    restored = restore("", text)
    again = Lab(restored.settings)
    notes = restore_run(again, restored.run)
    assert notes and all(note.startswith("Your saved lab") for note in notes)
    assert again.network.parameters() == lab.network.parameters()  # the weights still load


@pytest.mark.parametrize(
    "text",
    [
        "{",
        "null",
        "[]",
        "42",
        '"text"',
        "[" * 100_000 + "]" * 100_000,
        '{"settings": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"settings": {"width": "99"}}',
        "x" * 5_000_000,
    ],
)
def test_a_garbage_autosave_says_so_keeps_a_copy_aside_and_starts_fresh(text: str) -> None:
    restored = restore("", text)
    assert restored.saved_notes, "a dropped autosave must be reported"
    assert all("saved lab" in note for note in restored.saved_notes)
    assert restored.keep_aside
    Lab(restored.settings)  # and the lab can start from what was restored


@FAST
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_restoring_is_total_for_any_json_value(value) -> None:
    text = json.dumps({"settings": value, "epoch": value, "shuffle_state": value})
    restored = restore("?width=3", text)
    lab = Lab(restored.settings)
    if restored.run is not None:
        restore_run(lab, restored.run)


@FAST
@given(st.text(max_size=300))
def test_restoring_is_total_for_any_text(text: str) -> None:
    restored = restore("", text)
    Lab(restored.settings)


def test_embedding_and_hidden_controls_come_only_from_the_link() -> None:
    lab = Lab(decode_query("embed=1&hide=share,reset&width=4")[0])
    record = saved_record(lab)
    assert record["settings"]["embed"] == "0" and record["settings"]["hide"] == ""
    assert restore("", autosave_text(lab)).settings.hide == ()
    exported = json.loads(export_text(lab))
    exported["settings"]["hide"] = "share,reset"
    exported["settings"]["embed"] = "1"
    settings, _network, _epoch = read_import(json.dumps(exported))
    assert (settings.embed, settings.hide) == (False, ())


def test_a_reload_of_an_embedded_link_keeps_the_link_s_looks_and_the_saved_run() -> None:
    lab = trained_lab(QUERY + "&embed=1&hide=seed")
    query, _ = address_query(lab.settings)
    restored = restore("?" + query, autosave_text(lab))
    assert restored.run is not None
    assert (restored.settings.embed, restored.settings.hide) == (True, ("seed",))


def export_of(lab: Lab) -> dict:
    return json.loads(export_text(lab))


def test_an_exported_file_imports_back_exactly() -> None:
    lab = trained_lab()
    settings, network, epoch = read_import(export_text(lab))
    assert settings == replace(lab.settings, weights=None)
    assert network.parameters() == lab.network.parameters() and epoch == lab.epoch


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["settings"].update(activation="relu"), "activations"),
        (lambda r: r["network"].update(activate_output=False), "activated"),
        (lambda r: r["settings"].update(weights=",".join(["0.5"] * 19)), "other weights"),
        (lambda r: r.update(epoch=True), "epoch count"),
        (lambda r: r.update(epoch=-5), "epoch count"),
        (lambda r: r.update(epoch=10**4000), "epoch count"),
        (lambda r: r.update(epoch=1e300), "epoch count"),
        (lambda r: r["network"].update(sizes=[4, 2, 1]), "network"),
    ],
)
def test_a_file_that_contradicts_itself_is_refused_with_a_message(change, message) -> None:
    record = export_of(trained_lab())
    change(record)
    with pytest.raises(RejectedInput, match=message):
        read_import(json.dumps(record))


@pytest.mark.parametrize(
    "text",
    ["[" * 200_000 + "]" * 200_000, '{"format": "nn-lab", "x": ' + "[" * 50 + "]" * 50 + "}"],
)
def test_a_deeply_nested_file_is_refused_before_parsing(text: str) -> None:
    with pytest.raises(RejectedInput, match="nested more than"):
        read_import(text)


def test_read_json_ignores_brackets_inside_strings() -> None:
    assert read_json('{"a": "' + "[" * 500 + '"}', "x") == {"a": "[" * 500}


def test_every_link_the_page_writes_stays_under_the_limit() -> None:
    import random

    from core.edits import add_random_examples

    s, _ = decode_query("width=16")
    s, _ = add_random_examples(s, 5000, random.Random(1))
    query, left_out = address_query(s)
    assert left_out and len(query) < MAX_LINK_LENGTH
    assert "examples" not in query
    with pytest.raises(RejectedInput, match="Export"):
        share_query(s, None)
    everything, left_out = address_query(decode_query("width=16&examples=all")[0])
    assert not left_out and everything == "width=16&examples=all"


def test_a_reload_with_a_data_set_too_large_for_the_link_restores_it_from_the_autosave() -> None:
    import random

    from core.edits import add_random_examples

    s, _ = add_random_examples(decode_query("width=16")[0], 3000, random.Random(2))
    lab = Lab(s)
    query, left_out = address_query(lab.settings)
    assert left_out
    restored = restore("?" + query, autosave_text(lab))
    assert restored.settings.examples == s.examples and restored.run is not None


def test_python_export_of_huge_weights_is_a_message_or_works() -> None:
    lab = trained_lab()
    lab.network.layers[0].neurons[0].weight[0] = 1e308
    assert "1e+308" in scripts.python_snippet(lab)
    lab.network.layers[0].neurons[0].weight[0] = float("inf")
    with pytest.raises(RejectedInput, match="not finite"):
        scripts.python_snippet(lab)


def test_settings_default_context_matches_the_settings_defaults() -> None:
    from core.values import Context

    s, context = Settings(), Context()
    assert (s.width, s.task, s.examples, s.layers) == (
        context.width,
        context.task,
        context.examples,
        context.layers,
    )


@pytest.mark.parametrize(
    "query",
    [
        "width=5&examples=00101,00011,11000&bits=00101&lr=0.5&seed=3",
        "width=3&examples=all&task=parity&layers=4,1&batch=3&lr=1&seed=2&bits=101",
        "width=4&examples=all&task=odd&activation=tanh&activate=0&bits=0111",
    ],
)
def test_the_run_script_replays_the_lab_s_run_to_the_last_digit(query: str, capsys) -> None:
    lab = trained_lab(query, epochs=30)
    script, note = scripts.run_script(lab)
    assert "exactly" in note
    exec(compile(script, "run", "exec"), {})
    printed = capsys.readouterr().out.strip().split(" -> ")[1]
    bits = lab.settings.bits
    assert float(printed) == lab.network.forward([int(b) for b in bits])[0]


def test_the_run_script_says_when_it_cannot_replay_the_run() -> None:
    lab = trained_lab()
    lab.step_example()
    assert "may differ" in scripts.run_script(lab)[1]


def test_an_epoch_stopped_partway_is_not_replayed_as_exact() -> None:
    """A paused run's half-done epoch has moved weights and drawn from the shuffle: neither
    the replay script nor the autosave may call the lab's run exact, paused or abandoned."""
    lab = trained_lab()
    run = lab.start_run(1)
    run.chunk = 1  # steps of one example: a step ends inside the epoch (else it is all one)
    while not run.in_epoch or run.progress:
        run.advance(0.0)  # one chunk of work: the shuffle, then a chunk of batches
    assert lab.replayable and lab.epoch == 5
    assert "may differ" in scripts.run_script(lab)[1]
    assert saved_record(lab)["replayable"] is False
    lab.stop_run()
    assert not lab.replayable
    assert "may differ" in scripts.run_script(lab)[1]
    lab.reset()
    assert "exactly" in scripts.run_script(lab)[1]


def test_start_fresh_in_a_lesson_reopens_the_lesson_and_the_page_options_only() -> None:
    """Start fresh once dropped the learner out of the lesson (it opened the bare lab)."""
    link = "lesson=notebook&embed=1&hide=seed&lr=10&width=3&report=https://c.example"
    settings, _ = decode_query(link)
    query = fresh_query(settings)
    again, warnings = decode_query(query)
    assert not warnings and again.lesson == "notebook" and again.embed and again.hide == ("seed",)
    assert again.report == "https://c.example" and again.learning_rate == Settings().learning_rate
    assert fresh_query(Settings()) == ""


# --- the Embed dialog's snippet and its instructions for an LMS -----------------------------


def test_the_embed_snippet_escapes_the_link_and_sizes_the_frame() -> None:
    """The link goes into an HTML attribute escaped (a quote cannot end it); each size sets
    the frame's height and its widest width ("full": the page's); the host script is added
    only when asked for."""
    from core.savestate import embed_snippet

    url = 'https://lab.example/?embed=1&width=5&x="><script>alert(1)</script>'
    compact = embed_snippet(url)
    assert compact.count("<") == 2 and "<script>" not in compact  # the iframe's two tags only
    assert 'src="https://lab.example/?embed=1&amp;width=5&amp;x=&quot;&gt;&lt;script&gt;' in compact
    assert 'style="width:100%;max-width:700px;height:500px;border:0"' in compact
    assert 'style="width:100%;height:900px;border:0"' in embed_snippet(url, "full")
    assert "max-width:390px;height:640px;" in embed_snippet(url, "phone")
    hosted = embed_snippet("https://lab.example/", "compact", "https://lab.example/h.js?a&b")
    assert hosted.endswith('\n<script src="https://lab.example/h.js?a&amp;b" defer></script>')


def test_the_lms_instructions_name_the_make_command_for_the_lesson_chosen() -> None:
    from core.savestate import scorm_instructions

    built_in = scorm_instructions("notebook")
    assert "run: make scorm (it plays the built-in lesson notebook;" in built_in
    assert scorm_instructions("") == built_in
    mine = scorm_instructions("https://course.example/lessons/my-lesson.json")
    assert "run: make scorm LESSON=my-lesson.json (the lesson file beside the Makefile" in mine
    assert "dist/nn-lab-scorm.zip" in mine and "grade book" in mine
