"""Classroom polish, walked as a first-time lecturer and student would: refused
fields stay refused, advice works when followed, training can be watched, the math and the
diagram read well, messages say what is happening, and As Python replays the run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import NOTEBOOK, epoch, output, train_and_wait

ROOT = Path(__file__).resolve().parents[2]


def test_a_refused_field_keeps_its_text_and_message_and_train_refuses_naming_it(lab) -> None:
    page = lab(NOTEBOOK)
    rate = page.get_by_test_id("learning-rate")
    rate.fill("0,5")
    rate.press("Tab")
    expect(rate).to_have_attribute("aria-invalid", "true")
    expect(rate).to_have_attribute("aria-describedby", "learning-rate-error")
    beside = page.get_by_test_id("learning-rate-error")
    expect(beside).to_contain_text("learning rate must be a number")
    page.get_by_test_id("train").click()
    expect(page.get_by_test_id("error")).to_contain_text("“Learning rate η” holds '0,5'")
    expect(rate).to_have_value("0,5")  # never silently replaced
    expect(beside).to_be_visible()
    assert epoch(page) == 0
    # With the focus still in a field, Train refuses too: leaving it rejects the text first.
    epochs = page.get_by_test_id("epochs")
    epochs.fill("2.5")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("error")).to_contain_text("holds")
    assert epoch(page) == 0
    expect(epochs).to_have_attribute("aria-invalid", "true")
    epochs.press("Escape")  # put back the value in use
    expect(epochs).to_have_value("200")
    expect(page.get_by_test_id("epochs-error")).to_have_count(0)
    rate.fill("0.5")
    rate.press("Tab")
    expect(beside).to_have_count(0)
    expect(rate).not_to_have_attribute("aria-invalid", "true")
    train_and_wait(page)
    assert epoch(page) == 200 and "lr=0.5" in page.url


def test_following_the_parity_hint_learns_parity(lab) -> None:
    page = lab("width=3&examples=all&task=parity&epochs=300&lr=1")
    train_and_wait(page)
    hint = page.get_by_test_id("hint")
    expect(hint).to_contain_text("no line separates odd from even")
    apply = page.get_by_test_id("hint-apply")
    expect(apply).to_have_text("Try: 3 bits, a 3-4-1 network, learning rate 1")
    apply.click()
    expect(page.get_by_test_id("model-kind")).to_have_text("Network 3-4-1")
    train_and_wait(page)
    expect(page.get_by_test_id("accuracy")).to_have_text("100%")
    expect(hint).to_be_hidden()


def test_at_5_bits_the_parity_hint_says_plainly_that_it_stays_hard(lab) -> None:
    page = lab("width=5&examples=all&task=parity&epochs=20")
    train_and_wait(page)
    expect(page.get_by_test_id("hint")).to_contain_text("At 5 bits parity stays hard")
    page.get_by_test_id("hint-apply").click()
    expect(page.get_by_test_id("width")).to_have_value("3")


def test_following_the_divergence_hint_trains_without_diverging(lab) -> None:
    page = lab("width=4&examples=all&activation=linear&lr=10&epochs=50")
    train_and_wait(page)
    expect(page.get_by_test_id("error")).to_contain_text("Training diverged at epoch")
    for _ in range(3):  # each click takes a ten times smaller rate, as the button says
        apply = page.get_by_test_id("hint-apply")
        label = apply.text_content() or ""
        rate = re.search(r"learning rate (\S+),", label).group(1)
        apply.click()
        expect(page.get_by_test_id("learning-rate")).to_have_value(rate)
        train_and_wait(page)
        if not page.get_by_test_id("error").text_content():
            break
    expect(page.get_by_test_id("error")).to_have_text("")
    expect(page.get_by_test_id("epoch")).to_have_text("50")


def test_watch_speed_draws_every_epoch_and_the_table_shows_what_was_learned(lab) -> None:
    page = lab("width=3&examples=000,001,010,011,100&test=101,110,111&task=odd&epochs=30&lr=1")
    page.get_by_test_id("speed").select_option("watch")
    page.evaluate(
        """() => {
            window.seen = new Set();
            const node = document.querySelector('[data-testid="epoch"]');
            new MutationObserver(() => window.seen.add(node.textContent))
                .observe(node, {childList: true, characterData: true, subtree: true});
        }"""
    )
    train_and_wait(page)
    assert epoch(page) == 30
    assert page.evaluate("window.seen.size") >= 25  # (almost) every epoch was on screen
    rows = page.get_by_test_id("outputs").locator("tbody tr")
    expect(rows).to_have_count(8)
    expect(rows.filter(has_text="test")).to_have_count(3)
    first = rows.nth(1)  # 001: odd, target 1
    expect(first).to_contain_text("001")
    expect(first.locator("td").nth(4)).to_have_text("1")
    assert first.locator("td.right, td.wrong").count() == 1
    assert "speed=watch" in page.url


def test_the_chart_sits_above_the_fold_beside_the_diagram(lab, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page = lab(NOTEBOOK)
    box = page.get_by_test_id("chart").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 900


def test_the_math_wraps_at_phone_width_and_a_step_is_labelled_and_counted(lab, page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page = lab("width=8&examples=00000101&bits=00000101")
    math = page.get_by_test_id("math")
    overflow = math.evaluate("node => node.scrollWidth - node.clientWidth")
    assert overflow <= 1, overflow
    page.get_by_test_id("step-example").click()
    expect(page.get_by_test_id("steps")).to_have_text("1")
    expect(page.get_by_test_id("math-which")).to_contain_text("values from before it")
    expect(page.get_by_test_id("math-which")).to_contain_text("the diagram shows the weights after")
    assert math.evaluate("node => node.scrollWidth - node.clientWidth") <= 1


def test_editing_a_weight_by_keyboard_returns_focus_and_says_the_new_value(lab) -> None:
    page = lab(NOTEBOOK)
    edge = page.locator('[data-testid="diagram"] [data-key="0-0-2"]')
    edge.dispatch_event("click")  # a click (or a tap) shows the weight's value at once
    expect(page.get_by_test_id("diagram-info")).to_contain_text("w₃ =")
    page.locator("#weight-cancel").click()
    edge.focus()
    page.keyboard.press("Enter")
    field = page.get_by_test_id("weight-input")
    expect(field).to_be_focused()
    field.fill("2.5")
    field.press("Enter")
    focused = page.evaluate("document.activeElement.getAttribute('data-key')")
    assert focused == "0-0-2"
    expect(page.get_by_test_id("diagram-info")).to_contain_text("w₃ = 2.5000")


def test_messages_say_what_is_happening(lab) -> None:
    page = lab(NOTEBOOK + "&task=value")
    width = page.get_by_test_id("width")
    width.fill("4")
    width.dispatch_event("change")
    expect(page.get_by_test_id("train-status")).not_to_contain_text("threshold")
    bits = page.get_by_test_id("bits")
    bits.fill("01x1")
    bits.dispatch_event("change")
    decimal = page.get_by_test_id("bits-decimal")
    expect(decimal).to_have_class(re.compile(r"\bstale\b"))  # shown "= 5 (still in use)"
    expect(page.locator("#bit-toggles")).to_have_class(re.compile(r"\bstale\b"))
    bits.press("Escape")
    expect(decimal).not_to_have_class(re.compile(r"\bstale\b"))
    expect(decimal).to_have_text("= 5")
    # Targets are written one way: 0/1 tasks as 0 or 1.
    page.get_by_test_id("task").select_option("odd")
    expect(page.get_by_test_id("examples").locator("li").first).to_contain_text("t = 1")


def test_pause_then_resume_finishes_the_run(lab) -> None:
    page = lab("width=8&examples=all&epochs=400&lr=0.1")
    page.get_by_test_id("train").click()
    expect(page.get_by_test_id("train-status")).to_contain_text("Training: epoch")
    page.wait_for_function("document.querySelector('[data-testid=epoch]').textContent !== '0'")
    page.get_by_test_id("pause").click()
    train = page.get_by_test_id("train")
    expect(train).to_have_text("Resume")
    paused = epoch(page)
    assert 0 < paused < 400
    train_and_wait(page)
    assert epoch(page) == 400  # the rest of the run, not 400 more
    expect(train).to_have_text("Train")


def test_as_python_replays_the_whole_run_in_cpython_to_the_last_digit(lab) -> None:
    page = lab("width=3&examples=all&task=parity&layers=4,1&batch=3&lr=1&seed=2&epochs=40")
    train_and_wait(page)
    page.get_by_test_id("export-python").click()
    expect(page.get_by_test_id("python-run-note")).to_contain_text("exactly")
    script = page.get_by_test_id("python-run").input_value()
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    printed = float(run.stdout.strip().split(" -> ")[1])
    assert abs(printed - float(output(page))) <= 1e-12
