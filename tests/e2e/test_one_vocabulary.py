"""One vocabulary: an activation added as one entry of ``nn.ACTIVATIONS``, and a cost added as
one entry of ``nn.COSTS`` (nothing else touched), are offered by the page, read from a link and
a saved lab, trained, and written out in the math panel."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, ROOT, START_TIMEOUT_MS
from tests.e2e.pagehelpers import train_and_wait
from tests.serve import serve_in_background
from tests.unit.test_one_cost_entry import ABSOLUTE, add_entry
from tests.unit.test_one_cost_entry import ENTRY as COST_ENTRY

SOFTPLUS = '''

def softplus(z: float) -> float:
    """y = ln(1 + e^z), a smooth ReLU (added by the one-vocabulary test)."""
    return math.log1p(math.exp(-abs(z))) + max(z, 0.0)


def softplus_deriv(z: float) -> float:
    """dy/dz = sigmoid(z)."""
    return sigmoid(z)
'''
ENTRY = '    "softplus": Activation("softplus", softplus, softplus_deriv),\n'


@pytest.fixture
def copy_with_softplus(tmp_path: Path) -> Iterator[str]:
    """The page copied with one activation added to nn/activations.py and one cost to
    nn/cost.py, served on a free port."""
    for name in ("index.html", "pyscript.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "nn", tmp_path / "nn", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "static", tmp_path / "static")
    nn = tmp_path / "nn"
    add_entry(nn / "activations.py", "ACTIVATIONS: dict[str, Activation] = {", SOFTPLUS, ENTRY)
    add_entry(nn / "cost.py", "COSTS: dict[str, Cost] = {", ABSOLUTE, COST_ENTRY)
    url, server = serve_in_background(tmp_path)
    yield url
    server.shutdown()
    server.server_close()


def test_an_activation_added_as_one_entry_in_nn_works_everywhere_in_the_page(
    page: Page, problems, copy_with_softplus: str
) -> None:
    problems.allowed_hosts.add(copy_with_softplus.split("/")[2].split(":")[0])
    query = "width=5&examples=00101,00011&bits=00101&activation=softplus&lr=0.1&epochs=50"
    page.goto(copy_with_softplus + "?" + query)
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("notice")).to_have_text("")  # the link was read in full
    select = page.get_by_test_id("activation")
    expect(select).to_have_value("softplus")
    assert "softplus" in select.locator("option").all_inner_texts()
    expect(page.get_by_test_id("math")).to_contain_text("softplus")
    before = page.get_by_test_id("loss").text_content()
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("50")
    assert page.get_by_test_id("loss").text_content() != before
    # The per-layer select of a hidden layer offers it too.
    page.get_by_test_id("add-layer").click()
    page.get_by_test_id("layer-activation-0").select_option("softplus")
    expect(page.get_by_test_id("layer-activation-0")).to_have_value("softplus")
    # The autosave (JSON) keeps it, and a reload reads it back.
    saved = json.loads(page.evaluate("localStorage.getItem('nn-lab:v1')"))
    assert saved["settings"]["activations"] == "softplus,softplus"
    page.reload()
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    expect(page.get_by_test_id("layer-activation-0")).to_have_value("softplus")
    expect(page.get_by_test_id("notice")).to_have_text("")
    # The cost: offered, chosen, trained and written from its own TeX.
    page.get_by_test_id("remove-layer").click()
    cost = page.get_by_test_id("cost")
    assert "absolute error (one output)" in cost.locator("option").all_inner_texts()
    cost.select_option("absolute")
    expect(cost).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("epoch")).to_have_text("0")  # another cost: a new network
    expect(page.get_by_test_id("train-status")).to_contain_text("New neuron from seed")
    expect(page.get_by_test_id("math")).to_contain_text("sign")
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("50")
