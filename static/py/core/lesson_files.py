"""Lesson files: where ``?lesson=`` points, what to fix when one cannot be fetched, and a
check of a file from the command line, with the page's own messages:

    PYTHONPATH=static/py python -m core.lesson_files my-lesson.json [more.json ...]
    make check-lesson FILE=my-lesson.json

It prints "<file>: a valid lesson, …" or the problems by place (exactly as the page lists them)
and exits with 1 if any file has a problem. No browser imports.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from core.course import builtin_lessons
from core.i18n import t
from core.inputs import lesson_url
from core.lessons import ID, Lesson, read_lesson_text
from nn.validation import shown


def lesson_request(text: str) -> tuple[str, str] | str:
    """What ``?lesson=`` asks for: ("builtin", name), ("file", relative path), ("url",
    address), or a sentence saying why it cannot be loaded. A file is a relative .json path
    beside the lab, like ./my-lesson.json (no scheme, no //, no ..); an address is https://
    on any origin (http:// on localhost), read by ``inputs.lesson_url``."""
    name, lessons = text.strip(), builtin_lessons()
    if name in lessons:
        return "builtin", name
    if ID.fullmatch(name):
        return t("lessonfile.no_builtin", name=shown(name), lessons=", ".join(lessons))
    parts = name.removeprefix("./").split("/")
    if re.fullmatch(r"[\w./-]{1,200}\.json", name, re.ASCII) and all(
        part not in ("", ".", "..") for part in parts
    ):
        return "file", name
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", name):
        try:
            return "url", lesson_url(name)
        except ValueError as error:
            return f"lesson: {error}"
    return t("lessonfile.request", name=shown(name), lessons=", ".join(lessons))


def fetch_problem(address: str, lab_origin: str, status: int | None, error: str = "") -> str:
    """What to fix when the lesson at ``address`` could not be fetched by the lab at
    ``lab_origin``: an HTTP ``status``, or (None) no answer the browser let the page read,
    which is a missing CORS header, a wrong address or no network; the page cannot tell which.
    """
    if status is not None:
        reason = {404: "lessonfile.http.404", 403: "lessonfile.http.403"}.get(status)
        reason = t(reason or "lessonfile.http.other")
        return t("lessonfile.http", address=address, status=status, reason=reason)
    error = error or t("lessonfile.no_answer")
    if not re.match(r"https?://", address, re.IGNORECASE):  # beside the lab
        return t("lessonfile.beside", address=address, error=error)
    return t("lessonfile.cors", address=address, error=error, origin=lab_origin)


def check_file(path: str) -> tuple[Lesson | None, list[str]]:
    """Read the lesson file at ``path`` as the page reads a fetched one: the lesson, or None
    and the lines to print (the page's note, then each problem on its own line)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [t("lessonfile.unreadable", path=path, error=error)]
    what = t("lessonfile.the_file_at", address=path)
    lesson, problems = read_lesson_text(text, what)
    if lesson is None:
        return None, [t("lessonfile.problems", what=what), *(f"  {p}" for p in problems)]
    return lesson, []


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: python -m core.lesson_files FILE.json [FILE.json ...]", file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        lesson, lines = check_file(path)
        if lesson is None:
            failed = True
            print("\n".join(lines))
        else:
            steps, challenges = len(lesson.steps), len(lesson.challenges)
            counts = (
                t("lessonfile.steps", n=steps) + ", " + t("lessonfile.challenges", n=challenges)
            )
            print(t("lessonfile.valid", path=path, id=repr(lesson.id), counts=counts))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
