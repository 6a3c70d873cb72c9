"""The page's configuration: Pyodide from our own origin, every Python module in one archive."""

from __future__ import annotations

import ast
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests import python_archive

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyscript.toml").read_text())
PAGE_PYTHON = ROOT / "static" / "py"


def test_interpreter_is_the_vendored_pyodide_not_a_cdn() -> None:
    """The interpreter is our small module around the vendored Pyodide (it adds the memory
    snapshot): it imports Pyodide from static/vendor/, and its indexURL is that folder."""
    assert CONFIG["interpreter"] == "./static/js/pyodide-snapshot.mjs"
    wrapper = (ROOT / "static" / "js" / "pyodide-snapshot.mjs").read_text()
    assert 'from "../vendor/pyodide/pyodide.mjs"' in wrapper
    assert 'new URL("../vendor/pyodide/", import.meta.url)' in wrapper
    assert not re.search(r"https?://", wrapper)


def test_the_page_s_python_is_one_archive_the_interpreter_module_unpacks() -> None:
    """Not PyScript's [files]: static/js/pyodide-snapshot.mjs fetches and unpacks the archive
    while the interpreter loads (PyScript would fetch it again after, and unpack it in Python)."""
    assert "files" not in CONFIG and "fetch" not in CONFIG
    wrapper = (ROOT / "static" / "js" / "pyodide-snapshot.mjs").read_text()
    assert 'new URL("../build/python.zip.gz", import.meta.url)' in wrapper
    html = (ROOT / "index.html").read_text()
    assert '<link rel="preload" href="static/build/python.zip.gz" as="fetch" crossorigin>' in html
    assert 'import { begin } from "./static/js/pyodide-snapshot.mjs";' in html


def test_the_archive_holds_every_module_of_nn_and_of_the_page_but_main() -> None:
    names = set(python_archive.sources())
    assert {f"nn/{p.name}" for p in (ROOT / "nn").glob("*.py")} <= names
    page = {f"{p.parent.name}/{p.name}" for p in PAGE_PYTHON.glob("*/*.py")}
    assert {n for n in names if not n.startswith("nn/")} == page


def test_a_built_archive_holds_the_sources_and_the_bytecode_pyodide_made(tmp_path) -> None:
    """Built by the vendored Pyodide (Node): one checked-hash .pyc per module, whose magic
    number is that of the page's Python, and the sources as they are."""
    if shutil.which("node") is None or not python_archive.PYODIDE.is_file():
        pytest.skip("needs Node and node_modules (make setup)")
    archive = tmp_path / "python.zip"
    python_archive.build(archive)
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        neuron = zipped.read("nn/__pycache__/neuron.cpython-314.pyc")
        assert zipped.read("nn/neuron.py") == (ROOT / "nn" / "neuron.py").read_bytes()
        assert {info.compress_type for info in zipped.infolist()} == {zipfile.ZIP_STORED}
    assert gzip.decompress(python_archive.gzipped(archive).read_bytes()) == archive.read_bytes()
    for name in python_archive.sources():
        folder, _, module = name.rpartition("/")
        assert f"{folder + '/' if folder else ''}__pycache__/{module[:-3]}.cpython-314.pyc" in names
    # PyScript's own package: bytecode only, of the very sources the vendored PyScript writes
    package = python_archive.pyscript_sources()
    assert "pyscript/__init__.py" in package and "pyscript/context.py" in package
    core = next((ROOT / "static" / "vendor" / "pyscript").glob("core-*.js"), None)
    assert core is not None, "make setup vendors PyScript into static/vendor/"
    bundle = core.read_text()
    for name, text in package.items():
        assert f"pyscript/__pycache__/{name[9:-3]}.cpython-314.pyc" in names
        assert name not in names  # PyScript writes it
        assert json.dumps(text, ensure_ascii=False)[1:-1] in bundle, name
    lock = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"]["python"].startswith("3.14")
    flags = int.from_bytes(neuron[4:8], "little")
    assert flags == 0b11  # hash-based (bit 0) and checked against the source (bit 1)


def test_an_edited_module_is_served_as_edited_and_its_old_bytecode_is_then_ignored(
    tmp_path,
) -> None:
    """``tests/serve.py`` refreshes the archive's sources (not its bytecode) when one changed:
    the page then compiles that module, because its bytecode's source hash no longer matches."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "nn", root / "nn")
    shutil.copytree(PAGE_PYTHON, root / "static" / "py")
    archive = root / "static" / "build" / "python.zip"
    files = python_archive.sources(root)
    python_archive.write_archive(archive, files, {"nn/__pycache__/neuron.cpython-314.pyc": b"x"})
    assert not python_archive.is_stale(archive, root)
    os.utime(archive, (1, 1))  # made long ago: every module is newer
    (root / "nn" / "neuron.py").write_text("# edited\n")
    assert python_archive.is_stale(archive, root)
    python_archive.refresh_if_stale(archive, root)
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.read("nn/neuron.py") == b"# edited\n"
        assert zipped.read("nn/__pycache__/neuron.cpython-314.pyc") == b"x"  # kept
    assert gzip.decompress(python_archive.gzipped(archive).read_bytes()) == archive.read_bytes()
    assert not python_archive.is_stale(archive, root)
    python_archive.refresh_if_stale(tmp_path / "dist.zip", tmp_path)  # no modules: no archive
    assert not (tmp_path / "dist.zip").exists()


def test_every_chunk_index_html_preloads_is_one_pyscript_ships() -> None:
    """The hashed names of PyScript's toml and zip chunks change with its version."""
    dist = ROOT / "node_modules" / "@pyscript" / "core" / "dist"
    if not dist.is_dir():
        pytest.skip("needs node_modules (make setup)")
    html = (ROOT / "index.html").read_text()
    chunks = re.findall(r'href="static/vendor/pyscript/([^"]+)"', html)
    assert {c.split("-")[0] for c in chunks} >= {"toml"}
    for chunk in chunks:
        assert (dist / chunk).is_file(), f"index.html preloads {chunk}, not in @pyscript/core"


def test_the_loading_note_listens_for_progress_pyscript_reports() -> None:
    """static/js/loading.js moves its bar on PyScript's py:progress events, named by text."""
    dist = ROOT / "node_modules" / "@pyscript" / "core" / "dist"
    if not dist.is_dir():
        pytest.skip("needs node_modules (make setup)")
    script = (ROOT / "static" / "js" / "loading.js").read_text()
    steps = re.findall(r'^\s+"([^"]+)": \[\d', script, re.M)
    assert steps == ["Loading interpreter", "Loaded Pyodide"]
    core = "".join(path.read_text() for path in dist.glob("core-*.js"))
    assert "py:progress" in core
    for step in steps:
        assert f'("{step}")' in core, f"PyScript reports no progress named {step!r}"


def test_chart_js_and_codemirror_are_compiled_as_they_load() -> None:
    """V8's compile hint heads the vendored copies (tests/compile_hint.py, run by `make
    vendor`), once, their text otherwise as npm ships it."""
    from tests.compile_hint import HINT, hinted

    assert hinted("f()") == HINT + "f()" and hinted(hinted("f()")) == HINT + "f()"
    vendor = ROOT / "static" / "vendor"
    shipped = ROOT / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"
    if not shipped.is_file() or not (vendor / "pyscript").is_dir():
        pytest.skip("needs node_modules and static/vendor (make setup)")
    chart_js = vendor / "chart.js" / "chart.umd.min.js"
    listed = re.findall(r'"\./(pyscript/[^"]+)"', (vendor / "codemirror-chunks.js").read_text())
    hinted_files = [chart_js, *(vendor / name for name in listed)]
    assert len(hinted_files) >= 7  # Chart.js, and CodeMirror's chunks: view, state, language...
    for path in hinted_files:
        assert path.read_text().startswith(HINT), path
    assert chart_js.read_text() == HINT + shipped.read_text()


def test_codemirror_s_chunks_are_listed_each_after_what_it_imports(tmp_path) -> None:
    """tests/codemirror_entry.py's load order (the Code panel imports them one a turn): a
    chunk's static imports come before it, each chunk once, a cycle does not loop."""
    from tests.codemirror_entry import load_order

    files = {
        "a.js": 'import{x}from"./b.js";import"./c.js";',
        "b.js": 'import{y}from"./c.js";export const x=1;',
        "c.js": "export const y=2;",
        "d.js": 'import{x}from "./a.js";import{e}from"./e.js";',
        "e.js": 'import{d}from"./d.js";export const e=3;',  # d and e import each other
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert load_order(tmp_path, ["a.js"]) == ["c.js", "b.js", "a.js"]
    assert load_order(tmp_path, ["d.js", "a.js"]) == ["c.js", "b.js", "a.js", "e.js", "d.js"]
    chunks = ROOT / "static" / "vendor" / "codemirror-chunks.js"
    if not chunks.is_file():
        pytest.skip("needs static/vendor (make setup)")
    listed = re.findall(r'"\./pyscript/([^"]+)"', chunks.read_text())
    assert listed[0].startswith("codemirror_state-") and listed[-1] != listed[0]
    for prefix in ("codemirror-", "codemirror_view-", "codemirror_lang-python-"):
        assert any(name.startswith(prefix) for name in listed), prefix


def test_index_html_loads_nothing_from_another_host() -> None:
    html = (ROOT / "index.html").read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert 'src="static/vendor/pyscript/core.js"' in html


# The page's Python is two packages: core, the lab without a browser (its state and behaviour,
# the settings, what is drawn, as data), run under CPython by the unit tests; and page, the
# browser's side (events, rendering, storage, the host), each module small with one job.
CORE = PAGE_PYTHON / "core"
BROWSER = {"js", "pyodide", "pyscript"}


def imports_of(path: Path) -> set[str]:
    """The top-level names ``path`` imports, with a package's module as "core.x"."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module in ("core", "page"):
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_core_imports_nothing_of_the_page_nor_the_browser() -> None:
    modules = sorted(CORE.glob("*.py"))
    assert len(modules) >= 25
    for path in modules:
        imported = {name.split(".")[0] for name in imports_of(path)}
        assert not imported & (BROWSER | {"page"}), f"core/{path.name} imports {imported}"


def test_the_import_check_sees_an_import_of_the_page_made_inside_a_function(tmp_path) -> None:
    """The check above reads every import, not only the module's top ones: a lazy import of
    the page (which would make a cycle between the packages) is found too."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from page import dom\n    import page.chart\n")
    assert {"page", "page.dom", "page.chart"} <= imports_of(module)


# The registries' names: the page asks an entry what it does (Cost.softmax, Cost.fit_problem,
# Task.typed_targets…), it never compares a name with one of these.
def name_comparisons(source: str, names: set[str]) -> list[tuple[int, str]]:
    """(line, name) of each comparison (==, !=, in, a match case) with one of ``names``."""

    def strings(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return [text for item in node.elts for text in strings(item)]
        return []

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.MatchValue):
            operands = [node.value]
        else:
            continue
        found += [(node.lineno, text) for o in operands for text in strings(o) if text in names]
    return found


def test_no_page_module_compares_a_costs_or_a_tasks_name() -> None:
    from nn import COSTS, LAB_TASKS

    names = set(COSTS) | set(LAB_TASKS)
    caught = name_comparisons(
        'if s.cost == "squared" or task in ("parity", "odd"):\n'
        '    match s.cost:\n        case "cross-entropy": pass\n',
        names,
    )
    assert caught == [(1, "squared"), (1, "parity"), (1, "odd"), (3, "cross-entropy")]
    found = {
        (path.relative_to(PAGE_PYTHON).as_posix(), name)
        for path in sorted(PAGE_PYTHON.rglob("*.py"))
        for _line, name in name_comparisons(path.read_text(), names)
    }
    assert found == set()


def test_the_package_init_files_are_empty_so_that_lazy_imports_stay_lazy() -> None:
    for package in ("core", "page"):
        assert (PAGE_PYTHON / package / "__init__.py").read_text() == ""


def test_nothing_but_the_packages_and_main_sits_at_the_top_of_the_pages_python() -> None:
    top = {p.name for p in PAGE_PYTHON.iterdir() if p.name != "__pycache__"}
    assert top == {"core", "page", "main.py"}


# What the page imports only when first used: each costs start-up time in the page (the standard
# library is compiled from source there), and the first view needs none of them. (urllib.parse,
# with ipaddress, is read in start() for the link's `lang`, from the memory snapshot:
# tests/memory_snapshot.py. main.py's top level still imports neither.)
IMPORTED_ON_FIRST_USE = {
    "difflib",
    "pprint",
    "urllib.parse",
    "ipaddress",
    "core.gradcheck",
    "core.course",
    "core.lessons",
    "core.checks",
    "core.lesson_files",
}
STARTUP_IMPORTS = """
import ast, json, sys, types
class Anything:  # stands for the browser's objects: the modules' top levels only name them
    def __getattr__(self, name): return Anything()
    def __call__(self, *args, **kwargs): return Anything()
for name in ("pyscript", "pyodide", "pyodide.ffi", "pyodide.code", "js"):
    sys.modules[name] = module = types.ModuleType(name)
    module.__getattr__ = lambda name: Anything()
before = set(sys.modules)
for node in ast.parse(open(sys.argv[1]).read()).body:
    if isinstance(node, ast.Import):
        for alias in node.names: __import__(alias.name)
    elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
        __import__(node.module)
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_start_up_imports_none_of_what_is_imported_on_first_use() -> None:
    done = subprocess.run(
        [sys.executable, "-c", STARTUP_IMPORTS, str(PAGE_PYTHON / "main.py")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(PAGE_PYTHON), str(ROOT)])},
    )
    imported = set(json.loads(done.stdout))
    assert {
        "core.controller",
        "page.render_model",
        "nn.network",
    } <= imported  # it did import the page
    assert not imported & IMPORTED_ON_FIRST_USE


def test_the_entry_module_is_small() -> None:
    """main.py only starts the lab; modules elsewhere are as long as their one idea needs."""
    assert len((PAGE_PYTHON / "main.py").read_text().splitlines()) < 120


def test_index_html_types_no_option_lists_they_come_from_nn() -> None:
    html = (ROOT / "index.html").read_text()
    for select in ("task", "activation", "init"):
        match = re.search(rf'<select id="{select}"[^>]*>(.*?)</select>', html, re.S)
        assert match is not None and "<option" not in match.group(1), select


def test_every_fields_control_is_a_field_or_select_of_the_page() -> None:
    """FIELDS binds each setting to the control that shows it: the id exists in index.html,
    as a text field or a select, and no other handler listens to a simple field's control."""
    from core.fields import FIELDS

    html = (ROOT / "index.html").read_text()
    controls = [field for field in FIELDS if field.control]
    assert len(controls) >= 18
    for field in controls:
        tag = re.search(rf'<(input|select)\b[^>]*\bid="{re.escape(field.control)}"', html)
        assert tag is not None, field.control
    selectors = set()  # every id a handler listens on, from @on("#a, #b", ...)
    for path in PAGE_PYTHON.glob("page/*_events.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "on" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant):
                    selectors.update(part.strip() for part in first.value.split(","))
    assert "#width" in selectors  # the parse found the handlers
    for field in controls:
        if field.simple:
            assert f"#{field.control}" not in selectors, field.control


def test_make_serve_s_rebuild_keeps_the_bytecode_of_pyscript_s_package(
    tmp_path, monkeypatch
) -> None:
    """``tests/serve.py`` rebuilds the archive in the background after an edit: with the
    bytecode of PyScript's own package too (``make`` then counts the archive up to date)."""
    from tests import memory_snapshot, serve

    given: list[dict[str, str] | None] = []

    def compile_in_pyodide(files, texts=None):
        given.append(texts)
        return {"pyscript/__pycache__/__init__.cpython-314.pyc": b"x"}

    monkeypatch.setattr(python_archive, "compile_in_pyodide", compile_in_pyodide)
    monkeypatch.setattr(memory_snapshot, "build", lambda *args: [])
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "nn", root / "nn")
    shutil.copytree(PAGE_PYTHON, root / "static" / "py")
    archive = root / "static" / "build" / "python.zip"
    serve.rebuild_in_background(archive)
    assert serve.REBUILDING.acquire(timeout=60)  # the rebuild is done
    serve.REBUILDING.release()
    assert given and "pyscript/__init__.py" in (given[0] or {})
    with zipfile.ZipFile(archive) as zipped:
        assert "pyscript/__pycache__/__init__.cpython-314.pyc" in zipped.namelist()
