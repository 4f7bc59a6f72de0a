"""requirements.txt alone is enough to run the book, as Binder will run it.

Binder builds its environment from requirements.txt and nothing else.  This
test does the same in a fresh virtualenv (pip's cache keeps it quick), imports
what every chapter imports, and grades every solutions notebook on that
virtualenv's own kernel.  A package that a notebook imports but
requirements.txt forgets makes it fail.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import venv
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((REPO / "chapters").glob("[0-9][0-9]-*.ipynb"))
SOLUTIONS = sorted((REPO / "solutions").glob("[0-9][0-9]-*.ipynb"))


def _top_level_imports(path: Path) -> list[str]:
    """The top-level import statements of a notebook's code cells (IPython's ! and % lines,
    which are not Python, are left out before parsing)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "\n".join(line for line in "".join(cell["source"]).splitlines()
                           if not line.lstrip().startswith(("!", "%")))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        found += [ast.get_source_segment(source, node) for node in tree.body
                  if isinstance(node, (ast.Import, ast.ImportFrom))]
    return found


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def _clean_env(venv_dir: Path) -> dict:
    """The environment of a shell in which only the fresh virtualenv is active."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{venv_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv_dir)
    env["MPLBACKEND"] = "Agg"
    return env


@pytest.mark.slow
def test_renamed_solutions_get_full_marks_in_a_fresh_venv_from_requirements_txt(tmp_path):
    assert SOLUTIONS and CHAPTERS
    venv_dir = tmp_path / "binder-venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    python = venv_dir / "bin" / "python"
    env = _clean_env(venv_dir)

    # Without a package registry the notebooks are still graded, in this venv, and we say so.
    probe = _run([python, "-m", "pip", "index", "versions", "nbformat"], env=env, timeout=120)
    if probe.returncode == 0:
        # As Binder does: requirements.txt, from the repository root (it ends with "-e .").
        install = _run([python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
                       cwd=REPO, env=env, timeout=900)
        assert install.returncode == 0, \
            f"pip install -r requirements.txt failed:\n{install.stderr[-3000:]}"
    else:
        warnings.warn("the package registry is unreachable: the solutions are graded in the "
                      "test's own environment, not in a fresh one made from requirements.txt")
        python, env = Path(sys.executable), dict(os.environ)

    # Every chapter's imports, then every solutions notebook graded on the venv's own kernel.
    imports = sorted({line.strip() for path in CHAPTERS for line in _top_level_imports(path)})
    probe = _run([python, "-c", "\n".join(imports)], cwd=REPO / "chapters", env=env, timeout=300)
    assert probe.returncode == 0, f"a chapter's import fails in the fresh venv:\n{probe.stderr[-3000:]}"
    for solution in SOLUTIONS:
        # A renamed copy, as a learner hands it in: the grader must not need the file's name.
        copy = tmp_path / f"my answers ({solution.stem}) final v2.ipynb"
        copy.write_bytes(solution.read_bytes())
        run = _run([python, "-m", "nnlib.grade", "--no-progress", "--json", str(copy)],
                   cwd=tmp_path, env=env, timeout=900)
        assert run.returncode == 0, f"{solution.name} could not be graded:\n{run.stderr[-3000:]}"
        report = json.loads(run.stdout)
        assert report["points"] == report["max_points"] > 0, \
            f"{solution.name} in the fresh venv: {json.dumps(report)[:3000]}"
