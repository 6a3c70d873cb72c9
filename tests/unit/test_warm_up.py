"""The throwaway run that warms the browser up while the learner reads the page
(``core.warm_up``; the page takes its steps when idle: ``page.training.warm_up``)."""

from __future__ import annotations

import random

from core import warm_up
from core.run import TrainingRun


class FakeClock:
    """``time`` for ``core.warm_up``: each reading is ``tick`` seconds after the last."""

    def __init__(self, tick: float) -> None:
        self.now, self.tick = 0.0, tick

    def perf_counter(self) -> float:
        self.now += self.tick
        return self.now


def test_it_trains_a_lab_of_its_own_and_draws_nothing_from_random(monkeypatch) -> None:
    runs: list[TrainingRun] = []

    class KeptRun(TrainingRun):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            runs.append(self)

    monkeypatch.setattr(warm_up, "TrainingRun", KeptRun)
    state = random.getstate()
    for _ in warm_up.warm_up_steps(0.002):
        pass
    assert random.getstate() == state
    (run,) = runs
    assert run.lab.epoch > 0 and run.lab.train_losses
    assert run.lab.settings.task == "parity"


def test_it_yields_before_each_step_and_ends_after_its_time(monkeypatch) -> None:
    """A yield before anything, one before each step of training; a clock that moves
    1/16 s a reading says each step took 1/16 s: a quarter of a second is 4 of them."""
    monkeypatch.setattr(warm_up, "time", FakeClock(1 / 16))
    monkeypatch.setattr(warm_up, "WARM_UP_SECONDS", 0.25)
    steps = warm_up.warm_up_steps(0.001)
    next(steps)  # before anything: the lab is made on the next
    assert sum(1 for _ in steps) == 4


def test_its_preset_is_one_the_lab_has() -> None:
    from core.presets import PRESETS

    assert warm_up.WARM_UP_PRESET in PRESETS
