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


# The page's modules that run under CPython too: the lab's state and behaviour, the settings,
# and what is drawn. The others (app, dom, chart, storage, training, render_*, *_events, main)
# are the browser's side, each small and with one job.
PURE = {
    "inputs",
    "values",
    "fields",
    "fits",
    "codetext",
    "usercode",
    "gradcheck",
    "neuron_sources",
    "settings",
    "presets",
    "edits",
    "controller",
    "run",
    "savestate",
    "scripts",
    "formats",
    "diagram",
    "mathpanel",
    "views",
    "checks",
    "lessons",
    "course",
}
BROWSER = {"js", "pyodide", "pyscript"}


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_pure_page_modules_import_no_browser_module_even_indirectly() -> None:
    page_modules = {p.stem for p in PAGE_PYTHON.glob("*.py")}
    assert page_modules >= PURE
    for name in PURE:
        imported = imports_of(PAGE_PYTHON / f"{name}.py")
        assert not BROWSER & imported, f"{name}.py imports {BROWSER & imported}"
        assert imported & page_modules <= PURE, f"{name}.py imports a browser module"


def test_no_page_module_is_over_400_lines_and_the_entry_module_is_small() -> None:
    for path in [*PAGE_PYTHON.glob("*.py"), *(ROOT / "nn").glob("*.py")]:
        assert len(path.read_text().splitlines()) <= 400, path.name
    assert len((PAGE_PYTHON / "main.py").read_text().splitlines()) < 120


def test_index_html_types_no_option_lists_they_come_from_nn() -> None:
    html = (ROOT / "index.html").read_text()
    for select in ("task", "activation", "init"):
        match = re.search(rf'<select id="{select}"[^>]*>(.*?)</select>', html, re.S)
        assert match is not None and "<option" not in match.group(1), select
