"""The walking skeleton through the page test contract: ready, trains the notebook's example,
rejects a bad number."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.pagehelpers import NOTEBOOK, train_and_wait


def test_page_becomes_ready_and_enables_its_controls(lab) -> None:
    page = lab()
    expect(page.get_by_test_id("train")).to_be_enabled()
    expect(page.get_by_test_id("width")).to_be_enabled()
    expect(page.get_by_test_id("loading")).to_be_hidden()
    expect(page.get_by_test_id("error")).to_have_text("")
    expect(page.get_by_test_id("epoch")).to_have_text("0")


def test_notebook_example_from_the_url_trains_to_about_five(lab) -> None:
    page = lab(NOTEBOOK)
    expect(page.get_by_test_id("example")).to_have_count(1)
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    prediction = page.get_by_test_id("prediction")
    value = float(prediction.text_content())
    assert abs(value - 5) <= 1, value
    raw = float(prediction.get_attribute("data-output"))
    assert abs(raw * 31 - value) < 0.01
    loss = float(page.get_by_test_id("loss").text_content().replace("−", "-"))
    assert 0 <= loss < 0.01


def test_bad_bits_show_an_error_and_change_nothing(lab) -> None:
    page = lab(NOTEBOOK)
    output_before = page.get_by_test_id("prediction").get_attribute("data-output")
    bits = page.get_by_test_id("bits")
    bits.fill("00201")
    bits.dispatch_event("change")
    expect(page.get_by_test_id("error")).to_contain_text("00201")
    expect(page.get_by_test_id("error")).to_contain_text(re.compile(r"position 3"))
    expect(page.get_by_test_id("prediction")).to_have_attribute("data-output", output_before)
    expect(page.get_by_test_id("example")).to_have_count(1)
    expect(page.get_by_test_id("bits-decimal")).to_have_text("= 5")
