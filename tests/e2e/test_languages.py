"""The lab in the course's language: ?lang= (else the browser's), German and Spanish, a decimal
comma where they write one, links that stay language-neutral, and the en-XA pseudo-locale
that shows any text not taken from the catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, START_TIMEOUT_MS, watch
from tests.e2e.pagehelpers import NOTEBOOK, train_and_wait, type_setting

# Every text node shown, less the pseudo-locale's marked messages ("[Ŧřȧīƞ ~~]", nested ones
# too): what is left with an English-looking word (3 ASCII letters) was not translated. The
# math (KaTeX), the Code panel (Python) and text a person typed are not messages.
UNMARKED_ENGLISH = """() => {
  const marked = /\\[[^\\[\\]]*~+\\]/g;
  const skip = "script, style, .katex, #code-editor, textarea, input, [hidden], .visually-hidden";
  const found = [];
  const unmarked = (text) => {
    for (let i = 0; i < 4; i++) text = text.replace(marked, " ");
    return /[A-Za-z]{3,}/.test(text);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || parent.closest("select")) continue;
    if (!parent.checkVisibility({ visibilityProperty: true })) continue;
    if (unmarked(node.textContent)) found.push(node.textContent.trim());
  }
  for (const select of document.querySelectorAll("select")) {
    const option = select.selectedOptions[0];
    if (select.checkVisibility({ visibilityProperty: true }) && option && unmarked(option.text))
      found.push(`${select.id}: ${option.text}`);
  }
  return found;
}"""

# One message of the pseudo-locale, whole: "[Ŧřȧīƞ ~~]" (nested ones too).
PSEUDO = re.compile(r"^\[.* ~+\]$", re.DOTALL)

# Elements whose content is cut off (an overflow that hides it), and how far the page is wider
# than the window: both should be nothing at phone width.
CLIPPED = """() => {
  const scrolls =
    ".katex, .math, .outputs-wrap, .code-editor, .visually-hidden, textarea, select, input, svg";
  const clipped = [];
  for (const node of document.querySelectorAll("body *")) {
    if (node.closest(scrolls) || !node.checkVisibility({ visibilityProperty: true })) continue;
    const style = getComputedStyle(node);
    const hides = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
    if (hides && node.scrollWidth > node.clientWidth + 1 && node.clientWidth > 1)
      clipped.push(node.id || node.getAttribute("data-testid") || node.className || node.tagName);
  }
  return { clipped, wider: document.documentElement.scrollWidth - window.innerWidth };
}"""


def test_german_shows_page_lesson_and_errors_takes_0_5_and_its_link_opens_in_english(
    lab,
) -> None:
    page = lab(NOTEBOOK + "&lang=de-AT")  # de-AT falls back to German
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_test_id("language")).to_have_value("de")
    expect(page.get_by_test_id("train")).to_have_text("Trainieren")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0,1")
    bits = page.get_by_test_id("bits")
    bits.fill("00201")
    bits.dispatch_event("change")
    expect(page.get_by_test_id("error")).to_have_text(
        "'00201' ist keine Binärzahl: Das Zeichen '2' an Stelle 3 ist weder 0 noch 1."
    )
    type_setting(page, "learning-rate", "0,5")  # the German way
    expect(page.get_by_test_id("learning-rate")).to_have_value("0,5")
    expect(page).to_have_url(re.compile(r"[?&]lr=0\.5(&|$)"))  # the link stays neutral
    type_setting(page, "l2", "0.01")  # and the English way, in German too
    expect(page.get_by_test_id("l2")).to_have_value("0,01")
    english = page.url.replace("lang=de", "lang=en")
    page.goto(english)
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("train")).to_have_text("Train")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.5")
    expect(page.get_by_test_id("l2")).to_have_value("0.01")
    expect(page.get_by_test_id("bits")).to_have_value("00101")
    expect(page.get_by_test_id("notice")).to_have_text("")
    page.goto(page.url.replace("lang=en", "lang=de") + "&lesson=notebook")  # and its lesson
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.locator("#lesson-title")).to_have_text(
        "Das Neuron des Notebooks, Schritt für Schritt"
    )
    expect(page.get_by_test_id("lesson-step")).to_contain_text("Schritt 1 von 9")
    expect(page.get_by_test_id("lesson-check")).to_contain_text("wähle eine Antwort")


def test_the_browser_s_language_unknown_tags_and_the_language_menu(lab, problems) -> None:
    page = lab("lang=xx-YY")  # a language the lab does not speak: English, and no warning
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("notice")).to_have_text("")
    context = page.context.browser.new_context(locale="es-ES")  # no lang: the browser's
    spanish: Page = context.new_page()
    watch(spanish, problems)
    spanish.goto(page.url.split("?")[0] + "?" + NOTEBOOK)
    spanish.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(spanish.locator("html")).to_have_attribute("lang", "es")
    expect(spanish.get_by_test_id("train")).to_have_text("Entrenar")
    type_setting(spanish, "bits", "0012")
    expect(spanish.get_by_test_id("error")).to_contain_text("'0012' no es un número binario")
    type_setting(spanish, "bits", "00101")
    train_and_wait(spanish)
    expect(spanish.get_by_test_id("epoch")).to_have_text("200")
    with spanish.expect_navigation():  # the page again in German, with the same lab
        spanish.get_by_test_id("language").select_option("de")
    spanish.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(spanish.locator("html")).to_have_attribute("lang", "de")
    expect(spanish.get_by_test_id("train")).to_have_text("Trainieren")
    expect(spanish.get_by_test_id("epoch")).to_have_text("200")
    context.close()


def test_the_pseudo_locale_leaves_no_english_unmarked_and_fits_a_phone(lab, page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page = lab(NOTEBOOK + "&lang=en-XA&lesson=notebook")
    expect(page.get_by_test_id("train")).to_have_text("[Ŧřȧīƞ ~~]")
    assert page.evaluate(UNMARKED_ENGLISH) == []
    page.get_by_test_id("lesson-answer").nth(1).click()  # right: a reply, and a passed check
    page.get_by_test_id("step-example").click()  # a step: the history, the math after a step
    train_and_wait(page)
    type_setting(page, "bits", "0012")  # a learner's mistake: nn's message
    expect(page.get_by_test_id("error")).to_contain_text("ƞǿŧ ȧ ƀīƞȧřẏ ƞŭḿƀḗř")
    assert page.evaluate(UNMARKED_ENGLISH) == []
    assert page.evaluate(CLIPPED) == {"clipped": [], "wider": 0}


def test_the_pseudo_locale_marks_as_python_the_gradient_check_sharing_and_the_history(
    lab, page, tmp_path: Path
) -> None:
    """In en-XA at 390 px: As Python's comments and note, the Code panel with the notebook's
    code and its gradient check, the Embed dialog, a damaged file imported (and refused), the
    history slider looking back, Back, and a preset loaded: nothing unmarked."""
    page.set_viewport_size({"width": 390, "height": 844})
    page = lab(NOTEBOOK + "&lang=en-XA&epochs=20")
    train_and_wait(page)
    page.get_by_test_id("export-python").click()  # As Python: its comments and its note
    run = page.get_by_test_id("python-run")
    expect(run).to_have_value(re.compile(r"^# \["))
    comments = [  # a line's own comment, or one after the code ("  # …")
        found.group(1)
        for text in (run.input_value(), page.get_by_test_id("python-code").input_value())
        for found in re.finditer(r"(?:^|  )# (.*)$", text, re.MULTILINE)
    ]
    assert len(comments) >= 6
    unmarked = [comment for comment in comments if not PSEUDO.fullmatch(comment)]
    assert unmarked == []
    expect(page.get_by_test_id("python-run-note")).to_have_text(PSEUDO)
    assert page.evaluate(UNMARKED_ENGLISH) == []
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("python-dialog")).to_be_hidden()
    page.locator("#code-panel").scroll_into_view_if_needed()  # the Code panel
    page.wait_for_selector('[data-code-ready="true"]')
    page.get_by_test_id("notebook-code").click()  # the notebook's code, with its two slips
    expect(page.get_by_test_id("code-notice")).to_have_text(PSEUDO)
    page.get_by_test_id("check-gradients").click()
    check = page.get_by_test_id("gradient-check")
    expect(check).to_have_attribute("data-passed", "false")
    expect(check.locator(".verdict")).to_contain_text("ḓƇ/ḓẋ")  # dC/dx after the update
    expect(check.locator("th").first).to_have_text(PSEUDO)
    assert (
        page.evaluate(UNMARKED_ENGLISH.replace('"script, ', '"#gradient-check code, script, '))
        == []
    )
    expect(check.locator("tbody code").first).to_have_text(re.compile(r"^activate=(True|False)$"))
    page.get_by_test_id("library-code").click()  # the library's code again, for the rest

    page.get_by_test_id("embed-open").click()
    expect(page.get_by_test_id("embed-dialog")).to_be_visible()
    expect(page.get_by_test_id("embed-lesson")).to_contain_text("ƞǿƞḗ")  # "none: the lab…"
    assert page.evaluate(UNMARKED_ENGLISH) == []
    page.locator("#embed-close").click()
    expect(page.get_by_test_id("embed-dialog")).to_be_hidden()

    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps({"format": "nn-lab", "settings": {"width": "x"}}))
    page.get_by_test_id("import-json").set_input_files(damaged)
    expect(page.get_by_test_id("error")).to_contain_text("Ŧħȧŧ ƒīŀḗ'ş şḗŧŧīƞɠş")
    assert page.evaluate(UNMARKED_ENGLISH) == []
    (tmp_path / "not.json").write_text("{")
    page.get_by_test_id("import-json").set_input_files(tmp_path / "not.json")
    expect(page.get_by_test_id("error")).to_contain_text("ĴŞǾȠ")
    expect(page.get_by_test_id("error")).not_to_contain_text("Expecting")
    assert page.evaluate(UNMARKED_ENGLISH) == []

    page.get_by_test_id("history").evaluate(  # look back at epoch 5 of 20
        "node => { node.value = '5'; node.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    expect(page.get_by_test_id("history-past")).to_be_visible()
    expect(page.get_by_test_id("prediction-past")).to_contain_text("5")
    expect(page.get_by_test_id("train-status")).to_contain_text("Ŀǿǿķīƞɠ ƀȧƈķ")
    assert page.evaluate(UNMARKED_ENGLISH) == []
    train_and_wait(page)  # continues from the past: Back appears
    page.get_by_test_id("history-back").click()
    expect(page.get_by_test_id("train-status")).to_contain_text("Ɓȧƈķ:")
    assert page.evaluate(UNMARKED_ENGLISH) == []
    page.get_by_test_id("preset").select_option("odd")  # its description, in the status
    expect(page.get_by_test_id("train-status")).to_contain_text("ƞḗŭřǿƞ")
    assert page.evaluate(UNMARKED_ENGLISH) == []
    assert page.evaluate(CLIPPED) == {"clipped": [], "wider": 0}
