"""Training one neuron in the page: typing the notebook's example, stepping with the math shown,
a live run that answers clicks and pauses, a held-out set with its chart and table, and a run
that diverges. What the run learns is tested under CPython (tests/unit/test_controller.py,
test_training.py); here, that the page shows it and stays responsive."""

from __future__ import annotations

import math

import pytest
from core.formats import axis_tick
from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import (
    PHONE,
    epoch,
    open_dataset_tools,
    output,
    train_and_wait,
    type_setting,
)


def test_the_notebook_s_neuron_typed_by_hand_trains_to_about_five(lab) -> None:
    """Ready with its controls on; the keyboard reaches the width; the number is typed and
    flipped bit by bit (click, Enter, Space); added; trained to read back about 5; the link
    follows the settings."""
    page = lab("lr=0.5&epochs=50&seed=7")  # not the notebook's: the typing must count
    expect(page.get_by_test_id("train")).to_be_enabled()
    expect(page.get_by_test_id("width")).to_be_enabled()
    expect(page.get_by_test_id("loading")).to_be_hidden()
    expect(page.get_by_test_id("error")).to_have_text("")
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "width":
            break
    else:
        pytest.fail("Tab from the top never reached the width field")
    type_setting(page, "width", "5")
    bits, decimal = page.get_by_test_id("bits"), page.get_by_test_id("bits-decimal")
    detail = page.get_by_test_id("prediction-detail")
    expect(bits).to_have_value("00101")  # 5 kept in 5 bits
    # The bit toggles: one button per bit, each flips its bit by click, Enter or Space.
    toggle = page.get_by_test_id("bit-2")
    expect(page.locator("#bit-toggles button")).to_have_count(5)
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(detail).to_have_text("target 5")
    toggle.click()
    expect(bits).to_have_value("00001")
    expect(decimal).to_have_text("= 1")
    expect(detail).to_have_text("target 1")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle).to_have_text("0")
    page.get_by_test_id("bit-4").click()
    expect(bits).to_have_value("00000")
    expect(detail).to_have_text("target 0")
    assert toggle.evaluate("node => node.tagName") == "BUTTON"
    toggle.focus()
    page.keyboard.press("Enter")
    expect(bits).to_have_value("00100")
    expect(decimal).to_have_text("= 4")
    page.get_by_test_id("bit-4").focus()
    page.keyboard.press("Space")
    expect(bits).to_have_value("00101")
    type_setting(page, "bits", "00000")  # typed too: the typing must count
    type_setting(page, "bits", "00101")
    expect(decimal).to_have_text("= 5")
    page.get_by_test_id("add-example").click()
    expect(page.get_by_test_id("example")).to_have_count(1)
    expect(page.get_by_test_id("example")).to_have_attribute("data-bits", "00101")
    expect(page.get_by_test_id("train-count")).to_have_text("1")
    type_setting(page, "learning-rate", "0.1")
    type_setting(page, "epochs", "200")
    type_setting(page, "seed", "1")
    page.wait_for_function("!location.search.includes('lr=0.5')")  # the link follows: default
    assert "examples=00101" in page.url and "width=5" in page.url and "seed=7" not in page.url
    train_and_wait(page)
    expect(page.get_by_test_id("error")).to_have_text("")
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    value = float(page.get_by_test_id("prediction").text_content() or "")
    assert abs(value - 5) <= 1, value
    assert abs(float(output(page)) * 31 - value) < 0.01
    expect(detail).to_have_text("target 5")
    loss = float((page.get_by_test_id("loss").text_content() or "").replace("−", "-"))
    assert 0 <= loss < 0.01


def test_a_step_shows_its_math_and_reset_draws_the_seed_s_weights_again(lab, page: Page) -> None:
    """On a phone, Step one example moves the output and writes its math (which wraps, and says
    which values it shows), Step trains one epoch, Reset goes back to the seed's weights. At
    1280 × 900 the notebook's chart sits above the fold beside the diagram."""
    page.set_viewport_size(PHONE)
    page = lab("width=8&examples=00000101&bits=00000101&lr=0.1&epochs=200&seed=1")
    math_panel, which = page.get_by_test_id("math"), page.get_by_test_id("math-which")
    assert math_panel.evaluate("node => node.scrollWidth - node.clientWidth") <= 1
    initial = output(page)
    page.get_by_test_id("step-example").click()
    expect(page.get_by_test_id("prediction")).not_to_have_attribute("data-output", initial)
    expect(page.get_by_test_id("steps")).to_have_text("1")
    expect(which).to_contain_text("step")
    expect(which).to_contain_text("values from before it")
    expect(which).to_contain_text("the diagram shows the weights after")
    expect(math_panel).to_contain_text("Δ")
    expect(math_panel).to_contain_text(r"\Delta w")
    assert math_panel.evaluate("node => node.scrollWidth - node.clientWidth") <= 1
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    stepped = output(page)
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("epoch")).to_have_text("1")
    expect(page.get_by_test_id("prediction")).not_to_have_attribute("data-output", stepped)
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("epoch")).to_have_text("2")
    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    expect(page.get_by_test_id("prediction")).to_have_attribute("data-output", initial)
    expect(page.get_by_test_id("error")).to_have_text("")
    # The notebook's 5 bits at 1280 × 900: the chart above the fold, beside the diagram.
    type_setting(page, "width", "5")
    expect(page.get_by_test_id("bits")).to_have_value("00101")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("window.scrollTo(0, 0)")
    box = page.get_by_test_id("chart").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 900, box


def wait_for_epoch_change(page: Page, before: int) -> int:
    page.wait_for_function(
        "(before) => +document.querySelector('[data-testid=\"epoch\"]').textContent !== before",
        arg=before,
    )
    return epoch(page)


def test_a_run_shows_progress_answers_clicks_pauses_resumes_and_stops_when_emptied(lab) -> None:
    """Training runs in slices: the epoch moves on, a bit flips and the log scale switches
    during the run, Pause stops it where it is, Resume goes on from there, and clearing both
    sets during a run stops it with the plain message, never an internal one."""
    page = lab("width=8&examples=all&epochs=100000&lr=0.1")
    train, pause = page.get_by_test_id("train"), page.get_by_test_id("pause")
    status = page.get_by_test_id("train-status")
    # The run begins in the click's own task (app.start_task): Train is disabled and the
    # status says so when the click returns, not after the browser's next frame.
    disabled, said = page.evaluate(
        """() => {
            const train = document.querySelector('[data-testid="train"]');
            train.click();
            const status = document.querySelector('[data-testid="train-status"]');
            return [train.disabled, status.textContent];
        }"""
    )
    assert disabled
    assert "Training: epoch" in said
    expect(pause).to_be_enabled()
    first = wait_for_epoch_change(page, 0)
    page.get_by_test_id("bit-0").click()
    expect(page.get_by_test_id("bits")).to_have_value("10000101")
    expect(page.get_by_test_id("bits-decimal")).to_have_text("= 133")
    page.get_by_test_id("log-scale").check()
    expect(page.get_by_test_id("log-scale")).to_be_checked()
    assert "log=1" in page.evaluate("location.search")
    expect(train).to_be_disabled()  # still training, and the epoch moves on
    second = wait_for_epoch_change(page, epoch(page))
    assert 0 < first < second
    pause.click()
    expect(train).to_be_enabled()
    expect(pause).to_be_disabled()
    expect(train).to_have_text("Resume")
    paused = epoch(page)
    assert second <= paused < 100000
    expect(status).to_have_text(f"Paused at epoch {paused}.")
    page.get_by_test_id("bit-0").click()  # a round trip through Python
    expect(page.get_by_test_id("bits-decimal")).to_have_text("= 5")
    assert epoch(page) == paused
    train.click()  # Resume: on from the paused epoch
    expect(train).to_be_disabled()
    assert wait_for_epoch_change(page, paused) > paused
    open_dataset_tools(page)
    page.get_by_test_id("clear-examples").click()
    expect(train).to_be_enabled()
    expect(page.get_by_test_id("train-count")).to_have_text("0")
    assert "expected 1 or more" not in (page.get_by_test_id("error").text_content() or "")
    train.click()
    expect(page.get_by_test_id("error")).to_have_text(
        "Add at least one example to the training set before training."
    )


CHART_JS = "() => Chart.getChart(document.querySelector('[data-testid=\"chart\"]'))"


def test_a_held_out_set_is_measured_charted_and_tabled_and_watch_draws_every_epoch(lab) -> None:
    """odd, 4 bits, six numbers, lr 1, 300 epochs, seed 1: 100% on the held-out 0101 and 1010
    (as under CPython). The chart holds both losses and switches to a log scale and back; at
    watch speed every epoch is drawn; the outputs table lists both sets."""
    page = lab(
        "width=4&task=odd&examples=0001,0010,0011,0100,0111,1000&test=0101,1010"
        "&lr=1&epochs=300&seed=1"
    )
    expect(page.get_by_test_id("test-example")).to_have_count(2)
    expect(page.get_by_test_id("train-count")).to_have_text("6")
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("300")
    expect(page.get_by_test_id("accuracy")).to_have_text("100%")
    expect(page.get_by_test_id("test-accuracy")).to_have_text("100%")
    # 300 training and 300 test losses, and no past-epoch marker (the history's).
    scale = f"({CHART_JS})().options.scales.y.type"
    assert page.evaluate(scale) == "linear"
    lengths = f"({CHART_JS})().data.datasets.map((d) => d.data.length)"
    assert page.evaluate(lengths) == [300, 300, 0]
    # the axes and the tooltip write numbers as the lab does (chart.py), not as Chart.js would
    # (its Intl.NumberFormat: "0.012" where the lab writes three significant digits)
    last_loss = page.evaluate(f"({CHART_JS})().data.datasets[0].data[299].y")
    assert last_loss < 0.1  # so that the two ways of writing it differ
    tooltip = page.evaluate(
        f"""() => {{
            const chart = ({CHART_JS})();
            chart.tooltip.setActiveElements([{{ datasetIndex: 0, index: 299 }}], {{ x: 0, y: 0 }});
            chart.update("none");
            return [chart.tooltip.title, chart.tooltip.body.map((b) => b.lines).flat()];
        }}"""
    )
    assert tooltip == [["300"], [f"training loss: {axis_tick(last_loss)}"]]
    ticks = page.evaluate(f"({CHART_JS})().scales.x.ticks.map((tick) => tick.label)")
    assert ticks and all(label.isdigit() for label in ticks), ticks
    log = page.get_by_test_id("log-scale")
    log.check()
    page.wait_for_function(f"{scale} === 'logarithmic'")
    assert "log=1" in page.evaluate("location.search")
    log.uncheck()
    page.wait_for_function(f"{scale} === 'linear'")
    # Watch: every epoch on screen.
    page.get_by_test_id("speed").select_option("watch")
    type_setting(page, "epochs", "30")
    page.evaluate(
        """() => {
            window.seen = new Set();
            const node = document.querySelector('[data-testid="epoch"]');
            new MutationObserver(() => window.seen.add(node.textContent))
                .observe(node, {childList: true, characterData: true, subtree: true});
        }"""
    )
    train_and_wait(page)
    assert epoch(page) == 330
    assert page.evaluate("window.seen.size") >= 25  # (almost) every epoch was on screen
    assert "speed=watch" in page.url
    rows = page.get_by_test_id("outputs").locator("tbody tr")
    expect(rows).to_have_count(8)
    expect(rows.filter(has_text="test")).to_have_count(2)
    first = rows.nth(0)  # 0001: odd, target 1
    expect(first).to_contain_text("0001")
    expect(first.locator("td").nth(4)).to_have_text("1")
    assert first.locator("td.right, td.wrong").count() == 1
    expect(page.get_by_test_id("error")).to_have_text("")


def test_a_diverging_run_stops_keeps_finite_weights_and_its_hint_recovers(lab) -> None:
    """relu, no output activation, lr 10 on every 3-bit number: the loss overflows at epoch 14
    (the same procedure in CPython): the run says so and keeps epoch 13's weights; one more
    epoch is refused; the hint's smaller rate, followed, trains without diverging."""
    page = lab("layers=4,1&activation=relu&activate=0&lr=10&examples=all&width=3&epochs=200")
    page.get_by_test_id("train").click()
    error = page.get_by_test_id("error")
    expect(error).to_contain_text("infinite or NaN")
    expect(page.get_by_test_id("train")).to_be_enabled()
    stopped = epoch(page)
    assert stopped == 13
    expect(error).to_contain_text(f"Training diverged at epoch {stopped + 1}:")
    expect(error).to_contain_text("learning rate 10")
    assert math.isfinite(float(output(page)))
    loss = (page.get_by_test_id("loss").text_content() or "").replace("−", "-")
    assert math.isfinite(float(loss)), loss
    weights = page.locator('[data-testid="diagram"] [data-key]').evaluate_all(
        "nodes => nodes.map((n) => n.getAttribute('aria-label'))"
    )
    assert weights and not [w for w in weights if "NaN" in w or "overflow" in w], weights
    before = output(page)
    page.get_by_test_id("step").click()
    expect(error).to_contain_text(f"Training diverged at epoch {stopped + 1}:")
    assert epoch(page) == stopped and output(page) == before
    for _ in range(3):  # each click takes a ten times smaller rate, as the button says
        apply = page.get_by_test_id("hint-apply")
        label = apply.text_content() or ""
        rate = label.split("learning rate ")[1].split(",")[0]
        apply.click()
        expect(page.get_by_test_id("learning-rate")).to_have_value(rate)
        expect(page.get_by_test_id("epoch")).to_have_text("0")
        train_and_wait(page)
        if not error.text_content():
            break
    expect(error).to_have_text("")
    expect(page.get_by_test_id("epoch")).to_have_text("200")
