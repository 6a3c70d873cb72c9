"""The optimizer in the page's Python: its settings and URL keys, the lab that trains with it
(state kept, reset, rolled back), the math panel's update lines, the perceptron preset, and
share, save and replay carrying it."""

from __future__ import annotations

import json
import math

import pytest
from core import scripts
from core.controller import Lab, RejectedInput, Selection, trace
from core.mathpanel import neuron_math
from core.savestate import autosave_text, export_text, read_import, restore_run
from core.settings import Settings, apply_preset, changed, decode_query, encode_query

from nn import parse_bits
from tests.unit.test_savestate import trained_lab

ADAM = "width=4&examples=all&task=odd&layers=3,1&lr=0.05&optimizer=adam&beta1=0.8&bits=0101"
MOMENTUM = "width=4&examples=all&task=majority&lr=0.2&optimizer=momentum&momentum=0.5&batch=3"
NOTEBOOK = "width=5&examples=00101&bits=00101&lr=0.1&epochs=200&seed=1"
PERCEPTRON = "width=4&examples=all&task=odd&activation=step&optimizer=perceptron&lr=0.1"


def test_the_optimizer_and_its_hyperparameters_are_url_keys() -> None:
    settings, warnings = decode_query(ADAM + "&beta2=0.99&eps=1e-6")
    assert warnings == []
    assert (settings.optimizer, settings.beta1, settings.beta2, settings.eps) == (
        "adam", 0.8, 0.99, 1e-6,
    )  # fmt: skip
    assert decode_query(encode_query(settings)) == (settings, [])
    assert "optimizer" not in encode_query(Settings())  # sgd, the default, leaves no key


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("beta1=2", ["β₁ (beta1)", "from 0 up to, not including, 1", "you typed '2'"]),
        ("beta2=-0.5", ["β₂ (beta2)", "from 0 up to, not including, 1"]),
        ("momentum=1", ["μ (momentum)", "from 0 up to, not including, 1"]),
        ("eps=0", ["ε (eps)", "from 1e-12 to 1"]),
        ("optimizer=rmsprop", ["sgd, momentum, adam, perceptron"]),
        ("optimizer=perceptron", ["needs the step activation", "output is sigmoid"]),
        ("activation=step&optimizer=perceptron", ["targets of 0 and 1", "yes/no task"]),
        ("task=odd&activation=step&layers=2,1&optimizer=perceptron", ["single layer"]),
    ],
)
def test_a_bad_optimizer_key_is_refused_saying_what_fits(query: str, words: list[str]) -> None:
    settings, warnings = decode_query(query)
    assert settings.optimizer == "sgd" and settings.beta1 == 0.9  # the default stays
    assert len(warnings) == 1
    for word in words:
        assert word in warnings[0]


def test_a_setting_the_perceptron_cant_use_is_refused_and_changes_nothing() -> None:
    lab = Lab(decode_query(PERCEPTRON)[0])
    with pytest.raises(ValueError, match="needs the step activation"):
        changed(lab.settings, activation="sigmoid")
    with pytest.raises(ValueError, match="targets of 0 and 1"):
        changed(lab.settings, task="value")
    assert lab.settings.optimizer == "perceptron" and lab.settings.activation == "step"


def test_the_lab_trains_with_the_optimizer_and_keeps_its_state_until_it_changes() -> None:
    lab = trained_lab(ADAM, epochs=3)
    network = lab.network
    assert network.optimizer.name == "adam" and network.optimizer_options["beta1"] == 0.8
    assert network.optimizer_state["step"] == 3 * 16
    assert lab.replayable
    lab.change(changed(lab.settings, beta1=0.7))  # the same optimizer: its state stays
    assert lab.network is network and network.optimizer_state["step"] == 48
    assert network.optimizer_options["beta1"] == 0.7 and not lab.replayable
    weights = network.parameters()
    lab.change(changed(lab.settings, optimizer="momentum"))  # another: it starts afresh
    assert network.optimizer.name == "momentum" and network.optimizer_state == {"step": 0}
    assert network.parameters() == weights
    lab.start_run(1)
    lab.reset()
    assert lab.network.optimizer_state == {"step": 0}


def test_a_run_that_diverges_rolls_back_to_its_last_epoch_velocity_and_all() -> None:
    """A run rolls back to the state its history kept after the epoch before (the same
    copy): the very checkpoint an epoch-by-epoch run (one run each) would have taken. (Adam
    moves each weight by about the learning rate a step: at 100 at most, it does not diverge.)
    """
    query = MOMENTUM.replace("task=majority", "activation=linear")
    sliced, stepped = trained_lab(query, epochs=2), trained_lab(query, epochs=2)
    for lab in (sliced, stepped):
        lab.change(changed(lab.settings, learning_rate=100.0))
    run = sliced.start_run(50)
    while not run.finished:
        run.advance(1.0)
    assert run.diverged and sliced.epoch > 3  # rolled back within the run, not its first epoch
    while stepped.epoch < sliced.epoch:
        stepped.step_epoch()
    checkpoint = stepped.network.checkpoint()
    assert sliced.network.checkpoint() == checkpoint and checkpoint[1]["velocity"]


def test_divergence_rolls_back_the_optimizer_state_with_the_weights() -> None:
    lab = trained_lab(MOMENTUM.replace("task=majority", "activation=linear"), epochs=2)
    before = lab.network.checkpoint()
    lab.change(changed(lab.settings, learning_rate=100.0))
    for _ in range(50):  # epoch by epoch, until one diverges
        before = lab.network.checkpoint()
        try:
            lab.step_epoch()
        except RejectedInput as error:
            assert "Training diverged at epoch" in str(error)
            break
    else:
        raise AssertionError("no epoch diverged")
    assert lab.network.checkpoint() == before and before[1]["step"] > 0
    lab.reset()
    lab.step_epoch()
    lab.set_parameter(Selection(0, 0, 0), 1e300)  # the next step overflows
    before = lab.network.checkpoint()
    with pytest.raises(RejectedInput, match="infinite or NaN"):
        lab.step_example()
    assert lab.network.checkpoint() == before


@pytest.mark.parametrize(
    "query", [ADAM, MOMENTUM, PERCEPTRON, ADAM + "&l2=0.01", PERCEPTRON + "&l2=0.05"]
)
def test_the_math_panel_writes_the_update_the_step_makes(query: str) -> None:
    lab = trained_lab(query, epochs=1)
    x, targets = parse_bits(lab.settings.bits), lab.current_targets()
    if lab.settings.optimizer == "perceptron":  # a wrong answer, so that the rule moves it
        lab.network.layers[0].neurons[0].bias += -1 if lab.network.forward(x)[0] else 1
    traced = trace(lab.network, x, targets)
    layer = len(lab.network.layers) - 1
    lines = neuron_math(traced, layer, 0, targets, lab.settings.learning_rate)
    before = lab.network.layers[layer].neurons[0].parameters()
    lab.network.train_step(x, targets, lab.settings.learning_rate)
    after = lab.network.layers[layer].neurons[0].parameters()
    text = " ".join(line.tex for line in lines)
    expected = {
        "adam": [r"\hat m", r"\hat v", r"\beta_1 = 0.8000", "t = 17"],
        "momentum": [r"v_t = \mu\, v_{t-1} + g", r"\mu = 0.5000", "t = 7"],
        "perceptron": [r"t - y = ", r"\Delta w = \eta\,(t - y)\,x"],
    }[lab.settings.optimizer]
    if lab.settings.l2:
        expected = [
            words.replace(r"(t - y)\,x", r"((t - y)\,x - 2\lambda w)") for words in expected
        ]
    for words in expected:
        assert words in text
    delta_w = next(line.tex for line in lines if line.tex.startswith(r"\Delta w"))
    delta_b = next(line.tex for line in lines if line.tex.startswith(r"\Delta b"))
    for w, w_after in zip(before[:-1], after[:-1], strict=True):
        assert fmt_tex(w_after - w) in delta_w
    assert delta_b.endswith(fmt_tex(after[-1] - before[-1]))


def fmt_tex(value: float) -> str:
    from core.formats import tex

    return tex(value)


@pytest.mark.parametrize("from_select", [False, True])
def test_the_perceptron_preset_learns_odd_and_stops_moving(from_select: bool) -> None:
    """Opened from a link (a new lab) or chosen in the Preset select (the lab's sigmoid
    network changes into the preset's step neuron)."""
    if from_select:
        lab = Lab(Settings())
        assert lab.change(apply_preset(lab.settings, "perceptron"), rebuild=True)
    else:
        lab = Lab(apply_preset(Settings(), "perceptron"))
    assert lab.network.optimizer.name == "perceptron"
    run = lab.start_run(lab.settings.epochs)
    while not run.finished:
        run.advance(1.0)
    assert lab.stats().accuracy == 1
    assert lab.train_losses[-1] == 0


def test_another_optimizer_stops_a_run_and_new_hyperparameters_do_not() -> None:
    """As a new learning rate does: the run was for one update rule; a hyperparameter of
    the same optimizer applies from the next step, as in PyTorch."""
    lab = Lab(decode_query(MOMENTUM)[0])
    run = lab.start_run(50)
    run.advance(0.0)
    lab.change(changed(lab.settings, momentum=0.8))
    assert lab.run is run and not run.stop_requested
    lab.change(changed(lab.settings, optimizer="adam"))
    assert lab.run is None


@pytest.mark.parametrize("query", [ADAM, MOMENTUM, PERCEPTRON, MOMENTUM + "&l2=0.001"])
def test_the_replay_script_and_as_python_carry_the_optimizer(query: str, capsys) -> None:
    lab = trained_lab(query, epochs=7)
    script, note = scripts.run_script(lab)
    assert "exactly" in note and f"optimizer={lab.settings.optimizer!r}" in script
    exec(compile(script, "run", "exec"), {})
    printed = capsys.readouterr().out.strip().split(" -> ")[1]
    assert float(printed) == lab.network.forward(parse_bits(lab.settings.bits))[0]
    snippet = scripts.python_snippet(lab)
    assert f"'optimizer': {lab.settings.optimizer!r}" in snippet


def test_export_and_the_autosave_carry_the_optimizer_state() -> None:
    lab = trained_lab(ADAM, epochs=2)
    settings, network, _ = read_import(export_text(lab))
    assert settings.optimizer == "adam" and network.optimizer_state == lab.network.optimizer_state
    record = json.loads(autosave_text(lab))
    again = Lab(decode_query(ADAM)[0])
    assert again.network.optimizer_state == {"step": 0}
    again.network.set_parameters(lab.network.parameters())  # as the autosave's weights are
    assert restore_run(again, record) == []
    assert again.network.optimizer_state == lab.network.optimizer_state
    record["optimizer_state"] = {"step": 1, "m": [math.pi]}
    notes = restore_run(again, record)
    assert "optimizer's state could not be restored" in notes[0]
    data = json.loads(export_text(lab))
    data["settings"]["optimizer"] = "momentum"
    with pytest.raises(RejectedInput, match="trained by adam"):
        read_import(json.dumps(data))


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_the_notebooks_neuron_reads_back_about_5_under_each_optimizer(optimizer: str) -> None:
    lab = trained_lab(f"{NOTEBOOK}&optimizer={optimizer}", epochs=200)
    assert 4.99 < lab.network.forward([0, 0, 1, 0, 1])[0] * 31 < 5.01
