"""Share, embed and keep: links reproduce runs, autosave survives a reload,
export/import round-trips, the Python export rebuilds the same model in CPython."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import NOTEBOOK, train_and_wait

ROOT = Path(__file__).resolve().parents[2]


def output_of(page: Page) -> float:
    return float(page.get_by_test_id("prediction").get_attribute("data-output"))


def test_url_follows_the_settings_as_the_learner_works(lab) -> None:
    page = lab(NOTEBOOK)
    rate = page.get_by_test_id("learning-rate")
    rate.fill("0.5")
    rate.dispatch_event("change")
    page.wait_for_function("location.search.includes('lr=0.5')")
    assert "examples=00101" in page.url


def test_copied_link_reproduces_the_same_run(lab, page: Page, base_url_root: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = lab(NOTEBOOK + "&epochs=50")
    page.get_by_test_id("copy-link").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Copied the link")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(base_url_root)
    train_and_wait(page)
    first = output_of(page)

    page.evaluate("localStorage.clear()")
    page.goto(link)
    page.wait_for_selector('html[data-ready="true"]')
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    train_and_wait(page)
    assert output_of(page) == first


def test_link_with_weights_restores_the_trained_model(lab, page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = lab(NOTEBOOK)
    train_and_wait(page)
    trained = output_of(page)
    page.get_by_test_id("link-weights").check()
    page.get_by_test_id("copy-link").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Copied the link")
    link = page.evaluate("navigator.clipboard.readText()")
    assert "weights=" in link
    page.evaluate("localStorage.clear()")
    page.goto(link)
    page.wait_for_selector('html[data-ready="true"]')
    assert output_of(page) == trained


def test_hostile_url_loads_with_defaults_and_says_what_was_ignored(lab) -> None:
    page = lab("width=99&lr=abc&foo=<b>x</b>&examples=00x,0101&layers=0,2&epochs=1e9")
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("width")
    expect(notice).to_contain_text("foo")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.1")
    expect(page.get_by_test_id("width")).to_have_value("8")
    assert page.locator("#notice b").count() == 0
    expect(page.get_by_test_id("train")).to_be_enabled()


def test_reload_loses_nothing(lab, page: Page) -> None:
    page = lab(NOTEBOOK)
    page.get_by_test_id("add-test").click()  # 00101 is in training; rejected, harmless
    bits = page.get_by_test_id("bits")
    bits.fill("00110")
    bits.dispatch_event("change")
    page.get_by_test_id("add-test").click()
    expect(page.get_by_test_id("test-example")).to_have_count(1)
    train_and_wait(page)
    before = output_of(page)
    loss = page.get_by_test_id("loss").text_content()
    page.reload()
    page.wait_for_selector('html[data-ready="true"]')
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    expect(page.get_by_test_id("test-example")).to_have_count(1)
    expect(page.get_by_test_id("loss")).to_have_text(loss)
    assert output_of(page) == before


def test_export_then_import_restores_model_and_data(lab, page: Page, tmp_path: Path) -> None:
    page = lab(NOTEBOOK + "&epochs=30")
    train_and_wait(page)
    trained = output_of(page)
    with page.expect_download() as download:
        page.get_by_test_id("export-json").click()
    saved = tmp_path / "lab.json"
    download.value.save_as(saved)
    record = json.loads(saved.read_text())
    assert record["format"] == "nn-lab" and record["epoch"] == 30

    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    page.get_by_test_id("import-json").set_input_files(saved)
    expect(page.get_by_test_id("epoch")).to_have_text("30")
    assert output_of(page) == trained
    expect(page.get_by_test_id("example")).to_have_count(1)


def test_invalid_import_says_why_and_changes_nothing(lab, page: Page, tmp_path: Path) -> None:
    page = lab(NOTEBOOK + "&epochs=20")
    train_and_wait(page)
    before = output_of(page)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "nn-lab", "settings": {"width": "5"}, "network": {}}))
    page.get_by_test_id("import-json").set_input_files(bad)
    expect(page.get_by_test_id("error")).to_contain_text("network")
    not_json = tmp_path / "notes.json"
    not_json.write_text("hello")
    page.get_by_test_id("import-json").set_input_files(not_json)
    expect(page.get_by_test_id("error")).to_contain_text("not JSON")
    expect(page.get_by_test_id("epoch")).to_have_text("20")
    assert output_of(page) == before


def test_python_export_rebuilds_the_same_model_in_cpython(lab, page: Page) -> None:
    page = lab(NOTEBOOK + "&epochs=40")
    train_and_wait(page)
    page.get_by_test_id("export-python").click()
    expect(page.get_by_test_id("python-dialog")).to_be_visible()
    code = page.get_by_test_id("python-code").input_value()
    assert "Network.from_dict" in code
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    printed = float(re.search(r"00101 -> (\S+)", run.stdout).group(1))
    assert abs(printed - output_of(page)) < 1e-12


def test_embed_dialog_writes_an_iframe_for_the_current_state(lab, page: Page) -> None:
    page = lab(NOTEBOOK)
    page.get_by_test_id("embed-open").click()
    code = page.get_by_test_id("embed-code")
    expect(code).to_have_value(re.compile(r"<iframe src=\".*embed=1.*\""))
    page.locator('#embed-hide input[value="seed"]').check()
    expect(code).to_have_value(re.compile(r"hide=seed"))
    assert "examples=00101" in code.input_value()
