"""When a run at full speed draws the numbers and the chart (core/pacing.py)."""

from __future__ import annotations

import pytest
from core.pacing import BESIDES_TRAINING, DRAW_SECONDS, QUIET_SECONDS, time_to_draw


def test_drawn_at_most_every_draw_seconds_while_drawing_takes_little_of_the_run() -> None:
    early = DRAW_SECONDS * 0.9
    assert not time_to_draw(early, besides_training=0.0, elapsed=5.0, progress=0.5)
    assert time_to_draw(DRAW_SECONDS, besides_training=0.0, elapsed=5.0, progress=0.5)
    over_budget = BESIDES_TRAINING * 5.0 * 1.1
    assert not time_to_draw(DRAW_SECONDS, over_budget, elapsed=5.0, progress=0.5)


def test_undrawn_for_quiet_seconds_at_most_whatever_drawing_has_cost() -> None:
    assert time_to_draw(QUIET_SECONDS, besides_training=4.0, elapsed=5.0, progress=0.5)


def test_a_resumed_run_is_paced_by_what_it_did_since_resumed() -> None:
    """Paused at 90% and resumed: 1% more in 0.99 s means ~9 s to go, drawn each second (a
    pace counted from the run's start, 91% in 0.99 s, said it would end at once: never
    drawn)."""
    for k in range(10):
        elapsed = k + 0.99
        progress = (90 + k + 1) / 100
        assert time_to_draw(elapsed, 0.0, elapsed, progress, progress_at_start=0.9) is (k < 9)


@pytest.mark.parametrize("since_drawn", [DRAW_SECONDS, QUIET_SECONDS, 10.0])
def test_not_drawn_when_the_run_should_end_sooner_than_the_next_draw(since_drawn) -> None:
    """Its end draws everything: at 0.9 s for 90% of the run, the rest takes ~0.1 s."""
    assert not time_to_draw(since_drawn, besides_training=0.0, elapsed=0.9, progress=0.9)
    # 40% of the run in 0.9 s: 1.35 s to go, drawn
    assert time_to_draw(since_drawn, besides_training=0.0, elapsed=0.9, progress=0.4)


def test_a_run_not_yet_begun_is_drawn_by_time_alone() -> None:
    assert time_to_draw(QUIET_SECONDS, besides_training=0.0, elapsed=1.0, progress=0.0)
