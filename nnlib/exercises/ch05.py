"""Chapter 5, Perceptrons: the expected answers of the graded exercises and how each is judged.

The notebook is ``solutions/05-perceptrons.ipynb`` (learners get ``exercises/``).  Weights are
judged by what they compute (the truth table), a training function by what it achieves
(every point separated, the update count within the convergence bound), and an infeasibility
argument by its multipliers (non-negative, not all zero, the weights cancel).

The chapter's conventions: step(z) = 1 if z > 0 else 0; x̃ = [x, 1], w̃ = [w, b]; the
perceptron rule updates w̃ ← w̃ + η y x̃ with y ∈ {-1, +1} whenever y w̃·x̃ ≤ 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp

from ..activations import sigmoid
from ..perceptron import augment, novikoff_bound, step
from ..perceptron import signs as _signs
from . import Exercise
from .judges import Array, BuildsOn, Case, Expression, Function, Number, describe, fmt
from .timelimit import run_with_time_limit

TITLE = "Perceptrons"

# ------------------------------------------------------------------ shared data

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATES = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "NAND": np.array([1, 1, 1, 0]),
    "NOR": np.array([1, 0, 0, 0]),
    "XOR": np.array([0, 1, 1, 0]),
    "XNOR": np.array([1, 0, 0, 1]),
}


def _point(x) -> str:
    return "(" + ", ".join(fmt(v + 0.0) for v in x) + ")"  # + 0.0: no "-0"


# -------------------------------------------------------------- custom judges

def _as_weights(answer, n: int, what: str):
    """(array of n numbers, '') or (None, why not).  Accepts [w1, w2, b] and ([w1, w2], b)."""
    if answer is None:
        return None, (f"the answer is None, not {what}: did you assign it to the variable "
                      "(rather than print it)?")
    if isinstance(answer, (tuple, list)) and len(answer) == 2 and np.ndim(answer[1]) == 0 \
            and np.size(answer[0]) == n - 1:
        answer = list(np.ravel(np.asarray(answer[0], dtype=object))) + [answer[1]]
    if isinstance(answer, str) or callable(answer):
        return None, f"the answer is {describe(answer)}, not {what}"
    try:
        values = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None, f"the answer ({describe(answer)}) cannot be read as numbers: give {what}"
    if values.size != n:
        return None, (f"the answer has {values.size} number{'s' if values.size != 1 else ''}, "
                      f"expected {what}")
    values = values.ravel()
    if not np.all(np.isfinite(values)):
        return None, "the answer contains NaN or an infinity"
    return values, ""


@dataclass
class Gate:
    """Weights [w₁, ..., b] of a step neuron, judged on a truth table.

    ``features(X)`` maps the four corners to the neuron's inputs (the raw inputs by default);
    ``names`` names the inputs in feedback.  Correct when step(features·w + b) equals
    ``target`` on every row.
    """

    gate: str
    target: np.ndarray
    features: Callable = staticmethod(lambda X: X)
    what: str = "three numbers [w1, w2, b]"
    inputs: np.ndarray = field(default_factory=lambda: CORNERS.copy())

    def __call__(self, answer, time_limit=None):
        F = np.asarray(self.features(self.inputs), dtype=float)
        weights, why = _as_weights(answer, F.shape[1] + 1, self.what)
        if weights is None:
            return False, why
        z = F @ weights[:-1] + weights[-1]
        out = step(z)
        if np.array_equal(out, self.target):
            return True, ""
        wrong = np.nonzero(out != self.target)[0]
        first = wrong[0]
        on_line = [i for i in wrong if z[i] == 0 and self.target[i] == 1]
        if on_line:
            i = on_line[0]
            return False, (f"for x = {_point(self.inputs[i])} your z is exactly 0, and the step "
                           f"gives 0 there (it needs z > 0); {self.gate} gives 1: move b up a "
                           "little so that no point lies on the boundary")
        for name, table in GATES.items():
            if name != self.gate and np.array_equal(out, table):
                return False, (f"these weights compute {name}, not {self.gate}: "
                               f"{self._table(out)}")
        if np.all(out == out[0]):
            return False, (f"your neuron outputs {out[0]} for every input, so the boundary "
                           f"misses all four points: {self._table(out)}")
        if weights[-1] == 0 and self.target[0] == 0 and F.shape[1] == 2:
            return False, (f"with b = 0 the boundary passes through the origin; {self.gate} "
                           f"needs a bias: {self._table(out)}")
        return False, (f"for x = {_point(self.inputs[first])} your neuron gives z = "
                       f"{fmt(z[first])} and outputs {out[first]}, but {self.gate} gives "
                       f"{self.target[first]} ({len(wrong)} of 4 rows wrong)")

    def _table(self, out) -> str:
        return "your outputs on (0,0), (0,1), (1,0), (1,1) are " + ", ".join(map(str, out)) + \
            f"; {self.gate} is " + ", ".join(map(str, self.target))


@dataclass
class HiddenLayer:
    """A pair (W1, b1) of a step layer of two neurons whose outputs on the corners must be
    the columns of ``target`` (4, 2): neuron i is row i of W1."""

    target: np.ndarray
    names: tuple

    def __call__(self, answer, time_limit=None):
        if answer is None:
            return False, "the answer is None: give the pair (W1, b1)"
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return False, (f"the answer is {describe(answer)}: give the pair (W1, b1), "
                           "a 2×2 array and 2 numbers")
        try:
            W = np.asarray(answer[0], dtype=float)
            b = np.asarray(answer[1], dtype=float).ravel()
        except (TypeError, ValueError):
            return False, "W1 and b1 must be numbers: W1 a 2×2 array, b1 two numbers"
        if W.shape != (2, 2):
            return False, f"W1 has shape {W.shape}, expected (2, 2): one row per neuron"
        if b.shape != (2,):
            return False, f"b1 has {b.size} numbers, expected 2: one bias per neuron"
        H = step(CORNERS @ W.T + b)
        if np.array_equal(H, self.target):
            return True, ""
        if np.array_equal(H[:, ::-1], self.target):
            return False, (f"the two neurons are swapped: row 1 of W1 (and b1[0]) must be "
                           f"{self.names[0]}, row 2 {self.names[1]}")
        if np.array_equal(step(CORNERS @ W + b), self.target):
            return False, ("W1 is transposed: row i of W1 holds the weights of neuron i, so "
                           "the layer computes X @ W1.T + b1 (as a dense layer does)")
        for j, name in enumerate(self.names):
            bad = np.nonzero(H[:, j] != self.target[:, j])[0]
            if len(bad):
                i = bad[0]
                return False, (f"neuron {j + 1} ({name}) outputs {H[i, j]} for x = "
                               f"{_point(CORNERS[i])}, but {name} gives {self.target[i, j]}")
        return False, "the layer's outputs are not right"  # pragma: no cover


@dataclass
class Multipliers:
    """Non-negative numbers λ, not all 0, with λ·A = 0 (the rows of A add up to nothing), and
    a positive λ on at least one strict inequality (rows in ``strict``)."""

    A: np.ndarray
    strict: tuple

    def __call__(self, answer, time_limit=None):
        n = len(self.A)
        lam, why = _as_weights(answer, n, f"{n} numbers, one multiplier per inequality")
        if lam is None:
            return False, why
        if np.any(lam < 0):
            i = int(np.argmin(lam))
            return False, (f"multiplier {i + 1} is {fmt(lam[i])}, negative: multiplying an "
                           "inequality by a negative number turns it around, so the sum proves "
                           "nothing; use numbers >= 0")
        if np.all(lam == 0):
            return False, ("all the multipliers are 0: the sum is then 0 >= 0, which is true, "
                           "not a contradiction")
        combination = lam @ self.A
        scale = np.max(np.abs(lam)) * np.max(np.abs(self.A))
        if not np.allclose(combination, 0, atol=1e-9 * scale):
            names = ["w1", "w2", "b"]
            left = " + ".join(f"{fmt(c)}·{v}" for c, v in zip(combination, names) if c != 0)
            return False, (f"with these multipliers the left-hand sides add up to {left}, not 0: "
                           "the weights must cancel for every w1, w2, b")
        if not np.any(lam[list(self.strict)] > 0):
            return False, ("the sum only combines the '>= 0' inequalities, which gives 0 >= 0, "
                           "no contradiction: a strict '> 0' one must take part")
        return True, ""


@dataclass
class Trainer:
    """A function train(X, y) -> (w_aug, n_updates) for labels y in {0, 1}, judged on each
    case: it returns in time, its w̃ separates every point (y·w̃·x̃ > 0), and its update
    count is at least 1 and at most (R/γ*)².  ``loops`` are data sets no line separates,
    on which it must still stop and return.
    """

    cases: list
    loops: list
    time_limit: float = 5.0

    def __call__(self, answer, time_limit=None):
        limit = time_limit or self.time_limit
        if answer is None:
            return False, "the answer is None, not a function: define train_perceptron with def"
        if not callable(answer):
            return False, f"the answer is {describe(answer)}, not a function (define it with def)"
        name = getattr(answer, "__name__", "your function")
        for (X, y, label), bound in zip(self.cases, self.bounds):
            why = self._case(answer, name, X, y, label, bound, limit)
            if why:
                return False, why
        for X, y, label in self.loops:
            outcome = run_with_time_limit(lambda: answer(X.copy(), y.copy()), limit)
            if outcome.timed_out:
                return False, (f"{name} did not stop within {limit:g} s for {label}, which no "
                               "line separates: end the loop after max_epochs epochs")
            if outcome.error is not None:
                return False, (f"{name} raised {type(outcome.error).__name__}: {outcome.error} "
                               f"for {label}")
        return True, ""

    @property
    def bounds(self) -> list:
        if not hasattr(self, "_bounds"):
            self._bounds = [novikoff_bound(X, y) for X, y, _ in self.cases]
        return self._bounds

    def _case(self, answer, name, X, y, label, bound, limit) -> str:
        given_X, given_y = X.copy(), y.copy()
        outcome = run_with_time_limit(lambda: answer(given_X, given_y), limit)
        where = f"for {label}"
        if outcome.timed_out:
            return f"{name} did not finish within {limit:g} s {where} (an endless loop?)"
        if outcome.error is not None:
            return f"{name} raised {type(outcome.error).__name__}: {outcome.error} {where}"
        if not (np.array_equal(given_X, X) and np.array_equal(given_y, y)):
            return f"{name} changed its input X or y in place {where}: work on new arrays"
        result = outcome.value
        if result is None:
            return f"{name} returned None {where}: did you forget `return w_aug, n_updates`?"
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return (f"{name} returned {describe(result)} {where}; it must return two things: "
                    "`return w_aug, n_updates`")
        w_aug, count = result
        try:
            w_aug = np.asarray(w_aug, dtype=float).ravel()
        except (TypeError, ValueError):
            return f"the first thing {name} returns {where} is not an array of numbers"
        if w_aug.shape != (X.shape[1] + 1,):
            return (f"{name} returned weights of shape {w_aug.shape} {where}, expected "
                    f"({X.shape[1] + 1},): w̃ = [w1, w2, b] includes the bias")
        try:
            count_value = float(count)
        except (TypeError, ValueError):
            return f"the second thing {name} returns {where} must be the number of updates"
        s = _signs(y)
        scores = s * (augment(X) @ w_aug)
        if np.all(w_aug == 0):
            return (f"{name} returned w̃ = 0 {where}: it never updated. From w̃ = 0 every "
                    "y·w̃·x̃ is 0, and that must count as a mistake: update when y·w̃·x̃ <= 0, "
                    "not < 0")
        epochs, visits = _epochs_and_visits(X, y)
        if np.any(scores <= 0):
            i = int(np.argmin(scores))
            zero_labels = _train_with_01_labels(X, y)
            if np.allclose(w_aug, zero_labels[0]):
                return (f"the labels must be -1 and +1 in the rule: with y = 0 an update adds "
                        f"nothing, so the points of class 0 never move the boundary ({where})")
            return (f"the returned w̃ = {_point(w_aug)} gets the point x = {_point(X[i])} "
                    f"(label {int(y.ravel()[i])}) wrong {where}: "
                    f"y·w̃·x̃ = {fmt(scores[i] + 0.0)} must be "
                    "> 0 for every point; keep going until an epoch has no mistakes "
                    f"(y·w̃·x̃ <= 0 counts as a mistake; here that takes {epochs} epochs)")
        reference_w, reference_count = reference_train(X, y)
        if np.allclose(w_aug, reference_w) and count_value != reference_count:
            counted = {epochs: "epochs", visits: "visits"}.get(count_value, "something else")
            return (f"your weights are right {where}, but the rule made {reference_count} "
                    f"updates, not {fmt(count_value)} (you counted {counted}): add 1 to the "
                    "count at each update, not at each visit or epoch")
        if count_value < 1 or count_value != int(count_value):
            return (f"{name} reports {fmt(count_value)} updates {where}; starting from w̃ = 0 "
                    "it needs at least one, and counts them in whole numbers")
        if count_value > bound:
            return (f"{name} reports {int(count_value)} updates {where}, more than the bound "
                    f"(R/γ)² = {fmt(bound)} allows: count one per update, not per visit "
                    "or epoch")
        return ""


def reference_train(X, y, eta=1.0, max_epochs=1000):
    """The perceptron rule from w̃ = 0, rows in order, labels 0/1.  -> (w_aug, n_updates)."""
    Xa, s = augment(X), _signs(y)
    w_aug, n_updates = np.zeros(Xa.shape[1]), 0
    for _ in range(max_epochs):
        mistakes = 0
        for x_aug, label in zip(Xa, s):
            if label * (w_aug @ x_aug) <= 0:
                w_aug = w_aug + eta * label * x_aug
                n_updates += 1
                mistakes += 1
        if mistakes == 0:
            break
    return w_aug, n_updates


def _epochs_and_visits(X, y, max_epochs=1000):
    """How many epochs and point visits the rule makes in all, the last clean epoch included."""
    Xa, s = augment(X), _signs(y)
    w_aug, visits = np.zeros(Xa.shape[1]), 0
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for x_aug, label in zip(Xa, s):
            visits += 1
            if label * (w_aug @ x_aug) <= 0:
                w_aug = w_aug + label * x_aug
                mistakes += 1
        if mistakes == 0:
            break
    return epoch, visits


def _train_with_01_labels(X, y, max_epochs=100):
    """The typical slip: labels 0/1 used as they are in w̃ ← w̃ + y x̃."""
    Xa, t = augment(X), np.asarray(y, dtype=float).ravel()
    w_aug, n = np.zeros(Xa.shape[1]), 0
    for _ in range(max_epochs):
        for x_aug, label in zip(Xa, t):
            if label * (w_aug @ x_aug) <= 0:
                w_aug = w_aug + label * x_aug
                n += 1
    return w_aug, n


# ---- 5.1 Logic gates
NOR_51 = GATES["NOR"]

# ---- 5.2 Distances: w = (3, 4), b = -5, the point p = (3, 2)
W_52, B_52, P_52 = np.array([3.0, 4.0]), -5.0, np.array([3.0, 2.0])
z_52 = float(P_52 @ W_52 + B_52)                                   # 12
norm_52 = float(np.linalg.norm(W_52))                              # 5
distance_52 = z_52 / norm_52                                       # 2.4
nearest_52 = P_52 - distance_52 * W_52 / norm_52                   # (1.56, 0.08)


def _signed_distance(w, b, X):
    w = np.asarray(w, dtype=float)
    return (np.asarray(X, dtype=float) @ w + b) / np.linalg.norm(w)


DISTANCE_CASES = [
    Case((np.array([3.0, 4.0]), -5.0, np.array([[3.0, 2.0], [0.0, 0.0], [1.0, 0.5]])),
         "w = [3, 4], b = -5, X = [[3, 2], [0, 0], [1, 0.5]]"),
    Case((np.array([1.0, -2.0]), 0.5, np.array([[2.0, 1.0], [-1.0, 3.0]])),
         "w = [1, -2], b = 0.5, X = [[2, 1], [-1, 3]]"),
    Case((np.array([0.6, 0.8]), 0.0, np.array([[1.0, 1.0]])),
         "w = [0.6, 0.8], b = 0, X = [[1, 1]]"),
]

# ---- 5.3 The perceptron rule
X_53 = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [0.0, 1.0], [1.5, 0.5], [0.5, 0.5]])
y_53 = np.array([0, 1, 1, 0, 1, 0])
U_53 = np.array([2.0, 1.0, -2.0]) / 3                              # a unit separator
R_53 = float(np.max(np.linalg.norm(augment(X_53), axis=1)))        # √5
R_raw_53 = float(np.max(np.linalg.norm(X_53, axis=1)))             # 2
gamma_53 = float(np.min(_signs(y_53) * (augment(X_53) @ U_53)))    # 1/6
bound_53 = (R_53 / gamma_53) ** 2                                  # 180


def _augment_first(X):
    X = np.asarray(X, dtype=float)
    return np.hstack([np.ones((len(X), 1)), X])


AUGMENT_CASES = [
    Case((np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),), "X = [[1, 2], [3, 4], [5, 6]]"),
    Case((X_53,), "the data set X of exercise 5.3"),
    Case((np.array([[0.5, -1.0, 2.0]]),), "X = [[0.5, -1, 2]] (three inputs)"),
]


def _separable_cases():
    rng = np.random.default_rng(7)
    cases = [(CORNERS.copy(), GATES["AND"].copy(), "the AND truth table"),
             (X_53.copy(), y_53.copy(), "the data set of exercise 5.3")]
    w_true, b_true = np.array([1.0, -1.5]), 0.2
    X = rng.uniform(-1, 1, size=(60, 2))
    X = X[np.abs(X @ w_true + b_true) / np.linalg.norm(w_true) > 0.1][:20]
    cases.append((X, (X @ w_true + b_true > 0).astype(int), "20 random separable points"))
    cases.append((0.2 * CORNERS, GATES["OR"].copy(), "OR on inputs 0 and 0.2"))
    return cases


TRAIN_CASES = _separable_cases()
TRAIN_LOOPS = [(CORNERS.copy(), GATES["XOR"].copy(), "XOR")]

# ---- 5.4 XOR has no weights
A_54 = _signs(GATES["XOR"])[:, None] * augment(CORNERS)            # rows y·x̃
STRICT_54 = tuple(int(i) for i in np.nonzero(GATES["XOR"] == 1)[0])
assert np.allclose(np.ones(4) @ A_54, 0)


def _with_product(X):
    X = np.asarray(X, dtype=float)
    return np.column_stack([X, X[:, 0] * X[:, 1]])


# ---- 5.5 Two layers for XOR
HIDDEN_TARGET_55 = np.column_stack([GATES["OR"], GATES["NAND"]])
W1_55, B1_55 = np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.5, 1.5])
assert np.array_equal(step(CORNERS @ W1_55.T + B1_55), HIDDEN_TARGET_55)


def _xor_reference(X):
    H = step(np.asarray(X, dtype=float) @ W1_55.T + B1_55)
    return step(H @ np.array([1.0, 1.0]) - 1.5)


XOR_CASES = [
    Case((CORNERS.copy(),), "X = the four corners (0,0), (0,1), (1,0), (1,1)"),
    Case((CORNERS[[3, 1, 0, 2, 1, 3]].copy(),), "X = six corners in another order"),
    Case((CORNERS[[2]].copy(),), "X = [[1, 0]] (one row)"),
]

# ---- 5.6 From the step to the sigmoid
c, z = sp.symbols("c z", positive=True)
slope_56 = sp.diff(1 / (1 + sp.exp(-c * z)), z).subs(z, 0)         # c/4


def _bce_gradient(w, b, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    p = sigmoid(X @ np.asarray(w, dtype=float) + b)
    return np.append(X.T @ (p - y), np.sum(p - y)) / len(X)


def _bce_value(params, X, y):
    p = sigmoid(X @ params[:2] + params[2])
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


_rng_56 = np.random.default_rng(56)
X_56 = _rng_56.normal(size=(8, 2))
y_56 = (X_56[:, 0] + 0.5 * X_56[:, 1] > 0).astype(float)
y_56[[0, 3]] = 1 - y_56[[0, 3]]                                    # two noisy labels
_params_56 = np.array([0.4, -0.3, 0.1])
_central_56 = np.array([(_bce_value(_params_56 + e, X_56, y_56)
                         - _bce_value(_params_56 - e, X_56, y_56)) / 2e-6
                        for e in 1e-6 * np.eye(3)])
assert np.allclose(_central_56, _bce_gradient(_params_56[:2], _params_56[2], X_56, y_56),
                   atol=1e-8)

BCE_CASES = [
    Case((np.array([0.4, -0.3]), 0.1, X_56, y_56), "w = [0.4, -0.3], b = 0.1, 8 points"),
    Case((np.array([0.0, 0.0]), 0.0, CORNERS, GATES["AND"].astype(float)),
         "w = [0, 0], b = 0, the AND truth table"),
    Case((np.array([2.0, 1.0]), -1.0, np.array([[1.0, 2.0]]), np.array([0.0])),
         "w = [2, 1], b = -1, X = [[1, 2]], y = [0]"),
]

EXERCISES = [
    Exercise("5.1a", 2, "weights for AND", Gate("AND", GATES["AND"])),
    Exercise("5.1b", 2, "weights for NAND", Gate("NAND", GATES["NAND"])),
    Exercise("5.1c", 1, "weights for NOR", Gate("NOR", NOR_51)),
    Exercise("5.2a", 1, "z at the point p", Number(z_52, mistakes=(
        (z_52 - B_52, "that is w·p without the bias: z = w·p + b"),
        (float(P_52 @ W_52[::-1] + B_52), "the weights are swapped: w1 multiplies x1"),
    ))),
    Exercise("5.2b", 2, "signed distance of p", BuildsOn("5.2a", Number(distance_52, mistakes=(
        (z_52, "that is z itself; divide by the length ‖w‖ = √(3² + 4²) = 5"),
        (z_52 / norm_52**2, "you divided by ‖w‖², the squared length; divide by ‖w‖ = 5"),
        (z_52 / 7, "‖w‖ is √(w1² + w2²) = 5, not w1 + w2 = 7"),
        ((z_52 - B_52) / norm_52, "the bias is missing: the distance is (w·p + b)/‖w‖"),
    )))),
    Exercise("5.2c", 2, "the point of the boundary nearest to p", BuildsOn("5.2b", Array(
        nearest_52, rtol=1e-6, atol=1e-9, what="a point, two numbers", mistakes=(
            (P_52 + distance_52 * W_52 / norm_52,
             "you walked away from the boundary: p lies on the side w points to, so go "
             "against w: p - d·w/‖w‖"),
            (-B_52 * W_52 / norm_52**2, "that is the point of the boundary nearest to the "
                                        "origin, not to p"),
            (P_52 - distance_52 * W_52, "walk the distance d along the unit vector w/‖w‖ "
                                        "(d·w walks d·‖w‖; so does z·w/‖w‖)"),
        )))),
    Exercise("5.2d", 2, "signed_distance(w, b, X)", Function(
        _signed_distance, DISTANCE_CASES, mistakes=(
            (lambda w, b, X: np.asarray(X) @ w + b, "that is z = w·x + b; divide by ‖w‖"),
            (lambda w, b, X: (np.asarray(X) @ w + b) / (np.asarray(w) @ w),
             "you divided by ‖w‖², the squared length: divide by np.linalg.norm(w)"),
            (lambda w, b, X: np.abs(np.asarray(X) @ w + b) / np.linalg.norm(w),
             "the distance must keep its sign (positive on the side w points to): no abs"),
            (lambda w, b, X: np.asarray(X) @ w / np.linalg.norm(w), "the bias b is missing"),
        ))),
    Exercise("5.3a", 1, "augment(X)", Function(
        augment, AUGMENT_CASES, mistakes=(
            (_augment_first, "the 1 goes last: x̃ = [x, 1], so that w̃ = [w, b]"),
            (lambda X: np.hstack([X, np.zeros((len(X), 1))]),
             "append a column of ones, not zeros: the bias's input is always 1"),
        ))),
    Exercise("5.3b", 3, "train_perceptron(X, y)", Trainer(TRAIN_CASES, TRAIN_LOOPS)),
    Exercise("5.3c", 1, "the radius R", Number(R_53, mistakes=(
        (R_raw_53, "that is measured on the raw x; the theorem uses x̃ = [x, 1], whose length "
                   "includes the 1"),
        (R_53**2, "that is R², the squared length; R is the length itself"),
        (float(np.mean(np.linalg.norm(augment(X_53), axis=1))),
         "that is the average length; R is the largest"),
    ))),
    Exercise("5.3d", 2, "the margin γ of u", Number(gamma_53, mistakes=(
        (float(np.min(augment(X_53) @ U_53)),
         "multiply by the label first: the margin is the smallest y·u·x̃, with y = -1 for "
         "class 0"),
        (float(np.max(_signs(y_53) * (augment(X_53) @ U_53))),
         "that is the largest y·u·x̃; the margin is the smallest"),
        (3 * gamma_53, "u must have length 1: divide (2, 1, -2) by its length 3"),
        (float(np.min(_signs(y_53) * (X_53 @ U_53[:2]))),
         "use the augmented x̃ = [x, 1], so that the bias -2/3 counts"),
        (float(np.min(np.asarray(y_53) * (augment(X_53) @ U_53))),
         "with the labels 0 and 1, every class-0 point gives 0: use y = -1 for class 0 and "
         "y = +1 for class 1"),
    ))),
    Exercise("5.3e", 1, "the bound (R/γ)²", BuildsOn(("5.3c", "5.3d"), Number(bound_53, mistakes=(
        (R_53 / gamma_53, "square it: the bound is (R/γ)²"),
        ((R_raw_53 / gamma_53) ** 2, "R must be measured on x̃ = [x, 1], not on x"),
        ((gamma_53 / R_53) ** 2, "upside down: (R/γ)², R on top"),
    )))),
    Exercise("5.4a", 2, "the four rows y·x̃ of XOR", Array(
        A_54, rtol=0, atol=1e-9, what="a 4×3 array", mistakes=(
            (augment(CORNERS), "multiply each row by its label y: -1 for the rows where XOR is 0"),
            (-A_54, "the signs are flipped: rows where XOR is 1 keep +, rows where it is 0 "
                    "get -"),
            (GATES["XOR"][:, None] * augment(CORNERS),
             "use y = -1 (not 0) for output 0: a row multiplied by 0 says nothing"),
        ))),
    Exercise("5.4b", 2, "multipliers that prove XOR impossible",
             BuildsOn("5.4a", Multipliers(A_54, STRICT_54))),
    Exercise("5.4c", 2, "XOR from one neuron with the feature x1·x2",
             Gate("XOR", GATES["XOR"], features=_with_product,
                  what="four numbers [w1, w2, w3, b]")),
    Exercise("5.5a", 2, "the hidden layer (W1, b1): OR and NAND",
             HiddenLayer(HIDDEN_TARGET_55, ("OR", "NAND"))),
    Exercise("5.5b", 1, "the output neuron: AND of the hidden outputs",
             Gate("AND", GATES["AND"])),
    Exercise("5.5c", 2, "xor_network(X)", BuildsOn(("5.5a", "5.5b"), Function(
        _xor_reference, XOR_CASES, mistakes=(
            (lambda X: step(np.asarray(X) @ [1.0, 1.0] - 0.5), "that is OR; combine OR and "
                                                                "NAND with an AND"),
            (lambda X: step(np.asarray(X) @ [1.0, 1.0] - 1.5), "that is AND of the inputs; "
                                                                "apply AND to the hidden outputs"),
            (lambda X: 1 - _xor_reference(X), "that is XNOR, the opposite of XOR"),
        )))),
    Exercise("5.6a", 1, "the largest value of σ'", Number(0.25, mistakes=(
        (0.5, "that is σ(0); the largest slope is σ'(0) = σ(0)(1 - σ(0))"),
        (1.0, "σ' = s(1 - s) with s between 0 and 1: at most 1/2·1/2"),
    ))),
    Exercise("5.6b", 2, "the slope of σ(c z) at z = 0", Expression(
        slope_56, {c: (0.5, 20.0)}, symbol_note="write it in c only", mistakes=(
            (sp.Rational(1, 4), "1/4 is σ'(0); the chain rule multiplies by the inner "
                                "derivative d(cz)/dz = c"),
            (c / 2, "σ(0) = 1/2 is the height; the slope is c·σ'(0) = c·1/4"),
            (c, "multiply the inner derivative c by σ'(0) = 1/4"),
        ))),
    Exercise("5.6c", 3, "bce_gradient(w, b, X, y)", Function(
        _bce_gradient, BCE_CASES, rtol=1e-6, atol=1e-9, mistakes=(
            (lambda w, b, X, y: len(X) * _bce_gradient(w, b, X, y),
             "that is the sum over the points; L is the mean, so divide by N"),
            (lambda w, b, X, y: -_bce_gradient(w, b, X, y),
             "the sign is flipped: dL/dz = p - y, not y - p"),
            (lambda w, b, X, y: _bce_gradient_with_extra_sigma_prime(w, b, X, y),
             "the σ'(z) factor cancels: dL/dz = p - y already includes it"),
        ))),
]


def _bce_gradient_with_extra_sigma_prime(w, b, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    p = sigmoid(X @ np.asarray(w, dtype=float) + b)
    g = (p - y) * p * (1 - p)
    return np.append(X.T @ g, np.sum(g)) / len(X)


