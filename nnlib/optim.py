"""Optimisers: turn the gradients that ``backward`` left in ``layer.grads`` into updates.

``step(layers)`` takes a list of layers or a ``Sequential`` and changes every
``layer.params[name]`` in place.  Writing θ for any parameter and g for its
gradient dL/dθ:

* ``SGD``:       θ ← θ - η g
* ``Momentum``:  v ← β v + g;  θ ← θ - η v                        (as in PyTorch)
* ``Adam``:      m ← β₁ m + (1-β₁) g;  s ← β₂ s + (1-β₂) g²;
                 θ ← θ - η m̂ / (√ŝ + ε),  m̂ = m / (1-β₁ᵗ),  ŝ = s / (1-β₂ᵗ)
"""
from __future__ import annotations

import math

import numpy as np


def _layers_of(layers):
    return getattr(layers, "layers", layers)


class Optimizer:
    """Base class: iterates over (state key, parameter, gradient) and calls ``_update``."""

    def __init__(self, lr: float):
        if not lr > 0:
            raise ValueError(f"{type(self).__name__}: lr must be positive, got {lr}")
        self.lr = float(lr)
        self.state: dict = {}
        self.t = 0  # number of steps taken

    def step(self, layers) -> None:
        """Update every parameter of ``layers`` (a list of layers or a Sequential) in place."""
        self.t += 1
        for layer in _layers_of(layers):
            for name, param in layer.params.items():
                grad = layer.grads[name]
                if grad.shape != param.shape:
                    raise ValueError(f"{layer!r}: gradient {name!r} has shape {grad.shape}, "
                                     f"parameter has shape {param.shape}")
                self._update((id(layer), name), param, grad)

    def _update(self, key, param, grad):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr:g})"


class SGD(Optimizer):
    """Plain gradient descent θ ← θ - η g."""

    def _update(self, key, param, grad):
        param -= self.lr * grad


class Momentum(Optimizer):
    """Gradient descent with momentum: v ← β v + g;  θ ← θ - η v."""

    def __init__(self, lr: float, beta: float = 0.9):
        super().__init__(lr)
        self.beta = float(beta)

    def _update(self, key, param, grad):
        v = self.state.get(key)
        if v is None:
            v = self.state[key] = np.zeros_like(param)
        v *= self.beta
        v += grad
        param -= self.lr * v

    def __repr__(self):
        return f"Momentum(lr={self.lr:g}, beta={self.beta:g})"


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction; see the module docstring."""

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8):
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def _update(self, key, param, grad):
        state = self.state.get(key)
        if state is None:
            state = self.state[key] = (np.zeros_like(param), np.zeros_like(param))
        m, s = state
        m *= self.beta1
        m += (1 - self.beta1) * grad
        s *= self.beta2
        s += (1 - self.beta2) * grad * grad
        # Fold both bias corrections into one step size: fewer passes over the arrays.
        # (Python floats, not numpy scalars, so float32 parameters stay float32.)
        step = self.lr * math.sqrt(1 - self.beta2 ** self.t) / (1 - self.beta1 ** self.t)
        eps_hat = self.eps * math.sqrt(1 - self.beta2 ** self.t)
        param -= step * m / (np.sqrt(s) + eps_hat)

    def __repr__(self):
        return f"Adam(lr={self.lr:g}, beta1={self.beta1:g}, beta2={self.beta2:g})"
