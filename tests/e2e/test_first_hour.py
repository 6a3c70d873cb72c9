"""A first-year student's first hour with the lab (issue 27), as journeys: the notebook lesson
played to its end on a phone-sized page (a diverged run that stays within the page, one epoch
named for it, questions that wait for the prediction, the model box after step 8, the end of
the lesson), reloads that keep the step, Start fresh inside a lesson, fast clicking, and a
weight read by a tap."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, START_TIMEOUT_MS
from tests.e2e.pagehelpers import train_and_wait, type_setting

PANELS = """() => [document.documentElement, ...document.querySelectorAll('.panel')]
    .filter((node) => node.offsetParent !== null || node === document.documentElement)
    .map((node) => ({name: node.className || node.tagName, scroll: node.scrollWidth,
                     client: node.clientWidth}))"""


def step(page: Page) -> int:
    return int(page.get_by_test_id("lesson-step").get_attribute("data-step") or "0")


def answer(page: Page, text: str) -> None:
    """Pick the choice that starts with ``text`` ("1" is not "31")."""
    page.get_by_test_id("lesson-answer").filter(has_text=re.compile("^" + re.escape(text))).click()


def next_step(page: Page) -> None:
    before = step(page)
    page.get_by_test_id("lesson-next").click()
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", str(before + 1))


def step_passed(page: Page) -> None:
    checks = page.get_by_test_id("lesson-check")
    for i in range(checks.count()):
        expect(checks.nth(i)).to_have_attribute("data-passed", "true")


def reload(page: Page) -> None:
    page.reload()
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)


def fits(page: Page) -> None:
    """Nothing the lab draws is wider than its container: the page, and each panel shown."""
    for box in page.evaluate(PANELS):
        assert box["scroll"] <= box["client"], box


def test_the_notebook_lesson_to_its_end_on_a_phone(lab, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page = lab("lesson=notebook")
    assert step(page) == 1
    expect(page.get_by_test_id("lesson-show-me")).to_be_visible()  # the diagram, far below
    page.get_by_test_id("lesson-show-me").click()
    expect(page.locator('[data-control="neuron"]').first).to_be_in_viewport()
    # Each wrong choice says what it misses, in its own words.
    check = page.get_by_test_id("lesson-check")
    answer(page, "31")
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
    page.get_by_test_id("step-example").click()
    step_passed(page)
    next_step(page)
    train_and_wait(page)
    step_passed(page)
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
    page.set_viewport_size({"width": 390, "height": 844})
    step_passed(page)
    next_step(page)
    train_and_wait(page)
    step_passed(page)
    next_step(page)
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


def test_a_diverged_lab_fits_a_700_px_frame(lab, page: Page) -> None:
    page.set_viewport_size({"width": 700, "height": 500})
    page = lab("embed=1&preset=notebook&activate=0&lr=10&epochs=200")
    train_and_wait(page)
    expect(page.get_by_test_id("error")).to_contain_text("diverged at epoch")
    for tab in ("model", "chart", "math", "data", "settings"):
        page.locator(f'#embed-tabs button[data-tab="{tab}"]').click()
        fits(page)


def test_a_reload_keeps_the_step_after_next_and_after_back(lab) -> None:
    page = lab("lesson=notebook")
    next_step(page)
    assert step(page) == 2
    reload(page)
    assert step(page) == 2
    for _ in range(3):
        next_step(page)
    assert step(page) == 5
    page.get_by_test_id("lesson-back").click()
    page.get_by_test_id("lesson-back").click()
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")
    reload(page)
    assert step(page) == 3


def test_ten_fast_clicks_on_back_go_back_ten_steps_or_to_the_first(lab) -> None:
    page = lab("lesson=notebook")
    for _ in range(6):
        next_step(page)
    assert step(page) == 7
    back = page.get_by_test_id("lesson-back")
    for _ in range(4):
        back.click(no_wait_after=True)
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "3")
    for _ in range(6):
        back.click(no_wait_after=True, force=True)  # Back greys out at step 1
    expect(page.get_by_test_id("lesson-step")).to_have_attribute("data-step", "1")


def test_start_fresh_inside_a_lesson_starts_it_over_and_stays_in_it(lab) -> None:
    page = lab("lesson=notebook")
    answer(page, "5")
    step_passed(page)
    next_step(page)
    next_step(page)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("start-fresh").click()
    page.wait_for_url(re.compile(r"\?lesson=notebook$"))
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("lesson")).to_be_visible()
    assert step(page) == 1
    expect(page.get_by_test_id("lesson-step")).to_contain_text("0 done")


def test_the_number_box_never_blocks_train_and_refused_settings_are_each_named(lab) -> None:
    page = lab("preset=notebook&epochs=5")
    type_setting(page, "bits", "banana")  # a draft for Add, refused beside the box
    expect(page.get_by_test_id("bits")).to_have_attribute("aria-invalid", "true")
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("5")
    type_setting(page, "learning-rate", "fast")
    type_setting(page, "epochs", "many")
    page.get_by_test_id("train").click()
    error = page.get_by_test_id("error")
    expect(error).to_contain_text("“Learning rate η” holds 'fast' and “Epochs per Train” holds")
    expect(error).to_contain_text("which were not accepted")
    expect(page.get_by_test_id("epoch")).to_have_text("5")


def test_the_caption_and_the_status_follow_the_lab(lab) -> None:
    """The caption once kept "w₁ = −0.7313" from step 1 to step 7, and "Stepped example …"
    stayed after a step's setup had reset the weights."""
    page = lab("lesson=notebook")
    page.locator('#diagram [data-key="0-0-0"]').hover()
    caption = page.get_by_test_id("diagram-info")
    expect(caption).to_contain_text("w₁ = ")
    before = caption.text_content() or ""
    for _ in range(6):
        next_step(page)  # step 7: the odd preset
    train_and_wait(page)
    now = page.locator('#diagram [data-key="0-0-0"]').get_attribute("aria-label") or ""
    assert now.split(",")[0] not in before, (now, before)
    expect(caption).to_contain_text(now.split(",")[0])
    page.get_by_test_id("step-example").click()
    expect(page.get_by_test_id("train-status")).to_contain_text("Stepped example")
    next_step(page)  # step 8's setup resets the weights, and says so
    expect(page.get_by_test_id("train-status")).to_contain_text("set up for this step")


def test_on_a_touch_screen_a_tap_reads_a_weight_and_a_second_tap_edits_it(
    browser, base_url_root: str
) -> None:
    from tests.e2e.conftest import PageProblems, watch

    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    found = PageProblems()
    watch(page, found)
    page.goto(base_url_root + "?preset=notebook")
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    weight = page.locator('#diagram [data-key="0-0-2"]')  # w₃, about level
    weight.scroll_into_view_if_needed()
    box = weight.bounding_box()
    assert box
    point = (box["x"] + 0.25 * box["width"], box["y"] + box["height"] / 2)  # clear of others
    page.touchscreen.tap(*point)
    caption = page.get_by_test_id("diagram-info")
    expect(caption).to_contain_text("w₃ = ")
    expect(caption).to_contain_text("Tap it again to change it.")
    expect(page.get_by_test_id("weight-editor")).to_be_hidden()
    page.touchscreen.tap(*point)
    expect(page.get_by_test_id("weight-editor")).to_be_visible()
    expect(page.get_by_test_id("weight-editor")).to_contain_text("w₃")
    context.close()
    found.check()


def test_show_me_in_an_embedded_lesson_opens_the_tab_of_what_the_step_points_at(lab) -> None:
    page = lab("embed=1&lesson=notebook")
    expect(page.get_by_test_id("lesson")).to_be_visible()
    next_step(page)  # step 2: "Read z and y in the math panel"
    page.get_by_test_id("lesson-show-me").click()
    expect(page.locator("html")).to_have_attribute("data-tab", "math")
    expect(page.get_by_test_id("math")).to_be_visible()
