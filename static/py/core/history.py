"""The run's history: the network as it was after each epoch, to look back at and train on from.

A ``Moment`` is the lab as it was at one point of the run: after an epoch (or epoch 0, the
first weights), after a step on one example, a weight set by hand, or a divergence rolled
back. It keeps the parameters themselves (not a way to replay them), so the network shown
at epoch k is, float for float, the one that training gave after k epochs; and it keeps the
shuffle's state, so training on from epoch k repeats what training straight on would do.

``History`` is the list of moments, with where the learner is looking (``cursor``: None at
the latest moment), and what a fork dropped: a change made while looking at the past
(Train, Step, an edit) continues from that moment and drops the later ones, which ``back``
restores until the next change.

Memory stays bounded: while the stored numbers (``Moment.size`` each: the parameters and a
share of bookkeeping) stay under ``budget`` every moment is kept; past it, the older moments
are thinned out evenly (every 2nd, then every 4th, ...), always keeping the first one and the
most recent ``len // 4``. Pure Python, no browser: ``tests/unit/test_history.py``.
"""

from __future__ import annotations

import random
from array import array
from dataclasses import dataclass
from typing import Any

from core.i18n import t
from nn.optimizers import check_state

BUDGET_FLOATS = 2_000_000  # numbers kept by the history at most (8 bytes each: 16 MB)
OVERHEAD_FLOATS = 112  # a moment beyond its parameters, in floats: its objects, its stats
# (with confusion matrices) and its share of the loss lists, measured with tracemalloc
MIN_MOMENTS = 64  # kept whatever the network's size
RECENT_SHARE = 4  # the most recent 1/RECENT_SHARE of the moments are never thinned

# What a moment is (its label on the slider says it in words).
START, EPOCH, STEP, EDIT = "start", "epoch", "step", "edit"
ROLLBACK, PARTWAY = "rollback", "partway"  # a divergence rolled back; a run stopped mid-epoch


def network_state(network: Any) -> array:
    """The one snapshot of a network the history takes: every weight and bias
    (``parameters()``), then the optimizer's state as the divergence rollback keeps it
    (``checkpoint()``): its step count t and, for each of ``optimizer.state_keys`` (momentum's
    velocity, Adam's m and v), one number per parameter (0 before the first step, where the
    optimizer reads a missing list as zeros)."""
    parameters, optimizer_state = network.checkpoint()
    state = array("d", parameters)
    state.append(float(optimizer_state.get("step", 0)))
    for key in network.optimizer.state_keys:
        state.extend(optimizer_state.get(key) or [0.0] * len(parameters))
    return state


def split_network_state(network: Any, state: array) -> tuple[list[float], dict[str, Any]]:
    """``state`` (from ``network_state``) as the network's parameters and its optimizer's
    state, checked as a saved one is (ValueError if it is not one). A snapshot taken under
    another optimizer (its state another size) gives a fresh optimizer state."""
    count = len(network.parameters())
    keys = network.optimizer.state_keys
    parameters = state[:count].tolist()
    if len(state) != count * (1 + len(keys)) + 1:
        return parameters, {"step": 0}
    step = state[count]
    if step != int(step):
        raise ValueError("an optimizer step count that is not a whole number")
    optimizer_state: dict[str, Any] = {"step": int(step)}
    if step:
        for i, key in enumerate(keys):
            start = count + 1 + i * count
            optimizer_state[key] = state[start : start + count].tolist()
    return parameters, check_state(network.optimizer, optimizer_state, count)


def restore_network_state(network: Any, state: array) -> None:
    """The inverse of ``network_state``."""
    network.restore(split_network_state(network, state))


class ShuffleState:
    """A ``random.Random``'s state, small: its 624 words in an array, shared between moments
    while the generator has not drawn a new block of them (it does every 624 draws), and the
    position in them."""

    __slots__ = ("index", "words")

    def __init__(self, words: array, index: int) -> None:
        self.words, self.index = words, index

    @classmethod
    def of(cls, rng: random.Random, last: ShuffleState | None = None) -> ShuffleState:
        """``rng``'s state now, sharing ``last``'s words if they are the same."""
        version, internal, gauss = rng.getstate()
        if version != 3 or gauss is not None:  # what the lab's shuffle always has
            raise ValueError("not the state of a Mersenne Twister used for shuffles")
        words = array("I", internal[:624])
        return cls(last.words if last is not None and last.words == words else words, internal[624])

    def after(self, draws: int) -> ShuffleState | None:
        """The state after ``draws`` more 32-bit words are drawn, while they come from these
        words (reading the state, ``getstate``, costs a small epoch's measuring); None once
        the generator has made a new block of them."""
        index = self.index + draws
        return ShuffleState(self.words, index) if index <= len(self.words) else None

    def restore(self, rng: random.Random) -> None:
        rng.setstate((3, (*self.words, self.index), None))


class Moment:
    """The lab at one point of its run.

    epoch: epochs trained then. kind: START, EPOCH, STEP, EDIT, ROLLBACK or PARTWAY.
    seq: its position in the whole run (0: the first), which thinning reads to keep moments
    evenly spaced. losses: how many training and test losses the chart had. steps: examples
    stepped by hand. stats: the lab's measured loss and accuracy then (None: not measured).
    settings: the settings then (for whether a replay from the seed gives the same weights).
    row: its row in the autosave, written once (``history_store``); None until then.
    """

    __slots__ = (
        "epoch",
        "kind",
        "losses",
        "note",
        "replayable",
        "row",
        "seq",
        "settings",
        "shuffle",
        "state",
        "stats",
        "steps",
    )

    def __init__(
        self,
        *,
        epoch: int,
        kind: str,
        state: array,
        shuffle: ShuffleState,
        losses: tuple[int, int],
        steps: int = 0,
        replayable: bool = True,
        stats: Any = None,
        settings: Any = None,
        note: str = "",
    ) -> None:
        self.seq = 0  # set by History.record
        self.row: tuple[str, str] | None = None
        self.epoch, self.kind, self.state, self.shuffle = epoch, kind, state, shuffle
        self.losses, self.steps, self.replayable = losses, steps, replayable
        self.stats, self.settings, self.note = stats, settings, note

    @property
    def size(self) -> int:
        """What keeping this moment costs, in floats (8 bytes each)."""
        return len(self.state) + OVERHEAD_FLOATS

    def label(self) -> str:
        """What the slider says of this moment."""
        if self.kind == STEP:
            return t("history.step", epoch=self.epoch, what=self.note or t("history.one_example"))
        if self.kind == EDIT:
            what = self.note or t("history.weight_by_hand")
            return t("history.edit", epoch=self.epoch, what=what)
        if self.kind == ROLLBACK:
            return t("history.rollback", epoch=self.epoch, next=self.epoch + 1)
        if self.kind == PARTWAY:
            return t("history.partway", epoch=self.epoch, next=self.epoch + 1)
        return t("history.epoch", epoch=self.epoch)


@dataclass
class Dropped:
    """What a fork took out of the history, for ``History.back``: the moments after the one
    continued from (at ``index``), the thinning's stride and count then, and ``extra`` (the
    lab's: the losses the chart dropped)."""

    index: int
    moments: list[Moment]
    stride: int
    next_seq: int
    extra: Any


class History:
    """The moments of the run, thinned to stay under ``budget`` floats."""

    def __init__(self, first: Moment, budget: int = BUDGET_FLOATS) -> None:
        self.budget = budget
        self.moments: list[Moment] = []
        self.stride = 1  # moments older than the recent ones are kept where seq % stride == 0
        self.next_seq = 0
        self.cursor: int | None = None  # the moment shown; None: the latest
        self.dropped: Dropped | None = None  # what the last fork dropped, until the next change
        self.saved: tuple[tuple, str] | None = None  # history_store's JSON text of it, and when
        self.record(first)

    def __len__(self) -> int:
        return len(self.moments)

    @property
    def latest(self) -> Moment:
        return self.moments[-1]

    @property
    def index(self) -> int:
        """The index of the moment shown."""
        return len(self.moments) - 1 if self.cursor is None else self.cursor

    @property
    def shown(self) -> Moment:
        return self.moments[self.index]

    @property
    def in_past(self) -> bool:
        """Whether an earlier moment than the latest is shown."""
        return self.cursor is not None

    @property
    def capacity(self) -> int:
        """How many moments fit in the budget (the latest one's size for each)."""
        return max(MIN_MOMENTS, self.budget // self.latest.size)

    @property
    def thinned(self) -> bool:
        """Whether some moments were left out to stay in the budget."""
        return self.stride > 1

    @property
    def floats(self) -> int:
        """The floats the kept moments hold (what the budget bounds)."""
        return sum(moment.size for moment in self.moments)

    def record(self, moment: Moment) -> None:
        """Add ``moment`` as the latest; it is then shown. Thins the history if it must."""
        moment.seq = self.next_seq
        self.next_seq += 1
        self.moments.append(moment)
        self.cursor = None
        recent = self.recent_count()
        leaving = len(self.moments) - recent - 1  # the moment that just left the recent ones
        if leaving > 0 and self.moments[leaving].seq % self.stride:
            del self.moments[leaving]
        while len(self.moments) > self.capacity:
            self.stride *= 2
            self._thin()

    def recent_count(self) -> int:
        """How many of the latest moments are never thinned."""
        return max(1, self.capacity // RECENT_SHARE)

    def _thin(self) -> None:
        """Keep the first moment, the recent ones and the older ones on the stride."""
        moments, recent = self.moments, self.recent_count()
        old = moments[1 : max(1, len(moments) - recent)]
        kept = [m for m in old if m.seq % self.stride == 0]
        self.moments = [moments[0], *kept, *moments[1 + len(old) :]]

    def show(self, index: int) -> Moment:
        """Show the moment at ``index`` (clamped to the history); returns it."""
        index = min(max(index, 0), len(self.moments) - 1)
        self.cursor = None if index == len(self.moments) - 1 else index
        return self.moments[index]

    def fork(self, extra: Any = None) -> Moment:
        """Continue from the moment shown: drop the later ones (kept for ``back`` with
        ``extra``) and return the moment, now the latest."""
        index = self.index
        self.dropped = Dropped(index, self.moments[index + 1 :], self.stride, self.next_seq, extra)
        del self.moments[index + 1 :]
        self.next_seq = self.moments[index].seq + 1
        self.cursor = None
        return self.moments[index]

    def changed(self) -> None:
        """A change made at the latest moment: what the last fork dropped is gone for good."""
        self.dropped = None

    def back(self) -> tuple[Moment, Any]:
        """Undo the last fork: drop what was added since, restore what it dropped and show
        the moment it continued from. Returns that moment and the fork's ``extra``;
        ValueError if there is nothing to go back to."""
        dropped, self.dropped = self.dropped, None
        if dropped is None:
            raise ValueError("There is nothing to go back to.")
        del self.moments[dropped.index + 1 :]
        self.moments += dropped.moments
        self.stride, self.next_seq = dropped.stride, dropped.next_seq
        return self.show(dropped.index), dropped.extra

    def epochs(self) -> list[int]:
        """The epoch of each kept moment."""
        return [moment.epoch for moment in self.moments]


def kept_every(history: History) -> str:
    """How the slider says the history was thinned ("" when every moment is kept)."""
    if not history.thinned:
        return ""
    recent = history.moments[max(1, len(history) - history.recent_count())].epoch
    nth = t("history.2nd") if history.stride == 2 else t("history.nth", n=history.stride)
    return t("history.kept_every", nth=nth, recent=recent)


def slider_words(history: History) -> tuple[str, str, str]:
    """What the slider says: (beside it, the note under it, the readout saying a past moment
    is shown: "" at the latest)."""
    moment, latest, dropped = history.shown, history.latest, history.dropped
    if history.in_past:
        beside = t("history.beside_past", moment=moment.label(), latest=latest.epoch)
        past = t("history.past", moment=moment.label(), latest=latest.epoch)
    else:
        beside, past = t("history.latest", moment=moment.label()), ""
    notes = [kept_every(history)]
    if dropped is not None and dropped.moments and not history.in_past:
        start, end = history.moments[dropped.index].epoch, dropped.moments[-1].epoch
        notes.append(t("history.continued", start=start, end=end))
    return beside, " ".join(note for note in notes if note), past
