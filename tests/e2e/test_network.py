"""Networks in the page: a hidden layer learns what one neuron can't, layers are added,
resized and removed, an activation is chosen per layer, hidden weights are edited, and the math
of a hidden neuron sums over the layer above."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import output, train_and_wait, type_setting, visit

EDGES = '[data-testid="diagram"] [data-key]:not([data-key$="-b"])'
NEURONS = '[data-testid="diagram"] [data-key$="-b"]'


def accuracy(page: Page) -> int:
    text = page.get_by_test_id("accuracy").text_content() or ""
    assert re.fullmatch(r"\d+%", text), text
    return int(text[:-1])


def test_one_neuron_stuck_on_parity_follows_the_hint_to_a_hidden_layer_that_learns_it(lab):
    """One neuron on 3-bit parity stays at chance, and the hint says why; its button loads the
    parity3 preset (3 bits, all 8 numbers, 3-4-1, lr 1, seed 2, 1000 epochs), which classifies
    all 8 right, as nn does under CPython (tests/unit/test_training.py, test_settings.py);
    removing the layer takes it back to one neuron, at chance again."""
    page = lab("width=3&examples=all&task=parity&epochs=300&lr=1")
    train_and_wait(page)
    assert accuracy(page) <= 75
    hint = page.get_by_test_id("hint")
    expect(hint).to_contain_text("no line separates odd from even")
    apply = page.get_by_test_id("hint-apply")
    expect(apply).to_have_text("Try: 3 bits, a 3-4-1 network, learning rate 1")
    apply.click()
    expect(page.get_by_test_id("model-kind")).to_have_text("Network 3-4-1")
    expect(page.get_by_test_id("train-count")).to_have_text("8")
    expect(page.get_by_test_id("epochs")).to_have_value("1000")
    expect(page.get_by_test_id("seed")).to_have_value("2")
    train_and_wait(page)
    expect(page.get_by_test_id("error")).to_have_text("")
    expect(page.get_by_test_id("epoch")).to_have_text("1000")
    assert accuracy(page) == 100
    expect(hint).to_be_hidden()
    page.get_by_test_id("remove-layer").click()
    expect(page.get_by_test_id("model-kind")).to_have_text("One neuron")
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("1000")
    assert accuracy(page) <= 75


TEX_JS = """() => [...document.querySelectorAll(
    '[data-testid="math"] annotation[encoding="application/x-tex"]')].map((a) => a.textContent)"""


def tex_number(text: str) -> float:
    """A number as views.tex writes it: -0.1234, or 1.234\\times 10^{-4}."""
    match = re.fullmatch(r"\s*(-?[0-9.]+)(?:\\times 10\^\{(-?\d+)\})?\s*", text)
    assert match, text
    return float(match[1]) * 10 ** int(match[2] or 0)


def math_value(lines: list[str], start: str) -> float:
    """The value after the last "=" of the first TeX line that starts with ``start``."""
    line = next(line for line in lines if line.startswith(start))
    return tex_number(line.rsplit("=", 1)[1])


def test_layers_are_added_explained_edited_and_removed(lab) -> None:
    """A hidden layer added to one neuron, its activation chosen per layer (and back: the very
    same network), the math of a hidden neuron summing dC/dy over the layer above (and none for
    a number without a target), a hidden weight edited by keyboard, an editor left open closed
    when its network is replaced, and layers resized, added to the most and removed."""
    page = lab("width=3&bits=101&task=parity&examples=all&seed=1")
    kind, edges = page.get_by_test_id("model-kind"), page.locator(EDGES)
    add, remove = page.get_by_test_id("add-layer"), page.get_by_test_id("remove-layer")
    diagram = page.get_by_test_id("diagram")
    expect(kind).to_have_text("One neuron")
    expect(edges).to_have_count(3)
    expect(remove).to_be_disabled()
    add.click()
    expect(kind).to_have_text("Network 3-4-1")
    expect(edges).to_have_count(3 * 4 + 4)
    expect(page.locator(NEURONS)).to_have_count(5)
    expect(page.get_by_test_id("layer-size-0")).to_have_value("4")
    expect(remove).to_be_enabled()
    assert "layers=4,1" in page.evaluate("location.search")

    # The activation, per layer.
    before = output(page)
    first_hidden, out = diagram.locator('[data-key="0-0-b"]'), diagram.locator('[data-key="1-0-b"]')
    expect(first_hidden).to_have_attribute("aria-label", re.compile(r"activation: sigmoid"))
    page.get_by_test_id("layer-activation-0").select_option("relu")
    expect(first_hidden).to_have_attribute("aria-label", re.compile(r"activation: relu"))
    expect(out).to_have_attribute("aria-label", re.compile(r"activation: sigmoid"))
    expect(page.get_by_test_id("prediction")).not_to_have_attribute("data-output", before)
    expect(page.get_by_test_id("layer-activation-0")).to_have_value("relu")
    assert "activations=relu,sigmoid" in page.evaluate("location.search")
    page.get_by_test_id("layer-activation-0").select_option("sigmoid")
    expect(page.get_by_test_id("prediction")).to_have_attribute("data-output", before)

    # The math of a hidden neuron: dC/dy sums over the layer above.
    out.click()
    expect(page.get_by_test_id("math-which")).to_contain_text("the output neuron")
    dc_dz_out = math_value(page.evaluate(TEX_JS), r"\partial C/\partial z")
    weight = diagram.locator('[data-key="1-0-1"]').get_attribute("aria-label")
    match = re.match(r"w₁,₂ \(layer 2\) = (−?[0-9.]+),", weight or "")
    assert match, weight
    w_out = float(match[1].replace("−", "-"))
    diagram.locator('[data-key="0-1-b"]').click()
    expect(page.get_by_test_id("math-which")).to_contain_text("neuron 2 of hidden layer 1")
    math_panel = page.get_by_test_id("math")
    expect(math_panel).to_contain_text("k runs over the neurons of layer 2")
    lines = page.evaluate(TEX_JS)
    dc_dy = next(line for line in lines if line.startswith(r"\partial C/\partial y"))
    assert r"\sum_k" in dc_dy, dc_dy
    # One neuron above: dC/dy of hidden neuron 2 = (dC/dz of the output) · w₁,₂.
    assert math_value(lines, r"\partial C/\partial y") == pytest.approx(
        dc_dz_out * w_out, rel=2e-3, abs=2e-4
    )
    # A number without a target has no cost: no gradient is shown, not a stale one.
    page.get_by_test_id("task").select_option("custom")  # each example keeps its target
    page.locator('[data-testid="example"][data-bits="101"] [data-testid="remove-example"]').click()
    expect(page.get_by_test_id("train-count")).to_have_text("7")
    expect(page.get_by_test_id("math-which")).to_contain_text("neuron 2 of hidden layer 1")
    expect(math_panel).to_contain_text("no target")
    assert not [line for line in page.evaluate(TEX_JS) if line.startswith(r"\partial")]

    # A hidden weight, by keyboard: from x₁ (= 1 in 101) to neuron 3 of the hidden layer.
    before = output(page)
    hidden = diagram.locator('[data-key="0-2-b"]')
    hidden_before = hidden.get_attribute("aria-label")
    edge = diagram.locator('[data-key="0-2-0"]')
    edge.focus()
    expect(page.get_by_test_id("diagram-info")).to_contain_text("w₃,₁ (layer 1)")
    edge.press("Enter")
    expect(page.get_by_test_id("weight-editor")).to_be_visible()
    expect(page.locator("#weight-label")).to_contain_text("w₃,₁ (layer 1)")
    page.get_by_test_id("weight-input").fill("5")
    page.get_by_test_id("weight-apply").click()
    expect(page.get_by_test_id("weight-editor")).to_be_hidden()
    expect(page.get_by_test_id("prediction")).not_to_have_attribute("data-output", before)
    expect(edge).to_have_attribute("aria-label", re.compile(r"^w₃,₁ \(layer 1\) = 5\.0000,"))
    assert hidden.get_attribute("aria-label") != hidden_before  # its y moved
    # An editor left open closes when its network is replaced.
    diagram.locator('[data-key="1-0-1"]').press("Enter")
    expect(page.get_by_test_id("weight-editor")).to_be_visible()
    remove.click()
    expect(kind).to_have_text("One neuron")
    expect(page.get_by_test_id("weight-editor")).to_be_hidden()

    # Sizes, and the most layers there can be.
    add.click()
    expect(kind).to_have_text("Network 3-4-1")
    type_setting(page, "layer-size-0", "2")
    expect(kind).to_have_text("Network 3-2-1")
    expect(edges).to_have_count(3 * 2 + 2)
    expect(page.locator(NEURONS)).to_have_count(3)
    for _ in range(3):
        add.click()
    expect(kind).to_have_text("Network 3-2-4-4-4-1")
    expect(edges).to_have_count(3 * 2 + 2 * 4 + 4 * 4 + 4 * 4 + 4)
    expect(add).to_be_disabled()  # 4 hidden layers at most
    expect(page.get_by_test_id("layer-size-3")).to_have_value("4")
    remove.click()
    expect(kind).to_have_text("Network 3-2-4-4-1")
    expect(add).to_be_enabled()
    for _ in range(3):
        remove.click()
    expect(kind).to_have_text("One neuron")
    expect(edges).to_have_count(3)
    expect(remove).to_be_disabled()
    expect(page.get_by_test_id("layer-size-0")).to_have_count(0)
    expect(page.get_by_test_id("error")).to_have_text("")


def test_a_big_network_after_a_change_is_drawn_whole_and_saved(lab) -> None:
    """8-16-16-1 has 433 parameters: after a change its view is drawn a turn's worth at once and
    the rest in later turns of the browser (``redraw.redraw_after_change``), and the autosave
    is written in a task of its own (``storage.save(later=True)``). Two changes in one task of
    the browser: the view and the autosave end at the second; a new seed redraws the diagram
    and the outputs; the page opened again without a link comes back from the autosave."""
    page = lab("width=8&bits=00000101&examples=all&layers=16,16,1&seed=1")
    math_panel, rows = page.get_by_test_id("math"), page.locator("#outputs-body tr")
    expect(math_panel).to_contain_text(r"= -0.1000 \cdot")
    rows_before, output_before = rows.all_text_contents(), output(page)
    page.get_by_test_id("learning-rate").evaluate(
        """field => { for (const value of ["0.5", "0.25"]) {
            field.value = value; field.dispatchEvent(new Event("change")); } }"""
    )
    expect(math_panel).to_contain_text(r"= -0.2500 \cdot")
    expect(math_panel).not_to_contain_text(r"= -0.5000 \cdot")
    type_setting(page, "seed", "2")
    expect(page.get_by_test_id("prediction")).not_to_have_attribute("data-output", output_before)
    expect(rows).not_to_have_text(rows_before)
    page.wait_for_function(
        """() => { const saved = JSON.parse(localStorage.getItem("nn-lab:v1") || "{}").settings;
            return saved && saved.lr === "0.25" && saved.seed === "2"; }"""
    )
    visit(page, page.url.split("?")[0])  # no link: the autosave
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.25")
    expect(page.get_by_test_id("seed")).to_have_value("2")
    expect(math_panel).to_contain_text(r"= -0.2500 \cdot")
