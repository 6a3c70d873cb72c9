"""The lab embedded in a course page: a compact frame on another site that hides the controls a
teacher chose, fits 700 × 500 and 390 × 640 without scrolling, trains though the browser denies
it storage, and ignores stray messages; the host script that sizes the frame to the lab; the
Embed dialog that writes the snippet for every platform and previews it; the compact lab's tabs.
Which controls a link hides, and the snippet's text, are tested under CPython
(tests/unit/test_settings.py, test_course_site.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.e2e.conftest import READY, START_TIMEOUT_MS
from tests.e2e.pagehelpers import (
    NOTEBOOK,
    assert_nothing_serious,
    fits,
    next_step,
    train_and_wait,
)
from tests.serve import serve_in_background

HOST_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A course page</title><link rel="icon" href="data:,"></head>
<body style="margin:0">
  <h1>Week 1: one neuron</h1>
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


CHART_FITS = """() => {
  const box = document.querySelector('[data-testid=chart]').getBoundingClientRect();
  return box.width > 0 && box.right <= innerWidth + 1; }"""


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


def compact_fits(frame: Frame) -> None:
    """The training controls, the prediction and the diagram show without scrolling, and so
    does the chart on its tab; nothing is wider than the frame."""
    for testid in ("train", "learning-rate", "epoch", "prediction", "diagram"):
        assert in_view(frame, testid), testid
    assert frame.evaluate("document.documentElement.scrollWidth <= innerWidth")
    frame.get_by_role("button", name="Loss").click()
    # Chart.js sizes its canvas when it sees the tab shown or the frame resized (a
    # ResizeObserver, a frame later): wait for that
    try:
        frame.wait_for_function(CHART_FITS)
    finally:
        assert in_view(frame, "chart")
    frame.get_by_role("button", name="Model").click()


def test_a_course_page_on_another_site_frames_a_compact_lab_that_trains(page: Page, course) -> None:
    """700 × 500, then 390 × 640: the chosen controls hidden, the rest in view; the browser
    denies the frame storage, and the lab says autosave is off yet trains to about 5; messages
    from the course page reach no listener of the lab; without the host script the lab posts
    nothing to the page."""
    page.set_viewport_size({"width": 740, "height": 700})
    url = course(
        f'<iframe src="LAB/?embed=1&{NOTEBOOK}&hide=seed,init" width="700" height="500" '
        'title="nn lab" style="border:0"></iframe>'
    )
    page.add_init_script(
        """window.received = [];
           addEventListener('message', (e) => window.received.push(e.data));"""
    )
    page.goto(url)
    frame = lab_frame(page)
    expect(frame.locator("html")).to_have_attribute("data-embed", "true")
    # Headless Chromium blocks third-party storage: this is the case this test is about.
    denied = frame.evaluate(
        "() => { try { localStorage.length; return false } catch (e) { return e.name } }"
    )
    assert denied == "SecurityError"
    expect(frame.get_by_test_id("notice")).to_contain_text("autosave is off")
    for name in ("seed", "init"):
        controls = frame.locator(f'[data-control="{name}"]')
        assert controls.count() >= 1, name
        for i in range(controls.count()):
            expect(controls.nth(i)).to_be_hidden()
    for name in ("epochs", "learning-rate", "train"):
        expect(frame.locator(f'[data-control="{name}"]').first).to_be_visible()
    size = frame.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth,
                   client: document.documentElement.clientWidth,
                   inner: window.innerWidth})"""
    )
    assert size["inner"] == 700, size
    assert size["scroll"] <= size["client"] <= 700, size
    compact_fits(frame)

    messages = ["_si", "_si0", "setimmediate", {}, 42, None]
    post = (
        "ms => ms.forEach(m => document.querySelector('iframe').contentWindow.postMessage(m, '*'))"
    )
    page.evaluate(post, messages)
    train_and_wait(frame)
    page.evaluate(post, messages)  # and after training started
    expect(frame.get_by_test_id("epoch")).to_have_text("200")
    value = float(frame.get_by_test_id("prediction").text_content() or "")
    assert abs(value - 5) <= 1, value
    # Any uncaught error (Pyodide's scheduler took "_si" for its own) fails the test at
    # teardown, through the ``problems`` fixture.
    assert page.evaluate("window.received") == []

    page.locator("iframe").evaluate("frame => { frame.width = 390; frame.height = 640; }")
    frame.wait_for_function("innerWidth === 390")
    compact_fits(frame)


# The lab's content height, two frames after a change (the lab measures it the same way).
LAB_HEIGHT = """new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() =>
    done(Math.ceil(document.body.getBoundingClientRect().height)))))"""


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


def hidden_controls(code: str) -> set[str]:
    found = re.search(r"hide=([^&\"]*)", code)
    return set(found[1].replace("%2C", ",").split(",")) if found else set()


def test_the_embed_dialog_writes_the_snippet_for_each_platform_and_previews_it(
    lab, page: Page
) -> None:
    """A refused field and the dialog have nothing serious for axe; the snippet frames the
    current state at a chosen size, with or without the host script, hides the chosen controls,
    opens a lesson or a challenge, reports to an origin (refused when it is not one), or says how
    to use SPLICE or an LMS (SCORM); its preview is the lab it describes."""
    page = lab(NOTEBOOK)
    rate = page.get_by_test_id("learning-rate")
    rate.fill("0,5")
    rate.press("Tab")
    expect(page.get_by_test_id("learning-rate-error")).to_be_visible()
    assert_nothing_serious(page, "a refused field")
    rate.press("Escape")
    page.get_by_test_id("embed-open").click()
    expect(page.get_by_test_id("embed-dialog")).to_be_visible()
    assert_nothing_serious(page, "the embed dialog")
    code = page.get_by_test_id("embed-code")
    expect(code).to_have_value(re.compile(r"<iframe src=\".*embed=1.*\""))
    expect(code).to_have_value(re.compile(r"width:100%;max-width:700px;height:500px"))
    assert "embed-host.js" in code.input_value() and "examples=00101" in code.input_value()

    platform = page.get_by_test_id("embed-platform")
    platform.select_option("splice")
    expect(code).to_have_value(re.compile(r"splice=1"))
    assert "embed-host.js" not in code.input_value() and "report=" not in code.input_value()
    expect(page.get_by_test_id("embed-report")).to_be_hidden()
    shots = Path(__file__).resolve().parents[2] / "screenshots"
    shots.mkdir(exist_ok=True)
    page.get_by_test_id("embed-dialog").screenshot(path=str(shots / "embed-splice-1280.png"))
    platform.select_option("lms")
    expect(code).to_have_value(re.compile(r"make scorm"))
    expect(code).to_have_value(re.compile(r"nn-lab-scorm\.zip"))
    expect(page.get_by_test_id("embed-preview")).to_be_disabled()
    expect(page.get_by_test_id("embed-size")).to_be_hidden()
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("embed-dialog").screenshot(path=str(shots / "embed-lms-390.png"))
    page.set_viewport_size({"width": 1280, "height": 720})
    platform.select_option("page")
    expect(code).to_have_value(re.compile("embed-host.js"))

    page.get_by_test_id("embed-size").select_option("phone")
    assert "max-width:390px" in code.input_value()
    page.get_by_test_id("embed-resize").uncheck()
    assert "<script" not in code.input_value()
    page.locator('#embed-hide input[value="seed"]').check()
    assert "seed" in hidden_controls(code.input_value())
    page.get_by_test_id("embed-dialog").get_by_label("More ways to fill the data set").check()
    assert {"seed", "dataset-tools"} <= hidden_controls(code.input_value())
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
    expect(page.get_by_test_id("embed-events")).to_contain_text(
        '"type": "step-done", "lesson": "notebook"'
    )
    page.get_by_test_id("embed-preview").click()
    preview = page.frame_locator("[data-testid=embed-preview-frame]")
    preview.locator(READY).wait_for(state="attached", timeout=START_TIMEOUT_MS)
    expect(preview.get_by_test_id("train")).to_be_visible()
    expect(preview.get_by_test_id("dataset-tools")).to_be_hidden()
    expect(preview.get_by_test_id("lesson")).to_be_visible()  # the lesson's tab opens first


def test_the_compact_lab_fits_its_frame_on_every_tab_and_opens_what_a_lesson_points_at(
    lab, page: Page
) -> None:
    """At 700 × 500: nothing serious for axe; a diverged run fits on every tab; the history
    slider shows only when the link asks for it (rewind=1); in a lesson, Show me opens the tab
    of what the step points at."""
    page.set_viewport_size({"width": 700, "height": 500})
    page = lab("embed=1&rewind=1&preset=notebook&activate=0&lr=10&epochs=200")
    assert_nothing_serious(page, "embed")
    train_and_wait(page)
    expect(page.get_by_test_id("error")).to_contain_text("diverged at epoch")
    for tab in ("model", "chart", "math", "data", "settings"):
        page.locator(f'#embed-tabs button[data-tab="{tab}"]').click()
        fits(page)
    page.locator("#embed-tabs button[data-tab='chart']").click()
    expect(page.get_by_test_id("chart")).to_be_visible()
    expect(page.get_by_test_id("history")).to_be_visible()

    page = lab("embed=1&lesson=notebook")
    expect(page.get_by_test_id("lesson")).to_be_visible()
    assert_nothing_serious(page, "embedded lesson")
    page.locator("#embed-tabs button[data-tab='chart']").click()
    expect(page.get_by_test_id("chart")).to_be_visible()
    expect(page.get_by_test_id("history")).to_be_hidden()  # no rewind=1: the slider is left out
    page.locator("#embed-tabs button[data-tab='lesson']").click()
    next_step(page)  # step 2: "Read z and y in the math panel"
    page.get_by_test_id("lesson-show-me").click()
    expect(page.locator("html")).to_have_attribute("data-tab", "math")
    expect(page.get_by_test_id("math")).to_be_visible()
