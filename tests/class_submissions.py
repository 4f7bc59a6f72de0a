"""A class's folder of chapter 1 submissions, for the gradebook tests: right, partly wrong,
blank, broken, endless, enormous, renamed, and forging ones.

``make_class(folder)`` writes the notebooks and returns {relative path: expected}, where
expected is the set of part ids whose answers in that notebook are really right (they, and
only they, earn their points), or the string "error" for a file that cannot be graded.
The notebooks are the chapter's own solutions and exercises with a few cells changed, so
they run as fast as the chapter's notebooks do; ENDLESS_TIMEOUT is the per-cell time limit
the folder is meant to be graded with.
"""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions" / "01-derivatives.ipynb"
EXERCISES = ROOT / "exercises" / "01-derivatives.ipynb"

#: seconds per cell for grading the folder: a chapter 1 cell takes well under a second
#: alone, this leaves room for a loaded machine, and the endless cells cost only this
ENDLESS_TIMEOUT = 12

new_cell = nbformat.v4.new_code_cell


def _cell(nb, exercise_id: str, kind: str):
    return next(c for c in nb.cells if c.get("id") == f"{exercise_id.replace('.', '-')}-{kind}")


def _ids(nb) -> list[str]:
    return [c["id"][:-len("-check")].replace("-", ".", 1) for c in nb.cells
            if c.get("id", "").endswith("-check")]


def _after_setup(nb, *cells) -> None:
    """Insert cells right after the set-up cells (the first cell that imports check)."""
    position = next(i for i, c in enumerate(nb.cells)
                    if c.cell_type == "code" and "import check" in c.source) + 1
    nb.cells[position:position] = list(cells)


def _fresh_ids(nb) -> None:
    for i, cell in enumerate(nb.cells):
        if "id" not in cell:
            cell["id"] = f"added-{i}"


FORGE_RESULTS = '''\
import glob, json, os, tempfile
ids = {ids!r}
targets = {{os.environ.get("NNLIB_CHECK_RESULTS") or "results.jsonl"}}
targets |= set(glob.glob(os.path.join(tempfile.gettempdir(), "nnlib-grade-*.jsonl")))
for target in targets:
    with open(target, "a") as results:
        for exercise_id in ids:
            results.write(json.dumps({{"id": exercise_id, "status": "correct", "points": 2,
                                      "max_points": 2, "feedback": ""}}) + "\\n")
'''

FORGE_CHECK = '''\
def check(exercise_id, answer, **kwargs):
    print(f"✔ {exercise_id} correct (2/2)")
'''

FORGE_JUDGE = '''\
import nnlib.check
from nnlib import exercises
def judge(exercise_id, answer, **kwargs):
    e = exercises.find(exercise_id)
    return nnlib.check.Verdict(e.id, "correct", e.points, e.points, "")
nnlib.check.judge = judge
'''

FORGE_FIND = '''\
import nnlib.exercises
real_find = nnlib.exercises.find
def find(exercise_id):
    e = real_find(exercise_id)
    return None if e is None else nnlib.exercises.Exercise(
        e.id, e.points, e.title, lambda answer, time_limit=None: (True, ""))
nnlib.exercises.find = find
'''

FORGE_KEY = '''\
import sys, types
import nnlib.exercises, nnlib.exercises.ch01 as real
fake = types.ModuleType("nnlib.exercises.ch01")
fake.TITLE = real.TITLE
fake.EXERCISES = [nnlib.exercises.Exercise(e.id, e.points, e.title,
                                           lambda answer, time_limit=None: (True, ""))
                  for e in real.EXERCISES]
sys.modules["nnlib.exercises.ch01"] = fake
nnlib.exercises.ch01 = fake
'''

FORGE_LIBRARIES = '''\
import numpy as np, sympy as sp
sp.simplify = lambda expr, *args, **kwargs: sp.Integer(0)
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
'''

FORGE_CAPTURE = '''\
import json
import nnlib.grade_kernel as gk
from IPython.display import publish_display_data
def capture(request):
    entries = [{"status": "correct", "verdict": "correct"} for _ in json.loads(request)]
    publish_display_data({gk.MIME: json.dumps({"capture": entries})})
gk.capture = capture
'''

WRONG = {  # answers that are wrong in the typical ways the answer key names
    "1.1a": "df = 12*x**4 - 10*x**2 + 7*x",
    "1.5b": "x_min = -1",
    "1.4d": "def sigmoid_prime(x):\n    s = 1 / (1 + np.exp(-x))\n    return s",
    "1.7c": "order_mystery = 16.0",
}


def make_class(folder) -> dict:
    """Write the class's notebooks into ``folder``; return {relative path: expected}."""
    folder = Path(folder)
    solved = nbformat.read(SOLUTIONS, as_version=4)
    blank = nbformat.read(EXERCISES, as_version=4)
    every = set(_ids(solved))
    expected = {}

    def write(name, nb, right):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        _fresh_ids(nb)
        nbformat.write(nb, path)
        expected[name] = right

    def solutions():
        return copy.deepcopy(solved)

    def exercises():
        return copy.deepcopy(blank)

    write("alice/01-derivatives.ipynb", solutions(), every)
    write("bob/01-derivatives.ipynb", exercises(), set())

    nb = exercises()  # partly done: three right, a few wrong, the rest blank
    for exercise_id in ("1.1b", "1.4d", "1.6b"):
        _cell(nb, exercise_id, "answer").source = _cell(solved, exercise_id, "answer").source
    for exercise_id in ("1.1a", "1.5b"):
        _cell(nb, exercise_id, "answer").source = WRONG[exercise_id]
    write("carol/ex1.ipynb", nb, {"1.1b", "1.4d", "1.6b"})

    nb = solutions()  # every part answered, four wrong
    for exercise_id, source in WRONG.items():
        _cell(nb, exercise_id, "answer").source = source
    # (1.1b and 1.1c still right: the wrong f' happens to be 9 at x = 1 too; 1.5c uses x_min)
    write("dan/01-derivatives.ipynb", nb, every - set(WRONG) - {"1.5c"})

    nb = solutions()  # renamed, no metadata
    del nb.metadata["nnlib"]
    write("erin/my work (copy 2).ipynb", nb, every)

    nb = solutions()  # metadata that says another chapter: the content decides
    nb.metadata["nnlib"] = {"chapter": 3}
    write("frank/homework.ipynb", nb, every)

    nb = solutions()  # a syntax error in one answer
    _cell(nb, "1.6a", "answer").source = "def forward_difference(f, x, h):\n    return ("
    write("grace/01-derivatives.ipynb", nb, every - {"1.6a"})

    nb = solutions()  # an exception in one answer
    _cell(nb, "1.2a", "answer").source = "dp = 1 / 0"
    write("heidi/01-derivatives.ipynb", nb, every - {"1.2a"})

    nb = solutions()  # an endless loop at the top and in one answer (1.5c uses its x_min)
    _after_setup(nb, new_cell("while True:\n    pass"))
    _cell(nb, "1.5b", "answer").source = "x_min = None\nwhile True:\n    pass"
    write("ivan/01-derivatives.ipynb", nb, every - {"1.5b", "1.5c"})

    nb = solutions()  # enormous output, twice
    _after_setup(nb, new_cell("print('x' * 30_000_000)"),
                 new_cell("for i in range(300_000):\n    print(i)"))
    write("judy/01-derivatives.ipynb", nb, every)

    nb = solutions()  # the kernel dies after 1.5c: later parts were never run
    position = nb.cells.index(_cell(nb, "1.5c", "check")) + 1
    nb.cells.insert(position, new_cell("import os\nos._exit(1)"))
    ids = _ids(solved)
    write("ken/01-derivatives.ipynb", nb, set(ids[:ids.index("1.5c") + 1]))

    nb = solutions()  # a loop that swallows the interrupt: the kernel is stopped for good
    position = nb.cells.index(_cell(nb, "1.2a", "check")) + 1
    nb.cells.insert(position, new_cell(
        "while True:\n    try:\n        while True:\n            pass\n"
        "    except BaseException:\n        pass"))
    write("kim/01-derivatives.ipynb", nb, set(ids[:ids.index("1.2a") + 1]))

    (folder / "mallory").mkdir(parents=True, exist_ok=True)
    (folder / "mallory" / "garbage.ipynb").write_text("{not json", encoding="utf-8")
    expected["mallory/garbage.ipynb"] = "error"

    # ---- forging: each gets exactly what its real answers deserve
    nb = exercises()
    nb.cells.append(new_cell(FORGE_RESULTS.format(ids=sorted(every))))
    _after_setup(nb, new_cell(FORGE_RESULTS.format(ids=sorted(every))))
    write("oscar/01-derivatives.ipynb", nb, set())

    nb = exercises()
    _after_setup(nb, new_cell(FORGE_CHECK))
    write("peggy/01-derivatives.ipynb", nb, set())

    nb = solutions()  # a redefined check does not cost real answers their points
    _after_setup(nb, new_cell(FORGE_CHECK))
    write("peggy2/01-derivatives.ipynb", nb, every)

    nb = exercises()
    _after_setup(nb, new_cell(FORGE_JUDGE))
    write("quentin/01-derivatives.ipynb", nb, set())

    nb = exercises()
    _after_setup(nb, new_cell(FORGE_FIND))
    write("rupert/01-derivatives.ipynb", nb, set())

    nb = exercises()
    _after_setup(nb, new_cell(FORGE_KEY))
    for exercise_id in ("1.2a", "1.6b"):
        _cell(nb, exercise_id, "answer").source = _cell(solved, exercise_id, "answer").source
    write("sybil/01-derivatives.ipynb", nb, {"1.2a", "1.6b"})

    nb = solutions()  # the kernel's sympy and numpy told to agree with anything
    _after_setup(nb, new_cell(FORGE_LIBRARIES))
    for exercise_id, source in WRONG.items():
        _cell(nb, exercise_id, "answer").source = source
    write("trent/01-derivatives.ipynb", nb, every - set(WRONG) - {"1.5c"})

    nb = exercises()
    _after_setup(nb, new_cell(FORGE_CAPTURE))
    write("victor/01-derivatives.ipynb", nb, set())

    nb = solutions()  # a checkpoint copy is not a submission
    (folder / "walter" / ".ipynb_checkpoints").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "walter" / ".ipynb_checkpoints" / "01-derivatives-checkpoint.ipynb")
    write("walter/01-derivatives.ipynb", exercises(), set())
    return expected
