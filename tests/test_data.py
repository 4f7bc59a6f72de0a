"""Data: toy sets, and MNIST read from the original files with checksums."""
import shutil
import subprocess
import sys

import numpy as np
import pytest

import nnlib
from nnlib.data import MNIST_FILES, mnist_dirs


def test_xor_is_the_truth_table():
    X, y = nnlib.xor()
    np.testing.assert_array_equal(y[:, 0], np.logical_xor(X[:, 0], X[:, 1]))


def test_moons_and_spirals_are_seeded_and_shaped():
    X, y = nnlib.moons(101, noise=0.1, rng=0)
    assert X.shape == (101, 2) and y.shape == (101, 1) and set(np.unique(y)) == {0.0, 1.0}
    np.testing.assert_array_equal(X, nnlib.moons(101, noise=0.1, rng=0)[0])
    X, Y = nnlib.spirals(50, 3, rng=0)
    assert X.shape == (150, 2) and Y.shape == (150, 3)
    np.testing.assert_array_equal(Y.sum(axis=0), [50, 50, 50])


def test_mnist_has_the_documented_sizes_and_label_counts():
    (x_train, y_train), (x_test, y_test) = nnlib.load_mnist()
    assert x_train.shape == (60_000, 1, 28, 28) and x_test.shape == (10_000, 1, 28, 28)
    assert x_train.dtype == np.float32 and 0 <= x_train.min() and x_train.max() == 1
    np.testing.assert_array_equal(y_train.sum(axis=0),
                                  [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    np.testing.assert_array_equal(y_test.sum(axis=0),
                                  [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])


def test_mnist_subset_flatten_and_integer_labels():
    (x, y), (xt, yt) = nnlib.load_mnist(subset=100, flatten=True, one_hot=False, dtype=np.float64)
    assert x.shape == (100, 784) and x.dtype == np.float64 and y.shape == (100,)
    assert y[:5].tolist() == [5, 0, 4, 1, 9]  # the famous first training digits
    assert yt[:3].tolist() == [7, 2, 1]


def test_missing_mnist_file_says_where_it_looked(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        nnlib.load_mnist(path=tmp_path)
    assert str(tmp_path) in str(info.value)
    assert "train-images-idx3-ubyte.gz" in str(info.value)


def test_corrupted_mnist_file_fails_its_checksum(tmp_path):
    source = mnist_dirs()[-1]
    for name, _ in MNIST_FILES.values():
        shutil.copy(source / name, tmp_path / name)
    damaged = tmp_path / MNIST_FILES["test_labels"][0]
    data = bytearray(damaged.read_bytes())
    data[-1] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="checksum failed"):
        nnlib.load_mnist(path=tmp_path)


def test_import_nnlib_loads_numpy_only():
    code = ("import sys, nnlib; bad = [m for m in ('matplotlib', 'ipywidgets', 'sympy', 'scipy', 'altair') "
            "if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
