"""tests/serve.py serves the page's files only: not the repository around them (.git/, .venv/,
tests/, ...), no directory listing, no way out of its folder with dot-segments."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve import serve_in_background

ROOT = Path(__file__).resolve().parents[2]

# A repository-like tree: every path refused below exists, so a 404 means "refused".
TREE = {
    "index.html": "<!doctype html><title>lab</title>",
    "pyscript.toml": 'name = "lab"',
    "README.md": "# read me",
    "Makefile": "all:",
    "sw.js": "// the service worker of dist/",
    ".git/config": "[core]",
    ".git/HEAD": "ref: refs/heads/main",
    ".env": "SECRET=1",
    ".venv/pyvenv.cfg": "home = /usr/bin",
    ".venv/lib/site.py": "",
    "node_modules/pyodide/package.json": "{}",
    "tests/serve.py": "",
    "tests/__init__.py": "",
    "bench/bare.html": "<!doctype html>",
    "examples/notebook.ipynb": "{}",
    "dist/index.html": "<!doctype html>",
    "nn/neuron.py": "class Neuron: ...",
    "nn/__init__.py": "",
    "nn/notes.txt": "not Python",
    "nn/__pycache__/neuron.cpython-313.pyc": "",
    "static/css/lab.css": "body {}",
    "static/favicon.svg": "<svg/>",
    "static/sw.js": "// template",
    "static/py/main.py": "",
    "static/vendor/.stamp": "",
    "static/vendor/pyscript/core.js": "export {};",
    "static/vendor/pyodide/pyodide.mjs": "export {};",
    "static/vendor/pyodide/pyodide.asm.wasm": "\0asm",
    "static/.hidden/secret.txt": "",
}

SERVED = [
    "/",
    "/?embed=1&width=5",
    "/index.html",
    "/index.html?embed=1",
    "/pyscript.toml",
    "/sw.js",
    "/nn/neuron.py",
    "/nn/__init__.py",
    "/static/css/lab.css",
    "/static/favicon.svg",
    "/static/sw.js",
    "/static/py/main.py",
    "/static/vendor/pyscript/core.js",
    "/static/vendor/pyodide/pyodide.mjs",
    "/static/vendor/pyodide/pyodide.asm.wasm",
    "/static%2Fcss%2Flab.css",  # an encoded "/" is still a path inside static/
]

REFUSED = [
    # the repository around the page
    "/.git/config",
    "/.git/HEAD",
    "/.env",
    "/.venv/pyvenv.cfg",
    "/.venv/lib/site.py",
    "/node_modules/pyodide/package.json",
    "/tests/serve.py",
    "/tests/__init__.py",
    "/bench/bare.html",
    "/examples/notebook.ipynb",
    "/dist/index.html",
    "/README.md",
    "/Makefile",
    # in nn/, only Python files
    "/nn/notes.txt",
    "/nn/__pycache__/neuron.cpython-313.pyc",
    # dot-segments anywhere, plain or %-encoded
    "/static/vendor/.stamp",
    "/static/.hidden/secret.txt",
    "/%2egit/config",
    "/%2Egit/HEAD",
    "/static/%2e%2e/.git/config",
    "/static/%2e%2e/README.md",
    "/static/..%2f..%2fREADME.md",
    "/static/%2e%2e%2f%2e%2e%2fREADME.md",
    "/static/../README.md",
    "/static/../.git/config",
    "/../README.md",
    "/%2e%2e/",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/./index.html",
    "/static/./css/lab.css",
    "/static/css/..%5c..%5cREADME.md",
    "//etc/passwd",
    "/static//css/lab.css",
    # directories: no listing
    "/static/",
    "/static",
    "/static/css/",
    "/static/vendor/",
    "/nn/",
    "/.git/",
    "/tests/",
    # does not exist
    "/nothing.html",
]


def status(url: str) -> int:
    """The HTTP status of a GET of `url`, sent as it is (urllib does not normalise paths)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def make_tree(root: Path) -> None:
    for relative, text in TREE.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    make_tree(root)
    return root


@pytest.fixture(scope="module")
def server(tree: Path) -> Iterator[str]:
    """The fake repository served at the root of a free port: its URL without the final "/"."""
    url, server = serve_in_background(tree)
    yield url.rstrip("/")
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def repository() -> Iterator[str]:
    """This repository served as by `make serve`: its URL without the final "/"."""
    url, server = serve_in_background(ROOT)
    yield url.rstrip("/")
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", SERVED)
def test_serves_the_page_files(server: str, path: str) -> None:
    assert status(server + path) == 200


@pytest.mark.parametrize("path", REFUSED)
def test_refuses_everything_else(server: str, path: str) -> None:
    assert status(server + path) in (403, 404)


def test_every_refused_file_exists(tree: Path) -> None:
    """So that the 404s above are refusals, not missing files."""
    for relative in TREE:
        assert (tree / relative).is_file(), relative


def test_the_root_serves_index_html_with_no_cache(server: str) -> None:
    with urllib.request.urlopen(server + "/", timeout=10) as response:
        assert response.read() == TREE["index.html"].encode()
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "mime"),
    [
        ("/pyscript.toml", "application/toml"),
        ("/nn/neuron.py", "text/x-python"),
        ("/static/vendor/pyscript/core.js", "text/javascript"),
        ("/static/vendor/pyodide/pyodide.mjs", "text/javascript"),
        ("/static/vendor/pyodide/pyodide.asm.wasm", "application/wasm"),
        ("/static/favicon.svg", "image/svg+xml"),
        ("/static/css/lab.css", "text/css"),
    ],
)
def test_mime_types(server: str, path: str, mime: str) -> None:
    with urllib.request.urlopen(server + path, timeout=10) as response:
        assert response.headers["Content-Type"] == mime
        assert response.headers["Cache-Control"] == "no-cache"


def test_head_is_refused_like_get(server: str) -> None:
    for path, expected in (("/index.html", 200), ("/.git/config", 404), ("/README.md", 404)):
        request = urllib.request.Request(server + path, method="HEAD")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                code = response.status
        except urllib.error.HTTPError as error:
            code = error.code
        assert code == expected, path


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    root = tmp_path / "site"
    make_tree(root)
    (root / "static" / "link.txt").symlink_to(outside)
    url, server = serve_in_background(root)
    try:
        assert status(url + "static/link.txt") == 404
        assert status(url + "static/css/lab.css") == 200
    finally:
        server.shutdown()
        server.server_close()


def test_dist_under_a_prefix(tmp_path: Path) -> None:
    """dist/ as on a course website: its top level is index.html, pyscript.toml, sw.js, nn/,
    static/, served below /courses/ml/nn/."""
    for relative in ("index.html", "pyscript.toml", "sw.js", "nn/neuron.py", "static/css/a.css"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    (tmp_path / ".DS_Store").write_text("x")
    url, server = serve_in_background(tmp_path, prefix="/courses/ml/nn/")
    origin = url.removesuffix("/courses/ml/nn/")
    try:
        assert url.endswith("/courses/ml/nn/")
        for path in ("", "?embed=1", "index.html", "pyscript.toml", "sw.js", "nn/neuron.py"):
            assert status(url + path) == 200, path
        assert status(url + "static/css/a.css") == 200
        assert status(origin + "/courses/ml/nn") == 200  # redirected to the folder
        for path in (".DS_Store", "static/", "nn/", "%2e%2e/", "../nn/index.html"):
            assert status(url + path) == 404, path
        for path in ("/", "/index.html", "/courses/ml/", "/courses/ml/index.html"):
            assert status(origin + path) == 404, path
    finally:
        server.shutdown()
        server.server_close()


def test_extra_files_are_served_when_asked_for(tmp_path: Path) -> None:
    (tmp_path / "host.html").write_text("<!doctype html>")
    (tmp_path / "other.html").write_text("<!doctype html>")
    url, server = serve_in_background(tmp_path, extra_files=["host.html"])
    try:
        assert status(url + "host.html") == 200
        assert status(url + "other.html") == 404
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", 200),
        ("/index.html", 200),
        ("/pyscript.toml", 200),
        ("/nn/neuron.py", 200),
        ("/static/css/lab.css", 200),
        ("/.git/config", 404),
        ("/.git/HEAD", 404),
        ("/tests/serve.py", 404),
        ("/README.md", 404),
        ("/pyproject.toml", 404),
        ("/Makefile", 404),
        ("/bench/bare.html", 404),
        ("/static/", 404),
        ("/static/py/", 404),
        ("/%2e%2e/", 404),
        ("/static/%2e%2e/README.md", 404),
    ],
)
def test_the_repository_itself(repository: str, path: str, expected: int) -> None:
    assert status(repository + path) == expected
