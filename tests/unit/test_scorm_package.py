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


def test_a_teachers_lesson_is_packaged_and_launched(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    pyodide = dist / scorm_package.PYODIDE
    pyodide.mkdir(parents=True)
    (dist / "pyscript.toml").write_text('interpreter = "./static/vendor/pyodide/pyodide.mjs"\n')
    (pyodide / "pyodide.mjs").write_text('import("./pyodide.asm.mjs")')
    (pyodide / "pyodide.asm.mjs").write_text("")
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
    assert "pyodide.js" in toml and "static/vendor/pyodide/pyodide.asm.js" in names


def test_an_upgraded_pyodide_that_names_its_files_otherwise_fails_the_build(
    tmp_path: Path,
) -> None:
    dist = tmp_path / "dist"
    pyodide = dist / scorm_package.PYODIDE
    pyodide.mkdir(parents=True)
    (dist / "pyscript.toml").write_text('interpreter = "./static/vendor/pyodide/pyodide.mjs"\n')
    (pyodide / "pyodide.mjs").write_text("no reference to the runtime here")
    (pyodide / "pyodide.asm.mjs").write_text("")
    (dist / "index.html").write_text("")
    with pytest.raises(SystemExit, match="exactly once"):
        scorm_package.build(dist)
