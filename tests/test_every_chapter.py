"""What every chapter of the book has, found from the files themselves: adding a chapter as
CHAPTERS.md describes adds its tests here, and forgetting one of its parts fails here.

For chapter NN with notebook name NN-topic:
chapters/NN-topic.ipynb (listed in _toc.yml), solutions/NN-topic.ipynb, exercises/NN-topic.ipynb
(listed in _toc.yml), nnlib/exercises/chNN.py, nnlib/widgets/chNN.py,
tests/answer_keys/chNN.py and tests/test_widgets_chNN.py.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from nnlib import exercises

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import colab_setup  # noqa: E402  (scripts in tools/, not a package)

sys.path.pop(0)

CHAPTER_NOTEBOOKS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.ipynb"))
SOLUTION_NOTEBOOKS = sorted((ROOT / "solutions").glob("[0-9][0-9]-*.ipynb"))
NAMES = [p.stem for p in CHAPTER_NOTEBOOKS]


def number(name: str) -> int:
    return int(name[:2])


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [entry["file"] for part in toc["parts"] for entry in part["chapters"]]


def test_chapters_are_numbered_one_to_n_without_gaps():
    assert [number(n) for n in NAMES] == list(range(1, len(NAMES) + 1)), NAMES


@pytest.mark.parametrize("name", NAMES)
def test_chapter_has_every_part(name):
    nn = f"{number(name):02d}"
    expected = [f"solutions/{name}.ipynb", f"exercises/{name}.ipynb",
                f"nnlib/exercises/ch{nn}.py", f"nnlib/widgets/ch{nn}.py",
                f"tests/answer_keys/ch{nn}.py", f"tests/test_widgets_ch{nn}.py"]
    if nn == "01":
        expected[-1] = "tests/test_widgets.py"
    missing = [path for path in expected if not (ROOT / path).is_file()]
    assert not missing, f"chapter {name} lacks {missing}"
    toc = toc_files()
    assert f"chapters/{name}" in toc and f"exercises/{name}" in toc, f"{name} is not in _toc.yml"
    assert number(name) in exercises.CHAPTER_MODULES


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS + SOLUTION_NOTEBOOKS,
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_begins_with_the_colab_set_up_cell(path):
    assert colab_setup.has_setup_cell(nbformat.read(path, as_version=4)), \
        f"{path.name}: run tools/colab_setup.py"


def run_setup_cell(nnlib_installed: bool, monkeypatch) -> list[str]:
    """Run the set-up cell as IPython would, recording its shell and magic commands."""
    import importlib.util

    from IPython.core.inputtransformer2 import TransformerManager

    calls = []

    class FakeShell:
        def system(self, command):
            calls.append("!" + command)

        def run_line_magic(self, name, line, *args):
            calls.append(f"%{name} {line}")

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: (
        real_find_spec(name, *a) if nnlib_installed or name != "nnlib" else None))
    monkeypatch.setattr(sys, "path", list(sys.path))
    code = TransformerManager().transform_cell(colab_setup.SOURCE)
    exec(compile(code, "set-up cell", "exec"), {"get_ipython": FakeShell})
    return calls


def test_colab_set_up_cell_installs_only_where_nnlib_is_missing(monkeypatch):
    assert run_setup_cell(True, monkeypatch) == []
    calls = run_setup_cell(False, monkeypatch)
    assert [c.split()[0] for c in calls] == ["!git", "%pip", "%cd"], calls
    assert colab_setup.REPOSITORY in calls[0]
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert colab_setup.REPOSITORY == config["repository"]["url"].rstrip("/")


@pytest.mark.parametrize("solution", SOLUTION_NOTEBOOKS, ids=lambda p: p.name)
def test_every_answer_cell_of_the_exercises_is_blank_and_still_runs(solution):
    nb = nbformat.read(ROOT / "exercises" / solution.name, as_version=4)
    chapter = nb.metadata["nnlib"]["chapter"]
    answers = [c for c in nb.cells if c.cell_type == "code" and "# YOUR CODE HERE" in c.source]
    assert len(answers) >= 5, f"{solution.name}: only {len(answers)} answer cells"
    for cell in answers:
        after = cell.source.split("# YOUR CODE HERE", 1)[1].strip().splitlines()
        # either a bare `...` (inside a function) or `name = ...` lines the check cell can read
        assert after and all(line.strip() == "..." or line.endswith(" = ...") for line in after)
    parts = exercises.chapter_exercises(chapter)
    assert len(parts) >= 15, f"chapter {chapter} has {len(parts)} graded parts, needs 15"
    assert len({p.id.rstrip("abcdefghij") for p in parts}) >= 5


# ---- grading every chapter: each notebook is executed once, in a fresh kernel.
# (The solutions, renamed, are graded in tests/test_binder_requirements.py, in a fresh venv.)

def grade(path: Path) -> dict:
    run = subprocess.run([sys.executable, "-m", "nnlib.grade", "--no-progress", "--json", str(path)],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


@pytest.mark.parametrize("solution", SOLUTION_NOTEBOOKS, ids=lambda p: p.name)
def test_blank_exercises_get_zero(solution):
    report = grade(ROOT / "exercises" / solution.name)
    assert report["points"] == 0 and report["max_points"] > 0, json.dumps(report)[:3000]


# ---- the directions of imports between the library's parts

CORE = {"layers", "activations", "losses", "optim", "network", "gradcheck", "data", "autodiff", "perceptron",
        "_checks"}
PRESENTATION = {"plot", "widgets"}
GRADING = {"check", "grade", "gradebook", "grade_kernel", "exercises"}
ALLOWED = {"core": CORE, "presentation": CORE | PRESENTATION, "grading": CORE | GRADING}
IMPORT = re.compile(r"^\s*(?:from\s+(\.+|nnlib\.?)([\w.]*)\s+import\s+([\w, ()*]+)|import\s+nnlib\.([\w.]+))",
                    re.M)


def part_of(module: str) -> str | None:
    top = module.split(".")[0]
    for part, members in (("core", CORE), ("presentation", PRESENTATION), ("grading", GRADING)):
        if top in members:
            return part
    return None


def imported_modules(path: Path) -> set[str]:
    """The nnlib modules a file of nnlib imports (relative and absolute imports)."""
    here = path.relative_to(ROOT / "nnlib").with_suffix("").parts
    package = list(here[:-1])
    found = set()
    for dots, module, names, plain in IMPORT.findall(path.read_text(encoding="utf-8")):
        if plain:
            found.add(plain)
            continue
        if dots.startswith("nnlib"):
            base = []
        else:
            base = package[: len(package) - (len(dots) - 1)]
        target = [*base, *[m for m in module.split(".") if m]]
        if target:
            found.add(".".join(target))
        else:  # "from . import plot": the names are modules
            found |= {n.strip(" ()") for n in names.split(",") if n.strip(" ()")}
    return found


LIBRARY_FILES = sorted(p for p in (ROOT / "nnlib").rglob("*.py") if p.name != "__init__.py"
                       or p.parent != ROOT / "nnlib")


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda p: str(p.relative_to(ROOT / "nnlib")))
def test_imports_go_only_the_allowed_directions(path):
    """core <- presentation (plot, widgets), core <- grading (check, grade, exercises);
    presentation and grading never import each other; no chapter module imports another's."""
    own = path.relative_to(ROOT / "nnlib").with_suffix("").parts
    part = part_of(own[0])
    assert part, f"{path} belongs to no part of the library"
    for module in imported_modules(path):
        target = part_of(module)
        if target is None:
            continue
        assert module.split(".")[0] in ALLOWED[part], f"{'/'.join(own)} ({part}) imports {module}"
        chapter = re.fullmatch(r"(widgets|exercises)\.ch\d\d", module)
        if chapter and own[-1].startswith("ch"):
            assert module.endswith(own[-1]), f"{'/'.join(own)} imports another chapter's {module}"


def test_the_import_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    # The check above must be able to fail: a core module importing plot is caught.
    fake_root = tmp_path
    (fake_root / "nnlib").mkdir()
    bad = fake_root / "nnlib" / "layers.py"
    bad.write_text("from .plot import COLORS\nfrom .widgets import ch02\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    assert imported_modules(bad) == {"plot", "widgets"}
    with pytest.raises(AssertionError, match="imports (plot|widgets)"):
        test_imports_go_only_the_allowed_directions(bad)
