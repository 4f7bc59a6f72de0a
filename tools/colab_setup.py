"""Give every chapter and solutions notebook the set-up cell that makes it run on Colab.

    python tools/colab_setup.py           # insert or refresh the cell (then run make_exercises)
    python tools/colab_setup.py --check   # exit 1, naming each notebook whose cell is missing

The cell comes first, is tagged ``remove-cell`` (the website does not show it), and does
nothing where ``nnlib`` can be imported (a local .venv, Binder).  On Colab, which has no
nnlib, it fetches the book (for the library and the MNIST files) and installs the library.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("chapters", "solutions")
CELL_ID = "colab-setup"
TAGS = ["remove-cell"]
REPOSITORY = "https://github.com/nn-derived/neural-networks-derived"
SOURCE = f"""\
# Set-up for Colab: installs the book's library only where it is missing.
import importlib.util
if importlib.util.find_spec("nnlib") is None:
    !git clone --quiet --depth 1 {REPOSITORY} /content/book
    %pip install --quiet -e "/content/book[plot,exercises]"
    import sys; sys.path.insert(0, "/content/book")
    %cd /content/book/chapters"""


def setup_cell():
    cell = nbformat.v4.new_code_cell(SOURCE)
    cell.id = CELL_ID
    cell.metadata = {"tags": list(TAGS)}
    return cell


def has_setup_cell(nb) -> bool:
    first = nb.cells[0] if nb.cells else None
    return (first is not None and first.cell_type == "code" and first.source == SOURCE
            and first.metadata.get("tags") == TAGS)


def notebooks():
    return [p for folder in FOLDERS for p in sorted((ROOT / folder).glob("*.ipynb"))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks without it")
    args = parser.parse_args(argv)
    missing = []
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        if has_setup_cell(nb):
            continue
        missing.append(path.relative_to(ROOT))
        if not args.check:
            nb.cells = [c for c in nb.cells if c.get("id") != CELL_ID]
            nb.cells.insert(0, setup_cell())
            nbformat.write(nb, path)
    for path in missing:
        print(f"{'missing set-up cell' if args.check else 'set-up cell written'}: {path}")
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
