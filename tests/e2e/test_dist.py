"""The deployable build, `make dist`: served under a sub-path as on a course website, it loads
only from that folder and trains; once its service worker is installed it works offline."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, ROOT, START_TIMEOUT_MS
from tests.e2e.pagehelpers import NOTEBOOK, train_and_wait
from tests.scorm_package import ZIP_NAME
from tests.serve import serve_in_background

PREFIX = "/courses/ml/nn/"


@pytest.fixture(scope="session")
def dist() -> Path:
    """dist/, built once per session by the Makefile's own `make dist`."""
    done = subprocess.run(
        ["make", "--no-print-directory", "dist"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"make dist failed:\n{done.stdout}\n{done.stderr}")
    return ROOT / "dist"


@pytest.fixture
def dist_server(dist: Path) -> Iterator[tuple[str, object]]:
    """dist/ served under PREFIX on a free port: (URL of the folder, server)."""
    url, server = serve_in_background(dist, prefix=PREFIX)
    yield url, server
    server.shutdown()
    server.server_close()


def trains_to_about_five(page: Page) -> None:
    train_and_wait(page)
    expect(page.get_by_test_id("epoch")).to_have_text("200")
    value = float(page.get_by_test_id("prediction").text_content())
    assert abs(value - 5) <= 1, value


def test_dist_has_the_bundle_and_a_service_worker_for_it(dist: Path) -> None:
    worker = (dist / "sw.js").read_text()
    assert "__VERSION__" not in worker
    assert "__PRECACHE__" not in worker
    files = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file())
    for path in files:
        # the worker itself, and make scorm's package (built beside the bundle, for an LMS)
        if path not in ("sw.js", ZIP_NAME):
            assert f'"{path}"' in worker, f"{path} is not precached"
    assert "static/vendor/pyodide/pyodide.asm.wasm" in files
    assert "static/build/snapshot.bin.gz" in files
    assert "static/js/pyodide-snapshot.mjs" in files
    assert not any(p.endswith(".stamp") or "__pycache__" in p for p in files)
    html = (dist / "index.html").read_text()
    assert '<meta name="nn-service-worker" content="sw.js">' in html


def test_dist_loads_from_a_sub_path_and_trains(lab, page: Page, dist_server) -> None:
    url, _server = dist_server
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    page = lab(NOTEBOOK, root=url)
    assert page.get_attribute("html", "data-python-start") == "snapshot"
    trains_to_about_five(page)
    assert requested, "no request seen"
    outside = [u for u in requested if not u.startswith(url) and not u.startswith("data:")]
    assert not outside, f"requests outside {url}: {outside}"


def test_dist_works_offline_once_its_service_worker_is_installed(
    lab, page: Page, dist_server
) -> None:
    url, server = dist_server
    page = lab(NOTEBOOK, root=url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # clients.claim() in the worker's activate: this first page becomes controlled, no reload.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    server.shutdown()
    server.server_close()
    page.context.set_offline(True)

    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)
    # Python started from the memory snapshot, precached like the rest
    assert page.get_attribute("html", "data-python-start") == "snapshot"
    trains_to_about_five(page)
