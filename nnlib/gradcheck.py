"""Numerical gradients by central differences, to check every hand-derived gradient.

The central difference  f'(x) ≈ (f(x + h) - f(x - h)) / 2h  has error O(h²),
against O(h) for the forward difference (f(x + h) - f(x)) / h.  With h = 1e-6
in float64 the truncation error (~h²) and the round-off error (~1e-16 / h)
are both about 1e-10, so an analytic gradient that is right agrees to ~1e-8
relative error or better, and one that is wrong is off by far more.
"""
from __future__ import annotations

import numpy as np

from ._checks import make_rng


def numerical_gradient(f, x, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function: g[i] = (f(x + h eᵢ) - f(x - h eᵢ)) / 2h.

    ``x`` (any shape, float) is nudged one entry at a time **in place** and restored,
    so ``f`` may close over ``x`` (as with a layer's parameter array).  Returns an
    array of the shape of ``x``.  Costs 2·x.size calls of ``f``.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("numerical_gradient needs x as a float numpy array (it is nudged in place)")
    grad = np.zeros_like(x, dtype=np.float64)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat_x, x):
        raise ValueError("numerical_gradient needs a contiguous x (use np.ascontiguousarray)")
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + eps
        f_plus = float(f(x))
        flat_x[i] = old - eps
        f_minus = float(f(x))
        flat_x[i] = old
        flat_g[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(analytic, numeric) -> float:
    """max |a - n| / max(|a|, |n|) over the whole array (0 when both are all zeros).

    Scaling by the array's largest entry, not entry by entry, keeps entries that
    are tiny in both from turning round-off into a huge 'relative' error.
    """
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"shapes differ: analytic {a.shape}, numeric {n.shape}")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(n), initial=0.0))
    if scale == 0:
        return 0.0
    return float(np.max(np.abs(a - n)) / scale)


def check_layer(layer, x, rng=0, eps: float = 1e-6) -> dict[str, float]:
    """Compare a layer's backward with central differences; return max relative error per array.

    Uses the scalar L = Σ (forward(x) ⊙ G) with a fixed random G, so dL/dY = G.
    Keys: ``'input'`` and one per parameter name.  Use a float64 layer and input.
    """
    rng = make_rng(rng)
    x = np.array(x, dtype=np.float64)
    G = rng.standard_normal(np.shape(layer.forward(x)))

    def loss(_):
        return float(np.sum(layer.forward(x) * G))

    layer.forward(x)
    errors = {"input": None}
    analytic = {"input": layer.backward(G)}
    analytic.update({k: g.copy() for k, g in layer.grads.items()})
    errors["input"] = relative_error(analytic["input"], numerical_gradient(loss, x, eps))
    for name, param in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(loss, param, eps))
    return errors


def check_loss(loss, y_pred, y_true, eps: float = 1e-6) -> dict[str, float]:
    """Compare ``loss.grad`` with central differences of ``loss.value``: {'y_pred': max rel. error}."""
    y_pred = np.array(y_pred, dtype=np.float64)
    analytic = loss.grad(y_pred, y_true)
    numeric = numerical_gradient(lambda p: loss.value(p, y_true), y_pred, eps)
    return {"y_pred": relative_error(analytic, numeric)}


def compare(label: str, got, expected, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Print how closely a hand-derived result matches a reference, and return whether it does.

    One line: ``label | exact: True/False | approximate: True/False | max diff: 3.1e-11``.
    """
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        print(f"{label:<16} | shapes differ: got {got.shape}, expected {expected.shape}")
        return False
    exact = bool(np.array_equal(got, expected))
    approx = bool(np.allclose(got, expected, rtol=rtol, atol=atol))
    diff = float(np.max(np.abs(got - expected), initial=0.0))
    print(f"{label:<16} | exact: {exact!s:<5} | approximate: {approx!s:<5} | max diff: {diff:.1e}")
    return approx
