"""Chapter 5's answer key against typical learner answers (the contract is in
tests/test_answer_keys.py): WRONG_ANSWERS lists, for each part, at least three typical wrong
answers with a phrase its feedback must contain; RIGHT_ANSWERS lists correct answers written
differently from the solutions notebook."""
from __future__ import annotations

import numpy as np
import sympy as sp

from nnlib import sigmoid
from nnlib.exercises import ch05

from .learner_code import crashes, endless, forgets_return

c, z = sp.symbols("c z")
CORNERS = ch05.CORNERS


def _aug(X):
    return np.hstack([X, np.ones((len(X), 1))])


def train_right(X, y, eta=1.0, max_epochs=100):
    Xa, s = _aug(X), 2 * np.asarray(y) - 1
    w, n = np.zeros(Xa.shape[1]), 0
    for _ in range(max_epochs):
        mistakes = 0
        for xa, t in zip(Xa, s):
            if t * (w @ xa) <= 0:
                w = w + eta * t * xa
                n += 1
                mistakes += 1
        if mistakes == 0:
            break
    return w, n


def train_backwards(X, y):
    """Right, but visits the points last to first, with η = 0.5 and a while loop."""
    Xa, s = _aug(X)[::-1], (2 * np.asarray(y) - 1)[::-1]
    w, n = np.zeros(3), 0
    changed, epochs = True, 0
    while changed and epochs < 500:
        changed, epochs = False, epochs + 1
        for xa, t in zip(Xa, s):
            if np.sign(w @ xa) != t:
                w += 0.5 * t * xa
                n += 1
                changed = True
    return w, n


def train_01_labels(X, y, max_epochs=100):
    Xa = _aug(X)
    w, n = np.zeros(3), 0
    for _ in range(max_epochs):
        mistakes = 0
        for xa, t in zip(Xa, np.asarray(y, dtype=float)):
            if t * (w @ xa) <= 0:
                w = w + t * xa
                n += 1
                mistakes += 1
        if mistakes == 0:
            break
    return w, n


def train_counts_visits(X, y, max_epochs=100):
    Xa, s = _aug(X), 2 * np.asarray(y) - 1
    w, visits = np.zeros(3), 0
    for _ in range(max_epochs):
        mistakes = 0
        for xa, t in zip(Xa, s):
            visits += 1
            if t * (w @ xa) <= 0:
                w = w + t * xa
                mistakes += 1
        if mistakes == 0:
            break
    return w, visits


def train_counts_epochs(X, y, max_epochs=100):
    Xa, s = _aug(X), 2 * np.asarray(y) - 1
    w = np.zeros(3)
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for xa, t in zip(Xa, s):
            if t * (w @ xa) <= 0:
                w = w + t * xa
                mistakes += 1
        if mistakes == 0:
            break
    return w, epoch


def train_strict(X, y, max_epochs=100):
    """Updates only when y·w̃·x̃ < 0: from w̃ = 0 nothing is ever wrong, so nothing moves."""
    Xa, s = _aug(X), 2 * np.asarray(y) - 1
    w, n = np.zeros(3), 0
    for _ in range(max_epochs):
        for xa, t in zip(Xa, s):
            if t * (w @ xa) < 0:
                w = w + t * xa
                n += 1
    return w, n


def train_one_epoch(X, y):
    """One pass only: stops before the data are separated."""
    Xa, s = _aug(X), 2 * np.asarray(y) - 1
    w, n = np.zeros(3), 0
    for xa, t in zip(Xa, s):
        if t * (w @ xa) <= 0:
            w = w + t * xa
            n += 1
    return w, n


def train_until_separated(X, y):
    """Loops until every point is right: never ends on XOR."""
    Xa, s = _aug(X), 2 * np.asarray(y) - 1
    w, n = np.zeros(3), 0
    while np.any(s * (Xa @ w) <= 0):
        i = int(np.argmin(s * (Xa @ w)))
        w = w + s[i] * Xa[i]
        n += 1
    return w, n


def train_no_bias(X, y, max_epochs=100):
    s = 2 * np.asarray(y) - 1
    w, n = np.zeros(2), 0
    for _ in range(max_epochs):
        for x, t in zip(np.asarray(X, dtype=float), s):
            if t * (w @ x) <= 0:
                w = w + t * x
                n += 1
    return w, n


def train_in_place(X, y, max_epochs=100):
    X[:] = X * 1.0
    y[:] = 2 * y - 1  # turns the caller's labels into -1/+1
    return train_right(X, (y + 1) // 2, max_epochs=max_epochs)


def xor_by_hand(X):
    X = np.asarray(X, dtype=float)
    h_or = (X @ [1, 1] - 0.5 > 0).astype(int)
    h_nand = (X @ [-1, -1] + 1.5 > 0).astype(int)
    return ((h_or + h_nand - 1.5) > 0).astype(int)


def bce_gradient_loop(w, b, X, y):
    grad = np.zeros(3)
    for x, target in zip(X, np.ravel(y)):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        grad += (p - target) * np.append(x, 1.0)
    return grad / len(X)


def bce_gradient_in_place(w, b, X, y):
    w *= 1.0
    y[...] = np.ravel(y)[::-1].reshape(np.shape(y))  # scrambles the caller's labels
    return ch05._bce_gradient(w, b, X, y)


A = ch05.A_54

WRONG_ANSWERS = [
    # 5.1a: AND
    ("5.1a", [1, 1, -0.5], "compute OR, not AND"),
    ("5.1a", [1, 1, -2], "your z is exactly 0"),
    ("5.1a", [2, -1, 0], "passes through the origin"),
    ("5.1a", [-1, -1, 1.5], "compute NAND, not AND"),
    ("5.1a", [1, 1], "expected three numbers"),
    ("5.1a", None, "None"),
    ("5.1a", "1, 1, -1.5", "the string"),
    ("5.1a", [1, 1, -5], "outputs 0 for every input"),
    # 5.1b: NAND
    ("5.1b", [1, 1, -1.5], "compute AND, not NAND"),
    ("5.1b", [-1, -1, 1], "your z is exactly 0"),
    ("5.1b", [-1, -1, 0.5], "compute NOR, not NAND"),
    ("5.1b", [1, 1, 1.5], "outputs 1 for every input"),
    ("5.1b", [-1, -1, np.nan], "NaN"),
    # 5.1c: NOR
    ("5.1c", [1, 1, -0.5], "compute OR, not NOR"),
    ("5.1c", [-1, -1, 1.5], "compute NAND, not NOR"),
    ("5.1c", [-1, -1, 0], "your z is exactly 0"),
    ("5.1c", [-1, 1, 0.5], "for x = (0, 1)"),
    # 5.2a: z at p
    ("5.2a", 17, "without the bias"),
    ("5.2a", 13, "swapped"),
    ("5.2a", -12, "wrong sign"),
    ("5.2a", [12, 0], "give one number"),
    # 5.2b: the signed distance
    ("5.2b", 12, "divide by the length"),
    ("5.2b", 0.48, "squared length"),
    ("5.2b", 12 / 7, "not w1 + w2 = 7"),
    ("5.2b", 3.4, "the bias is missing"),
    ("5.2b", -2.4, "wrong sign"),
    # 5.2c: the nearest point of the boundary
    ("5.2c", [4.44, 3.92], "walked away from the boundary"),
    ("5.2c", [0.6, 0.8], "nearest to the origin"),
    ("5.2c", [-4.2, -7.6], "unit vector"),
    ("5.2c", [1.56, 0.08, 0.0], "expected shape (2,)"),
    ("5.2c", [1.5, 0.08], "the entry at index 0 is 1.5"),
    # 5.2d: signed_distance(w, b, X)
    ("5.2d", lambda w, b, X: X @ w + b, "divide by ‖w‖"),
    ("5.2d", lambda w, b, X: (X @ w + b) / (w @ w), "squared length"),
    ("5.2d", lambda w, b, X: np.abs(X @ w + b) / np.linalg.norm(w), "keep its sign"),
    ("5.2d", lambda w, b, X: X @ w / np.linalg.norm(w), "the bias b is missing"),
    ("5.2d", lambda w, b, X: float(np.sum(X @ w + b) / np.linalg.norm(w)), "shape"),
    ("5.2d", forgets_return, "forget `return`"),
    ("5.2d", crashes, "raised ZeroDivisionError"),
    # 5.3a: augment(X)
    ("5.3a", lambda X: np.hstack([np.ones((len(X), 1)), X]), "the 1 goes last"),
    ("5.3a", lambda X: np.hstack([X, np.zeros((len(X), 1))]), "not zeros"),
    ("5.3a", lambda X: np.vstack([X, np.ones((1, X.shape[1]))]), "expected shape (3, 3)"),
    ("5.3a", lambda X: np.hstack([X, np.ones((len(X), 2))]), "shape"),
    ("5.3a", endless, "did not finish within"),
    # 5.3b: train_perceptron(X, y)
    ("5.3b", train_01_labels, "-1 and +1"),
    ("5.3b", train_counts_visits, "you counted visits"),
    ("5.3b", train_counts_epochs, "you counted epochs"),
    ("5.3b", train_strict, "<= 0, not < 0"),
    ("5.3b", train_one_epoch, "keep going until an epoch has no mistakes"),
    ("5.3b", train_until_separated, "which no line separates"),
    ("5.3b", train_no_bias, "includes the bias"),
    ("5.3b", train_in_place, "in place"),
    ("5.3b", lambda X, y: train_right(X, y)[0], "two things"),
    ("5.3b", forgets_return, "forget `return w_aug, n_updates`"),
    ("5.3b", crashes, "raised ZeroDivisionError"),
    ("5.3b", [1, 1, -1.5], "not a function"),
    # 5.3c: R
    ("5.3c", 2.0, "includes the 1"),
    ("5.3c", 5.0, "squared length"),
    ("5.3c", float(np.mean(np.linalg.norm(_aug(ch05.X_53), axis=1))), "average"),
    ("5.3c", np.sqrt(3.5), "too small"),
    # 5.3d: the margin
    ("5.3d", -2 / 3, "multiply by the label"),
    ("5.3d", 2 / 3, "the largest"),
    ("5.3d", 0.5, "length 1"),
    ("5.3d", -0.5, "augmented"),
    ("5.3d", 0.0, "use y = -1 for class 0"),
    # 5.3e: the bound
    ("5.3e", np.sqrt(5) * 6, "square it"),
    ("5.3e", 144, "not on x"),
    ("5.3e", 1 / 180, "upside down"),
    ("5.3e", "180", "without quotes"),
    # 5.4a: the rows y·x̃
    ("5.4a", _aug(CORNERS), "multiply each row by its label"),
    ("5.4a", -A, "the signs are flipped"),
    ("5.4a", ch05.GATES["XOR"][:, None] * _aug(CORNERS), "not 0"),
    ("5.4a", A[:, :2], "expected shape (4, 3)"),
    ("5.4a", A.T, "expected shape (4, 3)"),
    # 5.4b: multipliers
    ("5.4b", [1, 1, 1, -1], "negative"),
    ("5.4b", [0, 0, 0, 0], "all the multipliers are 0"),
    ("5.4b", [1, 1, 0, 0], "not 0"),
    ("5.4b", [1, 0, 0, 1], "not 0"),
    ("5.4b", [1, 1, 1], "expected 4 numbers"),
    ("5.4b", None, "None"),
    # 5.4c: XOR with the product feature
    ("5.4c", [1, 1, 0, -0.5], "compute OR, not XOR"),
    ("5.4c", [1, -1, 1, -0.5], "for x = (0, 1)"),
    ("5.4c", [1, 1, -2, -1], "your z is exactly 0"),
    ("5.4c", [1, 1, -0.5], "expected four numbers"),
    # 5.5a: the hidden layer
    ("5.5a", (np.array([[-1, -1], [1, 1]]), np.array([1.5, -0.5])), "swapped"),
    ("5.5a", (np.array([[1, -1], [1, -1]]), np.array([-0.5, 1.5])), "transposed"),
    ("5.5a", (np.array([[1, 1], [-1, -1]]), np.array([-1.5, 1.5])), "neuron 1 (OR)"),
    ("5.5a", (np.array([[1, 1], [-1, -1]]), np.array([-0.5, 0.5])), "neuron 2 (NAND)"),
    ("5.5a", np.array([[1, 1], [-1, -1]]), "give the pair (W1, b1)"),
    ("5.5a", (np.array([1, 1, -1, -1]), np.array([-0.5, 1.5])), "expected (2, 2)"),
    # 5.5b: the output neuron
    ("5.5b", [1, 1, -0.5], "compute OR, not AND"),
    ("5.5b", [1, 1, -2], "your z is exactly 0"),
    ("5.5b", [-1, -1, 1.5], "compute NAND, not AND"),
    # 5.5c: xor_network(X)
    ("5.5c", lambda X: (X @ [1.0, 1.0] - 0.5 > 0).astype(int), "that is OR"),
    ("5.5c", lambda X: (X @ [1.0, 1.0] - 1.5 > 0).astype(int), "AND of the inputs"),
    ("5.5c", lambda X: 1 - xor_by_hand(X), "XNOR"),
    ("5.5c", lambda X: np.column_stack([X @ [1, 1] - 0.5 > 0, X @ [-1, -1] + 1.5 > 0]),
     "expected shape (4,)"),
    ("5.5c", forgets_return, "forget `return`"),
    # 5.6a: the largest σ'
    ("5.6a", 0.5, "that is σ(0)"),
    ("5.6a", 1, "at most 1/2·1/2"),
    ("5.6a", 0, "too small"),
    ("5.6a", float(sigmoid(1.0) * (1 - sigmoid(1.0))), "too small"),
    # 5.6b: the slope of σ(cz) at 0
    ("5.6b", sp.Rational(1, 4), "inner derivative"),
    ("5.6b", c / 2, "is the height"),
    ("5.6b", c, "multiply the inner derivative"),
    ("5.6b", c * z / 4, "uses z"),
    ("5.6b", -c / 4, "wrong sign"),
    # 5.6c: bce_gradient(w, b, X, y)
    ("5.6c", lambda w, b, X, y: len(X) * ch05._bce_gradient(w, b, X, y), "divide by N"),
    ("5.6c", lambda w, b, X, y: -ch05._bce_gradient(w, b, X, y), "the sign is flipped"),
    ("5.6c", ch05._bce_gradient_with_extra_sigma_prime, "cancels"),
    ("5.6c", lambda w, b, X, y: ch05._bce_gradient(w, b, X, y)[:2], "expected shape (3,)"),
    ("5.6c", bce_gradient_in_place, "in place"),
    ("5.6c", crashes, "raised ZeroDivisionError"),
]

RIGHT_ANSWERS = [
    ("5.1a", np.array([2.0, 2.0, -3.0])),
    ("5.1a", ([1, 1], -1.2)),                       # (w, b) as a pair
    ("5.1a", (3.0, 2.0, -4.0)),                     # what the perceptron rule learned
    ("5.1b", [-2, -2, 3]),
    ("5.1b", ([-1.0, -1.0], 1.9)),
    ("5.1c", np.array([[-1.0, -1.0, 0.9]])),        # a 1×3 array
    ("5.2a", np.int64(12)),
    ("5.2a", sp.Integer(12)),
    ("5.2b", sp.Rational(12, 5)),
    ("5.2b", 12 / np.sqrt(25)),
    ("5.2c", (1.56, 0.08)),
    ("5.2c", np.array([39 / 25, 2 / 25])),
    ("5.2d", lambda w, b, X: np.array([(x @ w + b) / np.sqrt(w @ w) for x in X])),
    ("5.3a", lambda X: np.column_stack([X, np.ones(len(X))])),
    ("5.3a", lambda X: np.pad(X, ((0, 0), (0, 1)), constant_values=1.0)),
    ("5.3b", train_backwards),
    ("5.3b", lambda X, y: train_right(X, y, eta=0.1, max_epochs=1000)),
    ("5.3c", 5 ** 0.5),
    ("5.3c", sp.sqrt(5)),
    ("5.3d", sp.Rational(1, 6)),
    ("5.3d", 0.5 / 3),
    ("5.3e", 180.0000001),
    ("5.3e", (np.sqrt(5) / (1 / 6)) ** 2),
    ("5.4a", A.tolist()),
    ("5.4b", [2.5, 2.5, 2.5, 2.5]),
    ("5.4b", np.ones(4) / 4),
    ("5.4c", [2, 2, -4, -1]),
    ("5.4c", [1, 1, -3, -0.5]),
    ("5.5a", ([[2, 2], [-2, -2]], [-1, 3])),
    ("5.5a", (np.array([[1, 1], [-1, -1]]), [-0.9, 1.1])),
    ("5.5b", [0.5, 0.5, -0.6]),
    ("5.5c", xor_by_hand),
    ("5.5c", lambda X: (np.asarray(X).sum(axis=1) == 1).astype(float)),
    ("5.6a", sp.Rational(1, 4)),
    ("5.6a", float(sigmoid(0.0) * (1 - sigmoid(0.0)))),
    ("5.6b", "c/4"),
    ("5.6b", c * sp.exp(-c * 0) / (1 + sp.exp(-c * 0)) ** 2),
    ("5.6c", bce_gradient_loop),
]


def test_the_chapter_numbers_agree_with_the_answer_key():
    assert ch05.z_52 == 12 and ch05.distance_52 == 2.4
    assert np.allclose(ch05.nearest_52, [1.56, 0.08])
    assert np.isclose(ch05.R_53, np.sqrt(5)) and np.isclose(ch05.gamma_53, 1 / 6)
    assert np.isclose(ch05.bound_53, 180)
    assert sp.simplify(ch05.slope_56 - ch05.c / 4) == 0
    # the training cases are separable, with finite bounds, and the rule passes them
    for X, y, _ in ch05.TRAIN_CASES:
        w_aug, count = ch05.reference_train(X, y)
        assert count <= ch05.novikoff_bound(X, y)
        assert np.all((2 * y - 1) * (_aug(X) @ w_aug) > 0)
