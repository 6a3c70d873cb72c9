"""Guided lessons and challenges, played as a student would: the notebook lesson to its end on a
phone, its place kept through reloads, fast clicks and Start fresh, a challenge to a pass, a
teacher's lesson file (good and bad), and progress events reported to the course page's origin
only. What each check passes on, the score, and the lesson files' rules are tested under
CPython (tests/unit/test_lessons.py, test_course_site.py)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, ROOT, START_TIMEOUT_MS
from tests.e2e.pagehelpers import (
    PHONE,
    answer,
    assert_nothing_serious,
    fits,
    next_step,
    reload,
    step,
    step_passed,
    train_and_wait,
    type_setting,
    visit,
)
from tests.serve import serve_in_background


def test_the_notebook_lesson_to_its_end_on_a_phone(lab, page: Page) -> None:
    """Show me scrolls to what a step points at; each wrong choice says what it misses; step 4
    hides the math until the sign of Δw₃ is predicted; a reload keeps the step; a diverged run
    keeps the page's width; step 8's answer waits; the caption and the status follow the lab;
    the end says the score and opens the challenges."""
    page.set_viewport_size(PHONE)
    page = lab("lesson=notebook")
    assert step(page) == 1
    expect(page.get_by_test_id("lesson-show-me")).to_be_visible()  # the diagram, far below
    page.get_by_test_id("lesson-show-me").click()
    expect(page.locator('[data-control="neuron"]').first).to_be_in_viewport()
    check = page.get_by_test_id("lesson-check")
    answer(page, "31")
    expect(check).to_have_attribute("data-passed", "false")
    expect(check).to_contain_text("31 is the largest number of 5 bits")
    answer(page, "1")
    expect(check).to_contain_text("count the lines into the neuron")
    answer(page, "5")
    step_passed(page)
    expect(page.get_by_test_id("lesson-first-try")).to_have_attribute("data-first", "false")
    next_step(page)
    answer(page, "w₃ and w₅")
    expect(page.get_by_test_id("lesson-first-try")).to_have_attribute("data-first", "true")
    next_step(page)
    answer(page, "C goes down")
    next_step(page)
    # Step 4: predict the sign of Δw₃ while the math panel, which would show it, is hidden.
    math = page.locator('.math-box[data-control="math"]')
    expect(math).to_be_hidden()
    expect(page.get_by_test_id("lesson-concealed")).to_contain_text("Predict first")
    gradient = page.locator(".diagram .grad").first  # ∂C/∂z beside the neuron: its sign too
    expect(gradient).to_be_hidden()
    answer(page, "positive")
    expect(page.get_by_test_id("lesson-check").first).to_contain_text("the minus sign")
    expect(math).to_be_hidden()
    answer(page, "negative")
    expect(math).to_be_visible()
    expect(gradient).to_be_visible()
    expect(page.get_by_test_id("lesson-concealed")).to_be_hidden()
    text = re.sub(r"\s", "", page.get_by_test_id("math").text_content() or "")
    deltas = re.search(r"Δw=\((.*?)\)", text)
    assert deltas and deltas.group(1).split(",")[2].startswith(("−", "-")), deltas  # y > t
    page.get_by_test_id("step-example").click()
    step_passed(page)
    next_step(page)
    train_and_wait(page)
    step_passed(page)
    value = float(page.get_by_test_id("prediction").text_content() or "0")
    assert abs(value - 5) < 0.5
    expect(page.get_by_test_id("lesson-step")).to_contain_text("5 done")
    reload(page)
    assert step(page) == 5
    expect(page.get_by_test_id("lesson-step")).to_contain_text("5 done")
    next_step(page)
    # Step 6: learning rate 10 without the sigmoid diverges; the page keeps its width.
    type_setting(page, "learning-rate", "10")
    train_and_wait(page)
    error = page.get_by_test_id("error").text_content() or ""
    said = re.search(r"diverged at epoch (\d+)", error)
    assert said, error
    expect(page.get_by_test_id("lesson")).to_contain_text(
        f"training diverged at epoch {said.group(1)}"
    )
    prediction = page.get_by_test_id("prediction").text_content() or ""
    assert len(prediction) <= 12, prediction
    fits(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    fits(page)
    page.set_viewport_size(PHONE)
    step_passed(page)
    caption = page.get_by_test_id("diagram-info")
    page.locator('#diagram [data-key="0-0-0"]').hover()
    expect(caption).to_contain_text("w₁ = ")
    first_caption = caption.text_content() or ""
    next_step(page)
    # Step 7: the odd preset. The caption follows the weights; the status, the last action.
    train_and_wait(page)
    step_passed(page)
    now = page.locator('#diagram [data-key="0-0-0"]').get_attribute("aria-label") or ""
    assert now.split(",")[0] not in first_caption, (now, first_caption)
    expect(caption).to_contain_text(now.split(",")[0])
    page.get_by_test_id("step-example").click()
    expect(page.get_by_test_id("train-status")).to_contain_text("Stepped example")
    next_step(page)
    expect(page.get_by_test_id("train-status")).to_contain_text("set up for this step")
    # Step 8: the sentence with the answer waits for it.
    reveal = page.get_by_test_id("lesson-reveal")
    expect(reveal).to_be_hidden()
    expect(page.locator("#lesson-text")).not_to_contain_text("no line")
    train_and_wait(page)
    expect(page.get_by_test_id("hint")).to_be_hidden()  # it told the answer, then said it twice
    answer(page, "No: no line")
    expect(reveal).to_be_visible()
    expect(reveal).to_contain_text("No line puts")
    expect(page.get_by_test_id("hint")).to_be_hidden()
    step_passed(page)
    next_step(page)
    # Step 9: the model box shows the 3-4-1 network and its buttons.
    expect(page.get_by_test_id("model-kind")).to_have_text("Network 3-4-1")
    expect(page.get_by_test_id("layer-size-0")).to_be_visible()
    box = page.locator('.layers[data-control="layers"]').bounding_box()
    assert box and box["height"] > 60 and box["width"] > 200, box
    finished = page.get_by_test_id("lesson-finished")
    expect(finished).to_be_hidden()
    while (page.get_by_test_id("accuracy").text_content() or "") != "100%":
        train_and_wait(page)
    step_passed(page)
    expect(finished).to_be_visible()
    expect(finished).to_contain_text("All 9 steps passed; 7 of them")
    expect(finished).to_contain_text("steps 1 and 4 took more than one try")
    expect(page.locator("#lesson-challenges")).to_have_attribute("open", "")
    expect(page.get_by_test_id("lesson-step")).to_contain_text("score 7/9")
    page.get_by_test_id("lesson-finished-next").click()
    expect(page.locator('[data-testid="challenge"][data-challenge="five-by-hand"]')).to_have_class(
        re.compile("open")
    )


DENY_LOCAL_STORAGE = """Object.defineProperty(window, "localStorage", {
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});"""


def test_the_lesson_keeps_its_place_through_reloads_fast_clicks_and_start_fresh(
    lab, page: Page
) -> None:
    """Nothing serious for axe; a reload keeps the step after Next and after Back; ten fast
    clicks on Back go back ten steps or to the first; Start fresh starts the lesson over and
    stays in it; where only sessionStorage is allowed, progress survives a reload."""
    page = lab("lesson=notebook")
    expect(page.get_by_test_id("lesson")).to_be_visible()
    assert_nothing_serious(page, "lesson")
    answer(page, "5")
    step_passed(page)
    next_step(page)
    reload(page)
    assert step(page) == 2
    for _ in range(5):
        next_step(page)
    assert step(page) == 7
    back = page.get_by_test_id("lesson-back")
    for _ in range(4):
        back.click(no_wait_after=True)
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")
    reload(page)
    assert step(page) == 3
    for _ in range(6):
        back.click(no_wait_after=True, force=True)  # Back greys out at step 1
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")
    next_step(page)
    next_step(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("start-fresh").click()
    page.wait_for_url(re.compile(r"\?lesson=notebook$"))
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("lesson")).to_be_visible()
    assert step(page) == 1
    expect(page.get_by_test_id("lesson-step")).to_contain_text("0 done")

    page.add_init_script(DENY_LOCAL_STORAGE)  # as some browsers do in a cross-site frame
    visit(page, page.url.split("?")[0] + "?lesson=notebook&hide=share")
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("only while this tab is open")
    expect(notice).not_to_contain_text("Export")  # hidden by the link
    answer(page, "5")
    expect(page.get_by_test_id("lesson-step")).to_contain_text("1 done")
    page.get_by_test_id("lesson-next").click()
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "2")
    reload(page)
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "2")
    expect(page.get_by_test_id("lesson-step")).to_contain_text("1 done")


@pytest.fixture
def lab_copy(tmp_path: Path) -> Iterator[str]:
    """The page copied with lesson files beside it, served on a free port."""
    for name in ("index.html", "pyscript.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "nn", tmp_path / "nn", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "static", tmp_path / "static")
    shutil.copy(ROOT / "examples" / "my-lesson.json", tmp_path / "my-lesson.json")
    bad = json.loads((ROOT / "examples" / "my-lesson.json").read_text())
    bad["steps"][0]["checks"][0]["kind"] = "los_below"
    (tmp_path / "bad-lesson.json").write_text(json.dumps(bad))
    url, server = serve_in_background(tmp_path, extra_files=["my-lesson.json", "bad-lesson.json"])
    yield url
    server.shutdown()
    server.server_close()


def test_a_challenge_is_played_to_a_pass_and_a_teacher_s_lesson_file_opens(
    lab, page: Page, lab_copy: str
) -> None:
    """In the dark scheme, a challenge passes nothing serious for axe and is played to a pass;
    a teacher's lesson file beside the page opens, and a bad one says where it is wrong while
    the lab opens all the same."""
    page.emulate_media(color_scheme="dark")
    page = lab("lesson=notebook&challenge=fast-loss", root=lab_copy)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert_nothing_serious(page, "dark challenge")
    challenge = page.locator('[data-testid="challenge"][data-challenge="fast-loss"]')
    expect(challenge).to_have_attribute("data-passed", "false")
    train_and_wait(page)  # the notebook's rate is too slow for 100 epochs
    expect(challenge).to_have_attribute("data-passed", "false")
    rate = page.get_by_test_id("learning-rate")
    rate.fill("1")
    rate.press("Tab")
    page.get_by_test_id("reset").click()
    train_and_wait(page)
    expect(challenge).to_have_attribute("data-passed", "true")

    page = lab("lesson=./my-lesson.json", root=lab_copy)
    lesson = json.loads((ROOT / "examples" / "my-lesson.json").read_text())
    expect(page.get_by_test_id("lesson")).to_contain_text(lesson["title"])
    page = lab("lesson=./bad-lesson.json", root=lab_copy)
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("steps[0].checks[0].kind")
    expect(notice).to_contain_text("los_below")
    expect(page.get_by_test_id("lesson")).to_be_hidden()
    train_and_wait(page)  # the lab opens all the same


HOST = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Course</title><link rel="icon" href="data:,">
<script>
  window.events = [];
  addEventListener("message", (e) => window.events.push({
    origin: e.origin, data: e.data, frame: Array.from(frames, (f) => f).indexOf(e.source)}));
</script></head>
<body>
<iframe src="{mine}" width="900" height="700" title="nn lab"></iframe>
<iframe src="{other}" width="900" height="700" title="nn lab, reporting elsewhere"></iframe>
</body></html>
"""


def test_progress_events_reach_only_the_course_page_of_the_report_origin(
    page: Page, problems, tmp_path: Path, base_url_root: str
) -> None:
    """Two labs framed by one course page: the one whose link names the page's origin in
    report= tells it each step done (and goes to a step when asked); the one that names another
    origin tells it nothing, whatever the learner does."""
    problems.allowed_hosts.add("localhost")
    url, server = serve_in_background(tmp_path, extra_files=["host.html"])
    try:
        origin = url.replace("//127.0.0.1:", "//localhost:").rstrip("/")
        src = base_url_root + "?embed=1&lesson=notebook&report="
        html = HOST.replace("{mine}", src + origin).replace("{other}", src + "http://127.0.0.1:9")
        (tmp_path / "host.html").write_text(html)
        page.goto(origin + "/host.html")
        for i in range(2):
            page.frame_locator("iframe").nth(i).locator(READY).wait_for(
                state="attached", timeout=START_TIMEOUT_MS
            )
        frames = page.locator("iframe")
        mine, other = (frames.nth(i).element_handle().content_frame() for i in (0, 1))
        assert mine is not None and other is not None
        # Someone else's origin: the browser must not deliver.
        other.get_by_test_id("lesson-answer").filter(has_text="5").click()
        expect(other.get_by_test_id("lesson-check").first).to_have_attribute("data-passed", "true")
        train_and_wait(other)
        mine.get_by_test_id("lesson-answer").filter(has_text="5").click()
        page.wait_for_function("window.events.some(e => e.data && e.data.type === 'step-done')")
        events = page.evaluate("window.events")
        assert [e for e in events if e["frame"] != 0] == [], events
        assert all(e.get("origin") == base_url_root.rstrip("/") for e in events), events
        done = next(e["data"] for e in events if e["data"]["type"] == "step-done")
        assert done["source"] == "nn-lab" and done["lesson"] == "notebook" and done["step"] == 1
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", done["time"])
        assert {"epoch", "task"} <= set(done["state"])
        # The course page may ask to go to a step; the lab answers only documented messages.
        page.evaluate(
            """() => frames[0].postMessage({source: 'nn-host', type: 'go-to-step', step: 3}, '*')"""
        )
        expect(mine.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")
    finally:
        server.shutdown()
        server.server_close()
