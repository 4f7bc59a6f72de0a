"""The graded exercises of every chapter: what each part expects and how it is judged.

An exercise id names its chapter, exercise and part: ``"1.4b"`` is chapter 1,
exercise 4, part b.  Each chapter's answers live in their own module (``ch01`` for
chapter 1), which holds a list ``EXERCISES`` of ``Exercise`` and a ``TITLE``.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


def _chapter_modules() -> dict[int, str]:
    """Every answer key in this package, found by its file name chNN.py."""
    found = {}
    for path in sorted(Path(__file__).parent.glob("ch[0-9][0-9].py")):
        found[int(path.stem[2:])] = f"{__name__}.{path.stem}"
    return found


#: chapter number -> module holding its exercises (a new chNN.py is found by itself)
CHAPTER_MODULES = _chapter_modules()

ID_PATTERN = re.compile(r"^(\d+)\.(\d+)([a-z]?)$")


@dataclass(frozen=True)
class Exercise:
    """One graded part: its ``id`` ('1.4b'), ``points``, a short ``title`` and its ``judge``.

    ``judge(answer, time_limit) -> (correct, feedback)``; ``when_correct`` is an optional
    remark shown with a correct verdict.
    """

    id: str
    points: int
    title: str
    judge: Callable
    when_correct: str = ""


def chapter_of(exercise_id: str) -> int | None:
    """'1.4b' -> 1; None when the id is not of the form chapter.exercise[part]."""
    match = ID_PATTERN.match(str(exercise_id).strip())
    return int(match.group(1)) if match else None


def chapter_exercises(chapter: int) -> list[Exercise]:
    """Every graded part of a chapter, in the order of the notebook."""
    if chapter not in CHAPTER_MODULES:
        raise KeyError(f"no graded exercises for chapter {chapter}")
    return list(importlib.import_module(CHAPTER_MODULES[chapter]).EXERCISES)


def chapter_title(chapter: int) -> str:
    """The chapter's title as its graded notebook names it."""
    return importlib.import_module(CHAPTER_MODULES[chapter]).TITLE


def find(exercise_id: str) -> Exercise | None:
    """The exercise with this id, or None when there is none."""
    chapter = chapter_of(exercise_id)
    if chapter not in CHAPTER_MODULES:
        return None
    return next((e for e in chapter_exercises(chapter) if e.id == exercise_id.strip()), None)
