"""The page's pure drawing functions: numbers formatted one way, the diagram and the math
say what a traced copy of the network holds, and drawing never changes the model."""

from __future__ import annotations

import math
import re

import pytest
from core import formats, i18n, readouts
from core.controller import trace
from core.diagram import (
    DENSE_EDGES,
    assemble,
    diagram_parts,
    diagram_svg,
    edges_markup,
    layer_edges,
    layout,
)
from core.mathpanel import neuron_math

from nn import ACTIVATIONS, Network, parse_bits


def test_fmt_uses_fixed_decimals_and_a_real_minus_sign() -> None:
    assert formats.fmt(0.123456) == "0.1235"
    assert formats.fmt(-2.5) == "−2.5000"
    assert formats.fmt(0) == "0"
    assert formats.fmt(1.5e-7) == "1.500e−07"
    assert formats.fmt(math.inf) == "overflow" and formats.fmt(math.nan) == "NaN"
    assert formats.fmt(-math.inf) == "−overflow" and formats.tex(math.inf) == r"\text{overflow}"


def test_tex_numbers_use_times_ten_for_scientific_notation() -> None:
    assert formats.tex(-1.5e-7) == r"-1.500\times 10^{-7}"
    assert formats.paren(-0.5) == "(-0.5000)"


@pytest.mark.parametrize(
    ("task", "output", "target", "headline", "detail"),
    [
        ("value", 5.28 / 31, 5 / 31, "5.28", "target 5"),
        ("odd", 0.9, 1.0, "1", "90% confident (output 0.9000); target 1"),
        ("parity", 0.25, 0.0, "0", "75% confident (output 0.2500); target 0"),
        ("custom", 0.3, 0.25, "0.3000", "target 0.2500"),
        ("value", math.nan, None, "diverged", "the output is not a finite number"),
    ],
)
def test_prediction_is_decoded_for_the_task(task, output, target, headline, detail) -> None:
    assert readouts.prediction_text(task, 5, output, target) == (headline, detail)


def test_downsample_keeps_every_point_when_few_and_the_last_when_many() -> None:
    assert readouts.downsample([3.0, 2.0, 1.0]) == [(1, 3.0), (2, 2.0), (3, 1.0)]
    points = readouts.downsample([float(i) for i in range(10_000)], max_points=100)
    assert len(points) <= 101 and points[0] == (1, 0.0) and points[-1] == (10_000, 9999.0)


def test_diagram_has_one_focusable_edge_per_weight_with_its_value() -> None:
    network = Network([3, 4, 1], seed=2)
    svg = diagram_svg(trace(network, [1, 0, 1], None), [1, 0, 1])
    edges = re.findall(r'<g class="edge[^"]*" tabindex="0" role="button" data-key="([^"]+)"', svg)
    assert len(edges) == 3 * 4 + 4 * 1
    weight = network.layers[0].neurons[1].weight[2]
    assert f"= {formats.fmt(weight)}, from x₃" in svg
    neurons = re.findall(r'data-key="(\d+-\d+-b)"', svg)
    assert len(neurons) == 5


def test_diagram_comes_in_named_parts_a_layer_of_edges_each_and_dense_layers_draw_thin() -> None:
    network, x = Network([16, 16, 1], seed=1), [0, 1] * 8
    traced = trace(network, x, None)
    parts = list(diagram_parts(traced, x))
    assert [name for name, _ in parts] == ["svg", "edges-0", "edges-1", "nodes"]
    svg = diagram_svg(traced, x)
    assert svg == assemble(parts) and svg.startswith(parts[0][1]) and svg.endswith("</svg>")
    assert re.findall(r'<g data-part="([^"]+)">', svg) == ["edges-0", "edges-1", "nodes"]
    dense, sparse = dict(parts)["edges-0"], dict(parts)["edges-1"]
    assert 16 * 16 > DENSE_EDGES >= 16
    assert dense.count('<g class="edge thin"') == 256
    assert 'class="hit"' not in dense and "<title>" not in dense
    assert sparse.count('<g class="edge"') == 16
    assert sparse.count('class="hit"') == 16 and sparse.count("<title>") == 16


def test_a_layers_edges_are_written_again_exactly_when_what_they_show_changed() -> None:
    """``layer_edges`` keeps each layer's last markup: the same text, not written again, while
    nothing it shows changed; else what ``edges_markup`` writes now."""
    network, x = Network([4, 3, 1], seed=2), [1, 0, 1, 1]

    def edges(layer: int = 0, selected: str | None = None, backward: bool = False) -> str:
        traced = trace(network, x, [1.0] if backward else None)
        at = layout(traced, x, backward)
        kept = layer_edges(traced, layer, at, selected, backward)
        assert kept == edges_markup(traced, layer, at, selected, backward)
        return kept

    first = edges()
    assert edges() is first and edges(layer=1) is not first  # kept per layer
    assert edges() is first  # the other layer's markup did not take its place
    network.layers[0].neurons[1].weight[2] += 1e-9  # the same to 4 digits: written again
    assert edges() is not first
    network.layers[0].neurons[1].weight[2] = math.nan
    with_nan = edges()
    assert "NaN" in with_nan and edges() is with_nan  # nan is itself, bit for bit
    for changed in ({"selected": "0-1-2"}, {"backward": True}):
        again = edges()
        assert edges(**changed) != again and edges() == again
    again = edges()
    try:
        i18n.use("de")
        assert edges() != again  # its labels in German
    finally:
        i18n.use("en")
    assert edges() == again


def test_diagram_draws_the_neurons_outputs_for_the_input_given() -> None:
    network = Network([3, 1], seed=1)
    svg = diagram_svg(trace(network, [0, 1, 1], None), [0, 1, 1])
    y = network.forward([0, 1, 1])[0]
    assert f"y = {formats.fmt(y)}" in svg


def test_math_shows_the_numbers_that_backprop_stored() -> None:
    network = Network([5, 1], seed=1)
    x, t = parse_bits("00101"), 5 / 31
    network.backprop(x, [t])
    neuron = network.layers[0].neurons[0]
    lines = neuron_math(trace(network, x, [t]), 0, 0, [t], 0.1)
    text = "\n".join(line.tex for line in lines)
    assert formats.tex(neuron.z) in text
    assert formats.tex(neuron.y) in text
    assert formats.tex((neuron.y - t) ** 2) in text
    assert formats.tex(neuron.dcost_dy) in text and formats.tex(neuron.dy_dz) in text
    for grad in neuron.dcost_dw:
        assert formats.tex(-0.1 * grad) in text
    assert formats.tex(-0.1 * neuron.dcost_db) in text


def test_math_of_a_hidden_neuron_sums_over_the_layer_above() -> None:
    network = Network([3, 2, 1], seed=3)
    network.backprop([1, 1, 0], [1.0])
    lines = neuron_math(trace(network, [1, 1, 0], [1.0]), 0, 1, [1.0], 0.5)
    text = "\n".join(line.tex for line in lines)
    assert r"\sum_k" in text
    assert formats.tex(network.layers[0].neurons[1].dcost_dy) in text


def test_diagram_with_a_target_shows_the_gradient_flowing_back_through_every_neuron() -> None:
    network = Network([3, 2, 1], seed=4)
    svg = diagram_svg(trace(network, [1, 0, 1], [1.0]), [1, 0, 1], backward=True)
    network.backprop([1, 0, 1], [1.0])  # the same numbers, stored in the model to compare
    for layer in network.layers:
        for neuron in layer.neurons:
            assert f"∂C/∂z = {formats.fmt(neuron.dcost_dz)}" in svg
            assert neuron.dcost_dz != 0
    hidden = network.layers[0].neurons[1]
    assert f"∂C/∂w = {formats.fmt(hidden.dcost_dw[2])}" in svg
    assert "∂C/∂z" not in diagram_svg(trace(network, [1, 0, 1], None), [1, 0, 1])


def test_drawing_never_changes_the_model() -> None:
    network = Network([3, 2, 1], seed=5)
    network.backprop([0, 1, 1], [0.0])
    before = [
        (n.z, n.y, n.dcost_dz, list(n.dcost_dw), n.parameters())
        for layer in network.layers
        for n in layer.neurons
    ]
    traced = trace(network, [1, 0, 1], [1.0])
    diagram_svg(traced, [1, 0, 1], backward=True)
    neuron_math(traced, 1, 0, [1.0], 0.5)
    after = [
        (n.z, n.y, n.dcost_dz, list(n.dcost_dw), n.parameters())
        for layer in network.layers
        for n in layer.neurons
    ]
    assert after == before


def test_every_activation_of_nn_has_its_math_and_diagram_label() -> None:
    for name, activation in ACTIVATIONS.items():
        network = Network([2, 1], activation=name, seed=1)
        traced = trace(network, [1, 0], [0.5])
        text = "\n".join(line.tex for line in neuron_math(traced, 0, 0, [0.5], 0.1))
        assert activation.tex in text and activation.deriv_tex in text
        assert activation.symbol in diagram_svg(traced, [1, 0], backward=True)


def test_a_diverged_prediction_is_written_short_not_in_154_digits() -> None:
    """Lesson step 6 (lr 10, no sigmoid) once printed -920270096475201515602962055517946…080.00
    and made the page 3,084 px wide: huge values are scientific, inf is "overflow"."""
    huge = -9.2027009647520151e153 / 31
    headline, _ = readouts.prediction_text("value", 5, huge, None)
    assert headline == "-9.20e+153" and float(headline) < 0
    assert formats.compact(5.2849) == "5.28" and formats.compact(-0.5) == "-0.50"
    assert formats.compact(math.inf) == "overflow" and formats.compact(-math.inf) == "-overflow"
    rows = readouts.output_rows("value", 5, [huge, 0.5], [5 / 31, 0.5])
    assert [cells[1][0] for cells in rows] == ["-9.20e+153", "15.50"]
    assert max(len(cell) for cells in rows for cell, _ in cells) <= 12
    assert all(len(formats.fmt(v)) <= 11 for v in (huge, -huge, 1e-300, -math.inf, 12345.678))


def test_the_cost_lines_put_the_examples_numbers_into_the_costs_own_tex() -> None:
    """One output: C's term and ∂C/∂y with y and t filled in; several: the cost's TeX as it is
    (so the value after "=" is C's, never the softmax's y)."""
    from nn import COSTS

    network = Network([5, 1], seed=1)
    x, t = parse_bits("00101"), 5 / 31
    traced = trace(network, x, [t])
    neuron = traced.layers[0].neurons[0]
    text = "\n".join(line.tex for line in neuron_math(traced, 0, 0, [t], 0.1))
    y, target = formats.tex(neuron.y), formats.paren(t)
    assert rf"C = (y - t)^2 = ({y} - {target})^2 = {formats.tex((neuron.y - t) ** 2)}" in text
    assert rf"2\,(y - t) = 2\,({y} - {target}) = {formats.tex(neuron.dcost_dy)}" in text
    classes = Network([3, 3], seed=2, output_activation="linear", cost="softmax-cross-entropy")
    targets = [0.0, 1.0, 0.0]
    traced = trace(classes, [1, 0, 1], targets)
    lines = [line.tex for line in neuron_math(traced, 0, 1, targets, 0.1)]
    cost = classes.cost.fn(traced.layers[-1].y, targets, [n.z for n in traced.layers[-1].neurons])
    assert f"{COSTS['softmax-cross-entropy'].tex} = {formats.tex(cost)}" in lines


def test_the_chart_axis_writes_numbers_as_short_as_the_readouts() -> None:
    """After a divergence the loss axis reaches 1e+307: three significant digits at most."""
    assert [formats.axis_tick(v) for v in (0, 0.25, 1.5, 1e307, 1.23456e-5, -2.5)] == [
        "0",
        "0.25",
        "1.5",
        "1e+307",
        "1.23e−05",
        "−2.5",
    ]
    assert formats.axis_tick(math.inf) == "overflow"
    assert all(len(formats.axis_tick(v)) <= 9 for v in (9.87654321e200, -1e-300, 123456789.0))
    # the epochs: whole numbers grouped as the language groups them (Chart.js's own formatter
    # is not used: its Intl.NumberFormat took ~45 ms to make)
    assert [formats.epoch_tick(v) for v in (0, 1, 1000.0, 25000, 2.5)] == [
        "0",
        "1",
        "1,000",
        "25,000",
        "2.5",
    ]


# --- the outputs table and the class readouts ----------------------------------------------


def test_the_outputs_table_judges_each_number_as_its_task_reads_the_output() -> None:
    """value: right when y·(2^w − 1) rounds to the target's number; custom: within 0.05 of
    the typed target; a 0/1 task: the same side of 0.5. A diverged output judges nothing."""
    t = 5 / 31
    rows = readouts.output_rows("value", 5, [5.49 / 31, 5.51 / 31, math.nan], [t, t, t])
    assert rows[0] == [("0.1771", ""), ("5.49", ""), ("0.161", ""), ("✓", "right")]
    assert rows[1][1:] == [("5.51", ""), ("0.161", ""), ("✗", "wrong")]
    assert rows[2] == [("NaN", ""), ("diverged", ""), ("0.161", ""), ("–", "")]
    custom = readouts.output_rows("custom", 5, [0.26, 0.31], [0.25, 0.25])
    assert [row[1][0] for row in custom] == ["0.260", "0.310"]
    assert [row[3][1] for row in custom] == ["right", "wrong"]
    parity = readouts.output_rows("parity", 3, [0.7, 0.4, 0.5], [1.0, 1.0, 0.0])
    assert [(row[1][0], row[2][0], row[3][1]) for row in parity] == [
        ("1", "1", "right"),
        ("0", "1", "wrong"),
        ("1", "0", "wrong"),  # 0.5 reads as 1
    ]


def test_a_target_is_written_as_its_task_reads_it() -> None:
    assert (
        readouts.target_text("value", 5 / 31) == "0.161"
        and readouts.target_text("parity", 1.0) == "1"
    )
    assert readouts.targets_text("value", [5 / 31]) == "t = 0.161"
    assert readouts.targets_text("ones", [0.0, 0.0, 1.0, 0.0]) == "class 2"


def test_one_output_per_class_names_the_largest_and_judges_it_against_the_target() -> None:
    rows = readouts.class_output_rows(
        [[0.1, 0.7, 0.2], [0.5, math.nan, 0.1], [0.6, 0.3, 0.1]],
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
    )
    assert rows == [
        [("0.700", ""), ("1", ""), ("1", ""), ("✓", "right")],
        [("nan", ""), ("diverged", ""), ("0", ""), ("–", "")],
        [("0.600", ""), ("0", ""), ("2", ""), ("✗", "wrong")],
    ]
    assert readouts.winner([0.2, 0.5, 0.5]) == 1  # a tie goes to the first
    assert readouts.class_prediction([0.1, 0.7, 0.2], [0.0, 0.0, 1.0], True) == (
        "1",
        "class 1: probability 0.700; target class 2",
        [("0", 0.1), ("1", 0.7), ("2", 0.2)],
    )
    assert readouts.class_prediction([0.1, 0.7], None, False)[1] == "class 1: output 0.700"
    assert readouts.class_prediction([0.1, math.inf], None, False) == (
        "diverged",
        "an output is not a finite number",
        [],
    )


def test_the_probability_bars_are_clamped_to_their_track_and_mark_the_winner() -> None:
    html = readouts.probability_bars_html([("0", 0.2), ("1", 1.3), ("2", -0.1)], 1, True)
    assert re.findall(r"width:([\d.]+)%", html) == ["20.0", "100.0", "0.0"]
    assert html.count('class="best"') == 1
    assert '<div class="best" role="listitem" aria-label="class 1: probability 1.300">' in html
    assert 'aria-label="output of each class"' in readouts.probability_bars_html([], None, False)
