"""Loss functions: how wrong a batch of predictions is, and in which direction to move.

Every loss has ``value(y_pred, y_true) -> float`` and ``grad(y_pred, y_true)``
(dL/dy_pred, the same shape as ``y_pred``).  Reductions follow PyTorch and
Keras: ``MSE`` and ``BinaryCrossEntropy`` average over every element;
``CrossEntropy`` sums over the classes of a sample and averages over samples.
Because the value is a mean, the 1/N is already inside ``grad``.

``accuracy(y_pred, y_true)`` gives the fraction of correct labels where that
makes sense for the loss, else ``None``.
"""
from __future__ import annotations

import numpy as np

from .activations import log_softmax, sigmoid, softmax


class Loss:
    """Base class: ``value``, ``grad`` and ``accuracy``."""

    def _pair(self, y_pred, y_true):
        y_pred = np.asarray(y_pred)
        if not np.issubdtype(y_pred.dtype, np.floating):
            y_pred = y_pred.astype(np.float64)
        y_true = np.asarray(y_true, dtype=y_pred.dtype)
        if y_pred.shape != y_true.shape:
            raise ValueError(f"{self!r}: y_pred has shape {y_pred.shape} but y_true has "
                             f"shape {y_true.shape}; they must match")
        if y_pred.ndim == 0 or y_pred.shape[0] == 0:
            raise ValueError(f"{self!r}: need at least one sample, got shape {y_pred.shape}")
        return y_pred, y_true

    def value(self, y_pred, y_true) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def grad(self, y_pred, y_true) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, y_pred, y_true) -> float:
        return self.value(y_pred, y_true)

    #: where a single-output prediction is split into class 0 and class 1
    threshold = 0.5

    def accuracy(self, y_pred, y_true):
        """Fraction of samples whose predicted class is right, or None for regression.

        One-hot targets (N, K>1): compare argmaxes.  Targets of 0s and 1s: compare
        y_pred > ``threshold`` with the target.  Anything else: None.
        """
        y_pred, y_true = np.asarray(y_pred), np.asarray(y_true)
        if y_pred.shape != y_true.shape or y_pred.ndim == 0:
            return None
        if y_true.ndim == 2 and y_true.shape[1] > 1:
            return float(np.mean(y_pred.argmax(axis=1) == y_true.argmax(axis=1)))
        if np.all((y_true == 0) | (y_true == 1)):
            return float(np.mean((y_pred > self.threshold) == (y_true == 1)))
        return None

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Mean squared error L = (1/M) Σ (ŷ - y)² over all M entries; dL/dŷ = 2(ŷ - y)/M."""

    def value(self, y_pred, y_true):
        y_pred, y_true = self._pair(y_pred, y_true)
        return float(np.mean((y_pred - y_true) ** 2))

    def grad(self, y_pred, y_true):
        y_pred, y_true = self._pair(y_pred, y_true)
        return 2 * (y_pred - y_true) / y_pred.size


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy, mean over all M entries: L = -(1/M) Σ [y log p + (1-y) log(1-p)].

    With ``from_logits=False`` (default) y_pred holds probabilities p; they are
    clipped to [eps, 1 - eps] so that p = 0 or 1 gives a large but finite loss
    and gradient dL/dp = (p - y) / (p (1 - p) M), taken at the clipped p.

    With ``from_logits=True`` y_pred holds logits z (p = σ(z)) and the loss is
    computed as max(z, 0) - z y + log(1 + e^(-|z|)), exact and stable for any z;
    then dL/dz = (σ(z) - y) / M.
    """

    def __init__(self, from_logits: bool = False, eps: float = 1e-7):
        self.from_logits, self.eps = bool(from_logits), float(eps)
        self.threshold = 0.0 if self.from_logits else 0.5

    def value(self, y_pred, y_true):
        y_pred, y_true = self._pair(y_pred, y_true)
        if self.from_logits:
            z = y_pred
            return float(np.mean(np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z)))))
        p = np.clip(y_pred, self.eps, 1 - self.eps)
        return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log1p(-p)))

    def grad(self, y_pred, y_true):
        y_pred, y_true = self._pair(y_pred, y_true)
        if self.from_logits:
            return (sigmoid(y_pred) - y_true) / y_pred.size
        p = np.clip(y_pred, self.eps, 1 - self.eps)
        return (p - y_true) / (p * (1 - p)) / y_pred.size

    def __repr__(self):
        return "BinaryCrossEntropy(from_logits=True)" if self.from_logits else "BinaryCrossEntropy()"


class CrossEntropy(Loss):
    """Softmax cross-entropy from logits.  z: (N, K) logits, y: (N, K) one-hot or probabilities.

    L = -(1/N) Σₙ Σₖ yₙₖ log softmax(zₙ)ₖ, computed with log-softmax (log-sum-exp),
    so logits like ±1000 give finite values.  Folding softmax into the loss makes
    the gradient simple:  dL/dz = (softmax(z) - y) / N  (for target rows summing to 1).

    Integer class labels of shape (N,) are accepted as targets too.
    """

    threshold = None

    def _pair(self, y_pred, y_true):
        y_pred = np.asarray(y_pred)
        y_true = np.asarray(y_true)
        if y_pred.ndim == 2 and y_true.ndim == 1 and y_true.shape[0] == y_pred.shape[0] \
                and np.issubdtype(y_true.dtype, np.integer):
            y_true = np.eye(y_pred.shape[1], dtype=y_pred.dtype)[y_true]
        if y_pred.ndim != 2:
            raise ValueError(f"{self!r}: expected logits of shape (N, K), got {y_pred.shape}")
        return super()._pair(y_pred, y_true)

    def value(self, z, y_true):
        z, y_true = self._pair(z, y_true)
        return float(-np.sum(y_true * log_softmax(z, axis=1)) / z.shape[0])

    def grad(self, z, y_true):
        z, y_true = self._pair(z, y_true)
        # General form softmax(z)·Σₖyₖ - y; it equals softmax(z) - y for one-hot rows.
        return (softmax(z, axis=1) * y_true.sum(axis=1, keepdims=True) - y_true) / z.shape[0]

    def accuracy(self, y_pred, y_true):
        y_pred, y_true = self._pair(y_pred, y_true)
        return float(np.mean(y_pred.argmax(axis=1) == y_true.argmax(axis=1)))
