"""A throwaway training run while the learner reads the page, so that their first run is not
slowed by the browser warming up.

The page's Python starts from a memory snapshot (``static/js/pyodide-snapshot.mjs``), so by
the time the page is ready it has run little Python, and the browser's WebAssembly engine has
compiled the interpreter only with its quick baseline compiler. V8 compiles a function again
with its optimising compiler once it has run for a while, in the background, and uses that
code from the function's next call. A learner's first run paid for that wait: the interpreter's
loop was optimised only some way into it (a Chromium trace of the V8 compiler). A tenth of a
second of training on a lab of its own, in the page's idle turns once it is ready, has that
done before the first click on Train: parity3's first run in a fresh page went 8-19% faster
(probes of fresh pages in pairs, with it and without: 4, 4 and 6 pairs; README, "A throwaway
run warms the browser up").
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from core.controller import Lab
from core.run import TrainingRun
from core.settings import Settings, apply_preset

WARM_UP_SECONDS = 0.1  # the throwaway run's training, in all
WARM_UP_PRESET = "parity3"  # a hidden layer, a classification: what most runs do, in small


def warm_up_steps(seconds_per_step: float) -> Iterator[None]:
    """Steps of a throwaway run of the ``WARM_UP_PRESET`` on a lab of its own: nothing the
    page shows, saves or draws, and no draw from ``random`` (the lab has its own generators).
    It yields before each step, so that the caller can wait, or stop, in between: the first
    makes the lab, each later one trains for ``seconds_per_step`` (give or take a chunk of
    work), until ``WARM_UP_SECONDS`` in all."""
    yield
    run = TrainingRun(Lab(apply_preset(Settings(), WARM_UP_PRESET)), epochs=1_000_000)
    trained = 0.0
    while trained < WARM_UP_SECONDS and not run.finished:
        yield
        start = time.perf_counter()
        run.advance(seconds_per_step)
        trained += time.perf_counter() - start
