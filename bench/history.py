"""The rewind history's memory: a 16-16-16-1 network trained 2,000 epochs in the page.

    .venv/bin/python -m bench.history [--epochs 2000]

Part of ``make bench`` (``bench/throughput.py`` calls ``measure``); alone, it prints and returns
the same. Two runs in fresh pages, in turns: the page as it is (every epoch kept: 2,000 x 561
parameters is 1.1 million floats, within the 2 million budget) and a baseline whose history is
held to its minimum (64 moments: the bench sets the budget to 0 before pressing Train). For
each: the JS heap (``performance.memory.usedJSHeapSize``), the WebAssembly memory Pyodide's
Python lives in (it grows and never shrinks: the high-water mark), the moments kept and the
floats they hold. The ratios compare the two runs; no figure alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import page as browser_page  # noqa: E402

WIDTH, SIZE = 16, 32  # 32 numbers of 16 bits: a 16-16-16-1 network, 2,000 epochs in a minute

MEMORY = """() => ({
  heap: performance.memory ? performance.memory.usedJSHeapSize : null,
  wasm: window.__nnWasmBytes(),
  history: window.__nnHistory(),
})"""

PROBE = """

# --- appended by bench/history.py: the history's size, the wasm memory, and the baseline ---
import pyodide_js as _pyodide_js


def _history_now():
    history = APP.lab.history
    return _window.JSON.parse(str([len(history), history.floats]))


_window.__nnHistory = _create_proxy(_history_now)
_window.__nnWasmBytes = _create_proxy(lambda: _pyodide_js._module.HEAPU8.length)
"""

BASELINE = "\nAPP.lab.history.budget = 0  # the baseline: 64 moments at most\n"


def examples() -> str:
    rng = random.Random("bench-history")
    return ",".join(format(rng.randrange(2**WIDTH), f"0{WIDTH}b") for _ in range(SIZE))


def measure(browser: Any, url: str, epochs: int = 2000) -> dict[str, Any]:
    query = f"?width={WIDTH}&layers=16,16,1&examples={examples()}&epochs={epochs}&lr=0.1&seed=1"
    runs: dict[str, Any] = {}
    for name, extra in (("baseline", PROBE + BASELINE), ("history", PROBE)):
        run = browser_page.train_in_page(
            browser, url + query, epochs, redraws=1, python=extra, at_end=MEMORY
        )
        memory = run.pop("at_end")
        moments, floats = memory["history"]
        runs[name] = {
            "seconds": run["seconds"],
            "js_heap_mb": None if memory["heap"] is None else memory["heap"] / 1e6,
            "wasm_memory_mb": memory["wasm"] / 1e6,
            "moments_kept": moments,
            "floats_kept": floats,
        }
    history, baseline = runs["history"], runs["baseline"]
    heap = history["js_heap_mb"], baseline["js_heap_mb"]
    return {
        "network": "16-16-16-1 (561 parameters)",
        "numbers": SIZE,
        "epochs": epochs,
        "runs": runs,
        "history_mb_by_floats": history["floats_kept"] * 8 / 1e6,
        "wasm_memory_over_baseline": history["wasm_memory_mb"] / baseline["wasm_memory_mb"],
        "js_heap_over_baseline": None if None in heap else heap[0] / heap[1],
    }


def report(results: dict[str, Any]) -> None:
    runs = results["runs"]
    print(f"History of a {results['network']}, {results['epochs']} epochs, in the page:")
    for name in ("history", "baseline"):
        run = runs[name]
        heap = "-" if run["js_heap_mb"] is None else f"{run['js_heap_mb']:.1f}"
        print(
            f"  {name:9s}: {run['moments_kept']:5d} moments, {run['floats_kept']:9,d} floats; "
            f"JS heap {heap} MB; wasm memory {run['wasm_memory_mb']:.1f} MB"
        )
    ratio = results["js_heap_over_baseline"]
    print(
        f"  the history's floats: {results['history_mb_by_floats']:.1f} MB; wasm memory / "
        f"baseline {results['wasm_memory_over_baseline']:.2f}; JS heap / baseline "
        + ("-" if ratio is None else f"{ratio:.2f}")
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.serve import serve_in_background

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    url, server = serve_in_background(ROOT)
    try:
        with sync_playwright() as playwright:
            browser = browser_page.launch(playwright)
            results = measure(browser, url, args.epochs)
            browser.close()
    finally:
        server.shutdown()
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
