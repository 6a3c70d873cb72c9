"""The diagram in the page: a weight read by pointing, clicking, the keyboard or a tap, and set
by typing, even to a huge value. How a weight changes the output is tested under CPython
(tests/unit/test_controller.py, test_views.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import PageProblems, watch
from tests.e2e.pagehelpers import NOTEBOOK, output, visit


def test_a_weight_is_read_and_set_by_mouse_keyboard_and_touch(
    lab, browser: Browser, base_url_root: str
) -> None:
    """A click on an input opens nothing; a click on w₅ opens its editor, and a typed 3 moves
    the output; by keyboard the focus comes back to the weight with its new value said; without
    the output activation a huge weight gives an infinite cost, shown as "overflow", and the
    next epoch is refused. On a touch screen a tap reads a weight and a second tap edits it."""
    page = lab(NOTEBOOK)
    before = output(page)
    first_input = page.locator('[data-testid="diagram"] .node.input').first
    first_input.hover()
    first_input.click()
    editor, info = page.get_by_test_id("weight-editor"), page.get_by_test_id("diagram-info")
    expect(editor).to_be_hidden()
    edge = page.locator('[data-testid="diagram"] [data-key="0-0-4"]')
    edge.click()
    expect(editor).to_be_visible()
    expect(page.locator("#weight-label")).to_contain_text("w₅")
    page.get_by_test_id("weight-input").fill("3")
    page.get_by_test_id("weight-apply").click()
    expect(editor).to_be_hidden()
    expect(page.get_by_test_id("prediction")).not_to_have_attribute("data-output", before)
    expect(edge).to_have_attribute("aria-label", re.compile(r"^w₅ = 3\.0000,"))
    edge.hover()
    expect(info).to_contain_text("w₅ = 3.0000")
    # By keyboard: a click shows the value at once; Enter edits; the focus comes back.
    w3 = page.locator('[data-testid="diagram"] [data-key="0-0-2"]')
    w3.dispatch_event("click")
    expect(info).to_contain_text("w₃ =")
    page.locator("#weight-cancel").click()
    w3.focus()
    page.keyboard.press("Enter")
    field = page.get_by_test_id("weight-input")
    expect(field).to_be_focused()
    field.fill("2.5")
    field.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('data-key')") == "0-0-2"
    expect(info).to_contain_text("w₃ = 2.5000")
    expect(page.get_by_test_id("error")).to_have_text("")
    # Without the output activation y = z: a huge (finite) weight, an infinite cost.
    page.get_by_test_id("activate-output").uncheck()
    page.locator('[data-testid="diagram"] [data-key="0-0-4"]').click()
    page.get_by_test_id("weight-input").fill("1e200")
    page.get_by_test_id("weight-apply").click()
    expect(page.get_by_test_id("loss")).to_have_text("overflow")
    assert float(output(page)) > 1e199
    expect(page.get_by_test_id("math")).to_contain_text("overflow")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("error")).to_contain_text("infinite or NaN")
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    assert float(output(page)) > 1e199  # the weights are kept

    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        touch = context.new_page()
        found = PageProblems()
        watch(touch, found)
        visit(touch, base_url_root + "?preset=notebook")
        weight = touch.locator('#diagram [data-key="0-0-2"]')  # w₃, about level
        weight.scroll_into_view_if_needed()
        box = weight.bounding_box()
        assert box
        point = (box["x"] + 0.25 * box["width"], box["y"] + box["height"] / 2)  # clear of others
        touch.touchscreen.tap(*point)
        caption = touch.get_by_test_id("diagram-info")
        expect(caption).to_contain_text("w₃ = ")
        expect(caption).to_contain_text("Tap it again to change it.")
        expect(touch.get_by_test_id("weight-editor")).to_be_hidden()
        touch.touchscreen.tap(*point)
        expect(touch.get_by_test_id("weight-editor")).to_be_visible()
        expect(touch.get_by_test_id("weight-editor")).to_contain_text("w₃")
        found.check()
    finally:
        context.close()
