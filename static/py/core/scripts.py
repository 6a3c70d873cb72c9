"""As Python: the trained model, and a script that replays the lab's run, to the last digit.

``python_snippet`` rebuilds the trained network with ``nn`` (e.g. in a notebook);
``run_script`` replays the whole run from the seed: the same data, shuffle and learning rate,
and the learner's own ``Neuron`` class when their code is in use. No browser imports.
"""

from __future__ import annotations

from core.controller import Lab, RejectedInput
from core.i18n import t
from core.optimizer_fields import optimizer_options
from core.run import replays_exactly
from core.settings import Settings, network_activation_names


def python_snippet(lab: Lab) -> str:
    """Python that rebuilds the trained model with nn, e.g. in a notebook (its comments in the
    page's language)."""
    s = lab.settings
    if not lab.network.is_finite():
        raise RejectedInput(t("script.not_finite"))
    from pprint import pformat  # only on As Python: not at start-up

    model = pformat(lab.network.to_dict(), indent=1, sort_dicts=False)
    numbers = ", ".join(f'"{e.bits}"' for e in s.examples[:256])
    numbers_comment = t(
        "script.numbers_first" if len(s.examples) > 256 else "script.numbers", n=256
    )
    return (
        f"# {t('script.model', n=lab.epoch, task=repr(s.task))}\n"
        f"# {t('script.install')}\n"
        "from nn import Network, parse_bits\n\n"
        f"network = Network.from_dict({model})\n\n"
        f"# {numbers_comment}\n"
        f"numbers = [{numbers}]\n"
        "for bits in numbers:\n"
        + (
            "    y = network.forward(parse_bits(bits))[0]\n"
            if len(lab.network.layers[-1].neurons) == 1
            else f"    y = network.forward(parse_bits(bits))  # {t('script.per_class')}\n"
        )
        + '    print(bits, "->", y)\n'
    )


def run_script(lab: Lab) -> tuple[str, str]:
    """A notebook-style script that replays the run from the seed, and a note on how far it
    matches this lab (it does exactly when the run was only epochs of Train or Step)."""
    s = lab.settings
    lines: list[str] = []
    imports = "from nn import Network, parse_bits, squared_error_deriv"
    if lab.code is not None:  # the learner's code first (a __future__ import must lead)
        lines += [lab.code.source.rstrip(), "", "", "# " + "-" * 70]
        imports = "from nn import Network, learner_neuron_class, parse_bits"
    run = "script.run_mine" if lab.code is not None else "script.run"
    lines += [
        "# " + t(run, n=lab.epoch, task=repr(s.task)),
        "# " + t("script.install"),
        "import random",
        "",
        imports,
        "",
        f"network = {network_expression(lab)}",
        *data_lines(lab),
        f'shuffle = random.Random("shuffle-{s.seed}")  # {t("script.shuffle")}',
        f"learning_rate = {s.learning_rate!r}",
        "",
        f"for epoch in range({lab.epoch}):",
        *epoch_lines(lab),
    ]
    first = "" if s.layers[-1] > 1 else "[0]"
    lines += ["", f'print("{s.bits} ->", network.forward(parse_bits("{s.bits}")){first})', ""]
    return "\n".join(lines), replay_note(lab)


def is_plain(s: Settings) -> bool:
    """The notebook's cost and update rule: the default cost, no L2, the default optimizer."""
    return (s.cost, s.l2, s.optimizer) == (Settings.cost, Settings.l2, Settings.optimizer)


def network_expression(lab: Lab) -> str:
    """``Network([...], ...)`` as the lab built it (with the learner's neurons if in use)."""
    s = lab.settings
    extra = "" if is_plain(s) else f", cost={s.cost!r}, l2={s.l2!r}"
    if s.optimizer != Settings.optimizer:
        extra += f", optimizer={s.optimizer!r}, optimizer_options={optimizer_options(s)!r}"
    if lab.code is not None:
        extra += ", neuron_class=learner_neuron_class(Neuron)"
    return (
        f"Network([{s.width}, {', '.join(map(str, s.layers))}], "
        f"activations={network_activation_names(s)!r}, seed={s.seed}, "
        f"init={s.init!r}, activate_output={s.activate_output}{extra})"
    )


def data_lines(lab: Lab) -> list[str]:
    """The training numbers, their targets (as the lab trained on them) and the examples (x, t)."""
    s = lab.settings
    examples, _ = lab.examples()
    several = s.layers[-1] > 1
    targets = ", ".join(repr(t if several else t[0]) for _, t in examples)
    numbers = ", ".join(f'"{e.bits}"' for e in s.examples)
    what = "script.targets." + ("classes" if several else "number") + (".noise" if s.noise else "")
    return [
        f"numbers = [{numbers}]",
        f"targets = [{targets}]  # {t(what, task=s.task)}",
        "examples = [(parse_bits(bits), "
        + ("t" if several else "[t]")
        + ") for bits, t in zip(numbers, targets)]",
    ]


def epoch_lines(lab: Lab) -> list[str]:
    """One epoch: the notebook's own loop for its single neuron, else ``train_epoch``."""
    s = lab.settings
    single = len(s.layers) == 1 and s.layers[-1] == 1 and s.batch_size == 1
    if single and is_plain(s) and not lab.code:
        return [
            "    order = list(examples)",
            "    shuffle.shuffle(order)",
            f"    for x, (t,) in order:  # {t('script.loop')}",
            "        neuron = network.layers[0].neurons[0]",
            "        y = neuron.forward(x, network.activate_output)",
            "        neuron.backward(x, squared_error_deriv(y, t), learning_rate)",
        ]
    return [f"    network.train_epoch(examples, learning_rate, {s.batch_size}, shuffle)"]


def replay_note(lab: Lab) -> str:
    """Whether the script gives exactly this lab's output, and if not, why."""
    if replays_exactly(lab):
        return t("script.exact", bits=lab.settings.bits)
    return t("script.differs", n=lab.epoch)
