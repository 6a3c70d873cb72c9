"""Share and keep in the page: a copied link reproduces the run (and with weights, the trained
model); a reload, and an exported file imported back, restore the lab; a bad file changes
nothing; the Python exports rebuild the model and replay the run in CPython. The link and file
formats themselves are tested under CPython (tests/unit/test_settings.py, test_savestate.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import NOTEBOOK, output, reload, train_and_wait, type_setting, visit

ROOT = Path(__file__).resolve().parents[2]


def output_of(page: Page) -> float:
    return float(output(page))


def test_a_copied_link_reproduces_the_run_and_with_weights_the_trained_model(
    lab, page: Page, base_url_root: str
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = lab(NOTEBOOK + "&epochs=50")
    page.get_by_test_id("copy-link").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Copied the link")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(base_url_root)
    train_and_wait(page)
    first = output_of(page)
    page.evaluate("localStorage.clear()")
    visit(page, link)
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    train_and_wait(page)
    assert output_of(page) == first  # the same run, float for float

    page.get_by_test_id("link-weights").check()
    page.get_by_test_id("copy-link").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Copied the link")
    link = page.evaluate("navigator.clipboard.readText()")
    assert "weights=" in link
    page.evaluate("localStorage.clear()")
    visit(page, link)
    assert output_of(page) == first  # the trained model, without training


def test_a_reload_and_an_exported_file_restore_the_lab_and_a_bad_file_changes_nothing(
    lab, page: Page, tmp_path: Path
) -> None:
    """A reload loses nothing (both sets, the epoch, the loss, the output); Export then Import
    after Reset restores model and data; a file that is not a lab, not JSON, or nested too
    deeply is refused with why, and changes nothing; a good file still imports afterwards."""
    page = lab(NOTEBOOK + "&epochs=30")
    page.get_by_test_id("add-test").click()  # 00101 is in training: refused, harmless
    type_setting(page, "bits", "00110")
    page.get_by_test_id("add-test").click()
    expect(page.get_by_test_id("test-example")).to_have_count(1)
    train_and_wait(page)
    trained = output_of(page)
    loss = page.get_by_test_id("loss").text_content() or ""
    reload(page)
    expect(page.get_by_test_id("epoch")).to_have_text("30")
    expect(page.get_by_test_id("test-example")).to_have_count(1)
    expect(page.get_by_test_id("loss")).to_have_text(loss)
    assert output_of(page) == trained

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
    expect(page.get_by_test_id("test-example")).to_have_count(1)

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "nn-lab", "settings": {"width": "5"}, "network": {}}))
    not_json = tmp_path / "notes.json"
    not_json.write_text("hello")
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    for path, said in ((bad, "network"), (not_json, "not JSON"), (nested, "nested more than")):
        page.get_by_test_id("import-json").set_input_files(path)
        expect(page.get_by_test_id("error")).to_contain_text(said)
        expect(page.get_by_test_id("epoch")).to_have_text("30")
        assert output_of(page) == trained
    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("epoch")).to_have_text("0")
    page.get_by_test_id("import-json").set_input_files(saved)
    expect(page.get_by_test_id("epoch")).to_have_text("30")
    expect(page.get_by_test_id("error")).to_have_text("")


def test_the_python_exports_rebuild_the_model_and_replay_the_run_in_cpython(lab) -> None:
    """As Python gives two scripts: one rebuilds the trained network with nn (Network.from_dict)
    and prints its outputs; one replays the whole run and prints the output to the last digit."""
    page = lab("width=3&examples=all&task=parity&layers=4,1&batch=3&lr=1&seed=2&epochs=40")
    train_and_wait(page)
    page.get_by_test_id("export-python").click()
    expect(page.get_by_test_id("python-dialog")).to_be_visible()
    bits = page.get_by_test_id("bits").input_value()
    code = page.get_by_test_id("python-code").input_value()
    assert "Network.from_dict" in code
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    printed = float(re.search(rf"^{bits} -> (\S+)$", run.stdout, re.M).group(1))
    assert abs(printed - output_of(page)) < 1e-12
    expect(page.get_by_test_id("python-run-note")).to_contain_text("exactly")
    script = page.get_by_test_id("python-run").input_value()
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    printed = float(run.stdout.strip().split(" -> ")[1])
    assert abs(printed - output_of(page)) <= 1e-12
