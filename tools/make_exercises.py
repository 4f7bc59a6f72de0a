"""Write exercises/*.ipynb from solutions/*.ipynb: the learner's copy, solutions removed.

    python tools/make_exercises.py           # (re)write exercises/
    python tools/make_exercises.py --check   # exit 1, naming each file, if exercises/ is stale

For every notebook in solutions/:

- each code block between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes
  ``# YOUR CODE HERE`` and ``...`` at the markers' indentation.  A block at the top
  level of a cell that assigns names gets one ``name = ...`` line per name instead
  of the bare ``...``, so the check cell after it still runs (and reports "not
  attempted") rather than stopping at a NameError;
- text between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` in a
  markdown cell is removed;
- cells tagged ``solution-only`` are dropped;
- outputs and execution counts are cleared, and metadata is kept only where a
  learner's notebook needs it (kernelspec, language name, the ``nnlib`` chapter
  number; cell tags).

The output is byte-for-byte deterministic: nbformat's own JSON layout, cell ids
kept from the solutions notebook.
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# The newlines before a hidden block go with it, so no blank lines are left behind.
MD_BLOCK = re.compile(r"\n*[ \t]*<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->[ \t]*", re.S)
SOLUTION_ONLY_TAG = "solution-only"
NOTEBOOK_METADATA = ("kernelspec", "nnlib")
CELL_METADATA = ("tags",)


class SolutionMarkerError(ValueError):
    """A BEGIN without END, an END without BEGIN, or a BEGIN inside a block."""


def blank_code(source: str, where: str = "cell") -> str:
    """The cell's source with every solution block replaced by the learner's placeholder."""
    lines = source.split("\n")
    out: list[str] = []
    block: list[str] | None = None
    indent = ""
    for number, line in enumerate(lines, 1):
        marker = line.strip()
        if marker == BEGIN:
            if block is not None:
                raise SolutionMarkerError(f"{where}, line {number}: {BEGIN} inside a solution block")
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif marker == END:
            if block is None:
                raise SolutionMarkerError(f"{where}, line {number}: {END} without {BEGIN}")
            out.append(f"{indent}# YOUR CODE HERE")
            names = assigned_names("\n".join(block)) if indent == "" else []
            out.extend([f"{name} = ..." for name in names] or [f"{indent}..."])
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise SolutionMarkerError(f"{where}: {BEGIN} without {END}")
    return "\n".join(out)


def assigned_names(code: str) -> list[str]:
    """Names bound at the top level of ``code`` (assignments, def, class), in order, once each."""
    try:
        tree = ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return []
    names: list[str] = []

    def add(target):
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                add(element)

    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                add(target)
        elif isinstance(statement, ast.AnnAssign):
            add(statement.target)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(statement.name)
    return list(dict.fromkeys(names))


def make_exercise(solution: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """The learner's notebook built from a solutions notebook (which is left unchanged)."""
    metadata = {k: solution.metadata[k] for k in NOTEBOOK_METADATA if k in solution.metadata}
    metadata["language_info"] = {"name": solution.metadata.get("language_info", {}).get("name", "python")}
    exercise = nbformat.v4.new_notebook(metadata=metadata)
    exercise.nbformat, exercise.nbformat_minor = 4, 5
    for index, cell in enumerate(solution.cells):
        tags = [t for t in cell.get("metadata", {}).get("tags", []) if t != SOLUTION_ONLY_TAG]
        if SOLUTION_ONLY_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        where = f"{name}, cell {index}"
        cell_id = cell.get("id") or f"cell-{index}"
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(blank_code(cell.source, where))
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(MD_BLOCK.sub("", cell.source))
            if "attachments" in cell:
                new.attachments = cell.attachments
        else:
            new = nbformat.v4.new_raw_cell(cell.source)
        new.id = cell_id
        new.metadata = {k: cell.metadata[k] for k in CELL_METADATA if k in cell.get("metadata", {})}
        if tags:
            new.metadata["tags"] = tags
        else:
            new.metadata.pop("tags", None)
        exercise.cells.append(new)
    return exercise


def render(solution_path: Path) -> str:
    """The exact text of the exercise notebook for one solutions notebook."""
    solution = nbformat.read(solution_path, as_version=4)
    text = nbformat.writes(make_exercise(solution, solution_path.name))
    return text if text.endswith("\n") else text + "\n"


def plan(solutions: Path, exercises: Path) -> dict[Path, str]:
    """Every exercises/ file that should exist, mapped to its text."""
    return {exercises / path.name: render(path) for path in sorted(solutions.glob("*.ipynb"))}


def stale_files(solutions: Path, exercises: Path) -> list[str]:
    """Why exercises/ differs from what this tool writes: one line per file, [] when in sync."""
    wanted = plan(solutions, exercises)
    problems = []
    for path, text in wanted.items():
        if not path.exists():
            problems.append(f"{path}: missing")
        elif path.read_bytes() != text.encode("utf-8"):
            problems.append(f"{path}: differs from what {solutions / path.name} gives")
    for path in sorted(exercises.glob("*.ipynb")):
        if path not in wanted:
            problems.append(f"{path}: has no source in {solutions}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if exercises/ is not what the tool would write")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions")
    parser.add_argument("--exercises", type=Path, default=ROOT / "exercises")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = stale_files(args.solutions, args.exercises)
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print("run: python tools/make_exercises.py", file=sys.stderr)
                return 1
            print(f"{args.exercises} is up to date")
            return 0
        args.exercises.mkdir(parents=True, exist_ok=True)
        for path, text in plan(args.solutions, args.exercises).items():
            path.write_bytes(text.encode("utf-8"))
            print(f"wrote {path}")
        return 0
    except SolutionMarkerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
