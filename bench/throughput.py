"""``make bench``: nn against plain code in CPython, and the page in headless Chromium.

    .venv/bin/python -m bench.throughput [--epochs N] [--repeats R] [--scale/--no-scale]

Prints every measurement and writes them all to ``bench/results.json``:

* overhead: ``nn.Neuron`` against the notebook's own Neuron, ``Network.train_epoch`` against a
  plain list MLP (``bench/plain.py``), each timed in turns in one run;
* start-up: this page against a bare PyScript page (``bench/bare.html``) on the same server,
  and against this page starting Python as usual (a copy whose archive names no memory
  snapshot: the page before the snapshot), in turns (two rounds of loads per repeat), each
  load in a fresh browser context (cold), then once more in that context (warm: its HTTP
  cache): time to ``data-ready`` (the ratio of the medians, and the median of each pair's
  ratio), first contentful paint, bytes transferred, when the interpreter's files had
  arrived, and the time split at the interpreter loaded (what follows is the lab's own);
* training, three workloads (``WORKLOADS``): one sigmoid neuron on all 256 8-bit numbers for
  400 epochs (the notebook's scale), an 8-8-1 network on them (``--epochs``), and the parity3
  preset (3-4-1, 8 numbers, 1,000 epochs). Each in CPython and in a bare PyScript page
  (``bench/bare-train.html``: Pyodide alone, no slices, no drawing), the same loop
  (``bench/loop.py``: a shuffled epoch, then the mean cost of each set, as the page does),
  and through the page's Train button at its default speed, with its slices and redraws,
  pressed once the page has settled after its start (``page.wait_settled``); parity3's short
  runs in three pairs per repeat (``SHORT_RUN_PAIRS``). For each page
  run: long tasks (over 50 ms) while training, the time of every redraw of the whole view, 20
  more redraws once trained, and the JS heap;
* scale (``--scale``): width 16, all 65,536 numbers, a 16-16-16-1 network, one epoch;
* history (``--history``): the rewind history's memory, 16-16-16-1 over 2,000 epochs against
  a baseline whose history is held to its minimum (``bench/history.py``).

Machines here are noisy and shared: quote the ratios of one run, never a lone figure.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import history as history_bench  # noqa: E402
from bench import page as browser_page  # noqa: E402
from bench import plain  # noqa: E402

sys.path.insert(0, str(ROOT / "static" / "py"))
from bench.loop import train_epochs  # noqa: E402

START_UPS = 2  # rounds of loads (this page, the bare one, the usual start) per repeat: noisy
SHORT_RUN_PAIRS = {"parity3 preset": 3}  # pairs of runs (bare, page) per repeat of a workload
# whose run is short (parity3's 0.3-0.5 s: one bare run in five came out twice as fast as
# the rest), so that its medians rest on more runs; one pair for the others
RESULTS = ROOT / "bench" / "results.json"


def query(**settings: object) -> str:
    return "?" + "&".join(f"{key}={value}" for key, value in settings.items())


def workloads(epochs: int) -> dict[str, str]:
    """The training workloads, by name: the page's query for each (its epochs field says how
    many epochs a Train runs)."""
    every_8_bit_number = {"width": 8, "examples": "all", "lr": 0.1, "seed": 1, "bits": "00000101"}
    return {
        "one neuron, 256 numbers": query(**every_8_bit_number, layers=1, epochs=400),
        "8-8-1, 256 numbers": query(**every_8_bit_number, layers="8,1", epochs=epochs),
        "parity3 preset": query(preset="parity3"),
    }


def cpython_epochs_per_second(page_query: str) -> float:
    """What the page does per epoch, in CPython: ``bench/loop.py``."""
    seconds, epochs = train_epochs(page_query)
    return epochs / seconds


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.serve import serve_in_background

    results: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores",
        "cpython": sys.version.split()[0],
        "overhead": plain.measure(args.rounds),
    }
    loads = workloads(args.epochs)
    url, server = serve_in_background(
        ROOT, extra_files=["bench/bare.html", "bench/bare-train.html", "bench/loop.py"]
    )
    scratch = tempfile.TemporaryDirectory()
    usual_url, usual_server = serve_in_background(
        browser_page.page_without_snapshot(Path(scratch.name))
    )
    app, bare, usual = [], [], []
    runs: dict[str, dict[str, list]] = {
        name: {"cpython": [], "bare": [], "page": []} for name in loads
    }
    try:
        with sync_playwright() as playwright:
            browser = browser_page.launch(playwright)
            for _ in range(args.repeats):  # in turns, so load from elsewhere hits both alike
                for _ in range(START_UPS if args.start_up else 0):
                    app.append(browser_page.start_up(browser, url))
                    bare.append(browser_page.start_up(browser, url + "bench/bare.html"))
                    usual.append(browser_page.start_up(browser, usual_url))
                if args.start_up_only:
                    continue
                for name, page_query in loads.items():
                    for _ in range(SHORT_RUN_PAIRS.get(name, 1)):
                        runs[name]["cpython"].append(cpython_epochs_per_second(page_query))
                        runs[name]["bare"].append(
                            browser_page.train_in_bare_page(
                                browser, url + "bench/bare-train.html" + page_query
                            )
                        )
                        runs[name]["page"].append(
                            browser_page.train_in_page(browser, url + page_query)
                        )
            if args.start_up_only:
                browser.close()
                return {**results, "start_up": start_up_results(app, bare, usual)}
            scale = None
            if args.scale:
                scale_query = query(width=16, examples="all", layers="16,16,1", epochs=1, seed=1)
                scale = browser_page.train_in_page(browser, url + scale_query, 1, redraws=3)
            history = history_bench.measure(browser, url) if args.history else None
            browser.close()
    finally:
        server.shutdown()
        usual_server.shutdown()
        scratch.cleanup()

    if app:
        results["start_up"] = start_up_results(app, bare, usual)
    results["training"] = {name: training_results(runs[name]) for name in loads}
    results["scale_16_16_16_1_on_65536"] = scale
    results["history_16_16_16_1_2000_epochs"] = history
    return results


def training_results(runs: dict[str, list]) -> dict[str, Any]:
    """Epochs per second in CPython, bare Pyodide and the page (medians), and their ratios."""
    c, b = statistics.median(runs["cpython"]), statistics.median(runs["bare"])
    p = median(runs["page"], "epochs_per_second")
    return {
        "cpython_epochs_per_second": c,
        "bare_pyodide_epochs_per_second": b,
        "page_epochs_per_second": p,
        "page_over_cpython": p / c,
        "bare_pyodide_over_cpython": b / c,
        "page_over_bare_pyodide": p / b,
        # each page run against the bare run just before it, which met the same load
        "page_over_bare_pyodide_by_pairs": statistics.median(
            page["epochs_per_second"] / other
            for page, other in zip(runs["page"], runs["bare"], strict=True)
        ),
        "runs": runs["page"],
        "cpython_runs": runs["cpython"],
        "bare_pyodide_runs": runs["bare"],
    }


def median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(run[key] for run in runs if run[key] is not None)


def start_up_results(
    app: list[dict[str, Any]], bare: list[dict[str, Any]], usual: list[dict[str, Any]]
) -> dict[str, Any]:
    """Start-up of this page, the bare page and this page starting Python as usual: cold
    (a first visit) and warm (a second visit), as ratios of the medians."""
    warm = {name: [load["warm"] for load in loads] for name, loads in
            (("page", app), ("bare", bare), ("usual", usual))}  # fmt: skip
    return {
        "page_ready_ms": median(app, "ready"),
        "bare_ready_ms": median(bare, "ready"),
        "usual_ready_ms": median(usual, "ready"),
        "page_over_bare": median(app, "ready") / median(bare, "ready"),
        # each load against the bare one just after it, which met the same load on the machine
        "page_over_bare_by_pairs": statistics.median(
            page["ready"] / other["ready"] for page, other in zip(app, bare, strict=True)
        ),
        "usual_over_bare": median(usual, "ready") / median(bare, "ready"),
        "page_warm_ready_ms": median(warm["page"], "ready"),
        "bare_warm_ready_ms": median(warm["bare"], "ready"),
        "usual_warm_ready_ms": median(warm["usual"], "ready"),
        "page_over_bare_warm": median(warm["page"], "ready") / median(warm["bare"], "ready"),
        "usual_over_bare_warm": median(warm["usual"], "ready") / median(warm["bare"], "ready"),
        "page_first_contentful_paint_ms": median(app, "fcp"),
        "page_warm_first_contentful_paint_ms": median(warm["page"], "fcp"),
        "page_cold_bytes": median(app, "bytes"),
        "usual_cold_bytes": median(usual, "bytes"),
        "bare_cold_bytes": median(bare, "bytes"),
        "python_started": sorted({load["python_start"] for load in app + warm["page"]}),
        "usual_python_started": sorted({load["python_start"] for load in usual}),
        # the split: the interpreter loading (the same files for both pages), then the rest
        "page_interpreter_loaded_ms": median(app, "interpreter"),
        "bare_interpreter_loaded_ms": median(bare, "interpreter"),
        "page_after_interpreter_ms": statistics.median(after_interpreter(app)),
        "bare_after_interpreter_ms": statistics.median(after_interpreter(bare)),
        "runs": {"page": app, "bare": bare, "usual": usual},
    }


def after_interpreter(loads: list[dict[str, Any]]) -> list[float]:
    """Milliseconds from the interpreter loaded to data-ready, for each load that says both."""
    return [load["ready"] - load["interpreter"] for load in loads if load.get("interpreter")]


def report(results: dict[str, Any]) -> None:
    plain.report(results["overhead"])
    if "start_up" in results:
        report_start_up(results["start_up"])
    if "training" not in results:
        return
    named = []
    for name, t in results["training"].items():
        print(f"{name}, epochs per second, median of {len(t['runs'])}:")
        print(
            f"  CPython {results['cpython']:>8}: {t['cpython_epochs_per_second']:8.1f} (same loop)"
        )
        print(f"  Pyodide, bare    : {t['bare_pyodide_epochs_per_second']:8.1f} (same loop)")
        print(
            f"  page (Pyodide)   : {t['page_epochs_per_second']:8.1f} (Train, slices and redraws)"
        )
        print(f"  bare Pyodide / CPython: {t['bare_pyodide_over_cpython']:5.2f} (the interpreter)")
        print(
            f"  page / bare Pyodide   : {t['page_over_bare_pyodide']:5.2f}, pairs "
            f"{t['page_over_bare_pyodide_by_pairs']:.2f} (the lab's own cost; target >= 0.8)"
        )
        named += [(f"{name} {i + 1}", run) for i, run in enumerate(t["runs"])]
    print("In the page (ms; long tasks are main-thread tasks over 50 ms):")
    for name, run in named:
        lt, turns, rd = (
            run["long_tasks_while_training"],
            run["drawing_turns_while_training_ms"],
            run["redraw_whole_view_ms"],
        )
        later = run.get("long_tasks_after_training_until_redrawn", {}).get("count")
        print(
            f"  {name:30s} {run['seconds'] / run['epochs'] * 1000:8.0f} ms/epoch; "
            f"long tasks {lt['count']} (worst {fmt(lt['worst'])}; {later} once done); "
            f"drawing turns while training "
            f"median {fmt(turns['median'])} worst {fmt(turns['worst'])}; whole redraw at rest "
            f"median {fmt(rd['median'])} worst {fmt(rd['worst'])}; heap {fmt(run['js_heap_mb'])} MB"
            f"; Train pressed {fmt(run.get('settled_after_ready_ms'))} ms after ready"
        )
    if results.get("history_16_16_16_1_2000_epochs"):
        history_bench.report(results["history_16_16_16_1_2000_epochs"])


def report_start_up(s: dict[str, Any]) -> None:
    print(f"Start-up, median of {len(s['runs']['page'])} loads each, fresh context, in turns:")
    print(f"  Python started          : {', '.join(map(str, s['python_started']))}")
    print(f"  cold: this page         : {s['page_ready_ms']:8.0f} ms to data-ready")
    print(f"        bare PyScript page: {s['bare_ready_ms']:8.0f} ms")
    print(f"        page, usual start : {s['usual_ready_ms']:8.0f} ms (no snapshot)")
    print(f"        page / bare       : {s['page_over_bare']:8.2f} (target <= 0.6, aim 0.5)")
    print(f"        pairs' ratios     : {s['page_over_bare_by_pairs']:8.2f} (median)")
    print(f"        usual / bare      : {s['usual_over_bare']:8.2f}")
    print(f"  warm: this page         : {s['page_warm_ready_ms']:8.0f} ms (second visit)")
    print(f"        bare PyScript page: {s['bare_warm_ready_ms']:8.0f} ms")
    print(f"        page, usual start : {s['usual_warm_ready_ms']:8.0f} ms")
    print(f"        page / bare       : {s['page_over_bare_warm']:8.2f} (target <= 0.4, aim 0.35)")
    print(f"        usual / bare      : {s['usual_over_bare_warm']:8.2f}")
    fcp, fcp_warm = s["page_first_contentful_paint_ms"], s["page_warm_first_contentful_paint_ms"]
    print(f"  first contentful paint  : {fcp:8.0f} ms, warm {fcp_warm:.0f} ms (target < 500)")
    print(
        f"  cold visit transfers    : {s['page_cold_bytes'] / 1e6:8.1f} MB, usual start "
        f"{s['usual_cold_bytes'] / 1e6:.1f} MB, bare {s['bare_cold_bytes'] / 1e6:.1f} MB "
        "(as tests/serve.py sends them: uncompressed but for the snapshot)"
    )
    page_i, bare_i = s["page_interpreter_loaded_ms"], s["bare_interpreter_loaded_ms"]
    page_a, bare_a = s["page_after_interpreter_ms"], s["bare_after_interpreter_ms"]
    print(f"  interpreter loaded at   : {page_i:8.0f} ms, bare {bare_i:.0f} ms")
    print(
        f"  then to data-ready      : {page_a:8.0f} ms, bare {bare_a:.0f} ms "
        f"(the lab's files, imports and first view: {page_a - bare_a:+.0f} ms)"
    )


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=15, help="rounds of bench/plain.py")
    parser.add_argument("--scale", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--history", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--start-up", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument(
        "--start-up-only", action="store_true", help="measure start-up alone (no training)"
    )
    args = parser.parse_args()
    results = measure(args)
    report(results)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {args.json}")


if __name__ == "__main__":
    main()
