"""`make scorm`'s builder without a browser: a teacher's lesson is checked first (a bad file
fails the build with the lesson's own messages), and the package it writes from a bundle."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from core.course import NOTEBOOK

from tests import scorm_package


def test_a_bad_lesson_fails_the_build_with_the_lessons_own_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "Bad Id", "title": "x", "steps": []}))
    with pytest.raises(
        SystemExit, match=r"not valid:\n.*has problems:\n  id: .Bad Id. is not an id"
    ):
        scorm_package.lesson_of(str(bad))


def test_without_a_lesson_it_plays_the_notebook() -> None:
    assert scorm_package.lesson_of(None)[:2] == ("notebook", "notebook")


def fake_dist(tmp_path: Path, pyodide_text: str) -> Path:
    """A dist/ with the files make scorm renames: the interpreter (the snapshot's loader,
    which imports Pyodide's module) and Pyodide's two modules."""
    dist = tmp_path / "dist"
    pyodide = dist / scorm_package.PYODIDE
    pyodide.mkdir(parents=True)
    (dist / "pyscript.toml").write_text('interpreter = "./static/js/pyodide-snapshot.mjs"\n')
    (dist / "static" / "js").mkdir(parents=True)
    (dist / scorm_package.LOADER).write_text('import("../vendor/pyodide/pyodide.mjs")')
    (pyodide / "pyodide.mjs").write_text(pyodide_text)
    (pyodide / "pyodide.asm.mjs").write_text("")
    return dist


def test_a_teachers_lesson_is_packaged_and_launched(tmp_path: Path) -> None:
    dist = fake_dist(tmp_path, 'import("./pyodide.asm.mjs")')
    (dist / "sw.js").write_text("")
    (dist / "index.html").write_text("")  # replaced by the repository's
    lesson = tmp_path / "my-lesson.json"
    lesson.write_text(json.dumps({**NOTEBOOK, "id": "mine", "title": "Mine & yours"}))
    out = scorm_package.build(dist, str(lesson))
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        launch = archive.read("launch.html").decode()
        manifest = archive.read("imsmanifest.xml").decode()
        toml = archive.read("pyscript.toml").decode()
    assert "lessons/my-lesson.json" in names and "sw.js" not in names
    assert 'data-query="scorm=1&amp;embed=1&amp;lesson=lessons/my-lesson.json"' in launch
    assert "<title>Mine &amp; yours</title>" in manifest and 'href="launch.html"' in manifest
    assert "pyodide-snapshot.js" in toml and "static/vendor/pyodide/pyodide.asm.js" in names
    assert "static/js/pyodide-snapshot.js" in names and "static/vendor/pyodide/pyodide.js" in names


def test_an_upgraded_pyodide_that_names_its_files_otherwise_fails_the_build(
    tmp_path: Path,
) -> None:
    dist = fake_dist(tmp_path, "no reference to the runtime here")
    (dist / "index.html").write_text("")
    with pytest.raises(SystemExit, match="exactly once"):
        scorm_package.build(dist)
