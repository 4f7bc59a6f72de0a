"""Data sets: tiny toy problems you can see, and MNIST from its original files.

Every function that draws random numbers takes ``rng`` (a numpy Generator or a seed).
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
from pathlib import Path

import numpy as np

from ._checks import make_rng


def xor(dtype=np.float64):
    """The four XOR points.  X: (4, 2) in {0, 1}², y: (4, 1) with y = x₁ XOR x₂."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dtype)
    y = np.array([[0], [1], [1], [0]], dtype=dtype)
    return X, y


def moons(n: int = 200, noise: float = 0.1, rng=None, dtype=np.float64):
    """Two interleaving half circles.  X: (n, 2), y: (n, 1) in {0, 1} (n // 2 of class 0)."""
    rng = make_rng(rng)
    n0 = n // 2
    t0 = rng.uniform(0, np.pi, n0)
    t1 = rng.uniform(0, np.pi, n - n0)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + rng.normal(0, noise, (n, 2))
    y = np.concatenate([np.zeros(n0), np.ones(n - n0)])[:, None]
    order = rng.permutation(n)
    return X[order].astype(dtype), y[order].astype(dtype)


def spirals(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, rng=None,
            dtype=np.float64):
    """Interleaved spiral arms, one per class.  X: (n_per_class·K, 2), y: one-hot (n_per_class·K, K)."""
    rng = make_rng(rng)
    X, labels = [], []
    for k in range(n_classes):
        r = np.linspace(0.0, 1.0, n_per_class)
        theta = np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class) + rng.normal(0, noise, n_per_class)
        X.append(np.column_stack([r * np.sin(theta), r * np.cos(theta)]))
        labels.append(np.full(n_per_class, k))
    X, labels = np.vstack(X), np.concatenate(labels)
    order = rng.permutation(len(X))
    return X[order].astype(dtype), to_one_hot(labels[order], n_classes, dtype)


def to_one_hot(labels, n_classes: int, dtype=np.float64):
    """Integer labels (N,) -> one-hot rows (N, n_classes)."""
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got {labels.min()}..{labels.max()}")
    return np.eye(n_classes, dtype=dtype)[labels]


# The four original files and their MD5 checksums (see data/mnist/README.md).
MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train_labels": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    "test_images": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    "test_labels": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
}


def mnist_dirs(path=None) -> list[Path]:
    """Where ``load_mnist`` looks, in order: ``path``, $NNLIB_MNIST_DIR, the repository's data/mnist."""
    if path is not None:
        return [Path(path)]
    dirs = []
    if os.environ.get("NNLIB_MNIST_DIR"):
        dirs.append(Path(os.environ["NNLIB_MNIST_DIR"]))
    dirs.append(Path(__file__).resolve().parent.parent / "data" / "mnist")
    return dirs


def _find_verified(name: str, md5: str, dirs: list[Path]) -> bytes:
    """The bytes of the first ``name`` found in ``dirs``, after checking its MD5."""
    for folder in dirs:
        file = folder / name
        if file.is_file():
            raw = file.read_bytes()
            digest = hashlib.md5(raw).hexdigest()
            if digest != md5:
                raise ValueError(f"MNIST file {file}: checksum failed (MD5 {digest}, expected {md5}). "
                                 "The file is damaged or not the original; copy it again.")
            return raw
    looked = ", ".join(str(d / name) for d in dirs)
    raise FileNotFoundError(f"MNIST file {name} not found; looked in: {looked}. "
                            "Set NNLIB_MNIST_DIR or pass path= to the folder with the four .gz files.")


def _read_idx(raw_gz: bytes, expected_magic: int, limit: int | None) -> np.ndarray:
    """Decode an IDX file (big-endian header, then uint8 data); decompress only ``limit`` items."""
    with gzip.GzipFile(fileobj=io.BytesIO(raw_gz)) as f:
        magic = int.from_bytes(f.read(4), "big")
        if magic != expected_magic:
            raise ValueError(f"not an IDX file of the expected kind (magic {magic:#x})")
        ndim = magic & 0xFF
        dims = [int.from_bytes(f.read(4), "big") for _ in range(ndim)]
        count = dims[0] if limit is None else min(limit, dims[0])
        item_size = int(np.prod(dims[1:], dtype=np.int64))
        data = np.frombuffer(f.read(count * item_size), dtype=np.uint8)
    return data.reshape(count, *dims[1:])


def load_mnist(subset: int | None = None, flatten: bool = False, dtype=np.float32,
               one_hot: bool = True, path=None):
    """MNIST digits from the four original IDX files, checked against their MD5 sums.

    Returns ``(x_train, y_train), (x_test, y_test)``.  Pixels are scaled to [0, 1] in
    ``dtype``: images (N, 1, 28, 28), or (N, 784) with ``flatten=True``.  Labels are
    one-hot (N, 10) in ``dtype``, or integers (N,) with ``one_hot=False``.
    ``subset=n`` keeps the first n images of each split (only those are decompressed).
    """
    if subset is not None and int(subset) < 1:
        raise ValueError(f"subset must be a positive number of images, got {subset}")
    if np.dtype(dtype).kind != "f":
        raise TypeError(f"dtype must be a float type (pixels are scaled to [0, 1]), got {dtype}")
    dirs = mnist_dirs(path)
    raw = {key: _find_verified(name, md5, dirs) for key, (name, md5) in MNIST_FILES.items()}

    def split(kind):
        images = _read_idx(raw[f"{kind}_images"], 0x803, subset)
        labels = _read_idx(raw[f"{kind}_labels"], 0x801, subset).astype(np.int64)
        x = images.astype(dtype) / np.asarray(255, dtype=dtype)
        x = x.reshape(len(x), -1) if flatten else x[:, None, :, :]
        y = to_one_hot(labels, 10, dtype) if one_hot else labels
        return x, y

    return split("train"), split("test")
