"""The history in the autosave, under CPython: a reload brings back every moment (the one
shown too), and training on from a past epoch after it is still bit-identical; a history that
does not fit the lab's budget for a saved text is left out (the rest is saved as before); a
damaged one is dropped with a note, never stopping the lab."""

from __future__ import annotations

import base64
import json

import pytest
from core import history_store, rewind, savestate
from core.controller import Lab
from core.history_store import history_text
from core.savestate import address_query, autosave_text, restore, restore_run

from tests.unit.test_controller import finish
from tests.unit.test_history import NETWORK, trained


def reloaded(lab: Lab, text: str | None = None) -> tuple[Lab, list[str]]:
    restored = restore("?" + address_query(lab.settings)[0], text or autosave_text(lab))
    again = Lab(restored.settings)
    return again, restore_run(again, restored.run)


def test_a_reload_brings_back_the_history_and_training_from_the_past_stays_exact() -> None:
    lab = trained(NETWORK, 60)
    rewind.look_back(lab, 20)
    again, notes = reloaded(lab)
    assert notes == []
    assert again.history.epochs() == list(range(61)) and again.history.index == 20
    assert [m.state for m in again.history.moments] == [m.state for m in lab.history.moments]
    assert again.epoch == 20 and again.train_losses == lab.train_losses
    rewind.look_back(again, 40)
    assert again.network.parameters() == trained(NETWORK, 40).network.parameters()
    finish(again.start_run(30))
    assert again.network.parameters() == trained(NETWORK, 70).network.parameters()


def test_a_history_too_large_for_the_budget_is_left_out_and_the_rest_saved(monkeypatch) -> None:
    lab = trained(NETWORK, 60)
    whole = autosave_text(lab)
    monkeypatch.setattr(savestate, "MAX_JSON_LENGTH", len(whole) - 1)
    record = json.loads(autosave_text(lab))
    assert "history" not in record and len(record["train_losses"]) == 60
    rewind.look_back(lab, 20)  # looking back, saved without the history: the run up to epoch 20
    record = json.loads(autosave_text(lab))
    assert record["epoch"] == 20 and len(record["train_losses"]) == 20
    assert "history" in json.loads(autosave_text(trained(NETWORK, 2)))  # a shorter one fits


@pytest.mark.parametrize(
    "damage",
    [
        lambda h: h.update(version=2),
        lambda h: h.update(moments=[]),
        lambda h: h["moments"][3].__setitem__(10, "not base64!"),
        lambda h: h["moments"][3].__setitem__(10, h["moments"][3][10][:-8]),
        lambda h: h["moments"][3].__setitem__(2, "<b>epoch</b>"),
        lambda h: h["moments"][3].__setitem__(0, 1),  # out of order
        lambda h: h["moments"][-1].__setitem__(1, 7),  # not the lab restored
        lambda h: h.update(cursor=99),
        lambda h: h["shuffles"].append(17),
        lambda h: h["moments"][2].__setitem__(6, 10**6),  # more losses than saved
    ],
)
def test_a_damaged_history_is_dropped_with_a_note_and_the_lab_starts_from_the_save(
    damage,
) -> None:
    lab = trained(NETWORK, 10)
    record = json.loads(autosave_text(lab))
    damage(record["history"])
    again, notes = reloaded(lab, json.dumps(record))
    assert notes == ["Your saved lab: its history could not be restored; it starts here."]
    assert len(again.history) == 1 and again.epoch == 10
    assert again.network.parameters() == lab.network.parameters()


def test_the_history_is_written_out_again_only_when_it_changed() -> None:
    lab = trained(NETWORK, 10)
    first = json.loads(autosave_text(lab))["history"]
    assert lab.history.saved is not None
    written = lab.history.saved[1]
    autosave_text(lab)
    assert lab.history.saved[1] is written  # unchanged: the same text
    rewind.look_back(lab, 4)
    assert json.loads(autosave_text(lab))["history"] == {**first, "cursor": 4}
    finish(lab.start_run(2))
    assert json.loads(autosave_text(lab))["history"]["next_seq"] == 7


def expected_rows(history) -> list[list]:
    """Each moment's row as the saved history holds it, built here from the moments."""
    words: list = []
    rows = []
    for m in history.moments:
        if not any(w is m.shuffle.words for w in words):
            words.append(m.shuffle.words)
        which = next(i for i, w in enumerate(words) if w is m.shuffle.words)
        packed = base64.b64encode(m.state.tobytes()).decode()
        rows.append([m.seq, m.epoch, m.kind, m.note, m.steps, m.replayable, *m.losses, which,
                     m.shuffle.index, packed])  # fmt: skip
    return rows


def test_each_moment_is_written_once_and_a_fork_writes_its_new_moments() -> None:
    lab = trained(NETWORK, 10)
    assert json.loads(history_text(lab.history))["moments"] == expected_rows(lab.history)
    rewind.look_back(lab, 4)
    finish(lab.start_run(3))  # the moments after epoch 4 dropped; new ones take their seq
    assert [m.epoch for m in lab.history.moments] == list(range(8))
    assert json.loads(history_text(lab.history))["moments"] == expected_rows(lab.history)


def test_a_row_is_the_json_of_its_list_whatever_its_note() -> None:
    lab = trained(NETWORK, 3)
    rewind.record(lab, rewind.EDIT, 'a "quoted" note \\ with é, \u2028 and a\nline')
    history = lab.history
    text = history_text(history)
    for row in expected_rows(history):
        assert json.dumps(row) in text  # the very text json.dumps writes, row by row
    assert json.loads(text)["moments"] == expected_rows(history)


def test_the_rows_are_written_in_steps_before_a_save() -> None:
    lab = trained(NETWORK, 150)
    steps = list(history_store.rows_steps(lab.history))
    assert len(steps) == len(lab.history) // history_store.ROWS_PER_STEP > 1
    assert all(m.row is not None for m in lab.history.moments)
    assert list(history_store.rows_steps(lab.history)) == []  # each row is written once
    assert json.loads(history_text(lab.history))["moments"] == expected_rows(lab.history)
