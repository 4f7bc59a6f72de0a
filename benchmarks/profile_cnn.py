"""Where nnlib's CNN training time goes, layer by layer.

Two networks: ``bench``, the CNN of bench_mnist.py (Conv2D 1->5, Sigmoid, Dense
3380->100, Sigmoid, Dense 100->10; SGD, batch 64) and ``train``, the CNN of
train_mnist.py (Conv2D 1->16, ReLU, MaxPool2D, Conv2D 16->32, ReLU, MaxPool2D,
Dense 800->128, ReLU, Dense 128->10; Adam, batch 64).  For each, on 8,192 MNIST
images in float32, it times every layer's forward and backward, the loss and the
optimiser step inside one real training epoch (instrumented), then whole epochs
without instrumentation; ``--cprofile`` adds cProfile's view of one epoch.

    python benchmarks/profile_cnn.py [--net bench|train|both] [--repeats 5] [--cprofile]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import defaultdict

import _common  # noqa: F401  (first: puts this checkout's nnlib on sys.path)
import numpy as np
from _common import format_table, load_average, median, timed

import nnlib
from nnlib import (SGD, Adam, Conv2D, CrossEntropy, Dense, Flatten, MaxPool2D, ReLU, Sequential,
                   Sigmoid)

N_IMAGES, BATCH_SIZE, DTYPE = 8192, 64, np.float32


def bench_cnn() -> Sequential:
    return Sequential([Conv2D(1, 5, 3, rng=0, dtype=DTYPE), Sigmoid(), Flatten(),
                       Dense(3380, 100, rng=1, dtype=DTYPE), Sigmoid(),
                       Dense(100, 10, rng=2, dtype=DTYPE)])


def train_cnn() -> Sequential:
    return Sequential([Conv2D(1, 16, 3, rng=0, dtype=DTYPE, init="he"), ReLU(), MaxPool2D(2),
                       Conv2D(16, 32, 3, rng=1, dtype=DTYPE, init="he"), ReLU(), MaxPool2D(2),
                       Flatten(), Dense(800, 128, rng=2, dtype=DTYPE, init="he"), ReLU(),
                       Dense(128, 10, rng=3, dtype=DTYPE)])


NETS = {"bench": (bench_cnn, lambda: SGD(0.1)), "train": (train_cnn, lambda: Adam(1e-3))}


class Timers:
    """Wraps methods of objects so that every call adds its duration to a named total."""

    def __init__(self):
        self.total = defaultdict(float)

    def wrap(self, obj, method, label):
        original = getattr(obj, method)

        def timed_call(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.total[label] += time.perf_counter() - start

        setattr(obj, method, timed_call)


def fit_epoch(net, optimizer, x, y, loss=None):
    return net.fit(x, y, loss or CrossEntropy(), optimizer, batch_size=BATCH_SIZE,
                   shuffle=False, progress=False)


def breakdown(build, make_optimizer, x, y):
    """{label: ms per step} for one instrumented epoch (after a warm-up)."""
    net = build()
    fit_epoch(net, make_optimizer(), x[:4 * BATCH_SIZE], y[:4 * BATCH_SIZE])
    timers = Timers()
    for i, layer in enumerate(net.layers):
        timers.wrap(layer, "forward", f"{i} {layer!r} forward")
        timers.wrap(layer, "backward", f"{i} {layer!r} backward")
    loss, optimizer = CrossEntropy(), make_optimizer()
    timers.wrap(loss, "value", "loss value")
    timers.wrap(loss, "grad", "loss grad")
    timers.wrap(loss, "accuracy", "accuracy (fit's bookkeeping)")
    timers.wrap(optimizer, "step", f"{type(optimizer).__name__} step")
    wall = timed(lambda: fit_epoch(net, optimizer, x, y, loss))
    steps = len(x) // BATCH_SIZE
    result = {k: 1e3 * v / steps for k, v in timers.total.items()}
    result["rest of fit (loop, slicing, checks)"] = 1e3 * wall / steps - sum(result.values())
    result["total"] = 1e3 * wall / steps
    return result


def profile_net(name, x, y, repeats, with_cprofile):
    build, make_optimizer = NETS[name]
    print(f"\n=== {name}: {', '.join(repr(layer) for layer in build().layers)}")
    ms = breakdown(build, make_optimizer, x, y)
    total = ms["total"]
    rows = [(label, f"{value:.3f}", f"{100 * value / total:.0f} %") for label, value in ms.items()]
    print(f"ms per training step (batch {BATCH_SIZE}; one instrumented epoch of "
          f"{len(x) // BATCH_SIZE} steps)")
    print(format_table(("operation", "ms", "share"), rows, "lrr"))

    fit_epoch(build(), make_optimizer(), x[:4 * BATCH_SIZE], y[:4 * BATCH_SIZE])  # warm-up
    times = []
    for _ in range(repeats):
        net, optimizer = build(), make_optimizer()
        times.append(timed(lambda: fit_epoch(net, optimizer, x, y)))
    print(f"Seconds per epoch of {len(x):,} images, not instrumented: median {median(times):.3f} "
          f"(runs {', '.join(f'{s:.3f}' for s in times)})")

    if with_cprofile:
        profiler = cProfile.Profile()
        profiler.runcall(fit_epoch, build(), make_optimizer(), x, y)
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(12)
        print(f"\ncProfile of one epoch (by own time):\n{stream.getvalue()}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--net", choices=["bench", "train", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's view")
    args = parser.parse_args(argv)
    print(f"Load average at start: {load_average()}")
    (x, y), _ = nnlib.load_mnist(subset=N_IMAGES, dtype=DTYPE)
    for name in (["bench", "train"] if args.net == "both" else [args.net]):
        profile_net(name, x, y, args.repeats, args.cprofile)
    print(f"\nLoad average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
