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
            report.rows.append(Row(exercise.id, NOT_RUN, 0, exercise.points,
                                   _why_not_run(nb, exercise.id, error)))
            continue
        # Points come from the registry, not from the file: the status alone is trusted.
        status = verdict.get("status", NOT_RUN)
        points = exercise.points if status == CORRECT else 0
        report.rows.append(Row(exercise.id, status, points, exercise.points,
                               verdict.get("feedback", "")))
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


def _why_not_run(nb, exercise_id: str, stopped: str) -> str:
    for cell in nb.cells:
        if cell.cell_type != "code" or exercise_id not in CHECK_CALL.findall(cell.source):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                why = f"its check cell raised {output.get('ename')}: {output.get('evalue')}"
                if output.get("ename") == "NameError":
                    why += " (did the cell that should define it fail?)"
                return why
        return stopped or "its check cell did not run"
    return f'the notebook has no check("{exercise_id}", ...) cell'


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
