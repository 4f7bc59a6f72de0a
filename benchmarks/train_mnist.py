"""Train nnlib networks on the full MNIST and report their accuracy on all 10,000 test images.

Targets (issue 2): a dense net >= 97.5 % and a small CNN >= 98.5 % test accuracy,
each in under 2 minutes of training on 2 cores, with peak memory under 1.5 GiB.

* dense: Dense(784 -> 256), ReLU, Dense(256 -> 128), ReLU, Dense(128 -> 10)
* cnn:   Conv2D(1 -> 16, 3x3), ReLU, MaxPool2D(2), Conv2D(16 -> 32, 3x3), ReLU,
         MaxPool2D(2), Flatten, Dense(800 -> 128), ReLU, Dense(128 -> 10)

Both: He initialisation for the layers followed by ReLU (Xavier for the last),
CrossEntropy on the logits, Adam, float32, mini-batches of 64 or 128 shuffled
with a seeded generator.  The learning rate is multiplied by ``decay`` after every
epoch: large steps early, small steps to settle at the end.

"Training time" is the time spent in ``fit``; the per-epoch evaluation on the test
set is timed separately.  Peak memory is the peak resident set size of this
process (``resource.getrusage``), which includes the data set and every network
trained so far.

    python benchmarks/train_mnist.py [--net dense|cnn|both] [--seed 0] [--threads N]

Exit status 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import sys
import time

import _common  # noqa: F401  (first: puts this checkout's nnlib on sys.path)
import numpy as np
from _common import (busy_warning, format_table, limit_blas_threads, load_average,
                     machine_facts, peak_rss_mib)

import nnlib
from nnlib import (Adam, Conv2D, CrossEntropy, Dense, Flatten, MaxPool2D, ReLU, Sequential)

DTYPE = np.float32
TIME_BUDGET_S = 120.0
MEMORY_BUDGET_MIB = 1.5 * 1024


def dense_net(seed):
    return Sequential([
        Dense(784, 256, rng=seed, dtype=DTYPE, init="he"), ReLU(),
        Dense(256, 128, rng=seed + 1, dtype=DTYPE, init="he"), ReLU(),
        Dense(128, 10, rng=seed + 2, dtype=DTYPE),
    ])


def cnn(seed):
    # 28x28 -> conv 26x26 -> pool 13x13 -> conv 11x11 -> pool 5x5 (the odd last row and
    # column are dropped), so 32 channels of 5x5 = 800 features reach the dense layers.
    return Sequential([
        Conv2D(1, 16, 3, rng=seed, dtype=DTYPE, init="he"), ReLU(), MaxPool2D(2),
        Conv2D(16, 32, 3, rng=seed + 1, dtype=DTYPE, init="he"), ReLU(), MaxPool2D(2), Flatten(),
        Dense(32 * 5 * 5, 128, rng=seed + 2, dtype=DTYPE, init="he"), ReLU(),
        Dense(128, 10, rng=seed + 3, dtype=DTYPE),
    ])


# Per network: how to build it, the shape of one image, the training schedule (the lr is
# multiplied by ``decay`` after each epoch) and the test accuracy to reach.
CONFIGS = {
    "dense": dict(build=dense_net, shape=(784,), epochs=10, batch_size=128, lr=1e-3, decay=0.75,
                  target=0.975),
    "cnn": dict(build=cnn, shape=(1, 28, 28), epochs=3, batch_size=64, lr=1e-3, decay=0.6,
                target=0.985),
}


def train(name, config, data, seed=0):
    """Train one network epoch by epoch, printing a line per epoch; return a summary dict."""
    (x_train, y_train), (x_test, y_test) = data
    shape = config["shape"]
    x_train = x_train.reshape(len(x_train), *shape)  # views: no second copy of the images
    x_test = x_test.reshape(len(x_test), *shape)
    net = config["build"](seed)
    loss = CrossEntropy()
    optimizer = Adam(lr=config["lr"])
    rng = np.random.default_rng(seed)  # one generator: a new order every epoch, same every run

    print(f"\n{name}: {net.n_params:,} parameters, {config['epochs']} epochs, batch "
          f"{config['batch_size']}, {optimizer!r} x {config['decay']} per epoch")
    print(net.summary())
    header = ("epoch", "lr", "train loss", "train acc", "test loss", "test acc", "fit s",
              "total fit s", "eval s")
    widths = [max(len(h), 8) for h in header]
    rows, train_seconds = [], 0.0
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)), flush=True)
    for epoch in range(1, config["epochs"] + 1):
        start = time.perf_counter()
        history = net.fit(x_train, y_train, loss, optimizer, epochs=1,
                          batch_size=config["batch_size"], rng=rng, progress=False)
        fit_seconds = time.perf_counter() - start
        train_seconds += fit_seconds
        start = time.perf_counter()
        scores = net.evaluate(x_test, y_test, loss)
        eval_seconds = time.perf_counter() - start
        row = (epoch, f"{optimizer.lr:.1e}", f"{history.loss[0]:.4f}",
               f"{100 * history.accuracy[0]:.2f} %", f"{scores['loss']:.4f}",
               f"{100 * scores['accuracy']:.2f} %", f"{fit_seconds:.1f}", f"{train_seconds:.1f}",
               f"{eval_seconds:.1f}")
        rows.append(row)
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths)), flush=True)
        optimizer.lr *= config["decay"]
    return dict(name=name, params=net.n_params, epochs=config["epochs"],
                train_seconds=train_seconds, accuracy=scores["accuracy"], target=config["target"],
                peak_mib=peak_rss_mib(), load=load_average())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--net", choices=["dense", "cnn", "both"], default="both")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, help="BLAS threads (default: numpy's default, "
                        "usually one per core)")
    args = parser.parse_args(argv)
    limiter = limit_blas_threads(args.threads) if args.threads else None  # noqa: F841

    print("Machine")
    print(machine_facts({"nnlib": nnlib.__version__}))
    if busy_warning():
        print(busy_warning())
    start = time.perf_counter()
    data = nnlib.load_mnist(dtype=DTYPE)  # one-hot labels, pixels in [0, 1]
    print(f"\nMNIST: {len(data[0][0]):,} training and {len(data[1][0]):,} test images, "
          f"loaded and checked in {time.perf_counter() - start:.1f} s")

    names = ["dense", "cnn"] if args.net == "both" else [args.net]
    results = [train(name, CONFIGS[name], data, args.seed) for name in names]

    rows, all_met = [], True
    for r in results:
        checks = {"accuracy": r["accuracy"] >= r["target"],
                  "time": r["train_seconds"] < TIME_BUDGET_S,
                  "memory": r["peak_mib"] < MEMORY_BUDGET_MIB}
        all_met &= all(checks.values())
        missed = [k for k, ok in checks.items() if not ok]
        rows.append((r["name"], f"{r['params']:,}", r["epochs"], f"{r['train_seconds']:.1f}",
                     f"{100 * r['accuracy']:.2f} %", f">= {100 * r['target']:.1f} %",
                     f"{r['peak_mib']:.0f}", r["load"],
                     "met" if not missed else "MISSED: " + ", ".join(missed)))
    print(f"\nSummary (targets: accuracy as shown, training < {TIME_BUDGET_S:.0f} s, "
          f"peak memory < {MEMORY_BUDGET_MIB:.0f} MiB)")
    print(format_table(("network", "parameters", "epochs", "training s", "test accuracy",
                        "target", "peak MiB", "load avg after", "targets"), rows, "lrrrrrrll"))
    print("(peak MiB: whole process so far, data set included)")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
