"""Guided lessons and challenges, played as a student would: the notebook lesson
step by step with its checks live, a challenge to a pass, a teacher's lesson file (good and
bad), progress kept on reload, and events reported to the course page's origin only."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, ROOT, START_TIMEOUT_MS
from tests.e2e.pagehelpers import train_and_wait
from tests.serve import serve_in_background


def step(page: Page) -> int:
    return int(page.get_by_test_id("lesson-step").get_attribute("data-step") or "0")


def checks_pass(page: Page) -> None:
    checks = page.get_by_test_id("lesson-check")
    for i in range(checks.count()):
        expect(checks.nth(i)).to_have_attribute("data-passed", "true")


def answer(page: Page, text: str) -> None:
    page.get_by_test_id("lesson-answer").filter(has_text=text).click()


def test_the_notebook_lesson_walks_step_by_step_and_keeps_its_place(lab) -> None:
    page = lab("lesson=notebook")
    expect(page.get_by_test_id("lesson")).to_be_visible()
    assert step(page) == 1
    check = page.get_by_test_id("lesson-check")
    answer(page, "31")  # a wrong answer is said to be wrong
    expect(check).to_have_attribute("data-passed", "false")
    answer(page, "5")
    checks_pass(page)
    page.get_by_test_id("lesson-next").click()
    assert step(page) == 2
    page.get_by_test_id("lesson-back").click()
    assert step(page) == 1
    page.get_by_test_id("lesson-next").click()
    answer(page, "w₃ and w₅")
    checks_pass(page)
    page.get_by_test_id("lesson-next").click()
    answer(page, "C goes down")
    page.get_by_test_id("lesson-next").click()
    assert step(page) == 4
    # Predict the sign of Δw₃ (y > t: negative) while the math panel, which shows it, is
    # hidden; it shows Δw₃ once answered, then step.
    expect(page.get_by_test_id("math")).to_be_hidden()
    answer(page, "negative")
    math = page.get_by_test_id("math")
    expect(math).to_be_visible()
    deltas = re.search(r"Δw=\((.*?)\)", re.sub(r"\s", "", math.text_content() or ""))
    assert deltas and deltas.group(1).split(",")[2].startswith(("−", "-")), deltas
    page.get_by_test_id("step-example").click()
    checks_pass(page)
    page.get_by_test_id("lesson-next").click()
    assert step(page) == 5
    train_and_wait(page)
    checks_pass(page)
    value = float(page.get_by_test_id("prediction").text_content() or "0")
    assert abs(value - 5) < 0.5
    expect(page.get_by_test_id("lesson-step")).to_contain_text("5 done")
    page.reload()
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    assert step(page) == 5
    expect(page.get_by_test_id("lesson-step")).to_contain_text("5 done")


def test_a_challenge_is_played_to_a_pass(lab) -> None:
    page = lab("lesson=notebook&challenge=fast-loss")
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


@pytest.fixture
def lab_copy(tmp_path: Path) -> Iterator[tuple[Path, str]]:
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
    yield tmp_path, url
    server.shutdown()
    server.server_close()


def test_a_teacher_s_lesson_file_opens_and_a_bad_one_says_where_it_is_wrong(
    page: Page, problems, lab_copy
) -> None:
    _, url = lab_copy
    page.goto(url + "?lesson=./my-lesson.json")
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    lesson = json.loads((ROOT / "examples" / "my-lesson.json").read_text())
    expect(page.get_by_test_id("lesson")).to_contain_text(lesson["title"])
    page.goto(url + "?lesson=./bad-lesson.json")
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("steps[0].checks[0].kind")
    expect(notice).to_contain_text("los_below")
    expect(page.get_by_test_id("lesson")).to_be_hidden()
    train_and_wait(page)  # the lab opens all the same


HOST = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Course</title><link rel="icon" href="data:,">
<script>
  window.events = [];
  addEventListener("message", (e) => window.events.push({origin: e.origin, data: e.data}));
</script></head>
<body><iframe src="{src}" width="900" height="700" title="nn lab"></iframe></body></html>
"""


@pytest.fixture
def course_page(tmp_path: Path, base_url_root: str, problems) -> Iterator:
    servers = []
    problems.allowed_hosts.add("localhost")

    def make(report: str | None) -> tuple[str, str]:
        url, server = serve_in_background(tmp_path, extra_files=["host.html"])
        servers.append(server)
        origin = url.replace("//127.0.0.1:", "//localhost:").rstrip("/")
        query = "embed=1&lesson=notebook&report=" + (report or origin)
        (tmp_path / "host.html").write_text(HOST.replace("{src}", base_url_root + "?" + query))
        return origin + "/host.html", base_url_root.rstrip("/")

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


def lab_frame(page: Page):
    page.frame_locator("iframe").locator(READY).wait_for(state="attached", timeout=START_TIMEOUT_MS)
    return page.locator("iframe").element_handle().content_frame()


def test_progress_events_reach_the_course_page_of_the_report_origin(page: Page, course_page):
    url, lab_origin = course_page(None)
    page.goto(url)
    frame = lab_frame(page)
    frame.get_by_test_id("lesson-answer").filter(has_text="5").click()
    page.wait_for_function("window.events.some(e => e.data && e.data.type === 'step-done')")
    events = page.evaluate("window.events")
    assert all(e.get("origin") == lab_origin for e in events), events
    done = next(e["data"] for e in events if e["data"]["type"] == "step-done")
    assert done["source"] == "nn-lab" and done["lesson"] == "notebook" and done["step"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", done["time"])
    assert {"epoch", "task"} <= set(done["state"])
    # The course page may ask to go to a step; the lab answers only documented messages.
    page.evaluate(
        """() => document.querySelector('iframe').contentWindow.postMessage(
            {source: 'nn-host', type: 'go-to-step', step: 3}, '*')"""
    )
    expect(frame.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")


def test_with_another_report_origin_the_course_page_hears_nothing(page: Page, course_page):
    url, _ = course_page("http://127.0.0.1:9")  # someone else: the browser must not deliver
    page.goto(url)
    frame = lab_frame(page)
    frame.get_by_test_id("lesson-answer").filter(has_text="5").click()
    expect(frame.get_by_test_id("lesson-check").first).to_have_attribute("data-passed", "true")
    train_and_wait(frame)
    assert page.evaluate("window.events") == []
