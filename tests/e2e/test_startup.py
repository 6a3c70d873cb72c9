"""Python's start-up in the page, from the memory snapshot (static/js/pyodide-snapshot.mjs,
tests/memory_snapshot.py).

The page starts Python from static/build/snapshot.bin.gz when the archive names it and it is
whole and made from the same Pyodide and modules; in every other case it starts as usual, with
a console.info and no error. <html data-python-start> says which start-up ran.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import ROOT, START_TIMEOUT_MS, PageProblems, WarmContext, watch
from tests.e2e.pagehelpers import NOTEBOOK, output, train_and_wait
from tests.memory_snapshot import SNAPSHOT, archive_key
from tests.python_archive import ARCHIVE

USUAL = "nn: Python starts as usual"

# Appended to the page's main.py (after start-up): a draw of the `random` module, shown once
# the lab is ready.
PROBE = """
import random as _random
document.documentElement.dataset.randomDraw = repr(_random.random())
"""


@pytest.fixture(autouse=True)
def needs_a_snapshot() -> None:
    if not SNAPSHOT.is_file() or archive_key(ARCHIVE) is None:
        pytest.fail("no snapshot for the archive: run `make` (tests/memory_snapshot.py)")


def infos_of(page: Page) -> list[str]:
    """The page's console.info messages, from now on."""
    found: list[str] = []
    page.on(
        "console", lambda message: found.append(message.text) if message.type == "info" else None
    )
    return found


@contextmanager
def new_page(warm: WarmContext, allowed_console: tuple[str, ...] = ()) -> Iterator[Page]:
    """A page of a first visit (nothing stored yet for the lab's origin: no kept snapshot, no
    autosave), watched for errors and requests to other hosts; closed, and checked, at the
    end (console errors and page errors holding a text of ``allowed_console`` are expected).
    The browser's HTTP cache and compiled WebAssembly are kept (conftest's ``WarmContext``):
    they change how fast Python starts, not which start-up runs, and ``make bench`` times a
    first visit to an empty browser."""
    page = warm.first_visit()
    found = PageProblems()
    found.allowed_console += list(allowed_console)
    watch(page, found)
    try:
        yield page
    finally:
        page.close()
        warm.after_test(set())
    found.errors = [e for e in found.errors if not any(a in e for a in allowed_console)]
    found.check()


def start(page: Page, base_url_root: str, query: str = NOTEBOOK, probe: bool = False) -> str:
    """Open the lab and wait until it is ready; which start-up ran ("snapshot" or "fresh")."""
    if probe:
        main = (ROOT / "static" / "py" / "main.py").read_text() + PROBE
        page.route(
            "**/static/py/main.py",
            lambda route: route.fulfill(status=200, content_type="text/x-python", body=main),
        )
    page.goto(base_url_root + "?" + query)
    ready = "html[data-random-draw]" if probe else 'html[data-ready="true"]'
    page.wait_for_selector(ready, timeout=START_TIMEOUT_MS)
    return page.get_attribute("html", "data-python-start") or ""


def trains_to_about_five(page: Page) -> None:
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    assert abs(float(page.get_by_test_id("prediction").text_content() or "") - 5) <= 1


def test_python_starts_from_the_snapshot_keeps_it_and_trains_as_the_usual_start_does(
    warm_context: WarmContext, base_url_root: str
) -> None:
    """A first visit starts from the snapshot, without the usual start's message, and keeps it
    decompressed: a second visit starts from it without downloading it again. `random` differs
    from one start to the next (reseeded at each: unseeded draws and the random numbers added
    to a data set differ). A seeded run from the snapshot is bit-identical to one from the usual
    start (here: an archive that names no snapshot, which says so calmly)."""
    draws, added = [], []
    with new_page(warm_context) as page:
        infos = infos_of(page)
        assert start(page, base_url_root, "width=8&examples=00000101", probe=True) == "snapshot"
        assert not [text for text in infos if USUAL in text]
        draws.append(page.get_attribute("html", "data-random-draw"))
        added.append(add_random(page))
        page.wait_for_selector('html[data-snapshot-kept="true"]', state="attached")
        page.evaluate("localStorage.clear()")
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        assert start(page, base_url_root) == "snapshot"
        assert not [url for url in asked if url.endswith("snapshot.bin.gz")], asked
        trains_to_about_five(page)
        from_snapshot = (output(page), page.get_by_test_id("loss").text_content())
    with new_page(warm_context) as page:
        assert start(page, base_url_root, "width=8&examples=00000101", probe=True) == "snapshot"
        draws.append(page.get_attribute("html", "data-random-draw"))
        added.append(add_random(page))
    assert draws[0] != draws[1]
    assert added[0] != added[1]
    with new_page(warm_context) as page:
        infos = infos_of(page)
        page.route("**/static/build/python.zip.gz", serve_archive_without_its_comment)
        assert start(page, base_url_root) == "fresh"
        assert [text for text in infos if USUAL in text], infos
        trains_to_about_five(page)
        assert (output(page), page.get_by_test_id("loss").text_content()) == from_snapshot


def add_random(page: Page) -> str:
    """Add random numbers to the data set; the list as it then reads."""
    examples = page.get_by_test_id("examples")
    before = examples.text_content()
    page.get_by_test_id("dataset-tools").locator("summary").click()
    page.get_by_test_id("add-random").click()
    expect(examples).not_to_have_text(before or "")
    return examples.text_content() or ""


def serve_archive_without_its_comment(route: Route) -> None:
    """The archive as `make` or tests/serve.py rebuild it before a new snapshot is made (the
    page's copy: gzipped)."""
    buffer = io.BytesIO(ARCHIVE.read_bytes())
    with zipfile.ZipFile(buffer, "a") as zipped:
        zipped.comment = b""
    route.fulfill(
        status=200, content_type="application/gzip", body=gzip.compress(buffer.getvalue())
    )


def serve_snapshot(change: Callable[[bytes], bytes]) -> Callable[[Route], None]:
    def fulfill(route: Route) -> None:
        body = change(SNAPSHOT.read_bytes())
        route.fulfill(status=200, content_type="application/gzip", body=body)

    return fulfill


def other_build(data: bytes) -> bytes:
    """A whole, well-named snapshot whose memory Pyodide refuses (another build id)."""
    from tests.memory_snapshot import gzip_comment, gzip_with_comment

    memory = bytearray(gzip.decompress(data))
    memory[16:48] = bytes(32)  # the build id, checked by Pyodide's restoreSnapshot
    return gzip_with_comment(bytes(memory), gzip_comment(data[:1024]) or "")


SNAPSHOT_URL = "**/static/build/snapshot.bin.gz"


def decided(page: Page, base_url_root: str, reason: str = USUAL) -> str:
    """Open the lab until it has chosen its start-up and said why (a console.info with
    ``reason``); which start-up it chose."""
    with page.expect_console_message(
        lambda message: message.type == "info" and reason in message.text,
        timeout=START_TIMEOUT_MS,
    ):
        page.goto(base_url_root + "?" + NOTEBOOK)
    page.wait_for_selector("html[data-python-start]", state="attached")
    return page.get_attribute("html", "data-python-start") or ""


def test_without_a_good_snapshot_the_page_starts_as_usual_and_says_why_calmly(
    warm_context: WarmContext, base_url_root: str
) -> None:
    """A missing snapshot (the browser's own 404 line, nothing thrown by the page) and one
    that Pyodide refuses (the one case that fails inside Pyodide, caught and started again):
    the usual start, a console.info saying why, no error, and a lab that trains. Every other
    way a snapshot can be wrong is decided before Pyodide loads, by the same code:
    tests/unit/test_snapshot_loader.py runs that decision under Node for each."""
    with new_page(warm_context, ("404 (Not Found)",)) as page:
        page.route(SNAPSHOT_URL, lambda route: route.fulfill(status=404))
        assert decided(page, base_url_root) == "fresh"
    with new_page(warm_context) as page:
        page.route(SNAPSHOT_URL, serve_snapshot(other_build))
        infos = infos_of(page)
        assert start(page, base_url_root) == "fresh"
        assert [text for text in infos if USUAL in text], infos
        trains_to_about_five(page)


def test_a_page_whose_python_cannot_be_fetched_says_so_and_loads_no_python(
    warm_context: WarmContext, base_url_root: str
) -> None:
    """Without its archive (static/build/python.zip.gz) the page cannot start: the loading note
    says so and what to do, no Python is loaded for nothing, and the console's error (from
    PyScript) names the archive."""
    expected = ("python.zip.gz", "status of 404")  # PyScript's error, and the failed fetch
    with new_page(warm_context, allowed_console=expected) as page:
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.route("**/static/build/python.zip.gz", lambda route: route.fulfill(status=404))
        page.goto(base_url_root + "?" + NOTEBOOK)
        note = page.get_by_test_id("loading")
        expect(note).to_contain_text(
            "The lab could not load its Python. Reload the page", timeout=START_TIMEOUT_MS
        )
        expect(note).to_have_attribute("role", "alert")
        assert page.get_attribute("html", "data-ready") is None
        assert page.get_attribute("html", "data-python-start") is None
        assert not [url for url in asked if url.endswith("snapshot.bin.gz")], asked
