"""Checks for the graded exercise notebooks: ``check("1.4b", answer)`` prints a verdict.

    ✔ 1.4b correct (2/2)
    ✘ 1.4b wrong (0/2): 1 - s is only one factor: σ' = σ·(1 - σ)
    … 1.4b not attempted (0/2): replace the ... with your answer

``check`` never raises in a learner's notebook, whatever the answer (None, NaN, a
function that crashes or loops forever), so a half-done notebook runs to the end.
For the machinery around the notebooks, ``NNLIB_CHECK_STRICT=1`` makes a *wrong* verdict
raise ``CheckFailed``, so the solutions notebook proves itself under the test run; "not
attempted" still passes, so the blank exercises notebook runs too.

Verdicts are kept in ``recorded`` (this process only), so a later part can point back to
an earlier one it builds on.  ``python -m nnlib.grade`` reads none of this: it takes the
answers' values out of the kernel and judges them itself (``nnlib.gradebook``).

The answers themselves and how each is judged live in ``nnlib.exercises``.
"""
from __future__ import annotations

import dis
import linecache
import os
import re
import sys
from dataclasses import dataclass, replace

from . import exercises

CORRECT, WRONG, NOT_ATTEMPTED = "correct", "wrong", "not attempted"
SYMBOLS = {CORRECT: "✔", WRONG: "✘", NOT_ATTEMPTED: "…"}

STRICT_ENV = "NNLIB_CHECK_STRICT"


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
    """Judge ``answer`` for part ``exercise_id`` (e.g. '1.4b'), print the verdict, keep it.

    A wrong verdict also names what the notebook changed that can explain it: a symbol of
    the part (x) that a cell turned into a number, or an earlier part this one builds on
    that is still wrong.  Never raises, except ``CheckFailed`` for a wrong answer under
    NNLIB_CHECK_STRICT=1.
    """
    try:
        verdict = judge(exercise_id, answer, time_limit=time_limit)
    except KeyError:
        print(f"? there is no exercise {exercise_id!r}: check the id in this cell")
        if _strict():
            raise CheckFailed(f"check() called with an unknown exercise id {exercise_id!r}")
        return
    if verdict.status == WRONG:
        replaced = _replaced_symbols(verdict.id, sys._getframe(1).f_globals, answer)
        if replaced:  # the cause, stated once, instead of what it led to
            verdict = replace(verdict, feedback=replaced)
        earlier = _earlier_parts(verdict.id)
        if earlier:
            verdict = replace(verdict, feedback=f"{earlier} {verdict.feedback}")
    print(verdict)
    _record(verdict)
    if verdict.status == WRONG and _strict():
        raise CheckFailed(str(verdict))


def _replaced_symbols(exercise_id: str, namespace: dict, answer=None) -> str:
    """'' or a sentence naming a symbol of the part (or of the answer) that the notebook
    turned into something else (after ``x = 1`` in a cell, every later formula in x holds
    the number 1, and ``g.subs(x, 3)`` no longer substitutes anything)."""
    exercise = exercises.find(exercise_id)
    names = [getattr(v, "name", str(v)) for v in (getattr(exercise.judge, "variables", None) or {})]
    if type(answer).__module__.startswith("sympy"):
        names += sorted(str(v) for v in getattr(answer, "free_symbols", ()))
    found = []
    for name in dict.fromkeys(names):
        if name in namespace and not _is_sympy_symbol(namespace[name]):
            found.append((name, namespace[name]))
    if not found:
        return ""
    from .exercises.judges import describe

    name, now = found[0]
    return (f"{name} is no longer the symbol {name}: a cell set it to {describe(now)} "
            f"(`{name} = ...`, or a loop `for {name} in ...`), so every formula written after "
            f"that holds that value instead of {name}. Run `{name} = sp.Symbol(\"{name}\")`, "
            f"use another name for numbers, and run this part's cells again.")


def _is_sympy_symbol(value) -> bool:
    return type(value).__module__.startswith("sympy") and getattr(value, "is_Symbol", False)


def _earlier_parts(exercise_id: str) -> str:
    """'' or a sentence pointing back to an earlier part this one builds on that is not right."""
    exercise = exercises.find(exercise_id)
    for part in getattr(exercise.judge, "builds_on", ()):
        latest = next((v for v in reversed(recorded) if v.id == part), None)
        if latest is None or latest.status == CORRECT:
            continue  # right, or never checked here: nothing to point back to
        state = "is still wrong" if latest.status == WRONG else "is not done yet"
        return (f"This part uses your answer to {part}, which {state}: get {part} right first "
                f"(then run the cells of {exercise_id} again).")
    return ""


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


# ------------------------------------------------------- check cells that fail before check runs

_CHECK_CALL = re.compile(r"""^\s*check\(\s*["'](\d+\.\d+[a-z]?)["']""", re.MULTILINE)


def explain_check_cell_error(error: BaseException, cell_source: str, namespace: dict) -> str | None:
    """The friendly verdict for a check cell that failed before ``check`` could judge, or None.

    Two causes: the answer's name is not defined (its answer cell raised an error or was
    not run), or the name ``check`` itself was replaced by a cell (``check = ...``).
    """
    found = _CHECK_CALL.search(cell_source or "")
    if found is None:
        return None
    exercise_id = found.group(1)
    ours = namespace.get("check") is check
    if isinstance(error, TypeError) and not ours and "check" in namespace:
        now = repr(namespace["check"])
        now = now if len(now) <= 40 else now[:37] + "..."
        return (f"✘ {exercise_id} not checked: `check` is no longer the book's check: a cell "
                f"replaced it (it is now {now}). Run "
                "`from nnlib.check import check` to get it back, then run this cell again.")
    if isinstance(error, NameError) and ours:
        name = getattr(error, "name", None) or str(error)
        return (f"✘ {exercise_id} not checked: `{name}` is not defined. The cell above that "
                f"should define it raised an error, or has not been run: run it, fix what it "
                f"reports, then run this check again.")
    return None


def _on_notebook_error(shell, etype, value, tb, tb_offset=None):
    # IPython calls this for a NameError or TypeError in any cell; only check cells whose
    # call failed in the cell itself (not inside a function) get the friendly verdict.
    frame_tb = tb
    while frame_tb.tb_next is not None:
        frame_tb = frame_tb.tb_next
    source = "".join(linecache.getlines(frame_tb.tb_frame.f_code.co_filename))
    message = None
    if frame_tb.tb_frame.f_globals is shell.user_ns:
        try:
            message = explain_check_cell_error(value, source, shell.user_ns)
        except Exception:  # never let the friendly path hide the real error
            message = None
    # IPython leaves the display to this handler.
    if message is None:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
        if etype is TypeError and "for ^:" in str(value):
            print("(In Python, ^ is not a power: write powers with **, e.g. t**2.)")
    else:
        shell._showtraceback(etype, value, [message])
    return None


def _install_notebook_handler() -> bool:
    """In a Jupyter kernel, let a failing check cell print a verdict instead of a traceback."""
    shell = None
    if "IPython" in sys.modules:
        try:
            shell = sys.modules["IPython"].get_ipython()
        except Exception:
            shell = None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if shell.custom_exceptions and getattr(shell, "_nnlib_check_cells", False) is False:
        return False  # someone else's handler: leave it alone
    shell.set_custom_exc((NameError, TypeError), _on_notebook_error)
    shell._nnlib_check_cells = True
    return True


_install_notebook_handler()
