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
        return f"lesson: there is no built-in lesson {shown(name)}; they are {', '.join(lessons)}."
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
    return (
        f"lesson: {shown(name)} is neither a built-in lesson ({', '.join(lessons)}), a "
        "relative .json file like ./my-lesson.json, nor an address like "
        "https://course.example.edu/lessons/my-lesson.json."
    )


def fetch_problem(address: str, lab_origin: str, status: int | None, error: str = "") -> str:
    """What to fix when the lesson at ``address`` could not be fetched by the lab at
    ``lab_origin``: an HTTP ``status``, or (None) no answer the browser let the page read,
    which is a missing CORS header, a wrong address or no network; the page cannot tell which.
    """
    what = f"The lesson {address} could not be loaded"
    if status is not None:
        reasons = {404: "no file at this address", 403: "the server refuses to serve it"}
        reason = reasons.get(status, "the server answered with an error")
        return f"{what}: HTTP {status}, {reason}. Check the address opens in a new tab."
    if not re.match(r"https?://", address, re.IGNORECASE):  # beside the lab
        where = "check the file is beside the lab, and that you are online"
        return f"{what} ({error or 'no answer'}): {where}."
    return (
        f"{what} ({error or 'no answer'}). If it opens in a new tab, its server does not let "
        f"other sites read it: it must send the header Access-Control-Allow-Origin: "
        f"{lab_origin} (or *) with the file. Else check the address, and that you are online."
    )


def check_file(path: str) -> tuple[Lesson | None, list[str]]:
    """Read the lesson file at ``path`` as the page reads a fetched one: the lesson, or None
    and the lines to print (the page's note, then each problem on its own line)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [f"The lesson file {path} could not be read ({error})."]
    lesson, problems = read_lesson_text(text, f"The lesson file {path}")
    if lesson is None:
        return None, [f"The lesson file {path} has problems:", *(f"  {p}" for p in problems)]
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
            counts = f"{steps} step{'s' * (steps != 1)}, {challenges} challenge" + "s" * (
                challenges != 1
            )
            print(f"{path}: a valid lesson, {lesson.id!r} ({counts}).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
