"""Accessibility and layout: axe-core finds nothing serious in the page's main states, light and
dark, and nothing overflows a phone's width. Other states are checked where their feature is
tested: a refused field and the Embed dialog (test_embed.py), the compact lab and an embedded
lesson (test_embed.py), a lesson and a dark challenge (test_lessons.py), the class views
(test_classes.py); the keyboard reaching the width and the bit toggles (test_training.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import (
    AXE,
    NOTEBOOK,
    PHONE,
    assert_no_horizontal_scroll,
    assert_nothing_serious,
    train_and_wait,
)

NETWORK = "width=3&layers=4,1&task=parity&examples=all"

if not AXE.exists():  # pragma: no cover - depends on `npm ci`
    pytest.skip("axe-core is not installed: run `npm ci`", allow_module_level=True)


def test_axe_finds_nothing_serious_light_and_dark_and_nothing_overflows_a_phone(
    lab, page: Page
) -> None:
    """Fresh, the notebook's neuron trained, a trained network light and dark; then the trained
    network, which shows the most (the full example list, the math, the chart), at 390 px."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.emulate_media(color_scheme="light")
    page = lab()
    assert not page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert_nothing_serious(page, "fresh")
    page = lab(NOTEBOOK)
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    assert_nothing_serious(page, "the notebook's neuron trained")
    page = lab(NETWORK)
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    assert_nothing_serious(page, "a network trained")
    page.emulate_media(color_scheme="dark")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert_nothing_serious(page, "a network trained, dark")
    page.set_viewport_size(PHONE)
    try:  # the chart follows a new width on its next resize observation
        page.wait_for_function(f"document.documentElement.scrollWidth <= {PHONE['width']}")
    finally:
        assert_no_horizontal_scroll(page, PHONE["width"])
    # The math may scroll inside its own box, never the page.
    math_box = page.get_by_test_id("math").bounding_box()
    assert math_box is not None and math_box["x"] + math_box["width"] <= PHONE["width"]
