"""An embed that fits a course page: at 700 × 500 and 390 wide, in a frame of
another site, the training controls, the prediction and the diagram show without scrolling;
the host script sizes the frame to the lab; the Embed dialog offers sizes, plain names and a
preview; Start fresh forgets this browser's saved lab."""

from __future__ import annotations

import json
import re
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
<body style="margin:0">
  {frames}
  {script}
</body>
</html>
"""


@pytest.fixture
def course(tmp_path: Path, base_url_root: str, problems) -> Iterator:
    """Serve a course page on http://localhost:PORT/ (another site than the lab's 127.0.0.1):
    course(frames_html, with_script) -> its URL."""
    servers = []
    problems.allowed_hosts.add("localhost")

    def make(frames: str, with_script: bool = False) -> str:
        script = f'<script src="{base_url_root}static/js/embed-host.js" defer></script>'
        html = HOST_PAGE.format(
            frames=frames.replace("LAB/", base_url_root), script=script if with_script else ""
        )
        (tmp_path / "host.html").write_text(html)
        url, server = serve_in_background(tmp_path, extra_files=["host.html"])
        servers.append(server)
        return url.replace("//127.0.0.1:", "//localhost:") + "host.html"

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


def lab_frame(page: Page) -> Frame:
    page.frame_locator("iframe").locator(READY).wait_for(state="attached", timeout=START_TIMEOUT_MS)
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None
    return frame


def in_view(frame: Frame, testid: str) -> bool:
    """Whether the element is entirely inside the frame's viewport, without scrolling."""
    box = frame.get_by_test_id(testid).evaluate(
        """node => { const r = node.getBoundingClientRect();
            return [r.width, r.top, r.bottom, r.left, r.right, innerWidth, innerHeight]; }"""
    )
    width, top, bottom, left, right, inner_width, inner_height = box
    inside = width > 0 and top >= 0 and bottom <= inner_height + 1
    assert inside and left >= 0 and right <= inner_width + 1, (testid, box)
    return True


@pytest.mark.parametrize(("width", "height"), [(700, 500), (390, 640)])
def test_the_compact_embed_shows_train_prediction_and_diagram_without_scrolling(
    page: Page, course, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width + 40, "height": height + 40})
    url = course(
        f'<iframe src="LAB/?embed=1&{NOTEBOOK}" width="{width}" height="{height}" '
        'title="nn lab" style="border:0"></iframe>'
    )
    page.goto(url)
    frame = lab_frame(page)
    for testid in ("train", "learning-rate", "epoch", "prediction", "diagram"):
        assert in_view(frame, testid), testid
    assert frame.evaluate("document.documentElement.scrollWidth <= innerWidth")
    frame.get_by_role("button", name="Loss").click()
    # Chart.js sizes its canvas when it sees the tab shown (a ResizeObserver): wait for that
    frame.wait_for_function("document.querySelector('[data-testid=chart]').clientWidth > 0")
    assert in_view(frame, "chart")
    frame.get_by_role("button", name="Model").click()
    train_and_wait(frame)
    expect(frame.get_by_test_id("epoch")).to_have_text("200")


def test_the_host_script_sizes_the_frame_to_the_lab(page: Page, course) -> None:
    page.set_viewport_size({"width": 1000, "height": 800})
    url = course(
        f'<iframe src="LAB/?embed=1&{NOTEBOOK}" data-nn-lab title="nn lab" '
        'style="width:100%;max-width:700px;height:300px;border:0"></iframe>',
        with_script=True,
    )
    page.goto(url)
    frame = lab_frame(page)
    page.wait_for_function("document.querySelector('iframe').style.height !== '300px'")
    wanted = frame.evaluate(LAB_HEIGHT)
    expect(page.locator("iframe")).to_have_css("height", f"{wanted}px")
    frame.get_by_role("button", name="Data").click()  # a taller part: the frame follows
    taller = frame.evaluate(LAB_HEIGHT)
    assert taller > wanted
    expect(page.locator("iframe")).to_have_css("height", f"{taller}px")
    frame.get_by_role("button", name="Model").click()  # and back: the frame shrinks again
    shorter = frame.evaluate(LAB_HEIGHT)
    assert shorter < taller
    expect(page.locator("iframe")).to_have_css("height", f"{shorter}px")
    assert frame.evaluate("document.documentElement.scrollHeight") == shorter  # no blank band


# The lab's content height, two frames after a change (the lab measures it the same way).
LAB_HEIGHT = """new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() =>
    done(Math.ceil(document.body.getBoundingClientRect().height)))))"""


def test_without_the_host_script_the_lab_posts_nothing(page: Page, course) -> None:
    url = course(f'<iframe src="LAB/?embed=1&{NOTEBOOK}" title="nn lab"></iframe>')
    page.add_init_script(
        """window.received = [];
           addEventListener('message', (e) => window.received.push(e.data));"""
    )
    page.goto(url)
    frame = lab_frame(page)
    train_and_wait(frame)
    assert page.evaluate("window.received") == []


def test_the_embed_dialog_has_sizes_plain_names_and_a_preview(lab, page: Page) -> None:
    page = lab(NOTEBOOK)
    page.get_by_test_id("embed-open").click()
    code = page.get_by_test_id("embed-code")
    expect(code).to_have_value(re.compile(r"width:100%;max-width:700px;height:500px"))
    assert "embed-host.js" in code.input_value()
    page.get_by_test_id("embed-size").select_option("phone")
    assert "max-width:390px" in code.input_value()
    page.get_by_test_id("embed-resize").uncheck()
    assert "<script" not in code.input_value()
    hide = page.get_by_test_id("embed-dialog").get_by_label("More ways to fill the data set")
    hide.check()
    assert "hide=dataset-tools" in code.input_value()
    page.get_by_test_id("embed-lesson").select_option(label="challenge: Fast learner")
    assert "lesson=notebook&amp;challenge=fast-loss" in code.input_value()
    page.get_by_test_id("embed-lesson").select_option(
        label="lesson: The notebook's neuron, step by step"
    )
    assert "lesson=notebook" in code.input_value() and "challenge=" not in code.input_value()
    report = page.get_by_test_id("embed-report")
    report.fill("course.example.edu")  # not an origin: marked, and the snippet keeps no report=
    expect(page.get_by_test_id("embed-report-error")).to_contain_text("https://course.example.edu")
    assert "report=" not in code.input_value()
    report.fill("https://Course.Example.edu/")
    expect(page.get_by_test_id("embed-report-error")).to_be_hidden()
    assert "report=https:%2F%2Fcourse.example.edu" in code.input_value()
    events = page.get_by_test_id("embed-events")
    expect(events).to_contain_text('"type": "step-done", "lesson": "notebook"')
    page.get_by_test_id("embed-preview").click()
    preview = page.frame_locator("[data-testid=embed-preview-frame]")
    preview.locator(READY).wait_for(state="attached", timeout=START_TIMEOUT_MS)
    expect(preview.get_by_test_id("train")).to_be_visible()
    expect(preview.get_by_test_id("dataset-tools")).to_be_hidden()
    expect(preview.get_by_test_id("lesson")).to_be_visible()  # the lesson's tab opens first


def test_start_fresh_forgets_the_saved_lab_after_asking(lab, page: Page) -> None:
    page = lab(NOTEBOOK)
    train_and_wait(page)
    assert page.evaluate("localStorage.getItem('nn-lab:v1')")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("start-fresh").click()
    expect(page.get_by_test_id("epoch")).to_have_text("200")  # said no: nothing changed
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("start-fresh").click()
    page.wait_for_url(lambda url: "?" not in url)
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    expect(page.get_by_test_id("width")).to_have_value("8")
    saved = page.evaluate("localStorage.getItem('nn-lab:v1')")
    assert saved is None or json.loads(saved)["epoch"] == 0
