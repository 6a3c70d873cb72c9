"""The page's Python as one archive: `python -m tests.python_archive`.

`pyscript.toml` maps one file, `static/build/python.zip`, into the page: every module of `nn/`
(as `nn/…`) and of the packages `static/py/core/` and `static/py/page/` (as `core/…`, `page/…`),
each with its bytecode. One fetch instead of fifty, and no compiling in the page: Pyodide
compiles Python about as fast as it runs it, and this saves a third of a second at start-up.

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
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "static" / "build" / "python.zip"
PYODIDE = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"
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


def compile_in_pyodide(files: dict[str, Path]) -> dict[str, bytes]:
    """The page's bytecode of ``files``: {archive name of the .pyc: its bytes}."""
    texts = {name: path.read_text(encoding="utf-8") for name, path in files.items()}
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
    """Write the archive, with the catalogues of ``root`` (via a temporary file, so a reader
    never sees half of one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for name, path in {**files, **data_files(root)}.items():
            new.writestr(name, path.read_bytes())
        for name, data in sorted(bytecode.items()):
            new.writestr(name, data)
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".zip.partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(archive)


def build(archive: Path = ARCHIVE, root: Path = ROOT) -> None:
    """Sources and freshly compiled bytecode (needs Node and the npm packages)."""
    files = sources(root)
    write_archive(archive, files, compile_in_pyodide(files), root)


def is_stale(archive: Path = ARCHIVE, root: Path = ROOT) -> bool:
    """Whether a module changed, appeared or went since the archive was written."""
    if not archive.is_file():
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
