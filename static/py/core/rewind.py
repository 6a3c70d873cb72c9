"""Rewinding the lab: its moments taken, shown again, and trained on from (a fork), undone.

The lab (``controller.Lab``) keeps a ``history.History`` of moments. Here is what the lab does
with it: ``record`` the lab as it is now (after an epoch, a step, an edit, a rollback),
``look_back`` at an earlier moment (the network, epoch count, stats and shuffle as they were
then, the loss chart whole), ``before_change`` (a change made while a past moment is shown
continues from it and drops the later moments and losses) and ``back`` (they come back, until
the next change).
Pure Python, no browser: ``tests/unit/test_history.py``.
"""

from __future__ import annotations

from array import array
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
    network_state,
    restore_network_state,
)
from core.optimizer_fields import optimizer_key
from core.settings import Settings

if TYPE_CHECKING:
    from core.controller import Lab

__all__ = ["EDIT", "EPOCH", "ROLLBACK", "START", "STEP", "back", "before_change", "record"]


def replay_key(s: Settings) -> tuple:
    """The settings a replay of the run depends on."""
    replay = (s.examples, s.task, s.threshold, s.k, s.noise, s.l2, s.learning_rate, s.batch_size)
    return replay + optimizer_key(s)


def stats_key(s: Settings) -> tuple:
    """The settings the loss and accuracy at given weights depend on."""
    return (s.examples, s.test, s.task, s.threshold, s.k, s.noise, s.seed, s.l2)


def moment_of(
    lab: Lab,
    kind: str,
    note: str = "",
    shuffle: ShuffleState | None = None,
    state: array | None = None,
) -> Moment:
    """The lab as it is now, as a moment of its history; ``shuffle``: the shuffle generator's
    state, and ``state``: the network's (``network_state``), when the caller has them (else
    they are read)."""
    history: History | None = getattr(lab, "history", None)
    if shuffle is None:
        shuffle = ShuffleState.of(lab.shuffle_rng, history.latest.shuffle if history else None)
    return Moment(
        epoch=lab.epoch,
        kind=kind,
        state=network_state(lab.network) if state is None else state,
        shuffle=shuffle,
        losses=(len(lab.train_losses), len(lab.test_losses)),
        steps=lab.steps,
        replayable=lab.replayable,
        stats=lab.stats(max_examples=-1),  # as measured: -1 never measures
        settings=lab.settings,
        note=note,
    )


def restart(lab: Lab) -> History:
    """A new history for ``lab``, starting from the lab as it is now (a reset, a restored
    run, an imported file); returns it."""
    lab.history = History(moment_of(lab, START))
    return lab.history


def record(
    lab: Lab,
    kind: str,
    note: str = "",
    shuffle: ShuffleState | None = None,
    state: array | None = None,
) -> None:
    """Add the lab as it is now to its history, as the latest moment (``shuffle``, ``state``:
    see ``moment_of``)."""
    lab.history.record(moment_of(lab, kind, note, shuffle, state))


def look_back(lab: Lab, index: int) -> Moment:
    """Show the lab as it was at moment ``index`` (the slider's value): the network, epoch
    count, steps, stats and shuffle then; the loss history stays whole, for the chart. A run
    under way stops; nothing is dropped until a change is made there."""
    history = lab.history
    lab.stop_run()
    latest = history.latest
    if not history.in_past and (
        lab.epoch != latest.epoch or network_state(lab.network) != latest.state
    ):
        record(lab, PARTWAY)  # e.g. a run stopped mid-epoch: where it stopped is kept too
    moment = history.show(index)
    restore(lab, moment)
    return moment


def restore(lab: Lab, moment: Moment) -> None:
    """The lab as it was at ``moment`` (its loss history aside)."""
    restore_network_state(lab.network, moment.state)
    lab.weights_changed()
    lab.epoch, lab.steps = moment.epoch, moment.steps
    moment.shuffle.restore(lab.shuffle_rng)
    then, now = moment.settings, lab.settings
    lab.replayable = moment.replayable and replay_key(then) == replay_key(now)
    if moment.stats is not None and stats_key(then) == stats_key(now):
        lab.measured(moment.stats)


def before_change(lab: Lab) -> None:
    """Before Train, Step or an edit: end the run under way, and if a past moment is shown,
    continue from it, dropping the later moments and losses (``back`` restores them);
    else what the last fork dropped is gone for good."""
    lab.stop_run()
    history = lab.history
    if not history.in_past:
        history.changed()
        return
    train, test = history.shown.losses
    tails = (lab.train_losses[train:], lab.test_losses[test:])
    del lab.train_losses[train:], lab.test_losses[test:]
    history.fork(tails)


def back(lab: Lab) -> Moment:
    """Undo the last fork: the moments and losses it dropped come back (what was trained
    since is dropped) and the moment it continued from is shown. ValueError if there is
    nothing to go back to."""
    lab.stop_run()
    moment, (train_tail, test_tail) = lab.history.back()
    train, test = moment.losses
    lab.train_losses[train:] = train_tail
    lab.test_losses[test:] = test_tail
    restore(lab, moment)
    return moment
