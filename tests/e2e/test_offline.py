"""Offline and deployed: `make dist`'s bundle, served under a sub-path as on a course website,
loads only from that folder and trains, and once its service worker is installed works offline;
a lesson hosted on another origin loads with CORS (and says which header is missing without
it), and is there offline after one visit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import READY, ROOT, START_TIMEOUT_MS, on_localhost
from tests.e2e.pagehelpers import NOTEBOOK, train_and_wait
from tests.scorm_package import ZIP_NAME
from tests.serve import serve_in_background

PREFIX = "/courses/ml/nn/"
LESSON = json.loads((ROOT / "examples" / "my-lesson.json").read_text())


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


def reload_offline(page: Page, stopped: list) -> None:
    """Once the service worker controls the page, stop the ``stopped`` servers, take the
    browser offline and reload: the page must come from the worker and get ready."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # clients.claim() in the worker's activate: this first page becomes controlled, no reload.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # nothing on its way from the servers when they stop: a request the page made before the
    # worker took it over (what it loads when idle) was reset once in CI, ERR_CONNECTION_RESET
    page.wait_for_load_state("networkidle")
    for server in stopped:
        server.shutdown()
        server.server_close()
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector(READY, timeout=START_TIMEOUT_MS)


@pytest.mark.own_context  # offline, and a listener of its own
def test_dist_loads_from_a_sub_path_trains_and_works_offline_once_its_worker_is_installed(
    lab, page: Page, dist: Path, dist_server
) -> None:
    """The bundle: every file precached by the service worker, the memory snapshot included,
    no build leftovers. Served under a sub-path: Python starts from the snapshot, the lab trains
    to about 5, and nothing is asked of anywhere else. Then, the server gone and the browser
    offline, a reload comes from the worker and trains again."""
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
    assert "static/build/python.zip.gz" in files and "static/build/python.zip" not in files
    assert "static/js/pyodide-snapshot.mjs" in files
    assert not any(p.endswith(".stamp") or "__pycache__" in p for p in files)
    html = (dist / "index.html").read_text()
    assert '<meta name="nn-service-worker" content="sw.js">' in html

    url, server = dist_server
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    page = lab(NOTEBOOK, root=url)
    assert page.get_attribute("html", "data-python-start") == "snapshot"
    trains_to_about_five(page)
    assert requested, "no request seen"
    outside = [u for u in requested if not u.startswith(url) and not u.startswith("data:")]
    assert not outside, f"requests outside {url}: {outside}"

    reload_offline(page, [server])
    # Python started from the memory snapshot, precached like the rest
    assert page.get_attribute("html", "data-python-start") == "snapshot"
    expect(page.get_by_test_id("epoch")).to_have_text("200")  # the autosave, offline too
    page.get_by_test_id("reset").click()
    trains_to_about_five(page)


@pytest.mark.own_context  # offline
def test_a_lesson_on_another_origin_loads_with_cors_and_is_there_offline(
    lab,
    page: Page,
    problems,
    servers,
    tmp_path: Path,
    dist: Path,
) -> None:
    problems.allowed_hosts.add("localhost")
    # the first fetch, refused by CORS, and the last, offline
    problems.allowed_console += ["CORS policy", "net::ERR_FAILED", "ERR_INTERNET_DISCONNECTED"]
    site = tmp_path / "course"
    site.mkdir()
    (site / "odd-even.json").write_text(json.dumps(LESSON))
    refusing, _ = servers(site, extra_files=["odd-even.json"])
    sharing, lesson_server = servers(
        site, extra_files=["odd-even.json"], headers=[("Access-Control-Allow-Origin", "*")]
    )
    lab_url, lab_server = servers(dist, prefix=PREFIX)
    lab_origin = lab_url.split(PREFIX)[0]

    page = lab("lesson=" + on_localhost(refusing) + "odd-even.json", root=lab_url)
    expect(page.get_by_test_id("notice")).to_contain_text(
        f"must send the header Access-Control-Allow-Origin: {lab_origin} (or *)"
    )
    expect(page.get_by_test_id("lesson")).to_be_hidden()

    page = lab("lesson=" + on_localhost(sharing) + "odd-even.json", root=lab_url)
    expect(page.get_by_test_id("lesson")).to_contain_text(LESSON["title"])
    reload_offline(page, [lesson_server, lab_server])
    expect(page.get_by_test_id("lesson")).to_contain_text(LESSON["title"])
    expect(page.get_by_test_id("notice")).to_contain_text("the copy this browser kept")
