"""A lecturer's course site, in a real browser: a lesson hosted on another origin
loads with CORS (and says which header is missing without it), and is there offline after one
visit; `make dist` served with strict MIME types and a frame-ancestors policy for one origin is
embedded by a course page of that origin, whose listener is README's own example, run as
written: it hears `ready` (though it said hello before the lab listened) and `step-done`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, ROOT, START_TIMEOUT_MS
from tests.e2e.test_dist import PREFIX, dist  # noqa: F401 -- the session's `make dist`
from tests.serve import serve_in_background

LESSON = json.loads((ROOT / "examples" / "my-lesson.json").read_text())


@pytest.fixture
def servers() -> Iterator:
    """serve(root, **options) -> (URL, server); every server is stopped after the test."""
    started = []

    def serve(root: Path, **options):
        url, server = serve_in_background(root, **options)
        started.append(server)
        return url, server

    yield serve
    for server in started:
        server.shutdown()
        server.server_close()


def on_localhost(url: str) -> str:
    """The same server by another origin (and site): localhost in place of 127.0.0.1."""
    return url.replace("//127.0.0.1:", "//localhost:")


def test_a_lesson_on_another_origin_loads_with_cors_and_is_there_offline(
    lab,
    page: Page,
    problems,
    servers,
    tmp_path: Path,
    dist: Path,  # noqa: F811
) -> None:
    problems.allowed_hosts.add("localhost")
    # the first fetch, refused by CORS, and the last, offline
    problems.allowed_console += ["CORS policy", "net::ERR_FAILED", "ERR_INTERNET_DISCONNECTED"]
    site = tmp_path / "course"
    site.mkdir()
    (site / "odd-even.json").write_text(json.dumps(LESSON))
    refusing, _ = servers(site, extra_files=["odd-even.json"])
    sharing, lesson_server = servers(
        site, extra_files=["odd-even.json"], headers=[("Access-Control-Allow-Origin", "*")]
    )
    lab_url, lab_server = servers(dist, prefix=PREFIX)
    lab_origin = lab_url.split(PREFIX)[0]

    page = lab("lesson=" + on_localhost(refusing) + "odd-even.json", root=lab_url)
    expect(page.get_by_test_id("notice")).to_contain_text(
        f"must send the header Access-Control-Allow-Origin: {lab_origin} (or *)"
    )
    expect(page.get_by_test_id("lesson")).to_be_hidden()

    page = lab("lesson=" + on_localhost(sharing) + "odd-even.json", root=lab_url)
    expect(page.get_by_test_id("lesson")).to_contain_text(LESSON["title"])
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    for server in (lesson_server, lab_server):
        server.shutdown()
        server.server_close()
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("lesson")).to_contain_text(LESSON["title"])
    expect(page.get_by_test_id("notice")).to_contain_text("the copy this browser kept")


def readme_listener() -> str:
    """README's "Listening from an LMS page" block, exactly as written there."""
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"### Listening from an LMS page.*?```html\n(.*?)```", readme, re.S)
    assert found is not None
    return found.group(1)


COURSE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Week 3</title><link rel="icon" href="data:,">
<script>
  window.heard = [];  // what the platform's functions were called with
  const showStep = (...a) => heard.push(["showStep", ...a]);
  const recordProgress = (...a) => heard.push(["recordProgress", ...a]);
  const recordBadge = (...a) => heard.push(["recordBadge", ...a]);
  const markComplete = (...a) => heard.push(["markComplete", ...a]);
</script></head>
<body>
{listener}
</body></html>
"""


def test_a_course_page_embeds_the_strictly_served_dist_and_readmes_listener_hears_it(
    page: Page,
    problems,
    servers,
    tmp_path: Path,
    dist: Path,  # noqa: F811
) -> None:
    problems.allowed_hosts.add("localhost")
    site = tmp_path / "course"
    site.mkdir()
    course_url, _ = servers(site, extra_files=["week3.html"])
    course_origin = on_localhost(course_url).rstrip("/")
    strict = [
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", f"frame-ancestors {course_origin}"),
    ]
    lab_url, _ = servers(dist, prefix=PREFIX, headers=strict)
    lab_origin = lab_url.split(PREFIX)[0]
    listener = (
        readme_listener()
        .replace("https://example.edu/nn/", lab_url)
        .replace("https://course.example.edu", course_origin)
        .replace('"https://example.edu"', f'"{lab_origin}"')
    )
    assert "example.edu" not in listener
    (site / "week3.html").write_text(COURSE_PAGE.format(listener=listener))

    page.goto(course_origin + "/week3.html")
    page.frame_locator("#lab").locator(READY).wait_for(state="attached", timeout=START_TIMEOUT_MS)
    page.wait_for_function("heard.some(([name]) => name === 'showStep')")
    assert page.evaluate("heard[0]") == ["showStep", "notebook", 1]
    frame = page.frame_locator("#lab")
    frame.get_by_test_id("lesson-answer").filter(has_text="5").click()
    page.wait_for_function("heard.some(([name]) => name === 'recordProgress')")
    progress = next(h for h in page.evaluate("heard") if h[0] == "recordProgress")
    assert progress[1:3] == ["notebook", 1]


DENY_LOCAL_STORAGE = """Object.defineProperty(window, "localStorage", {
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});"""


def test_where_only_session_storage_is_allowed_lesson_progress_survives_a_reload(
    lab, page: Page
) -> None:
    page.add_init_script(DENY_LOCAL_STORAGE)  # as some browsers do in a cross-site frame
    page = lab("lesson=notebook&hide=share")
    expect(page.get_by_test_id("notice")).to_contain_text("only while this tab is open")
    expect(page.get_by_test_id("notice")).not_to_contain_text("Export")  # hidden by the link
    page.get_by_test_id("lesson-answer").filter(has_text="5").click()
    expect(page.get_by_test_id("lesson-step")).to_contain_text("1 done")
    page.get_by_test_id("lesson-next").click()
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "2")
    page.reload()
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "2")
    expect(page.get_by_test_id("lesson-step")).to_contain_text("1 done")
