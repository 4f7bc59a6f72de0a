"""Activation functions: elementwise (Sigmoid, Tanh, ReLU) and row-wise (Softmax).

An elementwise activation Y = f(X) has no parameters; its backward is the chain
rule entry by entry: dL/dX = dL/dY ⊙ f'(X).  Shapes: any -> the same shape.

The plain functions ``sigmoid``, ``softmax``, ``log_softmax`` and ``logsumexp``
are written to be numerically stable: no overflow warning and no NaN for inputs
such as 1000 or -1000.
"""
from __future__ import annotations

import numpy as np

from .layers import Layer


def sigmoid(x):
    """σ(x) = 1 / (1 + e^(-x)), elementwise, safe for any x.

    For very negative x, e^(-x) overflows to inf, and 1 / (1 + inf) = 0 is exactly
    the limit σ(-∞) = 0: no NaN can appear (the quotient never becomes inf/inf), so
    the overflow flag is silenced knowingly.  For very positive x, e^(-x) underflows
    to 0 and σ = 1.  One pass, in place: this runs on every activation of a network.
    """
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        e = np.exp(-x)
    if e.ndim == 0:  # a scalar in, a scalar out
        return 1 / (1 + e)
    e += 1
    return np.reciprocal(e, out=e)


def logsumexp(z, axis=-1, keepdims=False):
    """log Σᵢ e^(zᵢ) along ``axis``, as m + log Σᵢ e^(zᵢ - m) with m = max z (never overflows)."""
    z = np.asarray(z)
    m = z.max(axis=axis, keepdims=True)
    out = m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def softmax(z, axis=-1):
    """softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ), computed as e^(zᵢ - m) / Σⱼ e^(zⱼ - m), m = max z.

    Subtracting m changes nothing mathematically (it cancels) and keeps every
    exponent <= 0, so softmax([1000, 0]) is [1, 0] rather than NaN.
    """
    z = np.asarray(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    """log softmax(z)ᵢ = zᵢ - logsumexp(z): finite even where softmax(z)ᵢ underflows to 0."""
    z = np.asarray(z)
    return z - logsumexp(z, axis=axis, keepdims=True)


class Activation(Layer):
    """Elementwise activation Y = f(X), backward dL/dX = dL/dY ⊙ f'(X).  Any shape.

    ``Activation(np.sin, np.cos)`` is a working layer: give it f and its derivative.
    """

    def __init__(self, f, f_prime, name: str | None = None):
        super().__init__()
        self.f, self.f_prime = f, f_prime
        self._name = name or getattr(f, "__name__", "f")

    def forward(self, X):
        self._X = np.asarray(X)
        return self.f(self._X)

    def backward(self, grad_out, input_grad=True):
        return grad_out * self.f_prime(self._saved("_X"))

    def __repr__(self):
        if type(self) is Activation:
            return f"Activation({self._name})"
        return f"{type(self).__name__}()"


def _sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1 - s)


def _tanh_prime(x):
    return 1 - np.tanh(x) ** 2


def _relu(x):
    return np.maximum(x, 0)


def _relu_prime(x):
    # The kink at 0 has no derivative; we use 0 there, as PyTorch does.
    return (x > 0).astype(np.asarray(x).dtype)


class Sigmoid(Activation):
    """σ(x) = 1 / (1 + e^(-x)); σ'(x) = σ(x)(1 - σ(x)).  Backward reuses the forward output."""

    def __init__(self):
        super().__init__(sigmoid, _sigmoid_prime)

    def forward(self, X):
        self._Y = sigmoid(X)
        return self._Y

    def backward(self, grad_out, input_grad=True):
        Y = self._saved("_Y")
        grad_in = 1 - Y          # one temporary, then in place: this runs at every step
        grad_in *= Y
        grad_in *= grad_out
        return grad_in


class Tanh(Activation):
    """tanh(x); tanh'(x) = 1 - tanh²(x).  Backward reuses the forward output."""

    def __init__(self):
        super().__init__(np.tanh, _tanh_prime)

    def forward(self, X):
        self._Y = np.tanh(X)
        return self._Y

    def backward(self, grad_out, input_grad=True):
        Y = self._saved("_Y")
        grad_in = Y * Y
        np.subtract(1, grad_in, out=grad_in)
        grad_in *= grad_out
        return grad_in


class ReLU(Activation):
    """ReLU(x) = max(x, 0); ReLU'(x) = 1 for x > 0, else 0."""

    def __init__(self):
        super().__init__(_relu, _relu_prime)


class Softmax(Layer):
    """Row-wise softmax.  X: (N, K) -> Y: (N, K), every row positive and summing to 1.

    Its Jacobian for one row is ∂yᵢ/∂zⱼ = yᵢ(δᵢⱼ - yⱼ), so backward needs no K x K
    matrix:  dL/dz = y ⊙ (g - (g · y)),  with g = dL/dy.

    For classification prefer ``CrossEntropy`` on the logits (no Softmax layer):
    it folds softmax into the loss, which is both simpler (dL/dz = ŷ - y) and stabler.
    """

    def forward(self, X):
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"Softmax(): expected input of shape (N, K), got {X.shape}")
        self._Y = softmax(X, axis=1)
        return self._Y

    def backward(self, grad_out, input_grad=True):
        Y = self._saved("_Y")
        return Y * (grad_out - (grad_out * Y).sum(axis=1, keepdims=True))
