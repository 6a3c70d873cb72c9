"""The lab's behaviour under CPython, with no browser: training in slices, rollback on
divergence, pause and resume, reset, custom targets, the test set, reproducible shuffles."""

from __future__ import annotations

import ast
import itertools
import json
import math
import random
import shutil
from dataclasses import replace

import pytest
from core import run as run_module
from core.controller import Lab, RejectedInput, Selection, trace
from core.history import ShuffleState
from core.inputs import format_float
from core.run import TrainingRun, shuffle_steps
from core.settings import Settings, apply_preset, decode_query
from core.usercode import NOTEBOOK_SOURCE, LoadedCode, load_learner_code
from core.values import TrainingNumber

import nn
from tests import python_archive
from tests.unit import notebook_reference as notebook


def lab_from(query: str) -> Lab:
    settings, warnings = decode_query(query)
    assert warnings == []
    return Lab(settings)


def finish(run: TrainingRun, seconds: float = 0.001) -> int:
    """Advance ``run`` in slices of ``seconds`` until it ends; how many slices it took."""
    for slices in itertools.count(1):
        run.advance(seconds)
        if run.finished or run.stop_requested:
            return slices
    raise AssertionError("unreachable")


NOTEBOOK = "width=5&examples=00101&bits=00101&lr=0.1&epochs=200&seed=1"


def test_training_the_notebooks_neuron_reads_back_about_5() -> None:
    lab = lab_from(NOTEBOOK)
    finish(lab.start_run(200))
    assert lab.epoch == 200 and len(lab.train_losses) == 200
    assert 5.2 < lab.network.forward([0, 0, 1, 0, 1])[0] * 31 < 5.4
    assert lab.stats().loss == lab.train_losses[-1]


@pytest.mark.parametrize("chunk", [1, 5, 16, None])
def test_a_run_is_bit_identical_to_train_epoch_however_it_is_sliced(chunk: int | None) -> None:
    """In chunks of 1 or 5 examples, steps end inside a batch's worth, inside the training
    and the measuring; 16 is the training set: its measuring is a step of its own; by
    default (run.examples_per_chunk) an epoch of this small network is one step."""
    query = "width=4&examples=all&task=parity&layers=3,1&batch=3&lr=0.5&seed=3"
    sliced, whole = lab_from(query), lab_from(query)
    run = sliced.start_run(20)
    run.chunk = chunk or run.chunk
    steps = 0
    while not run.finished:
        run._work()  # one chunk at a time
        steps += 1
    assert steps == {1: 20 * (6 + 16), 5: 20 * (3 + 3), 16: 20 * 2, None: 20}[chunk]
    train, _ = whole.examples()
    losses = []
    for _ in range(20):
        whole.network.train_epoch(train, 0.5, 3, whole.shuffle_rng)
        losses.append(whole.network.mean_cost(train))
    assert sliced.network.parameters() == whole.network.parameters()
    assert sliced.train_losses == losses
    assert sliced.shuffle_rng.getstate() == whole.shuffle_rng.getstate()


@pytest.mark.parametrize("length", [0, 1, 2, 7, 64, 1000])
@pytest.mark.parametrize("chunk", [1, 3, 2048])
def test_the_shuffle_in_steps_is_random_shuffle(length: int, chunk: int) -> None:
    items, expected = list(range(length)), list(range(length))
    ours, theirs = random.Random(f"shuffle-{length}"), random.Random(f"shuffle-{length}")
    steps = sum(1 for _ in shuffle_steps(items, ours, chunk))
    theirs.shuffle(expected)
    assert items == expected and ours.getstate() == theirs.getstate()
    assert steps == max(length - 1, 0) // chunk  # a pause after every chunk of swaps


def test_a_run_knows_its_shuffle_state_without_reading_it_and_is_right_every_epoch(
    monkeypatch,
) -> None:
    """Each epoch's moment holds the shuffle generator's state: counted from the words the
    shuffle drew while they come from one block (not read), read when a new block was made,
    and read again after anything else was recorded (a step between two runs)."""
    lab = lab_from("width=3&task=parity&examples=all&layers=4,1&lr=1&batch=2&seed=3")
    reads = []
    read = ShuffleState.of.__func__
    monkeypatch.setattr(
        ShuffleState, "of", classmethod(lambda cls, *args: reads.append(1) or read(cls, *args))
    )

    def train_and_check(epochs: int) -> None:
        run = lab.start_run(epochs)
        while not run.finished:
            before = lab.epoch
            run._work()
            if lab.epoch != before:
                shuffle = lab.history.latest.shuffle
                _, internal, _ = lab.shuffle_rng.getstate()
                assert (tuple(shuffle.words), shuffle.index) == (internal[:624], internal[624])

    train_and_check(300)  # 8 examples: 7 swaps, about 9 words an epoch; 624 words a block
    lab.step_example()
    train_and_check(5)
    assert 300 * 7 // 624 <= len(reads) <= 20, len(reads)  # about one read a block, not an epoch


# Checks shuffle_steps (given as the code to run before it) in the page's own Python: it draws
# with random.Random's private _randbelow, as Random.shuffle does, and the page's Python is
# newer than the tests'.
SHUFFLE_CHECK = """
import json, random
same = []
for length in (0, 1, 7, 1000, 5000):
    items, expected = list(range(length)), list(range(length))
    ours, theirs = random.Random(length), random.Random(length)
    for _ in shuffle_steps(items, ours, 3):
        pass
    theirs.shuffle(expected)
    same.append(items == expected and ours.getstate() == theirs.getstate())
json.dumps(same)
"""


def test_the_shuffle_in_steps_is_random_shuffle_in_the_pages_python_too() -> None:
    if shutil.which("node") is None or not python_archive.PYODIDE.is_file():
        pytest.skip("needs Node and node_modules (make setup)")
    tree = ast.parse(python_archive.sources()["core/run.py"].read_text())
    function = next(n for n in tree.body if getattr(n, "name", "") == "shuffle_steps")
    source = "from collections.abc import Iterator\n" + ast.unparse(function)
    done = python_archive.run_in_pyodide(source + "\n" + SHUFFLE_CHECK)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [True] * 5


def test_a_run_that_shuffles_in_many_steps_is_still_train_epoch(monkeypatch) -> None:
    monkeypatch.setattr(run_module, "SHUFFLE_CHUNK", 2)
    query = "width=5&examples=all&task=parity&layers=3,1&batch=4&lr=0.5&seed=4"
    sliced, whole = lab_from(query), lab_from(query)
    run = sliced.start_run(3)
    while not run.finished:
        run._work()
    train, _ = whole.examples()
    for _ in range(3):
        whole.network.train_epoch(train, 0.5, 4, whole.shuffle_rng)
    assert sliced.network.parameters() == whole.network.parameters()
    assert sliced.shuffle_rng.getstate() == whole.shuffle_rng.getstate()


def test_one_neuron_matches_the_notebooks_own_code_bit_for_bit() -> None:
    lab = lab_from(NOTEBOOK)
    reference = notebook.Neuron(5)
    reference.weight = list(lab.network.layers[0].neurons[0].weight)
    reference.bias = lab.network.layers[0].neurons[0].bias
    finish(lab.start_run(50))
    x, t = [0, 0, 1, 0, 1], 5 / 31
    for _ in range(50):
        y = reference.forward(x)
        reference.backward(x, 2 * (y - t), 0.1)
    assert lab.network.parameters() == [*reference.weight, reference.bias]


def test_a_slice_ends_inside_an_epoch_of_a_large_data_set() -> None:
    lab = lab_from("width=12&examples=all&layers=4,1&epochs=1")
    run = lab.start_run(1)
    ticks = iter(range(1000))
    run.advance(0.5, clock=lambda: next(ticks))  # every chunk costs "one second"
    assert lab.epoch == 0 and run.in_epoch and not run.finished
    finish(run)
    assert lab.epoch == 1 and len(lab.train_losses) == 1


def test_a_slice_ends_before_its_deadline_when_the_next_chunk_would_pass_it() -> None:
    lab = lab_from("width=12&examples=all&layers=4,1&epochs=1")
    run = lab.start_run(1)
    ticks = itertools.count(0, 10)  # every chunk of work takes 10 "seconds"
    now = []
    run.advance(35, clock=lambda: now.append(next(ticks)) or now[-1])
    assert now == [0, 10, 20, 30]  # three chunks; a fourth would have ended at 40
    costs = iter([1, 1, 1, 20])  # cheap chunks, then a dear one: it ends past the deadline
    clock = itertools.accumulate(costs, initial=0)
    run.advance(4, clock=lambda: next(clock))
    assert next(clock, None) is None  # four chunks; none after the dear one
    pieces = []
    run.advance(0, clock=lambda: pieces.append(1) or float(len(pieces)))
    assert len(pieces) == 2  # at least one chunk, whatever the time


def test_divergence_rolls_back_to_the_weights_before_the_epoch_and_stops() -> None:
    lab = lab_from("width=4&examples=all&activation=linear&lr=100&epochs=50")
    run = lab.start_run(50)
    finish(run)
    assert run.diverged and f"Training diverged at epoch {lab.epoch + 1}:" in run.message
    assert lab.network.is_finite()
    assert lab.epoch == len(lab.train_losses) < 50


def test_pause_keeps_the_run_and_train_resumes_it_to_its_goal() -> None:
    lab = lab_from(NOTEBOOK)
    assert not lab.training
    run = lab.start_run(200)
    for _ in range(30):
        run._work()
    assert lab.training
    run.stop_requested = True
    assert not lab.training  # paused
    paused_at = lab.epoch
    assert 0 < paused_at < 200
    again = lab.start_run(200)
    assert again is run and not again.stop_requested and lab.training
    finish(again)
    assert lab.epoch == 200 and not lab.training


def test_a_changed_learning_rate_starts_a_new_run_instead_of_resuming() -> None:
    lab = lab_from(NOTEBOOK)
    run = lab.start_run(200)
    run.advance(0.0)
    run.stop_requested = True
    lab.change(replace(lab.settings, learning_rate=0.5))
    assert lab.run is None and run.finished
    assert lab.start_run(10).goal == lab.epoch + 10


def test_reset_draws_the_seeds_weights_again_and_clears_the_history() -> None:
    lab = lab_from(NOTEBOOK)
    first = lab.network.parameters()
    finish(lab.start_run(30))
    lab.reset()
    assert lab.network.parameters() == first
    assert (lab.epoch, lab.train_losses, lab.run) == (0, [], None)
    assert lab.shuffle_rng.getstate() == random.Random("shuffle-1").getstate()


def test_the_shuffle_is_reproducible_from_the_seed() -> None:
    query = "width=3&examples=all&task=parity&layers=4,1&lr=1&seed=2"
    one, two = lab_from(query), lab_from(query)
    finish(one.start_run(40))
    for _ in range(40):
        two.step_epoch()
    assert one.network.parameters() == two.network.parameters()


def test_custom_targets_are_trained_towards() -> None:
    lab = lab_from("width=2&task=custom&examples=01:0.25,10:0.75&bits=01&lr=1&epochs=300")
    assert lab.current_targets() == [0.25]
    finish(lab.start_run(300))
    assert abs(lab.network.forward([0, 1])[0] - 0.25) < 0.05
    assert lab.examples()[1] == []  # the custom task has no test set


def test_the_test_set_is_measured_but_never_trained_on() -> None:
    lab = Lab(apply_preset(Settings(), "odd"))
    stats = lab.stats()
    assert stats.test_loss is not None and stats.test_accuracy is not None
    finish(lab.start_run(20))
    assert len(lab.test_losses) == 20
    train_bits = {e.bits for e in lab.settings.examples}
    assert not train_bits & set(lab.settings.test)


def test_step_example_steps_the_number_shown_and_keeps_a_trace_of_the_step() -> None:
    lab = lab_from(NOTEBOOK)
    before = lab.network.parameters()
    example, cost = lab.step_example()
    assert example == TrainingNumber("00101") and cost > 0
    assert lab.network.parameters() != before
    assert lab.last_step is not None
    assert lab.last_step.layers[0].neurons[0].parameters() == before


def test_actions_without_examples_are_refused_with_a_plain_message() -> None:
    lab = Lab(Settings())
    for action in (lambda: lab.start_run(1), lab.step_epoch, lab.step_example):
        with pytest.raises(RejectedInput, match="Add at least one example"):
            action()


def test_stats_of_a_large_set_wait_for_a_run_rather_than_blocking() -> None:
    lab = lab_from("width=16&examples=all")
    assert lab.stats(max_examples=4096) is None
    small = lab_from("width=4&examples=all&task=odd")
    assert small.stats(max_examples=4096).accuracy is not None


def test_setting_one_weight_by_hand_changes_the_output_and_the_stats() -> None:
    lab = lab_from(NOTEBOOK)
    loss = lab.stats().loss
    lab.set_parameter(Selection(0, 0, 2), 3.0)
    assert lab.network.layers[0].neurons[0].weight[2] == 3.0
    assert lab.stats().loss != loss


def test_trace_leaves_the_network_alone() -> None:
    network = nn.Network([3, 2, 1], seed=1)
    traced = trace(network, [1, 0, 1], [1.0])
    assert traced.layers[0].neurons[0].dcost_dz != 0
    assert network.layers[0].neurons[0].dcost_dz == 0


def test_a_step_that_makes_the_loss_infinite_is_undone_with_a_message() -> None:
    lab = lab_from("width=2&examples=01,10,11&activation=linear&lr=100&bits=11")
    lab.set_parameter(Selection(0, 0, 0), 1e150)
    with pytest.raises(RejectedInput, match="That step made the loss infinite"):
        for _ in range(10):
            lab.step_example()
    assert lab.network.is_finite() and math.isfinite(lab.stats().loss)


# --- hints: what a run shows plainly, and the one click that helps ----------------------------


@pytest.mark.parametrize(
    ("query", "starts", "hard"),
    [
        ("width=3&task=parity&examples=all", "Accuracy is stuck at 75%: a single neuron", False),
        ("width=4&task=parity&examples=all", "Accuracy is stuck at 56%: a single neuron", True),
        ("width=3&task=parity&examples=all&layers=4,1", "Not learned yet: this network", False),
        ("width=4&task=parity&examples=all&layers=4,1", "Parity is hard to learn.", True),
    ],
)
def test_parity_not_learned_gets_a_hint_that_loads_the_parity3_preset(
    query: str, starts: str, hard: bool
) -> None:
    """A single neuron can't split odd from even (it says why, with the accuracy it is stuck
    at); a network is told to train more; beyond 3 bits both hear that parity stays hard."""
    hint = lab_from(query).hint()
    assert hint is not None and hint.text.startswith(starts), hint
    assert hint.action == "parity3" and hint.button.startswith("Try: 3 bits, a 3-4-1 network")
    assert ("parity stays hard" in hint.text) == hard
    assert hard == ("start with 3 bits" in hint.text)


@pytest.mark.parametrize(
    "query",
    [
        "width=3&task=value&examples=all",  # not parity
        "width=1&task=parity&examples=all",  # one bit: nothing to learn about parity
        "width=3&task=parity",  # no training set: no accuracy
        "width=13&task=parity&examples=all",  # 8,192 numbers: not measured just for a hint
    ],
)
def test_no_hint_where_the_run_shows_nothing_plainly(query: str) -> None:
    assert lab_from(query).hint() is None


def test_no_hint_once_parity_is_learned() -> None:
    lab = Lab(apply_preset(Settings(), "parity3"))
    finish(lab.start_run(lab.settings.epochs))
    assert lab.stats().accuracy == 1.0 and lab.hint() is None


def test_the_divergence_hint_offers_a_ten_times_smaller_learning_rate() -> None:
    hint = lab_from("width=3&task=parity&examples=all&lr=10").divergence_hint()
    assert (hint.action, hint.button) == (
        "lower-lr",
        "Try: learning rate 1, from the seed's weights again",
    )


def test_one_neuron_stuck_on_parity_is_told_why_and_the_hint_s_preset_learns_it() -> None:
    """The parity hint: one neuron on 3-bit parity hears that no line separates odd from even
    counts; its button loads the parity3 preset, whose 3-4-1 network learns it (no hint then)."""
    lab = lab_from("width=3&examples=all&task=parity&epochs=300&lr=1")
    finish(lab.start_run(300))
    hint = lab.hint()
    assert hint is not None and lab.stats().accuracy < 1
    assert "no line separates odd from even" in hint.text and "At 3 bits" not in hint.text
    assert hint.button == "Try: 3 bits, a 3-4-1 network, learning rate 1"
    assert hint.action == "parity3"
    lab = Lab(apply_preset(lab.settings, hint.action))
    assert lab.settings.layers == (4, 1) and lab.settings.width == 3
    finish(lab.start_run(lab.settings.epochs))
    assert lab.stats().accuracy == 1 and lab.hint() is None


def test_at_5_bits_the_parity_hint_says_it_stays_hard_and_its_preset_goes_to_3_bits() -> None:
    lab = lab_from("width=5&examples=all&task=parity&epochs=20")
    finish(lab.start_run(20))
    hint = lab.hint()
    assert hint is not None and "At 5 bits parity stays hard" in hint.text
    assert apply_preset(lab.settings, hint.action).width == 3


def test_following_the_divergence_hint_trains_without_diverging() -> None:
    """The divergence hint offers a ten times smaller rate from the seed's weights; followed
    (as its button does: change(rebuild=True)), the run gets through its epochs."""
    lab = lab_from("width=4&examples=all&activation=linear&lr=10&epochs=50")
    run = lab.start_run(50)
    finish(run)
    assert run.diverged
    for _ in range(3):
        hint = lab.divergence_hint()
        rate = lab.settings.learning_rate / 10
        assert hint.action == "lower-lr"
        assert hint.button.startswith(f"Try: learning rate {format_float(rate)}, from the seed")
        lab.change(replace(lab.settings, learning_rate=rate), rebuild=True)
        assert lab.epoch == 0
        run = lab.start_run(50)
        finish(run)
        if not run.diverged:
            break
    assert not run.diverged and lab.epoch == 50


@pytest.mark.parametrize(
    "query",
    [
        "width=4&task=parity&examples=0000,0001,0011,0111,1000,1110&test=0100,1011&layers=3,1"
        "&lr=2&seed=1",
        "width=4&task=ones&examples=all&layers=3,5&cost=softmax-cross-entropy&lr=1&seed=2",
        "width=4&task=ones&examples=all&layers=3,5&cost=squared&lr=1&seed=3",
        "width=5&task=odd&examples=all&layers=1&lr=40&seed=4",  # diverges: nan outputs
    ],
)
@pytest.mark.parametrize("lazy", [False, True], ids=["each epoch", "when shown"])
def test_a_runs_measuring_is_networks_mean_cost_accuracy_and_confusion(
    query: str, lazy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each epoch's loss, accuracy and confusion counts, measured by the run in chunks, are
    ``Network.mean_cost``, ``accuracy`` and ``confusion_matrix`` at its weights, exactly: for
    one output, softmax's argmax, and squared error over one-hot targets (every output read).
    A small data set's (``run.LAZY_STATS``) are measured when shown instead (``Lab.stats``),
    the same; and the loss charted is the loss shown."""
    if not lazy:
        monkeypatch.setattr(run_module, "LAZY_STATS", 0)
    lab = lab_from(query)
    train, test = lab.examples()
    for _ in range(6):
        run = lab.start_run(1)
        assert run.lazy_stats == lazy
        while not run.finished:
            run._work()
        if run.diverged:
            break
        assert (lab.stats(max_examples=-1) is None) == lazy  # not measured by the run
        network, stats = lab.network, lab.stats(max_examples=None if lazy else -1)
        assert stats.loss == lab.train_losses[-1]
        assert stats.loss == network.mean_cost(train)
        assert stats.accuracy == network.accuracy(train)
        assert [list(row) for row in stats.confusion] == network.confusion_matrix(train)
        if test:
            assert stats.test_accuracy == network.accuracy(test)


def test_which_runs_leave_the_stats_to_be_measured_when_shown() -> None:
    """Only a small data set whose epoch is one step (trained, then measured) leaves its
    accuracy and confusion counts to be measured when shown (``run.stats_when_shown``):
    parity3's 8 numbers; not the 256 numbers of one neuron, nor 32 numbers for a network so
    big that its step is 8 examples (its stats would be measured halfway through an epoch)."""
    assert lab_from("preset=parity3").start_run(1).lazy_stats
    with_code = lab_from("preset=parity3")
    code = load_learner_code(NOTEBOOK_SOURCE, seconds=2.0)
    assert isinstance(code, LoadedCode)
    with_code.use_code(code)
    assert not with_code.start_run(1).lazy_stats  # measured by the run, under its guard
    assert not lab_from("width=8&examples=all&layers=1").start_run(1).lazy_stats
    big = lab_from("width=5&examples=all&layers=16,16,1").start_run(1)
    assert big.chunk == run_module.CHUNK
    assert not big.lazy_stats


def test_stats_measured_when_shown_are_those_of_each_moment_looked_back_at() -> None:
    """A parity3 run measures each epoch's loss only; the stats shown after each epoch, and
    at each of its moments looked back at, are the network's at that epoch's weights."""
    from core import rewind

    lab = lab_from("preset=parity3")
    train, _ = lab.examples()
    shown = []
    for _ in range(5):
        finish(lab.start_run(1))
        stats = lab.stats()
        assert stats.loss == lab.train_losses[-1]
        assert stats.accuracy == lab.network.accuracy(train)
        assert [list(row) for row in stats.confusion] == lab.network.confusion_matrix(train)
        shown.append(stats)
    assert all(moment.stats is None for moment in lab.history.moments)
    for index, stats in enumerate(shown, start=1):
        rewind.look_back(lab, index)
        assert lab.stats() == stats
