"""Grading a class: a folder of chapter 1 submissions (right, wrong, blank, broken, endless,
enormous, renamed and forging) graded once, in parallel, into a gradebook.

Every notebook must get exactly the points its real answers deserve, whatever its cells
write or replace in its own kernel; the CSV must say what the per-notebook reports say.
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from class_submissions import ENDLESS_TIMEOUT, make_class
from nnlib import exercises

POINTS = {e.id: e.points for e in exercises.chapter_exercises(1)}
FULL = sum(POINTS.values())
GRADER = "nnlib.grade"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    expected = make_class(folder / "submissions")
    book = folder / "gradebook.csv"
    run = subprocess.run(
        [sys.executable, "-m", GRADER, str(folder / "submissions"), "--jobs", "2",
         "--timeout", str(ENDLESS_TIMEOUT), "--csv", str(book), "--json", "--no-progress"],
        capture_output=True, text=True, timeout=900, cwd=folder)
    report = json.loads(run.stdout)
    with open(book, newline="", encoding="utf-8") as rows:
        table = list(csv.DictReader(rows))
    root = str(folder / "submissions") + "/"
    notebooks = {n["path"].replace(root, ""): n for n in report["notebooks"]}
    return run, expected, notebooks, report, table, root


def test_the_class_is_big_enough(graded):
    _, expected, *_ = graded
    assert len(expected) >= 20


def test_every_notebook_gets_what_its_real_answers_deserve(graded):
    run, expected, notebooks, report, *_ = graded
    for name, right in expected.items():
        if right == "error":
            assert name not in notebooks
            continue
        assert name in notebooks, (name, run.stderr[-2000:])
        notebook = notebooks[name]
        got = {row["id"] for row in notebook["rows"] if row["status"] == "correct"}
        assert got == right, (name, {r["id"]: r["feedback"] for r in notebook["rows"]
                                     if (r["id"] in got) != (r["id"] in right)})
        assert notebook["points"] == sum(POINTS[i] for i in right), name
        assert notebook["max_points"] == FULL and notebook["chapter"] == 1, name


def test_a_file_that_is_no_notebook_is_reported_and_the_others_are_graded(graded):
    run, expected, notebooks, report, *_ = graded
    assert run.returncode == 1
    assert len(report["errors"]) == 1 and "garbage.ipynb" in report["errors"][0]
    assert "cannot read it as a notebook" in report["errors"][0]
    assert len(notebooks) == len(expected) - 1


def test_checkpoint_copies_are_not_submissions(graded):
    _, _, notebooks, *_ = graded
    assert not any(".ipynb_checkpoints" in name for name in notebooks)


def test_the_gradebook_matches_the_reports(graded):
    _, expected, notebooks, report, table, root = graded
    assert len(table) == len(expected)
    assert list(table[0])[:2] == ["path", "chapter"]
    assert list(table[0])[2:2 + len(POINTS)] == list(POINTS)
    assert list(table[0])[-3:] == ["total", "max", "status"]
    for row in table:
        name = row["path"].replace(root, "")
        if expected[name] == "error":
            assert row["status"].startswith("not graded:") and row["total"] == ""
            continue
        notebook = notebooks[name]
        assert {i: int(row[i]) for i in POINTS} == {r["id"]: r["points"] for r in notebook["rows"]}
        assert (int(row["total"]), int(row["max"])) == (notebook["points"], notebook["max_points"])
        assert row["status"].startswith("graded")


def test_broken_endless_and_dead_notebooks_say_why(graded):
    _, _, notebooks, *_ = graded

    def row(name, exercise_id):
        return next(r for r in notebooks[name]["rows"] if r["id"] == exercise_id)

    assert "SyntaxError" in row("grace/01-derivatives.ipynb", "1.6a")["feedback"]
    assert "ZeroDivisionError" in row("heidi/01-derivatives.ipynb", "1.2a")["feedback"]
    assert row("ivan/01-derivatives.ipynb", "1.5b")["feedback"].startswith(
        "the cell starting 'x_min = None' ran out of time")
    assert "kernel died" in " ".join(notebooks["ken/01-derivatives.ipynb"]["notes"])
    assert row("kim/01-derivatives.ipynb", "1.2b")["feedback"].startswith(
        "a cell could not be stopped after its time limit (the cell starting 'while True:')")
    assert "1.5b" in row("dan/01-derivatives.ipynb", "1.5c")["feedback"]  # it builds on 1.5b
    assert "local maximum" in row("trent/01-derivatives.ipynb", "1.5b")["feedback"]


def test_a_hijacked_capture_is_named_not_trusted(graded):
    _, _, notebooks, *_ = graded
    rows = notebooks["victor/01-derivatives.ipynb"]["rows"]
    assert all(r["points"] == 0 for r in rows)
    assert rows[0]["feedback"].startswith("the grader could not read its answer")
