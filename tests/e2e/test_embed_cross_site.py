"""The lab in an iframe of a course page on another SITE (localhost embedding 127.0.0.1): the
browser denies the frame localStorage, sessionStorage, IndexedDB and caches, and the course page
may post messages to it. The lab still becomes ready, trains, and reports no error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.e2e.conftest import READY, START_TIMEOUT_MS
from tests.e2e.pagehelpers import NOTEBOOK, train_and_wait
from tests.serve import serve_in_background

HOST_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A course page</title><link rel="icon" href="data:,"></head>
<body><iframe src="{src}" width="700" height="500" title="nn lab"></iframe></body>
</html>
"""


@pytest.fixture
def cross_site_host(tmp_path: Path, base_url_root: str, problems) -> Iterator[str]:
    """A course page at http://localhost:<port>/ embedding the lab from http://127.0.0.1:<port>/."""
    (tmp_path / "host.html").write_text(
        HOST_PAGE.format(src=base_url_root + "?embed=1&" + NOTEBOOK)
    )
    url, server = serve_in_background(tmp_path, extra_files=["host.html"])
    problems.allowed_hosts.add("localhost")
    yield url.replace("//127.0.0.1:", "//localhost:") + "host.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def embedded(page: Page, cross_site_host: str) -> Frame:
    page.goto(cross_site_host)
    page.frame_locator("iframe").locator(READY).wait_for(state="attached", timeout=START_TIMEOUT_MS)
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None
    return frame


def test_storage_is_denied_to_the_frame_yet_the_lab_trains(embedded: Frame) -> None:
    # Headless Chromium blocks third-party storage: this is the case the test is about.
    denied = embedded.evaluate(
        "() => { try { localStorage.length; return false } catch (e) { return e.name } }"
    )
    assert denied == "SecurityError"
    expect(embedded.get_by_test_id("notice")).to_contain_text("autosave is off")
    train_and_wait(embedded)
    expect(embedded.get_by_test_id("epoch")).to_have_text("200")


def test_messages_from_the_course_page_reach_no_listener_of_the_lab(
    page: Page, embedded: Frame
) -> None:
    messages = ["_si", "_si0", "setimmediate", {}, 42, None]
    post = (
        "ms => ms.forEach(m => document.querySelector('iframe').contentWindow.postMessage(m, '*'))"
    )
    page.evaluate(post, messages)
    embedded.get_by_test_id("train").click()
    page.evaluate(post, messages)  # and during training
    expect(embedded.get_by_test_id("epoch")).to_have_text("200")
    # Any uncaught error (Pyodide's scheduler took "_si" for its own) fails the test at
    # teardown, through the ``problems`` fixture.
