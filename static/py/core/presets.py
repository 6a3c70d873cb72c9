"""Ready-made starting points for the lab: the notebook's neuron, parity, and others.

Each preset is a label, one sentence, and the ``Settings`` fields it sets (the others keep
their defaults); ``settings.apply_preset`` and ``?preset=name`` apply them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from core.values import TrainingNumber, all_numbers


class Preset(NamedTuple):
    """A ready-made lesson: a label for the menu, one sentence, and the
    Settings fields it sets (the others keep their defaults)."""

    label: str
    description: str
    overrides: Mapping[str, Any]


def _numbers(text: str) -> tuple[str, ...]:
    """("001", "010") from "001,010"."""
    return tuple(text.split(","))


def _examples(text: str) -> tuple[TrainingNumber, ...]:
    """Examples without targets from "001,010"."""
    return tuple(TrainingNumber(bits) for bits in _numbers(text))


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        "notebook": Preset(
            "The notebook's neuron",
            "One neuron learns to output 5/31 for 00101, as in the notebook.",
            MappingProxyType(
                {
                    "width": 5,
                    "bits": "00101",
                    "task": "value",
                    "examples": _examples("00101"),
                    "learning_rate": 0.1,
                    "epochs": 200,
                    "seed": 1,
                    "layers": (1,),
                }
            ),
        ),
        "parity3": Preset(
            "Parity of 3 bits",
            "Is the count of ones odd? One neuron can't learn it; a hidden layer can.",
            MappingProxyType(
                {
                    "width": 3,
                    "bits": "101",
                    "task": "parity",
                    "examples": _examples(",".join(all_numbers(3))),
                    "layers": (4, 1),
                    # Checked with the page's procedure (nn.Network([3, 4, 1], seed=2),
                    # shuffle rng "shuffle-2", batch 1): 100% from epoch 255 on.
                    "learning_rate": 1.0,
                    "epochs": 1000,
                    "seed": 2,
                }
            ),
        ),
        "odd": Preset(
            "Odd or even",
            "One neuron learns from 8 numbers that only the last bit matters, "
            "and gets the 8 numbers it never saw right too.",
            MappingProxyType(
                {
                    "width": 4,
                    "bits": "0101",
                    "task": "odd",
                    "examples": _examples("0001,0010,0100,0111,1000,1011,1101,1110"),
                    "test": _numbers("0000,0011,0101,0110,1001,1010,1100,1111"),
                    "learning_rate": 1.0,
                    "epochs": 500,
                    "seed": 1,
                }
            ),
        ),
        "majority": Preset(
            "Majority of 5 bits",
            "More ones than zeros? One neuron learns it from half the numbers "
            "and is tested on the other half.",
            MappingProxyType(
                {
                    "width": 5,
                    "bits": "10110",
                    "task": "majority",
                    "examples": _examples(
                        "00000,00011,00100,00101,00110,01000,01010,01011,"
                        "01101,10001,10011,10111,11001,11010,11101,11110"
                    ),
                    "test": _numbers(
                        "00001,00010,00111,01001,01100,01110,01111,10000,"
                        "10010,10100,10101,10110,11000,11011,11100,11111"
                    ),
                    "learning_rate": 1.0,
                    "epochs": 500,
                    "seed": 1,
                }
            ),
        ),
        "greater": Preset(
            "Greater than 9",
            "Is the number greater than 9? One neuron learns where to draw the line.",
            MappingProxyType(
                {
                    "width": 4,
                    "bits": "1010",
                    "task": "greater",
                    "threshold": 9,
                    "examples": _examples(",".join(all_numbers(4))),
                    "learning_rate": 1.0,
                    "epochs": 1000,
                    "seed": 1,
                }
            ),
        ),
        "perceptron": Preset(
            "The perceptron (Rosenblatt)",
            "A step neuron learns odd or even by the perceptron rule, Δw = η (t − y) x, and "
            "stops moving once it is right. Can you find a task it can't learn?",
            MappingProxyType(
                {
                    "width": 4,
                    "bits": "0101",
                    "task": "odd",
                    "examples": _examples(",".join(all_numbers(4))),
                    "activation": "step",
                    "optimizer": "perceptron",
                    # Checked with the page's procedure (seed 1, shuffle rng "shuffle-1",
                    # batch 1): 100% from epoch 4 on, and no weight moves after that.
                    "learning_rate": 0.1,
                    "epochs": 20,
                    "seed": 1,
                }
            ),
        ),
        "count-ones": Preset(
            "Count the ones (5 classes)",
            "A 4-8-5 network with softmax learns how many ones a 4-bit number has: one output "
            "per count, 0 to 4. Watch the confusion matrix fill its diagonal.",
            MappingProxyType(
                {
                    "width": 4,
                    "bits": "0101",
                    "task": "ones",
                    "examples": _examples(",".join(all_numbers(4))),
                    "layers": (8, 5),
                    "cost": "softmax-cross-entropy",
                    # Checked with the page's procedure (seed 1, shuffle rng "shuffle-1",
                    # batch 1, learning rate 0.5): 100% training accuracy after 200 epochs.
                    "learning_rate": 0.5,
                    "epochs": 200,
                    "seed": 1,
                }
            ),
        ),
    }
)


def hidden_layer_preset(task: str) -> str | None:
    """The preset whose network has a hidden layer that learns ``task`` (one neuron can't),
    if any: the hint's button for a run stuck on that task."""
    return next(
        (
            name
            for name, preset in PRESETS.items()
            if preset.overrides.get("task") == task and len(preset.overrides.get("layers", ())) > 1
        ),
        None,
    )
