"""exercises/ is exactly what tools/make_exercises.py makes from solutions/, no solution
text leaks into it, and the notebooks agree with the exercise registry of nnlib."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nnlib import exercises
from nnlib.grade import CHECK_CALL
from nnlib.exercises import ch01

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_exercises  # noqa: E402  (a script in tools/, not a package)

SOLUTIONS, EXERCISES = ROOT / "solutions", ROOT / "exercises"
SOLUTION_NOTEBOOKS = sorted(SOLUTIONS.glob("*.ipynb"))


def solution_lines(source: str) -> list[str]:
    """The non-blank lines between BEGIN and END SOLUTION markers (code and markdown)."""
    blocks = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S)
    blocks += re.findall(r"<!-- BEGIN SOLUTION -->(.*?)<!-- END SOLUTION -->", source, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_there_is_a_solutions_notebook_for_chapter_1():
    assert SOLUTIONS / "01-derivatives.ipynb" in SOLUTION_NOTEBOOKS


def test_exercises_folder_is_exactly_what_the_tool_writes():
    assert make_exercises.stale_files(SOLUTIONS, EXERCISES) == []


def test_check_option_passes_now_and_names_a_stale_file(tmp_path):
    ok = subprocess.run([sys.executable, str(ROOT / "tools" / "make_exercises.py"), "--check"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    stale = tmp_path / "exercises"
    shutil.copytree(EXERCISES, stale)
    edited = stale / "01-derivatives.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("# YOUR CODE HERE", "# done", 1),
                      encoding="utf-8")
    (stale / "99-orphan.ipynb").write_text("{}", encoding="utf-8")
    bad = subprocess.run([sys.executable, str(ROOT / "tools" / "make_exercises.py"), "--check",
                          "--exercises", str(stale)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "01-derivatives.ipynb: differs" in bad.stderr
    assert "99-orphan.ipynb: has no source" in bad.stderr


@pytest.mark.parametrize("solution", SOLUTION_NOTEBOOKS, ids=lambda p: p.name)
def test_no_solution_text_leaks_into_the_exercises(solution):
    text = (EXERCISES / solution.name).read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    leaked_from = nbformat.reads(text, as_version=4)
    exercise_lines = {line.strip() for cell in leaked_from.cells for line in cell.source.splitlines()}
    hidden = [line for cell in nbformat.read(solution, as_version=4).cells
              for line in solution_lines(cell.source)]
    assert len(hidden) >= 20  # the test looks at real solutions, not at nothing
    assert [line for line in hidden if line in exercise_lines] == []


@pytest.mark.parametrize("folder", [SOLUTIONS, EXERCISES], ids=["solutions", "exercises"])
def test_notebooks_are_committed_without_outputs_and_with_the_python3_kernel(folder):
    for path in folder.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata.kernelspec.name == "python3"
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, (path, cell.id)


def test_blank_code_keeps_indentation_and_leaves_names_the_check_cell_needs():
    source = ("import numpy as np\n"
              "### BEGIN SOLUTION\nslope, intercept = np.polyfit(a, b, 1)\norder = slope\n"
              "### END SOLUTION\n"
              "def f(x):\n    '''doc'''\n    ### BEGIN SOLUTION\n    return 2 * x\n"
              "    ### END SOLUTION\n")
    assert make_exercises.blank_code(source) == (
        "import numpy as np\n# YOUR CODE HERE\nslope = ...\nintercept = ...\norder = ...\n"
        "def f(x):\n    '''doc'''\n    # YOUR CODE HERE\n    ...\n")


@pytest.mark.parametrize("source", [
    "### BEGIN SOLUTION\nx = 1\n",
    "x = 1\n### END SOLUTION\n",
    "### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n",
])
def test_unbalanced_solution_markers_are_refused(source):
    with pytest.raises(make_exercises.SolutionMarkerError):
        make_exercises.blank_code(source)


def test_hidden_markdown_and_solution_only_cells_are_removed():
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"},
                                            "nnlib": {"chapter": 1},
                                            "widgets": {"state": 1}})
    nb.cells = [nbformat.v4.new_markdown_cell("Intro.\n\n<!-- BEGIN SOLUTION -->\nSecret.\n"
                                              "<!-- END SOLUTION -->\n\nMore."),
                nbformat.v4.new_code_cell("print('alternative')",
                                          metadata={"tags": ["solution-only"]}),
                nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["hide-input"], "scrolled": True},
                                          execution_count=3,
                                          outputs=[nbformat.v4.new_output("stream", text="1")])]
    out = make_exercises.make_exercise(nb)
    assert [c.source for c in out.cells] == ["Intro.\n\nMore.", "x = 1"]
    assert out.cells[1].metadata == {"tags": ["hide-input"]}
    assert out.cells[1].outputs == [] and out.cells[1].execution_count is None
    assert set(out.metadata) == {"kernelspec", "nnlib", "language_info"}


def test_rendering_is_deterministic_and_laid_out_as_nbformat_writes_it():
    path = SOLUTIONS / "01-derivatives.ipynb"
    text = make_exercises.render(path)
    assert text == make_exercises.render(path)
    saved = io.StringIO()  # what Jupyter itself would write: saving changes nothing
    nbformat.write(nbformat.reads(text, as_version=4), saved)
    assert saved.getvalue() == text


@pytest.mark.parametrize("solution", SOLUTION_NOTEBOOKS, ids=lambda p: p.name)
def test_each_registered_part_has_exactly_one_check_cell(solution):
    nb = nbformat.read(solution, as_version=4)
    called = [i for cell in nb.cells if cell.cell_type == "code" for i in CHECK_CALL.findall(cell.source)]
    chapter = nb.metadata["nnlib"]["chapter"]
    assert sorted(called) == sorted(e.id for e in exercises.chapter_exercises(chapter))


def test_the_table_printed_in_exercise_1_7c_is_the_one_the_check_uses():
    nb = nbformat.read(SOLUTIONS / "01-derivatives.ipynb", as_version=4)
    namespace = {}
    table_cell = next(c for c in nb.cells if "error_table = " in c.source)
    for line in table_cell.source.splitlines():
        if line.startswith(("h_table", "error_table")):
            exec(line, {"np": __import__("numpy")}, namespace)
    assert list(namespace["h_table"]) == list(ch01.H_TABLE_17)
    assert list(namespace["error_table"]) == list(ch01.ERROR_TABLE_17)
