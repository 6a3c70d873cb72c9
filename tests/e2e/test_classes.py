"""Beyond one output: a softmax network counts the ones of a number, the confusion
matrix fills its diagonal as it learns, the prediction names the winning class with every
probability, and the controls for cost, L2, label noise and k refuse what does not fit."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import output, train_and_wait, type_setting

CELLS = '[data-testid="confusion-cell"][data-set="train"]'
OUTPUT_NEURONS = '[data-testid="diagram"] [data-key^="1-"][data-key$="-b"]'


def confusion(page: Page) -> dict[tuple[int, int], int]:
    """The training set's matrix as {(actual, predicted): count}."""
    cells = page.locator(CELLS)
    return {
        (int(cell.get_attribute("data-actual")), int(cell.get_attribute("data-predicted"))): int(
            cell.get_attribute("data-count")
        )
        for cell in cells.all()
    }


def test_count_ones_learns_every_class_and_the_matrix_shows_it(lab) -> None:
    """The preset: 4 bits, all 16 numbers, a 4-8-5 network, softmax cross-entropy, seed 1,
    learning rate 0.5, batch 1, 200 epochs. Under CPython, with the page's shuffle
    (random.Random("shuffle-1")), it classifies all 16 right after 200 epochs."""
    page = lab("preset=count-ones")
    expect(page.get_by_test_id("model-kind")).to_have_text("Network 4-8-5")
    expect(page.get_by_test_id("cost")).to_have_value("softmax-cross-entropy")
    expect(page.get_by_test_id("layer-sizes")).to_contain_text("5 neurons, one per class")
    expect(page.locator(OUTPUT_NEURONS)).to_have_count(5)
    expect(page.get_by_test_id("confusion")).to_be_visible()
    expect(page.locator(CELLS)).to_have_count(25)
    before = confusion(page)
    assert sum(before.values()) == 16
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    expect(page.get_by_test_id("accuracy")).to_have_text("100%")
    after = confusion(page)
    sizes = {0: 1, 1: 4, 2: 6, 3: 4, 4: 1}  # how many 4-bit numbers have c ones
    assert after == {(a, p): sizes[a] if a == p else 0 for a in range(5) for p in range(5)}
    for cls in range(5):
        accuracy = page.locator(
            f'[data-testid="class-accuracy"][data-set="train"][data-class="{cls}"]'
        )
        expect(accuracy).to_have_text("100%")
    # 0101 has two ones: the winning class is 2, and the five probabilities add up to 1
    assert output(page) == "2"
    outputs = json.loads(page.get_by_test_id("prediction").get_attribute("data-outputs") or "")
    assert len(outputs) == 5 and abs(sum(outputs) - 1) < 1e-9 and max(outputs) == outputs[2]
    expect(page.get_by_test_id("prediction-detail")).to_contain_text("target class 2")
    expect(page.get_by_test_id("math")).to_contain_text("learns faster")
    # a screen reader reads it as a table with a caption and headers
    table = page.locator('[data-testid="confusion"] table').first
    expect(table.locator("caption")).to_have_text("Training set")
    expect(table.locator('th[scope="row"]')).to_have_count(5)
    # the new views pass axe, and fit a phone's width
    from tests.e2e.pagehelpers import PHONE, assert_no_horizontal_scroll, axe_violations

    serious = [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.set_viewport_size(PHONE)
    try:  # the chart follows a new width on its next resize observation
        page.wait_for_function(f"document.documentElement.scrollWidth <= {PHONE['width']}")
    finally:
        assert_no_horizontal_scroll(page, PHONE["width"])


def test_cost_l2_noise_and_k_are_set_and_refused_beside_their_fields(lab) -> None:
    page = lab("width=4&bits=0110&task=odd&examples=all&layers=3,1")
    # k only shows for the mod task; choosing it gives one output per class and softmax
    expect(page.get_by_test_id("k")).to_be_hidden()
    page.get_by_test_id("task").select_option("mod")
    expect(page.get_by_test_id("k")).to_be_visible()
    expect(page.get_by_test_id("train-status")).to_contain_text("3 neurons, one per class")
    expect(page.get_by_test_id("cost")).to_have_value("softmax-cross-entropy")
    type_setting(page, "k", "5")
    expect(page.get_by_test_id("model-kind")).to_have_text("Network 4-3-5")
    type_setting(page, "k", "9")
    expect(page.get_by_test_id("k")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("error")).to_contain_text("from 2 to 8")
    expect(page.get_by_test_id("model-kind")).to_have_text("Network 4-3-5")
    type_setting(page, "k", "5")
    # cross-entropy is for one sigmoid output: refused, the cost stays what it was
    page.get_by_test_id("cost").select_option("cross-entropy")
    expect(page.get_by_test_id("error")).to_contain_text(
        "choose squared error (the notebook) or softmax cross-entropy (one output per class)"
    )
    expect(page.get_by_test_id("cost")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("layer-sizes")).to_contain_text("(softmax)")  # still in use
    page.get_by_test_id("cost").select_option("softmax-cross-entropy")
    expect(page.get_by_test_id("cost")).not_to_have_attribute("aria-invalid", "true")
    # L2: a number from 0 to 1; the math then shows the decay term
    type_setting(page, "l2", "2")
    expect(page.get_by_test_id("l2")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("error")).to_contain_text("from 0 to 1")
    type_setting(page, "l2", "0.01")
    expect(page.get_by_test_id("l2")).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("math")).to_contain_text("weight decay")
    # label noise: a fraction up to one half, in the link, and kept after a reload
    type_setting(page, "noise", "0.25")
    expect(page.get_by_test_id("noise")).to_have_value("0.25")
    page.wait_for_function("location.search.includes('noise=0.25')")
    assert "l2=0.01" in page.evaluate("location.search")
    page.reload()
    page.wait_for_selector('html[data-ready="true"]')
    expect(page.get_by_test_id("noise")).to_have_value("0.25")
    expect(page.get_by_test_id("k")).to_have_value("5")
