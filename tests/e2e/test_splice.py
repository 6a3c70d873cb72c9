"""SPLICE (issue 23): the lab with ``?splice=1`` in a course page on another site (localhost
framing 127.0.0.1) that plays the platform as Runestone does, written from the spec: it answers
``SPLICE.getState`` with the state kept (``state`` undefined when none), and keeps each
``SPLICE.reportScoreAndState``. The learner's work comes back in a new browser context; hostile
states, a forged answer from a sibling frame and a platform that never answers leave a working
lab."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from core.controller import Lab
from core.course import builtin_lessons
from core.platform_state import splice_state, state_record
from core.settings import decode_query
from playwright.sync_api import Browser, Frame, Page, expect

from tests.e2e.conftest import READY, START_TIMEOUT_MS, PageProblems, watch
from tests.e2e.pagehelpers import train_and_wait
from tests.serve import serve_in_background

# The platform: keeps the state and the reports; ``start(state, mode)`` frames the lab.
# mode "answer": as Runestone; "silent": never answers; "sibling": a sibling frame (the page's
# own origin, not the lab's parent) answers with the state, the page does not.
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


def test_the_platform_gets_score_and_state_and_resumes_the_learner_in_a_new_browser(
    page: Page, platform, browser: Browser, book: str, base_url_root: str
) -> None:
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
    ids = [r["message_id"] for r in reports(page)] + page.evaluate("asked")
    assert len(set(ids)) == len(ids)  # every message_id is new
    assert page.evaluate("heights.length") >= 1 and page.evaluate("heights[0]") > 100

    context = browser.new_context()  # another browser: only the platform's state is there
    try:
        other = context.new_page()
        found = PageProblems()
        found.allowed_hosts.add("localhost")
        watch(other, found)
        again = open_lab(other, book, base_url_root, last["state"])
        expect(again.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")
        expect(again.get_by_test_id("lesson-step")).to_contain_text("2 done")
        found.check()
    finally:
        context.close()


def test_training_reports_on_and_the_end_of_a_run_is_reported(page: Page, platform) -> None:
    lab = platform()
    train_and_wait(lab)
    page.wait_for_function("reports.length > 0 && reports.at(-1).state.epoch === 200")
    weights = reports(page)[-1]["state"]["settings"]["weights"]
    assert weights and weights.count(",") == 5


def trained_state(query: str, epochs: int) -> dict:
    lab = Lab(decode_query(query)[0])
    run = lab.start_run(epochs)
    while not run.finished:
        run.advance(1.0)
    return splice_state(lab)[0]


def test_a_forged_answer_from_a_sibling_frame_is_ignored(page: Page, platform) -> None:
    forged = trained_state("preset=odd", 50)
    lab = platform(forged, "sibling")  # ready only after the 3 s wait: the answer was ignored
    expect(lab.get_by_test_id("epoch")).to_have_text("0")
    assert page.evaluate("asked.length") == 1


def test_a_platform_that_never_answers_gives_an_ordinary_start(page: Page, platform) -> None:
    lab = platform(None, "silent")
    expect(lab.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    train_and_wait(lab)
    page.wait_for_function("reports.length > 0")


HOSTILE = {
    "array": [1, 2, 3],
    "text": "<img src=x onerror=alert(1)>",
    "number": 42,
    "wrong types": {"settings": {"width": ["5"]}, "epoch": "many", "train_losses": "x"},
    "deep": {"$deep": 1_000},  # made by the page: [[[...]]]
    "huge": {"settings": {}, "padding": "x" * 5_000_000},
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_state_gives_an_ordinary_start_with_a_notice(
    page: Page, platform, name: str
) -> None:
    lab = platform(HOSTILE[name])
    expect(lab.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    expect(lab.get_by_test_id("notice")).to_contain_text("the course platform")
    expect(lab.get_by_test_id("epoch")).to_have_text("0")
    assert lab.locator("img").count() == 0


def test_an_oversized_data_set_is_left_out_of_the_state_with_a_notice(page: Page, platform) -> None:
    examples = ",".join(format(n, "016b") for n in range(0, 65536, 7))
    lab = Lab(decode_query(f"width=16&bits=0000000000000101&examples={examples}")[0])
    run = lab.start_run(1)
    while not run.finished:
        run.advance(1.0)
    kept = state_record(lab)  # 150 KB: kept whole by an earlier lab, read back whole
    assert len(json.dumps(kept)) > 64 * 1024
    frame = platform(kept)
    expect(frame.get_by_test_id("epoch")).to_have_text("1")
    frame.get_by_test_id("lesson-answer").nth(1).click()  # a change: reported
    page.wait_for_function("reports.length > 0")
    state = reports(page)[-1]["state"]
    assert state["left_out"] == ["the data set (Export saves it as a file)"]
    assert len(json.dumps(state, separators=(",", ":"))) <= 64 * 1024
    expect(frame.get_by_test_id("notice")).to_contain_text(
        "so its saved state leaves out the data set"
    )


def test_the_embed_dialog_offers_splice_and_explains_scorm(
    lab, page: Page, problems: PageProblems
) -> None:
    lab("lesson=notebook")
    page.get_by_test_id("embed-open").click()
    code = page.get_by_test_id("embed-code")
    expect(code).to_have_value(re.compile("embed-host.js"))
    page.get_by_test_id("embed-platform").select_option("splice")
    expect(code).to_have_value(re.compile(r"splice=1"))
    assert "embed-host.js" not in code.input_value() and "report=" not in code.input_value()
    expect(page.get_by_test_id("embed-report")).to_be_hidden()
    shots = Path(__file__).resolve().parents[2] / "screenshots"
    shots.mkdir(exist_ok=True)
    page.get_by_test_id("embed-dialog").screenshot(path=str(shots / "embed-splice-1280.png"))
    page.get_by_test_id("embed-platform").select_option("lms")
    expect(code).to_have_value(re.compile(r"make scorm"))
    expect(code).to_have_value(re.compile(r"nn-lab-scorm\.zip"))
    expect(page.get_by_test_id("embed-preview")).to_be_disabled()
    expect(page.get_by_test_id("embed-size")).to_be_hidden()
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("embed-dialog").screenshot(path=str(shots / "embed-lms-390.png"))
    page.get_by_test_id("embed-platform").select_option("page")
    expect(code).to_have_value(re.compile("embed-host.js"))
