"""The lab: its state and everything it does, with no browser in it.

``Lab`` holds the settings (a ``settings.Settings``), the network being trained, the run's
history (epoch count, losses) and what the learner picked in the diagram. Its methods are the
lab's behaviour: reset, step one example, edit a weight, and train for N epochs (or step
one) as a ``TrainingRun`` that the page advances in short slices of time, so the browser
never freezes at any data-set size: a slice may end inside an epoch. An epoch whose loss or
weights stop being finite is rolled back to the weights from before it.

The page's browser modules only read controls, call these methods and draw; everything here
is unit-tested under CPython (``tests/unit/test_controller.py``).
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from core.edits import example_targets, is_classification
from core.i18n import shown_number, t
from core.inputs import format_float
from core.optimizer_fields import follow_optimizer, optimizer_options, step_key
from core.presets import hidden_layer_preset
from core.rewind import EDIT, STEP, before_change, record, replay_key, restart
from core.run import Measure, Stats, TrainingRun
from core.settings import Settings, layer_activation_names, network_activation_names
from core.usercode import LEARNER_ERRORS, CodeError, LoadedCode, code_error
from core.values import TrainingNumber
from nn import Example, Network, Neuron, get_task, noisy_targets, parse_bits, targets_for


def trace(network: Network, x: Sequence[int], targets: Sequence[float] | None) -> Network:
    """A copy of ``network`` that has run forward on x (and, with targets, backprop), for
    the diagram and the math to read z, y and every gradient from: the model is untouched."""
    traced = copy.deepcopy(network)
    if targets is None:
        traced.forward(list(x))
    else:
        traced.backprop(list(x), list(targets))
    return traced


@dataclass(frozen=True)
class Hint:
    """Advice the lab gives, with the one click that follows it (``action``: a preset's name,
    or "lower-lr": a ten times smaller learning rate and the seed's weights again)."""

    text: str
    button: str  # what the click does, e.g. "Try: 3 bits, a 3-4-1 network, learning rate 1"
    action: str


STEP_SLICE = 0.05  # seconds: Step 1 epoch runs its epoch in slices like Train does


class RejectedInput(ValueError):
    """An action the lab refused; its message is shown to the learner as it is."""


class CodeFailed(RejectedInput):
    """The learner's code raised, or ran too long: ``problem`` has the message and the line."""

    def __init__(self, problem: CodeError, doing: str) -> None:
        super().__init__(f"Your code stopped {doing}. {problem.text}")
        self.problem = problem


@dataclass(frozen=True)
class Selection:
    """What the learner picked in the diagram: a weight, or a neuron (its bias)."""

    layer: int  # index into network.layers
    neuron: int  # index into that layer's neurons
    input: int | None = None  # index of the weight's input; None: the neuron/bias itself

    @property
    def key(self) -> str:
        return f"{self.layer}-{self.neuron}-{'b' if self.input is None else self.input}"


class Lab:
    """The one place the lab's state lives, and what can be done to it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.code: LoadedCode | None = None  # the learner's code in effect (None: nn's)
        self.network = self.build_network()
        if settings.weights is not None:
            self.network.set_parameters(settings.weights)
            # The network holds the weights from here on (``saved_settings`` adds them back).
            self.settings = replace(settings, weights=None)
        self.epoch = 0  # epochs trained since the last reset
        self.train_losses: list[float] = []  # mean training cost after each epoch
        self.test_losses: list[float] = []  # mean test cost after each epoch
        self.shuffle_rng = random.Random(f"shuffle-{settings.seed}")
        self.selection: Selection | None = None  # the neuron or weight picked in the diagram
        self.run: TrainingRun | None = None  # the training run under way or paused
        self.steps = 0  # examples stepped one at a time since the last reset
        # Whether the run so far is just `epoch` epochs from the seed with these settings, so
        # that a script can replay it (no step by hand, no edit, no change of data or rate).
        self.replayable = settings.weights is None
        self.lesson_progress: dict | None = None  # the page's lesson progress, for the autosave
        self.last_step: Network | None = None  # traced copy from "step one example", if last
        self._stats: Stats | None = None  # at the current weights; None: not measured yet
        self._examples_key: tuple | None = None
        self._examples: tuple[list[Example], list[Example]] = ([], [])
        self.history = restart(self)  # the run's moments, to look back at (history.History)

    # --- the model ---------------------------------------------------------------------

    def build_network(self) -> Network:
        s = self.settings
        return Network(
            [s.width, *s.layers],
            activation=s.activation,
            seed=s.seed,
            init=s.init,
            activations=network_activation_names(s),
            activate_output=s.activate_output,
            cost=s.cost,
            l2=s.l2,
            neuron_class=Neuron if self.code is None else self.code.neuron_class,
            optimizer=s.optimizer,
            optimizer_options=optimizer_options(s),
        )

    def use_code(self, code: LoadedCode | None) -> None:
        """Build the neurons from the learner's code (None: nn's own again), keeping the
        weights and the run's history. RejectedInput if this network can't use that code
        (CodeFailed when the code itself fails on the data), leaving the lab as it was."""
        before, old = self.network.checkpoint(), self.code
        self.code = code
        try:
            network = self.build_network()
            network.restore(before)
            if code is not None:
                train, _ = self.examples()
                for x, t in train[:1] or [([0] * self.settings.width, None)]:
                    trace(network, x, t)  # forward and backward once: it fails here, or works
        except LEARNER_ERRORS as error:
            self.code = old
            if isinstance(error, ValueError) and code_error(error).line is None:
                raise RejectedInput(str(error)) from None
            raise CodeFailed(code_error(error), "on the first example") from None
        self.stop_run()
        self.network = network
        self.replayable = self.replayable and not (self.epoch or self.steps)  # code changed
        self.weights_changed()

    def reset(self) -> None:
        """New weights from the seed; the run's history starts again."""
        self.stop_run()
        self.network = self.build_network()
        self.epoch = self.steps = 0
        self.replayable = True
        self.train_losses, self.test_losses = [], []
        self.shuffle_rng = random.Random(f"shuffle-{self.settings.seed}")
        self.selection = None
        self.weights_changed()
        restart(self)

    def change(self, settings: Settings, rebuild: bool = False) -> bool:
        """Take new settings; ``rebuild`` when they change the network's shape or first weights.
        RejectedInput, changing nothing, when the learner's code in use can't make that network
        (their Neuron is the notebook's sigmoid neuron). True when the network was rebuilt."""
        rebuild = rebuild or _network_key(settings) != _network_key(self.settings)
        if rebuild and self.code is not None:
            old, self.settings = self.settings, settings
            try:
                self.build_network()
            except (TypeError, ValueError) as error:
                raise RejectedInput(
                    f"{error} Your code is in use: Back to the library's code allows any network."
                ) from None
            finally:
                self.settings = old
        if settings.bits != self.settings.bits:
            self.last_step = None
        if self.epoch and replay_key(settings) != replay_key(self.settings):
            self.replayable = False
        if not rebuild and step_key(settings) != step_key(self.settings):
            self.network.l2 = settings.l2  # the cost changes, the weights stay
            follow_optimizer(self.network, settings)  # so do they for another optimizer
            self.weights_changed()
        self.settings = settings
        if rebuild:
            self.reset()
        elif self.run is not None and not self.run.fits(self):
            self.stop_run()
        return rebuild

    def weights_changed(self) -> None:
        """Forget what was measured or stepped at the old weights."""
        self._stats = None
        self.last_step = None

    def measured(self, stats: Stats) -> None:
        """Keep ``stats``, measured at the current weights."""
        self._stats = stats

    def set_parameter(self, selection: Selection, value: float) -> None:
        """Set one weight (or, with ``selection.input`` None, the bias) by hand."""
        before_change(self)
        neuron = self.network.layers[selection.layer].neurons[selection.neuron]
        if selection.input is None:
            neuron.bias = value
        else:
            neuron.weight[selection.input] = value
        self.weights_changed()
        self.replayable = False
        record(self, EDIT, "a bias set by hand" if selection.input is None else "")

    # --- the data --------------------------------------------------------------------------

    def data_key(self) -> tuple:
        s = self.settings
        return (s.examples, s.test, s.task, s.threshold, s.k, s.noise, s.seed)

    def examples(self) -> tuple[list[Example], list[Example]]:
        """(training examples, test examples) as nn takes them: (x, t) pairs, rebuilt only when
        the data changes."""
        key = self.data_key()
        if key != self._examples_key:
            s = self.settings
            task = get_task(s.task)
            typed = task.typed_targets  # custom: targets typed

            def example(bits: str, target: float | None) -> Example:
                x = [int(bit) for bit in bits]  # the settings hold valid bits only
                if typed:
                    return x, [target]
                return x, targets_for(s.task, x, s.threshold, s.k)

            train = [example(e.bits, e.target) for e in s.examples]
            if s.noise and train and not typed:
                classes = task.classes(s.width, s.k) or 2
                train = noisy_targets(train, s.noise, random.Random(f"noise-{s.seed}"), classes)
            # A test number has no target the learner typed: the custom task has no test set.
            test = [] if typed else [example(bits, None) for bits in s.test]
            self._examples_key, self._examples = key, (train, test)
            self._stats = None
        return self._examples

    def current_targets(self) -> list[float] | None:
        """The targets of the number shown: from the task, or a typed custom target
        (None: a custom task's number that is not in the training set)."""
        s = self.settings
        if not get_task(s.task).typed_targets:
            return example_targets(s, TrainingNumber(s.bits))
        return next(([e.target] for e in s.examples if e.bits == s.bits), None)

    def classify(self) -> bool:
        return is_classification(self.settings.task)

    def fall_back_if_code_fails(self, max_examples: int | None = None) -> CodeError | None:
        """Where the learner's code in use fails on the number shown, or on the data measured
        for the stats (at most ``max_examples`` examples), go back to nn's own code: what went
        wrong, or None (their code ran, or none is in use). Called before drawing, so that
        drawing never changes the lab."""
        if self.code is None:
            return None
        try:
            trace(self.network, parse_bits(self.settings.bits), self.current_targets())
            self.stats(max_examples)
        except LEARNER_ERRORS as error:
            problem = code_error(error)
            self.use_code(None)
            return problem
        return None

    def stats(self, max_examples: int | None = None) -> Stats | None:
        """Loss and accuracy at the current weights; measured now if there are at most
        ``max_examples`` examples (None: any number), else None until a run measures them."""
        train, test = self.examples()
        if self._stats is None and (max_examples is None or len(train) + len(test) <= max_examples):
            self._stats = self._measure(train, test)
        return self._stats

    def _measure(self, train: list[Example], test: list[Example]) -> Stats:
        measures = [Measure(train, self.classify()), Measure(test, self.classify())]
        for measure in measures:
            while not measure.done:
                measure.advance(self.network, len(measure.examples))
        (loss, accuracy), (test_loss, test_accuracy) = (m.result(self.network) for m in measures)
        confusion, test_confusion = (m.confusion() for m in measures)
        return Stats(loss, accuracy, test_loss, test_accuracy, confusion, test_confusion)

    # --- training ---------------------------------------------------------------------------

    def require_examples(self, what: str) -> list[Example]:
        train, _ = self.examples()
        if not train:
            raise RejectedInput(f"Add at least one example to the training set {what}.")
        return train

    def start_run(self, epochs: int) -> TrainingRun:
        """A run of ``epochs`` more epochs (or the rest of a paused one, if it still fits)."""
        self.require_examples("before training")
        if self.run is not None and self.run.fits(self) and not self.run.finished:
            self.run.stop_requested = False
            return self.run
        before_change(self)
        self.run = TrainingRun(self, epochs)
        return self.run

    @property
    def training(self) -> bool:
        """Whether a run is under way (not paused, not finished)."""
        run = self.run
        return run is not None and not run.finished and not run.stop_requested

    def stop_run(self) -> None:
        """End the run under way or paused (its finished epochs stay)."""
        if self.run is not None:
            self.run.abandon()
        self.run = None

    def start_step(self) -> TrainingRun:
        """A run of exactly one epoch, ending the run under way or paused (Step 1 epoch)."""
        self.require_examples("to step through it")
        before_change(self)
        self.run = run = TrainingRun(self, 1)
        return run

    def step_epoch(self) -> str:
        """Train one whole epoch at once (nothing left to pause); the status to show."""
        run, self.run = self.start_step(), None
        while not run.finished:
            run.advance(STEP_SLICE)  # with the learner's code, each slice has its own budget
        if run.failed is not None:
            raise CodeFailed(run.failed, "training")
        if run.diverged:
            raise RejectedInput(run.message)
        return f"Ran epoch {self.epoch}."

    def step_example(self) -> tuple[TrainingNumber, float]:
        """One forward and backward pass of the number shown (or the first example) and one
        gradient-descent step; returns the example and its cost before the step."""
        s = self.settings
        self.require_examples("to step through it")
        before_change(self)
        example = next((e for e in s.examples if e.bits == s.bits), s.examples[0])
        if example.bits != s.bits:
            self.settings = replace(s, bits=example.bits)
        before = self.network.checkpoint()  # the weights and the optimizer's state
        x, targets = parse_bits(example.bits), example_targets(s, example)
        try:
            stepped = trace(self.network, x, targets)
            cost = self.network.train_step(x, targets, s.learning_rate)
        except LEARNER_ERRORS as error:
            if self.code is None:
                raise
            self.network.restore(before)
            raise CodeFailed(code_error(error), "the step") from None
        self.weights_changed()
        stats = self.stats(max_examples=4096)  # the loss after the step, where it is cheap
        if not self.network.is_finite() or (stats and not math.isfinite(stats.loss or 0.0)):
            self.network.restore(before)
            self.weights_changed()
            raise RejectedInput(
                "That step made the loss infinite or NaN (not a number): the learning rate "
                f"{format_float(s.learning_rate)} is too large for this model. The weights from "
                "before the step are kept; try a smaller learning rate, or Reset."
            )
        self.last_step = stepped
        self.steps += 1
        self.replayable = False
        record(self, STEP, example.bits)
        return example, cost

    def diverged_epoch(self) -> int:
        """The epoch a diverged run diverged in: the one after the last finite epoch kept.
        Every sentence about the divergence names this one (the error, the lesson's check)."""
        return self.epoch + 1

    def diverged_message(self) -> str:
        rate = shown_number(format_float(self.settings.learning_rate))
        return t("train.diverged", epoch=self.diverged_epoch(), rate=rate)

    def hint(self) -> Hint | None:
        """What the run shows, when it shows something plainly, and the setting that helps."""
        s = self.settings
        preset = None if get_task(s.task).one_line_splits else hidden_layer_preset(s.task)
        if preset is None or s.width < 2:  # a task one neuron can learn (or no preset for it)
            return None
        stats = self.stats(max_examples=4096)
        if stats is None or stats.accuracy in (None, 1):
            return None
        hard = t("hint.parity_hard_width", width=s.width) if s.width > 3 else ""
        button = t("hint.parity3")
        if len(s.layers) > 1 and s.width > 3:
            return Hint(t("hint.parity_hard", hard=hard), button, preset)
        if len(s.layers) > 1:
            return Hint(t("hint.not_learned"), button, preset)
        return Hint(t("hint.stuck", pct=f"{stats.accuracy:.0%}", hard=hard), button, preset)

    def divergence_hint(self) -> Hint:
        rate = shown_number(format_float(self.settings.learning_rate / 10))
        return Hint("", t("hint.lower_lr", rate=rate), "lower-lr")


def _network_key(s: Settings) -> tuple:
    """The settings the network's shape and first weights depend on: a change rebuilds it."""
    return (s.width, s.layers, layer_activation_names(s), s.activate_output, s.cost, s.init, s.seed)
