"""The Code panel: the neuron's own Python, edited in the page, checked against
finite differences, and trained with; errors and endless loops never break the lab; code
that comes with a link waits for the viewer to press Use my code."""

from __future__ import annotations

from urllib.parse import quote

from core.codetext import pack_code
from core.usercode import library_source
from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import train_and_wait, type_setting

PARITY3 = "width=3&bits=101&task=parity&examples=all&layers=4,1&lr=1&epochs=300&seed=2"
CODE_READY = '[data-code-ready="true"]'
WEIGHT_STEP = "self.weight[i] += rate * x[i]"  # nn.Neuron.backward's update


def open_code(lab, query: str) -> Page:
    page = lab(query)
    return show_code(page)


def show_code(page: Page) -> Page:
    """Scroll to the Code panel, whose editor loads once it comes into view."""
    expect(page.locator(CODE_READY)).to_have_count(0)  # not before: nothing fetched for it
    page.locator("#code-panel").scroll_into_view_if_needed()
    page.wait_for_selector(CODE_READY)
    return page


def type_code(page: Page, text: str) -> None:
    """Replace the editor's text with the keyboard: select all, insert."""
    page.get_by_test_id("code").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)


def editor_text(page: Page) -> str:
    """The editor's whole text (CodeMirror draws only the lines in view)."""
    return page.evaluate("document.getElementById('code-editor').nnEditor.getText()")


def check(page: Page) -> str:
    """Press Check my gradients; the result's data-passed."""
    page.get_by_test_id("check-gradients").click()
    region = page.get_by_test_id("gradient-check")
    expect(region).to_be_visible()
    return region.get_attribute("data-passed") or ""


def failing_rows(page: Page) -> set[str]:
    rows = page.locator('[data-testid="gradient-check"] tbody tr').all()
    return {row.locator("td").first.inner_text() for row in rows if "FAIL" in row.inner_text()}


def loss(page: Page) -> float:
    return float(page.get_by_test_id("loss").inner_text())


def test_the_library_passes_the_notebook_slips_and_a_flipped_sign_are_caught(lab) -> None:
    page = open_code(lab, PARITY3)
    source = library_source()
    assert WEIGHT_STEP in source
    expect(page.get_by_test_id("code")).to_contain_text("class Sigmoid")
    # put in ten lines at a time (code-editor.js), it is the source whole, and undo takes none
    # of that back: it is not an edit
    assert editor_text(page) == source
    page.get_by_test_id("code").click()
    page.keyboard.press("Control+z")
    assert editor_text(page) == source
    # the keyboard reaches every line (the page fails on any console error meanwhile), and
    # Enter in a method body keeps its 8 spaces
    page.get_by_test_id("code").click()
    page.keyboard.press("Control+Home")
    lines = source.splitlines()
    for _ in range(len(lines) + 5):
        page.keyboard.press("ArrowDown")
    expect(page.locator(".cm-activeLine")).to_have_text("")  # the last, empty line
    # to the first line of forward's body with the editor's search (Ctrl+F, Enter, Escape): no
    # counting of ArrowDown presses, which a busy machine can see land on another line
    page.keyboard.press("Control+Home")
    page.keyboard.press("Control+f")
    page.keyboard.type("self.z = z = sum")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.locator(".cm-activeLine")).to_contain_text("self.z = z = sum")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("marker = 1")
    text = editor_text(page)
    assert "\n        marker = 1\n" in text, [
        line for line in text.splitlines() if "marker" in line
    ]
    page.get_by_test_id("library-code").click()
    assert editor_text(page) == source
    assert check(page) == "true"
    # the notebook's version: its dC/dx uses the weights after the step
    page.get_by_test_id("notebook-code").click()
    assert check(page) == "false"
    assert {"dC/dx₀ (returned)", "dC/dx₁ (returned)", "dC/dx₂ (returned)"} <= failing_rows(page)
    expect(page.get_by_test_id("gradient-check")).to_contain_text("weights after the update")
    # gradient ascent: += becomes -=
    type_code(page, source.replace(WEIGHT_STEP, "self.weight[i] -= rate * x[i]"))
    assert check(page) == "false"
    assert {"dC/dw₀ (−Δw₀ at η = 1)", "dC/dw₂ (−Δw₂ at η = 1)"} <= failing_rows(page)
    expect(page.get_by_test_id("gradient-check")).to_contain_text("wrong sign")
    page.get_by_test_id("use-code").click()
    expect(page.get_by_test_id("code-status")).to_have_text("In use: your code.")
    type_setting(page, "epochs", "20")
    before = loss(page)
    train_and_wait(page)
    assert loss(page) > before  # it climbs the cost
    # fixed again: the check passes, and the learner's neuron learns parity in a 3-4-1 network
    page.get_by_test_id("reset").click()
    type_code(page, source)
    assert check(page) == "true"
    page.get_by_test_id("use-code").click()
    type_setting(page, "epochs", "300")
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("300")
    expect(page.get_by_test_id("accuracy")).to_have_text("100%")
    expect(page.get_by_test_id("code-status")).to_have_text("In use: your code.")


def test_linked_code_waits_for_use_my_code_errors_show_their_line_and_a_reload_keeps_it(
    lab,
) -> None:
    """Code from a link is shown, not run, until Use my code; a syntax error shows its line and
    the lab trains on with nn's code; an endless loop is stopped (its budget: tests/unit/
    test_usercode.py) and the page answers; a reload keeps the code and again does not run it."""
    marker = "import js\njs.document.title = 'the code ran'\n"
    source = library_source()
    code = source + marker
    page = open_code(
        lab, "width=3&bits=101&task=odd&examples=all&epochs=5&code=" + quote(pack_code(code))
    )
    title = page.title()
    status = page.get_by_test_id("code-status")
    expect(page.get_by_test_id("code-notice")).to_contain_text("runs only if you press Use my code")
    assert editor_text(page) == code
    expect(status).to_have_text("In use: the library's code.")
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("5")
    assert page.title() == title != "the code ran"
    page.get_by_test_id("use-code").click()
    expect(page).to_have_title("the code ran")
    expect(status).to_have_text("In use: your code.")
    page.get_by_test_id("library-code").click()
    expect(status).to_have_text("In use: the library's code.")
    # A syntax error: its line is shown and marked, and the lab trains on with nn's code.
    broken = source.replace("def backward(self", "def backward(self,,")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if ",," in text)
    type_code(page, broken)
    page.get_by_test_id("use-code").click()
    error = page.get_by_test_id("code-error")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text(f"Line {line}: SyntaxError")
    expect(page.locator(".cm-error-line")).to_have_count(1)
    expect(status).to_have_text("In use: the library's code.")
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("10")
    # An endless loop in forward: stopped, and the page answers afterwards.
    header = next(line for line in source.splitlines() if "def forward(" in line)
    looping = source.replace(header, header + "\n        while True:\n            pass")
    assert looping != source
    type_code(page, looping)
    page.get_by_test_id("use-code").click()
    expect(error).to_contain_text("5 s", timeout=15_000)
    expect(status).to_have_text("In use: the library's code.")
    type_setting(page, "learning-rate", "0.5")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.5")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("epoch")).to_have_text("11")
    # A reload keeps the code in the editor (autosaved), and again does not run it.
    type_code(page, code + "\n# my note\n")
    page.wait_for_function(
        "() => Object.values(localStorage).some((value) => value.includes('my note'))"
    )
    page.goto(page.url.split("?")[0])
    page.wait_for_selector('html[data-ready="true"]')
    show_code(page)
    assert editor_text(page).endswith("# my note\n")
    expect(status).to_have_text("In use: the library's code.")
    assert page.title() != "the code ran"
