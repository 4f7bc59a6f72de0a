"""Chapter 8's answer key against typical learner answers (the contract is in
tests/test_answer_keys.py): WRONG_ANSWERS lists, for each part, at least three typical wrong
answers with a phrase its feedback must contain; RIGHT_ANSWERS lists correct answers written
differently from the solutions notebook."""
from __future__ import annotations

import math

import numpy as np

from nnlib.exercises import ch08

from .learner_code import crashes, endless, forgets_return


# ---- learner functions, right and wrong, written independently of the answer key

def size_with_max(n, k, p, s):
    return max(0, math.floor((n + 2 * p - k) / s) + 1)


def size_by_counting(n, k, p, s):
    count, start = 0, 0
    while start + k <= n + 2 * p:
        count, start = count + 1, start + s
    return count


def correlate_by_sums(x, k):
    x, k = np.asarray(x), np.asarray(k)
    kh, kw = k.shape
    Ho, Wo = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    return sum(k[u, v] * x[u:u + Ho, v:v + Wo] for u in range(kh) for v in range(kw))


def convolve_not_correlate(x, k):
    return correlate_by_sums(x, np.asarray(k)[::-1, ::-1])


def correlate_full(x, k):
    kh, kw = np.shape(k)
    return correlate_by_sums(np.pad(x, ((kh - 1, kh - 1), (kw - 1, kw - 1))), k)


def correlate_in_place(x, k):
    x -= x.mean()  # centring the image in place: the change alone is the mistake
    return correlate_by_sums(x + x.mean(), k)


def channels_einsum(X, K, b):
    X, K = np.asarray(X), np.asarray(K)
    kh, kw = K.shape[2:]
    Ho, Wo = X.shape[1] - kh + 1, X.shape[2] - kw + 1
    patches = np.stack([X[:, u:u + Ho, v:v + Wo] for u in range(kh) for v in range(kw)], axis=1)
    return np.einsum("ocuv,cuvij->oij", K, patches.reshape(len(X), kh, kw, Ho, Wo)) + \
        np.asarray(b)[:, None, None]


def channels_without_bias(X, K, b):
    return channels_einsum(X, K, np.zeros(len(K)))


def channels_not_summed(X, K, b):
    return np.array([[correlate_by_sums(X[c], K[o, c]) + b[o] for c in range(len(X))]
                     for o in range(len(K))])


def kernel_grad_as_convolution(X, G):
    return convolve_not_correlate(X, G)


def kernel_grad_by_loops(X, G):
    X, G = np.asarray(X), np.asarray(G)
    kh, kw = X.shape[0] - G.shape[0] + 1, X.shape[1] - G.shape[1] + 1
    return np.array([[np.sum(G * X[u:u + G.shape[0], v:v + G.shape[1]]) for v in range(kw)]
                     for u in range(kh)])


def kernel_grad_upside_down(X, G):
    return kernel_grad_by_loops(X, G)[::-1, ::-1]


def kernel_grad_correlate_G_with_X(X, G):
    return correlate_by_sums(G, X) if np.shape(G)[0] >= np.shape(X)[0] else \
        correlate_full(G, X)


def input_grad_by_scatter(G, K):
    G, K = np.asarray(G), np.asarray(K)
    kh, kw = K.shape
    dX = np.zeros((G.shape[0] + kh - 1, G.shape[1] + kw - 1))
    for i in range(G.shape[0]):
        for j in range(G.shape[1]):
            dX[i:i + kh, j:j + kw] += G[i, j] * K   # output (i, j) read this patch
    return dX


def input_grad_not_flipped(G, K):
    return correlate_full(G, K)


def input_grad_valid(G, K):
    return convolve_not_correlate(G, K) if np.shape(G)[0] >= np.shape(K)[0] else np.zeros(1)


def im2col_by_patches(x, kh, kw):
    x = np.asarray(x)
    C, H, W = x.shape
    return np.stack([x[:, i:i + kh, j:j + kw].ravel()
                     for i in range(H - kh + 1) for j in range(W - kw + 1)], axis=1)


def im2col_transposed(x, kh, kw):
    return im2col_by_patches(x, kh, kw).T


def pool_backward_by_mask(x, G):
    x = np.asarray(x)
    out = np.zeros(x.shape)
    for i in range(G.shape[0]):
        for j in range(G.shape[1]):
            window = x[2 * i:2 * i + 2, 2 * j:2 * j + 2].ravel()
            first = int(np.flatnonzero(window == window.max())[0])
            out[2 * i + first // 2, 2 * j + first % 2] = G[i, j]
    return out


def pool_backward_every_tie(x, G):
    return ch08._maxpool_backward_to_every_tie(np.asarray(x), np.asarray(G))


def pool_backward_to_last_max(x, G):
    x = np.asarray(x)
    out = np.zeros(x.shape)
    for i in range(G.shape[0]):
        for j in range(G.shape[1]):
            window = x[2 * i:2 * i + 2, 2 * j:2 * j + 2].ravel()
            last = int(np.flatnonzero(window == window.max())[-1])
            out[2 * i + last // 2, 2 * j + last % 2] = G[i, j]
    return out


def pool_backward_spread(x, G):
    return np.kron(G, np.ones((2, 2)))


X, K = ch08.X_82, ch08.K_82
DK, DX, DX_POOL = ch08.dK_83, ch08.dx_84, ch08.dx_86

WRONG_ANSWERS = [
    # 8.1a: valid, n = 28, k = 5 -> 24
    ("8.1a", 23, "one too few"),
    ("8.1a", 32, "full correlation"),
    ("8.1a", 28, "without padding"),
    ("8.1a", "24", "without quotes"),
    ("8.1a", None, "None"),
    # 8.1b: n = 28, k = 5, p = 2 -> 28
    ("8.1b", 26, "on each side"),
    ("8.1b", 24, "the padding is missing"),
    ("8.1b", 27, "do not forget the + 1"),
    ("8.1b", [28, 28], "give one number"),
    # 8.1c: n = 28, k = 3, p = 1, s = 2 -> 14
    ("8.1c", 14.5, "round it down"),
    ("8.1c", 15, "rounded 27/2 up"),
    ("8.1c", 13, "either the + 1 or the padding is missing"),
    ("8.1c", 28, "the stride is missing"),
    # 8.1d: n = 3, k = 7, p = 1 -> 0
    ("8.1d", -1, "cannot be negative"),
    ("8.1d", 1, "not even one"),
    ("8.1d", -3, "no window fits"),
    ("8.1d", float("nan"), "NaN"),
    # 8.1e: output_size
    ("8.1e", ch08._formula_even_when_invalid, "return 0"),
    ("8.1e", lambda n, k, p, s: max(0, (n + 2 * p - k) // s), "the + 1 is missing"),
    ("8.1e", lambda n, k, p, s: max(0, (n + p - k) // s + 1), "n + 2p"),
    ("8.1e", lambda n, k, p, s: max(0, n + 2 * p - k + 1), "the stride s is missing"),
    ("8.1e", lambda n, k, p, s: 0 if n + 2 * p < k else (n + 2 * p - k) / s + 1, "use // instead of /"),
    ("8.1e", lambda n, k, p, s: 0 if n + 2 * p < k else math.ceil((n + 2 * p - k) / s) + 1,
     "rounded (n + 2p - k)/s up"),
    ("8.1e", forgets_return, "forget `return`"),
    ("8.1e", endless, "did not finish within"),
    ("8.1e", lambda n, k: n - k + 1, "raised TypeError"),
    # 8.2a: y[1, 2] = 2
    ("8.2a", 4, "you flipped the kernel"),
    ("8.2a", -1, "that is y[2, 1]"),
    ("8.2a", 1, "the kernel is transposed"),
    ("8.2a", "2", "without quotes"),
    # 8.2b: correlate2d_valid
    ("8.2b", convolve_not_correlate, "that is a convolution"),
    ("8.2b", correlate_full, "expected shape (3, 3)"),
    ("8.2b", correlate_in_place, "in place"),
    ("8.2b", crashes, "raised ZeroDivisionError"),
    ("8.2b", lambda x, k: correlate_by_sums(x, np.asarray(k).T), "the kernel is transposed"),
    ("8.2b", lambda x, k: np.trunc(correlate_by_sums(x, k)), "cut to whole numbers"),
    ("8.2b", lambda x, k: correlate_by_sums(x, k) * np.nan, "returned nan"),
    # 8.2c: conv2d_channels
    ("8.2c", channels_without_bias, "the bias b[o] is missing"),
    ("8.2c", lambda X, K, b: channels_einsum(X, np.asarray(K)[:, :, ::-1, ::-1], b),
     "you flipped the kernels"),
    ("8.2c", channels_not_summed, "expected shape (3, 3, 3)"),
    ("8.2c", lambda X, K, b: channels_einsum(X, K, b) + (len(X) - 1) * np.asarray(b)[:, None, None],
     "once per output channel"),
    # 8.3a: dL/dK in 1-D
    ("8.3a", DK[::-1], "reverse order"),
    ("8.3a", np.convolve(ch08.x_83, ch08.G_83, mode="valid"), "you flipped G"),
    ("8.3a", np.full(3, ch08.G_83 @ ch08.x_83[:3]), "shift x by u"),
    ("8.3a", DK[:2], "expected shape (3,)"),
    # 8.3b: dL/db
    ("8.3b", 2 / 3, "the mean of G"),
    ("8.3b", 5, "the sum of x"),
    ("8.3b", 3, "counts the outputs"),
    ("8.3b", -2, "wrong sign"),
    # 8.3c: kernel_grad
    ("8.3c", kernel_grad_as_convolution, "you flipped G"),
    ("8.3c", kernel_grad_upside_down, "upside down"),
    ("8.3c", lambda X, G: kernel_grad_by_loops(X, G) / np.size(G), "does not average"),
    ("8.3c", kernel_grad_correlate_G_with_X, "expected shape (3, 2)"),
    ("8.3c", endless, "did not finish within"),
    # 8.4a: dL/dx in 1-D
    ("8.4a", np.correlate(ch08.G_83, ch08.K_83, mode="full"), "did not flip the kernel"),
    ("8.4a", DX[::-1], "reverse order"),
    ("8.4a", np.convolve(ch08.G_83, ch08.K_83, mode="valid"), "expected shape (5,)"),
    ("8.4a", np.r_[DX[:4], np.inf], "not a finite number"),
    # 8.4b: input_grad
    ("8.4b", input_grad_not_flipped, "the kernel is not flipped"),
    ("8.4b", lambda G, K: input_grad_by_scatter(G, K)[::-1, ::-1], "upside down"),
    ("8.4b", input_grad_valid, "expected shape (4, 4)"),
    ("8.4b", forgets_return, "forget `return`"),
    # 8.4c: terms for the corner pixel
    ("8.4c", 9, "away from the border"),
    ("8.4c", 4, "count the windows"),
    ("8.4c", 0, "one term"),
    # 8.4d: terms for an inside pixel
    ("8.4d", 1, "far from the border"),
    ("8.4d", 3, "3 rows of windows"),
    ("8.4d", 25, "not 5 × 5"),
    # 8.5a: shape of cols
    ("8.5a", (9, 18), "rows and columns are swapped"),
    ("8.5a", (18, 25), "output* pixel"),
    ("8.5a", (9, 9), "of every channel"),
    ("8.5a", (18,), "expected shape (2,)"),
    # 8.5b: im2col
    ("8.5b", ch08._im2col_rows_uvc, "order (u, v, c)"),
    ("8.5b", ch08._im2col_columns_by_column, "go down the output's columns"),
    ("8.5b", im2col_transposed, "expected shape (12, 8)"),
    ("8.5b", crashes, "raised ZeroDivisionError"),
    # 8.6a: max-pool backward with ties
    ("8.6a", pool_backward_every_tie(ch08.x_86, ch08.G_86), "every tied entry"),
    ("8.6a", ch08._maxpool_backward_split_ties(ch08.x_86, ch08.G_86), "split G"),
    ("8.6a", pool_backward_to_last_max(ch08.x_86, ch08.G_86), "the last tied maximum"),
    ("8.6a", pool_backward_spread(ch08.x_86, ch08.G_86), "only the maximum"),
    ("8.6a", pool_backward_spread(ch08.x_86, ch08.G_86) / 4, "average pooling"),
    ("8.6a", ch08.G_86, "expected shape (4, 4)"),
    # 8.6b: maxpool_backward
    ("8.6b", pool_backward_every_tie, "every tied entry"),
    ("8.6b", ch08._maxpool_backward_split_ties, "split G"),
    ("8.6b", pool_backward_to_last_max, "the last tied maximum"),
    ("8.6b", pool_backward_spread, "only the maximum"),
    # 8.7a: parameters of Conv 3 -> 8, 5x5
    ("8.7a", 600, "biases are missing"),
    ("8.7a", 208, "for *each* of the 3 input channels"),
    ("8.7a", 603, "not per input channel"),
    ("8.7a", 624, "not one per kernel"),
    # 8.7b: receptive field of three 3x3 layers
    ("8.7b", 9, "does not multiply"),
    ("8.7b", 27, "not by multiplying"),
    ("8.7b", 6, "the one output pixel"),
    ("8.7b", 5, "the field of two layers"),
]

RIGHT_ANSWERS = [
    ("8.1a", np.int64(24)),
    ("8.1b", 28.0),
    ("8.1c", math.floor(27 / 2) + 1),
    ("8.1d", 0.0),
    ("8.1e", size_with_max),
    ("8.1e", size_by_counting),
    ("8.2a", np.float32(2.0)),
    ("8.2b", correlate_by_sums),
    ("8.2c", channels_einsum),
    ("8.3a", [13, -7, 6]),
    ("8.3b", np.sum(ch08.G_83)),
    ("8.3c", kernel_grad_by_loops),
    ("8.4a", (2, -3, 3, 5, -3)),
    ("8.4b", input_grad_by_scatter),
    ("8.4c", 1.0),
    ("8.4d", np.int32(9)),
    ("8.5a", [18, 9]),
    ("8.5b", im2col_by_patches),
    ("8.6a", DX_POOL.tolist()),
    ("8.6b", pool_backward_by_mask),
    ("8.7a", 608.0),
    ("8.7b", 7),
]


def test_answer_key_agrees_with_scipy():
    """The key's own loops against scipy's correlate2d and convolve2d."""
    from scipy import signal

    rng = np.random.default_rng(0)
    x, k, G = rng.normal(size=(6, 5)), rng.normal(size=(3, 2)), rng.normal(size=(4, 3))
    np.testing.assert_allclose(ch08.correlate_valid(x, k), signal.correlate2d(x, k, "valid"))
    np.testing.assert_allclose(ch08.convolve_full(G, k), signal.convolve2d(G, k, "full"))
    np.testing.assert_allclose(ch08.kernel_grad_by_central_differences(x, G),
                               signal.correlate2d(x, G, "valid"), atol=1e-8)
    assert ch08.output_size(28, 3, 1, 2) == 14 and ch08.output_size(3, 7, 1) == 0
    assert list(ch08.dK_83) == [13, -7, 6] and list(ch08.dx_84) == [2, -3, 3, 5, -3]
