"""What the end-to-end tests share: the notebook's example and ways to drive the page."""

from __future__ import annotations

from playwright.sync_api import Page

NOTEBOOK = "width=5&examples=00101&bits=00101&lr=0.1&epochs=200&seed=1"


def type_setting(page: Page, testid: str, text: str) -> None:
    """Type ``text`` into a setting and commit it (settings apply on ``change``)."""
    field = page.get_by_test_id(testid)
    field.fill(text)
    field.dispatch_event("change")


def output(page: Page) -> str:
    """The model's raw output for the number shown (data-output of the prediction)."""
    return page.get_by_test_id("prediction").get_attribute("data-output") or ""


def epoch(page: Page) -> int:
    return int(page.get_by_test_id("epoch").text_content() or "")


def train_and_wait(page: Page) -> None:
    """Press Train and wait until the run is over: Train enabled again, epoch moved on."""
    before = page.get_by_test_id("epoch").text_content()
    page.get_by_test_id("train").click()
    page.wait_for_function(
        """(before) => {
            const train = document.querySelector('[data-testid="train"]');
            const epoch = document.querySelector('[data-testid="epoch"]').textContent;
            const error = document.querySelector('[data-testid="error"]').textContent;
            return !train.disabled && (epoch !== before || error !== '');
        }""",
        arg=before,
    )
