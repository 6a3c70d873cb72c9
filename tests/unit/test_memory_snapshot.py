"""The memory snapshot's file: keyed to what it was made from (tests/memory_snapshot.py).

The page's side (static/js/pyodide-snapshot.mjs: the snapshot used, or the usual start-up)
is tested in the browser, tests/e2e/test_startup.py.
"""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile

import pytest

from tests import memory_snapshot, python_archive


def test_the_snapshot_is_plain_gzip_with_what_it_was_made_from_in_its_header() -> None:
    data = bytes(range(256)) * 1000
    packed = memory_snapshot.gzip_with_comment(data, '{"pyodide":"314.0.7","key":"ab"}')
    assert gzip.decompress(packed) == data  # any gzip reader (and DecompressionStream) reads it
    assert memory_snapshot.gzip_comment(packed[:100]) == '{"pyodide":"314.0.7","key":"ab"}'
    assert memory_snapshot.gzip_with_comment(data, "x") == memory_snapshot.gzip_with_comment(
        data, "x"
    )  # no date in it: the same memory gives the same file


def test_a_gzip_file_without_a_comment_has_none() -> None:
    assert memory_snapshot.gzip_comment(gzip.compress(b"memory")) is None
    assert memory_snapshot.gzip_comment(b"not gzip at all") is None


def test_the_archive_names_the_snapshot_and_a_rebuilt_archive_names_none(tmp_path) -> None:
    archive = tmp_path / "python.zip"
    files = {"core/settings.py": python_archive.ROOT / "static" / "py" / "core" / "settings.py"}
    python_archive.write_archive(archive, files, {})
    assert memory_snapshot.archive_key(archive) is None
    memory_snapshot.mark_archive(archive, "0123abcd")
    assert memory_snapshot.archive_key(archive) == "0123abcd"
    page_copy = gzip.decompress(python_archive.gzipped(archive).read_bytes())
    assert page_copy == archive.read_bytes()  # the page's copy names it too
    with zipfile.ZipFile(archive) as zipped:  # its files are as they were
        assert zipped.read("core/settings.py") == files["core/settings.py"].read_bytes()
    python_archive.write_archive(archive, files, {})  # what make and tests/serve.py do
    assert memory_snapshot.archive_key(archive) is None


def test_the_key_changes_with_any_module_but_not_with_the_archive_s_comment(tmp_path) -> None:
    if not (memory_snapshot.PYODIDE_DIR / "pyodide.asm.wasm").is_file():
        pytest.skip("needs static/vendor/ (make setup)")
    archive = tmp_path / "python.zip"
    source = tmp_path / "values.py"
    source.write_text("x = 1\n")
    python_archive.write_archive(archive, {"values.py": source}, {})
    key = memory_snapshot.snapshot_key(archive)
    memory_snapshot.mark_archive(archive, key)
    assert memory_snapshot.snapshot_key(archive) == key
    source.write_text("x = 2\n")
    python_archive.write_archive(archive, {"values.py": source}, {})
    assert memory_snapshot.snapshot_key(archive) != key


def test_a_built_snapshot_holds_the_lab_s_pure_modules_and_names_itself(tmp_path) -> None:
    """Made by the vendored Pyodide (Node): the archive it was made from names its key."""
    if shutil.which("node") is None or not (memory_snapshot.PYODIDE_DIR / "pyodide.mjs").exists():
        pytest.skip("needs Node and static/vendor/ (make setup)")
    archive, snapshot = tmp_path / "python.zip", tmp_path / "snapshot.bin.gz"
    shutil.copy(python_archive.ARCHIVE, archive)
    modules = memory_snapshot.build(archive, snapshot)
    assert {
        "nn",
        "core.settings",
        "core.controller",
        "core.run",
        "core.history",
        "core.diagram",
    } <= set(modules)
    assert not {"main", "page.app", "page.dom", "page.storage"} & set(
        modules
    )  # they import pyscript
    made = json.loads(memory_snapshot.gzip_comment(snapshot.read_bytes()[:1024]) or "")
    assert made["key"] == memory_snapshot.archive_key(archive)
    assert made["key"] == memory_snapshot.snapshot_key(archive)
    assert (
        made["pyodide"]
        == json.loads(
            (python_archive.ROOT / "node_modules" / "pyodide" / "package.json").read_text()
        )["version"]
    )
