"""Layers: the lego bricks of a network.

Every layer maps a batch forward and a gradient backward:

* ``forward(X)`` returns the output and remembers what ``backward`` will need;
* ``backward(grad_out)`` receives dL/dY (same shape as the output), fills
  ``grads`` with dL/dparam (same keys and shapes as ``params``) and returns
  dL/dX (same shape as the input).

``backward`` never changes ``params`` and never sees a learning rate: an
optimiser does the update afterwards (see ``nnlib.optim``).  Keeping the two
apart is what lets one gradient be averaged over a whole batch, and it
guarantees that dL/dX is computed with the same weights that produced Y.

Arrays are batch-first: vectors ``(N, features)``, images ``(N, C, H, W)``.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_shape, make_rng


class Layer:
    """Base class. Subclasses set ``params``/``grads`` and implement forward/backward."""

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray, input_grad: bool = True):  # pragma: no cover
        """Fill ``grads``; return dL/dX (or ``None`` when ``input_grad`` is False)."""
        raise NotImplementedError

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return self.forward(X)

    def _saved(self, name: str):
        """What ``forward`` stored for ``backward``; a clear error if forward never ran."""
        value = getattr(self, name, None)
        if value is None:
            raise RuntimeError(f"{self!r}: backward called before forward")
        return value

    @property
    def n_params(self) -> int:
        """Number of trainable numbers in this layer."""
        return sum(p.size for p in self.params.values())

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _check_dtype(dtype) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def _init_weights(rng, shape, fan_in: int, fan_out: int, init: str, dtype) -> np.ndarray:
    """Draw initial weights so that signals keep their scale from layer to layer.

    ``'xavier'`` (Glorot, for tanh/sigmoid): U(-a, a) with a = sqrt(6 / (fan_in + fan_out)),
    so Var(w) = 2 / (fan_in + fan_out).
    ``'he'`` (Kaiming, for ReLU): N(0, 2 / fan_in).
    """
    if init == "xavier":
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-limit, limit, size=shape)
    elif init == "he":
        w = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
    else:
        raise ValueError(f"init must be 'xavier' or 'he', got {init!r}")
    return w.astype(dtype)


class Dense(Layer):
    """Fully connected layer y = W x + b.  X: (N, in) -> Y: (N, out).

    Holds W of shape (out, in) and b of shape (out,).  For a batch whose rows are
    samples, Y = X Wᵀ + b, which is y = W x + b for every sample x written as a
    column vector.  Backward, with G = dL/dY of shape (N, out)::

        dL/dW = Gᵀ X   (out, in)     dL/db = Σₙ G   (out,)     dL/dX = G W   (N, in)

    Initialisation: ``init='xavier'`` (default) or ``'he'``; biases start at 0.
    """

    def __init__(self, in_features: int, out_features: int, rng=None,
                 dtype=np.float64, init: str = "xavier"):
        super().__init__()
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.dtype = _check_dtype(dtype)
        rng = make_rng(rng)
        self.params["W"] = _init_weights(rng, (self.out_features, self.in_features),
                                         self.in_features, self.out_features, init, self.dtype)
        self.params["b"] = np.zeros(self.out_features, dtype=self.dtype)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._X = None

    def forward(self, X):
        X = as_float_array(X, self.dtype, repr(self))
        check_shape(X, (None, self.in_features), repr(self))
        self._X = X
        Y = X @ self.params["W"].T
        Y += self.params["b"]
        return Y

    def backward(self, grad_out, input_grad=True):
        X = self._saved("_X")
        grad_out = as_float_array(grad_out, self.dtype, f"{self!r}.backward")
        check_shape(grad_out, (X.shape[0], self.out_features), f"{self!r}.backward")
        self.grads["W"] = grad_out.T @ X
        self.grads["b"] = grad_out.sum(axis=0)
        return grad_out @ self.params["W"] if input_grad else None

    def __repr__(self):
        return f"Dense({self.in_features} -> {self.out_features})"


class Conv2D(Layer):
    """2-D convolution (cross-correlation, as in every deep-learning library), stride 1.

    X: (N, C_in, H, W) -> Y: (N, C_out, H + 2p - kh + 1, W + 2p - kw + 1), with
    K of shape (C_out, C_in, kh, kw) and b of shape (C_out,)::

        Y[n, o, i, j] = b[o] + Σ_c Σ_u Σ_v K[o, c, u, v] · X̃[n, c, i + u, j + v]

    where X̃ is X with ``padding`` zeros on each side.  Backward, with G = dL/dY::

        dL/dK[o, c, u, v] = Σ_n Σ_i Σ_j G[n, o, i, j] · X̃[n, c, i + u, j + v]
        dL/db[o]          = Σ_n Σ_i Σ_j G[n, o, i, j]
        dL/dX̃[n, c, i, j] = Σ_o Σ_u Σ_v G[n, o, i - u, j - v] · K[o, c, u, v]

    (the last one is a "full" convolution of G with K flipped in u and v).

    Vectorised with "im2col": the kh·kw shifted copies of the input are stacked
    into a matrix with one column per output pixel, so the convolution becomes
    one matrix product per batch, ``K (C_out, C_in·kh·kw) @ cols (C_in·kh·kw, Ho·Wo)``.
    The only Python loop runs over the kh·kw kernel offsets, never over samples,
    channels or pixels.  Initialisation: Xavier (default) or He, fan_in = C_in·kh·kw.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, padding: int = 0,
                 rng=None, dtype=np.float64, init: str = "xavier"):
        super().__init__()
        kh, kw = (kernel_size, kernel_size) if np.isscalar(kernel_size) else kernel_size
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = (int(kh), int(kw))
        self.padding = int(padding)
        if self.padding < 0:
            raise ValueError(f"padding must be >= 0, got {padding}")
        self.dtype = _check_dtype(dtype)
        rng = make_rng(rng)
        fan_in = self.in_channels * kh * kw
        fan_out = self.out_channels * kh * kw
        shape = (self.out_channels, self.in_channels, kh, kw)
        self.params["K"] = _init_weights(rng, shape, fan_in, fan_out, init, self.dtype)
        self.params["b"] = np.zeros(self.out_channels, dtype=self.dtype)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._cols = None

    def _im2col(self, Xp):
        """(N, C, H, W) padded input -> cols (N, C·kh·kw, Ho·Wo), one column per output pixel."""
        kh, kw = self.kernel_size
        N, C, H, W = Xp.shape
        Ho, Wo = H - kh + 1, W - kw + 1
        cols = np.empty((N, C, kh, kw, Ho, Wo), dtype=Xp.dtype)
        for u in range(kh):
            for v in range(kw):
                cols[:, :, u, v] = Xp[:, :, u:u + Ho, v:v + Wo]
        return cols.reshape(N, C * kh * kw, Ho * Wo)

    def forward(self, X):
        X = as_float_array(X, self.dtype, repr(self))
        check_shape(X, (None, self.in_channels, "H", "W"), repr(self))
        kh, kw = self.kernel_size
        p = self.padding
        Xp = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p))) if p else X
        N, _, H, W = Xp.shape
        if H < kh or W < kw:
            raise ValueError(f"{self!r}: input of shape {X.shape} is smaller than the kernel "
                             f"{self.kernel_size} (after padding {p})")
        self._cols = self._im2col(Xp)
        self._in_shape = X.shape
        K = self.params["K"].reshape(self.out_channels, -1)
        Y = np.matmul(K, self._cols)                      # (N, C_out, Ho·Wo)
        Y += self.params["b"][:, None]
        return Y.reshape(N, self.out_channels, H - kh + 1, W - kw + 1)

    def backward(self, grad_out, input_grad=True):
        cols = self._saved("_cols")
        N, C, H, W = self._in_shape
        kh, kw = self.kernel_size
        p = self.padding
        Ho, Wo = H + 2 * p - kh + 1, W + 2 * p - kw + 1
        grad_out = as_float_array(grad_out, self.dtype, f"{self!r}.backward")
        check_shape(grad_out, (N, self.out_channels, Ho, Wo), f"{self!r}.backward")
        G = grad_out.reshape(N, self.out_channels, Ho * Wo)
        # dL/dK = Σ_n G_n cols_nᵀ: a batched product, then the sum over samples (no copies,
        # where a tensordot over (n, pixel) would first transpose both operands).
        grad_K = np.matmul(G, cols.transpose(0, 2, 1)).sum(axis=0)   # (C_out, C_in·kh·kw)
        self.grads["K"] = grad_K.reshape(self.params["K"].shape)
        self.grads["b"] = G.sum(axis=(0, 2))
        if not input_grad:
            return None
        # dL/dcols = Kᵀ G; each column goes back to the kh·kw input pixels it was copied
        # from ("col2im"), which adds up exactly the full convolution in the docstring.
        K = self.params["K"].reshape(self.out_channels, -1)
        dcols = np.matmul(K.T, G).reshape(N, C, kh, kw, Ho, Wo)
        grad_in = np.zeros((N, C, H + 2 * p, W + 2 * p), dtype=self.dtype)
        for u in range(kh):
            for v in range(kw):
                grad_in[:, :, u:u + Ho, v:v + Wo] += dcols[:, :, u, v]
        return grad_in[:, :, p:p + H, p:p + W] if p else grad_in

    def __repr__(self):
        kh, kw = self.kernel_size
        pad = f", padding={self.padding}" if self.padding else ""
        return f"Conv2D({self.in_channels} -> {self.out_channels}, {kh}x{kw}{pad})"


class MaxPool2D(Layer):
    """Max pooling over non-overlapping ``size`` x ``size`` windows (stride = size).

    X: (N, C, H, W) -> Y: (N, C, H // size, W // size), Y[n, c, i, j] = the maximum of
    X[n, c, i·s : i·s + s, j·s : j·s + s]; rows and columns that do not fill a whole
    window are dropped, as in PyTorch.  Backward sends each dL/dY entry to the input
    that was the maximum of its window (the first one, in reading order, on ties) and
    zero to the others.

    Computed on the s² strided views X[:, :, u::s, v::s], one per position (u, v)
    inside the window: no copies of X, and the only loop is over those s² positions.
    """

    def __init__(self, size: int = 2):
        super().__init__()
        self.size = int(size)
        if self.size < 1:
            raise ValueError(f"MaxPool2D size must be >= 1, got {size}")

    def _views(self, A):
        """The size² views A[:, :, u::s, v::s], cut to whole windows, in reading order."""
        s = self.size
        Ho, Wo = A.shape[2] // s, A.shape[3] // s
        return [A[:, :, u:Ho * s:s, v:Wo * s:s] for u in range(s) for v in range(s)]

    def forward(self, X):
        X = np.asarray(X)
        check_shape(X, (None, "C", "H", "W"), repr(self))
        if X.shape[2] < self.size or X.shape[3] < self.size:
            raise ValueError(f"{self!r}: input of shape {X.shape} is smaller than one window")
        views = self._views(X)
        Y = views[0].copy()
        for view in views[1:]:
            np.maximum(Y, view, out=Y)
        self._X, self._Y = X, Y
        return Y

    def backward(self, grad_out, input_grad=True):
        X = self._saved("_X")
        grad_out = np.asarray(grad_out)
        check_shape(grad_out, self._Y.shape, f"{self!r}.backward")
        grad_in = np.zeros(X.shape, dtype=grad_out.dtype)
        unclaimed = np.ones(grad_out.shape, dtype=bool)  # windows whose maximum is not yet found
        for x_view, grad_view in zip(self._views(X), self._views(grad_in)):
            hit = x_view == self._Y
            hit &= unclaimed
            unclaimed ^= hit
            np.multiply(grad_out, hit, out=grad_view)
        return grad_in

    def __repr__(self):
        return f"MaxPool2D({self.size})"


class Flatten(Layer):
    """Flatten every sample into one vector.  X: (N, d1, d2, ...) -> (N, d1·d2·...)."""

    def forward(self, X):
        X = np.asarray(X)
        if X.ndim < 2:
            raise ValueError(f"{self!r}: expected input of shape (N, ...), got {X.shape}")
        self._in_shape = X.shape
        return X.reshape(X.shape[0], -1)

    def backward(self, grad_out, input_grad=True):
        return np.asarray(grad_out).reshape(self._saved("_in_shape"))


class Reshape(Layer):
    """Reshape every sample.  X: (N, *in_shape) -> (N, *out_shape)."""

    def __init__(self, in_shape, out_shape):
        super().__init__()
        self.in_shape, self.out_shape = tuple(in_shape), tuple(out_shape)
        if np.prod(self.in_shape) != np.prod(self.out_shape):
            raise ValueError(f"Reshape: cannot reshape {self.in_shape} into {self.out_shape}")

    def forward(self, X):
        X = np.asarray(X)
        check_shape(X, (None, *self.in_shape), repr(self))
        return X.reshape(X.shape[0], *self.out_shape)

    def backward(self, grad_out, input_grad=True):
        grad_out = np.asarray(grad_out)
        return grad_out.reshape(grad_out.shape[0], *self.in_shape)

    def __repr__(self):
        return f"Reshape({self.in_shape} -> {self.out_shape})"
