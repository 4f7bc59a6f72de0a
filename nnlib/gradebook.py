"""Grade a class: many notebooks in parallel, a CSV gradebook, and scores no notebook can forge.

``python -m nnlib.grade SUBMISSIONS...`` (files and folders) runs here.  Each notebook runs
cell by cell in its own fresh kernel (working directory: its folder; a time limit per cell,
after which the kernel is interrupted and the next cell runs; outputs beyond a cap are cut).
After each cell that calls ``check("ID", EXPR)``, the grader evaluates each EXPR in the
kernel and takes its *value* out as data (``nnlib.grade_kernel``), then judges it in this
process with the answer keys this process imported.  Nothing the notebook writes (a results
file, a replaced ``check``, a patched judge or answer key in its own kernel) is read as a
verdict.  A learner's function is called in the kernel, right after its check cell, by the
judge running here.

The chapter of a notebook is read from the ids of its check calls (its metadata only breaks
a tie or stands in when there are no checks), so renamed copies grade the same.
"""
from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import queue
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from . import exercises, grade_kernel
from .check import CORRECT, NOT_ATTEMPTED, STRICT_ENV, WRONG, Verdict, judge

#: characters of output kept per cell (the rest is cut, with a note)
OUTPUT_CAP = 200_000
KERNEL_START_SECONDS = 120
GRADING_ENV = "NNLIB_GRADING"


class GradeError(Exception):
    """A notebook that cannot be graded: missing, unreadable, or of no known chapter."""


def _grade():
    from . import grade  # the score table's types and the learner-facing explanations

    return grade


# =================================================================== the kernel

class KernelDied(Exception):
    """The learner's kernel is gone (it crashed, or could not be stopped)."""


class Session:
    """One fresh kernel for one notebook, driven cell by cell."""

    def __init__(self, cwd: Path, timeout: float):
        from jupyter_client import KernelManager

        self.timeout = timeout
        self.dead = ""
        self.pending = None          # msg_id of a request abandoned mid-way (a time limit)
        env = dict(os.environ)
        env.pop(STRICT_ENV, None)     # a wrong answer must not stop the notebook
        env[GRADING_ENV] = "1"
        for threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(threads, "1")  # one kernel per core, rather than each taking all
        env.setdefault("MPLBACKEND", "Agg")
        self.km = KernelManager(kernel_name="python3")
        try:
            self.km.start_kernel(cwd=str(cwd), env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            self.kc = self.km.client()
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=KERNEL_START_SECONDS)
        except Exception as error:
            self.shutdown()
            raise GradeError(f"could not start a Python kernel ({type(error).__name__}: "
                             f"{error})") from None

    # ---- low level
    def _receive(self, get, seconds: float):
        """One message, or None after ``seconds``; a time-limit alarm of the judge running in
        this process is held off while a message is being read, so none is cut in half."""
        can_block = hasattr(signal, "pthread_sigmask")
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM}) if can_block else None
        try:
            return get(timeout=max(seconds, 0.001))
        except queue.Empty:
            return None
        finally:
            if can_block:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def _settle(self) -> None:
        """Finish a request abandoned by a time limit: interrupt it and wait for its end."""
        msg_id, self.pending = self.pending, None
        if msg_id is None or self.dead:
            return
        self._interrupt()
        if not self._wait_idle(msg_id, None, 15.0):
            self._die("the kernel could not be stopped after a time limit")

    def _interrupt(self) -> None:
        try:
            self.km.interrupt_kernel()
        except Exception:
            pass

    def _die(self, why: str) -> None:
        self.dead = why
        self.shutdown()

    def _wait_idle(self, msg_id, on_message, seconds: float) -> bool:
        """Read the iopub messages of ``msg_id`` until the kernel is idle; False on no end
        within ``seconds`` (the kernel is interrupted every few seconds meanwhile)."""
        deadline = time.monotonic() + seconds
        next_interrupt = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            msg = self._receive(self.kc.get_iopub_msg, min(0.2, deadline - time.monotonic()))
            if msg is None:
                if not self.km.is_alive():
                    self._die("the kernel died while running the notebook")
                    return False
                if on_message is None and time.monotonic() > next_interrupt:
                    self._interrupt()
                    next_interrupt = time.monotonic() + 3.0
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                return True
            if on_message is not None:
                on_message(msg)
        return False

    def execute(self, code: str, seconds: float, *, silent=False, outputs=None):
        """Run ``code``; return (data published under grade_kernel.MIME, timed_out).

        Outputs (as notebook outputs) go to ``outputs`` when given, at most OUTPUT_CAP
        characters.  After ``seconds`` the kernel is interrupted; a kernel that does not
        stop, or dies, makes the session dead.
        """
        if self.pending is not None:
            self._settle()
        if self.dead:
            raise KernelDied(self.dead)
        from nbformat.v4 import output_from_msg

        published, size, cut = [], [0], [False]

        def on_message(msg):
            kind, content = msg["msg_type"], msg["content"]
            if kind == "display_data" and grade_kernel.MIME in content.get("data", {}):
                published.append(content["data"][grade_kernel.MIME])
                return
            if outputs is None or kind not in ("stream", "display_data", "execute_result",
                                                 "error"):
                return
            output = output_from_msg(msg)
            length = len(json.dumps(output, default=str))
            if size[0] + length > OUTPUT_CAP and kind != "error":
                if not cut[0]:
                    cut[0] = True
                    outputs.append({"output_type": "stream", "name": "stderr",
                                    "text": f"[the grader cut this cell's output at "
                                            f"{OUTPUT_CAP} characters]\n"})
                return
            size[0] += length
            if kind == "stream" and outputs and outputs[-1].get("output_type") == "stream" \
                    and outputs[-1].get("name") == content.get("name"):
                outputs[-1]["text"] += content.get("text", "")
                return
            outputs.append(output)

        msg_id = self.kc.execute(code, silent=silent, store_history=not silent,
                                 allow_stdin=False, stop_on_error=False)
        self.pending = msg_id
        timed_out = False
        if not self._wait_idle(msg_id, on_message, seconds):
            if self.dead:
                self.pending = None
                raise KernelDied(self.dead)
            timed_out = True
            self._interrupt()
            if not self._wait_idle(msg_id, on_message, 15.0):
                self.pending = None
                if not self.dead:
                    self._die("a cell could not be stopped after its time limit")
                raise KernelDied(self.dead)
        self.pending = None
        # The shell reply (we have what we need from iopub; read it so the queue stays short).
        self._receive(self.kc.get_shell_msg, 0.05)
        return published, timed_out

    # ---- what the grader asks of the kernel
    def run_cell(self, cell) -> bool:
        """Run a notebook cell as written; its outputs go into the cell. True if it timed out."""
        cell.outputs = []
        _, timed_out = self.execute(cell.source, self.timeout, outputs=cell.outputs)
        return timed_out

    def capture(self, requests: list[dict]) -> list[dict]:
        """The values of the checked expressions (see grade_kernel.capture), one entry each."""
        code = ("__import__('nnlib.grade_kernel', fromlist=['capture']).capture("
                f"{json.dumps(requests)!r})")
        published, timed_out = self.execute(code, self.timeout, silent=True)
        if timed_out or not published:
            why = "ran out of time" if timed_out else "sent nothing back"
            return [{"error": ["GraderError", f"reading the answer {why}"]} for _ in requests]
        try:
            entries = json.loads(published[-1])["capture"]
        except (ValueError, KeyError, TypeError):
            entries = []
        if not isinstance(entries, list) or len(entries) != len(requests):
            return [{"error": ["GraderError", "the kernel's reply was not readable"]}
                    for _ in requests]
        return entries

    def call(self, handle: str, args: tuple, kwargs: dict):
        """Call a learner's function in the kernel (see grade_kernel.LearnerFunction)."""
        text, encoder = grade_kernel.dumps([list(args), kwargs], "grader")
        code = ("__import__('nnlib.grade_kernel', fromlist=['call']).call("
                f"{handle!r}, {text!r})")
        published, timed_out = self.execute(code, self.timeout, silent=True)
        if timed_out:
            from .exercises.timelimit import TimeLimitExceeded

            raise TimeLimitExceeded
        if not published:
            raise RuntimeError("the learner's kernel sent no result")
        refs = {encoder.memo[id(obj)]: obj for obj in encoder.keep}
        try:
            reply = json.loads(published[-1])
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            raise RuntimeError("the learner's kernel sent an unreadable result")
        after = reply.get("args")
        if isinstance(after, list):
            after, _ = grade_kernel.loads(json.dumps(after), "grader", self, refs)
            for before, now in zip(args, after):
                _copy_back(before, now)
        if "error" in reply:
            name, message = (list(reply["error"]) + ["", ""])[:2]
            raise _exception(str(name), str(message))
        value, _ = grade_kernel.loads(json.dumps(reply.get("value")), "grader", self, refs)
        return value

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
        except Exception:
            pass
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:
            pass


def _copy_back(before, now) -> None:
    """Make ``before`` (an argument here) what the call in the kernel left it as."""
    import numpy as np

    if isinstance(before, np.ndarray) and isinstance(now, np.ndarray):
        if before.shape == now.shape and before.flags.writeable:
            np.copyto(before, now, casting="unsafe")
    elif isinstance(before, np.random.Generator) and isinstance(now, np.random.Generator):
        before.bit_generator.state = now.bit_generator.state
    elif isinstance(before, list) and isinstance(now, list) and len(before) == len(now):
        for b, n in zip(before, now):
            _copy_back(b, n)
    elif isinstance(before, tuple) and isinstance(now, tuple):
        for b, n in zip(before, now):
            _copy_back(b, n)


_EXCEPTIONS: dict = {}


def _exception(name: str, message: str) -> Exception:
    """An exception that reads as the learner's did (``KeyError: 1``): its class has the
    learner's exception's name, and its text is the text the kernel gave."""
    name = name if name.isidentifier() else "Error"
    return _EXCEPTIONS.setdefault(name, type(name, (Exception,), {}))(message)


# =================================================================== one notebook

def find_chapter(nb) -> int:
    """The chapter of a notebook from the ids of its check calls; its ``nnlib.chapter``
    metadata only breaks a tie among them, or stands in when it has no check call."""
    seen = collections.Counter()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        calls = grade_kernel.check_calls(cell.source)
        ids = [i for i, _ in calls] if calls is not None else \
            _grade().CHECK_CALL.findall(cell.source)
        for exercise_id in ids:
            chapter = exercises.chapter_of(exercise_id)
            if chapter in exercises.CHAPTER_MODULES:
                seen[chapter] += 1
    declared = str(nb.metadata.get("nnlib", {}).get("chapter", ""))
    declared = int(declared) if declared.isdigit() else None
    if seen:
        most = max(seen.values())
        tied = sorted(c for c, n in seen.items() if n == most)
        return declared if declared in tied else tied[0]
    if declared in exercises.CHAPTER_MODULES:
        return declared
    raise GradeError("this is not a graded exercise notebook: it has no check(...) cells "
                     "and no chapter in its metadata")


def _names_of(exercise) -> list[str]:
    """The symbol names of a part (x, s, t): a cell that turns one into a number is named."""
    variables = getattr(exercise.judge, "variables", None) or {}
    return [getattr(v, "name", str(v)) for v in variables]


def _judge_captured(exercise_id: str, entry: dict, verdicts: dict, session) -> Verdict | None:
    """The grader's verdict on one captured answer, or None when there was no value."""
    from .check import _replaced_symbols

    exercise = exercises.find(exercise_id)
    if exercise is None or "value" not in entry:
        return None
    try:
        answer, _ = grade_kernel.loads(json.dumps(entry["value"]), "grader", session)
    except Exception as error:  # malformed data: the learner's kernel sent it
        answer = grade_kernel.Opaque("unreadable", "?", f"an answer the grader could not read "
                                     f"({type(error).__name__})")
    if isinstance(answer, grade_kernel.LearnerFunction) and answer.blank:
        return Verdict(exercise.id, NOT_ATTEMPTED, 0, exercise.points,
                       "replace the ... with your answer")
    verdict = judge(exercise_id, answer)
    if verdict.status != WRONG:
        return verdict
    namespace = {}
    for name, data in (entry.get("names") or {}).items():
        try:
            namespace[str(name)], _ = grade_kernel.loads(json.dumps(data), "grader", session)
        except Exception:
            continue
    try:
        replaced = _replaced_symbols(verdict.id, namespace, answer)
    except Exception:
        replaced = ""
    feedback = replaced or verdict.feedback
    for part in getattr(exercise.judge, "builds_on", ()):
        latest = verdicts.get(part)
        if latest is None or latest.status == CORRECT:
            continue
        state = "is still wrong" if latest.status == WRONG else "is not done yet"
        feedback = (f"This part uses your answer to {part}, which {state}: get {part} right "
                    f"first (then run the cells of {exercise_id} again). {feedback}")
        break
    return Verdict(verdict.id, verdict.status, verdict.points, verdict.max_points, feedback)


def _unread(expr: str, entry: dict) -> str:
    """Why the answer of a check cell that ran has no value the grader could judge."""
    error = entry.get("error")
    if isinstance(error, list) and len(error) == 2 and error[0] != "GraderError":
        return f"reading its answer `{expr}` raised {error[0]}: {_grade()._one_line(str(error[1]))}"
    return ("the grader could not read its answer from the notebook's kernel (did a cell "
            "change nnlib's modules there?)")


def grade_notebook(path, timeout: float = 60, on_cell=None):
    """Run the notebook at ``path`` in a fresh kernel and score it (a ``grade.Report``).

    ``timeout``: seconds per cell.  ``on_cell(done, n_code_cells)`` after each code cell.
    The notebook file is read, never written.
    """
    import nbformat

    grade = _grade()
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise GradeError(f"{path}: no such file") from None
    except Exception as error:  # unreadable JSON, a directory, not a notebook...
        raise GradeError(f"{path}: cannot read it as a notebook ({error})") from None
    try:
        chapter = find_chapter(nb)
    except GradeError as error:
        raise GradeError(f"{path}: {error}") from None
    report = grade.Report(str(path), chapter)
    verdicts: dict[str, Verdict] = {}
    unread: dict[str, str] = {}  # why the answer of a check that ran could not be read
    stopped = ""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    session = Session(path.resolve().parent, timeout)
    try:
        for done, cell in enumerate(code_cells, 1):
            try:
                session.run_cell(cell)
                calls = [(i, e) for i, e in (grade_kernel.check_calls(cell.source) or [])
                         if exercises.find(i) is not None]
                if calls:
                    entries = session.capture([{"expr": e, "names": _names_of(exercises.find(i))}
                                               for i, e in calls])
                    for (exercise_id, expr), entry in zip(calls, entries):
                        verdict = _judge_captured(exercise_id, entry, verdicts, session)
                        if verdict is not None:
                            verdicts[exercise_id] = verdict
                        else:
                            unread[exercise_id] = _unread(expr, entry)
            except KernelDied as error:
                first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
                stopped = f"{error} (the cell starting {first[:50]!r}); parts after that were not run"
                break
            finally:
                if on_cell:
                    on_cell(done, len(code_cells))
    finally:
        session.shutdown()
    if stopped:
        report.notes.append(stopped)

    for exercise in exercises.chapter_exercises(chapter):
        verdict = verdicts.get(exercise.id)
        if verdict is None:
            why = grade._why_not_run(nb, exercise.id, stopped, timeout)
            if why == "its check cell did not run" and exercise.id in unread:
                why = unread[exercise.id]
            earlier = [r.id for r in report.rows
                       if r.id in getattr(exercise.judge, "builds_on", ()) and r.status != CORRECT]
            if earlier:
                why += f"; it builds on {earlier[0]}, which is not right yet: fix {earlier[0]} first"
            report.rows.append(Verdict(exercise.id, grade.NOT_RUN, 0, exercise.points, why))
            continue
        feedback = verdict.feedback
        if verdict.status != CORRECT:
            stopped_cell = grade._timed_out_answer_cell(nb, exercise.id)
            if stopped_cell is not None:
                feedback = (f"{grade._ran_out_of_time(stopped_cell, timeout)}; the check then "
                            f"saw: {feedback}")
        points = exercise.points if verdict.status == CORRECT else 0
        report.rows.append(Verdict(exercise.id, verdict.status, points, exercise.points,
                                     feedback))
    return report


# =================================================================== many notebooks

def collect(paths) -> list[Path]:
    """The notebooks named: files as given, folders searched for *.ipynb (recursively,
    without .ipynb_checkpoints), in a stable order; a missing path is kept (and reported)."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb")
                            if ".ipynb_checkpoints" not in p.parts and p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _report_dict(report) -> dict:
    return dict(path=report.path, chapter=report.chapter, points=report.points,
                max_points=report.max_points, notes=report.notes,
                rows=[asdict(row) for row in report.rows])


def _report_of(data: dict):
    grade = _grade()
    report = grade.Report(data["path"], data["chapter"])
    report.rows = [Verdict(**row) for row in data["rows"]]
    report.notes = list(data["notes"])
    return report


def _grade_one(path: str, timeout: float) -> dict:
    """Grade one notebook in this (worker) process: {"path", "report"} or {"path", "error"}."""
    started = time.monotonic()
    try:
        report = grade_notebook(path, timeout)
        return {"path": path, "report": _report_dict(report),
                "seconds": time.monotonic() - started}
    except GradeError as error:
        return {"path": path, "error": str(error)}
    except Exception as error:  # the grader's own failure on this notebook: report, go on
        return {"path": path, "error": f"{path}: the grader failed on it "
                                       f"({type(error).__name__}: {error})"}


def grade_many(paths, jobs: int | None = None, timeout: float = 60, progress: bool = True):
    """Grade every notebook, ``jobs`` at a time, each in its own process and kernel.

    Returns one result per path, in the order given: {"path", "report": dict} or
    {"path", "error": str}.  A worker that dies takes only its notebook with it.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from tqdm.auto import tqdm

    paths = [str(p) for p in paths]
    jobs = max(1, jobs or os.cpu_count() or 1)
    results: dict[str, dict] = {}
    bar = tqdm(total=len(paths), unit="notebook", disable=not progress, file=sys.stderr,
               leave=False)
    todo, attempts = list(paths), collections.Counter()
    context = multiprocessing.get_context("spawn")
    while todo:
        retry = []
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
            futures = {pool.submit(_grade_one, p, timeout): p for p in todo}
            for future in as_completed(futures):
                path = futures[future]
                try:
                    results[path] = future.result()
                except BrokenProcessPool:
                    attempts[path] += 1
                    if attempts[path] >= 2:
                        results[path] = {"path": path, "error": f"{path}: grading it crashed "
                                                                "the grader's worker process"}
                    else:
                        retry.append(path)
                        continue
                except Exception as error:
                    results[path] = {"path": path, "error": f"{path}: {error}"}
                bar.set_description(Path(path).name[:30])
                bar.update(1)
        todo = retry
    bar.close()
    return [results[p] for p in paths]


def gradebook_rows(results) -> tuple[list[str], list[dict]]:
    """(columns, rows) of the gradebook: path, chapter, one column per part, total, max,
    status."""
    grade = _grade()
    chapters = sorted({r["report"]["chapter"] for r in results if "report" in r})
    parts = [e.id for c in chapters for e in exercises.chapter_exercises(c)]
    columns = ["path", "chapter", *parts, "total", "max", "status"]
    rows = []
    for result in results:
        row = {"path": result["path"]}
        if "report" in result:
            report = result["report"]
            row["chapter"] = report["chapter"]
            for line in report["rows"]:
                row[line["id"]] = line["points"]
            row["total"], row["max"] = report["points"], report["max_points"]
            row["status"] = "; ".join(["graded", *report["notes"]])
        else:
            row["status"] = f"not graded: {result['error']}"
        rows.append(row)
    del grade
    return columns, rows


def write_csv(results, path) -> None:
    columns, rows = gradebook_rows(results)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None, prog: str = "python -m nnlib.grade") -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Grade exercise notebooks, each in its own fresh kernel, in parallel: a "
                    "score table per notebook, and a gradebook for a class.")
    parser.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION",
                        help="notebooks, or folders searched for *.ipynb")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                        help="notebooks graded at once (default: the number of cores)")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds each cell may run before it is interrupted (default 60)")
    parser.add_argument("--csv", type=Path, metavar="FILE",
                        help="write the gradebook: one row per notebook, one column per part")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    if os.environ.get(GRADING_ENV):
        # Called from a cell of a notebook that is itself being graded: do not recurse.
        print("nnlib.grade: this notebook is being graded already; not grading it again.")
        return 0

    paths = collect(args.submissions)
    if not paths:
        print("error: no notebooks found in " + ", ".join(map(str, args.submissions)),
              file=sys.stderr)
        return 1
    results = grade_many(paths, args.jobs, args.timeout, progress=not args.no_progress)
    if args.csv:
        write_csv(results, args.csv)
    reports = [_report_of(r["report"]) for r in results if "report" in r]
    failures = [r["error"] for r in results if "error" in r]
    points = sum(r.points for r in reports)
    max_points = sum(r.max_points for r in reports)
    if args.json:
        print(json.dumps({
            "notebooks": [r["report"] for r in results if "report" in r],
            "errors": failures, "points": points, "max_points": max_points,
        }, indent=1, ensure_ascii=False))
    else:
        grade = _grade()
        for report in reports:
            print(grade.format_report(report))
            if len(reports) > 1:
                print(f"Score: {report.points}/{report.max_points}")
            print()
        for failure in failures:
            print(f"error: {failure}", file=sys.stderr)
        if args.csv:
            print(f"Gradebook: {args.csv} ({len(results)} notebooks)")
        print(f"Total: {points}/{max_points}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(prog="python -m nnlib.gradebook"))
