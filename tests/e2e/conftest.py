"""End-to-end fixtures: serve the repository on a free port, drive it in headless Chromium.

Every test here is marked ``e2e``. Each one fails on any page error, any console error
and any request to a host other than 127.0.0.1: the page must work from one static host.
Tests wait on the page's readiness signal (``html[data-ready="true"]``), never on a timer.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.serve import serve_in_background

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The end-to-end tests' browser also keeps every page of 127.0.0.1 in one renderer process, so
# that Pyodide's WebAssembly, compiled once, stays compiled from test to test: see WarmContext.
E2E_ARGS = [*CHROMIUM_ARGS, "--process-per-site"]
READY = 'html[data-ready="true"]'
START_TIMEOUT_MS = 60_000  # first load compiles Pyodide's WebAssembly
# How long an expectation waits for the page (Playwright's default is 5 s): `make test` runs two
# browsers at once on a 2-core machine, where a click during a run can take a few seconds to
# be answered. A limit on waiting, not a timed assertion: a passing expectation returns at once.
expect.set_options(timeout=15_000)


def find_chromium() -> str | None:
    """CHROMIUM from the environment, else Debian's chromium, else None (Playwright's own)."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


# The files whose journeys take longest (20-30 s each: several labs, frames, reloads), run
# first: pytest-xdist hands tests out in order as each process asks for more, so the two
# processes then end within a short journey of each other. Only an order: a file not named
# here runs after these, as collected.
LONGEST_FIRST = (
    "test_saved_state.py",
    "test_course_platforms.py",
    "test_startup.py",
    "test_accessibility.py",
    "test_data_set.py",
    "test_one_vocabulary.py",
    "test_lessons.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)

    def rank(item: pytest.Item) -> int:
        path = Path(item.fspath)
        if here in path.parents and path.name in LONGEST_FIRST:
            return LONGEST_FIRST.index(path.name)
        return len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: otherwise as collected


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    executable = find_chromium()
    if executable is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            bundled = p.chromium.executable_path
        if not Path(bundled).exists():
            pytest.exit(
                "No Chromium found for the end-to-end tests. Install one with "
                "`apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM=/path/to/chromium, "
                "or run `python -m playwright install chromium` where downloads are allowed.",
                returncode=4,
            )
        executable = bundled
    return {**browser_type_launch_args, "executable_path": executable, "args": E2E_ARGS}


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """``--base-url`` or the ``base_url`` ini setting, else None: pytest-playwright's own
    fallback, as a plain function (its own is an instance method of a plugin class, which
    pytest deprecates for a session fixture and warns about)."""
    try:
        ini = pytestconfig.getini("base_url")
    except ValueError:
        ini = None
    return pytestconfig.getoption("--base-url", None) or ini or None


@pytest.fixture(scope="session")
def base_url_root() -> Iterator[str]:
    """The repository served on a free port of 127.0.0.1, e.g. "http://127.0.0.1:41234/"."""
    if not (ROOT / "static" / "vendor" / ".stamp").exists():
        pytest.exit(
            "static/vendor/ is missing: run `make vendor` (or `make test`) first.", returncode=4
        )
    url, server = serve_in_background(ROOT)
    yield url
    server.shutdown()


# The Cache Storage where the page keeps its decompressed memory snapshot, as the loader names it.
KEPT_SNAPSHOT = re.search(
    r'const CACHE = "([^"]+)";', (ROOT / "static" / "js" / "pyodide-snapshot.mjs").read_text()
).group(1)
ALL_BUT_CACHE_STORAGE = (
    "cookies,file_systems,indexeddb,local_storage,shader_cache,websql,service_workers"
)


class WarmContext:
    """One browser context kept from test to test in a test process, and a page of the lab's
    origin kept open in it (``anchor``): with ``--process-per-site`` every page of 127.0.0.1
    then opens in that page's renderer process, where Pyodide's WebAssembly, compiled by the
    first test, stays compiled. A page then gets ready in about half the time and a third of
    the processor time of a page in a new context (README.md, Tests), and the suite is bound
    by the processor.

    Each test still gets a page of its own and starts with nothing stored: after a test, its
    pages are closed, and every origin its pages asked anything of (the lab's, a course page's,
    dist/'s...) has its storage cleared (local storage, IndexedDB, Cache Storage, service
    workers, cookies), but for the lab's kept memory snapshot; permissions granted are taken
    back. After a test that went to another
    origin, the HTTP cache is emptied too: another origin is a server of the test's own, whose
    port a later test may be given for other files. (A lab framed by another site stores
    nothing: this browser blocks a third party's storage.) A test whose renderer crashed leaves
    the context to be closed, and the next test starts a new one. A test that changes the
    context itself (offline, its own listeners) is marked ``own_context`` and gets a new one;
    tests that need a new browser's first visit open a context of their own
    (``browser.new_context()``), or a ``first_visit`` page here, as ``test_startup`` does.
    """

    def __init__(self, browser: Browser, options: dict, origin: str) -> None:
        self.browser, self.options, self.origin = browser, options, origin
        self.context: BrowserContext | None = None
        self.anchor: Page | None = None
        self.crashed = False

    def open(self) -> BrowserContext:
        if self.context is None:
            self.context = self.browser.new_context(**self.options)
            self.anchor = self.context.new_page()
            self.anchor.on("crash", lambda _page: setattr(self, "crashed", True))
            self.anchor.goto(self.origin + "/static/vendor/pyscript/core.css")  # any same-site page
        return self.context

    def after_test(self, origins: set[str]) -> None:
        """Close the test's pages and clear what it stored in ``origins`` (the origins its
        pages asked anything of); or, if it crashed, close the context."""
        context = self.context
        assert context is not None
        for page in context.pages:
            if page is not self.anchor:
                page.close()
        if self.crashed:
            self.close()
            return
        self.clear_storage(
            origins | {self.origin}, http_cache=bool(origins - {self.origin}), keep_snapshot=True
        )
        # Again from the lab's renderer process: Chromium commits local storage in batches, so a
        # write a closed page made just before may reach the store after the clearing above;
        # the process's own clear() comes after it.
        assert self.anchor is not None
        self.anchor.evaluate("localStorage.clear()")
        context.clear_cookies()
        context.clear_permissions()

    def stored(self) -> int:
        """How many local storage entries the lab's origin holds (the autosave, a lesson's
        place...): none when a test starts."""
        assert self.anchor is not None
        return self.anchor.evaluate("localStorage.length")

    def clear_storage(
        self, origins: set[str] | None = None, http_cache: bool = False, keep_snapshot: bool = False
    ) -> None:
        """Forget everything ``origins`` (the lab's, by default) stored in this context, and
        with ``http_cache`` the HTTP cache. Pyodide's compiled WebAssembly stays: it is the
        renderer process's. With ``keep_snapshot``, so does the lab's decompressed memory
        snapshot (``KEPT_SNAPSHOT``): a speed-up only, keyed to the archive and Pyodide, which
        a page would otherwise decompress and store again in every test."""
        assert self.context is not None and self.anchor is not None
        session = self.context.new_cdp_session(self.anchor)
        for origin in sorted(origins or {self.origin}):
            kept = keep_snapshot and origin == self.origin
            types = ALL_BUT_CACHE_STORAGE if kept else "all"
            session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": types})
        if http_cache:
            session.send("Network.clearBrowserCache")
        session.detach()
        if keep_snapshot:  # the lab's other caches go (the offline bundle's, a test's)
            self.anchor.evaluate(
                """(kept) => caches.keys().then((names) => Promise.all(
                  names.filter((name) => name !== kept).map((name) => caches.delete(name))))""",
                KEPT_SNAPSHOT,
            )

    def first_visit(self) -> Page:
        """A new page in this context, where the lab's origin has nothing stored yet: the
        lab's first visit, but for the browser's HTTP cache and compiled code."""
        self.open()
        self.clear_storage()
        assert self.context is not None
        return self.context.new_page()

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
        self.context, self.anchor, self.crashed = None, None, False


@pytest.fixture(scope="session")
def warm_context(
    browser: Browser, browser_context_args: dict, base_url_root: str
) -> Iterator[WarmContext]:
    warm = WarmContext(browser, browser_context_args, base_url_root.rstrip("/"))
    yield warm
    warm.close()


@pytest.fixture
def context(
    warm_context: WarmContext, request: pytest.FixtureRequest, browser_context_args: dict
) -> Iterator[BrowserContext]:
    """The browser context of a test's ``page``: the process's ``WarmContext``, or for a test
    marked ``own_context`` a new one, closed after it."""
    if request.node.get_closest_marker("own_context"):
        own = warm_context.browser.new_context(**browser_context_args)
        yield own
        own.close()
        return
    context = warm_context.open()
    left = warm_context.stored()
    assert left == 0, f"the lab's origin holds {left} local storage entries before a test"
    origins: set[str] = set()

    def on_request(request) -> None:
        if not request.url.startswith(("data:", "blob:", "about:")):
            parts = urlsplit(request.url)
            origins.add(f"{parts.scheme}://{parts.netloc}")

    context.on("request", on_request)
    yield context
    context.remove_listener("request", on_request)
    warm_context.after_test(origins)


class PageProblems:
    """What went wrong in the page during a test: errors, and requests that left 127.0.0.1."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.allowed_hosts = {"127.0.0.1"}
        self.allowed_console: list[str] = []

    def check(self) -> None:
        assert not self.foreign_requests, f"requests to other hosts: {self.foreign_requests}"
        assert not self.errors, "errors in the page:\n" + "\n".join(self.errors)


def watch(page: Page, found: PageProblems) -> None:
    """Record ``page``'s errors and requests to other hosts in ``found`` (and abort those)."""

    def on_request(request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host not in found.allowed_hosts:
            found.foreign_requests.append(request.url)

    def on_console(message) -> None:
        if message.type == "error" and not any(a in message.text for a in found.allowed_console):
            where = (message.location or {}).get("url", "")  # a failed load's, its resource
            found.errors.append(f"console: {message.text}" + (f" ({where})" if where else ""))

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: found.errors.append(f"page error: {error}"))
    # A request to another host is answered by nobody: abort it at once (and it is reported).
    page.route(
        lambda url: (
            urlsplit(url).hostname not in found.allowed_hosts
            and not url.startswith(("data:", "blob:"))
        ),
        lambda route: route.abort(),
    )


@pytest.fixture
def problems(page: Page) -> Iterator[PageProblems]:
    """Watches ``page``; the test fails at teardown on any error or foreign request."""
    found = PageProblems()
    watch(page, found)
    yield found
    found.check()


@pytest.fixture
def lab(page: Page, problems: PageProblems, base_url_root: str):
    """Open the page with a query string and wait until Python is ready: lab("width=5&...")."""

    def open_lab(query: str = "", root: str | None = None) -> Page:
        url = (root or base_url_root) + ("?" + query if query else "")
        page.goto(url)
        page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
        return page

    return open_lab


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """dist/ and dist/nn-lab-scorm.zip, built once per run by the Makefile's own `make scorm`
    (which makes dist first). `make test` runs the suite in two processes (pytest-xdist): the
    first to ask builds, under a lock, and the other finds it built (`make dist` starts dist/
    afresh, which must not happen while a test serves it)."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, above each worker's own
    with (shared / "dist.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = shared / "dist.built"
        if not built.exists():
            done = subprocess.run(
                ["make", "--no-print-directory", "scorm"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            built.write_text(
                "" if done.returncode == 0 else f"make scorm failed:\n{done.stdout}\n{done.stderr}"
            )
        failed = built.read_text()
    if failed:
        pytest.fail(failed)
    return ROOT / "dist"


@pytest.fixture
def servers() -> Iterator:
    """serve(root, **options) -> (URL, server); every server is stopped after the test."""
    started = []

    def serve(root: Path, **options):
        url, server = serve_in_background(root, **options)
        started.append(server)
        return url, server

    yield serve
    for server in started:
        server.shutdown()
        server.server_close()


def on_localhost(url: str) -> str:
    """The same server by another origin (and site): localhost in place of 127.0.0.1."""
    return url.replace("//127.0.0.1:", "//localhost:")
