"""The page's Python, started ahead of time: `python -m tests.memory_snapshot`.

Starting Python is most of a PyScript page's start-up. Pyodide can save the memory of a
started interpreter (``makeMemorySnapshot``) and start from it (``_loadSnapshot``): this
builds that snapshot for the page, `static/build/snapshot.bin.gz`, with the vendored Pyodide
under Node (as `tests/python_archive.py` compiles the archive's bytecode). The interpreter in
it has unpacked `static/build/python.zip` and imported every module of the lab that imports
outside a browser (`nn`, `settings`, `controller`, ...: those that import no `pyscript`), and
the standard library's modules that PyScript and the page import at start-up.

The page loads it through `static/js/pyodide-snapshot.mjs`, the module `pyscript.toml` names
as its interpreter; a snapshot is only ever a speed-up (see that module for when it is used):

* it is gzipped (6 to 7 MB; 31 MB of memory), to be decompressed by the browser's
  ``DecompressionStream``: static hosts don't all compress binary files;
* it is keyed to what it was made from: its gzip header's comment (FCOMMENT, RFC 1952) is
  ``{"pyodide": version, "key": key}``, where ``key`` hashes the Pyodide build and the
  archive's files, and the archive's zip comment is the same ``key``, written last. An
  archive rebuilt since (by `make`, or by `tests/serve.py` when a module changed) has no
  comment or another: the page then never asks for the snapshot and starts as usual.

`make` rebuilds it after the archive, and `make serve` rebuilds both when a module changes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from tests.python_archive import ARCHIVE, HOME, ROOT, write_gzipped

SNAPSHOT = ROOT / "static" / "build" / "snapshot.bin.gz"
PYODIDE_DIR = ROOT / "static" / "vendor" / "pyodide"  # the files the page loads
KEY_PREFIX = "nn-snapshot "  # the archive's zip comment: KEY_PREFIX + key

# Standard-library modules that PyScript and the page import by the time the lab is ready
# (read from sys.modules in the page): imported in the snapshot, they cost nothing at start-up.
STDLIB = (
    "asyncio", "base64", "bisect", "codeop", "contextlib", "copy", "dataclasses", "datetime",
    "dis", "enum", "functools", "glob", "heapq", "html", "html.entities", "importlib.util",
    "inspect", "io", "itertools", "json", "linecache", "logging", "math", "pathlib", "random",
    "re", "shutil", "string", "struct", "tempfile", "textwrap", "threading", "time", "token",
    "tokenize", "traceback", "typing", "urllib.parse", "warnings", "weakref", "zipfile", "zlib",
    "pyodide.code", "pyodide.ffi", "pyodide.webloop",
)  # fmt: skip

# Run by Node: argv[1] the vendored pyodide.mjs, argv[2] the archive, argv[3] where to write the
# snapshot, argv[4] the Python to run first; prints Pyodide's version and the lab's modules
# imported (that Python's last line), as JSON.
SNAPSHOT_JS = """
import fs from "node:fs";
const [pyodideUrl, archive, out, code] = process.argv.slice(1);
const { loadPyodide, version } = await import(pyodideUrl);
const pyodide = await loadPyodide({
  _makeSnapshot: true, stdout: () => {}, stderr: (text) => console.error(text),
});
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(archive)), "zip", { extractDir: HOME });
const result = pyodide.runPython(code);
fs.writeFileSync(out, pyodide.makeMemorySnapshot());
console.log(JSON.stringify({ version, lab: JSON.parse(result) }));
"""

# Run by Pyodide before the snapshot is taken: the lab's modules that import without a
# browser, then the standard library's; gives the names of the lab's modules imported.
IMPORT_PY = """
import gc, importlib, json, os, sys
os.environ.pop("_", None)  # Node's script path: not the page's
lab = []
for name in json.loads(NAMES):
    try:
        importlib.import_module(name)
        lab.append(name)
    except ImportError:  # imports pyscript, js, ...: a browser module
        pass
# The archive's pyscript/ holds only the bytecode of PyScript's package (PyScript writes its
# sources in the page): a failed import above left it imported as an empty namespace package.
for name in [n for n in sys.modules if n == "pyscript" or n.startswith("pyscript.")]:
    del sys.modules[name]
importlib.invalidate_caches()
for name in json.loads(STDLIB):
    importlib.import_module(name)
if "core.neuron_sources" in lab:  # the Code panel's text, read from nn's sources (cached)
    sys.modules["core.neuron_sources"].library_source()
gc.collect()
json.dumps(lab)
"""


def archive_files(archive: Path) -> dict[str, bytes]:
    """The archive's files, by name (what the page unpacks)."""
    with zipfile.ZipFile(archive) as zipped:
        return {name: zipped.read(name) for name in sorted(zipped.namelist())}


def snapshot_key(archive: Path, pyodide_dir: Path = PYODIDE_DIR) -> str:
    """What a snapshot is made from, hashed: the Pyodide build (its files) and the archive's
    files (not the archive's bytes: its comment, dates and compression do not count)."""
    digest = hashlib.sha256()
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        digest.update(name.encode() + b"\0" + (pyodide_dir / name).read_bytes() + b"\0")
    for name, data in archive_files(archive).items():
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:32]


def gzip_with_comment(data: bytes, comment: str) -> bytes:
    """``data`` gzipped (RFC 1952) with ``comment`` in the header's FCOMMENT field and no
    date, so that the same data gives the same file."""
    header = b"\x1f\x8b\x08\x10" + struct.pack("<I", 0) + b"\x00\xff"
    header += comment.encode("latin-1") + b"\0"
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS, 9)
    body = compressor.compress(data) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return header + body + trailer


def gzip_comment(head: bytes) -> str | None:
    """The FCOMMENT of a gzip file that starts with ``head`` (None if it has none)."""
    if head[:3] != b"\x1f\x8b\x08" or len(head) < 10:
        return None
    flags, at = head[3], 10
    if flags & 4:  # FEXTRA
        at += 2 + int.from_bytes(head[at : at + 2], "little")
    if flags & 8:  # FNAME
        at = head.index(b"\0", at) + 1
    if not flags & 16:
        return None
    return head[at : head.index(b"\0", at)].decode("latin-1")


def mark_archive(archive: Path, key: str) -> None:
    """Name the snapshot's key in the archive's comment, and in its page's copy (the files
    unchanged; via a temporary file, so a reader never sees half of one)."""
    partial = archive.with_suffix(".zip.partial")
    partial.write_bytes(archive.read_bytes())
    with zipfile.ZipFile(partial, "a") as zipped:
        zipped.comment = (KEY_PREFIX + key).encode()
    partial.replace(archive)
    write_gzipped(archive)


def archive_key(archive: Path) -> str | None:
    """The snapshot key an archive names in its comment (None: no snapshot goes with it)."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            comment = zipped.comment.decode("ascii", "replace")
    except (OSError, zipfile.BadZipFile):
        return None
    return comment.removeprefix(KEY_PREFIX) if comment.startswith(KEY_PREFIX) else None


def build(archive: Path = ARCHIVE, snapshot: Path = SNAPSHOT) -> list[str]:
    """Make the snapshot of ``archive`` and name it in the archive; gives the lab's modules
    it holds imported."""
    key = snapshot_key(archive)
    names = sorted(
        {n.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for n in
         archive_files(archive) if n.endswith(".py")},
        key=lambda name: (not name.startswith("nn"), name),
    )  # fmt: skip
    code = f"NAMES = {json.dumps(json.dumps(names))}\nSTDLIB = {json.dumps(json.dumps(STDLIB))}\n"
    with tempfile.TemporaryDirectory() as scratch:
        memory = Path(scratch) / "snapshot.bin"
        js = SNAPSHOT_JS.replace("HOME", json.dumps(HOME))
        result = subprocess.run(
            ["node", "--input-type=module", "--eval", js, (PYODIDE_DIR / "pyodide.mjs").as_uri(),
             str(archive), str(memory), code + IMPORT_PY],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            sys.exit(f"memory_snapshot: Pyodide could not make the snapshot:\n{result.stderr}")
        made = json.loads(result.stdout.strip().splitlines()[-1])
        comment = json.dumps({"pyodide": made["version"], "key": key}, separators=(",", ":"))
        packed = gzip_with_comment(memory.read_bytes(), comment)
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    partial = snapshot.with_suffix(".partial")
    partial.write_bytes(packed)
    if snapshot_key(archive) != key:  # rewritten meanwhile (tests/serve.py): not this one's
        partial.unlink()
        sys.exit("memory_snapshot: the archive changed while its snapshot was made")
    mark_archive(archive, key)
    partial.replace(snapshot)
    os.utime(snapshot)  # newer than the archive, for make
    return made["lab"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    args = parser.parse_args()
    start = time.perf_counter()
    modules = build(args.archive, args.snapshot)
    size = args.snapshot.stat().st_size
    print(
        f"{args.snapshot.relative_to(ROOT)}: {size / 1e6:.1f} MB, {len(modules)} of the lab's "
        f"modules imported ({time.perf_counter() - start:.1f} s)"
    )


if __name__ == "__main__":
    main()
