"""The page in headless Chromium: start-up, training throughput, redraws and long tasks.

Used by ``bench/throughput.py`` (``make bench``). Nothing here changes the page's files:

* every page gets ``OBSERVER`` first, which records long tasks (the Long Tasks API: main-thread
  tasks over 50 ms), when PyScript had loaded the interpreter and when ``html[data-ready]``
  became true;
* the training measurements serve ``static/py/main.py`` with ``PROBE`` appended: it wraps the
  page's ``App.redraw`` to time every redraw of the whole view (settings, examples, diagram,
  math, chart, training state), and ``turns.steps_for`` (as training and ``turns.in_turns``
  call it) to time every turn of drawing while training, and lets the bench redraw on demand.
"""

from __future__ import annotations

import functools
import shutil
import statistics
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")

OBSERVER = """
window.__longTasks = [];  // [start, duration] of each, ms
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask", buffered: true });
// Run before the document has an element: watch the whole document for data-ready.
new MutationObserver((changes, observer) => {
  if (document.documentElement && document.documentElement.dataset.ready === "true") {
    window.__readyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
// PyScript says when the interpreter has loaded (py:progress "Loaded interpreter" in a page
// with [files], "Loaded Pyodide" in one without, where it comes at the same moment).
addEventListener("py:progress", ({ detail }) => {
  if (["Loaded interpreter", "Loaded Pyodide"].includes(detail) && !window.__interpreterAt) {
    window.__interpreterAt = performance.now();
  }
});
"""

PROBE = """

# --- appended by bench/page.py (only in the bench): time every redraw of the whole view, and
# every turn of drawing while training and at its end (page.turns.steps_for: a turn's worth
# of steps of the whole view, or of the numbers and chart, or of the history's rows) ---
import time as _time

import page.training as _training
import page.turns as _turns
from pyodide.ffi import create_proxy as _create_proxy
from pyscript import window as _window

_redraw_times, _turn_times = [], []
_page_redraw, _page_steps_for = APP.redraw, _turns.steps_for


def _timed_redraw(app):
    start = _time.perf_counter()
    _page_redraw(app)
    _redraw_times.append((_time.perf_counter() - start) * 1000)


def _timed_steps_for(steps, seconds):
    start = _time.perf_counter()
    left = _page_steps_for(steps, seconds)
    _turn_times.append((_time.perf_counter() - start) * 1000)
    return left


def _redraw_now(count):
    for _ in range(count):
        _timed_redraw(APP)
    return _window.JSON.parse(str(_redraw_times[-count:]))


APP.redraw = _timed_redraw
_training.steps_for = _turns.steps_for = _timed_steps_for  # training's own name for it too
_window.__nnRedrawTimes = _create_proxy(lambda: _window.JSON.parse(str(_redraw_times)))
_window.__nnTurnTimes = _create_proxy(lambda: _window.JSON.parse(str(_turn_times)))
_window.__nnRedrawNow = _create_proxy(_redraw_now)
_window.__nnRedrawAfterChange = _create_proxy(lambda: APP.redraw_after_change(APP))
_window.__nnDrawing = _create_proxy(lambda: APP.drawing is not None)
"""


def launch(playwright: Any) -> Any:
    from tests.e2e.conftest import CHROMIUM_ARGS, find_chromium

    return playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)


@contextmanager
def fresh_page(browser: Any, probe: bool = False, python: str = "") -> Iterator[Any]:
    """A page in a new context (an empty HTTP cache), with the observer (and the probe,
    followed by ``python``)."""
    context = browser.new_context()
    context.add_init_script(OBSERVER)
    if probe:
        main = (ROOT / "static" / "py" / "main.py").read_text() + PROBE + python

        def with_probe(route: Any) -> None:
            route.fulfill(status=200, content_type="text/x-python", body=main)

        context.route("**/static/py/main.py", with_probe)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def again_if_crashed(measure: Callable[..., T]) -> Callable[..., T]:
    """``measure``, run once more in a new page if headless Chromium's renderer crashed (it
    does, rarely, while Pyodide starts: the e2e tests rerun such a test, see pyproject.toml).
    Playwright says "Target crashed", "Page crashed" or "...because page crashed!"."""

    @functools.wraps(measure)
    def measured(*args: Any, **kwargs: Any) -> T:
        try:
            return measure(*args, **kwargs)
        except Exception as error:
            if "crashed" not in str(error).lower():
                raise
            print(f"  (the renderer crashed in {measure.__name__}: measured once more)")
            return measure(*args, **kwargs)

    return measured


def wait_ready(page: Any) -> None:
    from tests.e2e.conftest import READY

    page.wait_for_selector(READY, timeout=180_000)


SETTLED = """async () => {
  const root = document.documentElement;
  const started = performance.now();
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  // a first visit keeps its decompressed snapshot in Cache Storage, from 1 s after ready
  while (root.dataset.pythonStart === "snapshot" && root.dataset.snapshotKept !== "true"
         && performance.now() - started < 10000) await sleep(100);
  // then ten idle periods of the longest kind (50 ms) in a row: the page has nothing to do
  let quiet = 0;
  while (quiet < 10 && performance.now() - started < 15000) {
    const left = await new Promise((done) => requestIdleCallback(
      (idle) => done(idle.didTimeout ? 0 : idle.timeRemaining()), { timeout: 200 }));
    quiet = left >= 45 ? quiet + 1 : 0;
  }
  return performance.now() - started;
}"""


IDLE = "new Promise((done) => requestIdleCallback(done, { timeout: 1000 }))"


def wait_settled(page: Any) -> float:
    """Wait until what the page does in the background after ``data-ready`` is done (the
    memory snapshot kept for the next visit, the chart and the math drawn, the code editor
    made if in view): half a second with nothing to do. Returns the milliseconds waited."""
    return float(page.evaluate(SETTLED))


RESOURCE_TIMES = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const ends = {};
  let bytes = nav.transferSize;
  for (const r of performance.getEntriesByType("resource")) {
    const name = r.name.split("/").pop().split("?")[0];
    const key = name.endsWith(".py") ? "last .py file" : name;
    ends[key] = Math.max(ends[key] || 0, r.responseEnd);
    bytes += r.transferSize;
    if (name.endsWith(".py")) {
      ends["first .py file asked"] = Math.min(ends["first .py file asked"] || 1e9, r.startTime);
    }
  }
  return { ready: window.__readyAt, interpreter: window.__interpreterAt || null,
           fcp: paint ? paint.startTime : null,
           domContentLoaded: nav.domContentLoadedEventEnd, ends, bytes,
           python_start: document.documentElement.dataset.pythonStart || null,
           fetched: performance.getEntriesByType("resource").map((r) => r.name) };
}"""


def page_without_snapshot(folder: Path) -> Path:
    """A copy of the page in ``folder`` whose archive names no memory snapshot: served, it
    starts Python as usual, as the page did before the snapshot. (A copy, not a Playwright
    route: routing turns off the HTTP cache, which a warm visit measures.)"""
    from tests.python_archive import write_gzipped

    for name in ("index.html", "pyscript.toml"):
        shutil.copy(ROOT / name, folder / name)
    ignore = shutil.ignore_patterns("snapshot.bin.gz")
    shutil.copytree(ROOT / "static", folder / "static", ignore=ignore)
    shutil.copytree(ROOT / "nn", folder / "nn")  # beside static/py/: the archive is up to date
    archive = folder / "static" / "build" / "python.zip"
    with zipfile.ZipFile(archive, "a") as zipped:
        zipped.comment = b""
    write_gzipped(archive)
    return folder


@again_if_crashed
def start_up(browser: Any, url: str) -> dict[str, Any]:
    """A first visit (a fresh context: empty caches) and a second one in the same context
    (warm: its HTTP cache, and Cache Storage where the page keeps its decompressed memory
    snapshot, waited for): for each, milliseconds from navigation to ready and to first
    contentful paint, when each of the interpreter's files (and the last .py file) had
    arrived, the bytes transferred and how Python started."""
    with fresh_page(browser) as page:
        visits = []
        for _ in range(2):
            page.goto(url)
            wait_ready(page)
            times: dict[str, Any] = page.evaluate(RESOURCE_TIMES)
            names = [name.split("?")[0] for name in times.pop("fetched")]
            times["fetched twice"] = sorted({n.split("/")[-1] for n in names if names.count(n) > 1})
            visits.append(times)
            if len(visits) == 1 and times["python_start"] == "snapshot":  # kept 1 s after ready
                page.wait_for_selector('html[data-snapshot-kept="true"]', state="attached")
    cold, warm = visits
    return {**cold, "warm": warm}


@again_if_crashed
def train_in_bare_page(browser: Any, url: str) -> float:
    """Epochs per second of ``bench/bare-train.html``: the CPython loop, run by Pyodide in a
    bare PyScript page in one go (no slices, no drawing): what the interpreter alone does."""
    with fresh_page(browser) as page:
        page.goto(url)
        wait_ready(page)
        return float(page.evaluate("document.documentElement.dataset.epochsPerSecond"))


@again_if_crashed
def train_in_page(
    browser: Any,
    url: str,
    epochs: int | None = None,
    redraws: int = 20,
    python: str = "",
    at_end: str | None = None,
) -> dict[str, Any]:
    """Press Train for ``epochs`` epochs, once the page has settled after its start
    (``wait_settled``), and measure the page while it trains.

    ``epochs`` None: as many as the page's epochs field says. Returns epochs per second
    (the page's own clock, from the click to Train enabled again), how long the page took
    to settle,
    the long tasks while training, every redraw's time during training, ``redraws`` more
    redraws of the whole view once trained (timed at once, then the long tasks of as many drawn
    as after a click), and the JS heap used at the end; ``python`` runs
    after the probe at start-up, ``at_end`` (JavaScript) at the end, its value as "at_end".
    """
    with fresh_page(browser, probe=True, python=python) as page:
        page.goto(url)
        wait_ready(page)
        settled = wait_settled(page)  # a learner reads the page first: training alone is timed
        if epochs is None:  # as many as the epochs field says (a preset's)
            epochs = int(page.get_by_test_id("epochs").input_value())
        goal = int(page.get_by_test_id("epoch").text_content() or 0) + epochs
        # only long tasks that start after this (e.g. not the chart being made, just before);
        # the clock starts when the click reaches the page (not when Playwright is asked to
        # click: it checks the button first, in round trips that take up to 0.2 s here), and
        # stops when Train is enabled again after the run, seen by a MutationObserver (polling
        # every frame cost the page ~1%); the epoch shown then must be the goal
        page.evaluate(
            """() => {
            window.__longTasks.length = 0; window.__t0 = performance.now();
            const train = document.querySelector('[data-testid="train"]');
            const epoch = document.querySelector('[data-testid="epoch"]');
            train.addEventListener("click",
              () => { window.__t0 = performance.now(); }, { capture: true, once: true });
            let started = false;  // Train is disabled while the run goes on
            const observer = new MutationObserver(() => {
              if (train.disabled) {
                started = true;
              } else if (started) {
                window.__tEnd = performance.now();
                window.__epochAtEnd = epoch.textContent;
                observer.disconnect();
              }
            });
            observer.observe(train, { attributes: true, attributeFilter: ["disabled"] });
            }"""
        )
        page.get_by_test_id("train").click()
        page.wait_for_function("window.__tEnd !== undefined", timeout=3_600_000, polling=100)
        shown = page.evaluate("window.__epochAtEnd")
        if shown != str(goal):  # diverged, or stopped: not the run the bench times
            raise RuntimeError(f"the run ended at epoch {shown}, not {goal}")
        seconds = page.evaluate("(window.__tEnd - window.__t0) / 1000")
        long_tasks = page.evaluate(
            "window.__longTasks.filter(([start]) => start >= window.__t0 && start <= window.__tEnd)"
            ".map(([, d]) => d)"
        )
        later = page.evaluate(
            "window.__longTasks.filter(([start]) => start > window.__tEnd).map(([, d]) => d)"
        )
        during = page.evaluate("window.__nnRedrawTimes()")
        turns = page.evaluate("window.__nnTurnTimes()")
        # the whole view's Python, at once, one redraw per task; then the long tasks of as many
        # redraws as after a click (a big network's in turns: redraw.redraw_after_change)
        after = [page.evaluate("window.__nnRedrawNow(1)")[0] for _ in range(redraws)]
        page.evaluate(IDLE)  # the long tasks of those are reported, then left out
        page.evaluate("window.__longTasks.length = 0")
        for _ in range(redraws):
            page.evaluate("window.__nnRedrawAfterChange()")
            page.wait_for_function("!window.__nnDrawing()", polling=50)
        page.evaluate(IDLE)
        redraw_long_tasks = page.evaluate("window.__longTasks.map(([, d]) => d)")
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")
        measured_at_end = page.evaluate(at_end) if at_end else None
    return {
        "at_end": measured_at_end,
        "settled_after_ready_ms": settled,
        "epochs": epochs,
        "seconds": seconds,
        "epochs_per_second": epochs / seconds,
        "long_tasks_while_training": summary(long_tasks),
        "long_tasks_after_training_until_redrawn": summary(later),
        "redraws_while_training_ms": summary(during),
        "drawing_turns_while_training_ms": summary(turns),
        "redraw_whole_view_ms": summary(after),
        "long_tasks_while_redrawing": summary(redraw_long_tasks),
        "js_heap_mb": None if heap is None else heap / 1e6,
    }


def summary(values: list[float]) -> dict[str, float | int | None]:
    """Count, median and worst of some durations (ms)."""
    return {
        "count": len(values),
        "median": statistics.median(values) if values else None,
        "worst": max(values) if values else None,
    }
