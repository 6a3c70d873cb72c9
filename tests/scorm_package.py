"""`make scorm`: the lab as a SCORM 1.2 package, dist/nn-lab-scorm.zip, for any LMS (Moodle,
Canvas, Blackboard, Brightspace, Open edX).

    python -m tests.scorm_package DIST [LESSON.json]

The zip holds ``imsmanifest.xml`` at its root, one SCO (``launch.html``, which opens
``index.html?scorm=1&embed=1&lesson=...`` in the same frame, so the LMS's API stays up the
parent chain) and the offline bundle that ``make dist`` wrote, every path relative. By default
it plays the built-in lesson ``notebook``; with LESSON.json, that lesson, checked first with
the page's own messages (a bad file fails the build), as ``lessons/NAME.json``.

LMSs serve a package's files through their own handler, which gives an extension it does not
know ``application/octet-stream``, often with ``X-Content-Type-Options: nosniff``. So in the
package: the module scripts are named ``.js`` (Pyodide's ``.mjs``, renamed, and the two places
that name them changed, each checked to be found exactly once); the WebAssembly is compiled
whatever its type (static/js/lms-files.js); the data files are fetched, where type is
irrelevant. The service worker of ``make dist`` is left out: an LMS's pages are not ours to cache.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[1]
ZIP_NAME = "nn-lab-scorm.zip"
PYODIDE = "static/vendor/pyodide"
# (file, text found exactly once, its replacement): the .mjs names, as .js
LOADER = "static/js/pyodide-snapshot.mjs"  # pyscript.toml's interpreter (the snapshot's loader)
RENAMES = (
    ("pyscript.toml", '"./static/js/pyodide-snapshot.mjs"', '"./static/js/pyodide-snapshot.js"'),
    # its modulepreload link, and the module script that begins Python's start with it
    ("index.html", 'href="static/js/pyodide-snapshot.mjs"', 'href="static/js/pyodide-snapshot.js"'),
    (
        "index.html",
        'from "./static/js/pyodide-snapshot.mjs"',
        'from "./static/js/pyodide-snapshot.js"',
    ),
    ("index.html", "/pyodide.mjs", "/pyodide.js"),
    ("index.html", "/pyodide.asm.mjs", "/pyodide.asm.js"),
    (LOADER, '"../vendor/pyodide/pyodide.mjs"', '"../vendor/pyodide/pyodide.js"'),
    (f"{PYODIDE}/pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.js"),
)

LAUNCH = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <script src="static/js/scorm-launch.js" data-query={query}></script>
</head>
<body><p><a href="index.html?{query_text}">Open the lab</a></p></body>
</html>
"""

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="nn-lab-{lesson_id}" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd
    http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd
    http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="nn-lab">
    <organization identifier="nn-lab">
      <title>{title}</title>
      <item identifier="lesson" identifierref="lab" isvisible="true">
        <title>{title}</title>
        <adlcp:masteryscore>100</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="lab" type="webcontent" adlcp:scormtype="sco" href="launch.html">
{files}
    </resource>
  </resources>
</manifest>
"""


def lesson_of(path: str | None) -> tuple[str, str, str]:
    """(lesson= value, id, title) of the lesson packaged; SystemExit with the lesson's own
    messages if the file is not a valid lesson."""
    sys.path[:0] = [str(ROOT / "static" / "py"), str(ROOT)]
    if not path:
        from core.course import builtin_lessons

        lesson = builtin_lessons()["notebook"]
        return "notebook", lesson.id, lesson.title
    from core.lesson_files import check_file

    lesson, lines = check_file(path)
    if lesson is None:
        raise SystemExit("make scorm: the lesson is not valid:\n" + "\n".join(lines))
    return f"lessons/{Path(path).name}", lesson.id, lesson.title


def build(dist: Path, lesson_path: str | None = None) -> Path:
    """Write dist/nn-lab-scorm.zip from the bundle in ``dist``; returns its path."""
    if not (dist / "index.html").is_file():
        raise SystemExit(f"make scorm: {dist}/ has no bundle: run `make dist` first")
    lesson, lesson_id, title = lesson_of(lesson_path)
    with tempfile.TemporaryDirectory() as temp:
        package = Path(temp) / "package"
        left = {"sw.js", ZIP_NAME, "lessons"}  # at the top: the worker, a zip built before
        shutil.copytree(
            dist, package, ignore=lambda d, names: left & set(names) if Path(d) == dist else set()
        )
        # index.html as the repository has it: without the dist's service worker
        shutil.copy(ROOT / "index.html", package / "index.html")
        for name in (f"{PYODIDE}/pyodide.mjs", f"{PYODIDE}/pyodide.asm.mjs", LOADER):
            (package / name).rename(package / name.replace(".mjs", ".js"))
        for file, old, new in RENAMES:
            target = package / file.replace(".mjs", ".js")
            text = target.read_text()
            if text.count(old) != 1:
                raise SystemExit(f"make scorm: {file} should name {old!r} exactly once")
            target.write_text(text.replace(old, new))
        if lesson_path:
            (package / "lessons").mkdir()
            shutil.copy(lesson_path, package / lesson)
        query = f"scorm=1&embed=1&lesson={lesson}"
        (package / "launch.html").write_text(
            LAUNCH.format(title=escape(title), query=quoteattr(query), query_text=escape(query))
        )
        files = sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())
        for path in files:
            if not re.fullmatch(r"[A-Za-z0-9._/-]+", path):
                raise SystemExit(f"make scorm: {path!r} would need %-encoding in a URL")
        listing = "\n".join(f'      <file href="{path}"/>' for path in files)
        manifest = MANIFEST.format(lesson_id=lesson_id, title=escape(title), files=listing)
        (package / "imsmanifest.xml").write_text(manifest)
        out = dist / ZIP_NAME
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(package.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(package).as_posix())
    print(f"{out}: SCORM 1.2, {len(files) + 1} files, {out.stat().st_size / 1e6:.1f} MB, "
          f"lesson {lesson_id!r}")  # fmt: skip
    return out


if __name__ == "__main__":
    if not 2 <= len(sys.argv) <= 3:
        raise SystemExit("usage: python -m tests.scorm_package DIST [LESSON.json]")
    build(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) == 3 else None)
