"""The autosave in the page: no saved state can stop the lab from loading or lose a learner's
work without a word. Which records are damaged or unreadable, and what is kept of them, is
tested under CPython (tests/unit/test_savestate.py, test_history_store.py); here, one of each
through localStorage, embedding that never leaks into the learner's own lab, Start fresh, and
a full storage."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, START_TIMEOUT_MS
from tests.e2e.pagehelpers import NOTEBOOK, output, train_and_wait, visit

TRAINED = "width=4&examples=0001,0010,0101&bits=0101&layers=3,1&seed=7&epochs=20"
KEY, ASIDE = "nn-lab:v1", "nn-lab:unreadable"


def saved(page: Page) -> str:
    return page.evaluate(f"localStorage.getItem('{KEY}')")


def reload_with_autosave(page: Page, text: str, query: str = "") -> None:
    """Put ``text`` in the autosave and open the page again (with ``query``, or none)."""
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [KEY, text])
    visit(page, page.url.split("?")[0] + ("?" + query if query else ""))


def test_the_autosave_survives_damage_and_a_full_storage_and_starts_fresh_on_request(
    lab,
) -> None:
    """A damaged run (epoch 1e999) keeps the weights, on a reload with the link and a visit
    without; an unreadable autosave is reported and kept aside, and the lab saves afresh; an
    embed's hidden controls never reach the learner's own lab; Start fresh asks, then forgets; a
    full storage makes the autosave fail, which the page says, suggesting Export."""
    page = lab(TRAINED)
    train_and_wait(page)
    trained = output(page)
    record = json.loads(saved(page))
    record["epoch"] = "__HUGE__"
    damaged = json.dumps(record).replace('"__HUGE__"', "1e999")
    for query in (TRAINED, ""):  # a reload keeps the link; a new visit has none
        reload_with_autosave(page, damaged, query)
        expect(page.get_by_test_id("notice")).to_contain_text("Your saved lab")
        assert output(page) == trained  # the weights were fine: kept
        train_and_wait(page)

    unreadable = "[" * 100_000 + "]" * 100_000
    reload_with_autosave(page, unreadable)
    expect(page.get_by_test_id("notice")).to_contain_text("Your saved lab")
    expect(page.get_by_test_id("notice")).to_contain_text("a copy is kept aside")
    assert page.evaluate(f"localStorage.getItem('{ASIDE}')") == unreadable
    train_and_wait(page)  # the lab works
    assert saved(page) != unreadable  # and saves afresh

    page = lab("embed=1&hide=share,reset,width,layers&" + NOTEBOOK)
    expect(page.get_by_test_id("reset")).to_be_hidden()
    assert page.evaluate("document.documentElement.dataset.embed") == "true"
    page.get_by_test_id("step").click()  # an action: the lab is autosaved
    expect(page.get_by_test_id("epoch")).to_have_text("1")
    visit(page, page.url.split("?")[0])
    expect(page.get_by_test_id("reset")).to_be_visible()
    expect(page.get_by_test_id("width")).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.embed") is None
    assert page.locator("[data-hidden='true']").count() == 0
    expect(page.get_by_test_id("epoch")).to_have_text("1")  # the saved lab itself came back

    assert saved(page)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("start-fresh").click()
    expect(page.get_by_test_id("epoch")).to_have_text("1")  # said no: nothing changed
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("start-fresh").click()
    page.wait_for_url(lambda url: "?" not in url)
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    expect(page.get_by_test_id("width")).to_have_value("8")
    kept = saved(page)
    assert kept is None or json.loads(kept)["epoch"] == 0

    # A full storage: the autosave fails, says so, and suggests Export.
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


@pytest.mark.parametrize("leave", ["left", "hidden"])
def test_a_change_is_kept_when_the_page_is_left_before_its_autosave_task(lab, leave) -> None:
    """A field's change writes the autosave in a task of its own (storage.save(later=True)); a
    page left (pagehide) or hidden (visibilitychange: a phone may end a hidden page without
    pagehide) before that task comes, in the same task here, writes it then."""
    page = lab(NOTEBOOK)
    before, after_leaving = page.evaluate(
        """([key, leave]) => {
            const field = document.querySelector('[data-testid="learning-rate"]');
            field.value = "0.25";
            field.dispatchEvent(new Event("change", { bubbles: true }));
            const before = localStorage.getItem(key);
            if (leave === "left") {
                window.dispatchEvent(new PageTransitionEvent("pagehide", { persisted: false }));
            } else {
                Object.defineProperty(document, "visibilityState", { value: "hidden" });
                document.dispatchEvent(new Event("visibilitychange"));
            }
            return [before, localStorage.getItem(key)];
        }""",
        [KEY, leave],
    )
    assert before is None or json.loads(before)["settings"]["lr"] != "0.25"  # not yet written
    assert json.loads(after_leaving)["settings"]["lr"] == "0.25"


def test_a_run_is_kept_when_the_page_is_left_as_soon_as_train_is_back(lab) -> None:
    """A run's end brings Train back once its view is drawn, and writes the autosave just
    after (storage.save(held=True): 5-25 ms no longer keep Train away); a page left in between
    (pagehide, at the moment Train is enabled here) writes it then."""
    page = lab(NOTEBOOK)
    before, after_leaving, shown = page.evaluate(
        """(key) => new Promise((done) => {
            const train = document.querySelector('[data-testid="train"]');
            const observer = new MutationObserver(() => {
                if (train.disabled) return;  // the run has begun
                observer.disconnect();
                const before = localStorage.getItem(key);
                window.dispatchEvent(new PageTransitionEvent("pagehide", { persisted: false }));
                const epoch = document.querySelector('[data-testid="epoch"]').textContent;
                done([before, localStorage.getItem(key), epoch]);
            });
            observer.observe(train, { attributes: true, attributeFilter: ["disabled"] });
            train.click();
        })""",
        KEY,
    )
    assert shown == "200"
    assert before is None or json.loads(before)["epoch"] == 0  # not yet written
    assert json.loads(after_leaving)["epoch"] == 200
    page.wait_for_selector("html:not([data-training])", state="attached")
    assert json.loads(saved(page))["epoch"] == 200
