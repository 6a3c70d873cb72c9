"""What the end-to-end tests share: the notebook's example and ways to drive the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Frame, Page, expect

NOTEBOOK = "width=5&examples=00101&bits=00101&lr=0.1&epochs=200&seed=1"


def type_setting(page: Page | Frame, testid: str, text: str) -> None:
    """Type ``text`` into a setting and commit it (settings apply on ``change``)."""
    field = page.get_by_test_id(testid)
    field.fill(text)
    field.dispatch_event("change")


def output(page: Page | Frame) -> str:
    """The model's raw output for the number shown (data-output of the prediction)."""
    return page.get_by_test_id("prediction").get_attribute("data-output") or ""


def epoch(page: Page | Frame) -> int:
    return int(page.get_by_test_id("epoch").text_content() or "")


def train_and_wait(page: Page | Frame) -> None:
    """Press Train and wait until the run is over: Train enabled again, epoch moved on, and
    the run's end drawn and saved (``html[data-training]`` gone: Train comes back first)."""
    before = page.get_by_test_id("epoch").text_content()
    page.get_by_test_id("train").click()
    page.wait_for_function(
        """(before) => {
            const train = document.querySelector('[data-testid="train"]');
            const epoch = document.querySelector('[data-testid="epoch"]').textContent;
            const error = document.querySelector('[data-testid="error"]').textContent;
            const ended = !document.documentElement.hasAttribute("data-training");
            return !train.disabled && ended && (epoch !== before || error !== '');
        }""",
        arg=before,
    )


def reload(page: Page) -> None:
    """Reload and wait until Python is ready again."""
    from tests.e2e.conftest import READY, START_TIMEOUT_MS

    page.reload()
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)


def visit(page: Page, url: str) -> None:
    """Open ``url`` in ``page`` and wait until Python is ready."""
    from tests.e2e.conftest import READY, START_TIMEOUT_MS

    page.goto(url)
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)


# --- refused input: a message, and nothing changes ---------------------------------------------

STATE_JS = """() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    return {
        epoch: q('epoch').textContent,
        examples: [...document.querySelectorAll('[data-testid="example"]')]
            .map((li) => li.dataset.bits).join(','),
        tests: [...document.querySelectorAll('[data-testid="test-example"]')]
            .map((li) => li.dataset.bits).join(','),
        output: q('prediction').dataset.output,
        decimal: q('bits-decimal').textContent,
        model: q('model-kind').textContent,
        query: location.search,
    };
}"""

FIELDS_JS = """() => Object.fromEntries(
    ['width', 'bits', 'task', 'threshold', 'learning-rate', 'epochs', 'seed', 'batch',
     'activation', 'layer-size-0']
        .map((id) => [id, document.querySelector(`[data-testid="${id}"]`)])
        .filter(([, node]) => node !== null)
        .map(([id, node]) => [id, node.value])
)"""


def page_state(page: Page) -> dict:
    """What a rejected input must not change: epoch, both sets, output, model, the settings
    (the URL query is rewritten from them after every accepted action)."""
    return page.evaluate(STATE_JS)


def round_trip(page: Page) -> None:
    """A valid action that goes through Python and changes nothing in the end: flip bit 0
    twice. Every accepted action clears ``error`` and rewrites the URL from the settings."""
    decimal = page.get_by_test_id("bits-decimal")
    start = decimal.text_content()
    page.get_by_test_id("bit-0").click()
    expect(decimal).not_to_have_text(start or "")
    page.get_by_test_id("bit-0").click()
    expect(decimal).to_have_text(start or "")


def open_dataset_tools(page: Page) -> None:
    """Open "More ways to fill the data set" (add all, random numbers, clear)."""
    tools = page.get_by_test_id("dataset-tools")
    if not tools.evaluate("details => details.open"):
        tools.locator("summary").click()
    expect(page.get_by_test_id("add-all")).to_be_visible()


def expect_rejected(page: Page, act: Callable[[], None], *fragments: str) -> None:
    """``act`` must show a message with every fragment and change nothing. A refused field
    keeps its text and its message beside it through the next valid action (which clears the
    top message); Esc in it puts back the value in use, and then nothing has changed at all.

    Call it after an accepted action, so that the URL holds the settings as the page
    writes them (see ``round_trip``)."""
    before, fields = page_state(page), page.evaluate(FIELDS_JS)
    act()
    error = page.get_by_test_id("error")
    expect(error).not_to_have_text("")
    for fragment in fragments:
        expect(error).to_contain_text(fragment)
    assert page_state(page) == before
    invalid = page.locator("[aria-invalid='true']")
    refused = {}
    for i in range(invalid.count()):
        field = invalid.nth(i)
        beside = page.locator("#" + (field.get_attribute("aria-describedby") or "none"))
        for fragment in fragments:
            expect(beside).to_contain_text(fragment)
        refused[field.get_attribute("id")] = field.input_value()
    round_trip(page)
    expect(error).to_have_text("")
    assert page_state(page) == before
    if refused.pop("bits", None) is not None:  # flipping a bit (round_trip) replaces the text
        expect(page.locator("#bits")).not_to_have_attribute("aria-invalid", "true")
    for field_id, text in refused.items():
        field = page.locator("#" + field_id)
        expect(field).to_have_attribute("aria-invalid", "true")  # not silently replaced
        expect(field).to_have_value(text)
        field.press("Escape")
        expect(field).not_to_have_attribute("aria-invalid", "true")
    assert page_state(page) == before
    assert page.evaluate(FIELDS_JS) == fields


# --- layout and accessibility ------------------------------------------------------------------

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
PANELS = """() => [document.documentElement, ...document.querySelectorAll('.panel')]
    .filter((node) => node.offsetParent !== null || node === document.documentElement)
    .map((node) => ({name: node.className || node.tagName, scroll: node.scrollWidth,
                     client: node.clientWidth}))"""


def fits(page: Page | Frame) -> None:
    """Nothing the lab draws is wider than its container: the page, and each panel shown."""
    for box in page.evaluate(PANELS):
        assert box["scroll"] <= box["client"], box


def axe_violations(page: Page | Frame) -> list[dict]:
    """axe-core's violations for the whole page, as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def assert_nothing_serious(page: Page | Frame, where: str = "") -> None:
    """axe-core finds nothing serious or critical in the page as it is now."""
    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    minor = sorted({f"{v['id']} ({v['impact']})" for v in violations if v not in serious})
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(node["html"][:160] for node in v["nodes"][:4])
        for v in serious
    )
    assert not serious, f"{where}: serious axe violations:\n{details}\nothers: {minor}"


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


# --- lessons -----------------------------------------------------------------------------------


def step(page: Page | Frame) -> int:
    return int(page.get_by_test_id("lesson-step").get_attribute("data-step") or "0")


def answer(page: Page | Frame, text: str) -> None:
    """Pick the choice that starts with ``text`` ("1" is not "31")."""
    page.get_by_test_id("lesson-answer").filter(has_text=re.compile("^" + re.escape(text))).click()


def next_step(page: Page | Frame) -> None:
    before = step(page)
    page.get_by_test_id("lesson-next").click()
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", str(before + 1))


def step_passed(page: Page | Frame) -> None:
    checks = page.get_by_test_id("lesson-check")
    for i in range(checks.count()):
        expect(checks.nth(i)).to_have_attribute("data-passed", "true")
