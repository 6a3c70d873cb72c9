"""Training throughput: an 8-8-1 network on all 256 8-bit numbers, in CPython and in the page.

    make bench            (or: .venv/bin/python -m bench.throughput [--epochs N] [--repeats R])

Both sides run the same ``nn`` code on the same data set (task "value", sigmoid, batch size 1,
learning rate 0.1, seed 1). The page side trains through the page itself — the Train button,
with its slices, redraws and evaluation of the loss after each epoch — in headless Chromium,
and reads the epochs per second from the page's own clock. Machines here are noisy, so the
figure to quote is the page/CPython ratio measured in one run, not the absolute numbers.
A second comparison times start-up: this page against a bare PyScript page on the same server.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nn import Network, encode_bits, parse_bits  # noqa: E402

WIDTH = 8
LAYERS = "8,1"


def dataset() -> list[tuple[list[int], list[float]]]:
    top = 2**WIDTH - 1
    return [(parse_bits(encode_bits(v, WIDTH)), [v / top]) for v in range(2**WIDTH)]


def cpython_epochs_per_second(epochs: int) -> float:
    """What the page does per epoch, in CPython: one shuffled epoch, then the mean cost."""
    network = Network([WIDTH, 8, 1], seed=1)
    rng = random.Random("shuffle-1")
    data = dataset()
    start = time.perf_counter()
    for _ in range(epochs):
        network.train_epoch(data, 0.1, 1, rng)
        network.mean_cost(data)
    return epochs / (time.perf_counter() - start)


def page_measurements(epochs: int, repeats: int) -> tuple[list[float], list[float], list[float]]:
    """(page epochs/s, app seconds to ready, bare PyScript page seconds to ready) per repeat."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, READY, find_chromium
    from tests.serve import serve_in_background

    url, server = serve_in_background(ROOT, extra_files=["bench/bare.html"])
    query = (
        f"width={WIDTH}&examples=all&layers={LAYERS}&epochs={epochs}&lr=0.1&seed=1&bits=00000101"
    )
    rates, app_ready, bare_ready = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        for _ in range(repeats):
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(url + "?" + query)
            page.wait_for_selector(READY, timeout=120_000)
            app_ready.append(time.perf_counter() - start)
            page.evaluate("window.__t0 = performance.now()")
            page.get_by_test_id("train").click()
            page.wait_for_function(
                f"""document.querySelector('[data-testid="epoch"]').textContent === '{epochs}'
                && !document.querySelector('[data-testid="train"]').disabled""",
                timeout=600_000,
            )
            seconds = page.evaluate("(performance.now() - window.__t0) / 1000")
            rates.append(epochs / seconds)
            page.close()

            page = browser.new_page()
            start = time.perf_counter()
            page.goto(url + "bench/bare.html")
            page.wait_for_selector(READY, timeout=120_000)
            bare_ready.append(time.perf_counter() - start)
            page.close()
        browser.close()
    server.shutdown()
    return rates, app_ready, bare_ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    cpython = [cpython_epochs_per_second(args.epochs) for _ in range(args.repeats)]
    page, app_ready, bare_ready = page_measurements(args.epochs, args.repeats)
    c, b = statistics.median(cpython), statistics.median(page)
    a, r = statistics.median(app_ready), statistics.median(bare_ready)
    print(f"8-8-1 network, all 256 8-bit numbers, {args.epochs} epochs, median of {args.repeats}:")
    print(f"  CPython {sys.version.split()[0]:>8}: {c:8.1f} epochs/s")
    print(f"  page (Pyodide)   : {b:8.1f} epochs/s")
    print(f"  page / CPython   : {b / c:8.2f}")
    print("Start-up to ready, median:")
    print(f"  this page        : {a:8.2f} s")
    print(f"  bare PyScript    : {r:8.2f} s")
    print(f"  page / bare      : {a / r:8.2f}")


if __name__ == "__main__":
    main()
