"""As Python: the trained model, and a script that replays the lab's run, to the last digit.

``python_snippet`` rebuilds the trained network with ``nn`` (e.g. in a notebook);
``run_script`` replays the whole run from the seed: the same data, shuffle and learning rate,
and the learner's own ``Neuron`` class when their code is in use. No browser imports.
"""

from __future__ import annotations

from core.controller import Lab, RejectedInput
from core.optimizer_fields import optimizer_options
from core.run import replays_exactly
from core.settings import Settings, network_activation_names


def python_snippet(lab: Lab) -> str:
    """Python that rebuilds the trained model with nn, e.g. in a notebook."""
    s = lab.settings
    if not lab.network.is_finite():
        raise RejectedInput("The weights are not finite numbers; Reset before exporting.")
    from pprint import pformat  # only on As Python: not at start-up

    model = pformat(lab.network.to_dict(), indent=1, sort_dicts=False)
    numbers = ", ".join(f'"{e.bits}"' for e in s.examples[:256])
    more = " (the first 256)" if len(s.examples) > 256 else ""
    epochs = f"{lab.epoch} epoch{'s' if lab.epoch != 1 else ''}"
    return (
        f"# The model trained in the nn lab: {epochs}, task {s.task!r}.\n"
        "# pip install the nn project first, then run this in a notebook or a script.\n"
        "from nn import Network, parse_bits\n\n"
        f"network = Network.from_dict({model})\n\n"
        f"# The training numbers{more}:\n"
        f"numbers = [{numbers}]\n"
        "for bits in numbers:\n"
        + (
            "    y = network.forward(parse_bits(bits))[0]\n"
            if len(lab.network.layers[-1].neurons) == 1
            else "    y = network.forward(parse_bits(bits))  # one output per class\n"
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
    lines += [
        f"# The nn lab's run: {lab.epoch} epochs of the task {s.task!r}, replayed from the seed"
        + (", with the Neuron class above." if lab.code is not None else "."),
        "# pip install the nn project first, then run this in a notebook or a script.",
        "import random",
        "",
        imports,
        "",
        f"network = {network_expression(lab)}",
        *data_lines(lab),
        f'shuffle = random.Random("shuffle-{s.seed}")  # the lab shuffles each epoch with it',
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
    noisy = " (with the lab's label noise)" if s.noise else ""
    numbers = ", ".join(f'"{e.bits}"' for e in s.examples)
    return [
        f"numbers = [{numbers}]",
        f"targets = [{targets}]  # "
        + ("one-hot, one per class" if several else "t for each number")
        + f" ({s.task}){noisy}",
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
            "    for x, (t,) in order:  # the notebook's loop: forward, then backward",
            "        neuron = network.layers[0].neurons[0]",
            "        y = neuron.forward(x, network.activate_output)",
            "        neuron.backward(x, squared_error_deriv(y, t), learning_rate)",
        ]
    return [f"    network.train_epoch(examples, learning_rate, {s.batch_size}, shuffle)"]


def replay_note(lab: Lab) -> str:
    """Whether the script gives exactly this lab's output, and if not, why."""
    if replays_exactly(lab):
        return f"It gives exactly this lab's output for {lab.settings.bits}."
    return (
        "This lab's run included something a replay can't repeat (a step of one example, "
        "an epoch stopped partway, a weight set by hand, a file or saved lab, or data or a "
        f"learning rate changed mid-run): the script trains {lab.epoch} epochs from the seed "
        "with the settings as they are now, so its output may differ."
    )
