"""requirements.txt alone is enough to run the book, as Binder will run it.

Binder builds its environment from requirements.txt and nothing else.  This
test does the same in a fresh virtualenv (pip's cache keeps it quick), then
executes chapter 1 on that virtualenv's own kernel.  A package that a chapter
imports but requirements.txt forgets makes it fail.
"""
from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHAPTER = REPO / "chapters" / "01-derivatives.ipynb"

# Runs inside the fresh virtualenv: execute the chapter with nbclient, then one
# more cell that reports which Python the kernel was.
EXECUTE = r"""
import json, sys
import nbclient, nbformat

chapter, out = sys.argv[1], sys.argv[2]
nb = nbformat.read(chapter, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.prefix)"))
client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                 resources={"metadata": {"path": sys.argv[3]}})
client.execute()
nbformat.write(nb, out)
print(json.dumps({"kernel_prefix": nb.cells[-1].outputs[0]["text"].strip()}))
"""


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
def test_chapter_1_runs_in_a_fresh_venv_made_from_requirements_txt_alone(tmp_path):
    assert CHAPTER.is_file(), f"{CHAPTER} is missing"
    venv_dir = tmp_path / "binder-venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    python = venv_dir / "bin" / "python"
    env = _clean_env(venv_dir)

    # Skip only when pip cannot reach its package index at all.
    probe = _run([python, "-m", "pip", "index", "versions", "nbformat"], env=env, timeout=120)
    if probe.returncode != 0:
        pytest.skip(f"the package registry is unreachable: {probe.stderr.strip()[-300:]}")

    # As Binder does: requirements.txt, from the repository root (it ends with "-e .").
    install = _run([python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
                   cwd=REPO, env=env, timeout=900)
    assert install.returncode == 0, f"pip install -r requirements.txt failed:\n{install.stderr[-3000:]}"

    out = tmp_path / "01-derivatives.executed.ipynb"
    run = _run([python, "-c", EXECUTE, str(CHAPTER), str(out), str(CHAPTER.parent)],
               cwd=tmp_path, env=env, timeout=900)
    assert run.returncode == 0, f"chapter 1 failed in the fresh venv:\n{run.stderr[-4000:]}"

    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(report["kernel_prefix"]).resolve() == venv_dir.resolve(), \
        f"the kernel ran on {report['kernel_prefix']}, not on the fresh venv"
    executed = json.loads(out.read_text(encoding="utf-8"))
    errors = [output for cell in executed["cells"] for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors, errors
    n_code = sum(cell["cell_type"] == "code" for cell in executed["cells"])
    n_run = sum(cell.get("execution_count") is not None for cell in executed["cells"]
                if cell["cell_type"] == "code")
    assert n_run == n_code, f"only {n_run} of {n_code} code cells ran"
