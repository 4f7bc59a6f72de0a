"""Speed of one training epoch: nnlib against a per-sample implementation and PyTorch.

The two MNIST networks of the classic from-scratch tutorial, float32, plain SGD:

* dense: Dense(784 -> 40), Tanh, Dense(40 -> 10), Tanh, with MSE;
* cnn:   Conv2D(1 -> 5, 3x3), Sigmoid, Flatten, Dense(3380 -> 100), Sigmoid,
         Dense(100 -> 10), with CrossEntropy from the logits.

One epoch = the first 8,192 training images in order (no shuffling, so every
implementation sees the same batches), batch 64, so 128 SGD steps with lr = 0.1.
All three start from the same weights (nnlib's seeded Xavier initialisation,
copied into the others) and are reset to them before every timed run.

    (a) nnlib       ``Sequential.fit(..., progress=False)``
    (b) per-sample  benchmarks/per_sample.py: one sample at a time, the convolution a
                    Python loop over kernels with scipy.signal.correlate2d; gradients
                    summed over the batch and applied once per batch of 64 (same work)
    (c) PyTorch     the same layers as torch.nn modules, CPU, when torch is installed

Before timing, the script checks that the three agree: one batch from the same
weights must give the same loss and the same gradient of every parameter (float32
tolerance).  Each implementation is then timed in blocks of runs of its own, after a
pause and a warm-up (see ``time_block`` for why not run by run), and the blocks
take turns over three rounds; the table shows the median and the range.

    python benchmarks/bench_mnist.py [--repeats 9] [--per-sample-repeats 3]
                                     [--per-sample-images 8192] [--only dense|cnn]
                                     [--threads N]

``--threads N`` sets numpy's BLAS (and so PyTorch) to N threads.

Exit status 1 when the implementations disagree; timings never fail the run.
"""
from __future__ import annotations

import argparse
import sys
import time

import _common  # noqa: F401  (first: puts this checkout's nnlib on sys.path)
import numpy as np
from _common import (busy_warning, format_table, limit_blas_threads, machine_facts, median,
                     numpy_blas_threads, timed)

import nnlib
from nnlib import (MSE, SGD, Conv2D, CrossEntropy, Dense, Flatten, Sequential, Sigmoid, Tanh)

import per_sample as ps

N_IMAGES = 8192
BATCH_SIZE = 64
LR = 0.1
DTYPE = np.float32
PAUSE_S = 1.0  # before each timed block, see time_block
ROUNDS = 3     # the timed runs of each implementation are split over this many blocks
AGREEMENT_TOL = 1e-4  # float32 has ~7 digits; sums over 64 samples keep well inside 1e-5

# Each network as a list of (kind, arguments); every implementation is built from this.
NETWORKS = {
    "dense": dict(layers=[("dense", 784, 40), ("tanh",), ("dense", 40, 10), ("tanh",)],
                  loss="mse", input_shape=(784,)),
    "cnn": dict(layers=[("conv", 1, 5, 3), ("sigmoid",), ("flatten", (5, 26, 26)),
                        ("dense", 3380, 100), ("sigmoid",), ("dense", 100, 10)],
                loss="cross_entropy", input_shape=(1, 28, 28)),
}

# The targets of the issue: time ratios of the table.
TARGETS = [("dense", "nnlib", "PyTorch", "<=", 0.6),
           ("cnn", "nnlib", "PyTorch", "<=", 1.0),
           ("cnn", "per-sample", "nnlib", ">=", 20.0)]


def initial_params(spec, seed=0):
    """{layer index: {name: array}}: nnlib's seeded initial weights, shared by all three."""
    net = build_nnlib(spec, seed)
    return {i: {k: v.copy() for k, v in layer.params.items()}
            for i, layer in enumerate(net.layers) if layer.params}


def build_nnlib(spec, seed=0):
    layers = []
    for i, (kind, *args) in enumerate(spec["layers"]):
        if kind == "dense":
            layers.append(Dense(*args, rng=seed + i, dtype=DTYPE))
        elif kind == "conv":
            layers.append(Conv2D(*args, rng=seed + i, dtype=DTYPE))
        else:
            layers.append({"tanh": Tanh, "sigmoid": Sigmoid, "flatten": Flatten}[kind]())
    return Sequential(layers)


# A runner wraps one implementation of one network: ``reset()`` puts the shared initial
# weights back, ``epoch(n)`` trains on the first n images and returns the epoch's mean
# loss, ``loss_and_grads(n)`` returns the loss and every gradient on the first n images
# (keys (layer index, nnlib parameter name), arrays in nnlib's shapes).

class NnlibRunner:
    """nnlib's own training loop, ``Sequential.fit``."""
    name = "nnlib"

    def __init__(self, spec, params, x, y):
        self.net = build_nnlib(spec)
        self.params, self.x, self.y = params, x.reshape(len(x), *spec["input_shape"]), y
        self.loss = MSE() if spec["loss"] == "mse" else CrossEntropy()

    def reset(self):
        for i, named in self.params.items():
            for k, v in named.items():
                self.net.layers[i].params[k][...] = v

    def epoch(self, n_images=None):
        n = n_images or len(self.x)
        history = self.net.fit(self.x[:n], self.y[:n], self.loss, SGD(LR), epochs=1,
                               batch_size=BATCH_SIZE, shuffle=False, progress=False)
        return history.loss[0]

    def loss_and_grads(self, n):
        y_pred = self.net.forward(self.x[:n])
        value = self.loss.value(y_pred, self.y[:n])
        self.net.backward(self.loss.grad(y_pred, self.y[:n]), input_grad=False)
        return value, {(i, k): self.net.layers[i].grads[k].copy() for i in self.params
                       for k in self.params[i]}


class PerSampleRunner:
    """per_sample.py: one sample at a time, one weight update per batch."""
    name = "per-sample"

    def __init__(self, spec, params, x, y):
        self.network = []
        for i, (kind, *args) in enumerate(spec["layers"]):
            if kind == "dense":
                self.network.append(ps.Dense(params[i]["W"], params[i]["b"]))
            elif kind == "conv":
                self.network.append(ps.Convolutional(params[i]["K"], params[i]["b"]))
            elif kind == "flatten":
                self.network.append(ps.Reshape(args[0], (int(np.prod(args[0])), 1)))
            else:
                self.network.append({"tanh": ps.Tanh, "sigmoid": ps.Sigmoid}[kind]())
        self.params = params
        # One sample is a column vector (784, 1) or a stack of images (1, 28, 28).
        sample_shape = (784, 1) if spec["input_shape"] == (784,) else spec["input_shape"]
        self.x, self.y = x.reshape(len(x), *sample_shape), y
        self.loss = ps.mse if spec["loss"] == "mse" else ps.cross_entropy

    def reset(self):
        for i, named in self.params.items():
            theirs = self.network[i].params()
            for k, v in named.items():
                theirs[k][...] = v.reshape(theirs[k].shape)

    def epoch(self, n_images=None):
        n = n_images or len(self.x)
        return float(np.mean(ps.train_epoch(self.network, self.loss, self.x[:n], self.y[:n], LR,
                                            BATCH_SIZE)))

    def loss_and_grads(self, n):
        value = ps.accumulate_batch(self.network, self.loss, self.x[:n], self.y[:n])
        return value, {(i, k): (self.network[i].grads[k] / n).reshape(v.shape)
                       for i in self.params for k, v in self.params[i].items()}


class TorchRunner:
    """The same network in torch.nn, trained by the usual PyTorch loop."""
    name = "PyTorch"

    def __init__(self, spec, params, x, y):
        import torch
        nn = torch.nn
        modules = []
        for kind, *args in spec["layers"]:
            if kind == "dense":
                modules.append(nn.Linear(*args))
            elif kind == "conv":
                modules.append(nn.Conv2d(*args))
            else:
                modules.append({"tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "flatten": nn.Flatten}[kind]())
        self.torch = torch
        self.model = nn.Sequential(*modules)  # float32, like the data
        self.params = params
        self.x = torch.from_numpy(np.ascontiguousarray(x.reshape(len(x), *spec["input_shape"])))
        self.y = torch.from_numpy(y)
        # Both reductions are the ones nnlib uses: MSE is the mean over all entries;
        # cross_entropy with probability (one-hot) targets is the mean over samples.
        self.loss = (torch.nn.functional.mse_loss if spec["loss"] == "mse"
                     else torch.nn.functional.cross_entropy)

    def _tensor(self, i, k):
        return getattr(self.model[i], "weight" if k in ("W", "K") else "bias")

    def reset(self):
        with self.torch.no_grad():
            for i, named in self.params.items():
                for k, v in named.items():
                    self._tensor(i, k).copy_(self.torch.from_numpy(v))

    def epoch(self, n_images=None):
        n = n_images or len(self.x)
        optimizer = self.torch.optim.SGD(self.model.parameters(), lr=LR)
        total = 0.0
        for start in range(0, n, BATCH_SIZE):
            xb, yb = self.x[start:start + BATCH_SIZE], self.y[start:start + BATCH_SIZE]
            optimizer.zero_grad()
            loss = self.loss(self.model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)  # nnlib's fit reads every batch loss too
        return total / n

    def loss_and_grads(self, n):
        self.model.zero_grad()
        loss = self.loss(self.model(self.x[:n]), self.y[:n])
        loss.backward()
        return loss.item(), {(i, k): self._tensor(i, k).grad.numpy().copy()
                             for i in self.params for k in self.params[i]}


def time_block(runner, repeats, n_images):
    """Seconds per epoch of 8,192 images for ``repeats`` runs in a row, and the epoch loss.

    One library at a time: after a call, OpenBLAS's threads and PyTorch's OpenMP threads
    keep spinning for a while, and interleaving single epochs of the two in one process
    slowed both (nnlib 1.4x, PyTorch 2.6x on the dense net).  So each block starts with a
    pause that lets the other pool fall asleep, then a warm-up (first calls allocate
    buffers and PyTorch picks its kernels), then the timed epochs, each from the same
    initial weights.
    """
    time.sleep(PAUSE_S)
    runner.reset()
    runner.epoch(min(n_images, 16 * BATCH_SIZE))
    times, holder = [], {}
    for _ in range(repeats):
        runner.reset()
        seconds = timed(lambda: holder.update(loss=runner.epoch(n_images)))
        times.append(seconds * N_IMAGES / n_images)
    return times, holder["loss"]


def torch_or_none(threads):
    """The torch module set to ``threads`` threads, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    return torch


def rel_diff(a, b) -> float:
    """max |a - b| / max |b|: the difference on the scale of the array."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = np.max(np.abs(b))
    return float(np.max(np.abs(a - b)) / scale) if scale else float(np.max(np.abs(a)))


def check_agreement(net_name, runners) -> tuple[list, bool]:
    """Rows comparing each runner's loss and gradients on one batch with nnlib's."""
    reference, *others = runners
    results = {}
    for runner in runners:
        runner.reset()
        results[runner.name] = runner.loss_and_grads(BATCH_SIZE)
    ref_loss, ref_grads = results[reference.name]
    rows, ok = [], True
    for runner in others:
        loss, grads = results[runner.name]
        diffs = {"loss": abs(loss - ref_loss) / abs(ref_loss)}
        for (i, k), g in ref_grads.items():
            diffs[f"d{k}[{i}]"] = rel_diff(grads[(i, k)], g)
        worst = max(diffs, key=diffs.get)
        passed = diffs[worst] < AGREEMENT_TOL
        ok &= passed
        detail = ", ".join(f"{k} {v:.1e}" for k, v in diffs.items())
        rows.append((net_name, f"{runner.name} vs nnlib", f"{diffs[worst]:.1e}",
                     "agree" if passed else "DISAGREE", detail))
    dtypes = {g.dtype for g in ref_grads.values()}
    if dtypes != {np.dtype(DTYPE)}:
        ok = False
        rows.append((net_name, "nnlib dtype", "-", "WRONG", f"gradients are {dtypes}, not float32"))
    return rows, ok


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="timed epochs for nnlib and PyTorch")
    parser.add_argument("--per-sample-repeats", type=int, default=3)
    parser.add_argument("--per-sample-images", type=int, default=N_IMAGES,
                        help="time the per-sample version on fewer images and scale to 8,192")
    parser.add_argument("--only", choices=sorted(NETWORKS), help="one network only")
    parser.add_argument("--threads", type=int, help="BLAS threads (default: numpy's default, "
                        "usually one per core)")
    return parser.parse_args(argv)


def measure(net_name, args, x, y, torch):
    """Check agreement, then time every implementation of one network.

    Returns (agreement rows, all agree, {implementation: list of seconds},
    {implementation: mean epoch loss}).
    """
    spec = NETWORKS[net_name]
    params = initial_params(spec)
    classes = [NnlibRunner, PerSampleRunner] + ([TorchRunner] if torch is not None else [])
    runners = [cls(spec, params, x, y) for cls in classes]
    rows, ok = check_agreement(net_name, runners)
    plan = {"per-sample": (args.per_sample_repeats, args.per_sample_images)}
    times, losses = {r.name: [] for r in runners}, {}
    print(f"\nTiming {net_name} (load average {_common.load_average()}) ...", flush=True)
    # Blocks in rounds (a a a, b, c c c, then again): a burst of other work on the
    # machine then falls on every implementation rather than on one.
    for round_ in range(ROUNDS):
        for runner in runners:
            repeats, n_images = plan.get(runner.name, (args.repeats, N_IMAGES))
            share = repeats // ROUNDS + (round_ < repeats % ROUNDS)
            if share:
                seconds, losses[runner.name] = time_block(runner, share, n_images)
                times[runner.name] += seconds
    return rows, ok, times, losses


def print_targets(medians, minimums):
    """Each target on the ratio of medians; in brackets the ratio of the fastest runs, the
    least disturbed by other work on the machine."""
    print("\nTargets")
    for net_name, a, b, op, bound in TARGETS:
        if (net_name, a) not in medians or (net_name, b) not in medians:
            continue  # network not timed (--only), or PyTorch not installed
        ratio = medians[(net_name, a)] / medians[(net_name, b)]
        best = minimums[(net_name, a)] / minimums[(net_name, b)]
        met = ratio <= bound if op == "<=" else ratio >= bound
        print(f"  {net_name:<5}  {a} / {b} time = {ratio:.2f}  (target {op} {bound:g})  "
              f"{'met' if met else 'MISSED'}   [fastest runs: {best:.2f}]")


def main(argv=None):
    args = parse_args(argv)
    limiter = limit_blas_threads(args.threads) if args.threads else None  # noqa: F841
    threads, _ = numpy_blas_threads()
    torch = torch_or_none(threads)
    import scipy
    extra = {"scipy": scipy.__version__, "nnlib": nnlib.__version__}
    if torch is not None:
        extra["PyTorch"] = (f"{torch.__version__}, CPU, torch.set_num_threads({threads}) "
                            "= numpy's BLAS threads")
    print("Machine")
    print(machine_facts(extra))
    if busy_warning():
        print(busy_warning())
    if torch is None:
        print("\nPyTorch not installed: skipped (pip install torch to compare with it)")

    (x, y), _ = nnlib.load_mnist(subset=N_IMAGES, dtype=DTYPE)
    scaled = args.per_sample_images < N_IMAGES
    print(f"\nData: the first {N_IMAGES:,} MNIST training images, float32, batch {BATCH_SIZE} "
          f"({N_IMAGES // BATCH_SIZE} SGD steps per epoch, lr {LR}), no shuffling.")
    if scaled:
        print(f"The per-sample version is timed on the first {args.per_sample_images:,} images "
              f"and its time multiplied by {N_IMAGES / args.per_sample_images:g}.")

    agreement_rows, all_agree, table, loss_rows, medians, minimums = [], True, [], [], {}, {}
    for net_name in [args.only] if args.only else list(NETWORKS):
        rows, ok, times, losses = measure(net_name, args, x, y, torch)
        agreement_rows += rows
        all_agree &= ok
        for name, t in times.items():
            medians[(net_name, name)], minimums[(net_name, name)] = median(t), min(t)
        loss_rows.append([net_name] + [f"{loss:.6f}" + (" *" if name == "per-sample" and scaled
                                                         else "") for name, loss in losses.items()])
        for name, t in times.items():
            m = medians[(net_name, name)]
            vs_torch = f"{m / medians[(net_name, 'PyTorch')]:.2f}x" if torch is not None else "-"
            label = name + (" (scaled)" if name == "per-sample" and scaled else "")
            table.append((net_name, label, f"{m:.3f}", f"{min(t):.3f}-{max(t):.3f}", len(t),
                          f"{m / medians[(net_name, 'nnlib')]:.2f}x", vs_torch))
        impl_names = list(times)

    print("\nAgreement: one batch of 64 from the same weights; max |a - b| / max |b| per array "
          f"(tolerance {AGREEMENT_TOL:g})")
    print(format_table(("network", "comparison", "worst", "verdict", "loss and each gradient"),
                       agreement_rows))
    print("\nMean training loss over the timed epoch (same weights, same batches: should agree"
          + (";\n* = on the per-sample subset only)" if scaled else ")"))
    print(format_table(["network"] + impl_names, loss_rows, "l" + "r" * len(impl_names)))
    print(f"\nSeconds per epoch ({N_IMAGES:,} images, batch {BATCH_SIZE}, float32, SGD); "
          "ratios are time / time of nnlib or of PyTorch")
    print(format_table(("network", "implementation", "median s", "range s", "runs", "vs nnlib",
                        "vs PyTorch"), table, "llrrrrr"))
    print_targets(medians, minimums)
    print(f"\nLoad average at the end: {_common.load_average()}")
    if not all_agree:
        print("\nThe implementations DISAGREE (see above): the timings compare different work.")
    return 0 if all_agree else 1


if __name__ == "__main__":
    sys.exit(main())
