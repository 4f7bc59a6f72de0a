"""Execute the book's notebooks in parallel into the build's execution cache.

    python tools/execute_notebooks.py [--jobs N]

Jupyter Book executes the notebooks of a build one after another.  This runs first
(``make book`` calls it): every notebook listed in ``_toc.yml`` whose code changed since
its last run is executed, ``--jobs`` at a time (default: the number of cores), each in its
own folder as the build would, and stored in ``_build/.jupyter_cache``.  The build then
finds them all cached.  A notebook that fails here is simply not stored: the build runs it
again and reports its error in its usual way, so this step never hides a failure.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "_build" / ".jupyter_cache"


def book_notebooks() -> list[Path]:
    """The notebooks of _toc.yml, in its order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [entry["file"] for part in toc.get("parts", []) for entry in part["chapters"]]
    return [ROOT / f"{name}.ipynb" for name in files if (ROOT / f"{name}.ipynb").is_file()]


def execution_settings() -> tuple[int, bool]:
    """The per-cell timeout and allow_errors of _config.yml, as the build uses them."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    execute = config.get("execute", {})
    return int(execute.get("timeout", 30)), bool(execute.get("allow_errors", False))


def execute(path: Path, timeout: int, allow_errors: bool):
    """Run one notebook in its own folder; return (path, executed notebook or None, seconds, error)."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(path, as_version=4)
    result = single_nb_execution(nb, cwd=str(path.parent), timeout=timeout,
                                 allow_errors=allow_errors, meta_override=True)
    error = None if result.err is None else f"{type(result.err).__name__}"
    return path, (None if error else nb), result.time, error


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(CACHE))
    stale = []
    for path in book_notebooks():
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            stale.append(path)
    if not stale:
        print("execute_notebooks: every notebook is cached")
        return 0
    timeout, allow_errors = execution_settings()
    start = time.perf_counter()
    print(f"execute_notebooks: running {len(stale)} notebooks, {args.jobs} at a time", flush=True)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        jobs = [pool.submit(execute, path, timeout, allow_errors) for path in stale]
        for job in as_completed(jobs):
            path, nb, seconds, error = job.result()
            name = path.relative_to(ROOT)
            if nb is None:
                print(f"  {name}: failed ({error}); the build will run it again and show why")
                continue
            uri = cache.add_nb_to_project(str(path)).uri
            cache.cache_notebook_bundle(CacheBundleIn(nb, uri, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            print(f"  {name}: {seconds:.1f} s", flush=True)
    print(f"execute_notebooks: done in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
