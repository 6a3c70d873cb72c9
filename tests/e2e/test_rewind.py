"""Rewind in the page: the history slider under the chart shows the network as it was at a past
epoch (the prediction float for float, the chart's marker, readouts saying it is the past),
the arrow keys step one epoch, Train there continues from it, Back restores what was dropped,
and a reload keeps the history (the autosave). The compact embed's slider: test_embed.py."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import epoch, output, train_and_wait, type_setting

QUERY = "width=5&examples=00101,00011,10000&bits=00101&lr=0.5&epochs=200&layers=3,1&seed=1"


def slide_to(page: Page, value: int) -> None:
    """Drag the slider to ``value`` (a range input takes its value and fires input)."""
    page.get_by_test_id("history").evaluate(
        "(node, value) => { node.value = String(value);"
        " node.dispatchEvent(new Event('input', {bubbles: true})); }",
        value,
    )


def marked_epoch(page: Page):
    return page.evaluate(
        "() => { const data = Chart.getChart(document.getElementById('chart'))"
        ".data.datasets[2].data; return data.length ? data[1].x : null; }"
    )


def test_the_slider_rewinds_exactly_and_training_from_the_past_forks_with_back(lab) -> None:
    page = lab(QUERY)
    slider, shown = page.get_by_test_id("history"), page.get_by_test_id("history-epoch")
    expect(slider).to_be_disabled()  # nothing to look back at yet
    # Fresh runs first, in the page's own Python: the outputs after 0, 50, 51 and 250 epochs.
    fresh = {0: output(page)}
    type_setting(page, "epochs", "50")
    train_and_wait(page)
    fresh[50] = output(page)
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("epoch")).to_have_text("51")
    expect(page.get_by_test_id("train")).to_be_enabled()  # the step's last redraw is done
    fresh[51] = output(page)
    type_setting(page, "epochs", "199")
    train_and_wait(page)
    assert epoch(page) == 250
    fresh[250] = output(page)
    page.get_by_test_id("reset").click()
    assert output(page) == fresh[0] and slider.is_disabled()

    type_setting(page, "epochs", "200")
    train_and_wait(page)
    assert epoch(page) == 200 and slider.get_attribute("max") == "200"
    expect(shown).to_have_text("epoch 200 (latest)")
    latest = output(page)

    slide_to(page, 50)
    expect(shown).to_have_text("epoch 50 (latest: epoch 200)")
    assert output(page) == fresh[50]  # float for float
    assert epoch(page) == 50
    expect(page.get_by_test_id("history-past")).to_contain_text("A past epoch: epoch 50")
    expect(page.get_by_test_id("prediction-past")).to_have_text(" at past epoch 50")
    assert marked_epoch(page) == 50
    page.get_by_test_id("diagram").locator("[data-key='1-0-0']").first.wait_for()

    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(shown).to_have_text("epoch 51 (latest: epoch 200)")
    assert output(page) == fresh[51]
    page.keyboard.press("ArrowLeft")
    expect(shown).to_have_text("epoch 50 (latest: epoch 200)")
    page.keyboard.press("End")
    expect(shown).to_have_text("epoch 200 (latest)")
    assert output(page) == latest and marked_epoch(page) is None
    expect(page.get_by_test_id("history-past")).to_be_hidden()
    page.keyboard.press("Home")
    expect(shown).to_have_text("epoch 0 (latest: epoch 200)")
    assert output(page) == fresh[0]

    slide_to(page, 50)
    expect(page.get_by_test_id("history-back")).to_be_hidden()
    train_and_wait(page)  # from epoch 50: 200 more
    assert epoch(page) == 250 and slider.get_attribute("max") == "250"
    assert output(page) == fresh[250]  # k + n epochs is k+n epochs, bit for bit
    expect(page.get_by_test_id("history-note")).to_contain_text("Continued from epoch 50")
    page.get_by_test_id("history-back").click()
    expect(shown).to_have_text("epoch 50 (latest: epoch 200)")
    assert epoch(page) == 50 and slider.get_attribute("max") == "200"
    page.reload()  # the autosave keeps the history (it fits), and the epoch shown
    page.wait_for_selector("html[data-ready='true']")
    expect(shown).to_have_text("epoch 50 (latest: epoch 200)")
    assert output(page) == fresh[50]
    slide_to(page, 200)
    assert output(page) == latest
