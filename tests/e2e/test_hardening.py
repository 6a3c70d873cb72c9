"""Hardening: no saved state, file or link can stop the lab from loading or lose a
learner's work without a word; training makes progress at any data-set size."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, START_TIMEOUT_MS
from tests.e2e.pagehelpers import NOTEBOOK, epoch, train_and_wait

TRAINED = "width=4&examples=0001,0010,0101&bits=0101&layers=3,1&seed=7&epochs=20"
KEY, ASIDE = "nn-lab:v1", "nn-lab:unreadable"


def saved(page: Page) -> str:
    return page.evaluate(f"localStorage.getItem('{KEY}')")


def reload_with_autosave(page: Page, text: str, query: str = "") -> None:
    """Put ``text`` in the autosave and open the page again (with ``query``, or none)."""
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [KEY, text])
    page.goto(page.url.split("?")[0] + ("?" + query if query else ""))
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)


def damaged(record: dict, change) -> str:
    record = json.loads(json.dumps(record))
    change(record)
    return json.dumps(record)


DAMAGES = {  # a saved run with one part damaged, and what to call it in a failure
    "epoch 1e999": lambda r: r.update(epoch="__HUGE__"),
    "shuffle state -1": lambda r: r["shuffle_state"][1].__setitem__(0, -1),
    "shuffle state 2**40": lambda r: r["shuffle_state"][1].__setitem__(0, 2**40),
}
UNREADABLE = {  # autosaves that are not a saved lab at all
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "truncated": '{"settings": {"width": 3',
    "null": "null",
    "array": "[]",
    "number": "42",
    "string": '"x"',
}


def test_a_damaged_run_in_the_autosave_never_stops_the_lab(lab) -> None:
    """One trained lab, then each damage in turn (one page load per case saves CI time)."""
    page = lab(TRAINED)
    train_and_wait(page)
    trained = page.get_by_test_id("prediction").get_attribute("data-output")
    record = json.loads(saved(page))
    for name, change in DAMAGES.items():
        text = damaged(record, change).replace('"__HUGE__"', "1e999")
        for query in (TRAINED, ""):  # a reload keeps the link; a new visit has none
            reload_with_autosave(page, text, query)
            expect(page.get_by_test_id("notice"), name).to_contain_text("Your saved lab")
            # The weights were fine, so they are kept; the damaged part starts again.
            output = page.get_by_test_id("prediction").get_attribute("data-output")
            assert output == trained, name
            train_and_wait(page)


def test_an_unreadable_autosave_is_reported_and_kept_aside(lab) -> None:
    page = lab(NOTEBOOK)
    for name, text in UNREADABLE.items():
        reload_with_autosave(page, text)
        expect(page.get_by_test_id("notice"), name).to_contain_text("Your saved lab")
        expect(page.get_by_test_id("notice"), name).to_contain_text("a copy is kept aside")
        assert page.evaluate(f"localStorage.getItem('{ASIDE}')") == text, name
        train_and_wait(page)  # the lab works
        assert saved(page) != text, name  # and saves afresh


def test_training_makes_progress_and_answers_on_65536_examples(lab) -> None:
    page = lab("width=16&examples=all&epochs=3&lr=0.01")
    expect(page.get_by_test_id("train-count")).to_have_text("65536")
    # The list shows its first 512 rows and says how many more there are.
    expect(page.get_by_test_id("example")).to_have_count(512)
    expect(page.locator("#examples li.more")).to_have_text(
        "…and 65,024 more, not listed here but trained on"
    )
    page.get_by_test_id("train").click()
    expect(page.get_by_test_id("pause")).to_be_enabled()
    # The page answers while an epoch is under way: a bit flips at once.
    page.get_by_test_id("bit-0").click()
    expect(page.get_by_test_id("bits-decimal")).to_have_text("= 32773")
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch]').textContent !== '0'",
        timeout=120_000,
    )
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("train")).to_be_enabled()
    assert epoch(page) >= 1
    expect(page.get_by_test_id("loss")).not_to_have_text("…")


def test_a_deeply_nested_import_is_refused_and_the_lab_still_works(lab, tmp_path) -> None:
    page = lab(NOTEBOOK)
    bad = tmp_path / "nested.json"
    bad.write_text("[" * 100_000 + "]" * 100_000)
    page.get_by_test_id("import-json").set_input_files(str(bad))
    expect(page.get_by_test_id("error")).to_contain_text("nested more than")
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    page.get_by_test_id("export-json").click()  # a valid import still works afterwards
    with page.expect_download() as download:
        page.get_by_test_id("export-json").click()
    good = tmp_path / "good.json"
    download.value.save_as(good)
    page.get_by_test_id("reset").click()
    page.get_by_test_id("import-json").set_input_files(str(good))
    expect(page.get_by_test_id("epoch")).to_have_text("200")


def test_links_stay_short_with_a_large_data_set_and_a_reload_keeps_it(lab) -> None:
    page = lab("width=16")
    page.get_by_test_id("dataset-tools").locator("summary").click()
    page.get_by_test_id("random-count").fill("5000")
    page.get_by_test_id("add-random").click()
    expect(page.get_by_test_id("train-count")).to_have_text("5000")
    expect(page.get_by_test_id("notice")).to_contain_text("too large for the address bar")
    assert len(page.url) < 8000
    page.get_by_test_id("copy-link").click()
    expect(page.get_by_test_id("error")).to_contain_text("Use Export")
    page.reload()
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("train-count")).to_have_text("5000")


def test_a_failed_autosave_says_so_once_and_suggests_export(lab) -> None:
    page = lab(NOTEBOOK)
    page.evaluate(
        """() => {
            const block = 'x'.repeat(1 << 20);
            for (let i = 0; i < 64; i++) {
                try { localStorage.setItem('filler' + i, block); } catch (e) { break; }
            }
            for (let size = 1 << 19; size >= 1; size >>= 1) {
                try { localStorage.setItem('filler-' + size, 'x'.repeat(size)); } catch (e) {}
            }
        }"""
    )
    page.get_by_test_id("learning-rate").fill("0.5")
    page.get_by_test_id("learning-rate").dispatch_event("change")
    expect(page.get_by_test_id("notice")).to_contain_text("Autosave failed")
    expect(page.get_by_test_id("notice")).to_contain_text("Export")


def test_hidden_controls_and_embedding_never_leak_into_the_learner_s_own_lab(lab) -> None:
    page = lab("embed=1&hide=share,reset,width,layers&" + NOTEBOOK)
    expect(page.get_by_test_id("reset")).to_be_hidden()
    assert page.evaluate("document.documentElement.dataset.embed") == "true"
    page.get_by_test_id("step").click()  # an action: the lab is autosaved
    expect(page.get_by_test_id("epoch")).to_have_text("1")
    page.goto(page.url.split("?")[0])
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("reset")).to_be_visible()
    expect(page.get_by_test_id("width")).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.embed") is None
    assert page.locator("[data-hidden='true']").count() == 0
    expect(page.get_by_test_id("epoch")).to_have_text("1")  # the saved lab itself came back


def test_clearing_both_sets_during_training_stops_it_without_an_internal_message(lab) -> None:
    page = lab("width=8&examples=all&epochs=100000")
    page.get_by_test_id("train").click()
    expect(page.get_by_test_id("pause")).to_be_enabled()
    page.get_by_test_id("dataset-tools").locator("summary").click()
    page.get_by_test_id("clear-examples").click()
    expect(page.get_by_test_id("train")).to_be_enabled()
    expect(page.get_by_test_id("train-count")).to_have_text("0")
    assert "expected 1 or more" not in (page.get_by_test_id("error").text_content() or "")
    page.get_by_test_id("train").click()
    expect(page.get_by_test_id("error")).to_have_text(
        "Add at least one example to the training set before training."
    )
