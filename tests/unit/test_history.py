"""Rewinding the lab, under CPython: the network shown at epoch k is the one k epochs of
training give, float for float; training on from k is k + n epochs straight on, bit for bit;
a change made in the past drops the later history, which Back restores; the history stays
within its memory budget, thinned evenly, keeping the first, the latest and the recent ones."""

from __future__ import annotations

import itertools
import random
import tracemalloc
from array import array

import pytest
from core import rewind
from core.controller import Selection
from core.history import (
    EPOCH,
    OVERHEAD_FLOATS,
    ROLLBACK,
    History,
    Moment,
    ShuffleState,
    kept_every,
    network_state,
    restore_network_state,
    slider_words,
)
from core.usercode import NOTEBOOK_SOURCE, LoadedCode, load_learner_code

from nn import parse_bits
from tests.unit.test_controller import finish, lab_from

NETWORK = "width=4&examples=all&task=parity&layers=3,1&lr=1&batch=2&seed=3&bits=0101"
COSTS = {  # a network each cost suits
    "squared": "layers=2,1",
    "cross-entropy": "layers=2,1",
    "softmax-cross-entropy": "task=mod&k=3&layers=2,3",
}


def trained(query: str, epochs: int):
    lab = lab_from(query)
    finish(lab.start_run(epochs))
    return lab


def prediction(lab) -> float:
    return lab.network.forward(parse_bits(lab.settings.bits))[0]


def test_rewound_to_epoch_50_of_200_is_a_fresh_50_epoch_run_float_for_float() -> None:
    long, short = trained(NETWORK, 200), trained(NETWORK, 50)
    assert len(long.history) == 201  # epoch 0, then one moment per epoch
    moment = rewind.look_back(long, 50)
    assert moment.epoch == long.epoch == 50 and long.history.in_past
    assert long.network.parameters() == short.network.parameters()
    assert prediction(long) == prediction(short)
    assert long.stats() == short.stats()  # the stats then, kept with the moment
    assert long.stats().loss == long.train_losses[49] and len(long.train_losses) == 200
    assert long.shuffle_rng.getstate() == short.shuffle_rng.getstate()
    rewind.look_back(long, 0)
    assert long.network.parameters() == lab_from(NETWORK).network.parameters()
    rewind.look_back(long, 200)  # the latest again: nothing was dropped
    assert not long.history.in_past and long.epoch == 200
    assert long.network.parameters() == trained(NETWORK, 200).network.parameters()


def test_training_from_epoch_50_ends_at_250_bit_identical_to_250_epochs_straight_on() -> None:
    lab = trained(NETWORK, 200)
    rewind.look_back(lab, 50)
    finish(lab.start_run(200))
    straight = trained(NETWORK, 250)
    assert lab.epoch == 250 and len(lab.history) == 251
    assert lab.network.parameters() == straight.network.parameters()
    assert lab.train_losses == straight.train_losses
    assert lab.shuffle_rng.getstate() == straight.shuffle_rng.getstate()
    assert lab.history.epochs() == list(range(251))


def test_back_restores_what_the_fork_dropped_until_the_next_change() -> None:
    lab = trained(NETWORK, 200)
    weights_at_200, losses = lab.network.parameters(), list(lab.train_losses)
    rewind.look_back(lab, 50)
    lab.step_epoch()
    assert lab.epoch == 51 and len(lab.history) == 52 and len(lab.train_losses) == 51
    moment = rewind.back(lab)
    assert moment.epoch == lab.epoch == 50 and lab.history.in_past  # as it was: at 50
    assert lab.train_losses == losses and len(lab.history) == 201
    rewind.look_back(lab, 200)
    assert lab.network.parameters() == weights_at_200
    rewind.look_back(lab, 120)
    finish(lab.start_run(10))
    finish(lab.start_run(10))  # the next change: Back has nothing left to restore
    assert lab.epoch == 140
    with pytest.raises(ValueError, match="nothing to go back to"):
        rewind.back(lab)


def test_editing_a_weight_or_stepping_an_example_in_the_past_forks_from_there() -> None:
    lab = trained(NETWORK, 30)
    at_10 = trained(NETWORK, 10)
    rewind.look_back(lab, 10)
    lab.set_parameter(Selection(0, 0, 1), 0.5)
    at_10.set_parameter(Selection(0, 0, 1), 0.5)
    assert lab.network.parameters() == at_10.network.parameters()
    assert [m.kind for m in lab.history.moments[-2:]] == [EPOCH, "edit"]
    assert lab.epoch == 10 and len(lab.train_losses) == 10
    rewind.back(lab)
    assert lab.epoch == 10 and len(lab.history) == 31
    lab.step_example()
    assert lab.history.latest.kind == "step" and lab.history.latest.label() == (
        "epoch 10, then a step on 0101"
    )
    assert lab.steps == 1 and len(lab.history) == 12
    rewind.look_back(lab, 10)
    assert lab.steps == 0


def test_a_rollback_is_one_more_moment_labelled_as_such() -> None:
    lab = lab_from("width=4&examples=all&activation=linear&lr=100&epochs=50")
    run = lab.start_run(50)
    finish(run)
    assert run.diverged
    latest = lab.history.latest
    assert latest.kind == ROLLBACK and latest.epoch == lab.epoch
    assert "diverged and was rolled back" in latest.label()
    assert array("d", lab.network.parameters()) == latest.state[: len(lab.network.parameters())]
    assert network_state(lab.network) == latest.state  # the optimizer's state with them
    before = lab.history.moments[-2]  # the last epoch counted: rolled back to exactly it
    assert before.kind == EPOCH and before.epoch == lab.epoch > 1 and before.state == latest.state
    assert len(lab.history) == lab.epoch + 2  # epoch 0, each epoch, the rollback


def test_a_run_paused_mid_epoch_is_kept_as_a_moment_before_looking_back() -> None:
    lab = lab_from("width=6&examples=all&layers=3,1&lr=0.5")
    run = lab.start_run(5)
    run.chunk = 1  # steps of one example: a step ends inside an epoch (else it is all one)
    run.advance(0.001)
    while not run.in_epoch or lab.epoch < 1:
        run._work()
    run.stop_requested = True
    partway = lab.network.parameters()
    rewind.look_back(lab, 0)
    assert lab.run is None and lab.history.latest.kind == "partway"
    rewind.look_back(lab, len(lab.history) - 1)
    assert lab.network.parameters() == partway


@pytest.mark.parametrize("cost", COSTS)
def test_rewinding_works_with_every_cost(cost: str) -> None:
    query = f"width=3&examples=all&{COSTS[cost]}&cost={cost}&lr=0.5&seed=2"
    lab = trained(query, 40)
    rewind.look_back(lab, 17)
    assert lab.network.parameters() == trained(query, 17).network.parameters()


@pytest.mark.parametrize("optimizer", ["momentum", "adam", "perceptron"])
def test_rewinding_brings_back_the_optimizers_state_and_continues_bit_identically(
    optimizer: str,
) -> None:
    query = {
        "momentum": f"{NETWORK}&optimizer=momentum&momentum=0.8",
        "adam": NETWORK.replace("lr=1", "lr=0.05") + "&optimizer=adam",
        "perceptron": "width=4&task=odd&examples=all&activation=step&optimizer=perceptron&seed=3",
    }[optimizer]
    lab = trained(query, 30)
    rewind.look_back(lab, 12)
    assert lab.network.optimizer_state == trained(query, 12).network.optimizer_state
    finish(lab.start_run(10))
    straight = trained(query, 22)
    assert lab.network.parameters() == straight.network.parameters()
    assert lab.network.optimizer_state == straight.network.optimizer_state


def test_a_snapshot_whose_optimizer_state_is_not_one_is_refused() -> None:
    lab = trained(NETWORK.replace("lr=1", "lr=0.05") + "&optimizer=adam", 3)
    state = network_state(lab.network)
    count = len(lab.network.parameters())
    for bad_step in (-1.0, 2.5):
        broken = array("d", state)
        broken[count] = bad_step
        with pytest.raises(ValueError):
            restore_network_state(lab.network, broken)
    broken = array("d", state)
    broken[-1] = -1.0  # Adam's v is a mean of squares: never below 0
    with pytest.raises(ValueError):
        restore_network_state(lab.network, broken)
    assert network_state(lab.network) == state  # a refused snapshot changes nothing


def test_rewinding_works_with_the_learners_own_code() -> None:
    code = load_learner_code(NOTEBOOK_SOURCE, seconds=2.0)
    assert isinstance(code, LoadedCode)
    query = "width=3&examples=all&layers=2,1&lr=1&seed=5"
    lab, short = lab_from(query), lab_from(query)
    for one in (lab, short):
        one.use_code(code)
    finish(lab.start_run(20), seconds=0.05)
    finish(short.start_run(7), seconds=0.05)
    rewind.look_back(lab, 7)
    assert lab.network.parameters() == short.network.parameters()


def test_a_reset_or_a_new_network_starts_the_history_again() -> None:
    lab = trained(NETWORK, 5)
    rewind.look_back(lab, 2)
    lab.reset()
    assert len(lab.history) == 1 and not lab.history.in_past and lab.history.dropped is None


def test_back_with_nothing_dropped_is_refused_with_a_message() -> None:
    lab = lab_from(NETWORK)
    with pytest.raises(ValueError, match="nothing to go back to"):
        rewind.back(lab)


# --- the model itself: thinning and memory ------------------------------------------------


def moment(epoch: int, size: int, rng: random.Random, last: ShuffleState | None = None) -> Moment:
    return Moment(
        epoch=epoch,
        kind=EPOCH,
        state=array("d", [float(epoch)] * size),
        shuffle=ShuffleState.of(rng, last),
        losses=(epoch, 0),
    )


def run_history(epochs: int, size: int, budget: int) -> History:
    rng = random.Random("shuffle-1")
    history = History(moment(0, size, rng), budget=budget)
    for epoch in range(1, epochs + 1):
        rng.random()
        history.record(moment(epoch, size, rng, history.latest.shuffle))
    return history


def test_every_epoch_is_kept_while_the_history_fits_its_budget() -> None:
    history = run_history(500, 10, budget=501 * (10 + OVERHEAD_FLOATS))
    assert history.epochs() == list(range(501)) and not history.thinned
    assert kept_every(history) == ""


@pytest.mark.parametrize("epochs", [700, 1_000, 5_000, 20_000])
def test_past_the_budget_the_history_is_thinned_evenly_keeping_first_latest_and_recent(
    epochs: int,
) -> None:
    size, budget = 100, 300 * (100 + OVERHEAD_FLOATS)  # room for 300 moments
    history = run_history(epochs, size, budget)
    kept = history.epochs()
    assert history.floats <= budget and len(kept) <= history.capacity == 300
    assert kept[0] == 0 and kept[-1] == epochs
    recent = history.recent_count()
    assert kept[-recent:] == list(range(epochs - recent + 1, epochs + 1))  # the recent: all
    older = kept[1:-recent]
    assert older and all(epoch % history.stride == 0 for epoch in older)
    gaps = {b - a for a, b in itertools.pairwise(older)}
    assert gaps == {history.stride}  # evenly spaced
    assert f"every {history.stride}th epoch" in kept_every(history)
    assert len(kept) > 300 // 2  # thinning leaves the budget well used


def test_the_memory_a_history_holds_stays_within_its_budget_in_bytes() -> None:
    """What the budget counts (8 bytes a float) bounds the bytes the moments really take."""
    size, budget = 50, 200_000
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    history = run_history(20_000, size, budget)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert history.floats <= budget
    assert used <= budget * 8, f"{used:,} bytes for a budget of {budget * 8:,}"


def test_moments_share_the_shuffles_words_until_the_generator_draws_new_ones() -> None:
    history = run_history(2_000, 3, budget=10**9)
    words = {id(m.shuffle.words) for m in history.moments}
    assert len(words) < 10  # 2,000 draws: about 4 blocks of 624 words


def test_a_fork_drops_the_later_moments_and_back_restores_them() -> None:
    history = run_history(10, 2, budget=10**6)
    history.show(4)
    assert history.in_past and history.shown.epoch == 4
    history.fork(extra="tail")
    assert history.epochs() == list(range(5)) and not history.in_past
    rng = random.Random(1)
    history.record(moment(5, 2, rng))
    shown, extra = history.back()
    assert shown.epoch == 4 and extra == "tail" and history.epochs() == list(range(11))
    assert history.index == 4


def test_the_slider_says_plainly_when_it_shows_the_past_and_what_back_restores() -> None:
    lab = trained(NETWORK, 200)
    beside, note, past = slider_words(lab.history)
    assert (beside, note, past) == ("epoch 200 (latest)", "", "")
    rewind.look_back(lab, 50)
    beside, note, past = slider_words(lab.history)
    assert beside == "epoch 50 (latest: epoch 200)"
    assert past.startswith("A past epoch: epoch 50, not the latest (epoch 200).")
    finish(lab.start_run(200))
    beside, note, past = slider_words(lab.history)
    assert beside == "epoch 250 (latest)" and past == ""
    assert note.startswith("Continued from epoch 50, dropping what came after it (up to epoch 200)")
