"""The page's configuration: Pyodide from our own origin, every Python module mapped in."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyscript.toml").read_text())
PAGE_PYTHON = ROOT / "static" / "py"


def test_interpreter_is_the_vendored_pyodide_not_a_cdn() -> None:
    assert CONFIG["interpreter"] == "./static/vendor/pyodide/pyodide.mjs"


def test_every_nn_module_is_mapped_into_the_page() -> None:
    modules = {f"./nn/{p.name}" for p in (ROOT / "nn").glob("*.py")}
    assert modules == {source for source in CONFIG["files"] if source.startswith("./nn/")}
    for source, destination in CONFIG["files"].items():
        if source.startswith("./nn/"):
            assert destination == source


def test_every_page_module_but_main_is_mapped_to_the_top_level() -> None:
    modules = {p.name for p in PAGE_PYTHON.glob("*.py")} - {"main.py"}
    mapped = {
        Path(source).name: destination
        for source, destination in CONFIG["files"].items()
        if source.startswith("./static/py/")
    }
    assert set(mapped) == modules
    assert all(mapped[name] == f"./{name}" for name in modules)


def test_index_html_loads_nothing_from_another_host() -> None:
    html = (ROOT / "index.html").read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert 'src="static/vendor/pyscript/core.js"' in html


def test_page_python_but_main_has_no_browser_imports() -> None:
    """The page's pure modules run under CPython: only main.py may touch the browser."""
    browser = {"js", "pyodide", "pyscript"}
    for path in PAGE_PYTHON.glob("*.py"):
        if path.name == "main.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module.split(".")[0]]
            assert not browser.intersection(names), f"{path.name} imports {names}"
