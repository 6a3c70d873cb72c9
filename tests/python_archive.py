"""The page's Python as one archive: `python -m tests.python_archive`.

`static/build/python.zip` holds every module of `nn/` (as `nn/…`) and of the packages
`static/py/core/` and `static/py/page/` (as `core/…`, `page/…`), each with its bytecode. One
fetch instead of fifty, and no compiling in the page: Pyodide compiles Python about as fast as
it runs it, and this saves a third of a second at start-up.

The page fetches `python.zip.gz`, the archive gzipped whole (written beside it whenever it is
written), and `static/js/pyodide-snapshot.mjs` unpacks it into Python's working directory: one
DecompressionStream for it all (~10 ms), where a stream per file took ~0.2 s. So the archive's
files are stored, not deflated one by one; gzipped whole it is also smaller.

It also holds the bytecode of PyScript's own Python package (`pyscript/…`, no sources). At
every start PyScript writes that package's sources into the working directory, from the
vendored `@pyscript/core` (its `src/stdlib/pyscript.js`), and imports it before the page's
script: compiled there, that took ~65 ms of a warm visit. The archive is unpacked first, so
Python finds the bytecode beside the sources PyScript writes.

The bytecode is made by the vendored Pyodide itself, run by Node (`make` needs Node for npm
anyway), so it always matches the page's Python. It is *checked-hash* bytecode: the page's
Python compares each file's recorded source hash with the source beside it and compiles
afresh if they differ, so an archive whose bytecode is older than its sources is slower,
never wrong. `tests/serve.py` rebuilds the archive's sources when a module changes (and keeps
the bytecode it has), so `make serve` always serves the files as they are on disk.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "static" / "build" / "python.zip"
PYODIDE = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"
# PyScript's Python package, as the vendored @pyscript/core writes it into the page.
PYSCRIPT_PACKAGE = ROOT / "node_modules" / "@pyscript" / "core" / "src" / "stdlib" / "pyscript.js"
HOME = "/home/pyodide/"  # the page's working directory, where the archive is unpacked

# Run by Node: the vendored Pyodide (argv[1]) runs the Python code in argv[2], with standard
# input as the global ``stdin``, and prints the value of its last line.
PYODIDE_JS = """
const { loadPyodide } = await import(process.argv[1]);
let input = "";
for await (const chunk of process.stdin) input += chunk;
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (text) => console.error(text) });
pyodide.globals.set("stdin", input);
console.log(pyodide.runPython(process.argv[2]));
"""

# Run by Pyodide: compiles each file it is given (at its path in the page) to checked-hash
# bytecode and gives {name in the archive: the .pyc file's bytes, base64}.
COMPILE_PY = f"""
import base64, importlib.util, json, os, py_compile
home = {HOME!r}
compiled = {{}}
for name, text in json.loads(stdin).items():
    path = home + name
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    pyc = importlib.util.cache_from_source(path)
    py_compile.compile(path, cfile=pyc, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    with open(pyc, "rb") as file:
        compiled[pyc.removeprefix(home)] = base64.b64encode(file.read()).decode()
json.dumps(compiled)
"""


def run_in_pyodide(code: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Python ``code`` run by the page's own Python (the vendored Pyodide, under Node): its
    last line's value is the result's ``stdout``."""
    return subprocess.run(
        ["node", "--input-type=module", "--eval", PYODIDE_JS, PYODIDE.as_uri(), code],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def sources(root: Path = ROOT) -> dict[str, Path]:
    """Each module the page imports, by its name in the archive (its path in the page)."""
    found = {f"nn/{path.name}": path for path in sorted((root / "nn").glob("*.py"))}
    for package in ("core", "page"):  # main.py is the page's script (index.html), not imported
        for path in sorted((root / "static" / "py" / package).glob("*.py")):
            found[f"{package}/{path.name}"] = path
    return found


def data_files(root: Path = ROOT) -> dict[str, Path]:
    """The catalogues of messages the modules read as package data (``nn.i18n``), by their
    name in the archive: ``nn/locales/de.json``, ``core/locales/de.json``, ..."""
    found = {f"nn/locales/{p.name}": p for p in sorted((root / "nn" / "locales").glob("*.json"))}
    for package in ("core", "page"):
        for path in sorted((root / "static" / "py" / package / "locales").glob("*.json")):
            found[f"{package}/locales/{path.name}"] = path
    return found


def pyscript_sources(package: Path = PYSCRIPT_PACKAGE) -> dict[str, str]:
    """The sources of PyScript's Python package by their path in the page (``pyscript/…``):
    the text PyScript writes there at start-up. ``package`` is the build's artifact that
    PyScript bundles, ``export default {"pyscript": {"__init__.py": "…", …}};``."""
    text = package.read_text(encoding="utf-8")
    tree = json.loads(text.split("export default", 1)[1].strip().removesuffix(";"))

    def files(folder: str, entries: dict) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, entry in entries.items():
            path = f"{folder}{name}"
            found |= {path: entry} if isinstance(entry, str) else files(f"{path}/", entry)
        return found

    return files("", tree)


def compile_in_pyodide(
    files: dict[str, Path], texts: dict[str, str] | None = None
) -> dict[str, bytes]:
    """The page's bytecode of ``files`` and of the sources ``texts`` (by their path in the
    page): {archive name of the .pyc: its bytes}."""
    texts = {**(texts or {}), **{n: p.read_text(encoding="utf-8") for n, p in files.items()}}
    result = run_in_pyodide(COMPILE_PY, json.dumps(texts))
    if result.returncode != 0:
        sys.exit(f"python_archive: Pyodide could not compile the page's Python:\n{result.stderr}")
    return {name: base64.b64decode(data) for name, data in json.loads(result.stdout).items()}


def bytecode_in(archive: Path) -> dict[str, bytes]:
    """The .pyc files an existing archive holds (none if there is no readable archive)."""
    try:
        with zipfile.ZipFile(archive) as old:
            return {n: old.read(n) for n in old.namelist() if n.endswith(".pyc")}
    except (OSError, zipfile.BadZipFile):
        return {}


def write_archive(
    archive: Path, files: dict[str, Path], bytecode: dict[str, bytes], root: Path = ROOT
) -> None:
    """Write the archive, with the catalogues of ``root``, and the page's copy of it (via
    temporary files, so a reader never sees half of one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as new:
        for name, path in {**files, **data_files(root)}.items():
            new.writestr(name, path.read_bytes())
        for name, data in sorted(bytecode.items()):
            new.writestr(name, data)
    archive.parent.mkdir(parents=True, exist_ok=True)
    replace(archive, buffer.getvalue())
    write_gzipped(archive)


def gzipped(archive: Path) -> Path:
    """The page's copy of ``archive``: ``python.zip.gz`` beside ``python.zip``."""
    return archive.with_name(archive.name + ".gz")


def write_gzipped(archive: Path) -> None:
    """Write the page's copy of ``archive``, gzipped whole (no date in it: the same archive
    gives the same file). Whoever changes the archive calls this."""
    replace(gzipped(archive), gzip.compress(archive.read_bytes(), compresslevel=9, mtime=0))


def replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file, so a reader never sees half of it."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


def compile_page(files: dict[str, Path]) -> dict[str, bytes]:
    """The archive's bytecode: of ``files`` and of PyScript's own package."""
    return compile_in_pyodide(files, pyscript_sources())


def build(archive: Path = ARCHIVE, root: Path = ROOT) -> None:
    """Sources and freshly compiled bytecode (needs Node and the npm packages)."""
    files = sources(root)
    write_archive(archive, files, compile_page(files), root)


def is_stale(archive: Path = ARCHIVE, root: Path = ROOT) -> bool:
    """Whether a module changed, appeared or went since the archive was written (or its
    page's copy is missing)."""
    if not archive.is_file() or not gzipped(archive).is_file():
        return True
    files, made = sources(root), archive.stat().st_mtime
    changed = {**files, **data_files(root)}.values()
    return any(path.stat().st_mtime > made for path in changed) or set(files) != set(
        sources_in(archive)
    )


def sources_in(archive: Path) -> list[str]:
    """The names of the modules an archive holds (none if it cannot be read)."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            return [name for name in zipped.namelist() if name.endswith(".py")]
    except (OSError, zipfile.BadZipFile):
        return []


def refresh_if_stale(archive: Path = ARCHIVE, root: Path = ROOT) -> bool:
    """Where the modules are beside it (not in dist/) and one changed: the archive with the
    sources as they are now and the bytecode it had (and whether it was rewritten). Quick, and
    no Node: bytecode of a changed module no longer matches its source's hash, so the page
    compiles that module itself until the next full build (`make`). The rewritten archive
    names no memory snapshot (tests/memory_snapshot.py): the page starts Python as usual."""
    if sources(root) and is_stale(archive, root):
        write_archive(archive, sources(root), bytecode_in(archive), root)
        return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    args = parser.parse_args()
    build(args.archive)
    print(f"{args.archive.relative_to(ROOT)}: {len(sources())} modules with their bytecode")


if __name__ == "__main__":
    main()
