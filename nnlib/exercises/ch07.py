"""Chapter 7, Cross-entropy and softmax: the expected answers of the graded exercises and how
each is judged.

The notebook is ``solutions/07-cross-entropy-softmax.ipynb`` (learners get ``exercises/``).
Every expected answer is computed here (sympy or numpy) from the data the notebook states;
the data (probabilities, logits, labels) are defined once in this module and printed in
the notebook.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..activations import log_softmax, sigmoid, softmax
from . import Exercise
from .judges import Array, Case, Expression, Function, Number
from .timelimit import run_with_time_limit

TITLE = "Cross-entropy and softmax"


# ------------------------------------------------------------------ a judge with hints

class WithHint:
    """A judge whose feedback gets a hint appended when it mentions a word (e.g. 'nan').

    ``hints`` is a list of (word, hint): the first word found in the feedback adds its hint.
    Used where a learner's NaN or infinity has one typical cause the generic feedback
    cannot name (an exp that overflowed, a log of a probability that rounded to 0).
    """

    def __init__(self, judge, hints):
        self.judge, self.hints = judge, list(hints)

    def __call__(self, answer, time_limit=None):
        correct, feedback = self.judge(answer, time_limit)
        if not correct:
            for word, hint in self.hints:
                if word in feedback:
                    return False, f"{feedback}. {hint}"
        return correct, feedback


class FloatResult:
    """A judge that first requires a function's result on ``case`` to be a float array.

    One-hot labels of an integer type break quietly (-y wraps around for unsigned types),
    so the dtype matters here, not only the values; then ``judge`` decides.
    """

    def __init__(self, judge, case: Case):
        self.judge, self.case = judge, case

    def __call__(self, answer, time_limit=None):
        correct, feedback = self.judge(answer, time_limit)
        if not correct:
            return correct, feedback
        outcome = run_with_time_limit(lambda: answer(*self.case.args), time_limit or 2.0)
        dtype = getattr(outcome.value, "dtype", None)
        if outcome.error is None and not outcome.timed_out and dtype is not None \
                and not np.issubdtype(dtype, np.floating):
            return False, (f"the values are right, but for {self.case.label} the array has dtype "
                           f"{dtype}: with integers, -y or 1 - y can wrap around (for uint8, "
                           f"-1 is 255); return floats, e.g. np.eye(K)[labels] or "
                           f".astype(float)")
        return True, ""


class Forbids:
    """A judge that first refuses a function calling one of ``names`` (the library's own
    softmax, log-softmax, log-sum-exp or losses), which would do the exercise for the learner;
    then ``judge`` decides.  Names are read from the function's code, nested functions included.
    """

    def __init__(self, judge, names=("softmax", "log_softmax", "logsumexp", "Softmax",
                                     "CrossEntropy", "BinaryCrossEntropy")):
        self.judge, self.names = judge, tuple(names)

    def __call__(self, answer, time_limit=None):
        used = _library_calls(answer, self.names)
        if used:
            return False, (f"your function calls {', '.join(used)} from a library: this exercise "
                           "asks you to write it yourself with numpy (np.exp, np.log, .max, "
                           ".sum); the check compares your function with nnlib's")
        return self.judge(answer, time_limit)


LIBRARIES = {"nnlib", "scipy", "torch", "tensorflow", "keras", "jax", "sklearn"}


def _from_library(obj) -> bool:
    module = getattr(obj, "__module__", None) or getattr(obj, "__name__", "")
    return isinstance(module, str) and module.split(".")[0] in LIBRARIES


def _library_calls(answer, names) -> list:
    """Which of ``names`` the function uses as a library's object (not one of the learner's
    own functions of the same name): as a global, or as an attribute of an imported module."""
    if callable(answer) and _from_library(answer):      # the library's function itself
        return [getattr(answer, "__name__", type(answer).__name__)]
    code = getattr(answer, "__code__", None)
    found = set()
    if code is None:
        return []
    used = _names_used(code)
    space = getattr(answer, "__globals__", {})
    for name in set(used) & set(names):
        if _from_library(space.get(name)):
            found.add(name)
        for other in used:
            holder = space.get(other)
            if isinstance(holder, type(np)) and _from_library(holder) \
                    and _from_library(getattr(holder, name, None)):
                found.add(name)
    return sorted(found)


def _names_used(code):
    if code is None:
        return []
    names = list(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names += _names_used(const)
    return names


OVERFLOW_HINT = ("A NaN or an infinity here means an exp overflowed (e^1000 is inf in float64) or "
                 "a whole row of exps rounded to 0: subtract each row's own maximum, "
                 "Z.max(axis=1, keepdims=True), before np.exp")
JACOBIAN_HINT = ("A NaN or an infinity here means an exp overflowed (e^1000 is inf in float64): "
                 "compute ŷ with the maximum subtracted, np.exp(z - z.max())")
LOG_HINT = ("An infinity there means a log of 0 or an overflow: never take np.log of a softmax (a "
            "probability that rounds to 0 gives -inf), and never np.exp(Z) unshifted (e^1000 is "
            "inf); compute Z - m - ln Σⱼ e^(zⱼ - m), with m each row's maximum")


# ---- 7.1 From probabilities to a loss
PROBS_71 = np.array([0.8, 0.5, 0.9, 0.1])    # probability of the true class, for 4 samples
likelihood_71 = float(np.prod(PROBS_71))
cross_entropy_71 = float(-np.mean(np.log(PROBS_71)))
yhat, y = sp.symbols("yhat y")
bce_71 = -(y * sp.log(yhat) + (1 - y) * sp.log(1 - yhat))
BCE_RANGE = {yhat: (0.05, 0.95), y: (0.0, 1.0)}

# ---- 7.2 The Jacobian of softmax, K = 3
yhat1, yhat2, yhat3 = sp.symbols("yhat1 yhat2 yhat3")
z1, z2, z3 = sp.symbols("z1 z2 z3")
_S = sp.exp(z1) + sp.exp(z2) + sp.exp(z3)
_softmax_sym = [sp.exp(z1) / _S, sp.exp(z2) / _S, sp.exp(z3) / _S]
d11_72 = yhat1 * (1 - yhat1)
d12_72 = -yhat1 * yhat2
# the expected answers are the derivatives of softmax, written in ŷ (checked at import):
assert sp.simplify(sp.diff(_softmax_sym[0], z1)
                   - d11_72.subs(yhat1, _softmax_sym[0])) == 0
assert sp.simplify(sp.diff(_softmax_sym[0], z2)
                   - d12_72.subs({yhat1: _softmax_sym[0], yhat2: _softmax_sym[1]})) == 0
YHAT_RANGE = {yhat1: (0.05, 0.6), yhat2: (0.05, 0.35), yhat3: (0.05, 0.35)}


def _jacobian(z):
    p = softmax(np.asarray(z, dtype=np.float64))
    return np.diag(p) - np.outer(p, p)


JACOBIAN_CASES = [
    Case((np.array([0.0, 0.0]),), "z = np.array([0.0, 0.0])"),
    Case((np.array([2.0, 1.0, -1.0]),), "z = np.array([2.0, 1.0, -1.0])"),
    Case((np.array([0.5, -1.5, 3.0, 0.0]),), "z = np.array([0.5, -1.5, 3.0, 0.0])"),
    Case((np.array([1000.0, 999.0, 998.0]),), "z = np.array([1000.0, 999.0, 998.0]) (large logits)"),
]

Z_72D = np.array([3.0, -1.0, 0.5, 2.0])
row_sums_72 = _jacobian(Z_72D).sum(axis=1)           # zeros, up to rounding
_p_72d = softmax(Z_72D)


# ---- 7.3 The gradient with respect to the logits: L = -ln ŷ₁
Z_RANGE = {z1: (-3.0, 3.0), z2: (-3.0, 3.0), z3: (-3.0, 3.0)}
_loss_73 = -sp.log(_softmax_sym[0])
dz1_73 = sp.diff(_loss_73, z1)
dz2_73 = sp.diff(_loss_73, z2)


def _ce_grad(Z, Y):
    Z = np.asarray(Z, dtype=np.float64)
    return (softmax(Z, axis=1) - Y) / Z.shape[0]


_Z_SMALL = np.array([[2.0, 1.0, -1.0], [0.0, 0.5, 0.5]])
_Y_SMALL = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
_Z_BIG = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -999.0, -1001.0], [3.0, 3.0, 3.0],
                   [0.0, 2.0, -2.0]])
_Y_BIG = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
GRAD_CASES = [
    Case((_Z_SMALL, _Y_SMALL), "Z = [[2, 1, -1], [0, 0.5, 0.5]], Y = [[1, 0, 0], [0, 0, 1]]"),
    Case((_Z_BIG, _Y_BIG), "a batch of 4 with logits of ±1000 (Z = [[1000, -1000, 0], "
                           "[-1000, -999, -1001], [3, 3, 3], [0, 2, -2]])"),
]

# ---- 7.4 A stable softmax, log-softmax and cross-entropy of your own
SOFTMAX_CASES = [
    Case((np.array([[2.0, 1.0, -1.0], [0.0, 0.0, 0.0]]),), "Z = [[2, 1, -1], [0, 0, 0]]"),
    Case((np.array([[1000.0, 999.0, 998.0]]),), "Z = [[1000, 999, 998]] (logits of 1000)"),
    Case((np.array([[-1000.0, -1000.0, -1001.0]]),), "Z = [[-1000, -1000, -1001]] (logits of -1000)"),
    Case((np.array([[1000.0, -1000.0, 0.0], [-1000.0, -999.0, -1001.0]]),),
         "Z = [[1000, -1000, 0], [-1000, -999, -1001]] (mixed rows)"),
]


def _softmax_rows(Z):
    return softmax(np.asarray(Z, dtype=np.float64), axis=1)


def _log_softmax_rows(Z):
    return log_softmax(np.asarray(Z, dtype=np.float64), axis=1)


def _ce_value(Z, Y):
    return float(-np.sum(Y * _log_softmax_rows(Z)) / np.shape(Z)[0])


CE_CASES = [
    Case((np.array([[2.0, 1.0, -1.0], [0.0, 0.5, 0.5]]),
          np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])),
         "Z = [[2, 1, -1], [0, 0.5, 0.5]], Y = [[1, 0, 0], [0, 0, 1]]"),
    Case((np.array([[1000.0, -1000.0]]), np.array([[0.0, 1.0]])),
         "Z = [[1000, -1000]], Y = [[0, 1]] (the answer is 2000)"),
    Case((_Z_BIG, _Y_BIG), "a batch of 4 with logits of ±1000"),
]


# ---- 7.5 Binary cross-entropy from logits
def _bce_logits(z, y):
    z = np.asarray(z, dtype=np.float64)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


BCE_CASES = [
    Case((np.array([[0.5], [-1.0], [2.0]]), np.array([[1.0], [0.0], [0.0]])),
         "z = [[0.5], [-1], [2]], y = [[1], [0], [0]]"),
    Case((np.array([[800.0], [-800.0]]), np.array([[1.0], [0.0]])),
         "z = [[800], [-800]], y = [[1], [0]] (right and confident: about 0)"),
    Case((np.array([[800.0], [-800.0]]), np.array([[0.0], [1.0]])),
         "z = [[800], [-800]], y = [[0], [1]] (wrong and confident: 800)"),
]
zs = sp.Symbol("z")
dbce_75 = sp.diff(sp.log(1 + sp.exp(zs)) - y * zs, zs)        # σ(z) - y
BCE_Z_RANGE = {zs: (-4.0, 4.0), y: (0.0, 1.0)}
sigma_z = 1 / (1 + sp.exp(-zs))
assert sp.simplify(dbce_75 - (sigma_z - y)) == 0
bce_at_800_75 = _bce_logits(np.array([800.0]), 0.0)


# ---- 7.6 One-hot labels
def _one_hot(labels, n_classes):
    return np.eye(n_classes)[np.asarray(labels)]


ONE_HOT_CASES = [
    Case((np.array([2, 0, 1, 1]), 3), "labels = np.array([2, 0, 1, 1]), K = 3"),
    Case((np.array([9, 0, 3, 3], dtype=np.uint8), 10),
         "labels = np.array([9, 0, 3, 3], dtype=np.uint8), K = 10"),
    Case((np.array([1]), 4), "labels = np.array([1]), K = 4"),
]
Z_76 = np.array([[1.0, 2.0, 0.0, -1.0], [0.5, 0.5, 3.0, 0.0], [-2.0, 1.0, 1.0, 4.0]])
LABELS_76 = np.array([1, 3, 3])
grad_76 = _ce_grad(Z_76, _one_hot(LABELS_76, 4))

# ---- 7.7 Squared error against cross-entropy, one sigmoid neuron ŷ = σ(z)
_se = (sigma_z - y) ** 2 / 2
_ce = -(y * sp.log(sigma_z) + (1 - y) * sp.log(1 - sigma_z))
ratio_77 = sp.simplify(sp.diff(_se, zs) / sp.diff(_ce, zs))
assert sp.simplify(ratio_77 - sigma_z * (1 - sigma_z)) == 0
assert ratio_77.free_symbols == {zs}
RATIO_RANGE = {zs: (-4.0, 4.0)}
ratio_at_4_77 = float(ratio_77.subs(zs, 4))
ratio_max_77 = float(ratio_77.subs(zs, 0))            # σ'(0) = 1/4, its maximum
_sp_sigma_prime = sigma_z * (1 - sigma_z)

EXERCISES = [
    Exercise("7.1a", 1, "likelihood of four labels", Number(likelihood_71, mistakes=(
        (float(np.sum(PROBS_71)), "that is the sum of the probabilities; the likelihood of "
                                  "independent labels is their product"),
        (float(np.mean(PROBS_71)), "that is the mean of the probabilities; the likelihood of "
                                   "independent labels is their product"),
        (float(np.log(likelihood_71)), "that is ln P, the log-likelihood; P itself is the "
                                       "product of the probabilities"),
    ))),
    Exercise("7.1b", 2, "cross-entropy of four labels", Number(cross_entropy_71, mistakes=(
        (float(-np.sum(np.log(PROBS_71))), "that is the sum over the 4 samples; the loss is "
                                           "the mean, -(1/N) Σ ln ŷ"),
        (float(np.mean(np.log(PROBS_71))), "the sign: ln of a probability is negative, and the "
                                           "loss is minus the mean, so it is positive"),
        (float(-np.mean(np.log10(PROBS_71))), "that uses log10; the loss uses the natural "
                                              "logarithm, np.log"),
        (float(-np.log(np.mean(PROBS_71))), "that is -ln of the mean probability; take the "
                                            "logarithm of each probability, then the mean"),
    ))),
    Exercise("7.1c", 2, "binary cross-entropy of one sample", Expression(
        bce_71, BCE_RANGE, symbol_note="use yhat for ŷ and y for the label", mistakes=(
            (y * sp.log(yhat) + (1 - y) * sp.log(1 - yhat),
             "that is the log-likelihood; the loss is its negative"),
            (-y * sp.log(yhat), "only the y = 1 term: add the term of the y = 0 case, "
                                "-(1 - y) ln(1 - ŷ)"),
            (-(y * sp.log(1 - yhat) + (1 - y) * sp.log(yhat)),
             "the two logarithms are swapped: the label y = 1 goes with ln ŷ, the "
             "probability of class 1"),
        ))),
    Exercise("7.2a", 2, "∂ŷ₁/∂z₁ in terms of ŷ", Expression(
        d11_72, YHAT_RANGE, symbol_note="write it with yhat1, yhat2, yhat3 only", mistakes=(
            (yhat1, "that is ŷ₁ itself; the quotient rule also gives a term from the "
                    "denominator: ŷ₁ - ŷ₁²"),
            (-yhat1**2, "that is only the term from the denominator; the numerator e^z₁ "
                        "also depends on z₁"),
            (1 - yhat1, "one factor is missing: ŷ₁·(1 - ŷ₁), as for the sigmoid"),
        ))),
    Exercise("7.2b", 2, "∂ŷ₁/∂z₂ in terms of ŷ", Expression(
        d12_72, YHAT_RANGE, symbol_note="write it with yhat1, yhat2, yhat3 only", mistakes=(
            (sp.Integer(0), "ŷ₁ depends on z₂ through the denominator Σⱼ e^zⱼ: its derivative "
                            "is not 0"),
            (yhat1 * yhat2, "the sign: raising z₂ takes probability away from class 1"),
            (yhat2 * (1 - yhat2), "that is ∂ŷ₂/∂z₂, a diagonal entry; for i ≠ j it is "
                                  "-ŷᵢ·ŷⱼ"),
        ))),
    Exercise("7.2c", 3, "softmax_jacobian(z)", WithHint(Function(
        _jacobian, JACOBIAN_CASES, rtol=1e-7, atol=1e-12, mistakes=(
            (lambda z: np.outer(softmax(z), softmax(z)) - np.diag(softmax(z)),
             "the sign: J = diag(ŷ) - ŷ ŷᵀ"),
            (lambda z: np.diag(softmax(z) * (1 - softmax(z))),
             "only the diagonal is right: the entries off the diagonal are -ŷᵢ·ŷⱼ, not 0"),
            (lambda z: np.diag(softmax(z)) - softmax(z) ** 2,
             "ŷ**2 is a vector of squares, broadcast over the rows; the matrix ŷ ŷᵀ is "
             "np.outer(y_hat, y_hat)"),
            (lambda z: np.diag(softmax(z)) - np.outer(softmax(z), np.ones_like(z)) * softmax(z).sum(),
             "the matrix ŷ ŷᵀ has entries ŷᵢ·ŷⱼ: use np.outer(y_hat, y_hat)"),
        )), [("nan", JACOBIAN_HINT), ("inf", JACOBIAN_HINT)])),
    Exercise("7.2d", 1, "the row sums of J", Array(
        row_sums_72, rtol=0.0, atol=1e-12, what="an array of 4 row sums", mistakes=(
            (_p_72d, "those are the row sums of diag(ŷ) (or of ŷ ŷᵀ) alone; sum the rows of "
                     "J = diag(ŷ) - ŷ ŷᵀ, your softmax_jacobian(z_row)"),
            (np.ones(4), "the rows of softmax's outputs add up to 1, but the rows of its "
                         "Jacobian add up to 0: sum the rows of softmax_jacobian(z_row)"),
        ))),
    Exercise("7.3a", 2, "∂L/∂z₁ for L = -ln ŷ₁", Expression(
        dz1_73, Z_RANGE, symbol_note="write it with z1, z2, z3 only", mistakes=(
            (1 - _softmax_sym[0], "the sign: the gradient is ŷ₁ - y₁ = ŷ₁ - 1, which is negative"),
            (_softmax_sym[0], "the true class has y₁ = 1: the gradient is ŷ₁ - 1"),
            (-1 / _softmax_sym[0], "that is ∂L/∂ŷ₁ = -1/ŷ₁, the derivative with respect to the "
                                   "probability; multiply by ∂ŷ₁/∂z₁ = ŷ₁(1 - ŷ₁)"),
            (-(1 - _softmax_sym[0]) / _softmax_sym[0],
             "multiply -1/ŷ₁ by ∂ŷ₁/∂z₁ = ŷ₁(1 - ŷ₁), not by (1 - ŷ₁)"),
        ))),
    Exercise("7.3b", 2, "∂L/∂z₂ for L = -ln ŷ₁", Expression(
        dz2_73, Z_RANGE, symbol_note="write it with z1, z2, z3 only", mistakes=(
            (sp.Integer(0), "L = -ln ŷ₁ depends on z₂ through the denominator of ŷ₁: the "
                            "derivative is ŷ₂ - y₂ = ŷ₂"),
            (_softmax_sym[1] - 1, "class 2 is not the true class, so y₂ = 0: the gradient "
                                  "is ŷ₂ - 0"),
            (-_softmax_sym[1], "the sign: raising z₂ makes ŷ₁ smaller and the loss larger, so "
                               "the derivative is +ŷ₂"),
        ))),
    Exercise("7.3c", 3, "cross_entropy_grad(Z, Y) for a batch", Forbids(WithHint(Function(
        _ce_grad, GRAD_CASES, mistakes=(
            (lambda Z, Y: softmax(Z, axis=1) - Y, "the loss is the mean over the N samples: "
                                                  "divide by N = Z.shape[0]"),
            (lambda Z, Y: (Y - softmax(Z, axis=1)) / Z.shape[0], "the sign: it is ŷ - y"),
            (lambda Z, Y: (softmax(Z, axis=0) - Y) / Z.shape[0],
             "softmax over the wrong axis: each row (sample) must add up to 1, axis=1"),
            (lambda Z, Y: -Y / softmax(Z, axis=1) / Z.shape[0],
             "that is ∂L/∂ŷ, with respect to the probabilities; with respect to the logits "
             "it is (ŷ - y) / N"),
        )), [("nan", OVERFLOW_HINT), ("inf", OVERFLOW_HINT)]))),
    Exercise("7.4a", 3, "my_softmax(Z), stable, row by row", Forbids(WithHint(Function(
        _softmax_rows, SOFTMAX_CASES, mistakes=(
            (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0), "each column adds up to 1; softmax "
                                                          "normalises each row: sum(axis=1)"),
            (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z).sum(),
             "divide each row by its own sum, sum(axis=1, keepdims=True)"),
            (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)),
             "the exponentials are not yet divided by their row's sum"),
        )), [("nan", OVERFLOW_HINT), ("inf", OVERFLOW_HINT)]))),
    Exercise("7.4b", 3, "my_log_softmax(Z), stable", Forbids(WithHint(Function(
        _log_softmax_rows, SOFTMAX_CASES, mistakes=(
            (lambda Z: Z - Z.max(axis=1, keepdims=True),
             "Z - max is only the first step: subtract also ln Σⱼ e^(zⱼ - max), the log of the "
             "row's sum"),
            (lambda Z: Z - np.log(np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1,
                                                                                keepdims=True)),
             "you subtracted ln Σⱼ e^(zⱼ - m) but not m itself: log-sum-exp is "
             "m + ln Σⱼ e^(zⱼ - m)"),
            (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True))
             / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
             "that is softmax itself; take the logarithm, as z - logsumexp(z)"),
        )), [("inf", LOG_HINT), ("nan", OVERFLOW_HINT)]))),
    Exercise("7.4c", 2, "my_cross_entropy(Z, Y): the mean loss", Forbids(WithHint(Function(
        _ce_value, CE_CASES, mistakes=(
            (lambda Z, Y: float(-np.sum(Y * _log_softmax_rows(Z))),
             "that is the sum over the batch; the loss is the mean, divide by N"),
            (lambda Z, Y: float(np.sum(Y * _log_softmax_rows(Z)) / Z.shape[0]),
             "the sign: the loss is minus the mean log-probability, so it is positive"),
            (lambda Z, Y: float(-np.mean(Y * _log_softmax_rows(Z))),
             "np.mean over the whole array divides by N·K; sum over the classes, then "
             "divide by N"),
        )), [("inf", LOG_HINT + " (as in 7.4b)"), ("nan", OVERFLOW_HINT)]))),
    Exercise("7.5a", 3, "bce_with_logits(z, y), finite at ±800", Forbids(WithHint(Function(
        _bce_logits, BCE_CASES, mistakes=(
            (lambda z, y: float(np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))),
             "that is the sum; the loss is the mean over the samples"),
            (lambda z, y: float(np.mean(np.maximum(z, 0) + z * y + np.log1p(np.exp(-np.abs(z))))),
             "the sign of the y·z term: L = softplus(z) - y·z"),
            (lambda z, y: float(np.mean(np.maximum(z, 0) - z * y)),
             "the term ln(1 + e^(-|z|)) is missing"),
        )), [("inf", "σ(800) rounds to exactly 1 (or e^800 overflows): never form σ(z) or "
                     "e^z; use max(z, 0) - y·z + log1p(exp(-|z|))"),
             ("nan", "σ(800) rounds to exactly 1 and 0·ln 0 is nan: never form σ(z); use "
                     "max(z, 0) - y·z + log1p(exp(-|z|))")]))),
    Exercise("7.5b", 2, "∂L/∂z of the binary cross-entropy", Expression(
        dbce_75, BCE_Z_RANGE, symbol_note="write it with z and y only", mistakes=(
            (y - sigma_z, "the sign: it is σ(z) - y, prediction minus label"),
            (_sp_sigma_prime, "that is σ'(z), the derivative of σ alone; the derivative of the "
                              "loss is σ(z) - y"),
            ((sigma_z - y) * _sp_sigma_prime, "that is the squared-error kind of gradient: with "
                                              "cross-entropy the factor σ'(z) cancels"),
        ))),
    Exercise("7.5c", 1, "the loss at z = 800, y = 0", Number(bce_at_800_75, rtol=1e-9, mistakes=(
        (0.0, "0 would be the loss for y = 1, where the confident prediction is right; for "
              "y = 0 it is about z"),
        (1.0, "1 is σ(800), the prediction; the loss is ln(1 + e^800) ≈ 800"),
        (float(-np.log(1e-7)), "16.1 is the loss of a probability clipped at 1 - 10⁻⁷; the "
                               "exact loss from the logit is ln(1 + e^800) ≈ 800"),
    ))),
    Exercise("7.6a", 2, "one_hot(labels, K)", FloatResult(WithHint(Function(
        _one_hot, ONE_HOT_CASES, mistakes=(
            (lambda labels, K: np.eye(K)[np.asarray(labels) - 1],
             "off by one: class numbers start at 0, and label 0 has its 1 in column 0"),
            (lambda labels, K: np.eye(K)[np.asarray(labels)].T,
             "the array is transposed: row n belongs to labels[n], column k to class k"),
            (lambda labels, K: 1 - np.eye(K)[np.asarray(labels)],
             "0s and 1s are swapped: the true class gets the 1"),
        )), [("shape", "one row per label and one column per class: shape (N, K)")]),
        ONE_HOT_CASES[1])),
    Exercise("7.6b", 2, "the gradient (ŷ - y)/N for a labelled batch", Array(
        grad_76, rtol=1e-6, atol=1e-12, what="an array of shape (3, 4)", mistakes=(
            (grad_76 * 3, "divide by N = 3: the loss is the mean over the batch"),
            (-grad_76, "the sign: it is ŷ - y"),
            ((softmax(Z_76, axis=1) - LABELS_76[:, None]) / 3,
             "the labels were subtracted as numbers (broadcast over the columns); make them "
             "one-hot first with your one_hot (7.6a)"),
            ((softmax(Z_76, axis=0) - _one_hot(LABELS_76, 4)) / 3,
             "softmax over the wrong axis: each row must add up to 1"),
        ))),
    Exercise("7.7a", 2, "gradient ratio squared error / cross-entropy", Expression(
        ratio_77, RATIO_RANGE, symbol_note="the ratio depends on z only: y cancels", mistakes=(
            (2 * _sp_sigma_prime, "twice the answer: the squared error here has a factor ½, "
                                  "L = ½(ŷ - y)²"),
            (1 / _sp_sigma_prime, "that is cross-entropy over squared error; the ratio asked for "
                                  "is squared error over cross-entropy"),
            (sigma_z, "that is σ(z); the ratio is the factor the chain rule adds, σ'(z)"),
        ))),
    Exercise("7.7b", 1, "the ratio at z = 4", Number(ratio_at_4_77, rtol=1e-4, mistakes=(
        (2 * ratio_at_4_77, "twice the answer: the squared error here has a factor ½", 1e-5),
        (1 / ratio_at_4_77, "that is cross-entropy over squared error (1/σ'(4))", 1e-3),
        (float(sigmoid(4.0)), "that is σ(4), the output; the ratio is σ'(4) = σ(4)(1 - σ(4))",
         1e-5),
    ))),
    Exercise("7.7c", 1, "the largest ratio over all z", Number(ratio_max_77, rtol=1e-6, mistakes=(
        (1.0, "the ratio σ'(z) = σ(1 - σ) never reaches 1: a product of two numbers adding up "
              "to 1 is at most ½·½"),
        (0.5, "that is σ(0), the output where the ratio is largest; the ratio there is "
              "σ(0)·(1 - σ(0))"),
        (0.0, "that is z = 0, where the ratio is largest; give the ratio's value there"),
    ))),
]
