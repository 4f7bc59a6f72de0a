"""Grade exercise notebooks: ``python -m nnlib.grade SUBMISSIONS...`` (notebooks or folders).

Each notebook runs cell by cell in its own fresh kernel (working directory: the
notebook's folder; a time limit per cell, after which the cell is interrupted and the
next one runs; a cell that fails does not stop the rest), several notebooks at once
(``--jobs``, default: the number of cores).  After each cell that calls
``check("ID", answer)``, the grader takes the *value* of ``answer`` out of the kernel and
judges it in its own process with the answer keys it loaded itself (``nnlib.gradebook``,
``nnlib.grade_kernel``): nothing a notebook writes or replaces in its own kernel can
change a score.  It prints one row per exercise part of the chapter, then
``Total: X/Y``, where Y is always the chapter's full total: a part whose check never
ran scores 0 as "not run".  ``--csv FILE`` writes a gradebook, one row per notebook.

The chapter is read from the ids of the notebook's checks (its ``"nnlib": {"chapter": 1}``
metadata only breaks a tie, or stands in when it has none), so a renamed or copied
notebook grades the same.  Exit status: 0 when every notebook could be graded, 1 when a
file is missing, unreadable or not a graded notebook (the others are still graded).

This module holds the score table and the sentences that explain a part that was not
run; ``nnlib.gradebook`` runs the notebooks.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from . import exercises
from .check import Verdict
from .gradebook import GRADING_ENV, GradeError, find_chapter, grade_notebook, main

__all__ = ["GRADING_ENV", "GradeError", "NOT_RUN", "Report", "find_chapter", "format_report",
           "grade_notebook", "main"]

NOT_RUN = "not run"
CHECK_CALL = re.compile(r"""check\(\s*["'](\d+\.\d+[a-z]?)["']""")


@dataclass
class Report:
    """The grading of one notebook: a row per part of its chapter, and the totals."""

    path: str
    chapter: int
    rows: list[Verdict] = field(default_factory=list)   # one per part, as check judges it
    notes: list[str] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(r.points for r in self.rows)

    @property
    def max_points(self) -> int:
        return sum(r.max_points for r in self.rows)


def _why_not_run(nb, exercise_id: str, stopped: str, timeout: float = 60) -> str:
    """Why a part has no verdict, in a learner's words: its answer cell failed or ran out of
    time, a name is undefined, ``check`` was replaced, or the run stopped early."""
    found = _part_cells(nb, exercise_id)
    if found is None:
        return f'the notebook has no check("{exercise_id}", ...) cell'
    answer_cells, check_cell = found
    error = _error_of(check_cell)
    redefined = _check_redefined(nb)
    if error is None:
        if redefined:
            return (f"no verdict was recorded: a cell redefines `check` ({redefined!r}), so this "
                    "cell ran that instead of the book's check; remove that line (the set-up "
                    "cell imports the right one with `from nnlib.check import check`)")
        if not check_cell.get("outputs") and stopped:
            return stopped
        return "its check cell did not run"
    ename, evalue = error.get("ename", ""), error.get("evalue", "")
    if ename == "TypeError" and "not callable" in evalue and redefined:
        return (f"`check` was replaced by a cell ({redefined!r}), so no check could run; "
                "remove that line (the set-up cell imports `from nnlib.check import check`)")
    if ename == "KeyboardInterrupt":
        return _ran_out_of_time(check_cell, timeout) + " (the check cell itself)"
    if ename == "NameError":
        name = re.search(r"name '([^']+)'", evalue)
        name = f"`{name.group(1)}`" if name else "a name"
        timed_out = _timed_out_answer_cell(nb, exercise_id)
        if timed_out is not None:
            return f"{_ran_out_of_time(timed_out, timeout)} before it defined {name}"
        bare = name.strip("`")
        for cell in nb.cells:  # an earlier cell that was stopped before it defined the name
            if cell is check_cell:
                break
            error_ = _error_of(cell) if cell.cell_type == "code" else None
            if error_ is not None and error_.get("ename") == "KeyboardInterrupt" and re.search(
                    rf"\b{re.escape(bare)}\b", cell.source):
                return f"{_ran_out_of_time(cell, timeout)} before it defined {name}"
        for cell in answer_cells:
            failed = _error_of(cell)
            if failed is not None:
                hint = (" (in Python, ^ is not a power: write powers with **, e.g. t**2)"
                        if "for ^:" in failed.get("evalue", "") else "")
                return (f"its answer cell raised {failed.get('ename')}: "
                        f"{_one_line(failed.get('evalue', ''))}, so {name} was never defined{hint}")
        return (f"{name} is not defined when its check cell runs: no cell above defines it "
                "(was it renamed, or its cell deleted?)")
    return f"its check cell raised {ename}: {_one_line(evalue)}"


def _one_line(message: str) -> str:
    """An error message on one line, without the kernel's temporary file name."""
    message = re.sub(r" \(\d+\.py, line (\d+)\)", r" (line \1)", message)
    return " ".join(message.split())


def _part_cells(nb, exercise_id: str):
    """(the code cells since the previous check cell, this part's check cell), or None."""
    since = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        ids = CHECK_CALL.findall(cell.source)
        if exercise_id in ids:
            return since, cell
        since = [] if ids else since + [cell]
    return None


def _error_of(cell):
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def _timed_out_answer_cell(nb, exercise_id: str):
    """The cell of this part that the time limit stopped (an interrupt shows as
    KeyboardInterrupt: nobody presses Ctrl-C in the grader), or None."""
    found = _part_cells(nb, exercise_id)
    for cell in (found[0] if found else []):
        error = _error_of(cell)
        if error is not None and error.get("ename") == "KeyboardInterrupt":
            return cell
    return None


def _ran_out_of_time(cell, timeout: float) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    return (f"the cell starting {first[:50]!r} ran out of time: the grader stopped it after "
            f"{timeout:g} s (an endless loop, or a loop far too long?)")


_REDEFINES_CHECK = re.compile(
    r"^[ \t]*(def[ \t]+check\b.*|check[ \t]*=(?!=).*|.*\bimport\b.*\bas[ \t]+check\b.*"
    r"|for[ \t]+check[ \t]+in\b.*)$", re.MULTILINE)


def _check_redefined(nb) -> str:
    """The first line of the notebook that gives the name ``check`` another meaning, or ''."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = _REDEFINES_CHECK.search(cell.source)
            if found:
                return found.group(0).strip()
    return ""


# ------------------------------------------------------------------------ printing

def format_report(report: Report) -> str:
    """The score table of one notebook (without the final Total line)."""
    title = exercises.chapter_title(report.chapter)
    lines = [f"{report.path}  (chapter {report.chapter}: {title})", ""]
    lines.append(f"{'exercise':<9} {'status':<14} {'points':>6}  feedback")
    for row in report.rows:
        points = f"{row.points}/{row.max_points}"
        lines.append(f"{row.id:<9} {row.status:<14} {points:>6}  {row.feedback}".rstrip())
    lines.extend(f"note: {note}" for note in report.notes)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
