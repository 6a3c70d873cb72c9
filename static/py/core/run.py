"""A training run: epochs done in pieces of time, so the page never waits on a whole epoch.

Each epoch: shuffle (the lab's seeded shuffle), train batch by batch, then measure the mean
cost (and accuracy) over the training and test sets, a chunk of examples at a time. The
result is bit-identical to ``Network.train_epoch`` followed by ``mean_cost``; an epoch that
ends with a loss or a weight that is not finite is rolled back.
"""

from __future__ import annotations

import math
import random
import time
from array import array
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.history import Moment, ShuffleState, network_state, restore_network_state
from core.rewind import EPOCH, ROLLBACK, record
from core.usercode import DEFAULT_BUDGET, LEARNER_ERRORS, CodeError, TimeBudget, code_error
from nn import Example, Network
from nn.metrics import class_count, is_right, predicted_class, target_class

if TYPE_CHECKING:
    from core.controller import Lab

Matrix = tuple[tuple[int, ...], ...]  # confusion counts, matrix[actual][predicted]
CHUNK = 8  # examples trained or measured between two looks at the clock, at least (a big
# network takes milliseconds per example: 64 at a time made long tasks)...
CHUNK_WORK = 1500  # ...and more for a small one, as many as make about this much work: an
# example costs about (EXAMPLE_WORK + its parameters) units, ~1 us each in the page's Python
# (parity3's 21 parameters: 48 examples, its epoch whole in one chunk; 8-8-1: 16; one neuron
# of 8 inputs: 78). A chunk is a step of a few ms; an epoch of a few examples cut into chunks
# of 8 cost a fifth of its time in steps.
EXAMPLE_WORK = 10
SHUFFLE_CHUNK = 2048  # swaps of an epoch's shuffle between two looks at the clock
LAZY_STATS = 64  # examples (training and test) up to which an epoch done in one step
# measures only the loss: the accuracy and the confusion counts are measured when shown
# (``Lab.stats``; a moment's when it is looked back at): at each redraw, a few times a second
# at full speed, every frame when watching. Counting them after every epoch cost parity3's 8
# examples ~3% of its run in the page.


def shuffle_steps(items: list, rng: random.Random, chunk: int) -> Iterator[int]:
    """``rng.shuffle(items)``, ``chunk`` swaps at a time: the same Fisher-Yates with the same
    draws, so the same order, with a pause after each chunk (a training set of 65,536 numbers
    took ~0.2 s to shuffle and cut into batches at once, in the page). Checked against
    ``random.Random.shuffle`` by the tests.

    Draws as ``Random._randbelow`` does (``getrandbits(k)`` until below ``i + 1``), and counts
    the draws: each takes one 32-bit word of the generator (k <= 32). Yields the words drawn so
    far at each pause; returns their count."""
    getrandbits, draws = rng.getrandbits, 0
    for i in reversed(range(1, len(items))):
        below = i + 1
        bits = below.bit_length()
        j = getrandbits(bits)
        draws += 1
        while j >= below:
            j = getrandbits(bits)
            draws += 1
        items[i], items[j] = items[j], items[i]
        if i % chunk == 0:
            yield draws
    return draws


def in_time(seconds: float, clock: Callable[[], float]) -> Iterator[None]:
    """Yield once for each chunk of work to do within ``seconds``: always once, and again
    while the next chunk, if it takes as long as the last, ends in time. A slice then ends
    before its deadline rather than a chunk after it (a chunk of a big network takes ms)."""
    last = clock()
    deadline = last + seconds
    while True:
        yield
        now = clock()
        if now + (now - last) > deadline:
            return
        last = now


@dataclass(frozen=True)
class Stats:
    """Mean cost and accuracy (None where it means nothing) at the current weights, and
    for the classification tasks the confusion matrices of the training and test sets."""

    loss: float | None = None
    accuracy: float | None = None
    test_loss: float | None = None
    test_accuracy: float | None = None
    confusion: Matrix | None = None
    test_confusion: Matrix | None = None


class Measure:
    """The mean cost (and accuracy) of the network over some examples, measured in chunks.

    Adds up what ``Network.mean_cost`` and ``accuracy`` would, the same way (``sum`` over
    the list of costs, then the L2 term once), so the result is the same float."""

    def __init__(
        self, examples: list[Example], classify: bool, classes: list[int] | None = None
    ) -> None:
        """``classes``: each example's actual class (``target_classes``), if already known."""
        self.examples, self.classify = examples, classify
        self.position, self.costs, self.correct = 0, [], 0
        outputs = len(examples[0][1]) if examples else 1
        size = class_count(outputs)
        self.matrix = [[0] * size for _ in range(size)]  # matrix[actual][predicted]
        self.one_output = outputs == 1
        if classify and classes is None:
            classes = target_classes(examples)
        self.classes = classes

    @property
    def done(self) -> bool:
        return self.position >= len(self.examples)

    def advance(self, network: Network, count: int = CHUNK) -> int:
        """Measure the next ``count`` examples (fewer at the end); returns how many."""
        examples, matrix, classes = self.examples, self.matrix, self.classes
        softmax = network.cost.softmax
        # nn.metrics.is_right, for one output or softmax's argmax: the predicted class is right
        right_by_class = softmax or self.one_output
        costs, forward, cost_of = self.costs, network.forward, network.cost_of
        start, end = self.position, min(self.position + count, len(examples))
        for index in range(start, end):
            x, t = examples[index]
            y = forward(x)
            costs.append(cost_of(y, t))
            if classes is not None:
                actual, predicted = classes[index], predicted_class(y)
                if predicted is not None:  # a nan output names no class
                    matrix[actual][predicted] += 1
                if right_by_class:
                    self.correct += predicted == actual
                else:
                    self.correct += bool(is_right(y, t, 0.5, softmax))
        self.position = end
        return end - start

    def confusion(self) -> Matrix | None:
        """The confusion counts so far (None when the task is not a classification)."""
        if not self.classify or not self.examples:
            return None
        return tuple(tuple(row) for row in self.matrix)

    def result(self, network: Network) -> tuple[float | None, float | None]:
        if not self.examples:
            return None, None
        count = len(self.examples)
        loss = sum(self.costs) / count + network.penalty()
        return loss, (self.correct / count if self.classify else None)


def target_classes(examples: list[Example]) -> list[int]:
    """Each example's actual class (``nn.metrics.target_class``; ValueError for a target that
    names none)."""
    return [target_class(t) for _, t in examples]


def examples_per_chunk(network: Network) -> int:
    """How many examples a chunk of work trains or measures (``CHUNK_WORK``)."""
    return max(CHUNK, CHUNK_WORK // (EXAMPLE_WORK + len(network.parameters())))


def stats_when_shown(train: list[Example], test: list[Example], chunk: int) -> bool:
    """Whether a run's epochs leave the accuracy and the confusion counts to be measured when
    shown (``LAZY_STATS``): for a small data set whose epoch is one step of ``chunk``
    examples, trained then measured, so that the stats shown are never those of weights
    halfway through an epoch."""
    return len(train) + len(test) <= LAZY_STATS and 2 * len(train) + len(test) <= chunk


def replays_exactly(lab: Lab) -> bool:
    """Whether training ``lab.epoch`` epochs from the seed gives the lab's weights: nothing a
    replay can't repeat was done, and no epoch is half done (a paused run's)."""
    return lab.replayable and not (lab.run is not None and lab.run.in_epoch)


class TrainingRun:
    """``epochs`` epochs of training, done in pieces by ``advance(seconds)``.

    Each epoch: shuffle (the lab's seeded shuffle), train batch by batch, then measure the
    mean cost over the training and test sets. An epoch is bit-identical to
    ``Network.train_epoch``; one that ends with a loss or weight that is not finite is rolled
    back and stops the run with ``message``.
    """

    def __init__(self, lab: Lab, epochs: int) -> None:
        self.lab = lab
        self.start_epoch, self.goal = lab.epoch, lab.epoch + epochs
        self.learning_rate, self.batch_size = lab.settings.learning_rate, lab.settings.batch_size
        self.optimizer = lab.settings.optimizer  # another one starts afresh: a new run
        self.data_key = lab.data_key()
        self.classify = lab.classify()  # the task is part of the data key: fixed for the run
        self.stop_requested = False
        self.finished = False
        self.diverged = False
        self.failed: CodeError | None = None  # the learner's code failed (the run stopped)
        self.message = ""
        self._order: list[Example] = []  # the epoch's training examples, shuffled
        self._shuffling: Iterator[int] | None = None  # the shuffle, while under way
        self._draws = 0  # the words the epoch's shuffle drew from the lab's shuffle generator
        self._recorded: Moment | None = None  # the last moment this run added to the history
        self._next_start = 0  # where the next batch starts in _order
        self._before: array | None = None  # the network's state before the epoch
        # (history.network_state: its weights and its optimizer's state), to roll back to
        self._measures: list[Measure] = []
        self._classes: tuple[list[int] | None, list[int] | None] = (None, None)  # each
        # example's actual class, training then test set (for a classification task: the data
        # is fixed for the run, as its key is)
        self.chunk = examples_per_chunk(lab.network)  # examples trained or measured per step
        # not with the learner's code: measured when shown, it would run outside the run's
        # guard (a failure there is the run's to report)
        self.lazy_stats = lab.code is None and stats_when_shown(*lab.examples(), self.chunk)

    def fits(self, lab: Lab) -> bool:
        """Whether this run can go on with the lab as it is now."""
        s = lab.settings
        return (
            self.data_key == lab.data_key()
            and self.learning_rate == s.learning_rate
            and self.batch_size == s.batch_size
            and self.optimizer == s.optimizer
        )

    @property
    def progress(self) -> float:
        """The fraction of the run done, 0 to 1."""
        epochs = self.goal - self.start_epoch
        return 1.0 if epochs <= 0 else min(1.0, (self.lab.epoch - self.start_epoch) / epochs)

    @property
    def in_epoch(self) -> bool:
        """True between an epoch's first batch and the end of its measuring."""
        return self._before is not None

    def abandon(self) -> None:
        """Stop for good; a half-done epoch keeps the steps it made but is not counted."""
        self.finished = True
        if self._before is not None:
            self._before = None
            self.lab.weights_changed()
            self.lab.replayable = False  # its steps and its shuffle's draws can't be replayed

    def advance(self, seconds: float, clock: Callable[[], float] = time.perf_counter) -> None:
        """Train for ``seconds`` at most, give or take a chunk of work (at least one chunk),
        then return (``in_time``)."""
        self._advance(None, seconds, clock)

    def advance_epochs(
        self, count: int, seconds: float, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        """Train until ``count`` more epochs are done, or for ``seconds`` at most (``in_time``)."""
        self._advance(self.lab.epoch + count, seconds, clock)

    def _advance(self, goal: int | None, seconds: float, clock: Callable[[], float]) -> None:
        """Work chunk by chunk within ``seconds`` until the run ends, stops, or reaches epoch
        ``goal`` (None: its own goal)."""
        with self._budget():
            for _ in in_time(seconds, clock):
                if self.finished or (goal is not None and self.lab.epoch >= goal):
                    break
                self._work()
                if self.stop_requested:
                    break

    def _budget(self) -> AbstractContextManager:
        """With the learner's code, one time budget for the whole slice: the budget of each
        call inside it then costs nothing (budgets nest; the outermost one counts)."""
        return nullcontext() if self.lab.code is None else TimeBudget(DEFAULT_BUDGET)

    def _work(self) -> None:
        try:
            self._step()
        except LEARNER_ERRORS as error:
            if self.lab.code is None:
                raise
            self._fail(code_error(error))

    def _fail(self, problem: CodeError) -> None:
        """The learner's code failed: back to the weights from before the epoch, and stop."""
        lab = self.lab
        if self._before is not None:
            restore_network_state(lab.network, self._before)
            self._before = None
        lab.weights_changed()
        self.failed, self.finished = problem, True
        self.message = f"Training stopped at epoch {lab.epoch}: your code failed. {problem.text}"

    def _step(self) -> None:
        """One chunk of work: a chunk of the shuffle, or about ``chunk`` examples trained
        (whole batches: at least one) and then measured, and the epoch's end once they all
        are (a small epoch is one step)."""
        lab = self.lab
        if self._before is None:
            if lab.epoch >= self.goal:
                self.finished = True
                return
            self._begin_epoch()
        if self._shuffling is not None:
            try:
                self._draws = next(self._shuffling)
                return  # a chunk of the shuffle done
            except StopIteration as done:
                self._draws, self._shuffling = done.value, None
        left = self.chunk - self._train_batches(self.chunk)
        for measure in self._measures:
            if not measure.done:
                if left <= 0:
                    return
                left -= measure.advance(lab.network, left)
        if all(measure.done for measure in self._measures):
            self._end_epoch()

    def _begin_epoch(self) -> None:
        """The weights kept to roll back to, the shuffle begun, the measures made."""
        lab = self.lab
        train, test = lab.examples()
        classify = self.classify and not self.lazy_stats
        if classify and self._classes == (None, None):
            self._classes = (target_classes(train), target_classes(test))
        recorded = self._recorded  # this run's last epoch, if nothing has come since
        if recorded is not None and recorded is lab.history.latest:
            self._before = recorded.state  # the network as it was then, and is still
        else:
            self._before = network_state(lab.network)
        # Network.epoch_batches, in pieces: a shuffled copy, then batches cut from it
        self._order = list(train)
        self._shuffling = shuffle_steps(self._order, lab.shuffle_rng, SHUFFLE_CHUNK)
        self._next_start = 0
        train_classes, test_classes = self._classes
        self._measures = [
            Measure(train, classify, train_classes),
            Measure(test, classify, test_classes),
        ]

    def _train_batches(self, count: int) -> int:
        """Train the epoch's next batches, until ``count`` examples at least (or the epoch's
        last batch); returns how many examples."""
        order, size, network = self._order, self.batch_size, self.lab.network
        start = self._next_start
        if start >= len(order):
            return 0
        done = 0
        while start < len(order) and done < count:
            batch = order[start : start + size]
            network.train_batch(batch, self.learning_rate)
            start += size
            done += len(batch)
        self._next_start = start
        self.lab.last_step = None  # the stats shown stay those after the last whole epoch
        return done

    def _shuffle_after_epoch(self) -> ShuffleState | None:
        """The shuffle generator's state after this epoch, known without reading it when the
        history's latest moment is this run's last epoch (nothing has drawn since but this
        epoch's shuffle) and the shuffle drew no new block of words; else None (read it)."""
        latest = self.lab.history.latest
        if self._recorded is None or latest is not self._recorded:
            return None
        return latest.shuffle.after(self._draws)

    def _end_epoch(self) -> None:
        """Count the epoch, or roll it back if its loss or a weight is not finite. The
        network's state is taken once: checked, kept by the history, and the next epoch's
        point to roll back to (three copies of it, made one by one, cost parity3's run ~4%
        under Node)."""
        lab = self.lab
        results = (m.result(lab.network) for m in self._measures)
        (loss, accuracy), (test_loss, test_accuracy) = results
        before, self._before = self._before, None
        state = network_state(lab.network)  # its optimizer's state too: Network.is_finite
        if loss is None or not math.isfinite(loss) or not all(map(math.isfinite, state)):
            restore_network_state(lab.network, before)
            lab.weights_changed()
            self.diverged, self.finished = True, True
            self.message = lab.diverged_message()
            record(lab, ROLLBACK)  # one more moment in the history, labelled as such
            return
        lab.epoch += 1
        lab.train_losses.append(loss)
        if test_loss is not None:
            lab.test_losses.append(test_loss)
        if self.lazy_stats:
            lab.weights_changed()  # the stats measured when shown, the same floats (Lab.stats)
        else:
            confusion, test_confusion = (m.confusion() for m in self._measures)
            stats = Stats(loss, accuracy, test_loss, test_accuracy, confusion, test_confusion)
            lab.measured(stats)
        record(lab, EPOCH, shuffle=self._shuffle_after_epoch(), state=state)
        self._recorded = lab.history.latest
        if lab.epoch >= self.goal:
            self.finished = True
