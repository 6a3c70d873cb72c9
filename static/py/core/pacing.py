"""When a run at full speed ("as fast as possible") draws the numbers and the chart: often
enough to watch the loss fall, seldom enough that drawing takes little of the run's time
(the browser's layout and paint cost as much again as the drawing's Python).
Used by page/training.py; pure, tested by tests/unit/test_pacing.py.
"""

from __future__ import annotations

DRAW_SECONDS = 0.5  # how often the numbers and the chart are redrawn while training, at most
# (twice a second; the watching speeds draw every frame), and never when the run should end
# sooner than this: its end draws everything
FULL_DRAW_SECONDS = 2.0  # how often the diagram, math and outputs table are, at full speed
# ("as fast as possible": each costs ~50 ms of Python and as much of the browser's layout and
# paint, a tenth of the run's time once a second; the watching speeds draw them every frame)
BESIDES_TRAINING = 0.1  # the most of a run's time, at full speed, that may go to anything but
# training: the browser's turns, drawing, and the browser laying out and painting what was drawn
# (on a slow machine, or with a large view, redraws then come less often)...
QUIET_SECONDS = 1.0  # ...but the numbers and the chart never go longer than this undrawn,
# unless the run should end sooner than DRAW_SECONDS from now


def time_to_draw(
    since_drawn: float,
    besides_training: float,
    elapsed: float,
    progress: float,
    progress_at_start: float = 0.0,
) -> bool:
    """Whether to draw the numbers and the chart now, at full speed: ``since_drawn`` seconds
    after the last time, with ``besides_training`` of the ``elapsed`` seconds since Train (or
    Resume) was pressed spent on anything but training, the run's ``progress`` (0 to 1) now
    and ``progress_at_start`` then. At the pace since then, a run that ends within
    ``DRAW_SECONDS`` is drawn whole at its end instead."""
    if ends_within(DRAW_SECONDS, elapsed, progress - progress_at_start, 1 - progress):
        return False
    if since_drawn >= QUIET_SECONDS:
        return True
    return since_drawn >= DRAW_SECONDS and besides_training <= BESIDES_TRAINING * elapsed


def ends_within(seconds: float, elapsed: float, done: float, left: float) -> bool:
    """Whether the part of a run ``left`` (a fraction of it) takes less than ``seconds`` at
    the pace of the part ``done`` in ``elapsed`` seconds (nothing done yet: no pace, False)."""
    return done > 0 and elapsed * left / done < seconds
