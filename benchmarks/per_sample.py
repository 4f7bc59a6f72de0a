"""A straightforward per-sample network, the way the classic from-scratch tutorials write it.

This is the yardstick nnlib is timed against: one sample at a time, every sample a
column vector (or a stack of 2-D images), and a Python loop over output kernels and
input channels in the convolution, each pair handled by ``scipy.signal.correlate2d``.

Two changes from those tutorials, so that it does exactly the work nnlib does and
the two can be compared number for number:

* weights are updated once per mini-batch, not once per sample: ``backward``
  *adds* each sample's dL/dparam to ``grads``, and ``sgd_step`` applies the batch
  mean (the tutorials update inside ``backward`` with batch size 1);
* the convolution has one bias per output channel (as in nnlib and PyTorch), not
  one per output pixel; and the first layer skips dL/dX, which nobody uses
  (nnlib's ``fit`` and PyTorch skip it as well).

Shapes: a dense layer maps x (in, 1) -> y (out, 1); a convolution maps
x (C_in, H, W) -> y (C_out, H - k + 1, W - k + 1).
"""
from __future__ import annotations

import numpy as np
from scipy import signal


class Dense:
    """y = W x + b for one column vector x (in, 1); W (out, in), b (out, 1)."""

    def __init__(self, W, b):
        self.W = np.array(W)
        self.b = np.array(b).reshape(-1, 1)
        self.grads = {"W": np.zeros_like(self.W), "b": np.zeros_like(self.b)}

    def forward(self, x):
        self.x = x
        return self.W @ x + self.b

    def backward(self, grad_out, input_grad=True):
        """Add dL/dW = g xᵀ and dL/db = g to ``grads``; return dL/dx = Wᵀ g."""
        self.grads["W"] += grad_out @ self.x.T
        self.grads["b"] += grad_out
        return self.W.T @ grad_out if input_grad else None

    def params(self):
        return {"W": self.W, "b": self.b}


class Convolutional:
    """Valid cross-correlation, stride 1: y[o] = b[o] + Σ_c correlate2d(x[c], K[o, c]).

    K (C_out, C_in, k, k), b (C_out,).  The loops over o and c are the point: this is
    how the tutorials write it, and what nnlib's vectorised Conv2D replaces.
    """

    def __init__(self, K, b):
        self.K = np.array(K)
        self.b = np.array(b)
        self.grads = {"K": np.zeros_like(self.K), "b": np.zeros_like(self.b)}

    def forward(self, x):
        self.x = x
        c_out, c_in, k, _ = self.K.shape
        _, H, W = x.shape
        y = np.empty((c_out, H - k + 1, W - k + 1), dtype=x.dtype)
        for o in range(c_out):
            y[o] = self.b[o]
            for c in range(c_in):
                y[o] += signal.correlate2d(x[c], self.K[o, c], mode="valid")
        return y

    def backward(self, grad_out, input_grad=True):
        """dL/dK[o, c] = correlate2d(x[c], g[o]); dL/dx[c] = Σ_o convolve2d(g[o], K[o, c], full)."""
        c_out, c_in, _, _ = self.K.shape
        grad_in = np.zeros_like(self.x) if input_grad else None
        for o in range(c_out):
            self.grads["b"][o] += grad_out[o].sum()
            for c in range(c_in):
                self.grads["K"][o, c] += signal.correlate2d(self.x[c], grad_out[o], mode="valid")
                if input_grad:
                    grad_in[c] += signal.convolve2d(grad_out[o], self.K[o, c], mode="full")
        return grad_in

    def params(self):
        return {"K": self.K, "b": self.b}


class Reshape:
    """Reshape one sample, e.g. (5, 26, 26) -> (3380, 1), and back in ``backward``."""

    def __init__(self, in_shape, out_shape):
        self.in_shape, self.out_shape = in_shape, out_shape
        self.grads = {}

    def forward(self, x):
        return x.reshape(self.out_shape)

    def backward(self, grad_out, input_grad=True):
        return grad_out.reshape(self.in_shape)

    def params(self):
        return {}


class Activation:
    """y = f(x) elementwise; dL/dx = dL/dy ⊙ f'(x)."""

    grads: dict = {}

    def forward(self, x):
        self.y = self.f(x)
        return self.y

    def params(self):
        return {}


class Tanh(Activation):
    """tanh, with tanh' = 1 - tanh²."""

    f = staticmethod(np.tanh)

    def backward(self, grad_out, input_grad=True):
        return grad_out * (1 - self.y ** 2)


class Sigmoid(Activation):
    """σ(x) = 1 / (1 + e^-x), with σ' = σ (1 - σ)."""

    @staticmethod
    def f(x):
        return 1 / (1 + np.exp(-x))

    def backward(self, grad_out, input_grad=True):
        return grad_out * self.y * (1 - self.y)


def mse(y_pred, y_true):
    """Mean squared error of one sample: (1/K) Σ (ŷ - y)²; its gradient 2 (ŷ - y) / K."""
    diff = y_pred - y_true
    return float(np.mean(diff ** 2)), 2 * diff / diff.size


def cross_entropy(logits, y_true):
    """Softmax cross-entropy of one sample from logits z: -Σ y log softmax(z); gradient softmax(z) - y."""
    shifted = logits - logits.max()
    log_p = shifted - np.log(np.exp(shifted).sum())
    return float(-(y_true * log_p).sum()), np.exp(log_p) - y_true


def accumulate_batch(network, loss, x_batch, y_batch):
    """Forward and backward every sample of a batch in turn; return the mean loss.

    Leaves the *sum* over the batch of each sample's dL/dparam in ``layer.grads``.
    """
    for layer in network:
        for g in layer.grads.values():
            g.fill(0)
    total = 0.0
    for x, y in zip(x_batch, y_batch):
        out = x
        for layer in network:
            out = layer.forward(out)
        value, grad = loss(out, y.reshape(out.shape))
        total += value
        for i in range(len(network) - 1, -1, -1):
            grad = network[i].backward(grad, input_grad=i > 0)
    return total / len(x_batch)


def sgd_step(network, lr, batch_size):
    """θ ← θ - lr · (summed gradient) / batch_size: the mean gradient, as nnlib and PyTorch use."""
    for layer in network:
        for name, param in layer.params().items():
            param -= (lr / batch_size) * layer.grads[name]


def train_batch(network, loss, x_batch, y_batch, lr):
    """One SGD step on a mini-batch, computed one sample at a time; returns the mean loss.

    Same step as one step of nnlib or PyTorch on the same batch.
    """
    value = accumulate_batch(network, loss, x_batch, y_batch)
    sgd_step(network, lr, len(x_batch))
    return value


def train_epoch(network, loss, x, y, lr, batch_size=64):
    """One pass over (x, y) in order, in mini-batches; returns the list of batch losses."""
    return [train_batch(network, loss, x[i:i + batch_size], y[i:i + batch_size], lr)
            for i in range(0, len(x), batch_size)]
