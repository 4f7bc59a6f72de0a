"""Grade exercise notebooks: ``python -m nnlib.grade NOTEBOOK...``.

Each notebook runs top to bottom in a fresh kernel (working directory: the
notebook's folder; a time limit per cell; a cell that fails does not stop the
rest).  Every ``check(...)`` it calls records its verdict in a results file
(``NNLIB_CHECK_RESULTS``), and the grader prints one row per exercise part of the
chapter, then ``Total: X/Y``, where Y is always the chapter's full total: a part
whose check never ran scores 0 as "not run".

The chapter is read from the notebook's metadata (``"nnlib": {"chapter": 1}``) or,
failing that, from the ids of its checks, so a renamed or copied notebook grades
the same.  Exit status: 0 when every notebook could be graded, 1 when a file is
missing, unreadable or not a graded notebook (the others are still graded).
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import exercises
from .check import CORRECT, RESULTS_ENV, STRICT_ENV

NOT_RUN = "not run"
GRADING_ENV = "NNLIB_GRADING"
CHECK_CALL = re.compile(r"""check\(\s*["'](\d+\.\d+[a-z]?)["']""")


class GradeError(Exception):
    """A notebook that cannot be graded: missing, unreadable, or of no known chapter."""


@dataclass
class Row:
    """One exercise part in the score table."""

    id: str
    status: str
    points: int
    max_points: int
    feedback: str = ""


@dataclass
class Report:
    """The grading of one notebook: a row per part of its chapter, and the totals."""

    path: str
    chapter: int
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(r.points for r in self.rows)

    @property
    def max_points(self) -> int:
        return sum(r.max_points for r in self.rows)


def find_chapter(nb) -> int:
    """The chapter of a notebook: its ``nnlib.chapter`` metadata, else its check ids."""
    declared = str(nb.metadata.get("nnlib", {}).get("chapter", ""))
    if declared.isdigit() and int(declared) in exercises.CHAPTER_MODULES:
        return int(declared)
    seen = collections.Counter(
        exercises.chapter_of(found)
        for cell in nb.cells if cell.cell_type == "code"
        for found in CHECK_CALL.findall(cell.source))
    known = [(n, c) for c, n in seen.items() if c in exercises.CHAPTER_MODULES]
    if not known:
        raise GradeError("this is not a graded exercise notebook: it has no check(...) cells "
                         "and no chapter in its metadata")
    return max(known)[1]


def grade_notebook(path, timeout: float = 60, on_cell=None) -> Report:
    """Run the notebook at ``path`` in a fresh kernel and score it.

    ``timeout``: seconds per cell (a cell that runs longer is interrupted).
    ``on_cell(done, n_code_cells)``: called after each code cell, e.g. for a progress bar.
    The notebook file is read, never written.
    """
    import nbformat

    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise GradeError(f"{path}: no such file") from None
    except Exception as error:  # unreadable JSON, a directory, not a notebook...
        raise GradeError(f"{path}: cannot read it as a notebook ({error})") from None
    chapter = find_chapter(nb)
    report = Report(str(path), chapter)

    handle, results = tempfile.mkstemp(prefix="nnlib-grade-", suffix=".jsonl")
    os.close(handle)
    try:
        error = _execute(nb, path, results, timeout, on_cell)
        if error:
            report.notes.append(error)
        verdicts = _read_verdicts(results)
    finally:
        os.unlink(results)

    for exercise in exercises.chapter_exercises(chapter):
        verdict = verdicts.get(exercise.id)
        if verdict is None:
            why = _why_not_run(nb, exercise.id, error, timeout)
            earlier = [r.id for r in report.rows if r.id in getattr(exercise.judge, "builds_on", ())
                       and r.status != CORRECT]
            if earlier:
                why += f"; it builds on {earlier[0]}, which is not right yet: fix {earlier[0]} first"
            report.rows.append(Row(exercise.id, NOT_RUN, 0, exercise.points, why))
            continue
        # Points come from the registry, not from the file: the status alone is trusted.
        status = verdict.get("status", NOT_RUN)
        points = exercise.points if status == CORRECT else 0
        feedback = verdict.get("feedback", "")
        if status != CORRECT:
            stopped_cell = _timed_out_answer_cell(nb, exercise.id)
            if stopped_cell is not None:
                feedback = (f"{_ran_out_of_time(stopped_cell, timeout)}; the check then saw: "
                            f"{feedback}")
        report.rows.append(Row(exercise.id, status, points, exercise.points, feedback))
    return report


def _execute(nb, path: Path, results: str, timeout: float, on_cell) -> str:
    """Run every cell; return '' or a sentence saying why the run stopped early."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    env = dict(os.environ)
    env.pop(STRICT_ENV, None)  # a wrong answer must cost points, not stop the grading
    env[RESULTS_ENV] = results
    env[GRADING_ENV] = "1"
    n_code = sum(cell.cell_type == "code" for cell in nb.cells)
    done = [0]

    def cell_done(cell, cell_index, execute_reply):
        done[0] += 1
        if on_cell:
            on_cell(done[0], n_code)

    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", allow_errors=True,
        interrupt_on_timeout=True, record_timing=False, on_cell_executed=cell_done,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(path.resolve().parent)}})
    try:
        # The kernel's own log (not the cells' output, which comes back in the notebook)
        # would only clutter the score table.
        client.execute(env=env, stderr=subprocess.DEVNULL)
    except DeadKernelError:
        return "the kernel died while running the notebook; parts after that were not run"
    except CellTimeoutError:
        return f"a cell ran longer than {timeout:g} s and could not be interrupted"
    except Exception as error:  # no Python kernel, a broken installation: not the learner's doing
        raise GradeError(f"{path}: could not run it ({type(error).__name__}: {error})") from None
    return ""


def _read_verdicts(results: str) -> dict[str, dict]:
    """The last verdict recorded for each id (a learner may run a check several times)."""
    verdicts: dict[str, dict] = {}
    with open(results, encoding="utf-8") as lines:
        for line in lines:
            try:
                verdict = json.loads(line)
                verdicts[str(verdict["id"])] = verdict
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short when the kernel died
    return verdicts


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nnlib.grade",
        description="Run exercise notebooks in a fresh kernel and print their scores.")
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds each cell may run before it is interrupted (default 60)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)

    if os.environ.get(GRADING_ENV):
        # Called from a cell of a notebook that is itself being graded: do not recurse.
        print("nnlib.grade: this notebook is being graded already; not grading it again.")
        return 0

    from tqdm.auto import tqdm

    reports, failures = [], []
    bar = tqdm(total=len(args.notebooks), unit="notebook", disable=args.no_progress,
               file=sys.stderr, leave=False)
    for path in args.notebooks:
        bar.set_description(path.name)
        try:
            reports.append(grade_notebook(path, args.timeout, lambda i, n: bar.set_postfix_str(
                f"cell {i}/{n}", refresh=True)))
        except GradeError as error:
            failures.append(str(error))
        bar.update(1)
    bar.close()

    points = sum(r.points for r in reports)
    max_points = sum(r.max_points for r in reports)
    if args.json:
        print(json.dumps({
            "notebooks": [dict(path=r.path, chapter=r.chapter, points=r.points,
                               max_points=r.max_points, notes=r.notes,
                               rows=[asdict(row) for row in r.rows]) for r in reports],
            "errors": failures, "points": points, "max_points": max_points,
        }, indent=1, ensure_ascii=False))
    else:
        for report in reports:
            print(format_report(report))
            if len(reports) > 1:
                print(f"Score: {report.points}/{report.max_points}")
            print()
        for failure in failures:
            print(f"error: {failure}", file=sys.stderr)
        print(f"Total: {points}/{max_points}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
