"""The page embedded in a course page of another origin: an iframe with ?embed=1 and ?hide=...
is compact, hides the controls a teacher chose, fits 700 px and trains."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.e2e.conftest import READY, START_TIMEOUT_MS
from tests.e2e.pagehelpers import train_and_wait
from tests.serve import serve_in_background

WIDTH = 700
QUERY = "embed=1&width=5&examples=00101&bits=00101&epochs=200&hide=seed,init"
HOST_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A course page</title><link rel="icon" href="data:,"></head>
<body>
  <h1>Week 1: one neuron</h1>
  <iframe src="{src}" width="{width}" height="500" title="nn lab"></iframe>
</body>
</html>
"""


@pytest.fixture
def host_page(tmp_path: Path, base_url_root: str) -> Iterator[str]:
    """URL of a page on a second origin (another port) that embeds the lab in an iframe."""
    (tmp_path / "host.html").write_text(
        HOST_PAGE.format(src=base_url_root + "?" + QUERY, width=WIDTH)
    )
    url, server = serve_in_background(tmp_path, extra_files=["host.html"])
    assert url.split("/")[2] != base_url_root.split("/")[2], "the host must be another origin"
    yield url + "host.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def embedded(page: Page, problems, host_page: str) -> Frame:
    """The lab's frame inside the host page, once Python is ready in it."""
    page.goto(host_page)
    page.frame_locator("iframe").locator(READY).wait_for(timeout=START_TIMEOUT_MS)
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None
    return frame


def test_embedded_lab_trains_to_about_five(embedded: Frame) -> None:
    expect(embedded.locator("html")).to_have_attribute("data-embed", "true")
    train_and_wait(embedded)
    expect(embedded.get_by_test_id("epoch")).to_have_text("200")
    value = float(embedded.get_by_test_id("prediction").text_content())
    assert abs(value - 5) <= 1, value


def test_embedded_lab_hides_the_chosen_controls_and_fits(embedded: Frame) -> None:
    for name in ("seed", "init"):
        controls = embedded.locator(f'[data-control="{name}"]')
        assert controls.count() >= 1, name
        for i in range(controls.count()):
            expect(controls.nth(i)).to_be_hidden()
    for name in ("epochs", "learning-rate", "train"):
        expect(embedded.locator(f'[data-control="{name}"]').first).to_be_visible()
    size = embedded.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth,
                   client: document.documentElement.clientWidth,
                   inner: window.innerWidth})"""
    )
    assert size["inner"] == WIDTH, size
    # No horizontal scrollbar: nothing is wider than the frame's viewport (less any
    # vertical scrollbar).
    assert size["scroll"] <= size["client"] <= WIDTH, size
