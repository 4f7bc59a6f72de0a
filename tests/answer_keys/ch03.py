"""Chapter 3's answer key against typical learner answers (the contract is in
tests/test_answer_keys.py): WRONG_ANSWERS lists, for each part, at least three typical wrong
answers with a phrase its feedback must contain; RIGHT_ANSWERS lists correct answers written
differently from the solutions notebook."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy as sp

from nnlib.exercises import ch03

from .learner_code import crashes, endless, forgets_return

RATES = ch03.RATES_32
X, Y = ch03.X_35, ch03.Y_35


# ---- learners' versions of gradient_descent (3.4a)
def gd_appends_same_array(grad, theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(steps):
        theta -= lr * grad(theta)        # changes the array already in the path
        path.append(theta)
    return np.array(path)


def gd_recursive(grad, theta0, lr, steps):
    if steps == 0:
        return np.array([theta0], dtype=float)
    earlier = gd_recursive(grad, theta0, lr, steps - 1)
    return np.vstack([earlier, earlier[-1] - lr * grad(earlier[-1])])


def gd_in_place(grad, theta0, lr, steps):
    path = [theta0.copy()]
    for _ in range(steps):
        theta0 -= lr * grad(theta0)      # changes the caller's theta0
        path.append(theta0.copy())
    return np.array(path)


def gd_without_start(grad, theta0, lr, steps):
    theta, path = np.array(theta0, dtype=float), []
    for _ in range(steps):
        theta = theta - lr * grad(theta)
        path.append(theta)
    return np.array(path)


def gd_last_point_only(grad, theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    for _ in range(steps):
        theta = theta - lr * grad(theta)
    return theta


def gd_ascent(grad, theta0, lr, steps):
    theta, path = np.array(theta0, dtype=float), [np.array(theta0, dtype=float)]
    for _ in range(steps):
        theta = theta + lr * grad(theta)
        path.append(theta)
    return np.array(path)


def gd_stops_when_growing(grad, theta0, lr, steps):
    theta, path = np.array(theta0, dtype=float), [np.array(theta0, dtype=float)]
    for _ in range(steps):
        new = theta - lr * grad(theta)
        if np.linalg.norm(new) > 10 * np.linalg.norm(path[0]):
            new = theta                       # "protects" against divergence
        theta = new
        path.append(theta)
    return np.array(path)


def gd_as_list(grad, theta0, lr, steps):
    theta, path = np.asarray(theta0, dtype=float), [list(theta0)]
    for _ in range(steps):
        theta = theta - lr * np.asarray(grad(theta))
        path.append([float(v) for v in theta])
    return path                              # a list of lists reads as the right array


# ---- learners' versions of mse_grad (3.5a) and minibatch_epoch (3.5b)
def grad_by_loops(theta, x, y):
    w, b = theta
    gw = gb = 0.0
    for xn, yn in zip(x, y):
        r = w * xn + b - yn
        gw += 2 * r * xn / len(x)
        gb += 2 * r / len(x)
    return np.array([gw, gb])


def grad_first_entry_only(theta, x, y):
    w, b = theta
    return np.array([2 * np.mean((w * x + b - y) * x)])


def grad_no_x_factor(theta, x, y):
    w, b = theta
    r = w * x + b - y
    return np.array([2 * np.mean(r), 2 * np.mean(r)])


def epoch_with_index_list(theta, x, y, lr, batch_size):
    theta = np.asarray(theta, dtype=float)
    batches = np.array_split(np.arange(len(x)), range(batch_size, len(x), batch_size))
    for idx in batches:
        theta = theta - lr * ch03._mse_grad(theta, x[idx], y[idx])
    return theta


def epoch_shuffled(theta, x, y, lr, batch_size):
    order = np.random.default_rng(0).permutation(len(x))
    return ch03._minibatch_epoch(theta, x[order], y[order], lr, batch_size)


def epoch_modifies_theta(theta, x, y, lr, batch_size):
    for start in range(0, len(x), batch_size):
        theta -= lr * ch03._mse_grad(theta, x[start:start + batch_size], y[start:start + batch_size])
    return theta


WRONG_ANSWERS = [
    # 3.1a: λ_max of [[5, 2], [2, 2]] = 6
    ("3.1a", 1, "smallest eigenvalue"),
    ("3.1a", 5, "largest diagonal entry"),
    ("3.1a", 7, "trace"),
    ("3.1a", [1, 6], "give one number"),
    ("3.1a", None, "None"),
    # 3.1b: 2/λ_max = 1/3
    ("3.1b", 2, "2/λ_min"),
    ("3.1b", 1 / 6, "in one step"),
    ("3.1b", 0.4, "diagonal entry 5"),
    ("3.1b", 2 / 7, "best rate"),
    ("3.1b", "1/3", "without quotes"),
    ("3.1b", 0.33, "rounded too far"),
    # 3.1c: η* = 2/7
    ("3.1c", 1 / 3, "speed limit"),
    ("3.1c", 1 / 7, "the 2 is missing"),
    ("3.1c", 1 / 6, "steep direction alone"),
    ("3.1c", -2 / 7, "wrong sign"),
    ("3.1c", 0.29, "rounded too far"),
    # 3.1d: (κ - 1)/(κ + 1) = 5/7
    ("3.1d", 2 / 7, "fraction removed"),
    ("3.1d", 6, "condition number"),
    ("3.1d", 6 / 7, "numerator is κ - 1"),
    ("3.1d", 5 / 6, "denominator is κ + 1"),
    ("3.1d", 7 / 5, "upside down"),
    ("3.1d", 0.71, "rounded too far"),
    # 3.2a: factors [0.6, -0.6, -1, -1.4]
    ("3.2a", 1 + RATES * 4, "not 1 + ηa"),
    ("3.2a", RATES * 4, "these are ηa"),
    ("3.2a", 1 - RATES * 2, "not (a/2)θ"),
    ("3.2a", [0.6, -0.6, -1.0], "expected shape (4,)"),
    ("3.2a", [0.6, 0.6, 1.0, 1.4], "the entry at η = 0.4"),
    # 3.2b: regimes
    ("3.2b", ["monotone", "monotone", "two-cycle", "diverges"], "every step crosses the minimum"),
    ("3.2b", ["monotone", "oscillating", "diverges", "diverges"], "two-cycle"),
    ("3.2b", ["monotone", "oscillating", "two-cycle", "oscillating"], "it diverges"),
    ("3.2b", ["oscillating", "oscillating", "two-cycle", "diverges"], "keeps its sign"),
    ("3.2b", ["monotone", "oscillating", "two-cycle"], "expected 4"),
    ("3.2b", ["monotone", "wobbly", "two-cycle", "diverges"], "'wobbly'"),
    ("3.2b", "monotone, oscillating, two-cycle, diverges", "give a list of 4 words"),
    ("3.2b", None, "None"),
    # 3.2c: 1/a = 0.25
    ("3.2c", 0.5, "cycles, it never lands"),
    ("3.2c", 4, "that is a itself"),
    ("3.2c", 0.125, "not 1/(2a)"),
    # 3.3a: 16 steps per epoch
    ("3.3a", 15, "round up"),
    ("3.3a", 1000 / 64, "whole number"),
    ("3.3a", 64, "batch size"),
    ("3.3a", 64000, "not their product"),
    # 3.3b: 48 updates
    ("3.3b", 3, "an update is a step"),
    ("3.3b", 3 * 1000 / 64, "whole number"),
    ("3.3b", 45, "not 15"),
    ("3.3b", 3000, "counts samples"),
    # 3.3c: 62 complete epochs
    ("3.3c", 1000, "not 1000 epochs"),
    ("3.3c", 62.5, "round down"),
    ("3.3c", 64, "64 samples in every step"),
    ("3.3c", 66, "not 15"),
    ("3.3c", 63, "not complete"),
    # 3.4a: gradient_descent
    ("3.4a", gd_appends_same_array, "every row of your path is the last θ"),
    ("3.4a", gd_in_place, "in place"),
    ("3.4a", gd_ascent, "your path climbs"),
    ("3.4a", lambda grad, theta0, lr, steps:
        ch03._gradient_descent(grad, theta0, 1.0, steps), "learning rate is missing"),
    ("3.4a", gd_without_start, "the path has 6 rows"),
    ("3.4a", gd_last_point_only, "expected shape (6, 2)"),
    ("3.4a", gd_stops_when_growing, "a divergent run"),
    ("3.4a", endless, "did not finish within"),
    ("3.4a", crashes, "raised ZeroDivisionError"),
    ("3.4a", forgets_return, "forget `return`"),
    # 3.5a: mse_grad
    ("3.5a", lambda theta, x, y: len(x) * ch03._mse_grad(theta, x, y), "summed loss"),
    ("3.5a", lambda theta, x, y: ch03._mse_grad(theta, x, y) / 2, "factor 2 is missing"),
    ("3.5a", lambda theta, x, y: -ch03._mse_grad(theta, x, y), "sign is flipped"),
    ("3.5a", grad_first_entry_only, "expected shape (2,)"),
    ("3.5a", grad_no_x_factor, "returned"),
    # 3.5b: minibatch_epoch
    ("3.5b", ch03._epoch_without_last_batch, "skips the last, smaller batch"),
    ("3.5b", ch03._epoch_full_gradient, "its own batch"),
    ("3.5b", ch03._epoch_one_step, "not a single step"),
    ("3.5b", lambda theta, x, y, lr, n: ch03._minibatch_epoch(
        theta, x, y, lr, n, grad=lambda t, xb, yb: len(xb) * ch03._mse_grad(t, xb, yb)),
     "is mse_grad (3.5a) a mean?"),
    ("3.5b", epoch_shuffled, "batch_size = 4"),
    ("3.5b", lambda theta, x, y, lr, n: ch03._minibatch_epoch(
        theta, x, y, lr, n, grad=ch03._mse_grad_without_2), "check mse_grad (3.5a) first"),
    ("3.5b", lambda theta, x, y, lr, n: ch03._minibatch_epoch(
        theta, x, y, lr, n, grad=ch03._mse_grad_flipped), "your epoch climbs"),
    ("3.5b", epoch_modifies_theta, "in place"),
    # 3.5c: 0.1 / 32
    ("3.5c", 3.2, "divide the rate by 32"),
    ("3.5c", 0.1, "32 times smaller"),
    ("3.5c", 0.0001, "not by the size of a data set"),
    # 3.6a: ρ(0.1) = 0.9
    ("3.6a", 0.4, "the fast direction"),
    ("3.6a", 0.6, "that is ηλ_max"),
    ("3.6a", 0.81, "factor of the loss"),
    # 3.6b: measured ≈ 0.9
    ("3.6b", 1 / 0.9, "divide the later norm"),
    ("3.6b", 0.9**60, "sixty factors"),
    ("3.6b", 0.81, "ratio of losses"),
    ("3.6b", float("nan"), "NaN"),
    # 3.6c: ρ(0.3) = 0.8
    ("3.6c", 0.7, "the steep direction is the slower one"),
    ("3.6c", -0.8, "absolute value"),
    ("3.6c", 1.8, "that is ηλ_max"),
    # 3.6d: 42 steps
    ("3.6d", 41, "round up"),
    ("3.6d", math.log(1e-6) / math.log(5 / 7), "whole number"),
    ("3.6d", 41.06, "whole number"),
    ("3.6d", 62, "at η = 0.3"),
    ("3.6d", 132, "at η = 0.1"),
]

RIGHT_ANSWERS = [
    ("3.1a", np.linalg.eigvalsh(np.array([[5.0, 2.0], [2.0, 2.0]])).max()),
    ("3.1a", sp.Integer(6)),
    ("3.1b", Fraction(1, 3)),
    ("3.1b", sp.Rational(2, 6)),
    ("3.1c", 0.285714285714),
    ("3.1d", sp.Rational(5, 7)),
    ("3.2a", [0.6, -0.6, -1, -1.4]),
    ("3.2a", np.array([[0.6, -0.6, -1.0, -1.4]]).ravel().astype(np.float32)),
    ("3.2b", ("Monotone", "oscillates", "2-cycle", "divergent")),
    ("3.2b", np.array(["monotonic", "zig-zag", "cycle", "blows up"])),
    ("3.2c", 1 / 4),
    ("3.3a", np.int64(16)),
    ("3.3a", -(-1000 // 64)),
    ("3.3b", 48.0),
    ("3.3c", math.floor(1000 / 16)),
    ("3.4a", gd_as_list),
    ("3.4a", gd_recursive),
    ("3.5a", grad_by_loops),
    ("3.5a", lambda theta, x, y: 2 * np.stack([x, np.ones_like(x)]) @ (
        theta[0] * x + theta[1] - y) / len(x)),
    ("3.5b", epoch_with_index_list),
    ("3.5c", 1 / 320),
    ("3.6a", max(0.9, 0.4)),
    ("3.6b", 0.9),
    ("3.6b", 0.90001),
    ("3.6c", 4 / 5),
    ("3.6d", 42.0),
]


def test_answer_key_numbers_are_the_ones_the_notebook_states():
    assert (ch03.lam_min_31, ch03.lam_max_31) == (1.0, 6.0) or np.allclose(
        [ch03.lam_min_31, ch03.lam_max_31], [1, 6])
    assert np.isclose(ch03.threshold_31, 1 / 3) and np.isclose(ch03.best_rate_31, 2 / 7)
    assert np.isclose(ch03.best_factor_31, 5 / 7)
    assert ch03.regimes_32 == ["monotone", "oscillating", "two-cycle", "diverges"]
    assert (ch03.steps_per_epoch_33, ch03.updates_33, ch03.full_epochs_33) == (16, 48, 62)
    assert np.isclose(ch03.measured_36, 0.9, atol=1e-12) and ch03.steps_36 == 42
    # The measured factor tends to the predicted one: 0.4⁶⁰ is far below rounding.
    assert np.isclose(ch03.measured_36, ch03.factor_01_36, rtol=1e-9)


def test_the_ten_points_in_the_notebook_are_the_answer_keys():
    # The solutions notebook types the 10 points in; they must be the key's own.
    import nbformat
    from pathlib import Path

    nb = nbformat.read(Path(__file__).resolve().parents[2] / "solutions"
                       / "03-gradient-descent.ipynb", as_version=4)
    source = next(c.source for c in nb.cells if c.source.startswith("x = np.array("))
    scope = {"np": np}
    exec(source, scope)
    assert np.array_equal(scope["x"], X) and np.array_equal(scope["y"], Y)
