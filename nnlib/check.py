"""Checks for the graded exercise notebooks: ``check("1.4b", answer)`` prints a verdict.

    ✔ 1.4b correct (2/2)
    ✘ 1.4b wrong (0/2): 1 - s is only one factor: σ' = σ·(1 - σ)
    … 1.4b not attempted (0/2): replace the ... with your answer

``check`` never raises in a learner's notebook, whatever the answer (None, NaN, a
function that crashes or loops forever), so a half-done notebook runs to the end.
Two environment variables change that for the machinery around the notebooks:

- ``NNLIB_CHECK_STRICT=1``: a *wrong* verdict raises ``CheckFailed``, so the solutions
  notebook proves itself under the test run; "not attempted" still passes, so the
  blank exercises notebook runs too.
- ``NNLIB_CHECK_RESULTS=path``: each verdict is appended to that file as one JSON
  line; ``python -m nnlib.grade`` collects them from there.

The answers themselves and how each is judged live in ``nnlib.exercises``.
"""
from __future__ import annotations

import dis
import json
import os
from dataclasses import asdict, dataclass

from . import exercises

CORRECT, WRONG, NOT_ATTEMPTED = "correct", "wrong", "not attempted"
SYMBOLS = {CORRECT: "✔", WRONG: "✘", NOT_ATTEMPTED: "…"}

STRICT_ENV = "NNLIB_CHECK_STRICT"
RESULTS_ENV = "NNLIB_CHECK_RESULTS"


class CheckFailed(AssertionError):
    """Raised by ``check`` for a wrong answer, only when NNLIB_CHECK_STRICT=1."""


@dataclass(frozen=True)
class Verdict:
    """The judgement of one exercise part: ``status`` is correct, wrong or not attempted."""

    id: str
    status: str
    points: int
    max_points: int
    feedback: str = ""

    def __str__(self) -> str:
        text = f"{SYMBOLS.get(self.status, '?')} {self.id} {self.status} ({self.points}/{self.max_points})"
        return f"{text}: {self.feedback}" if self.feedback else text


#: every verdict ``check`` gave in this process, oldest first
recorded: list[Verdict] = []


def judge(exercise_id: str, answer, *, time_limit: float | None = None) -> Verdict:
    """Judge an answer without printing, recording or raising.

    ``time_limit`` (seconds) overrides the exercise's limit for each call of a
    learner's function or each sympy simplification.
    """
    exercise = exercises.find(str(exercise_id))
    if exercise is None:
        raise KeyError(f"there is no exercise {exercise_id!r}")
    if is_blank(answer):
        return Verdict(exercise.id, NOT_ATTEMPTED, 0, exercise.points,
                       "replace the ... with your answer")
    try:
        correct, feedback = exercise.judge(answer, time_limit)
    except Exception as error:  # a judge must not crash a notebook, even on an odd answer
        correct, feedback = False, f"this answer could not be judged ({type(error).__name__}: {error})"
    if correct:
        return Verdict(exercise.id, CORRECT, exercise.points, exercise.points, exercise.when_correct)
    return Verdict(exercise.id, WRONG, 0, exercise.points, feedback)


def check(exercise_id: str, answer, *, time_limit: float | None = None) -> None:
    """Judge ``answer`` for part ``exercise_id`` (e.g. '1.4b'), print the verdict, record it.

    Never raises, except ``CheckFailed`` for a wrong answer under NNLIB_CHECK_STRICT=1.
    """
    try:
        verdict = judge(exercise_id, answer, time_limit=time_limit)
    except KeyError:
        print(f"? there is no exercise {exercise_id!r}: check the id in this cell")
        if _strict():
            raise CheckFailed(f"check() called with an unknown exercise id {exercise_id!r}")
        return
    print(verdict)
    _record(verdict)
    if verdict.status == WRONG and _strict():
        raise CheckFailed(str(verdict))


def is_blank(answer) -> bool:
    """True for ``...`` and for a function whose body does nothing (only ``...`` or ``pass``)."""
    if answer is Ellipsis:
        return True
    code = getattr(answer, "__code__", None)
    if code is None:
        return False
    # A body of only `...` compiles to "return None" (or, in a lambda, "return ...").
    steps = [i for i in dis.get_instructions(code) if i.opname not in ("RESUME", "NOP", "CACHE")]
    names = [i.opname for i in steps]
    if names == ["RETURN_CONST"]:
        return steps[0].argval in (None, Ellipsis)
    return names == ["LOAD_CONST", "RETURN_VALUE"] and steps[0].argval in (None, Ellipsis)


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def _record(verdict: Verdict) -> None:
    recorded.append(verdict)
    path = os.environ.get(RESULTS_ENV)
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as results:
            results.write(json.dumps(asdict(verdict), ensure_ascii=False) + "\n")
    except OSError as error:  # grading is not the learner's concern: say so, carry on
        print(f"(the verdict could not be saved for grading: {error})")
