"""Optimizers in the page: the notebook's neuron trained by momentum and by Adam reads back
about 5 and the math panel writes each update; a bad β₁ is refused beside its field (in a link:
tests/unit/test_optimizer_page.py); the perceptron preset, chosen in "Start from", learns odd,
and says why a step neuron can't learn by gradient descent."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.pagehelpers import NOTEBOOK, output, train_and_wait, type_setting


def hyperparameters_shown(page: Page) -> list[str]:
    return [
        name for name in ("momentum", "beta1", "beta2") if page.get_by_test_id(name).is_visible()
    ]


def test_momentum_adam_and_the_perceptron_train_and_show_their_updates(lab) -> None:
    page = lab(NOTEBOOK)
    optimizer, math_panel = page.get_by_test_id("optimizer"), page.get_by_test_id("math")
    assert hyperparameters_shown(page) == []
    for name, fields, symbols in (
        ("momentum", ["momentum"], [r"v_t = \mu\, v_{t-1} + g", r"\mu = 0.9000"]),
        ("adam", ["beta1", "beta2"], [r"\hat m", r"\hat v", r"\beta_2 = 0.9990"]),
    ):
        optimizer.select_option(name)
        page.get_by_test_id("reset").click()
        expect(page.get_by_test_id("epoch")).to_have_text("0")
        assert hyperparameters_shown(page) == fields
        assert f"optimizer={name}" in page.evaluate("location.search")
        train_and_wait(page)
        expect(page.get_by_test_id("error")).to_have_text("")
        expect(page.get_by_test_id("epoch")).to_have_text("200")
        assert 4.9 < float(output(page)) * 31 < 5.1, name  # 5/31 for 00101, as in the notebook
        for symbol in symbols:
            expect(math_panel).to_contain_text(symbol)
        expect(math_panel).to_contain_text(r"t = 201")  # the step the math shows is the 201st
    type_setting(page, "beta1", "2")
    beside = page.get_by_test_id("beta1-error")
    expect(beside).to_contain_text("β₁ (beta1) must be a number from 0 up to, not including, 1")
    assert "beta1" not in page.evaluate("location.search")  # refused: nothing changed

    page.get_by_test_id("preset").select_option("perceptron")  # "Start from": a preset
    expect(page.get_by_test_id("optimizer")).to_have_value("perceptron")
    expect(page.get_by_test_id("optimizer-help")).to_contain_text("t − y")
    train_and_wait(page)
    expect(page.get_by_test_id("accuracy")).to_have_text("100%")
    expect(page.get_by_test_id("math")).to_contain_text(r"\Delta w = \eta\,(t - y)\,x")
    page.get_by_test_id("optimizer").select_option("sgd")
    expect(page.get_by_test_id("optimizer-help")).to_contain_text("dy/dz is 0")
