"""The history in the autosave: its moments as JSON, read back only if every part is valid.

The autosave keeps the history only when the whole record stays within the lab's budget for a
saved text (``settings.MAX_JSON_LENGTH`` characters); else it keeps the current weights and
loss history alone, as before. Parameters and the shuffle's words travel as base64 of their
little-endian bytes: exact, and about 11 characters a float. The stats of a moment are not
kept (they are measured again when it is shown). Reading is total: a history that is not
exactly what ``history_text`` writes, or does not end at the lab restored, is dropped.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import sys
from array import array
from collections.abc import Iterator
from typing import TYPE_CHECKING

from core.history import (
    EDIT,
    EPOCH,
    PARTWAY,
    ROLLBACK,
    START,
    STEP,
    History,
    Moment,
    ShuffleState,
    split_network_state,
)
from core.history import network_state as state_of

if TYPE_CHECKING:
    from core.controller import Lab

VERSION = 1
KINDS = (START, EPOCH, STEP, EDIT, ROLLBACK, PARTWAY)
MAX_NOTE = 64  # characters of a moment's note (a number's bits)


def _packed(values: array) -> str:
    if sys.byteorder != "little":  # pragma: no cover -- wasm and x86 are little-endian
        values = array(values.typecode, values)
        values.byteswap()
    return base64.b64encode(values.tobytes()).decode("ascii")


def _unpacked(text: object, typecode: str, count: int) -> array:
    """The ``count`` numbers of ``typecode`` packed in ``text``; ValueError if not exactly."""
    if not isinstance(text, str):
        raise ValueError("not packed numbers")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("not packed numbers") from None
    values = array(typecode)
    if len(raw) != values.itemsize * count:
        raise ValueError("the wrong count of numbers")
    values.frombytes(raw)
    if sys.byteorder != "little":  # pragma: no cover
        values.byteswap()
    return values


ROWS_PER_STEP = 64  # moments written out between two turns of the browser (rows_steps)


def _row(moment: Moment) -> tuple[str, str]:
    """The moment's row in the saved history, as JSON text before and after its shuffle's
    index (which depends on the moments before it): written once, kept on the moment. A row
    is [seq, epoch, kind, note, steps, replayable, train losses, test losses, shuffle's words
    (an index into "shuffles"), shuffle's index, parameters packed]."""
    if moment.row is None:  # json.dumps of the list, written out faster: a run's end waits
        train, test = moment.losses
        kind, note = json.dumps(moment.kind), json.dumps(moment.note)
        replayable = "true" if moment.replayable else "false"
        counts = f"{int(moment.steps)}, {replayable}, {int(train)}, {int(test)}"
        head = f"[{int(moment.seq)}, {int(moment.epoch)}, {kind}, {note}, {counts}, "
        moment.row = head, f', {int(moment.shuffle.index)}, "{_packed(moment.state)}"]'
    return moment.row


def rows_steps(history: History) -> Iterator[None]:
    """Write out the rows of the moments not yet saved, ``ROWS_PER_STEP`` at a time: a
    history of a thousand new epochs takes tens of milliseconds in the page, which the end of
    a run spreads over turns of the browser before it saves."""
    written = 0
    for moment in history.moments:
        if moment.row is None:
            _row(moment)
            written += 1
            if written % ROWS_PER_STEP == 0:
                yield


def history_text(history: History) -> str:
    """The history as JSON text (its fork's dropped moments aside): written again only when
    the history changed since the last save (a save follows every click), and then only the
    rows of moments not written before."""
    key = (history.next_seq, len(history), history.stride, history.cursor, history.latest)
    if history.saved is None or history.saved[0] != key:
        shuffles: list[str] = []
        index_of: dict[int, int] = {}
        rows = []
        for moment in history.moments:
            words = moment.shuffle.words
            if id(words) not in index_of:
                index_of[id(words)] = len(shuffles)
                shuffles.append(_packed(words))
            head, tail = _row(moment)
            rows.append(f"{head}{index_of[id(words)]}{tail}")
        header = json.dumps(
            {
                "version": VERSION,
                "stride": history.stride,
                "next_seq": history.next_seq,
                "cursor": history.cursor,
                "shuffles": shuffles,
            }
        )
        history.saved = key, f'{header[:-1]}, "moments": [{", ".join(rows)}]}}'
    return history.saved[1]


def _count(value: object, low: int = 0, high: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError("not a count")
    return value


def read_history(data: object, lab: Lab) -> History:
    """The history saved as ``data`` for ``lab`` (restored from the same autosave: its
    weights, epoch count and losses); ValueError if any part of it is not valid."""
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError("not a saved history")
    shuffles = data.get("shuffles")
    rows = data.get("moments")
    if not isinstance(shuffles, list) or not isinstance(rows, list) or not rows:
        raise ValueError("not a saved history")
    words = [_unpacked(text, "I", 624) for text in shuffles]
    size = len(state_of(lab.network))
    history: History | None = None
    last_seq = -1
    for row in rows:
        if not isinstance(row, list) or len(row) != 11:
            raise ValueError("not a moment")
        seq, epoch, kind, note, steps, replayable, train, test, which, index, state = row
        if kind not in KINDS or not isinstance(note, str) or len(note) > MAX_NOTE:
            raise ValueError("not a moment")
        if _count(seq) <= last_seq or not isinstance(replayable, bool):
            raise ValueError("not a moment")
        last_seq = seq
        shuffle = ShuffleState(words[_count(which, 0, len(words) - 1)], _count(index, 0, 624))
        parameters = _unpacked(state, "d", size)
        if not all(map(math.isfinite, parameters)):
            raise ValueError("weights that are not finite")
        split_network_state(lab.network, parameters)  # ValueError if not the optimizer's
        moment = Moment(
            epoch=_count(epoch),
            kind=kind,
            state=parameters,
            shuffle=shuffle,
            losses=(_count(train, 0, len(lab.train_losses)), _count(test, 0, len(lab.test_losses))),
            steps=_count(steps),
            replayable=replayable and lab.replayable,
            settings=lab.settings,
            note=note,
        )
        if history is None:
            history = History(moment)
        else:
            history.moments.append(moment)
        moment.seq = seq
    assert history is not None
    history.stride = _count(data.get("stride"), 1)
    history.next_seq = _count(data.get("next_seq"), last_seq + 1)
    cursor = data.get("cursor")
    history.cursor = None if cursor is None else _count(cursor, 0, len(history) - 2)
    shown = history.shown
    if shown.epoch != lab.epoch or shown.state != state_of(lab.network):
        raise ValueError("a history that does not end at the saved weights")
    return history
