"""End-to-end fixtures: serve the repository on a free port, drive it in headless Chromium.

Every test here is marked ``e2e``. Each one fails on any page error, any console error
and any request to a host other than 127.0.0.1: the page must work from one static host.
Tests wait on the page's readiness signal (``html[data-ready="true"]``), never on a timer.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


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
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


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
            found.errors.append(f"console: {message.text}")

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
