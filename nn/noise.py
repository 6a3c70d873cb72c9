"""Label noise: a seeded fraction of the training targets made wrong on purpose.

A network that learns the flipped targets too has memorised its training set:
its training accuracy stays high while its accuracy on the test set falls.
That is overfitting, shown.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from nn.metrics import target_class
from nn.network import Example
from nn.tasks import one_hot
from nn.validation import finite_float

MAX_NOISE = 0.5  # beyond half, the wrong targets would be the rule


def noisy_targets(
    examples: Sequence[Example], fraction: float, rng: random.Random, classes: int = 2
) -> list[Example]:
    """A copy of ``examples`` in which ``round(fraction * n)`` of the n targets are wrong.

    Which examples is drawn by ``rng`` (``random.Random(seed)``: the same seed
    picks the same ones). A 0/1 target [t] (``classes`` 2) is flipped to [1 - t];
    a one-hot target of ``classes`` entries is moved to another class, drawn by
    ``rng`` from the other classes - 1. The inputs x and the other targets are
    kept as they are; ``examples`` is left alone. ValueError for a fraction
    outside 0..0.5 or a target of another kind.
    """
    fraction = finite_float(fraction, "the noise")
    if not 0 <= fraction <= MAX_NOISE:
        raise ValueError(f"the noise must be a fraction from 0 to {MAX_NOISE}, got {fraction!r}")
    if not isinstance(classes, int) or classes < 2:
        raise ValueError(f"classes must be 2 or more, got {classes!r}")
    noisy = list(examples)
    count = math.floor(fraction * len(noisy) + 0.5)  # halves round up
    for index in sorted(rng.sample(range(len(noisy)), count)):
        x, target = noisy[index]
        actual = target_class(target)  # ValueError for a target that names no class
        size = 2 if len(target) == 1 else len(target)
        if size != classes:
            raise ValueError(f"expected targets of {classes} classes, got {list(target)}")
        if len(target) == 1:
            noisy[index] = (x, [1.0 - actual])
        else:
            other = rng.choice([c for c in range(classes) if c != actual])
            noisy[index] = (x, one_hot(other, classes))
    return noisy
