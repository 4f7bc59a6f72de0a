"""Chapter 7's answer key against typical learner answers (the contract is in
tests/test_answer_keys.py): WRONG_ANSWERS lists, for each part, at least three typical wrong
answers with a phrase its feedback must contain; RIGHT_ANSWERS lists correct answers written
differently from the solutions notebook."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

import nnlib
from nnlib import log_softmax as library_log_softmax
from nnlib.exercises import ch07

from .learner_code import crashes, endless, forgets_return

yhat, y, z = sp.symbols("yhat y z")
yhat1, yhat2, yhat3 = sp.symbols("yhat1 yhat2 yhat3")
z1, z2, z3 = sp.symbols("z1 z2 z3")
S = sp.exp(z1) + sp.exp(z2) + sp.exp(z3)
sigma = 1 / (1 + sp.exp(-z))
PROBS = ch07.PROBS_71


# ---- learners' code, wrong in the ways the chapter warns about

def naive_softmax_vector(v):
    e = np.exp(v)
    return e / e.sum()


def jacobian_naive(zv):
    p = naive_softmax_vector(zv)
    return np.diag(p) - np.outer(p, p)


def jacobian_loop(zv):
    p = np.exp(zv - zv.max()) / np.exp(zv - zv.max()).sum()
    K = len(zv)
    J = np.empty((K, K))
    for i in range(K):
        for j in range(K):
            J[i, j] = p[i] * ((1.0 if i == j else 0.0) - p[j])
    return J


def naive_softmax_rows(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def softmax_global_max(Z):
    e = np.exp(Z - Z.max())           # one maximum for the whole batch
    return e / e.sum(axis=1, keepdims=True)


def softmax_in_place(Z):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def stable_softmax_rows(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def log_of_softmax(Z):
    with np.errstate(divide="ignore"):
        return np.log(stable_softmax_rows(Z))


def naive_log_softmax(Z):
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


def ce_grad_naive(Z, Y):
    return (naive_softmax_rows(Z) - Y) / Z.shape[0]


def cross_entropy_via_log(Z, Y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(Y * np.log(stable_softmax_rows(Z))) / Z.shape[0]


def bce_naive(zv, yv):
    p = 1 / (1 + np.exp(-zv))
    return np.mean(-(yv * np.log(p) + (1 - yv) * np.log(1 - p)))


def bce_softplus_naive(zv, yv):
    return np.mean(np.log(1 + np.exp(zv)) - yv * zv)


def one_hot_uint8(labels, K):
    Y = np.zeros((len(labels), K), dtype=np.asarray(labels).dtype)
    Y[np.arange(len(labels)), labels] = 1
    return Y


def one_hot_column(labels, K):
    return np.asarray(labels, dtype=float)[:, None]


# ---- right answers, written differently from the solutions

def softmax(Z):
    """A learner's own function that happens to be called softmax: allowed."""
    shifted = np.exp(Z - Z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def own_softmax_named_softmax(Z):
    return softmax(Z)


def jacobian_by_columns(zv):
    p = np.exp(zv - zv.max())
    p = p / p.sum()
    return p[:, None] * (np.eye(len(zv)) - p[None, :])


def ce_grad_via_log(Z, Y):
    log_p = Z - Z.max(axis=1, keepdims=True)
    log_p = log_p - np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    return (np.exp(log_p) - Y) / len(Z)


def softmax_via_log(Z):
    m = np.max(Z, axis=1, keepdims=True)
    return np.exp(Z - m - np.log(np.sum(np.exp(Z - m), axis=1, keepdims=True)))


def log_softmax_two_steps(Z):
    shifted = Z - np.max(Z, axis=1)[:, None]
    return shifted - np.log(np.sum(np.exp(shifted), axis=1))[:, None]


def cross_entropy_per_row(Z, Y):
    rows = [-float(np.dot(Y[n], log_softmax_two_steps(Z[n:n + 1])[0])) for n in range(len(Z))]
    return sum(rows) / len(rows)


def bce_logaddexp(zv, yv):
    return float(np.mean(np.logaddexp(0, zv) - yv * zv))


def one_hot_loop(labels, K):
    Y = np.zeros((len(labels), K))
    for n, label in enumerate(labels):
        Y[n, int(label)] = 1.0
    return Y


_Y76 = np.eye(4)[ch07.LABELS_76]
_P76 = np.exp(ch07.Z_76) / np.exp(ch07.Z_76).sum(axis=1, keepdims=True)

WRONG_ANSWERS = [
    # 7.1a: likelihood = 0.036
    ("7.1a", float(PROBS.sum()), "the sum of the probabilities"),
    ("7.1a", float(PROBS.mean()), "the mean of the probabilities"),
    ("7.1a", float(np.log(PROBS.prod())), "the log-likelihood"),
    ("7.1a", "0.036", "without quotes"),
    ("7.1a", PROBS, "give one number"),
    # 7.1b: cross-entropy
    ("7.1b", float(-np.log(PROBS).sum()), "the sum over the 4 samples"),
    ("7.1b", float(np.log(PROBS).mean()), "the sign"),
    ("7.1b", float(-np.log10(PROBS).mean()), "log10"),
    ("7.1b", float(-np.log(PROBS.mean())), "-ln of the mean probability"),
    ("7.1b", math.inf, "infinite"),
    # 7.1c: binary cross-entropy of one sample
    ("7.1c", y * sp.log(yhat) + (1 - y) * sp.log(1 - yhat), "its negative"),
    ("7.1c", -y * sp.log(yhat), "only the y = 1 term"),
    ("7.1c", -(y * sp.log(1 - yhat) + (1 - y) * sp.log(yhat)), "swapped"),
    ("7.1c", -sp.log(yhat**y * (1 - yhat)**(1 - y)) + 1, "off by the constant"),
    ("7.1c", -(z * sp.log(yhat)), "uses z"),
    # 7.2a: ∂ŷ1/∂z1
    ("7.2a", yhat1, "ŷ₁ itself"),
    ("7.2a", -yhat1**2, "only the term from the denominator"),
    ("7.2a", 1 - yhat1, "one factor is missing"),
    ("7.2a", yhat1 * (yhat1 - 1), "wrong sign"),
    ("7.2a", sp.exp(z1) / S - (sp.exp(z1) / S)**2, "uses z1"),
    # 7.2b: ∂ŷ1/∂z2
    ("7.2b", 0, "through the denominator"),
    ("7.2b", yhat1 * yhat2, "the sign"),
    ("7.2b", yhat2 * (1 - yhat2), "a diagonal entry"),
    ("7.2b", -yhat1 * yhat3, "your expression equals"),
    # 7.2c: softmax_jacobian
    ("7.2c", lambda v: -jacobian_loop(v), "the sign"),
    ("7.2c", lambda v: np.diag(jacobian_loop(v).diagonal()), "only the diagonal is right"),
    ("7.2c", lambda v: np.diag(np.exp(v - v.max()) / np.exp(v - v.max()).sum())
     - (np.exp(v - v.max()) / np.exp(v - v.max()).sum()) ** 2, "np.outer(y_hat, y_hat)"),
    ("7.2c", jacobian_naive, "subtracted"),
    ("7.2c", lambda v: jacobian_loop(v)[:, :1], "shape"),
    ("7.2c", endless, "did not finish"),
    # 7.2d: the row sums of J (zeros)
    ("7.2d", np.exp(ch07.Z_72D) / np.exp(ch07.Z_72D).sum(), "row sums of diag(ŷ)"),
    ("7.2d", np.ones(4), "add up to 0"),
    ("7.2d", np.array([0.0]), "expected shape (4,)"),
    ("7.2d", np.ones(3), "shape"),
    # 7.3a: ∂L/∂z1 = ŷ1 - 1
    ("7.3a", 1 - sp.exp(z1) / S, "the sign"),
    ("7.3a", sp.exp(z1) / S, "y₁ = 1"),
    ("7.3a", -S / sp.exp(z1), "with respect to the probability"),
    ("7.3a", yhat1 - 1, "uses yhat1"),
    ("7.3a", sp.Derivative(-sp.log(sp.exp(z1) / S), z1), "unevaluated derivative"),
    # 7.3b: ∂L/∂z2 = ŷ2
    ("7.3b", 0, "through the denominator"),
    ("7.3b", sp.exp(z2) / S - 1, "y₂ = 0"),
    ("7.3b", -sp.exp(z2) / S, "the sign"),
    ("7.3b", sp.exp(z3) / S, "your expression equals"),
    # 7.3c: cross_entropy_grad(Z, Y)
    ("7.3c", lambda Z, Y: stable_softmax_rows(Z) - Y, "divide by N"),
    ("7.3c", lambda Z, Y: (Y - stable_softmax_rows(Z)) / len(Z), "the sign"),
    ("7.3c", lambda Z, Y: (np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0)
                           - Y) / len(Z), "axis=1"),
    ("7.3c", lambda Z, Y: -Y / stable_softmax_rows(Z) / len(Z), "with respect to the probabilities"),
    ("7.3c", ce_grad_naive, "Z.max(axis=1, keepdims=True)"),
    ("7.3c", crashes, "raised ZeroDivisionError"),
    # 7.4a: my_softmax
    ("7.4a", naive_softmax_rows, "exp overflowed"),
    ("7.4a", softmax_global_max, "each row's own maximum"),
    ("7.4a", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0), "each column adds up to 1"),
    ("7.4a", lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)), "not yet divided"),
    ("7.4a", softmax_in_place, "in place"),
    ("7.4a", forgets_return, "forget `return`"),
    ("7.4a", lambda Z: nnlib.softmax(Z, axis=1), "calls softmax from a library"),
    # 7.4b: my_log_softmax
    ("7.4b", log_of_softmax, "never take np.log of a softmax"),
    ("7.4b", naive_log_softmax, "e^1000 is inf"),
    ("7.4b", lambda Z: Z - Z.max(axis=1, keepdims=True), "only the first step"),
    ("7.4b", lambda Z: Z - np.log(np.exp(Z - Z.max(axis=1, keepdims=True))
                                  .sum(axis=1, keepdims=True)), "but not m itself"),
    ("7.4b", stable_softmax_rows, "that is softmax itself"),
    ("7.4b", library_log_softmax, "calls log_softmax from a library"),
    # 7.4c: my_cross_entropy
    ("7.4c", lambda Z, Y: -np.sum(Y * log_softmax_two_steps(Z)), "divide by N"),
    ("7.4c", lambda Z, Y: np.sum(Y * log_softmax_two_steps(Z)) / len(Z), "the sign"),
    ("7.4c", lambda Z, Y: -np.mean(Y * log_softmax_two_steps(Z)), "N·K"),
    ("7.4c", cross_entropy_via_log, "never take np.log of a softmax"),
    ("7.4c", lambda Z, Y: -Y * log_softmax_two_steps(Z), "shape"),
    ("7.4c", lambda Z, Y: nnlib.CrossEntropy().value(Z, Y), "calls CrossEntropy"),
    # 7.5a: bce_with_logits
    ("7.5a", bce_naive, "σ(800) rounds to exactly 1"),
    ("7.5a", bce_softplus_naive, "never form σ(z) or e^z"),
    ("7.5a", lambda zv, yv: np.sum(np.maximum(zv, 0) - yv * zv + np.log1p(np.exp(-np.abs(zv)))),
     "that is the sum"),
    ("7.5a", lambda zv, yv: np.mean(np.maximum(zv, 0) + yv * zv + np.log1p(np.exp(-np.abs(zv)))),
     "the sign of the y·z term"),
    ("7.5a", lambda zv, yv: np.mean(np.maximum(zv, 0) - yv * zv), "ln(1 + e^(-|z|)) is missing"),
    # 7.5b: ∂L/∂z = σ(z) - y
    ("7.5b", y - sigma, "the sign"),
    ("7.5b", sigma * (1 - sigma), "the derivative of σ alone"),
    ("7.5b", (sigma - y) * sigma * (1 - sigma), "the factor σ'(z) cancels"),
    ("7.5b", sp.exp(z) / (1 + sp.exp(z)) - yhat, "uses yhat"),
    # 7.5c: the loss at z = 800, y = 0
    ("7.5c", 0, "y = 1"),
    ("7.5c", 1, "σ(800)"),
    ("7.5c", float(-np.log(1e-7)), "clipped"),
    ("7.5c", math.inf, "infinite"),
    ("7.5c", -800, "wrong sign"),
    # 7.6a: one_hot
    ("7.6a", lambda labels, K: np.eye(K)[np.asarray(labels) - 1], "off by one"),
    ("7.6a", lambda labels, K: np.eye(K)[np.asarray(labels)].T, "one row per label"),
    ("7.6a", lambda labels, K: 1 - np.eye(K)[np.asarray(labels)], "swapped"),
    ("7.6a", one_hot_uint8, "dtype uint8"),
    ("7.6a", one_hot_column, "shape (N, K)"),
    # 7.6b: the gradient of a labelled batch
    ("7.6b", _P76 - _Y76, "divide by N = 3"),
    ("7.6b", (_Y76 - _P76) / 3, "the sign"),
    ("7.6b", (_P76 - ch07.LABELS_76[:, None]) / 3, "make them one-hot first"),
    ("7.6b", (np.exp(ch07.Z_76) / np.exp(ch07.Z_76).sum(axis=0) - _Y76) / 3, "wrong axis"),
    ("7.6b", _P76[:, :3], "shape"),
    # 7.7a: the ratio σ'(z)
    ("7.7a", 2 * sigma * (1 - sigma), "factor ½"),
    ("7.7a", 1 / (sigma * (1 - sigma)), "cross-entropy over squared error"),
    ("7.7a", sigma, "that is σ(z)"),
    ("7.7a", (sigma - y) * sigma * (1 - sigma), "uses y"),
    # 7.7b: the ratio at z = 4
    ("7.7b", 2 * ch07.ratio_at_4_77, "factor ½"),
    ("7.7b", 1 / ch07.ratio_at_4_77, "1/σ'(4)"),
    ("7.7b", float(1 / (1 + np.exp(-4.0))), "that is σ(4)"),
    ("7.7b", sigma.subs(z, 4) * (1 - sigma), "still contains the symbol(s) z"),
    # 7.7c: the largest ratio
    ("7.7c", 1, "never reaches 1"),
    ("7.7c", 0.5, "that is σ(0)"),
    ("7.7c", 0, "give the ratio's value there"),
]

RIGHT_ANSWERS = [
    ("7.1a", float(np.exp(np.sum(np.log(PROBS))))),
    ("7.1a", sp.Rational(36, 1000)),
    ("7.1b", float(-np.log(np.prod(PROBS)) / 4)),
    ("7.1c", -sp.log(yhat**y * (1 - yhat)**(1 - y))),
    ("7.1c", "-y*log(yhat) - (1 - y)*log(1 - yhat)"),
    ("7.2a", yhat1 - yhat1**2),
    ("7.2b", -yhat2 * yhat1),
    ("7.2c", jacobian_by_columns),
    ("7.2c", jacobian_loop),
    ("7.2d", [0, 0, 0, 0]),
    ("7.2d", jacobian_loop(ch07.Z_72D).T.sum(axis=0)),
    ("7.3a", -(sp.exp(z2) + sp.exp(z3)) / S),
    ("7.3a", sp.diff(sp.log(S) - z1, z1)),
    ("7.3b", 1 / (1 + sp.exp(z1 - z2) + sp.exp(z3 - z2))),
    ("7.3c", ce_grad_via_log),
    ("7.4a", softmax_via_log),
    ("7.4a", own_softmax_named_softmax),
    ("7.4b", log_softmax_two_steps),
    ("7.4c", cross_entropy_per_row),
    ("7.5a", bce_logaddexp),
    ("7.5b", sigma - y),
    ("7.5b", 1 - y - 1 / (1 + sp.exp(z))),
    ("7.5c", 800),
    ("7.5c", np.float64(800.0)),
    ("7.6a", one_hot_loop),
    ("7.6a", lambda labels, K: (np.arange(K) == np.asarray(labels)[:, None]).astype(np.float32)),
    ("7.6b", ce_grad_via_log(ch07.Z_76, one_hot_loop(ch07.LABELS_76, 4))),
    ("7.7a", sp.exp(-z) / (1 + sp.exp(-z))**2),
    ("7.7a", "exp(z)/(1 + exp(z))**2"),
    ("7.7b", 0.017663),
    ("7.7c", sp.Rational(1, 4)),
]
