"""Chapter 8, Convolutional networks: the expected answers of the graded exercises and how each
is judged.

The notebook is ``solutions/08-convolutional-networks.ipynb`` (learners get ``exercises/``).
Every expected answer is computed here with plain numpy loops written from the definitions
(no scipy, which a learner's set-up may lack); the kernel gradient is judged by central
differences of the loss, the input gradient against the full convolution, max pooling
against ``nnlib.MaxPool2D``.
"""
from __future__ import annotations

import numpy as np

from ..gradcheck import numerical_gradient
from ..layers import MaxPool2D
from . import Exercise
from .judges import Array, BuildsOn, Case, Function, Number

TITLE = "Convolutional networks"


# ---- reference implementations, from the definitions

def output_size(n, k, p=0, s=1):
    """⌊(n + 2p - k)/s⌋ + 1 positions of a k-wide window, or 0 when it does not fit."""
    return 0 if n + 2 * p < k else (n + 2 * p - k) // s + 1


def correlate_valid(x, k):
    """y[i, j] = Σ_u Σ_v k[u, v] · x[i + u, j + v]  (valid 2-D cross-correlation)."""
    x, k = np.asarray(x, float), np.asarray(k, float)
    kh, kw = k.shape
    Ho, Wo = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    y = np.zeros((Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            y[i, j] = np.sum(k * x[i:i + kh, j:j + kw])
    return y


def conv_channels(X, K, b):
    """Y[o] = b[o] + Σ_c correlate_valid(X[c], K[o, c]).  X (C, H, W), K (C_out, C, kh, kw)."""
    return np.array([b[o] + sum(correlate_valid(X[c], K[o, c]) for c in range(len(X)))
                     for o in range(len(K))])


def convolve_full(G, K):
    """dX[i, j] = Σ_u Σ_v K[u, v] · G[i - u, j - v], G zero outside: the full convolution."""
    G, K = np.asarray(G, float), np.asarray(K, float)
    kh, kw = K.shape
    padded = np.pad(G, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    return correlate_valid(padded, K[::-1, ::-1])


def kernel_grad_by_central_differences(X, G):
    """dL/dK for L = Σ G ⊙ correlate_valid(X, K), by central differences (L is linear in K)."""
    X, G = np.asarray(X, float), np.asarray(G, float)
    shape = (X.shape[0] - G.shape[0] + 1, X.shape[1] - G.shape[1] + 1)
    K = np.zeros(shape)
    return numerical_gradient(lambda kernel: float(np.sum(G * correlate_valid(X, kernel))), K)


def im2col(x, kh, kw):
    """x (C, H, W) -> (C·kh·kw, Ho·Wo): row (c, u, v), column i·Wo + j holds x[c, i + u, j + v]."""
    x = np.asarray(x, float)
    C, H, W = x.shape
    Ho, Wo = H - kh + 1, W - kw + 1
    cols = np.empty((C, kh, kw, Ho, Wo))
    for u in range(kh):
        for v in range(kw):
            cols[:, u, v] = x[:, u:u + Ho, v:v + Wo]
    return cols.reshape(C * kh * kw, Ho * Wo)


def maxpool_backward(x, G):
    """dL/dx of 2x2 max pooling of x (H, W): G goes to the first maximum of each window."""
    x, G = np.asarray(x, float), np.asarray(G, float)
    pool = MaxPool2D(2)
    pool.forward(x[None, None])
    return pool.backward(G[None, None])[0, 0]


def _maxpool_backward_to_every_tie(x, G):
    out = np.zeros_like(np.asarray(x, float))
    for i in range(G.shape[0]):
        for j in range(G.shape[1]):
            window = x[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            out[2 * i:2 * i + 2, 2 * j:2 * j + 2] = G[i, j] * (window == window.max())
    return out


def _maxpool_backward_split_ties(x, G):
    out = np.zeros_like(np.asarray(x, float))
    for i in range(G.shape[0]):
        for j in range(G.shape[1]):
            window = x[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            hit = window == window.max()
            out[2 * i:2 * i + 2, 2 * j:2 * j + 2] = G[i, j] * hit / hit.sum()
    return out


def _maxpool_backward_last_tie(x, G):
    # The first maximum of the windows read backwards is the last one read forwards.
    return maxpool_backward(np.asarray(x, float)[::-1, ::-1], np.asarray(G, float)[::-1, ::-1]
                            )[::-1, ::-1]


def _maxpool_backward_spread(x, G):
    return np.kron(np.asarray(G, float), np.ones((2, 2)))


# ---- 8.1 Output sizes
def _off_by_one(n, k, p, s): return (n + 2 * p - k) // s
def _padding_once(n, k, p, s): return max((n + p - k) // s + 1, 0)
def _no_padding(n, k, p, s): return max((n - k) // s + 1, 0)
def _no_stride(n, k, p, s): return max(n + 2 * p - k + 1, 0)
def _rounded_up(n, k, p, s): return 0 if n + 2 * p < k else -(-(n + 2 * p - k) // s) + 1
def _formula_even_when_invalid(n, k, p, s): return (n + 2 * p - k) // s + 1


SIZE_CASES = [Case(args, f"n = {args[0]}, k = {args[1]}, p = {args[2]}, s = {args[3]}")
              for args in [(28, 3, 0, 1), (28, 5, 2, 1), (28, 3, 1, 2), (8, 3, 0, 2),
                           (7, 3, 0, 3), (5, 5, 0, 1), (3, 5, 1, 1), (2, 7, 0, 1), (4, 9, 1, 2)]]

# ---- 8.2 A cross-correlation of your own
X_82 = np.array([[1.0, 2.0, 0.0, 1.0],
                 [0.0, 1.0, 3.0, 2.0],
                 [2.0, 0.0, 1.0, 0.0],
                 [1.0, 1.0, 0.0, 2.0]])
K_82 = np.array([[1.0, 0.0],
                 [-1.0, 2.0]])
Y_82 = correlate_valid(X_82, K_82)
y12_82 = float(Y_82[1, 2])
y12_flipped_82 = float(correlate_valid(X_82, K_82[::-1, ::-1])[1, 2])
y21_82 = float(Y_82[2, 1])
y12_kernel_transposed_82 = float(correlate_valid(X_82, K_82.T)[1, 2])

_rng = np.random.default_rng(82)
CORRELATE_CASES = [
    Case((X_82, K_82), "the 4×4 x and 2×2 k of this exercise"),
    Case((_rng.normal(size=(5, 6)), _rng.normal(size=(3, 2))), "a random 5×6 x and 3×2 k"),
    Case((_rng.normal(size=(3, 3)), _rng.normal(size=(3, 3))), "a 3×3 x and a 3×3 k"),
    Case((_rng.normal(size=(2, 7)), _rng.normal(size=(1, 3))), "a 2×7 x and a 1×3 k"),
]
CHANNEL_CASES = [
    Case((_rng.normal(size=(2, 5, 4)), _rng.normal(size=(3, 2, 3, 2)), _rng.normal(size=3)),
         "X of shape (2, 5, 4), K of shape (3, 2, 3, 2), b of shape (3,)"),
    Case((_rng.normal(size=(1, 4, 4)), _rng.normal(size=(2, 1, 2, 2)), np.array([0.5, -1.0])),
         "X of shape (1, 4, 4), K of shape (2, 1, 2, 2), b = [0.5, -1]"),
]

# ---- 8.3 and 8.4 The gradients in one dimension: x (5), K (3), G (3)
x_83 = np.array([2.0, -1.0, 3.0, 0.0, 1.0])
K_83 = np.array([2.0, 1.0, -1.0])
G_83 = np.array([1.0, -2.0, 3.0])
dK_83 = np.array([sum(G_83[i] * x_83[i + u] for i in range(3)) for u in range(3)])
db_83 = float(G_83.sum())
dx_84 = np.array([sum(K_83[u] * G_83[j - u] for u in range(3) if 0 <= j - u < 3)
                  for j in range(5)])

GRAD_CASES = [
    Case((_rng.normal(size=(5, 4)), _rng.normal(size=(3, 3))), "a 5×4 X and a 3×3 G"),
    Case((_rng.normal(size=(4, 6)), _rng.normal(size=(3, 4))), "a 4×6 X and a 3×4 G"),
]
INPUT_GRAD_CASES = [
    Case((_rng.normal(size=(3, 3)), _rng.normal(size=(2, 2))), "a 3×3 G and a 2×2 K"),
    Case((_rng.normal(size=(2, 4)), _rng.normal(size=(3, 2))), "a 2×4 G and a 3×2 K"),
]

# ---- 8.5 im2col
cols_shape_85 = np.array([2 * 3 * 3, 3 * 3])
IM2COL_CASES = [
    Case((_rng.normal(size=(2, 4, 5)), 3, 2), "x of shape (2, 4, 5), kh = 3, kw = 2"),
    Case((np.arange(12.0).reshape(1, 3, 4), 2, 2), "x = np.arange(12.0).reshape(1, 3, 4), kh = kw = 2"),
]


def _im2col_rows_uvc(x, kh, kw):
    x = np.asarray(x, float)
    C, H, W = x.shape
    Ho, Wo = H - kh + 1, W - kw + 1
    cols = np.empty((kh, kw, C, Ho, Wo))
    for u in range(kh):
        for v in range(kw):
            cols[u, v] = x[:, u:u + Ho, v:v + Wo]
    return cols.reshape(C * kh * kw, Ho * Wo)


def _im2col_columns_by_column(x, kh, kw):
    # Columns in the order j·Ho + i (down the columns of the output) instead of i·Wo + j.
    x = np.asarray(x, float)
    C, H, W = x.shape
    Ho, Wo = H - kh + 1, W - kw + 1
    return im2col(x, kh, kw).reshape(-1, Ho, Wo).transpose(0, 2, 1).reshape(-1, Ho * Wo)


# ---- 8.6 Max pooling with ties
x_86 = np.array([[1.0, 3.0, 2.0, 2.0],
                 [3.0, 0.0, 1.0, 2.0],
                 [0.0, 5.0, 4.0, 1.0],
                 [1.0, 2.0, 0.0, 4.0]])
G_86 = np.array([[1.0, 2.0],
                 [3.0, 4.0]])
dx_86 = maxpool_backward(x_86, G_86)
POOL_CASES = [
    Case((x_86, G_86), "the x and G of 8.6a"),
    Case((np.array([[7.0, 7.0, 0.0, 1.0, 5.0, 5.0], [7.0, 7.0, 1.0, 0.0, 5.0, 2.0]]),
          np.array([[1.5, -2.0, 3.0]])), "a 2×6 x with ties in two windows"),
    Case((_rng.normal(size=(4, 6)), _rng.normal(size=(2, 3))), "a random 4×6 x (no ties)"),
]

# ---- 8.7 Parameters and receptive fields
params_87 = 8 * 3 * 5 * 5 + 8
field_87 = 1 + 3 * (3 - 1)

EXERCISES = [
    Exercise("8.1a", 1, "valid: n = 28, k = 5", Number(output_size(28, 5), mistakes=(
        (23, "one too few: the windows start at 0, 1, ..., n - k, which is n - k + 1 positions"),
        (32, "that is n + k - 1, the size of a full correlation; valid keeps only the "
             "positions where the whole kernel fits"),
        (28, "without padding the output is smaller than the input: n - k + 1"),
    ))),
    Exercise("8.1b", 1, "padding: n = 28, k = 5, p = 2", Number(output_size(28, 5, 2), mistakes=(
        (26, "the padding goes on each side: n + 2p, not n + p"),
        (24, "the padding is missing: the padded input has n + 2p entries"),
        (27, "one too few: ⌊(n + 2p - k)/s⌋ + 1, do not forget the + 1"),
    ))),
    Exercise("8.1c", 2, "stride: n = 28, k = 3, p = 1, s = 2", Number(
        output_size(28, 3, 1, 2), mistakes=(
            (14.5, "(n + 2p - k)/s = 27/2 is not a whole number: round it down (⌊27/2⌋ = 13), "
                   "then add 1; a window cannot start half-way"),
            (15, "you rounded 27/2 up; round it down: the 14th window would hang over the edge"),
            (13, "one too few: either the + 1 or the padding is missing; "
                 "⌊(28 + 2·1 - 3)/2⌋ + 1 counts the padding on both sides and then adds 1"),
            (28, "the stride is missing: with s = 2 the kernel moves two pixels at a time"),
        ))),
    Exercise("8.1d", 1, "an invalid setting: n = 3, k = 7, p = 1", Number(
        output_size(3, 7, 1), mistakes=(
            (-1, "the formula gives -1 here, but a size cannot be negative: the kernel (7) is "
                 "wider than the padded input (3 + 2 = 5), so no window fits and there are 0 "
                 "outputs"),
            (1, "the kernel (7) is wider than the padded input (3 + 2 = 5): not even one "
                "window fits"),
            (-3, "n + 2p - k = -2 says that the kernel is wider than the padded input: no "
                 "window fits, so 0 outputs"),
        ))),
    Exercise("8.1e", 2, "output_size(n, k, p, s)", Function(
        output_size, SIZE_CASES, rtol=0, atol=1e-9, mistakes=(
            (_formula_even_when_invalid, "when the kernel is wider than the padded input "
                                         "(n + 2p < k) no window fits: return 0"),
            (_off_by_one, "one too few: ⌊(n + 2p - k)/s⌋ + 1, the + 1 is missing"),
            (_padding_once, "the padding goes on each side: use n + 2p"),
            (_no_padding, "the padding p is missing from your formula"),
            (_no_stride, "the stride s is missing from your formula"),
            (_rounded_up, "you rounded (n + 2p - k)/s up; round it down with //"),
            (lambda n, k, p, s: (n + 2 * p - k) / s + 1 if n + 2 * p >= k else 0,
             "(n + 2p - k)/s must be rounded down: use // instead of /"),
        ))),
    Exercise("8.2a", 2, "y[1, 2] by hand", Number(y12_82, mistakes=(
        (y12_flipped_82, "you flipped the kernel (that is a convolution); cross-correlation "
                         "multiplies k[u, v] with x[1 + u, 2 + v]"),
        (y21_82, "that is y[2, 1]: the first index is the row i, the second the column j"),
        (y12_kernel_transposed_82, "the kernel is transposed: k[u, v] has row offset u and "
                                   "column offset v"),
    ))),
    Exercise("8.2b", 2, "correlate2d_valid(x, k)", Function(
        correlate_valid, CORRELATE_CASES, mistakes=(
            (lambda x, k: correlate_valid(x, np.asarray(k)[::-1, ::-1]),
             "you flipped the kernel: that is a convolution; cross-correlation multiplies "
             "k[u, v] with x[i + u, j + v]"),
            (lambda x, k: correlate_valid(np.asarray(x).T, np.asarray(k).T).T
             if np.asarray(k).shape[0] == np.asarray(k).shape[1] else None,
             "rows and columns are swapped"),
            (lambda x, k: correlate_valid(x, np.asarray(k).T)
             if np.asarray(k).shape[0] == np.asarray(k).shape[1] else None,
             "the kernel is transposed: k[u, v] multiplies x[i + u, j + v], with u counting "
             "rows and v columns"),
            (lambda x, k: np.trunc(correlate_valid(x, k)),
             "your outputs are cut to whole numbers: make the output array of floats, "
             "np.zeros((Ho, Wo)), not of integers (dtype=int or np.zeros_like of an integer "
             "array)"),
        ))),
    Exercise("8.2c", 2, "conv2d_channels(X, K, b)", BuildsOn("8.2b", Function(
        conv_channels, CHANNEL_CASES, mistakes=(
            (lambda X, K, b: conv_channels(X, K, np.zeros(len(K))), "the bias b[o] is missing"),
            (lambda X, K, b: conv_channels(X, np.asarray(K)[:, :, ::-1, ::-1], b),
             "you flipped the kernels: the layer computes a cross-correlation"),
            (lambda X, K, b: conv_channels(X, K, b) + (len(X) - 1) * np.asarray(b)[:, None, None],
             "add the bias once per output channel, not once per input channel"),
        )))),
    Exercise("8.3a", 2, "dL/dK in one dimension", Array(
        dK_83, label=lambda i: f"u = {i[0]}", what="an array of 3 numbers, one per kernel entry",
        mistakes=(
            (dK_83[::-1], "the entries are in reverse order: dL/dK_u = Σ_i G_i x_(i+u), a "
                          "cross-correlation of x with G, with no flip"),
            (np.convolve(x_83, G_83, mode="valid"), "you flipped G (a convolution): "
                                                    "dL/dK_u = Σ_i G_i x_(i+u), no flip"),
            (np.array([G_83 @ x_83[:3]] * 3), "every entry pairs G_i with x_(i+u): shift x by u "
                                              "for entry u"),
        ))),
    Exercise("8.3b", 1, "dL/db in one dimension", Number(db_83, mistakes=(
        (db_83 / 3, "that is the mean of G; each output contains b once, so dL/db = Σ_i G_i"),
        (float(x_83.sum()), "that is the sum of x; dL/db = Σ_i G_i ∂y_i/∂b = Σ_i G_i"),
        (3.0, "3 counts the outputs; weight each by its G_i: dL/db = Σ_i G_i"),
    ))),
    Exercise("8.3c", 2, "kernel_grad(X, G)", BuildsOn("8.2b", Function(
        kernel_grad_by_central_differences, GRAD_CASES, rtol=1e-6, atol=1e-8, mistakes=(
            (lambda X, G: correlate_valid(X, np.asarray(G)[::-1, ::-1]),
             "you flipped G (a convolution); the kernel gradient is the valid "
             "cross-correlation of X with G, with nothing flipped"),
            (lambda X, G: correlate_valid(X, G)[::-1, ::-1],
             "your gradient is upside down and left to right: dL/dK[u, v] = "
             "Σ G[i, j] X[i + u, j + v]"),
            (lambda X, G: correlate_valid(X, G) / np.size(G),
             "your gradient is divided by the number of outputs: the chain rule sums over "
             "the outputs, it does not average"),
        )))),
    Exercise("8.4a", 2, "dL/dx in one dimension", Array(
        dx_84, label=lambda i: f"j = {i[0]}", what="an array of 5 numbers, one per input",
        mistakes=(
            (np.correlate(G_83, K_83, mode="full"), "you did not flip the kernel: dL/dx_j = "
                                                   "Σ_u K_u G_(j-u), a full convolution"),
            (dx_84[::-1], "the entries are in reverse order: dL/dx_j = Σ_u K_u G_(j-u)"),
        ))),
    Exercise("8.4b", 2, "input_grad(G, K)", BuildsOn("8.2b", Function(
        convolve_full, INPUT_GRAD_CASES, mistakes=(
            (lambda G, K: convolve_full(G, np.asarray(K)[::-1, ::-1]),
             "the kernel is not flipped: dL/dX[i, j] = Σ K[u, v] G[i - u, j - v] is a full "
             "convolution, which is a cross-correlation with K flipped by 180°"),
            (lambda G, K: convolve_full(G, K)[::-1, ::-1],
             "your gradient is upside down and left to right"),
            (lambda G, K: convolve_full(G, np.asarray(K).T) if np.shape(K)[0] == np.shape(K)[1]
             else None, "the kernel is transposed"),
        )))),
    Exercise("8.4c", 1, "terms in dL/dX[0, 0]", Number(1, mistakes=(
        (9, "9 is the count for a pixel away from the border; X[0, 0] is inside only the "
            "window at (0, 0)"),
        (4, "count the windows that contain X[0, 0]: the window at (i, j) covers rows i to "
            "i + 2 and columns j to j + 2, and i, j start at 0"),
        (0, "the window at position (0, 0) contains X[0, 0]: one term"),
    ))),
    Exercise("8.4d", 1, "terms in dL/dX[5, 5]", Number(9, mistakes=(
        (1, "X[5, 5] is far from the border: every window with a top-left corner at rows 3-5 "
            "and columns 3-5 contains it"),
        (3, "count both directions: 3 rows of windows times 3 columns"),
        (25, "a 3×3 kernel is in 3 × 3 positions over a pixel, not 5 × 5"),
    ))),
    Exercise("8.5a", 1, "the shape of cols", Array(
        cols_shape_85, rtol=0, atol=1e-9, label=lambda i: ("rows", "columns")[i[0]],
        what="a pair (rows, columns)", mistakes=(
            (cols_shape_85[::-1], "rows and columns are swapped: one row per kernel entry "
                                  "(C·kh·kw), one column per output pixel (Ho·Wo)"),
            (np.array([18, 25]), "one column per *output* pixel: Ho·Wo = 3·3, not H·W"),
            (np.array([9, 9]), "the rows count the kernel entries of every channel: C·kh·kw"),
        ))),
    Exercise("8.5b", 2, "im2col(x, kh, kw)", Function(
        im2col, IM2COL_CASES, rtol=0, atol=1e-12, mistakes=(
            (_im2col_rows_uvc, "the rows are in the order (u, v, c); order them (c, u, v), the "
                               "order of K.reshape(C_out, -1)"),
            (_im2col_columns_by_column, "the columns go down the output's columns; column "
                                        "i·Wo + j must hold the patch at (i, j)"),
        ))),
    Exercise("8.6a", 2, "max-pool backward with ties", Array(
        dx_86, label=lambda i: f"[{i[0]}, {i[1]}]", what="a 4×4 array", mistakes=(
            (_maxpool_backward_to_every_tie(x_86, G_86),
             "with a tie, only the first maximum (in reading order) gets G; you gave it to "
             "every tied entry, which counts it twice"),
            (_maxpool_backward_split_ties(x_86, G_86),
             "you split G between the tied entries; this book (like PyTorch) gives all of it "
             "to the first maximum in reading order"),
            (_maxpool_backward_last_tie(x_86, G_86),
             "you gave G to the last tied maximum; the rule is the first, in reading order"),
            (_maxpool_backward_spread(x_86, G_86), "only the maximum of each window gets G; "
                                                   "the other entries get 0"),
            (_maxpool_backward_spread(x_86, G_86) / 4,
             "that is the backward pass of average pooling; max pooling sends G to the maximum"),
        ))),
    Exercise("8.6b", 2, "maxpool_backward(x, G)", Function(
        maxpool_backward, POOL_CASES, mistakes=(
            (_maxpool_backward_to_every_tie, "with a tie, only the first maximum (in reading "
                                             "order) gets G; you gave it to every tied entry"),
            (_maxpool_backward_split_ties, "you split G between the tied entries; give all of "
                                           "it to the first maximum in reading order"),
            (_maxpool_backward_last_tie, "you gave G to the last tied maximum; the rule is the "
                                         "first, in reading order"),
            (_maxpool_backward_spread, "only the maximum of each window gets G; the others get 0"),
        ))),
    Exercise("8.7a", 1, "parameters of a 3 → 8, 5×5 layer", Number(params_87, mistakes=(
        (params_87 - 8, "the 8 biases are missing: one per output channel"),
        (8 * 5 * 5 + 8, "each output channel has a 5×5 kernel for *each* of the 3 input channels"),
        (8 * 3 * 5 * 5 + 3, "one bias per output channel (8), not per input channel"),
        (8 * 3 * 5 * 5 + 8 * 3, "one bias per output channel (8), not one per kernel"),
    ))),
    Exercise("8.7b", 1, "receptive field of three 3×3 layers", Number(field_87, mistakes=(
        (9, "the width does not multiply: each layer adds k - 1 = 2 pixels to it"),
        (27, "the field grows by adding k - 1 = 2 per layer, not by multiplying"),
        (6, "you counted what the three layers add, but not the one output pixel you start "
            "from"),
        (5, "that is the field of two layers (3, then 5); the third adds 2 more"),
    ))),
]
