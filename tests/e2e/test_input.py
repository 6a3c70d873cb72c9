"""Refused input in the page: a message beside the field and at the top, the field keeps its
text, Esc puts back the value in use, and nothing else changes; markup typed or linked is shown
as text; Train names every field that holds refused text. Which texts each parser refuses, and
its words, are tested under CPython (tests/unit/test_settings.py, test_binary.py); here, one or
two of each kind go through the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.pagehelpers import (
    NOTEBOOK,
    epoch,
    expect_rejected,
    open_dataset_tools,
    round_trip,
    train_and_wait,
    type_setting,
)

PAYLOAD = "<img src=x onerror=alert(1)>"


def test_a_refused_number_is_said_beside_its_box_and_changes_nothing(lab) -> None:
    """A hostile link and typed markup show as text; bad numbers, an empty or repeated Add and
    a bad random count are refused; refused text in the number box marks the number still in
    use and never blocks Train; refused settings are each named when Train is pressed."""
    page = lab("width=99&bits=" + quote(PAYLOAD) + "&lr=abc&foo=<b>x</b>&layers=0,2&epochs=1e9")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    notice, error = page.get_by_test_id("notice"), page.get_by_test_id("error")
    for said in (PAYLOAD, "width", "foo"):
        expect(notice).to_contain_text(said)
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.1")
    expect(page.get_by_test_id("width")).to_have_value("8")
    expect(page.get_by_test_id("train")).to_be_enabled()
    type_setting(page, "bits", PAYLOAD)
    expect(error).to_contain_text(PAYLOAD)
    expect(error).to_contain_text("is not a binary number")
    assert page.locator("img[src=x]").count() == 0  # the payload never became an element
    assert error.locator("*").count() == 0 and notice.locator("*").count() == 0
    assert page.locator("#notice b").count() == 0
    assert dialogs == []
    requests = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
    assert not [url for url in requests if url.endswith("/x")], requests

    type_setting(page, "width", "5")
    expect(page.get_by_test_id("train-status")).not_to_contain_text("threshold")  # task value
    type_setting(page, "bits", "00101")
    page.get_by_test_id("add-example").click()
    expect(page.get_by_test_id("example")).to_have_count(1)
    round_trip(page)  # the URL now holds the settings as the page writes them
    expect_rejected(
        page, lambda: type_setting(page, "bits", "00201"), "'00201'", "position 3", "0 or 1"
    )
    expect_rejected(
        page, lambda: type_setting(page, "bits", "0101"), "'0101' has 4 bits", "uses 5 bits"
    )
    expect_rejected(page, lambda: type_setting(page, "bits", ""), "Type a binary number of 5 bits")

    def add_empty() -> None:
        # Empty the field without a change event: only Add to training set sees it.
        page.get_by_test_id("bits").evaluate("node => { node.value = ''; }")
        page.get_by_test_id("add-example").click()

    expect_rejected(page, add_empty, "Type a binary number of 5 bits", "like 00101")
    expect_rejected(page, lambda: page.get_by_test_id("add-example").click(), "00101 is already")
    open_dataset_tools(page)

    def add_random_zero() -> None:
        page.get_by_test_id("random-count").fill("0")
        page.get_by_test_id("add-random").click()

    expect_rejected(page, add_random_zero, "from 1 to 32", "'0'")

    # Refused text in the number box: the number still in use is marked stale until Esc.
    type_setting(page, "bits", "01x1")
    decimal = page.get_by_test_id("bits-decimal")
    expect(decimal).to_have_class(re.compile(r"\bstale\b"))  # shown "= 5 (still in use)"
    expect(page.locator("#bit-toggles")).to_have_class(re.compile(r"\bstale\b"))
    page.get_by_test_id("bits").press("Escape")
    expect(decimal).not_to_have_class(re.compile(r"\bstale\b"))
    expect(decimal).to_have_text("= 5")
    # The number box is a draft for Add: it never blocks Train.
    type_setting(page, "epochs", "5")
    type_setting(page, "bits", "banana")
    expect(page.get_by_test_id("bits")).to_have_attribute("aria-invalid", "true")
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("5")
    # Refused settings do: Train names each.
    type_setting(page, "learning-rate", "fast")
    type_setting(page, "epochs", "many")
    page.get_by_test_id("train").click()
    expect(error).to_contain_text("“Learning rate η” holds 'fast' and “Epochs per Train” holds")
    expect(error).to_contain_text("which were not accepted")
    expect(page.get_by_test_id("epoch")).to_have_text("5")


def test_a_refused_setting_is_kept_beside_its_field_and_changes_nothing(lab) -> None:
    """Training, model and data-set settings, a weight and a target: each refused beside its
    field with nothing changed, not even the run; a field left with refused text is named when
    Train or Step is pressed; Esc puts back the value in use; the kept settings still train."""
    page = lab(NOTEBOOK + "&layers=4,1")
    expect(page.get_by_test_id("model-kind")).to_have_text("Network 5-4-1")
    train_and_wait(page)  # epoch 200: a rejected setting must not reset the run either
    for text in ("abc", "101"):
        expect_rejected(
            page,
            lambda text=text: type_setting(page, "learning-rate", text),
            "learning rate must be a number greater than 0 and at most 100",
            f"'{text}'",
        )
    expect_rejected(
        page,
        lambda: type_setting(page, "epochs", "2.5"),
        "whole number from 1 to 100000",
        "'2.5'",
    )
    expect_rejected(
        page, lambda: type_setting(page, "seed", "-3"), "seed must be a whole number", "'-3'"
    )
    expect_rejected(
        page, lambda: type_setting(page, "batch", "0"), "batch size must be a whole", "'0'"
    )
    expect_rejected(
        page,
        lambda: type_setting(page, "layer-size-0", "17"),
        "whole number of neurons from 1 to 16",
        "'17'",
    )
    page.locator('[data-testid="diagram"] [data-key="1-0-b"]').click()
    expect(page.get_by_test_id("weight-editor")).to_be_visible()

    def type_weight(text: str) -> Callable[[], None]:
        def act() -> None:
            page.get_by_test_id("weight-input").fill(text)
            page.get_by_test_id("weight-apply").click()

        return act

    for text in ("nan", "1e999"):
        expect_rejected(page, type_weight(text), "must be a finite number", f"'{text}'")
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    train_and_wait(page)  # the kept settings still drive training: 200 more at the same rate
    expect(page.get_by_test_id("epoch")).to_have_text("400")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.1")

    # A field left holding refused text: Train and Step refuse, naming it.
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
    assert epoch(page) == 400
    epochs = page.get_by_test_id("epochs")
    epochs.fill("2.5")  # the focus still in the field: leaving it rejects the text first
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("error")).to_contain_text("holds")
    assert epoch(page) == 400
    expect(epochs).to_have_attribute("aria-invalid", "true")
    epochs.press("Escape")  # put back the value in use
    expect(epochs).to_have_value("200")
    expect(page.get_by_test_id("epochs-error")).to_have_count(0)
    rate.fill("0.5")
    rate.press("Tab")
    expect(beside).to_have_count(0)
    expect(rate).not_to_have_attribute("aria-invalid", "true")
    train_and_wait(page)
    assert epoch(page) == 600 and "lr=0.5" in page.url

    # The data set's settings.
    round_trip(page)
    for text, fragment in (("17", "'17'"), ("", "left it empty")):
        expect_rejected(
            page,
            lambda text=text: type_setting(page, "width", text),
            "Width must be a whole number of bits from 1 to 16",
            fragment,
        )
    page.get_by_test_id("task").select_option("greater")
    expect(page.get_by_test_id("threshold")).to_be_visible()
    expect_rejected(
        page,
        lambda: type_setting(page, "threshold", "32"),
        "threshold must be a whole number from 0 to 31",
        "'32'",
    )
    page.get_by_test_id("task").select_option("custom")
    expect(page.get_by_test_id("target")).to_be_visible()
    type_setting(page, "bits", "00110")

    def add_with_target(text: str) -> Callable[[], None]:
        def act() -> None:
            page.get_by_test_id("target").fill(text)
            page.get_by_test_id("add-example").click()

        return act

    expect_rejected(page, add_with_target("1.5"), "target must be a number from 0 to 1", "'1.5'")
    expect_rejected(page, add_with_target(""), "needs a target for 00110", "from 0 to 1")
