"""What the benchmark scripts share: the checkout's nnlib, machine facts, timing, tables.

Importing this module puts the repository root first on ``sys.path``, so the scripts
measure the nnlib of this checkout whatever is installed in the environment.
"""
from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, e.g. '0.42 0.40 0.31'."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask), not the machine's total."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def numpy_blas_threads() -> tuple[int, str]:
    """(threads numpy's BLAS uses, how we know).

    threadpoolctl asks the BLAS library itself; without it we fall back to the
    variables OpenBLAS reads at start-up, and else to the usable cores, which is
    OpenBLAS's default.
    """
    try:
        import threadpoolctl
    except ImportError:
        threadpoolctl = None
    if threadpoolctl is not None:
        blas = [p for p in threadpoolctl.threadpool_info() if p.get("user_api") == "blas"]
        # numpy's wheel ships its BLAS in numpy.libs/; scipy, if loaded, has its own copy.
        ours = [p for p in blas if Path(p["filepath"]).parent.name.startswith("numpy")] or blas
        if ours:
            return int(ours[0]["num_threads"]), "threadpoolctl"
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var]), f"${var}"
    return usable_cores(), "assumed: usable cores (install threadpoolctl to ask BLAS)"


def limit_blas_threads(n: int):
    """Make numpy's BLAS use ``n`` threads from now on; keep the returned object alive.

    Needs threadpoolctl; without it, start Python with OPENBLAS_NUM_THREADS=n instead.
    """
    try:
        import threadpoolctl
    except ImportError:
        raise SystemExit("--threads needs threadpoolctl (pip install threadpoolctl); or start "
                         f"the script with OPENBLAS_NUM_THREADS={n} in the environment") from None
    return threadpoolctl.threadpool_limits(limits=n, user_api="blas")


def busy_warning() -> str:
    """A warning line when other work is running on the machine, else ''.

    With other processes on the cores, a BLAS call split over all threads waits for
    its slowest thread, and whole matrix products can stall for milliseconds.
    """
    load = os.getloadavg()[0]
    cores = usable_cores()
    if load < 0.5 * cores:
        return ""
    return (f"NOTE: the machine is busy (1-minute load {load:.2f} on {cores} cores): times "
            "will be longer and noisier than on a quiet machine.")


def numpy_blas_name() -> str:
    """e.g. 'scipy-openblas 0.3.31 (SkylakeX kernels)'."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        text = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy without mode="dicts"
        return "unknown"
    try:
        import threadpoolctl
        arch = {p.get("architecture") for p in threadpoolctl.threadpool_info()
                if p.get("internal_api") == "openblas"} - {None}
        if arch:
            text += f" ({', '.join(sorted(arch))} kernels)"
    except ImportError:
        pass
    return text


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_facts(extra: dict | None = None) -> str:
    """A few lines saying where the figures were measured."""
    threads, how = numpy_blas_threads()
    facts = {
        "CPU": f"{cpu_model()}, {usable_cores()} usable cores (os.cpu_count() = {os.cpu_count()})",
        "Python": f"{platform.python_version()} on {platform.system()} {platform.machine()}",
        "numpy": (f"{np.__version__}, BLAS {numpy_blas_name()}, {threads} "
                  f"thread{'s' if threads != 1 else ''} ({how})"),
    }
    facts.update(extra or {})
    facts["load average"] = f"{load_average()} (1, 5, 15 min) at start"
    width = max(map(len, facts))
    return "\n".join(f"  {k:<{width}}  {v}" for k, v in facts.items())


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20


def timed(fn) -> float:
    """Wall-clock seconds that ``fn()`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median(xs) -> float:
    return statistics.median(xs)


def format_table(header, rows, align=None) -> str:
    """A plain-text table; ``align`` is a string of 'l'/'r', one per column."""
    cells = [list(map(str, header))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    align = align or "l" * len(header)

    def line(row):
        return "  ".join(c.ljust(w) if a == "l" else c.rjust(w)
                         for c, w, a in zip(row, widths, align)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])
