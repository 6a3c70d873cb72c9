"""The data set in the page: an empty set cannot train, typed targets and a threshold follow the
task, sets fill by random numbers, Add all, Remove and Clear; a data set of 65,536 numbers
trains and the page answers meanwhile, and one too large for the address bar stays out of the
link yet survives a reload. Which numbers are drawn and how targets are read is tested under
CPython (tests/unit/test_settings.py, test_tasks.py, test_savestate.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import (
    epoch,
    expect_rejected,
    open_dataset_tools,
    output,
    reload,
    round_trip,
    train_and_wait,
    type_setting,
)


def example_bits(page: Page, testid: str = "example") -> list[str]:
    return page.get_by_test_id(testid).evaluate_all("items => items.map((i) => i.dataset.bits)")


def test_sets_are_typed_filled_and_cleared_and_targets_follow_the_task(lab) -> None:
    """Empty: Train, Step and Step one example refuse. custom: a typed target, trained towards,
    changed (a bad one refused); greater: the threshold decides the target; odd: targets
    written 0 or 1. Then random numbers (never a test number), Remove, Clear both, Add all."""
    page = lab("width=4&bits=0101&test=1111&epochs=200&seed=1")
    train_count, test_count = page.get_by_test_id("train-count"), page.get_by_test_id("test-count")
    target, threshold = page.get_by_test_id("target"), page.get_by_test_id("threshold")
    detail = page.get_by_test_id("prediction-detail")
    expect(test_count).to_have_text("1")
    expect(target).to_be_hidden()
    expect(threshold).to_be_hidden()
    round_trip(page)  # the URL now holds the settings as the page writes them
    for button in ("train", "step", "step-example"):
        expect_rejected(
            page, lambda button=button: page.get_by_test_id(button).click(), "Add at least one"
        )
    expect(page.get_by_test_id("train")).to_be_enabled()

    page.get_by_test_id("task").select_option("custom")
    expect(target).to_be_visible()
    target.fill("0.25")
    page.get_by_test_id("add-example").click()
    expect(page.get_by_test_id("example")).to_have_count(1)
    expect(page.get_by_test_id("example")).to_contain_text("t = 0.250")
    train_and_wait(page)
    expect(detail).to_have_text("target 0.2500")
    assert abs(float(output(page)) - 0.25) < 0.05, output(page)
    target.fill("1.5")
    page.get_by_test_id("set-target").click()
    expect(page.get_by_test_id("error")).to_contain_text("1.5")
    expect(page.get_by_test_id("example")).to_contain_text("t = 0.250")
    target.fill("0.75")
    page.get_by_test_id("set-target").click()
    expect(page.get_by_test_id("error")).to_have_text("")
    expect(page.get_by_test_id("example")).to_contain_text("t = 0.750")
    expect(detail).to_have_text("target 0.7500")
    page.get_by_test_id("task").select_option("greater")
    expect(threshold).to_be_visible()
    expect(target).to_be_hidden()
    type_setting(page, "threshold", "4")
    expect(detail).to_contain_text("target 1")  # 0101 is 5 > 4
    type_setting(page, "threshold", "5")
    expect(detail).to_contain_text("target 0")
    page.get_by_test_id("task").select_option("odd")
    expect(page.get_by_test_id("examples").locator("li").first).to_contain_text("t = 1")

    open_dataset_tools(page)
    page.get_by_test_id("random-count").fill("5")
    page.get_by_test_id("add-random").click()
    expect(train_count).to_have_text("6")
    chosen = example_bits(page)
    assert len(set(chosen)) == 6 and all(re.fullmatch("[01]{4}", b) for b in chosen), chosen
    assert "1111" not in chosen  # a test number is never drawn for training
    page.get_by_test_id("random-test-count").fill("3")
    page.get_by_test_id("add-random-test").click()
    expect(test_count).to_have_text("4")
    held_out = example_bits(page, "test-example")
    assert len(set(held_out)) == 4 and not set(held_out) & set(chosen), (held_out, chosen)
    page.get_by_test_id("remove-example").nth(1).click()
    expect(train_count).to_have_text("5")
    assert example_bits(page) == chosen[:1] + chosen[2:]
    page.get_by_test_id("clear-examples").click()  # "Clear both sets"
    expect(train_count).to_have_text("0")
    expect(test_count).to_have_text("0")
    expect(page.get_by_test_id("example")).to_have_count(0)
    expect(page.get_by_test_id("test-example")).to_have_count(0)
    page.get_by_test_id("add-all").click()
    expect(train_count).to_have_text("16")
    expect(page.get_by_test_id("example")).to_have_count(16)
    assert example_bits(page) == [format(v, "04b") for v in range(16)]
    expect(page.get_by_test_id("error")).to_have_text("")


def test_a_large_data_set_stays_out_of_the_link_and_trains_while_the_page_answers(lab) -> None:
    """5,000 random 16-bit numbers: too large for the address bar (the link stays short, Copy
    link says to use Export) yet a reload keeps them (the autosave). All 65,536: the list shows
    512 rows and counts the rest, and an epoch runs while a bit flips at once."""
    page = lab("width=16")
    open_dataset_tools(page)
    page.get_by_test_id("random-count").fill("5000")
    page.get_by_test_id("add-random").click()
    expect(page.get_by_test_id("train-count")).to_have_text("5000")
    expect(page.get_by_test_id("notice")).to_contain_text("too large for the address bar")
    assert len(page.url) < 8000
    page.get_by_test_id("copy-link").click()
    expect(page.get_by_test_id("error")).to_contain_text("Use Export")
    reload(page)
    expect(page.get_by_test_id("train-count")).to_have_text("5000")

    open_dataset_tools(page)
    page.get_by_test_id("add-all").click()
    expect(page.get_by_test_id("train-count")).to_have_text("65536")
    expect(page.get_by_test_id("example")).to_have_count(512)
    expect(page.locator("#examples li.more")).to_have_text(
        "…and 65,024 more, not listed here but trained on"
    )
    type_setting(page, "epochs", "3")
    type_setting(page, "learning-rate", "0.01")
    page.get_by_test_id("train").click()
    expect(page.get_by_test_id("pause")).to_be_enabled()
    page.get_by_test_id("bit-0").click()  # the page answers while an epoch is under way
    expect(page.get_by_test_id("bits-decimal")).to_have_text("= 32773")
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch]').textContent !== '0'",
        timeout=120_000,
    )
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("train")).to_be_enabled()
    assert epoch(page) >= 1
    expect(page.get_by_test_id("loss")).not_to_have_text("…")
