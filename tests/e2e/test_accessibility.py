"""Accessibility and layout checks: axe-core finds nothing serious in the page's main states,
light and dark; the keyboard reaches the controls; nothing overflows a phone's width."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import train_and_wait

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOK = "width=5&examples=00101&bits=00101&epochs=200"
NETWORK = "width=3&layers=4,1&task=parity&examples=all"
PHONE = {"width": 390, "height": 844}

if not AXE.exists():  # pragma: no cover - depends on `npm ci`
    pytest.skip("axe-core is not installed: run `npm ci`", allow_module_level=True)


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations for the whole page, as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def assert_nothing_serious(page: Page) -> None:
    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    minor = sorted({f"{v['id']} ({v['impact']})" for v in violations if v not in serious})
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(node["html"][:160] for node in v["nodes"][:4])
        for v in serious
    )
    assert not serious, f"serious axe violations:\n{details}\nothers: {minor}"


def assert_no_horizontal_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter((e) => !e.closest('.katex-mathml, .math, .diagram, .visually-hidden'))
            .filter((e) => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 8)
            .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''))""",
        width,
    )
    assert scroll_width <= width, f"the page scrolls sideways ({scroll_width}px): {culprits}"


def open_trained(lab, query: str) -> Page:
    page = lab(query)
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    return page


@pytest.mark.parametrize(
    ("scheme", "query", "train"),
    [
        pytest.param("light", "", False, id="fresh"),
        pytest.param("light", NOTEBOOK, True, id="notebook-trained"),
        pytest.param("light", NETWORK, False, id="network"),
        pytest.param("light", "embed=1", False, id="embed"),
        pytest.param("dark", NETWORK, True, id="dark-network-trained"),
        pytest.param("light", "lesson=notebook", False, id="lesson"),
        pytest.param("light", "embed=1&lesson=notebook", False, id="embed-lesson"),
        pytest.param("dark", "lesson=notebook&challenge=fast-loss", False, id="dark-challenge"),
    ],
)
def test_axe_finds_nothing_serious(lab, page: Page, scheme: str, query: str, train: bool) -> None:
    page.emulate_media(color_scheme=scheme)
    page = open_trained(lab, query) if train else lab(query)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    assert_nothing_serious(page)


def test_keyboard_reaches_the_width_and_flips_a_bit(lab) -> None:
    page = lab()
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "width":
            break
    else:
        pytest.fail("Tab from the top never reached the width field")
    expect(page.get_by_test_id("width")).to_be_focused()

    bits = page.get_by_test_id("bits")
    before = bits.input_value()
    bit = page.get_by_test_id("bit-0")
    bit.focus()
    expect(bit).to_be_focused()
    page.keyboard.press("Space")
    expect(bits).not_to_have_value(before)
    assert bits.input_value()[0] != before[0]
    assert bits.input_value()[1:] == before[1:]


def test_nothing_overflows_a_phone(lab, page: Page) -> None:
    """A trained network shows the most: the full example list, the math, the chart."""
    page.set_viewport_size(PHONE)
    page = open_trained(lab, NETWORK)
    assert_no_horizontal_scroll(page, PHONE["width"])
    # The math may scroll inside its own box, never the page.
    math_box = page.get_by_test_id("math").bounding_box()
    assert math_box is not None and math_box["x"] + math_box["width"] <= PHONE["width"]


def test_a_refused_field_and_the_embed_dialog_have_nothing_serious(lab, page: Page) -> None:
    page = lab(NOTEBOOK)
    rate = page.get_by_test_id("learning-rate")
    rate.fill("0,5")
    rate.press("Tab")
    expect(page.get_by_test_id("learning-rate-error")).to_be_visible()
    assert_nothing_serious(page)
    page.get_by_test_id("embed-open").click()
    expect(page.get_by_test_id("embed-dialog")).to_be_visible()
    assert_nothing_serious(page)
