"""Chapter 3, Gradient descent: the expected answers of the graded exercises and how each is judged.

The notebook is ``solutions/03-gradient-descent.ipynb`` (learners get ``exercises/``).
Every expected answer below is computed (numpy, math), not typed in.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import Exercise
from .judges import Array, Case, Function, Number

TITLE = "Gradient descent"

# ---- 3.1 The speed limit of a valley: L = ½ θᵀAθ
A_31 = np.array([[5.0, 2.0], [2.0, 2.0]])
lam_min_31, lam_max_31 = (float(v) for v in np.linalg.eigvalsh(A_31))     # 1 and 6
threshold_31 = 2 / lam_max_31
best_rate_31 = 2 / (lam_min_31 + lam_max_31)
kappa_31 = lam_max_31 / lam_min_31
best_factor_31 = (kappa_31 - 1) / (kappa_31 + 1)

# ---- 3.2 The four regimes of L = (a/2)θ²
A_32 = 4.0
RATES_32 = np.array([0.1, 0.4, 0.5, 0.6])
factors_32 = 1 - RATES_32 * A_32


def regime_of(factor: float) -> str:
    """The regime of e_{k+1} = r e_k, named as in the chapter's table (r = 0 is 'one step')."""
    if math.isclose(factor, -1.0, abs_tol=1e-12):
        return "two-cycle"
    if math.isclose(factor, 0.0, abs_tol=1e-12):
        return "one step"
    return ("monotone" if 0 < factor < 1 else "oscillating" if -1 < factor < 0
            else "diverges")


regimes_32 = [regime_of(r) for r in factors_32]
one_step_rate_32 = 1 / A_32

# ---- 3.3 Steps and epochs
N_TRAIN_33, BATCH_33 = 1000, 64
steps_per_epoch_33 = math.ceil(N_TRAIN_33 / BATCH_33)                  # 16
updates_33 = 3 * steps_per_epoch_33                                    # 48
full_epochs_33 = 1000 // steps_per_epoch_33                            # 62


# ---- 3.4 gradient_descent
def _gradient_descent(grad, theta0, lr, steps):
    """θ₀, θ₁, …, θ_steps of θ_{k+1} = θ_k - η ∇L(θ_k), as an array (steps + 1, n)."""
    theta = np.array(theta0, dtype=np.float64)
    path = [theta]
    for _ in range(steps):
        theta = theta - lr * np.asarray(grad(theta), dtype=np.float64)
        path.append(theta)
    return np.array(path)


def _gradient_ascent(grad, theta0, lr, steps):
    return _gradient_descent(lambda t: -np.asarray(grad(t)), theta0, lr, steps)


def _without_lr(grad, theta0, lr, steps):
    return _gradient_descent(grad, theta0, 1.0, steps)


def _all_rows_the_last(grad, theta0, lr, steps):
    # path.append(theta) followed by theta -= lr * grad(theta): every row is the same array.
    path = _gradient_descent(grad, theta0, lr, steps)
    return np.repeat(path[-1:], len(path), axis=0)


def _step_before_recording(grad, theta0, lr, steps):
    # Records θ after the update, so the path starts at θ₁ and has one step too many.
    return _gradient_descent(grad, theta0, lr, steps + 1)[1:]


def grad_quadratic_31(theta):
    """∇(½ θᵀAθ) = Aθ for the A of Exercise 3.1."""
    return A_31 @ theta


def grad_quartic(theta):
    """∇(θ⁴/4) = θ³, entry by entry: a loss whose curvature vanishes at the minimum."""
    return theta**3


def grad_bumpy(theta):
    """∇ of L = ln(1 + θ₁²) + (θ₂ - θ₁²/2)², the chapter's non-quadratic loss."""
    t1, t2 = theta
    return np.array([2 * t1 / (1 + t1**2) - 2 * t1 * (t2 - t1**2 / 2), 2 * (t2 - t1**2 / 2)])


def grad_parabola_32(theta):
    """L = (a/2)θ² with a = 4 (Exercise 3.2): ∇L = 4θ."""
    return A_32 * theta


DESCENT_CASES = [
    Case((grad_quadratic_31, np.array([1.0, 1.0]), 0.1, 5),
         "the valley of 3.1 from theta0 = [1, 1], lr = 0.1, steps = 5 "
         "(the path has 6 rows: theta0 and one per step)"),
    Case((grad_quartic, np.array([1.5]), 0.2, 8),
         "grad(θ) = θ³ from theta0 = [1.5], lr = 0.2, steps = 8"),
    Case((grad_bumpy, np.array([0.8, 1.1]), 0.1, 20),
         "the chapter's bumpy loss from theta0 = [0.8, 1.1], lr = 0.1, steps = 20"),
    Case((grad_parabola_32, np.array([1.0]), 0.6, 12),
         "grad(θ) = 4θ from theta0 = [1.0], lr = 0.6, steps = 12 (a divergent run: "
         "report it, do not stop it)"),
    Case((grad_quadratic_31, np.array([2.0, -1.0]), 0.1, 0),
         "steps = 0 (the path is theta0 alone, one row)"),
]


# ---- 3.5 A mini-batch epoch on a linear regression ŷ = w x + b, θ = (w, b)
def _mse_grad(theta, x, y):
    """∇ of L = (1/N) Σ (w xₙ + b - yₙ)²: (2/N) Σ rₙ (xₙ, 1); shape (2,)."""
    w, b = theta
    r = w * x + b - y
    return np.array([2 * np.mean(r * x), 2 * np.mean(r)])


def _mse_grad_summed(theta, x, y):
    return len(x) * _mse_grad(theta, x, y)


def _mse_grad_without_2(theta, x, y):
    return _mse_grad(theta, x, y) / 2


def _mse_grad_flipped(theta, x, y):
    return -_mse_grad(theta, x, y)


def _minibatch_epoch(theta, x, y, lr, batch_size, grad=_mse_grad):
    """One epoch in the given order: batches x[0:N], x[N:2N], …, the last one smaller."""
    theta = np.array(theta, dtype=np.float64)
    for start in range(0, len(x), batch_size):
        batch = slice(start, start + batch_size)
        theta = theta - lr * grad(theta, x[batch], y[batch])
    return theta


def _epoch_without_last_batch(theta, x, y, lr, batch_size):
    theta = np.array(theta, dtype=np.float64)
    for i in range(len(x) // batch_size):
        batch = slice(i * batch_size, (i + 1) * batch_size)
        theta = theta - lr * _mse_grad(theta, x[batch], y[batch])
    return theta


def _epoch_full_gradient(theta, x, y, lr, batch_size):
    theta = np.array(theta, dtype=np.float64)
    for _ in range(math.ceil(len(x) / batch_size)):
        theta = theta - lr * _mse_grad(theta, x, y)
    return theta


def _epoch_one_step(theta, x, y, lr, batch_size):
    return np.array(theta, dtype=np.float64) - lr * _mse_grad(theta, x[:batch_size],
                                                               y[:batch_size])


def regression_points(n: int = 10, seed: int = 5):
    """n points near the line y = 2x - 1: the data of Exercise 3.5."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(-1, 2, n), 2)
    y = np.round(2 * x - 1 + rng.normal(0, 0.3, n), 2)
    return x, y


X_35, Y_35 = regression_points()
THETA_35 = np.array([0.0, 0.0])
GRAD_CASES = [
    Case((THETA_35, X_35, Y_35), "theta = [0, 0] and the 10 points x, y of the notebook"),
    Case((np.array([1.5, -0.5]), X_35[:3], Y_35[:3]),
         "theta = [1.5, -0.5] and the first 3 points (a batch)"),
    Case((np.array([-1.0, 2.0]), X_35[4:5], Y_35[4:5]), "theta = [-1, 2] and one point x[4:5]"),
]
EPOCH_CASES = [
    Case((THETA_35, X_35, Y_35, 0.1, 4),
         "theta = [0, 0], lr = 0.1, batch_size = 4 (batches of 4, 4 and 2 points)"),
    Case((THETA_35, X_35, Y_35, 0.1, 10),
         "batch_size = 10 = all the points (one full gradient step)"),
    Case((np.array([1.0, 1.0]), X_35, Y_35, 0.05, 1), "theta = [1, 1], lr = 0.05, batch_size = 1"),
]
summed_rate_35 = 0.1 / 32

# ---- 3.6 Predicted and measured contraction on the valley of 3.1
factor_01_36 = max(abs(1 - 0.1 * lam_min_31), abs(1 - 0.1 * lam_max_31))    # 0.9
_path_36 = _gradient_descent(grad_quadratic_31, np.array([1.0, 0.0]), 0.1, 60)
measured_36 = float(np.linalg.norm(_path_36[60]) / np.linalg.norm(_path_36[59]))
factor_03_36 = max(abs(1 - 0.3 * lam_min_31), abs(1 - 0.3 * lam_max_31))    # 0.8
steps_36 = math.ceil(math.log(1e-6) / math.log(best_factor_31))              # 42


# ---------------------------------------------------------------- a judge for words

SYNONYMS = {
    "monotone": {"monotone", "monotonic", "monotonically", "monotone convergence",
                 "converges monotonically", "smooth", "creeps"},
    "one step": {"one step", "one-step", "1 step", "single step", "exact"},
    "oscillating": {"oscillating", "oscillates", "oscillation", "oscillating but converging",
                    "oscillates but converges", "zig-zag", "zigzag"},
    "two-cycle": {"two-cycle", "two cycle", "2-cycle", "2 cycle", "cycle", "cycles",
                  "oscillates forever", "bounces forever"},
    "diverges": {"diverges", "diverge", "divergent", "diverging", "divergence", "explodes",
                 "blows up"},
}


def _word(answer) -> str | None:
    """The regime named by a learner's word, or None when it names none."""
    text = str(answer).strip().lower().replace("_", " ")
    return next((name for name, words in SYNONYMS.items() if text in words), None)


@dataclass
class Regimes:
    """A list of regime names, one per learning rate, matched by meaning (synonyms allowed)."""

    expected: list
    rates: np.ndarray
    a: float

    def __call__(self, answer, time_limit: float | None = None):
        if answer is None:
            return False, ("the answer is None, not a list of words: did you assign the list "
                           "to the variable?")
        if isinstance(answer, str) or not hasattr(answer, "__len__"):
            return False, (f"give a list of {len(self.expected)} words, one per learning rate, "
                           f"e.g. ['monotone', 'oscillating', 'two-cycle', 'diverges']")
        if len(answer) != len(self.expected):
            return False, (f"the list has {len(answer)} entries, expected "
                           f"{len(self.expected)}: one per learning rate")
        names = ", ".join(repr(n) for n in SYNONYMS)
        for item, want, eta in zip(answer, self.expected, self.rates):
            got = _word(item)
            if got is None:
                return False, f"{item!r} (for η = {eta:g}) is not one of the regimes {names}"
        for item, want, eta in zip(answer, self.expected, self.rates):
            got = _word(item)
            if got != want:
                r = 1 - eta * self.a
                return False, (f"for η = {eta:g} you wrote {got!r}, but the factor is "
                               f"1 - ηa = {r:g}: {self._why(r)}")
        return True, ""

    @staticmethod
    def _why(r: float) -> str:
        if math.isclose(r, -1.0, abs_tol=1e-12):
            return "the error flips sign and keeps its size forever: a two-cycle"
        if r < -1:
            return "|r| > 1, so the error grows at every step: it diverges"
        if r < 0:
            return ("-1 < r < 0: every step crosses the minimum, yet the error shrinks: "
                    "oscillating")
        if r == 0:
            return "r = 0: the first step lands on the minimum"
        return "0 < r < 1: the error shrinks and keeps its sign: monotone"


_INT = dict(rtol=0.0, atol=1e-9)

_ROUNDED = ("close, but rounded too far for a check that compares to 6 digits: write the "
            "fraction itself (e.g. 2 / lam_max) or keep more digits")

EXERCISES = [
    Exercise("3.1a", 1, "λ_max of A", Number(lam_max_31, mistakes=(
        (lam_min_31, "that is the smallest eigenvalue λ_min; the speed limit needs the largest"),
        (5.0, "5 is the largest diagonal entry, not the largest eigenvalue: solve "
              "det(A - λI) = 0, i.e. λ² - 7λ + 6 = 0"),
        (7.0, "7 is the trace of A, the sum λ_min + λ_max, not λ_max itself"),
        (10.0, "10 would be λ₁ + λ₂ with the off-diagonal entries counted twice; solve "
               "det(A - λI) = 0"),
    ))),
    Exercise("3.1b", 2, "largest stable learning rate 2/λ_max", Number(threshold_31, mistakes=(
        (2 / lam_min_31, "2/λ_min is the limit of the shallow direction; the steep direction, "
                         "λ_max, diverges first: 2/λ_max"),
        (1 / lam_max_31, "1/λ_max is the rate that kills the steep direction in one step; "
                         "descent still converges up to 2/λ_max"),
        (2 / 5.0, "2/5 uses the diagonal entry 5 instead of the eigenvalue λ_max (3.1a)"),
        (best_rate_31, "2/(λ_min + λ_max) is the best rate, not the largest stable one"),
        (threshold_31, _ROUNDED, 0.01),
    ))),
    Exercise("3.1c", 2, "best fixed rate η*", Number(best_rate_31, mistakes=(
        (threshold_31, "2/λ_max is the speed limit; at it the steep direction cycles for ever. "
                       "The best rate balances both ends: 2/(λ_min + λ_max)"),
        (1 / (lam_min_31 + lam_max_31), "the balance 1 - ηλ_min = -(1 - ηλ_max) gives "
                                        "η = 2/(λ_min + λ_max): the 2 is missing"),
        (1 / lam_max_31, "1/λ_max is best for the steep direction alone; the best rate for "
                         "both is 2/(λ_min + λ_max)"),
        (best_rate_31, _ROUNDED, 0.01),
    ))),
    Exercise("3.1d", 2, "contraction factor at η*", Number(best_factor_31, mistakes=(
        (1 - best_factor_31, "that is 1 - ρ, the fraction removed per step; the factor ρ is "
                             "what remains: (κ - 1)/(κ + 1)"),
        (kappa_31, "that is the condition number κ = λ_max/λ_min; the factor is "
                   "(κ - 1)/(κ + 1)"),
        (kappa_31 / (kappa_31 + 1), "the numerator is κ - 1: ρ = (κ - 1)/(κ + 1)"),
        ((kappa_31 - 1) / kappa_31, "the denominator is κ + 1: ρ = (κ - 1)/(κ + 1)"),
        ((kappa_31 + 1) / (kappa_31 - 1), "that is upside down, and above 1 the error would "
                                          "grow: ρ = (κ - 1)/(κ + 1)"),
        (best_factor_31, _ROUNDED, 0.01),
    ))),
    Exercise("3.2a", 2, "factors 1 - ηa for the four rates", Array(
        factors_32, rtol=1e-6, atol=1e-9, label=lambda i: f"η = {RATES_32[i[0]]:g}",
        what="an array of 4 factors, one per learning rate", mistakes=(
            (1 + RATES_32 * A_32, "the step goes against the slope: the factor is 1 - ηa, "
                                  "not 1 + ηa"),
            (RATES_32 * A_32, "these are ηa; the factor multiplying the error is 1 - ηa"),
            (1 - RATES_32 * A_32 / 2, "the slope of (a/2)θ² is aθ, not (a/2)θ: the factor is "
                                      "1 - ηa"),
        ))),
    Exercise("3.2b", 2, "the regime of each rate", Regimes(regimes_32, RATES_32, A_32)),
    Exercise("3.2c", 1, "the rate that lands in one step", Number(one_step_rate_32, mistakes=(
        (2 / A_32, "at η = 2/a the factor is -1: the walk cycles, it never lands"),
        (A_32, "that is a itself; one step lands when 1 - ηa = 0"),
        (1 / (2 * A_32), "1 - ηa = 0 gives η = 1/a, not 1/(2a)"),
    ))),
    Exercise("3.3a", 1, "steps per epoch", Number(steps_per_epoch_33, **_INT, mistakes=(
        (15.0, "15 full batches use 960 samples; the remaining 40 make a 16th, smaller batch "
               "(round up: ⌈1000/64⌉)"),
        (N_TRAIN_33 / BATCH_33, "a number of steps is a whole number: round 1000/64 up"),
        (float(BATCH_33), "64 is the batch size, the samples per step"),
        (N_TRAIN_33 * BATCH_33, "steps per epoch = samples / batch size, not their product"),
    ))),
    Exercise("3.3b", 1, "updates in 3 epochs", Number(updates_33, **_INT, mistakes=(
        (3.0, "3 is the number of epochs; an update is a step, and each epoch has "
              "⌈1000/64⌉ of them"),
        (3 * N_TRAIN_33 / BATCH_33, "a step count is a whole number: each epoch has "
                                    "⌈1000/64⌉ = 16 steps"),
        (45.0, "each epoch has 16 steps, not 15: the last 40 samples make a smaller batch"),
        (3.0 * N_TRAIN_33, "that counts samples seen; an update uses a whole batch"),
    ))),
    Exercise("3.3c", 1, "complete epochs after 1000 steps", Number(full_epochs_33, **_INT,
        mistakes=(
            (1000.0, "1000 steps are not 1000 epochs: an epoch is ⌈1000/64⌉ = 16 steps"),
            (1000 / steps_per_epoch_33, "62.5 epochs are not all complete: count the whole "
                                        "ones (round down)"),
            (64.0, "that assumes 64 samples in every step; each epoch has 16 steps"),
            (float(1000 // 15), "each epoch has 16 steps, not 15"),
            (float(full_epochs_33 + 1), "the 63rd epoch would need 63 × 16 = 1008 steps: after "
                                        "1000 it is not complete (round down)"),
        ))),
    Exercise("3.4a", 3, "gradient_descent(grad, theta0, lr, steps)", Function(
        _gradient_descent, DESCENT_CASES, rtol=1e-9, atol=1e-12, mistakes=(
            (_gradient_ascent, "your path climbs: the update subtracts the gradient, "
                               "theta - lr * grad(theta)"),
            (_without_lr, "the step is lr * grad(theta): the learning rate is missing"),
            (_all_rows_the_last, "every row of your path is the last θ: you appended the "
                                 "same array and then changed it in place (theta -= ...); "
                                 "write theta = theta - lr * grad(theta)"),
        ))),
    Exercise("3.5a", 2, "mse_grad(theta, x, y)", Function(
        _mse_grad, GRAD_CASES, rtol=1e-9, atol=1e-12, mistakes=(
            (_mse_grad_summed, "this is the gradient of the summed loss; L is the mean over "
                               "the points: divide by their number"),
            (_mse_grad_without_2, "the derivative of r² is 2r: the factor 2 is missing"),
            (_mse_grad_flipped, "the sign is flipped: the residual is r = w x + b - y "
                                "(prediction minus target)"),
        ))),
    Exercise("3.5b", 3, "minibatch_epoch(theta, x, y, lr, batch_size)", Function(
        _minibatch_epoch, EPOCH_CASES, rtol=1e-9, atol=1e-12, mistakes=(
            (_epoch_without_last_batch, "your epoch skips the last, smaller batch: 10 points "
                                        "in batches of 4 make 3 steps, the last with 2 points"),
            (_epoch_full_gradient, "each step must use its own batch x[start:start + "
                                   "batch_size], not all the points"),
            (_epoch_one_step, "an epoch is a pass over all the points: one step per batch, "
                              "not a single step"),
            (lambda *args: _minibatch_epoch(*args, grad=_mse_grad_summed),
             "the steps are too large by the batch size: is mse_grad (3.5a) a mean?"),
            (lambda *args: _minibatch_epoch(*args, grad=_mse_grad_without_2),
             "the steps are half as long as they should be: check mse_grad (3.5a) first, "
             "its factor 2"),
            (lambda *args: _minibatch_epoch(*args, grad=_mse_grad_flipped),
             "your epoch climbs: check the sign in mse_grad (3.5a) and the minus of the "
             "update"),
        ))),
    Exercise("3.5c", 1, "summed-loss rate matching lr = 0.1 at N = 32", Number(
        summed_rate_35, mistakes=(
            (0.1 * 32, "the summed gradient is already 32 times larger: divide the rate by 32"),
            (0.1, "the summed loss's gradient is 32 times the mean's, so the rate must be "
                  "32 times smaller"),
            (0.1 / 1000, "divide by the batch size N = 32, not by the size of a data set"),
        ))),
    Exercise("3.6a", 1, "predicted factor at η = 0.1", Number(factor_01_36, mistakes=(
        (abs(1 - 0.1 * lam_max_31), "that is |1 - ηλ_max|, the fast direction; after a few "
                                    "steps the slow one dominates: max over both"),
        (0.1 * lam_max_31, "that is ηλ_max; the factor is max |1 - ηλ|"),
        (factor_01_36 ** 2, "that is ρ², the factor of the loss; the error shrinks by ρ"),
    ))),
    Exercise("3.6b", 2, "measured factor at η = 0.1", Number(measured_36, rtol=1e-4, mistakes=(
        (1 / measured_36, "that is ‖θ₅₉‖/‖θ₆₀‖: divide the later norm by the earlier one",
         1e-4),
        (measured_36 ** 60, "that is ‖θ₆₀‖/‖θ₀‖, sixty factors in one; the factor per step "
                            "is ‖θ₆₀‖/‖θ₅₉‖", 1e-6),
        (measured_36 ** 2, "that is a ratio of losses, which shrink by ρ²; use the norms of "
                           "θ (np.linalg.norm)", 1e-4),
    ))),
    Exercise("3.6c", 1, "predicted factor at η = 0.3", Number(factor_03_36, mistakes=(
        (abs(1 - 0.3 * lam_min_31), "that is |1 - ηλ_min|; at η = 0.3 the steep direction "
                                    "is the slower one: work out |1 - ηλ_max| too"),
        (1 - 0.3 * lam_max_31, "|1 - ηλ_max| is an absolute value: the error changes sign "
                               "but its size shrinks by 0.8"),
        (0.3 * lam_max_31, "that is ηλ_max; the factor is max |1 - ηλ|"),
    ))),
    Exercise("3.6d", 2, "steps at η* for a millionfold reduction", Number(
        steps_36, **_INT, mistakes=(
            (float(steps_36 - 1), "after 41 steps the error is still a bit above 10⁻⁶ of "
                                  "its start: round up"),
            (math.log(1e-6) / math.log(best_factor_31), "a number of steps is a whole number: "
                                                        "round up", 0.01),
            (float(math.ceil(math.log(1e-6) / math.log(factor_03_36))),
             "that uses the factor at η = 0.3; at η* it is (κ - 1)/(κ + 1) from 3.1d"),
            (float(math.ceil(math.log(1e-6) / math.log(factor_01_36))),
             "that uses the factor at η = 0.1; at η* it is (κ - 1)/(κ + 1) from 3.1d"),
        ))),
]
