"""SCORM 1.2 (issue 23): `make scorm`'s package, unpacked and served as LMSs serve files
(application/octet-stream with nosniff for all but .html, .js and .css), launched in a page
where the real runtime scorm-again (npm, pinned) plays the LMS as window.API. It records
``incomplete``, a rising ``score.raw`` and ``suspend_data`` of at most 4,096 characters, and
resumes the learner from them in a new browser; outside an LMS it is the ordinary lesson."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from tests.e2e.conftest import READY, ROOT, START_TIMEOUT_MS, PageProblems, watch

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
def package() -> Path:
    """dist/nn-lab-scorm.zip, built once per session by the Makefile's `make scorm`."""
    done = subprocess.run(["make", "--no-print-directory", "scorm"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.fail(f"make scorm failed:\n{done.stdout}\n{done.stderr}")
    return ROOT / "dist" / "nn-lab-scorm.zip"


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


def test_every_file_the_lab_asks_for_is_in_the_package(
    page: Page, problems: PageProblems, lms: str
) -> None:
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    launch(page, lms)
    assert missing == []


def test_the_package_has_a_manifest_one_sco_and_relative_paths(package: Path) -> None:
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


def test_the_lms_records_progress_and_resumes_the_learner_in_a_new_browser(
    page: Page, problems: PageProblems, lms: str, browser: Browser
) -> None:
    sco = launch(page, lms)
    expect(sco.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
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
    page.goto("about:blank")  # leaving: pagehide finishes the session
    # (the LMS page is gone with it: what it kept is ``last``)

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
        other.goto("about:blank")
        found.check()
    finally:
        context.close()


def test_leaving_sets_exit_suspend_and_session_time_then_finishes(
    page: Page, problems: PageProblems, lms: str
) -> None:
    sco = launch(page, lms)
    expect(sco.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    page.locator("#sco").evaluate("frame => frame.remove()")  # the LMS closes the SCO
    page.wait_for_function("finished === 1")
    sets = dict(page.evaluate("sets"))
    assert sets["cmi.core.exit"] == "suspend"
    assert sets["cmi.core.session_time"].count(":") == 2


@pytest.mark.parametrize(
    "kept",
    ["nn1:<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>", "nn1:" + "A" * 4000],
)
def test_damaged_suspend_data_starts_the_lesson_with_a_notice(
    page: Page, problems: PageProblems, lms: str, kept: str
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sco = launch(page, lms, {"suspend_data": kept})
    expect(sco.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    expect(sco.get_by_test_id("notice")).to_contain_text("The state the LMS kept is")
    assert sco.locator("img[src=x]").count() == 0 and dialogs == []


def test_outside_an_lms_the_package_is_the_ordinary_lesson(
    page: Page, problems: PageProblems, lms: str
) -> None:
    page.goto(lms + "pkg/launch.html")
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    expect(page.get_by_test_id("notice")).to_contain_text("No LMS found")
