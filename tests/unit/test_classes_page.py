"""Beyond one output, in the page's pure layer: the class tasks, cost, L2, label noise and k as
settings (links, JSON, edits), the controller training them, the confusion matrix it
measures, and the readouts that show them."""

from __future__ import annotations

import math
import re

import pytest
from core.controller import Lab
from core.edits import fit_outputs, with_k, with_layers, with_task_noted, with_width
from core.mathpanel import neuron_math
from core.readouts import class_output_rows, class_prediction, confusion_html
from core.scripts import run_script
from core.settings import (
    Settings,
    apply_preset,
    changed,
    decode_query,
    encode_query,
    from_json,
    to_json,
)

import nn
from tests.unit.test_controller import finish, lab_from

COUNT_ONES = "width=4&task=ones&examples=all&layers=8,5&cost=softmax-cross-entropy"


# ---------------------------------------------------------------- settings from links


def test_the_class_tasks_are_offered_before_custom() -> None:
    assert list(nn.LAB_TASKS) == [
        "value",
        "odd",
        "majority",
        "greater",
        "parity",
        "ones",
        "mod",
        "highest",
        "custom",
    ]


@pytest.mark.parametrize(
    ("query", "layers"),
    [
        ("width=4&task=ones", (5,)),
        ("width=8&task=highest&layers=4,9", (4, 9)),
        ("width=3&task=mod&k=5&layers=6,5", (6, 5)),
        ("task=mod", (3,)),
    ],
)
def test_a_class_task_has_one_output_per_class(query: str, layers: tuple[int, ...]) -> None:
    settings, warnings = decode_query(query)
    assert warnings == []
    assert settings.layers == layers


@pytest.mark.parametrize(
    ("query", "key", "words"),
    [
        ("width=8&task=ones&layers=4,1", "layers", ["exactly 9 neurons", "9 classes", "like 4,9"]),
        ("task=mod&k=4&layers=3", "layers", ["exactly 4 neurons", "k = 4", "like 3,4"]),
        ("task=odd&layers=4,2", "layers", ["exactly 1 neuron", "like 4,2,1"]),
        ("task=value&cost=softmax-cross-entropy", "cost", ["2 or more outputs", "1 output"]),
        ("task=ones&width=3&cost=cross-entropy", "cost", ["needs 1 output", "4 outputs"]),
        ("task=odd&activation=tanh&cost=cross-entropy", "cost", ["sigmoid output", "tanh"]),
        ("task=odd&activate=0&cost=cross-entropy", "cost", ["not activated"]),
        ("task=value&noise=0.2", "noise", ["classification task", "value"]),
        ("task=odd&noise=0.7", "noise", ["0 to 0.5", "'0.7'"]),
        ("l2=2", "l2", ["0 to 1", "'2'"]),
        ("task=mod&k=9", "k", ["from 2 to 8", "'9'"]),
        ("cost=hinge", "cost", ["must be one of squared, cross-entropy, softmax-cross-entropy"]),
    ],
)
def test_a_wrong_combination_is_refused_saying_what_fits(
    query: str, key: str, words: list[str]
) -> None:
    settings, warnings = decode_query(query)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{key}: ")
    for word in words:
        assert word in warnings[0]
    # what was refused changed nothing: the lab is as if the key had not been given
    rest = "&".join(p for p in query.split("&") if not p.startswith(f"{key}="))
    assert settings == decode_query(rest)[0]


def test_the_new_keys_go_through_a_link_and_a_file_unchanged() -> None:
    settings, warnings = decode_query(
        COUNT_ONES + "&l2=0.001&noise=0.125&hide=cost,l2,noise,k,confusion"
    )
    assert warnings == []
    assert (settings.cost, settings.l2, settings.noise) == ("softmax-cross-entropy", 0.001, 0.125)
    assert settings.hide == ("cost", "l2", "noise", "k", "confusion")
    assert decode_query(encode_query(settings)) == (settings, [])
    assert from_json(to_json(settings))[0] == settings
    mod, _ = decode_query("task=mod&k=7")
    assert "k=7" in encode_query(mod)


def test_the_count_ones_preset_is_a_4_8_5_softmax_network() -> None:
    settings = apply_preset(Settings(), "count-ones")
    assert (settings.width, settings.task, settings.layers) == (4, "ones", (8, 5))
    assert settings.cost == "softmax-cross-entropy" and settings.learning_rate == 0.5


# ---------------------------------------------------------------- edits


def test_choosing_a_class_task_resizes_the_output_and_takes_softmax() -> None:
    start = decode_query("width=4&layers=3,1")[0]
    ones, note = with_task_noted(start, "ones")
    assert ones.layers == (3, 5) and ones.cost == "softmax-cross-entropy"
    assert note == (
        "The output layer now has 5 neurons, one per class. The cost is now softmax cross-entropy "
        "(one output per class)."
    )
    back, note = with_task_noted(ones, "odd")
    assert back.layers == (3, 1) and back.cost == "squared"
    assert "1 neuron." in note
    mod, _ = with_task_noted(start, "mod")
    five, note = with_k(mod, " 5 ")
    assert five.layers == (3, 5) and five.k == 5 and "5 neurons" in note
    with pytest.raises(ValueError, match="from 2 to 8"):
        with_k(mod, "1")
    wider, note = with_width(ones, 6)
    assert wider.layers == (3, 7) and "7 neurons" in note
    assert with_layers(ones, (4, 4, 5)).layers == (4, 4, 5)


def test_a_class_task_to_custom_gives_each_example_a_target_to_type() -> None:
    ones, _ = with_task_noted(decode_query("width=2&examples=01")[0], "ones")
    custom, _ = with_task_noted(ones, "custom")
    assert custom.layers == (1,) and custom.examples[0].target == 0.0


def test_noise_is_switched_off_with_a_note_for_a_task_without_classes() -> None:
    noisy = changed(Settings(task="odd"), noise=0.25)
    value, note = fit_outputs(noisy, task="value")
    assert value.noise == 0 and "Label noise is off" in note


def test_a_change_that_does_not_fit_says_why_without_code_names() -> None:
    ce = changed(Settings(task="odd"), cost="cross-entropy")
    with pytest.raises(ValueError) as refused:
        changed(ce, activation="tanh")
    assert str(refused.value).startswith("Cross-entropy needs a sigmoid output")


# ---------------------------------------------------------------- the controller


def test_count_ones_reaches_100_percent_with_a_diagonal_confusion_matrix() -> None:
    lab = Lab(apply_preset(Settings(), "count-ones"))
    finish(lab.start_run(200))
    stats = lab.stats()
    assert stats.accuracy == 1.0
    assert stats.confusion == ((1, 0, 0, 0, 0), (0, 4, 0, 0, 0), (0, 0, 6, 0, 0),
                               (0, 0, 0, 4, 0), (0, 0, 0, 0, 1))  # fmt: skip
    assert stats.test_confusion is None  # no test set


def test_the_confusion_matrix_counts_the_test_set_too_and_matches_nn() -> None:
    lab = lab_from("width=4&task=mod&k=3&examples=0000,0001,0010,0011,0100,0101&test=1000,1111")
    train, test = lab.examples()
    stats = lab.stats()
    assert stats.confusion == tuple(map(tuple, lab.network.confusion_matrix(train)))
    assert stats.test_confusion == tuple(map(tuple, lab.network.confusion_matrix(test)))
    assert sum(map(sum, stats.confusion)) == 6 and sum(map(sum, stats.test_confusion)) == 2


def test_a_one_output_classification_has_a_2_by_2_matrix() -> None:
    lab = lab_from("width=3&task=odd&examples=all")
    assert len(lab.stats().confusion) == 2
    assert lab_from("width=3&task=value&examples=all").stats().confusion is None


def test_label_noise_makes_a_seeded_fraction_of_training_targets_wrong() -> None:
    clean = lab_from("width=4&task=odd&examples=all&seed=3")
    noisy = lab_from("width=4&task=odd&examples=all&seed=3&noise=0.25")
    (c, _), (n, _) = clean.examples(), noisy.examples()
    assert sum(a[1] != b[1] for a, b in zip(c, n, strict=True)) == 4
    again = lab_from("width=4&task=odd&examples=all&seed=3&noise=0.25")
    assert noisy.examples()[0] == again.examples()[0]
    ones = lab_from("width=4&task=ones&examples=all&noise=0.5")
    assert sum(t.count(1.0) == 1 for _, t in ones.examples()[0]) == 16  # still one-hot
    assert ones.examples()[0] != lab_from("width=4&task=ones&examples=all").examples()[0]


def test_l2_changes_the_cost_but_not_the_weights() -> None:
    lab = lab_from("width=3&task=odd&examples=all&layers=2,1")
    weights, loss = lab.network.parameters(), lab.stats().loss
    lab.change(changed(lab.settings, l2=0.01))
    assert lab.network.parameters() == weights
    assert lab.stats().loss == pytest.approx(loss + 0.01 * sum(w * w for w in _weights(lab)))


def _weights(lab: Lab) -> list[float]:
    return [w for layer in lab.network.layers for n in layer.neurons for w in n.weight]


def test_changing_the_cost_rebuilds_the_network_with_a_softmax_output() -> None:
    lab = lab_from("width=3&task=ones&examples=all&layers=4,4")
    lab.change(changed(lab.settings, cost="softmax-cross-entropy"))
    assert lab.network.cost.softmax and lab.network.activations[-1] == "linear"
    assert sum(lab.network.forward([1, 0, 1])) == pytest.approx(1.0)


def test_step_one_example_steps_towards_the_one_hot_target() -> None:
    lab = lab_from("width=3&task=ones&examples=011&bits=011&cost=softmax-cross-entropy&lr=1")
    before = lab.network.forward([0, 1, 1])[2]
    lab.step_example()
    assert lab.network.forward([0, 1, 1])[2] > before


# ---------------------------------------------------------------- what the page shows


def test_the_math_shows_dc_dz_is_y_minus_t_and_why_it_learns_faster() -> None:
    lab = lab_from(COUNT_ONES + "&bits=0101")
    targets = lab.current_targets()
    from core.controller import trace

    traced = trace(lab.network, [0, 1, 0, 1], targets)
    text = "\n".join(line.tex + line.note for line in neuron_math(traced, 1, 2, targets, 0.5))
    assert "= y_{3} - t_{3}" in text and "softmax" in text and "learns faster" in text
    assert "y = z" not in text
    odd = lab_from("width=3&task=odd&examples=all&cost=cross-entropy&bits=101")
    traced = trace(odd.network, [1, 0, 1], [1.0])
    text = "\n".join(line.tex + line.note for line in neuron_math(traced, 0, 0, [1.0], 0.1))
    assert "= y - t =" in text and "saturates" in text
    l2 = lab_from("width=3&task=odd&examples=all&l2=0.01&bits=101")
    traced = trace(l2.network, [1, 0, 1], [1.0])
    text = "\n".join(line.tex + line.note for line in neuron_math(traced, 0, 0, [1.0], 0.1))
    assert r"2\lambda w_i" in text and "λ Σ w²" in text


def test_the_prediction_names_the_winning_class_with_its_probability() -> None:
    headline, detail, bars = class_prediction([0.1, 0.7, 0.2], [0.0, 1.0, 0.0], softmax=True)
    assert headline == "1" and detail == "class 1: probability 0.700; target class 1"
    assert [label for label, _ in bars] == ["0", "1", "2"]
    assert class_prediction([0.1, math.nan], None, True)[0] == "diverged"
    rows = class_output_rows([[0.1, 0.9], [0.8, 0.2]], [[0.0, 1.0], [0.0, 1.0]])
    assert [row[3][1] for row in rows] == ["right", "wrong"]


def test_the_confusion_table_has_a_cell_per_pair_and_each_class_accuracy() -> None:
    html = confusion_html([[2, 1], [0, 3]], "test", "Test set")
    cells = re.findall(r'data-actual="(\d)" data-predicted="(\d)" data-count="(\d)"', html)
    assert cells == [("0", "0", "2"), ("0", "1", "1"), ("1", "0", "0"), ("1", "1", "3")]
    assert "<caption>Test set</caption>" in html and 'scope="row"' in html
    assert re.findall(r'data-class="\d">([^<]*)<', html) == ["67%", "100%"]


def test_the_replay_script_of_a_class_task_gives_the_labs_outputs() -> None:
    lab = lab_from(COUNT_ONES + "&lr=0.5&epochs=5&noise=0.125&l2=0.001&bits=0101")
    finish(lab.start_run(5))
    script, note = run_script(lab)
    printed: list[str] = []
    exec(compile(script, "<replay>", "exec"), {"print": lambda *a: printed.append(repr(a))})
    assert printed == [repr(("0101 ->", lab.network.forward([0, 1, 0, 1])))]
    assert "exactly" in note


def test_the_replay_script_of_a_class_task_without_hidden_layer_uses_train_epoch() -> None:
    lab = lab_from("width=4&task=ones&examples=all&layers=5&bits=0101&epochs=3")
    assert lab.settings.cost == "squared"
    lab.step_epoch()
    script, _ = run_script(lab)
    assert "train_epoch" in script
    printed: list[str] = []
    exec(compile(script, "<replay>", "exec"), {"print": lambda *a: printed.append(repr(a))})
    assert printed == [repr(("0101 ->", lab.network.forward([0, 1, 0, 1])))]
