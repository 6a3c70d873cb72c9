"""A lesson's score: what the learner passed, and which of it on the first try.

A step counts when it is done and every question in it (its answer checks) was answered right
at the first pick; a step done after a wrong pick is passed, but does not count. Guessing until
right gets a learner through the lesson, never a score. Pure: no browser imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import t
from core.lessons import Lesson, Progress


@dataclass(frozen=True)
class Score:
    """earned of possible steps (first try), and which steps were passed which way (0-based)."""

    earned: int
    possible: int
    first_try: tuple[int, ...]  # done, every question right at the first pick (or none asked)
    later: tuple[int, ...]  # done after a wrong first pick: passed, not counted

    def steps_text(self, steps: tuple[int, ...]) -> str:
        """1-based step numbers in words: "4 and 8", "2, 3 and 5"."""
        names = [str(i + 1) for i in steps]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + t("lesson.and") + names[-1]


def lesson_score(progress: Progress, lesson: Lesson) -> Score:
    """The score of ``progress`` through ``lesson``."""
    first_try, later = [], []
    for index in progress.done:
        ids = [check.params["id"] for check in lesson.steps[index].questions()]
        if all(progress.first.get(answer_id, False) for answer_id in ids):
            first_try.append(index)
        else:
            later.append(index)
    return Score(len(first_try), len(lesson.steps), tuple(first_try), tuple(later))


def first_try_text(progress: Progress, answer_id: str) -> str:
    """Beside an answer: whether its first pick was right ("" before any pick)."""
    if answer_id not in progress.first:
        return ""
    return t("lesson.first_try" if progress.first[answer_id] else "lesson.not_first_try")
