"""python -m nnlib.grade: runs notebooks in a fresh kernel and scores them fairly.

Each notebook is executed once (module-scoped fixtures, one per notebook, so the tests
also spread well over pytest-xdist workers).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nnlib import exercises
from nnlib.grade import NOT_RUN, GradeError, find_chapter, grade_notebook, main

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions" / "01-derivatives.ipynb"
EXERCISES = ROOT / "exercises" / "01-derivatives.ipynb"
POINTS = {e.id: e.points for e in exercises.chapter_exercises(1)}
FULL = sum(POINTS.values())


def grade_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nnlib.grade", "--no-progress", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def answer_cell(nb, exercise_id: str):
    return next(c for c in nb.cells if c.get("id") == exercise_id.replace(".", "-") + "-answer")


def check_cell(nb, exercise_id: str):
    return next(c for c in nb.cells if c.get("id") == exercise_id.replace(".", "-") + "-check")


def rows_of(report) -> dict:
    return {row.id: row for row in report.rows}


@pytest.fixture(scope="module")
def blank_run():
    return grade_cli(EXERCISES)


@pytest.fixture(scope="module")
def solutions_run():
    return grade_cli(SOLUTIONS)


@pytest.fixture(scope="module")
def partial_copy_report(tmp_path_factory):
    """A renamed copy of the exercises, three parts solved, one wrong, no chapter metadata."""
    nb = nbformat.read(EXERCISES, as_version=4)
    solved = nbformat.read(SOLUTIONS, as_version=4)
    for exercise_id in ("1.1a", "1.4d", "1.6b"):
        answer_cell(nb, exercise_id).source = answer_cell(solved, exercise_id).source
    answer_cell(nb, "1.5b").source = "x_min = -1"
    del nb.metadata["nnlib"]  # the grader must then recognise the chapter by its checks
    copy = tmp_path_factory.mktemp("learner") / "my work (copy 2).ipynb"
    nbformat.write(nb, copy)
    return grade_notebook(copy)


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory):
    """The solutions broken the ways learners break them: a crashing answer cell, a syntax
    error, a cell that never ends (at the top and in an answer cell), an answer cell that
    raises before it defines its name (`^` for a power), and a replaced `check`."""
    nb = nbformat.read(SOLUTIONS, as_version=4)
    answer_cell(nb, "1.2a").source = "dp = 1 / 0"
    answer_cell(nb, "1.4c").source = "dtanh_in_t = 1 - t^2"
    answer_cell(nb, "1.5b").source = "x_min = None\nwhile True:\n    pass"
    answer_cell(nb, "1.6a").source = "def forward_difference(f, x, h):\n    return ("
    position = nb.cells.index(check_cell(nb, "1.7b"))
    nb.cells.insert(position, nbformat.v4.new_code_cell("check = True"))
    nb.cells.insert(5, nbformat.v4.new_code_cell("while True:\n    pass"))
    path = tmp_path_factory.mktemp("broken") / "broken.ipynb"
    nbformat.write(nb, path)
    return grade_notebook(path, timeout=6)


def test_blank_exercises_grade_to_zero_of_full_total(blank_run):
    assert blank_run.returncode == 0, blank_run.stderr
    lines = blank_run.stdout.strip().splitlines()
    assert lines[-1] == f"Total: 0/{FULL}"
    for exercise_id in POINTS:
        assert any(line.split()[:3] == [exercise_id, "not", "attempted"] for line in lines), exercise_id


def test_solutions_grade_to_full_marks(solutions_run):
    assert solutions_run.returncode == 0, solutions_run.stderr
    lines = solutions_run.stdout.strip().splitlines()
    assert lines[-1] == f"Total: {FULL}/{FULL}"
    table = [line.split() for line in lines if line[:1].isdigit()]
    assert [(row[0], row[1], row[2]) for row in table] == [
        (exercise_id, "correct", f"{p}/{p}") for exercise_id, p in POINTS.items()]


def test_renamed_copy_without_metadata_gets_partial_points(partial_copy_report):
    rows = rows_of(partial_copy_report)
    assert partial_copy_report.chapter == 1
    assert {i for i, r in rows.items() if r.status == "correct"} == {"1.1a", "1.4d", "1.6b"}
    assert partial_copy_report.points == POINTS["1.1a"] + POINTS["1.4d"] + POINTS["1.6b"]
    assert partial_copy_report.max_points == FULL
    assert rows["1.5b"].status == "wrong" and "local maximum" in rows["1.5b"].feedback
    assert rows["1.1b"].status == "not attempted"


# (1.7b and 1.7c follow `check = True`: the grader judges their values itself, so a
# replaced check costs a learner nothing, and gives nothing either.)
BROKEN = ("1.2a", "1.4c", "1.5b", "1.5c", "1.6a")


def test_broken_cells_cost_only_the_parts_that_depend_on_them(broken_report):
    rows = rows_of(broken_report)
    others = [r for i, r in rows.items() if i not in BROKEN]
    assert all(r.status == "correct" for r in others), [(r.id, r.feedback) for r in others]
    assert all(rows[i].points == 0 for i in BROKEN)
    assert (broken_report.points, broken_report.max_points) == (
        FULL - sum(POINTS[i] for i in BROKEN), FULL)


def test_a_failed_answer_cell_is_named_instead_of_a_bare_name_error(broken_report):
    rows = rows_of(broken_report)
    assert rows["1.2a"].status == NOT_RUN
    assert "its answer cell raised ZeroDivisionError" in rows["1.2a"].feedback
    assert "`dp` was never defined" in rows["1.2a"].feedback
    # `1 - t^2` raises TypeError in the answer cell: its check cell explains, no bare NameError
    assert "its answer cell raised TypeError" in rows["1.4c"].feedback
    assert "^ is not a power: write powers with **" in rows["1.4c"].feedback
    assert "its answer cell raised SyntaxError: incomplete input (line 2)" in rows["1.6a"].feedback
    # 1.5c uses x_min from 1.5b, whose loop was stopped: the row points back to 1.5b.
    assert rows["1.5c"].feedback.endswith("it builds on 1.5b, which is not right yet: fix 1.5b first")


def test_a_loop_stopped_by_the_time_limit_is_named_as_a_time_limit(broken_report):
    # Feedback 4: the stopped loop left x_min = None; the row must say the cell ran out of
    # time, not only "the answer is None ... rather than print it".
    row = rows_of(broken_report)["1.5b"]
    assert row.status == "wrong"
    assert row.feedback.startswith("the cell starting 'x_min = None' ran out of time")
    assert "stopped it after 6 s" in row.feedback


def test_a_replaced_check_costs_nothing_the_grader_judges_the_values(broken_report):
    # `check = True` in a cell: the check cells below it raise TypeError in the notebook,
    # but the grader reads the answers' values and judges them itself.
    rows = rows_of(broken_report)
    assert rows["1.7b"].status == "correct" and rows["1.7c"].status == "correct"


def test_a_redefined_check_that_records_nothing_costs_nothing(tmp_path):
    nb = nbformat.read(SOLUTIONS, as_version=4)
    keep = nb.cells.index(check_cell(nb, "1.1a"))
    nb.cells = nb.cells[:keep + 1]
    nb.cells.insert(keep, nbformat.v4.new_code_cell(
        "def check(exercise_id, answer):\n    print('looks fine to me')"))
    path = tmp_path / "own check.ipynb"
    nbformat.write(nb, path)
    rows = rows_of(grade_notebook(path, timeout=30))
    assert rows["1.1a"].status == "correct"
    assert rows["1.1b"].status == NOT_RUN
    assert rows["1.1b"].feedback == 'the notebook has no check("1.1b", ...) cell'


def test_missing_or_unreadable_notebook_exits_nonzero_with_a_message(tmp_path):
    garbage = tmp_path / "garbage.ipynb"
    garbage.write_text("{not json", encoding="utf-8")
    result = grade_cli(tmp_path / "nowhere.ipynb", garbage, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["points"] == 0 and report["notebooks"] == []
    assert "no such file" in report["errors"][0] and "cannot read" in report["errors"][1]


def test_the_chapter_comes_from_the_checks_not_the_metadata():
    new = nbformat.v4
    nb = new.new_notebook(cells=[new.new_code_cell('check("1.1a", df)\ncheck("1.2b", dq)'),
                                 new.new_code_cell('check("3.1a", lam_max)')],
                          metadata={"nnlib": {"chapter": 3}})
    assert find_chapter(nb) == 1
    nb.cells.append(new.new_code_cell('check("3.1b", lr_limit)'))
    assert find_chapter(nb) == 3  # a tie: the metadata decides between the two


def test_a_notebook_without_checks_is_not_graded():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    with pytest.raises(GradeError, match="not a graded exercise notebook"):
        find_chapter(nb)


def test_grading_from_inside_a_graded_notebook_does_not_recurse(monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_GRADING", "1")
    assert main([str(SOLUTIONS)]) == 0
    assert "being graded already" in capsys.readouterr().out


def test_a_name_left_undefined_by_an_earlier_stopped_cell_is_a_time_limit():
    # A set-up loop far above the part ran out of time before it defined `g`; the part's
    # check then raised NameError: the row must name the time limit, not the NameError.
    from nnlib.grade import _why_not_run

    new = nbformat.v4
    stopped = new.new_code_cell("import time\nwhile True:\n    pass\ng = 1")
    stopped.outputs = [new.new_output("error", ename="KeyboardInterrupt", evalue="", traceback=[])]
    answer = new.new_code_cell("dg = g")
    answer.outputs = [new.new_output("error", ename="NameError",
                                     evalue="name 'g' is not defined", traceback=[])]
    checked = new.new_code_cell('check("1.5a", dg)')
    checked.outputs = [new.new_output("error", ename="NameError",
                                      evalue="name 'dg' is not defined", traceback=[])]
    nb = new.new_notebook(cells=[stopped, new.new_code_cell('check("1.4d", f)'), answer, checked])
    assert _why_not_run(nb, "1.5a", "", 60).startswith(
        "its answer cell raised NameError: name 'g' is not defined")
    answer.outputs = []
    answer.source = "dg = 3*x**2"
    stopped.source = "while True:\n    pass\ndg = 3*x**2 - 6*x - 9"
    assert _why_not_run(nb, "1.5a", "", 60) == (
        "the cell starting 'while True:' ran out of time: the grader stopped it after 60 s "
        "(an endless loop, or a loop far too long?) before it defined `dg`")
