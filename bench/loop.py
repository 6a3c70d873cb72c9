"""The training loop the bench times outside the page: a lab's network and data, trained by
``nn`` in one go (no slices, no drawing), as the page's run does it epoch by epoch.

Run in CPython by ``bench/throughput.py`` and in a bare PyScript page by
``bench/bare-train.html`` (which loads this file beside the page's archive), so both time
the very same code on the very same workload.
"""

from __future__ import annotations

import time

from core.controller import Lab
from core.settings import decode_query


def lab_of(query: str) -> Lab:
    """The lab a page opened with ``query`` (``?width=8&layers=1&...``) starts with."""
    settings, notes = decode_query(query.lstrip("?"))
    if notes:
        raise ValueError(f"the bench's query {query!r} was not read as given: {notes}")
    return Lab(settings)


def train_epochs(query: str) -> tuple[float, int]:
    """Seconds to train the lab of ``query`` for its epochs field's count of epochs: each a
    shuffled epoch (the lab's seeded shuffle), then the mean cost over the training set and
    the test set, as the page measures it; and that count."""
    lab = lab_of(query)
    network, (train, test), rng = lab.network, lab.examples(), lab.shuffle_rng
    s = lab.settings
    start = time.perf_counter()
    for _ in range(s.epochs):
        network.train_epoch(train, s.learning_rate, s.batch_size, rng)
        network.mean_cost(train)
        if test:
            network.mean_cost(test)
    return time.perf_counter() - start, s.epochs
