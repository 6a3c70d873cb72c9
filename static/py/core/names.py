"""The names and help texts the page shows from ``nn``'s registries and from its own tables
(tasks, costs, activations, first weights, optimizers, speeds, presets, what the Embed dialog
can hide, its sizes and platforms), in the page's language: ``name("task.odd.label")``.

English is written once, where the entry is (``nn.LAB_TASKS``, ``inputs.SPEEDS``, ...): a new
entry shows in English everywhere at once, and in another language when its catalogue has its
key (``tests/unit/test_i18n.py`` names any key a language lacks). No browser imports.
"""

from __future__ import annotations

import functools

from core import i18n
from core.inputs import SPEEDS
from core.presets import PRESETS
from core.savestate import EMBED_PLATFORMS, EMBED_SIZES
from core.values import HIDEABLE_LABELS
from nn import ACTIVATIONS, COSTS, INITIALIZERS, LAB_TASKS, OPTIMIZERS

CHOOSE_PRESET = "— choose an example —"  # the presets menu's first line


@functools.cache
def english_names() -> dict[str, str]:
    """Every such name and help text, by its key in the catalogue, in English."""
    names = {}
    for key, task in LAB_TASKS.items():
        names[f"task.{key}.label"], names[f"task.{key}.description"] = task.label, task.description
    for key, cost in COSTS.items():
        names[f"cost.{key}.label"], names[f"cost.{key}.help"] = cost.label, cost.help
        for why in ("why_outputs", "why_activation", "why_y_minus_t"):  # fit messages, math
            if getattr(cost, why):
                names[f"cost.{key}.{why}"] = getattr(cost, why)
    names |= {f"activation.{key}": activation.label for key, activation in ACTIVATIONS.items()}
    names |= {f"init.{key}": init.label for key, init in INITIALIZERS.items()}
    for key, optimizer in OPTIMIZERS.items():
        names[f"optimizer.{key}.label"] = optimizer.label
        names[f"optimizer.{key}.help"] = optimizer.help
    names |= {f"speed.{key}": label for key, (label, _) in SPEEDS.items()}
    names["preset.choose"] = CHOOSE_PRESET
    names |= {f"preset.{key}": preset.label for key, preset in PRESETS.items()}
    names |= {f"preset.{key}.description": p.description for key, p in PRESETS.items()}
    names |= {f"hide.{key}": words for key, words in HIDEABLE_LABELS.items()}
    names |= {f"embed.size.{key}": label for key, (label, *_) in EMBED_SIZES.items()}
    names |= {f"embed.platform.{key}": words for key, words in EMBED_PLATFORMS.items()}
    from core.checks import CHECKS  # here: core.checks reads this module's names when it runs

    for kind, check in CHECKS.items():  # what each parameter of a lesson's check is
        names |= {f"check.{kind}.{param.name}.help": param.help for param in check.params}
    return names


def name(key: str) -> str:
    """The name or help text ``key`` in the page's language (English where it has none)."""
    return i18n.named(key, english_names()[key])


def options(kind: str, keys, suffix: str = "") -> list[tuple[str, str]]:
    """A select's options: (each key, its name), e.g. options("task", LAB_TASKS, ".label")."""
    return [(key, name(f"{kind}.{key}{suffix}")) for key in keys]
