"""The contract every chapter's graded exercises meet, run over every chapter with an answer key.

For chapter NN, ``nnlib/exercises/chNN.py`` is the answer key and ``tests/answer_keys/chNN.py``
holds ``WRONG_ANSWERS`` (exercise id, answer, a phrase the feedback must contain) and
``RIGHT_ANSWERS`` (exercise id, answer written differently from the solutions).  Adding a
chapter adds its cases here; no test is edited by hand.
"""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from nnlib import exercises
from nnlib.check import CORRECT, NOT_ATTEMPTED, WRONG, judge

FAST = 0.3  # seconds: the time limit for learners' functions in these tests
TABLES = Path(__file__).parent / "answer_keys"
CHAPTERS = sorted(exercises.CHAPTER_MODULES)


def table(chapter: int):
    return importlib.import_module(f"answer_keys.ch{chapter:02d}")


def cases(kind: str) -> list:
    """Every chapter's ``kind`` table (WRONG_ANSWERS or RIGHT_ANSWERS), as pytest params."""
    return [pytest.param(*case, id=f"{case[0]}-{i}")
            for chapter in CHAPTERS if (TABLES / f"ch{chapter:02d}.py").exists()
            for i, case in enumerate(getattr(table(chapter), kind))]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_part_has_three_wrong_answers_and_a_right_one(chapter):
    assert (TABLES / f"ch{chapter:02d}.py").exists(), f"chapter {chapter} has no table of answers"
    module = table(chapter)
    for e in exercises.chapter_exercises(chapter):
        wrong = [w for w in module.WRONG_ANSWERS if w[0] == e.id]
        assert len(wrong) >= 3, f"{e.id} has {len(wrong)} typical wrong answers, needs 3"
        assert any(r[0] == e.id for r in module.RIGHT_ANSWERS), f"{e.id} has no right answer"


@pytest.mark.parametrize("exercise_id, answer, phrase", cases("WRONG_ANSWERS"))
def test_typical_wrong_answer_is_judged_wrong_with_specific_feedback(exercise_id, answer, phrase):
    verdict = judge(exercise_id, answer, time_limit=FAST)
    assert verdict.status == WRONG, verdict
    assert verdict.points == 0
    assert phrase in verdict.feedback, verdict.feedback


@pytest.mark.parametrize("exercise_id, answer", cases("RIGHT_ANSWERS"))
def test_differently_written_right_answer_is_judged_correct(exercise_id, answer):
    verdict = judge(exercise_id, answer)
    assert verdict.status == CORRECT, verdict.feedback
    assert verdict.points == verdict.max_points == exercises.find(exercise_id).points


@pytest.mark.parametrize("exercise_id", [e.id for c in CHAPTERS
                                         for e in exercises.chapter_exercises(c)])
def test_ellipsis_is_not_attempted(exercise_id):
    verdict = judge(exercise_id, ...)
    assert (verdict.status, verdict.points) == (NOT_ATTEMPTED, 0)
