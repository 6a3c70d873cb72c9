"""Course platforms: SPLICE (Runestone and the like) and SCORM 1.2 (an LMS), each played by
a page written from its spec, and a course page that embeds the strictly served `make dist`
and listens with README's own example. The platform keeps the learner's score and state and
gives them back in a new browser; a platform that is silent, forged or hostile, and an LMS's
damaged data, leave an ordinary working lab. What the state holds, its limits and how damage is
read are tested under CPython (tests/unit/test_platform_state.py, test_scorm_package.py,
test_course_site.py).

SPLICE: the lab with ``?splice=1`` in a course page on another site (localhost framing
127.0.0.1) that answers ``SPLICE.getState`` with the state kept (``state`` undefined when none)
and keeps each ``SPLICE.reportScoreAndState``.

SCORM: `make scorm`'s package, unpacked and served as LMSs serve files (application/octet-stream
with nosniff for all but .html, .js and .css), launched in a page where the real runtime
scorm-again (npm, pinned) plays the LMS as window.API."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from core.controller import Lab
from core.course import builtin_lessons
from core.platform_state import splice_state, state_record
from core.settings import decode_query
from playwright.sync_api import Browser, Frame, Page, expect

from tests.e2e.conftest import (
    READY,
    ROOT,
    START_TIMEOUT_MS,
    PageProblems,
    on_localhost,
    watch,
)
from tests.e2e.pagehelpers import train_and_wait
from tests.e2e.test_offline import PREFIX
from tests.serve import serve_in_background

# --- SPLICE ------------------------------------------------------------------------------------

# The platform: keeps the state and the reports; ``start(state, mode)`` frames the lab.
# mode "answer": as Runestone; "sibling": the page never answers, a sibling frame (the page's
# own origin, not the lab's parent) answers with the state.
HOST_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A SPLICE book</title><link rel="icon" href="data:,"></head>
<body>
<iframe id="sibling" srcdoc="<p>another exercise</p>" title="sibling"></iframe>
<script>
  window.reports = []; window.heights = []; window.asked = [];
  let kept, mode = "answer";
  addEventListener("message", (event) => {
    const lab = document.getElementById("lab");
    if (!lab || event.source !== lab.contentWindow) return;
    const m = event.data;
    if (m.subject === "SPLICE.getState") {
      asked.push(m.message_id);
      const answer = {subject: "SPLICE.getState.response", message_id: m.message_id};
      if (kept !== undefined) answer.state = kept;
      if (mode === "answer") event.source.postMessage(answer, event.origin);
      if (mode === "sibling") {
        const forge = document.getElementById("sibling").contentWindow;
        forge.eval("(w, a) => w.postMessage(a, '*')")(lab.contentWindow, answer);
      }
    } else if (m.subject === "SPLICE.reportScoreAndState") {
      reports.push(m); kept = m.state;
    } else if (m.subject === "lti.frameResize") {
      heights.push(m.height);
    }
  });
  window.start = (state, how, src) => {
    if (state && state.$deep) {
      let deep = [];
      for (let i = 0; i < state.$deep; i++) deep = [deep];
      state = deep;
    }
    kept = state; mode = how;
    const frame = document.createElement("iframe");
    Object.assign(frame, {id: "lab", src, title: "nn lab", width: 700, height: 500});
    document.body.append(frame);
  };
</script>
</body>
</html>
"""
LINK = "?splice=1&embed=1&lesson=notebook"


@pytest.fixture
def book(tmp_path: Path, base_url_root: str) -> Iterator[str]:
    (tmp_path / "book.html").write_text(HOST_PAGE)
    url, server = serve_in_background(tmp_path, extra_files=["book.html"])
    yield url.replace("//127.0.0.1:", "//localhost:") + "book.html"
    server.shutdown()
    server.server_close()


def open_lab(
    page: Page, book: str, base: str, state: object, mode: str = "answer", more: str = ""
) -> Frame:
    page.goto(book)
    page.evaluate("([s, m, src]) => start(s, m, src)", [state, mode, base + LINK + more])
    page.frame_locator("#lab").locator(READY).wait_for(state="attached", timeout=START_TIMEOUT_MS)
    frame = page.locator("#lab").element_handle().content_frame()
    assert frame is not None
    return frame


@pytest.fixture
def platform(page: Page, problems: PageProblems, book: str, base_url_root: str):
    problems.allowed_hosts.add("localhost")
    return lambda state=None, mode="answer", more="": open_lab(
        page, book, base_url_root, state, mode, more
    )


def reports(page: Page) -> list[dict]:
    return page.evaluate("reports")


def test_splice_gets_score_and_state_and_resumes_the_learner_in_a_new_browser(
    page: Page, platform, browser: Browser, book: str, base_url_root: str
) -> None:
    """Each step done raises the score; each report has a new message_id and a state of at most
    64 KB; the frame's height is reported; training reports on to the end of the run; another
    browser, given only the platform's state, resumes at the same step and epoch."""
    lab = platform()  # nothing kept yet: Runestone answers with state undefined
    expect(lab.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    lab.get_by_test_id("lesson-answer").nth(1).click()  # 5 weights: step 1 done
    page.wait_for_function("reports.some(r => r.score > 0)")
    lab.get_by_test_id("lesson-next").click()
    lab.get_by_test_id("lesson-answer").nth(1).click()  # w3 and w5: step 2 done
    page.wait_for_function("reports.some(r => r.score > 0.1)")
    lab.get_by_test_id("lesson-next").click()  # step 3 shown
    expect(lab.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")
    page.wait_for_function("reports.at(-1).state.lesson_progress.step === 2")
    last = reports(page)[-1]
    notebook = builtin_lessons()["notebook"]
    assert last["score"] == 2 / (len(notebook.steps) + len(notebook.challenges))
    assert set(last) == {"subject", "message_id", "score", "state"}
    assert len(json.dumps(last["state"])) <= 64 * 1024 and "left_out" not in last["state"]
    assert page.evaluate("heights.length") >= 1 and page.evaluate("heights[0]") > 100
    train_and_wait(lab)
    epoch = lab.get_by_test_id("epoch").text_content() or ""
    page.wait_for_function(
        "(epoch) => reports.length > 0 && reports.at(-1).state.epoch === epoch", arg=int(epoch)
    )
    last = reports(page)[-1]
    weights = last["state"]["settings"]["weights"]
    assert weights and weights.count(",") == 5
    ids = [r["message_id"] for r in reports(page)] + page.evaluate("asked")
    assert len(set(ids)) == len(ids)  # every message_id is new

    context = browser.new_context()  # another browser: only the platform's state is there
    try:
        other = context.new_page()
        found = PageProblems()
        found.allowed_hosts.add("localhost")
        watch(other, found)
        again = open_lab(other, book, base_url_root, last["state"])
        expect(again.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")
        expect(again.get_by_test_id("lesson-step")).to_contain_text("2 done")
        expect(again.get_by_test_id("epoch")).to_have_text(epoch)
        found.check()
    finally:
        context.close()


def trained_state(query: str, epochs: int) -> dict:
    lab = Lab(decode_query(query)[0])
    run = lab.start_run(epochs)
    while not run.finished:
        run.advance(1.0)
    return splice_state(lab)[0]


HOSTILE = {  # the rest, and why each starts afresh: tests/unit/test_platform_state.py
    "text": "<img src=x onerror=alert(1)>",
    "deep": {"$deep": 1_000},  # made by the page: [[[...]]]
    "huge": {"settings": {}, "padding": "x" * 5_000_000},
}


def test_a_silent_forged_or_hostile_platform_leaves_an_ordinary_working_lab(
    page: Page, platform
) -> None:
    """A platform that never answers, while a sibling frame forges its answer: the forged
    answer is ignored (the lab is ready after its wait: an ordinary start at epoch 0), and the
    lab reports all the same. Hostile states: an ordinary start with a notice, no markup run. A
    kept state with a data set too large for SPLICE: resumed, and the next report leaves the
    data set out, saying so."""
    forged = trained_state("preset=odd", 50)
    lab = platform(forged, "sibling")  # ready only after the 3 s wait: the answer was ignored
    expect(lab.get_by_test_id("epoch")).to_have_text("0")
    expect(lab.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    assert page.evaluate("asked.length") == 1
    train_and_wait(lab)
    page.wait_for_function("reports.length > 0")

    for name, state in HOSTILE.items():
        lab = platform(state)
        expect(lab.get_by_test_id("lesson-step"), name).to_have_attribute("data-step", "1")
        expect(lab.get_by_test_id("notice"), name).to_contain_text("the course platform")
        expect(lab.get_by_test_id("epoch"), name).to_have_text("0")
        assert lab.locator("img").count() == 0, name

    examples = ",".join(format(n, "016b") for n in range(0, 65536, 7))
    big = Lab(decode_query(f"width=16&bits=0000000000000101&examples={examples}")[0])
    run = big.start_run(1)
    while not run.finished:
        run.advance(1.0)
    kept = state_record(big)  # 150 KB: kept whole by an earlier lab, read back whole
    assert len(json.dumps(kept)) > 64 * 1024
    lab = platform(kept)
    expect(lab.get_by_test_id("epoch")).to_have_text("1")
    lab.get_by_test_id("lesson-answer").nth(1).click()  # a change: reported
    page.wait_for_function("reports.length > 0")
    state = reports(page)[-1]["state"]
    assert state["left_out"] == ["the data set (Export saves it as a file)"]
    assert len(json.dumps(state, separators=(",", ":"))) <= 64 * 1024
    expect(lab.get_by_test_id("notice")).to_contain_text(
        "so its saved state leaves out the data set"
    )


# --- SCORM 1.2 ---------------------------------------------------------------------------------

LMS_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>An LMS</title><link rel="icon" href="data:,">
<script src="scorm12.js"></script></head>
<body>
<script>
  window.API = new Scorm12API({autocommit: false, logLevel: 5});
  window.sets = []; window.commits = []; window.finished = 0;
  API.on("LMSSetValue.cmi.*", (element, value) => sets.push([element, value]));
  API.on("LMSCommit", () => commits.push({
    status: API.cmi.core.lesson_status, raw: API.cmi.core.score.raw,
    min: API.cmi.core.score.min, max: API.cmi.core.score.max,
    suspend: API.cmi.suspend_data,
  }));
  API.on("LMSFinish", () => { finished += 1; });
  window.start = (kept) => {
    if (kept) API.loadFromJSON(kept);
    const frame = document.createElement("iframe");
    Object.assign(frame, {id: "sco", src: "pkg/launch.html", title: "SCO"});
    document.body.append(frame);
  };
</script>
</body>
</html>
"""
PLAIN_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


class LmsHandler(http.server.SimpleHTTPRequestHandler):
    """Files as an LMS's file handler serves them: only .html, .js and .css typed."""

    def guess_type(self, path) -> str:
        return PLAIN_TYPES.get(Path(str(path)).suffix, "application/octet-stream")

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def package(dist: Path) -> Path:
    """dist/nn-lab-scorm.zip, built by the Makefile's `make scorm` (conftest's `dist`)."""
    return dist / "nn-lab-scorm.zip"


@pytest.fixture(scope="session")
def lms(package: Path, tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lms")
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root / "pkg")
    shutil.copy(ROOT / "node_modules/scorm-again/dist/scorm12.js", root / "scorm12.js")
    (root / "lms.html").write_text(LMS_PAGE)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(LmsHandler, directory=str(root))
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def launch(page: Page, lms: str, kept: dict | None = None) -> Frame:
    page.goto(lms + "lms.html")
    page.evaluate("(kept) => start(kept)", kept)
    page.frame_locator("#sco").locator(READY).wait_for(state="attached", timeout=START_TIMEOUT_MS)
    frame = page.locator("#sco").element_handle().content_frame()
    assert frame is not None
    return frame


def test_an_lms_records_progress_finishes_on_leaving_and_resumes_the_learner_in_a_new_browser(
    page: Page, problems: PageProblems, lms: str, package: Path, browser: Browser
) -> None:
    """The package: a manifest of one SCO listing every file by a relative path, and every file
    the lab asks for. The LMS records incomplete, a rising score.raw and suspend_data of at most
    4,096 characters; closing the SCO sets exit suspend and session time, then finishes; a new
    browser resumes the learner from what the LMS kept."""
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    ns = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
          "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}  # fmt: skip
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "1.2"
    (resource,) = manifest.findall("cp:resources/cp:resource", ns)
    assert resource.get(f"{{{ns['adlcp']}}}scormtype") == "sco"
    assert resource.get("href") == "launch.html"
    listed = {f.get("href") for f in resource.findall("cp:file", ns)}
    assert listed == names - {"imsmanifest.xml"}
    assert all(not n.startswith("/") and ".." not in n and ":" not in n for n in names)
    assert not [n for n in names if n.endswith(".mjs")]  # module scripts as .js
    assert "sw.js" not in names and "static/vendor/pyodide/pyodide.asm.wasm" in names

    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    sco = launch(page, lms)
    expect(sco.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    assert missing == []  # every file the lab asks for is in the package
    assert ["cmi.core.lesson_status", "incomplete"] in page.evaluate("sets")
    sco.get_by_test_id("lesson-answer").nth(1).click()  # step 1 done
    page.wait_for_function("commits.some(c => Number(c.raw) > 0)")
    first = float(page.evaluate("commits.at(-1).raw"))
    sco.get_by_test_id("lesson-next").click()
    sco.get_by_test_id("lesson-answer").nth(1).click()  # step 2 done
    page.wait_for_function("(r) => commits.some(c => Number(c.raw) > r)", arg=first)
    count = page.evaluate("commits.length")
    sco.get_by_test_id("lesson-next").click()
    expect(sco.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")
    page.wait_for_function("(n) => commits.length > n", arg=count)  # the step shown, committed
    last = page.evaluate("commits.at(-1)")
    assert last["status"] == "incomplete" and (last["min"], last["max"]) == ("0", "100")
    assert float(last["raw"]) > first > 0
    assert 0 < len(last["suspend"]) <= 4096
    assert page.evaluate("sets.some(([e, v]) => e === 'cmi.core.lesson_status' && "
                         "['failed', 'passed'].includes(v))") is False  # fmt: skip
    # a change within a second of the last report is held back (platforms.Reports), and the
    # LMS closes the SCO at once: leaving reports it, before LMSFinish
    rate = sco.get_by_test_id("learning-rate")
    rate.fill("0.25")
    rate.dispatch_event("change")
    page.locator("#sco").evaluate("frame => frame.remove()")  # the LMS closes the SCO
    page.wait_for_function("finished === 1")
    last = page.evaluate("commits.at(-1)")  # with the learning rate of the last second
    sets = dict(page.evaluate("sets"))
    assert sets["cmi.core.exit"] == "suspend"
    assert sets["cmi.core.session_time"].count(":") == 2

    context = browser.new_context()
    try:
        other = context.new_page()
        found = PageProblems()
        watch(other, found)
        kept = {"core": {"lesson_status": "incomplete", "entry": "resume"},
                "suspend_data": last["suspend"]}  # fmt: skip
        again = launch(other, lms, kept)
        expect(again.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")
        expect(again.get_by_test_id("lesson-step")).to_contain_text("2 done")
        expect(again.get_by_test_id("learning-rate")).to_have_value("0.25")
        other.goto("about:blank")
        found.check()
    finally:
        context.close()


def test_damaged_suspend_data_or_no_lms_gives_the_ordinary_lesson_with_a_notice(
    page: Page, problems: PageProblems, lms: str
) -> None:
    """Suspend data with markup in it: the lesson from its start, the notice as text, nothing
    run (every damage the reader refuses: tests/unit/test_platform_state.py). Outside an LMS
    the package is the ordinary lesson, and says so."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sco = launch(page, lms, {"suspend_data": "nn1:<img src=x onerror=alert(1)>"})
    expect(sco.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    expect(sco.get_by_test_id("notice")).to_contain_text("The state the LMS kept is")
    assert sco.locator("img[src=x]").count() == 0 and dialogs == []
    page.goto(lms + "pkg/launch.html")
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    expect(page.get_by_test_id("notice")).to_contain_text("No LMS found")


# --- a course page that listens ---------------------------------------------------------------


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
    dist: Path,
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
